import { IConstruct } from 'constructs';
import { refuse } from './errors';
import type { NetworkPolicyPeer } from './k8s';

/** The service mesh a workload joins. `none`: plain pods. */
export type Mesh = 'none' | 'istio' | 'linkerd';

/** A mesh a cluster can install. */
export type InstalledMesh = Exclude<Mesh, 'none'>;

/** Istio injects the sidecar into pods of namespaces carrying this LABEL. */
export const ISTIO_INJECTION_LABEL = 'istio-injection';

/**
 * Linkerd injects its proxy into pods (or namespaces) carrying this ANNOTATION. The cookbook sets
 * it as a namespace label, which Linkerd ignores: the pods then run without a proxy, silently.
 */
export const LINKERD_INJECT_ANNOTATION = 'linkerd.io/inject';

/** Where each mesh's control plane runs, and the ports its data plane (the sidecars) calls. */
export const MESH_CONTROL_PLANE: Readonly<Record<InstalledMesh, { readonly namespace: string; readonly ports: readonly number[] }>> = {
  // istiod: xDS and certificates over 15012.
  istio: { namespace: 'istio-system', ports: [15012] },
  // identity 8080, destination 8086, policy 8090.
  linkerd: { namespace: 'linkerd', ports: [8080, 8086, 8090] },
};

/** The pod annotations that put a pod in `mesh` (Istio injects by namespace label; see AppNamespace). */
export function meshPodAnnotations(mesh: Mesh): Record<string, string> {
  return mesh === 'linkerd' ? { [LINKERD_INJECT_ANNOTATION]: 'enabled' } : {};
}

/** The egress a meshed pod needs under a default-deny policy: its sidecar reaching the control plane. */
export function meshControlPlaneEgress(mesh: Mesh): { to: NetworkPolicyPeer[]; ports: { port: number; protocol: 'TCP' }[] }[] {
  if (mesh === 'none') return [];
  const cp = MESH_CONTROL_PLANE[mesh];
  return [
    {
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': cp.namespace } } }],
      ports: cp.ports.map((port) => ({ port, protocol: 'TCP' as const })),
    },
  ];
}

/**
 * The mesh a workload's pods join (`none` by default), refusing Istio routing outside the Istio
 * mesh and the Linkerd inject LABEL (the cookbook's defect: Linkerd reads only the annotation).
 */
export function checkWorkloadMesh(
  scope: IConstruct,
  props: { readonly mesh?: Mesh; readonly istio?: unknown; readonly labels?: Readonly<Record<string, string>> },
): Mesh {
  const mesh = props.mesh ?? 'none';
  if (props.istio && mesh !== 'istio') {
    refuse(scope, 'istio', `an Istio Gateway and VirtualService are set but the pods' mesh is "${mesh}"`, "set mesh: 'istio' (and the namespace's istio-injection label), or drop istio");
  }
  if (props.labels && LINKERD_INJECT_ANNOTATION in props.labels) {
    refuse(scope, `labels["${LINKERD_INJECT_ANNOTATION}"]`, 'Linkerd reads linkerd.io/inject as an ANNOTATION; as a label it injects nothing, silently', "set mesh: 'linkerd' instead");
  }
  return mesh;
}
