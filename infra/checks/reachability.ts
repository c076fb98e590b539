/**
 * Reachability: can every cluster component talk to what it needs, through the security groups the plan
 * creates? The needs are derived, not listed by hand a second time:
 * - from the rendered manifests: metrics-server's kubelet scraping (its `--kubelet-*` flags, from the nodes
 *   its pod template can be scheduled on, to every node), the overlay (flannel's `net-conf.json` backend
 *   port between every node its DaemonSets run on), NodePort Services (their node ports on every pool,
 *   from the VPC);
 * - from the model: kubelets and control planes dial the API endpoint, the load balancer (if any) dials
 *   the API servers, the API servers dial every kubelet, etcd peers reach each other;
 * - the operator's path with the stack's settings: Session Manager on the bastion (its instance profile
 *   carries AmazonSSMManagedInstanceCore) or SSH to it from a configured CIDR, then 6443 to the endpoint.
 * Node classes (control planes, each pool, the bastion, the API load balancer) and their groups come
 * from the plan; where each pod can run comes from its nodeSelector, node affinity and tolerations against
 * the labels and taints each class registers with.
 */
import type { Environment, NodePool } from '../../environments';
import { covers, KUBE_API, KUBELET, PortRange } from '../firewall';
import { PlanFinding, PlannedResource, T, byId, byName, list, obj, objectOf, tagsOf } from './common';

const RULE = 'reachability';
const SSM_MANAGED_POLICY = 'AmazonSSMManagedInstanceCore';
/** The kubelet's port when KubeletConfiguration sets none (infra/bootstrap renders none). */
const KUBELET_DEFAULT_PORT = KUBELET.from;
/** flannel's VXLAN default when net-conf.json names no Port. */
const FLANNEL_VXLAN_DEFAULT_PORT = 8472;

type Manifest = Record<string, unknown>;

interface NodeClass {
  /** `control-plane`, `pool linux-amd64`, `bastion`, `api load balancer`. */
  readonly id: string;
  readonly groups: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly { key: string; value?: string; effect: string }[];
  /** Runs a kubelet (joins the cluster). */
  readonly kubelet: boolean;
  readonly resource?: PlannedResource;
}

interface Rule {
  readonly kind: 'ingress' | 'egress';
  readonly group: string;
  readonly port: PortRange;
  readonly peerGroup?: string;
  readonly cidr?: string;
}

interface Need {
  readonly why: string;
  readonly from: NodeClass;
  readonly to: NodeClass;
  readonly port: PortRange;
}

const groupIds = (v: unknown) => list(v).map((id) => (typeof id === 'object' && id !== null ? `${(id as { resource: string }).resource}-id` : String(id)));

function protocolOf(v: unknown): PortRange['protocol'] {
  const p = String(v);
  return p === '-1' || p === 'all' ? '-1' : p === '17' || p === 'udp' ? 'udp' : 'tcp';
}

