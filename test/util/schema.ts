/** Kubernetes 1.27 schema validation with kubernetes-models, independent of the guardrails code. */
type ModelClass = { apiVersion?: string; kind?: string; new (data: unknown): { validate(): void } };

// CRDs the project may emit on purpose; kubernetes-models has no schema for them. The Istio kinds are
// validated against @kubernetes-models/istio by test/seed-002.test.ts (istioSchemaErrors).
export const CUSTOM_KINDS = new Set([
  'networking.istio.io/v1beta1/Gateway',
  'networking.istio.io/v1beta1/VirtualService',
  'networking.istio.io/v1beta1/DestinationRule',
  'networking.istio.io/v1/Gateway',
  'networking.istio.io/v1/VirtualService',
  'networking.istio.io/v1/DestinationRule',
  'snapshot.storage.k8s.io/v1/VolumeSnapshot',
  'snapshot.storage.k8s.io/v1/VolumeSnapshotClass',
]);

/** Returns the schema error of `object`, '' when valid; throws when no 1.27 model exists. */
export function schemaError(object: { apiVersion: string; kind: string }): string {
  const key = `${object.apiVersion}/${object.kind}`;
  if (CUSTOM_KINDS.has(key)) return '';
  const Model = require(`kubernetes-models/${object.apiVersion}/${object.kind}`)[object.kind] as ModelClass;
  if (!Model || Model.kind !== object.kind) throw new Error(`kubernetes-models has no ${key}`);
  try {
    new Model(object).validate();
    return '';
  } catch (err) {
    return JSON.stringify((err as { errors?: unknown }).errors ?? String(err));
  }
}
