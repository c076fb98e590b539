/**
 * The cluster's firewall as data: which security groups a stack has, what each is called in AWS, and
 * every rule between them. Pure (no Pulumi import): `security-groups.ts` turns it into resources, and
 * other layers (cross-layer checks, reachability) read the same rules from the model instead of from a
 * committed plan.
 */
import type { Environment } from '../environments';

/** The security groups of a cluster; `api-lb` exists only with more than one control plane. */
export type GroupRole = 'bastion' | 'control-plane' | 'nodes' | 'api-lb';

export interface PortRange {
  /** `-1` is every protocol (and every port). */
  readonly protocol: 'tcp' | 'udp' | '-1';
  readonly from: number;
  readonly to: number;
}

export type Peer = { readonly group: GroupRole } | { readonly cidr: string };

export interface FirewallRule {
  readonly kind: 'ingress' | 'egress';
  /** The group the rule belongs to. */
  readonly group: GroupRole;
  /** Short id, part of the Pulumi logical name: `kube-api`, `kubelet`, `vxlan`... */
  readonly purpose: string;
  readonly port: PortRange;
  /** Source (ingress) or destination (egress). */
  readonly peer: Peer;
}

/** Stack settings the firewall depends on (infra/settings.ts reads them from `Pulumi.<stack>.yaml`). */
export interface FirewallSettings {
  /** CIDRs allowed to SSH to the bastion. @default [] */
  readonly bastionAllowedCidrs?: readonly string[];
}

export const API_SERVER_PORT = 6443;
export const KUBE_API: PortRange = { protocol: 'tcp', from: API_SERVER_PORT, to: API_SERVER_PORT };
export const ETCD: PortRange = { protocol: 'tcp', from: 2379, to: 2380 };
/** The kubelet's port: the API server (logs, exec) and metrics-server (every node's /metrics/resource) dial it. */
export const KUBELET: PortRange = { protocol: 'tcp', from: 10250, to: 10250 };
/** Flannel VXLAN; 4789 (not Linux's 8472) because Windows overlay networking requires it. */
export const VXLAN: PortRange = { protocol: 'udp', from: 4789, to: 4789 };
export const SSH: PortRange = { protocol: 'tcp', from: 22, to: 22 };
/** The API server's default `--service-node-port-range`. */
export const NODE_PORTS: PortRange = { protocol: 'tcp', from: 30000, to: 32767 };
export const ALL: PortRange = { protocol: '-1', from: 0, to: 0 };

/** The groups a stack of `env` creates. */
export function securityGroupRoles(env: Environment): GroupRole[] {
  return ['bastion', 'control-plane', 'nodes', ...(hasApiLoadBalancer(env) ? (['api-lb'] as const) : [])];
}

/** Prod-like environments put an internal network load balancer in front of their API servers. */
export function hasApiLoadBalancer(env: Environment): boolean {
  return env.provider.kind === 'aws-kubeadm' && env.provider.controlPlane.count > 1;
}

/**
 * The group's `namePrefix`: AWS appends a unique suffix, so a replacement group can exist next to the
 * old one. Never a bare logical name: Pulumi would autoname it `<logical>-<7 hex>`, and AWS refuses group
 * names that start with `sg-` (the logical names do).
 */
export function securityGroupNamePrefix(clusterName: string, role: GroupRole): string {
  return `${clusterName}-${role}-`;
}

/** The `Name` tag of a group: how people (and the plan checks) recognize its role. */
export function securityGroupNameTag(clusterName: string, role: GroupRole): string {
  return `${clusterName}-${role}`;
}

export const SECURITY_GROUP_DESCRIPTIONS: Readonly<Record<GroupRole, string>> = {
  bastion: 'Operator entry: SSM Session Manager port forwarding (and SSH where configured)',
  'control-plane': 'Kubernetes control plane: API server, etcd, kubelet',
  nodes: 'Kubernetes worker nodes',
  'api-lb': 'Internal network load balancer in front of the API servers',
};

/**
 * Every rule of the cluster firewall. Each ingress names its source group; the only CIDR sources are the
 * VPC (NodePorts) and the configured bastion CIDRs. Rules for load balancers of `type: LoadBalancer`
 * Services are added to the nodes group by the AWS cloud-controller-manager at run time.
 */
export function securityGroupRules(env: Environment, settings: FirewallSettings = {}): FirewallRule[] {
  if (env.provider.kind !== 'aws-kubeadm') {
    throw new Error(`environment "${env.name}" runs on ${env.provider.kind}: only aws-kubeadm environments have security groups`);
  }
  const vpcCidr = env.provider.network.vpcCidr;
  const loadBalanced = hasApiLoadBalancer(env);
  const rules: FirewallRule[] = [];
  const ingress = (group: GroupRole, purpose: string, port: PortRange, sources: readonly GroupRole[]) =>
    sources.forEach((source) => rules.push({ kind: 'ingress', group, purpose, port, peer: { group: source } }));

  for (const cidr of settings.bastionAllowedCidrs ?? []) rules.push({ kind: 'ingress', group: 'bastion', purpose: 'ssh', port: SSH, peer: { cidr } });

  // Kubelets (every node), the control planes themselves and the operator's tunnel end on the bastion.
  const apiClients: GroupRole[] = ['control-plane', 'nodes', 'bastion'];
  ingress('control-plane', 'kube-api', KUBE_API, loadBalanced ? [...apiClients, 'api-lb'] : apiClients);
  if (loadBalanced) {
    ingress('api-lb', 'kube-api', KUBE_API, apiClients);
    rules.push({ kind: 'egress', group: 'api-lb', purpose: 'kube-api', port: KUBE_API, peer: { group: 'control-plane' } });
  }
  ingress('control-plane', 'etcd', ETCD, ['control-plane']);
  // The API server dials every kubelet; metrics-server (on a worker) scrapes every kubelet, control planes too.
  ingress('control-plane', 'kubelet', KUBELET, ['control-plane', 'nodes']);
  ingress('nodes', 'kubelet', KUBELET, ['control-plane', 'nodes']);
  for (const group of ['control-plane', 'nodes'] as const) {
    ingress(group, 'vxlan', VXLAN, ['control-plane', 'nodes']);
    ingress(group, 'ssh', SSH, ['bastion']);
  }
  rules.push({ kind: 'ingress', group: 'nodes', purpose: 'node-ports', port: NODE_PORTS, peer: { cidr: vpcCidr } });

  // Instances reach package mirrors, image registries and AWS APIs (SSM, S3) through the NAT gateways.
  for (const group of ['bastion', 'control-plane', 'nodes'] as const) {
    rules.push({ kind: 'egress', group, purpose: 'all', port: ALL, peer: { cidr: '0.0.0.0/0' } });
  }
  return rules;
}

/** `true` when `rule` lets `port` through (a rule of every protocol covers everything). */
export function covers(rule: PortRange, port: PortRange): boolean {
  if (rule.protocol === '-1') return true;
  return rule.protocol === port.protocol && rule.from <= port.from && port.to <= rule.to;
}