/** Every security group rule of the plan, in its three AWS spellings. */
function rulesOf(plan: readonly PlannedResource[]): Rule[] {
  const id = (v: unknown) => (typeof v === 'object' && v !== null ? `${(v as { resource: string }).resource}-id` : String(v));
  return plan.flatMap((r): Rule[] => {
    const i = r.inputs;
    const port = (protocol: unknown, from: unknown, to: unknown): PortRange => ({ protocol: protocolOf(protocol), from: Number(from ?? 0), to: Number(to ?? 65535) });
    if (r.type === T.INGRESS_RULE || r.type === T.EGRESS_RULE) {
      return [
        {
          kind: r.type === T.INGRESS_RULE ? 'ingress' : 'egress',
          group: id(i.securityGroupId),
          port: port(i.ipProtocol, i.fromPort, i.toPort),
          peerGroup: i.referencedSecurityGroupId === undefined ? undefined : id(i.referencedSecurityGroupId),
          cidr: typeof i.cidrIpv4 === 'string' ? i.cidrIpv4 : undefined,
        },
      ];
    }
    if (r.type === T.LEGACY_RULE) {
      return [
        ...list(i.cidrBlocks).map((cidr) => ({ kind: i.type as 'ingress', group: id(i.securityGroupId), port: port(i.protocol, i.fromPort, i.toPort), cidr: String(cidr) })),
        ...(i.sourceSecurityGroupId === undefined && i.self !== true
          ? []
          : [{ kind: i.type as 'ingress', group: id(i.securityGroupId), port: port(i.protocol, i.fromPort, i.toPort), peerGroup: i.self === true ? id(i.securityGroupId) : id(i.sourceSecurityGroupId) }]),
      ];
    }
    if (r.type === T.SECURITY_GROUP) {
      return (['ingress', 'egress'] as const).flatMap((kind) =>
        list(i[kind]).flatMap((raw) => {
          const o = obj(raw);
          const p = port(o.protocol, o.fromPort, o.toPort);
          return [
            ...list(o.cidrBlocks).map((cidr) => ({ kind, group: `${r.name}-id`, port: p, cidr: String(cidr) })),
            ...groupIds(o.securityGroups).map((peer) => ({ kind, group: `${r.name}-id`, port: p, peerGroup: peer })),
            ...(o.self === true ? [{ kind, group: `${r.name}-id`, port: p, peerGroup: `${r.name}-id` }] : []),
          ];
        }),
      );
    }
    return [];
  });
}

function ipv4(cidr: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!m) return undefined;
  const base = m.slice(1, 5).reduce((acc, o) => acc * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(m[5]));
  return [base - (base % size), size];
}

/** `outer` contains every address of `inner`. */
function cidrContains(outer: string, inner: string): boolean {
  const a = ipv4(outer);
  const b = ipv4(inner);
  return !!a && !!b && a[0] <= b[0] && b[0] + b[1] <= a[0] + a[1];
}

