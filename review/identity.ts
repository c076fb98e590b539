/**
 * Who an object is, independent of file and API version. The version is left out on purpose:
 * `autoscaling/v2beta2` → `autoscaling/v2` updates the same live object, so it must read as an
 * `apiVersion` change on one object rather than a removal plus an addition.
 */
import type { KubeObject } from './model';

export interface ObjectId {
  /** API group, `''` for the core group. */
  readonly group: string;
  readonly kind: string;
  /** `''` for cluster-scoped objects (and for namespaced ones that rely on the default namespace). */
  readonly namespace: string;
  readonly name: string;
}

const str = (value: unknown) => (typeof value === 'string' ? value : '');

export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export function objectId(object: KubeObject): ObjectId {
  const metadata = (object.metadata ?? {}) as Record<string, unknown>;
  return {
    group: groupOf(str(object.apiVersion)),
    kind: str(object.kind),
    namespace: str(metadata.namespace),
    name: str(metadata.name),
  };
}

/** Unique per identity, and sorts an environment by namespace, kind, name: an app's objects sit together. */
export function idKey(id: ObjectId): string {
  return [id.namespace, id.kind, id.name, id.group].join('\u0000');
}

/** Groups shipped with Kubernetes read fine without the group; others (Istio...) show it. */
function isBuiltInGroup(group: string): boolean {
  return !group.includes('.') || group.endsWith('.k8s.io');
}

/** `Deployment web/nginx`, `Namespace web`, `Gateway (networking.istio.io) web/apod`. */
export function objectLabel(id: ObjectId): string {
  const kind = isBuiltInGroup(id.group) ? id.kind : `${id.kind} (${id.group})`;
  return `${kind} ${id.namespace ? `${id.namespace}/` : ''}${id.name}`;
}

/** The exact `kubectl delete` a reviewer can paste: `kubectl delete deployment.apps/nginx -n web`. */
export function kubectlDelete(id: ObjectId): string {
  const resource = id.group ? `${id.kind.toLowerCase()}.${id.group}` : id.kind.toLowerCase();
  return `kubectl delete ${resource}/${id.name}${id.namespace ? ` -n ${id.namespace}` : ''}`;
}
