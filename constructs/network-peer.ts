import type { NetworkPolicyPeer } from './k8s';

/** Who may open a connection, in NetworkPolicy terms. */
export type Peer =
  | 'same-namespace'
  /** Any pod in the cluster. */
  | 'cluster'
  /** Anywhere, including outside the cluster (NodePort/LoadBalancer traffic arrives from node IPs). */
  | 'anywhere'
  | { readonly podLabels: Readonly<Record<string, string>>; readonly namespace?: string }
  | { readonly cidr: string };

export function renderPeer(peer: Peer): NetworkPolicyPeer {
  if (peer === 'same-namespace') return { podSelector: {} };
  if (peer === 'cluster') return { namespaceSelector: {} };
  if (peer === 'anywhere') return { ipBlock: { cidr: '0.0.0.0/0' } };
  if ('cidr' in peer) return { ipBlock: { cidr: peer.cidr } };
  const podSelector = { matchLabels: { ...peer.podLabels } };
  return peer.namespace ? { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': peer.namespace } }, podSelector } : { podSelector };
}