/** Classes of machines the plan creates, with the groups they sit in. */
function nodeClasses(plan: readonly PlannedResource[], env: Environment): NodeClass[] {
  const clusterName = env.cluster.name;
  const classes: NodeClass[] = [];
  const controlPlanes = plan.filter((r) => r.type === T.INSTANCE && new RegExp(`^${clusterName}-control-plane-\\d+$`).test(tagsOf(r).Name ?? ''));
  const cpArch = env.provider.kind === 'aws-kubeadm' ? env.provider.controlPlane.arch : 'amd64';
  if (controlPlanes.length > 0) {
    classes.push({
      id: 'control-plane',
      groups: [...new Set(controlPlanes.flatMap((r) => groupIds(r.inputs.vpcSecurityGroupIds)))],
      labels: { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': cpArch, 'node-role.kubernetes.io/control-plane': '' },
      taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
      kubelet: true,
      resource: controlPlanes[0],
    });
  }
  for (const pool of env.nodePools) {
    const template = plan.find((r) => r.type === T.LAUNCH_TEMPLATE && r.name === `pool-${pool.name}`);
    if (!template) continue;
    const groups = [
      ...groupIds(template.inputs.vpcSecurityGroupIds),
      ...list(template.inputs.networkInterfaces).flatMap((n) => groupIds(obj(n).securityGroups)),
    ];
    classes.push({ id: `pool ${pool.name}`, groups, labels: poolLabels(pool), taints: pool.taints.map((t) => ({ ...t })), kubelet: true, resource: template });
  }
  const bastion = plan.find((r) => r.type === T.INSTANCE && tagsOf(r).Name === `${clusterName}-bastion`);
  if (bastion) classes.push({ id: 'bastion', groups: groupIds(bastion.inputs.vpcSecurityGroupIds), labels: {}, taints: [], kubelet: false, resource: bastion });
  const lb = plan.find((r) => r.type === T.LOAD_BALANCER && r.inputs.internal === true);
  if (lb) classes.push({ id: 'api load balancer', groups: groupIds(lb.inputs.securityGroups), labels: {}, taints: [], kubelet: false, resource: lb });
  return classes;
}

/** The labels a pool's kubelet registers with (infra/bootstrap/kubelet.ts, plus the kubelet's own). */
function poolLabels(pool: NodePool): Record<string, string> {
  return {
    ...pool.labels,
    'node-pool': pool.name,
    'kubernetes.io/os': pool.os,
    'kubernetes.io/arch': pool.arch,
    ...(pool.windowsBuild ? { 'node.kubernetes.io/windows-build': pool.windowsBuild } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------
// Scheduling: where a pod template can land.

interface PodSpec {
  nodeSelector?: Record<string, string>;
  tolerations?: { key?: string; operator?: string; value?: string; effect?: string }[];
  affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: { matchExpressions?: { key: string; operator: string; values?: string[] }[] }[] } } };
}

function tolerates(spec: PodSpec, taint: NodeClass['taints'][number]): boolean {
  return (spec.tolerations ?? []).some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

function matchesAffinity(spec: PodSpec, labels: NodeClass['labels']): boolean {
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms || terms.length === 0) return true;
  return terms.some((term) =>
    (term.matchExpressions ?? []).every((e) => {
      const has = e.key in labels;
      switch (e.operator) {
        case 'In':
          return has && (e.values ?? []).includes(labels[e.key]);
        case 'NotIn':
          return !has || !(e.values ?? []).includes(labels[e.key]);
        case 'Exists':
          return has;
        case 'DoesNotExist':
          return !has;
        default:
          return true;
      }
    }),
  );
}

export function schedulableOn(spec: PodSpec, node: NodeClass): boolean {
  if (!node.kubelet) return false;
  const selector = spec.nodeSelector ?? {};
  if (!Object.entries(selector).every(([k, v]) => node.labels[k] === v)) return false;
  if (!matchesAffinity(spec, node.labels)) return false;
  return node.taints.filter((t) => t.effect !== 'PreferNoSchedule').every((t) => tolerates(spec, t));
}

const WORKLOAD_KINDS = new Set(['Deployment', 'DaemonSet', 'StatefulSet', 'ReplicaSet', 'Job']);

function podSpecOf(m: Manifest): PodSpec | undefined {
  if (!WORKLOAD_KINDS.has(String(m.kind))) return undefined;
  return obj(obj(obj(m.spec).template).spec) as PodSpec;
}

const nameOfManifest = (m: Manifest) => `${String(m.kind)}/${String(obj(m.metadata).namespace ?? '')}/${String(obj(m.metadata).name)}`;

// ---------------------------------------------------------------------------------------------------
// Needs.

function manifestNeeds(manifests: readonly Manifest[], classes: readonly NodeClass[]): { needs: Need[]; nodePorts: { why: string; port: number }[] } {
  const kubeletNodes = classes.filter((c) => c.kubelet);
  const needs: Need[] = [];
  const all = (why: string, from: readonly NodeClass[], to: readonly NodeClass[], port: PortRange) =>
    from.forEach((f) => to.forEach((t) => needs.push({ why, from: f, to: t, port })));

  // Anything that scrapes kubelets (metrics-server's --kubelet-* flags) reaches every node's kubelet.
  for (const m of manifests) {
    const spec = podSpecOf(m);
    if (!spec) continue;
    const args = list((spec as Record<string, unknown>).containers).flatMap((c) => list(obj(c).args).map(String));
    // A CSI node-driver-registrar's --kubelet-registration-path is a socket path on its own node, not a scrape.
    if (!args.some((a) => a.startsWith('--kubelet-') && !a.startsWith('--kubelet-registration-path'))) continue;
    const portArg = args.find((a) => a.startsWith('--kubelet-port='));
    const port = portArg ? Number(portArg.split('=')[1]) : KUBELET_DEFAULT_PORT;
    all(`${nameOfManifest(m)} scrapes every kubelet`, kubeletNodes.filter((c) => schedulableOn(spec, c)), kubeletNodes, { protocol: 'tcp', from: port, to: port });
  }

  // The overlay: flannel's net-conf.json names the VXLAN port; every node running a DaemonSet that mounts
  // such a ConfigMap exchanges encapsulated traffic with every other.
  const overlayPorts = new Map<string, number>();
  for (const m of manifests) {
    if (m.kind !== 'ConfigMap') continue;
    const netConf = obj(m.data)['net-conf.json'];
    if (typeof netConf !== 'string') continue;
    const backend = obj(obj(JSON.parse(netConf)).Backend);
    if (String(backend.Type ?? '').toLowerCase() !== 'vxlan') continue;
    overlayPorts.set(String(obj(m.metadata).name), Number(backend.Port ?? FLANNEL_VXLAN_DEFAULT_PORT));
  }
  const overlayNodes = new Set<NodeClass>();
  const ports = new Set<number>();
  for (const m of manifests) {
    if (m.kind !== 'DaemonSet') continue;
    const spec = podSpecOf(m)!;
    const mounted = list((spec as Record<string, unknown>).volumes).map((v) => obj(obj(v).configMap).name).filter((n) => overlayPorts.has(String(n)));
    if (mounted.length === 0) continue;
    mounted.forEach((n) => ports.add(overlayPorts.get(String(n))!));
    kubeletNodes.filter((c) => schedulableOn(spec, c)).forEach((c) => overlayNodes.add(c));
  }
  for (const port of ports) all(`the flannel VXLAN overlay (udp ${port})`, [...overlayNodes], [...overlayNodes], { protocol: 'udp', from: port, to: port });

  // NodePort Services: clients in the VPC (internal load balancers, the bastion) dial every pool node.
  const nodePorts = manifests
    .filter((m) => m.kind === 'Service' && obj(m.spec).type === 'NodePort')
    .flatMap((m) => list(obj(m.spec).ports).map((p) => ({ why: `${nameOfManifest(m)} port ${String(obj(p).name ?? obj(p).port)}`, port: Number(obj(p).nodePort) })))
    .filter((p) => Number.isInteger(p.port));
  return { needs, nodePorts };
}

function modelNeeds(env: Environment, classes: readonly NodeClass[]): Need[] {
  const needs: Need[] = [];
  const cp = classes.find((c) => c.id === 'control-plane');
  const lb = classes.find((c) => c.id === 'api load balancer');
  const bastion = classes.find((c) => c.id === 'bastion');
  if (!cp) return needs;
  const endpoint = lb ?? cp;
  for (const c of classes.filter((k) => k.kubelet)) {
    needs.push({ why: `the kubelets of ${c.id} dial the API endpoint`, from: c, to: endpoint, port: KUBE_API });
    needs.push({ why: `the API servers dial the kubelets of ${c.id} (logs, exec, port-forward)`, from: cp, to: c, port: KUBELET });
  }
  if (lb) needs.push({ why: 'the API load balancer forwards to the API servers', from: lb, to: cp, port: KUBE_API });
  if (bastion) needs.push({ why: "the operator's tunnel from the bastion reaches the API endpoint", from: bastion, to: endpoint, port: KUBE_API });
  if (env.provider.kind === 'aws-kubeadm' && env.provider.controlPlane.count > 1) {
    needs.push({ why: 'etcd members reach each other (client and peer ports)', from: cp, to: cp, port: { protocol: 'tcp', from: 2379, to: 2380 } });
  }
  return needs;
}

// ---------------------------------------------------------------------------------------------------

function allowed(rules: readonly Rule[], from: NodeClass, to: NodeClass, port: PortRange, vpcCidr: string): boolean {
  const ingress = rules.some(
    (r) =>
      r.kind === 'ingress' &&
      to.groups.includes(r.group) &&
      covers(r.port, port) &&
      ((r.peerGroup !== undefined && from.groups.includes(r.peerGroup)) || (r.cidr !== undefined && cidrContains(r.cidr, vpcCidr))),
  );
  const egress = rules.some(
    (r) =>
      r.kind === 'egress' &&
      from.groups.includes(r.group) &&
      covers(r.port, port) &&
      ((r.peerGroup !== undefined && to.groups.includes(r.peerGroup)) || (r.cidr !== undefined && cidrContains(r.cidr, vpcCidr))),
  );
  return ingress && egress;
}

const describe = (p: PortRange) => (p.protocol === '-1' ? 'all traffic' : `${p.protocol} ${p.from === p.to ? p.from : `${p.from}-${p.to}`}`);

/** Session Manager reaches an instance whose profile's role carries AmazonSSMManagedInstanceCore. */
function hasSessionManager(plan: readonly PlannedResource[], instance: PlannedResource): boolean {
  const profile = byName(plan, T.INSTANCE_PROFILE, instance.inputs.iamInstanceProfile) ?? byId(plan, instance.inputs.iamInstanceProfile, T.INSTANCE_PROFILE);
  if (!profile) return false;
  const role = byName(plan, T.ROLE, profile.inputs.role);
  const roleName = role ? (role.inputs.name ?? role.name) : profile.inputs.role;
  return plan.some(
    (r) =>
      r.type === T.ROLE_POLICY_ATTACHMENT &&
      (r.inputs.role === roleName || r.inputs.role === role?.name) &&
      String(r.inputs.policyArn).endsWith(`/${SSM_MANAGED_POLICY}`),
  );
}

export function checkReachability(file: string, plan: readonly PlannedResource[], env: Environment, manifests: readonly Manifest[]): PlanFinding[] {
  if (env.provider.kind !== 'aws-kubeadm') return [];
  const vpcCidr = env.provider.network.vpcCidr;
  const rules = rulesOf(plan);
  const classes = nodeClasses(plan, env);
  const findings: PlanFinding[] = [];
  const finding = (object: string | undefined, problem: string, fix: string) => findings.push({ rule: RULE, severity: 'error', file, object, problem, fix });

  const { needs, nodePorts } = manifestNeeds(manifests, classes);
  const seen = new Set<string>();
  for (const need of [...modelNeeds(env, classes), ...needs]) {
    const key = `${need.from.id}>${need.to.id}>${describe(need.port)}`;
    if (seen.has(key) || allowed(rules, need.from, need.to, need.port, vpcCidr)) continue;
    seen.add(key);
    finding(
      need.to.resource && objectOf(need.to.resource),
      `${need.why}, but no ingress rule on ${need.to.id}'s security group admits ${describe(need.port)} from ${need.from.id}'s group (or no egress lets it out)`,
      `add the rule in infra/firewall.ts securityGroupRules`,
    );
  }

  const pools = classes.filter((c) => c.id.startsWith('pool '));
  for (const { why, port } of nodePorts) {
    for (const pool of pools) {
      const open = rules.some((r) => r.kind === 'ingress' && pool.groups.includes(r.group) && r.cidr !== undefined && cidrContains(r.cidr, vpcCidr) && covers(r.port, { protocol: 'tcp', from: port, to: port }));
      if (!open) finding(pool.resource && objectOf(pool.resource), `${why} listens on node port ${port}, but ${pool.id}'s group does not admit tcp ${port} from the VPC ${vpcCidr}`, 'open the NodePort range from the VPC in infra/firewall.ts');
    }
  }

  const bastion = classes.find((c) => c.id === 'bastion');
  if (!bastion?.resource) {
    finding(undefined, 'the plan has no bastion, so the operator cannot reach the private API endpoint', 'create the bastion (infra/bastion.ts)');
  } else {
    const ssm = hasSessionManager(plan, bastion.resource);
    const sshOpen = bastion.resource.inputs.keyName !== undefined && rules.some((r) => r.kind === 'ingress' && bastion.groups.includes(r.group) && r.cidr !== undefined && covers(r.port, { protocol: 'tcp', from: 22, to: 22 }));
    if (!ssm && !sshOpen) {
      finding(
        objectOf(bastion.resource),
        `with these settings the operator cannot reach the bastion: it has no instance profile with ${SSM_MANAGED_POLICY} (Session Manager) and no SSH key with SSH open from a configured CIDR, and the API endpoint is private`,
        `give the bastion an instance profile whose role has arn:aws:iam::aws:policy/${SSM_MANAGED_POLICY}`,
      );
    }
  }
  return findings;
}
