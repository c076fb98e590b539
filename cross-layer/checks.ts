/**
 * Cross-layer guardrails: the environment model feeds the manifests (cdk8s) and the
 * infrastructure (Pulumi, kubeadm bootstrap); these checks compare what each side actually renders,
 * so the two halves cannot drift apart. Each refusal names the environment, both sides and the fix.
 * What the model alone decides (CIDR syntax and overlaps, an odd control-plane count, the edge
 * board list) is the environment schema's and the edge model's job, checked before any rendering.
 */
import { parseAllDocuments } from 'yaml';
import { Environment } from '../environments';
import { renderKubeadmConfig } from '../infra/bootstrap';
import { parseIpv4Network } from '../contracts/cidr';
import { Finding } from '../contracts/finding';
import { readManifests, Manifest } from '../guardrails/manifest';
import { asObject, asString, at, JsonObject, objects } from '../guardrails/object';
import { labelSelector, matches } from '../guardrails/selector';
import { podTemplateOf } from '../guardrails/workload';
import { blockers, describeConstraints, NodeGroup, nodeGroupsOf, podConstraints, PodConstraints } from './nodes';
import { FirewallRule, securityGroupRules } from '../infra/firewall';
import { checkPolicyEnforcement } from './policy-enforcement';
import { checkAddonVersions, checkNodeAgentCoverage } from './addons';

/** What the two halves rendered for one environment; each check runs on the layers it is given. */
export interface Layers {
  /** The synthesized manifests, as synthesis holds them (`dist/<env>/<name>`). */
  readonly files?: ReadonlyArray<{ readonly name: string; readonly objects: readonly unknown[] }>;
  /** The security-group rules; by default what infra/firewall.ts derives from the model (tests pass broken copies). */
  readonly firewall?: readonly FirewallRule[];
}

/** Where a refusal points: the environment field to edit, or the rendered object that disagrees. */
interface Where {
  readonly field?: string;
  readonly manifest?: Manifest;
}

type Refuse = (check: string, problem: string, fix: string, where?: Where) => void;

/**
 * Every cross-layer refusal of `env`. A finding about a rendered object names its file and object; one
 * about the model names `environments/<env>.ts` and the field.
 */
export function checkEnvironment(env: Environment, layers: Layers = {}): Finding[] {
  const found: Finding[] = [];
  const refuse: Refuse = (rule, problem, fix, where = {}) =>
    found.push({
      rule,
      severity: 'error',
      file: where.manifest?.file ?? source(env),
      object: where.manifest?.ref,
      field: where.field,
      problem,
      fix,
    });
  const manifests = layers.files && readManifests(layers.files.flatMap((f) => f.objects.map((object) => ({ file: `dist/${env.name}/${f.name}`, object })))).manifests;
  // MicroK8s brings its own CNI (Calico) and no kubeadm: there is no flannel Network or podSubnet to compare.
  if (env.provider.kind === 'aws-kubeadm') checkPodCidr(env, manifests, refuse);
  if (manifests) {
    checkPlacement(env, manifests, refuse);
    // MicroK8s nodes sit on a LAN with no security group between clients and NodePorts.
    if (env.provider.kind === 'aws-kubeadm') checkNodePorts(env, manifests, layers.firewall ?? securityGroupRules(env), refuse);
    found.push(...checkPolicyEnforcement(env, manifests), ...checkNodeAgentCoverage(env, manifests), ...checkAddonVersions(env, manifests));
  }
  return found;
}

/** checkEnvironment on what synthesis rendered; the infrastructure side is derived from the model, never read from generated files. */
export function checkSynthesized(rendered: { readonly env: Environment; readonly files: Layers['files'] }): Finding[] {
  return checkEnvironment(rendered.env, { files: rendered.files });
}

function source(env: Environment): string {
  return `environments/${env.name}.ts`;
}

// Parse-only inputs for renderKubeadmConfig: the networking section does not depend on them.
const PLACEHOLDER_ENDPOINT = { host: 'api.cross-layer.invalid', port: 6443 };
const PLACEHOLDER_SECRETS = { bootstrapToken: 'abcdef.0123456789abcdef', certificateKey: '0'.repeat(64) };

/** kubeadm's `networking` as the control planes' user-data would carry it. */
function kubeadmNetworking(env: Environment): JsonObject {
  const docs = parseAllDocuments(renderKubeadmConfig(env, PLACEHOLDER_ENDPOINT, PLACEHOLDER_SECRETS)).map((d) => d.toJS() as unknown);
  const clusterConfiguration = docs.find((d) => asString(at(d, 'kind')) === 'ClusterConfiguration');
  return asObject(at(clusterConfiguration, 'networking')) ?? {};
}

/** The `Network` of every flannel net-conf.json the manifests carry, by the ConfigMap holding it. */
function flannelNetworks(manifests: readonly Manifest[]): Array<{ manifest: Manifest; network: string | undefined }> {
  return manifests
    .filter((m) => m.kind === 'ConfigMap' && typeof at(m.object, 'data', 'net-conf.json') === 'string')
    .map((m) => {
      let network: string | undefined;
      try {
        network = asString(at(JSON.parse(at(m.object, 'data', 'net-conf.json') as string), 'Network'));
      } catch {
        network = undefined;
      }
      return { manifest: m, network };
    });
}

function checkPodCidr(env: Environment, manifests: readonly Manifest[] | undefined, refuse: Refuse): void {
  const { podCidr, serviceCidr } = env.cluster;
  const networking = kubeadmNetworking(env);
  for (const [field, want, key] of [['podCidr', podCidr, 'podSubnet'], ['serviceCidr', serviceCidr, 'serviceSubnet']] as const) {
    if (networking[key] !== want) {
      refuse(
        'pod-cidr',
        `kubeadm ClusterConfiguration networking.${key} is ${JSON.stringify(networking[key])}, but the model says ${want}`,
        `make infra/bootstrap/kubeadm.ts render networking.${key} from env.cluster.${field}`,
        { field: `cluster.${field}` },
      );
    }
  }
  if (!manifests) return;
  const flannel = flannelNetworks(manifests);
  if (flannel.length === 0) {
    refuse(
      'pod-cidr',
      `kubeadm (podSubnet ${podCidr}) installs no pod network, but the manifests carry no flannel net-conf.json`,
      "render flannel for aws-kubeadm environments (MixedArchCluster networking: 'flannel')",
      { field: 'cluster.podCidr' },
    );
  }
  for (const { manifest, network } of flannel) {
    if (network !== podCidr) {
      refuse(
        'pod-cidr',
        `flannel Network ${network ?? '(unreadable)'} differs from kubeadm networking.podSubnet ${podCidr} (${source(env)} cluster.podCidr); ` +
          'nodes would get pod subnets outside the cluster CIDR and cross-node pod traffic would not route',
        'render net-conf.json with renderFlannelNetConf(env.cluster.podCidr) and re-run npm run synth',
        { manifest, field: 'data["net-conf.json"].Network' },
      );
    }
  }
}

const WORKLOAD_KINDS = new Set(['Deployment', 'DaemonSet', 'StatefulSet', 'ReplicaSet', 'Job', 'CronJob']);

function describeGroups(groups: readonly NodeGroup[], pod: PodConstraints): string {
  return groups.map((g) => `${g.name} (${blockers(g, pod).join('; ')})`).join(', ');
}

function checkPlacement(env: Environment, manifests: readonly Manifest[], refuse: Refuse): void {
  const groups = nodeGroupsOf(env);
  const runtimeClasses = new Map(manifests.filter((m) => m.kind === 'RuntimeClass').map((m) => [m.name, m]));
  for (const m of manifests.filter((m) => WORKLOAD_KINDS.has(m.kind))) {
    const template = podTemplateOf(m);
    if (!template) continue;
    const runtimeClassName = asString(template.spec.runtimeClassName);
    const runtimeClass = runtimeClassName === undefined ? undefined : runtimeClasses.get(runtimeClassName);
    if (runtimeClassName !== undefined && !runtimeClass) {
      refuse('placement', `names RuntimeClass "${runtimeClassName}", which the environment does not render`, 'add a node pool of that platform, or drop runtimeClassName', { manifest: m, field: `${template.path}.runtimeClassName` });
      continue;
    }
    const pod = podConstraints(template.spec, asObject(at(runtimeClass?.object, 'scheduling')));
    const eligible = groups.filter((g) => blockers(g, pod).length === 0);
    if (eligible.length === 0) {
      refuse(
        'placement',
        `needs ${describeConstraints(pod)}, but no node of ${source(env)} serves it: ${describeGroups(groups, pod)}`,
        `add a node pool with those labels and taints to ${source(env)}, adjust the workload's selector/tolerations, or leave it out there with { omitted: '<why>' }`,
        { manifest: m, field: template.path },
      );
      continue;
    }
    checkAntiAffinity(env, m, template.labels, template.spec, pod, eligible, groups, refuse);
  }
}

/** A rollout's extra pods (maxSurge, rounded up) and the ones it may take down (maxUnavailable, rounded down). */
function rollingBounds(m: Manifest, replicas: number): { surge: number; unavailable: number } | undefined {
  if (m.kind !== 'Deployment' || (asString(at(m.object, 'spec', 'strategy', 'type')) ?? 'RollingUpdate') !== 'RollingUpdate') return undefined;
  const resolve = (value: unknown, round: (n: number) => number) =>
    typeof value === 'number' ? value : round((replicas * Number(String(value ?? '25%').replace('%', ''))) / 100);
  return {
    surge: resolve(at(m.object, 'spec', 'strategy', 'rollingUpdate', 'maxSurge'), Math.ceil),
    unavailable: resolve(at(m.object, 'spec', 'strategy', 'rollingUpdate', 'maxUnavailable'), Math.floor),
  };
}

function checkAntiAffinity(
  env: Environment,
  m: Manifest,
  labels: Record<string, string>,
  podSpec: JsonObject,
  pod: PodConstraints,
  eligible: readonly NodeGroup[],
  groups: readonly NodeGroup[],
  refuse: Refuse,
): void {
  if (!['Deployment', 'StatefulSet', 'ReplicaSet'].includes(m.kind)) return;
  const onePerNode = objects(at(podSpec, 'affinity', 'podAntiAffinity', 'requiredDuringSchedulingIgnoredDuringExecution')).some(
    (term) => term.topologyKey === 'kubernetes.io/hostname' && term.namespaces === undefined && matches(labelSelector(term.labelSelector), labels),
  );
  if (!onePerNode) return;
  const replicas = typeof at(m.object, 'spec', 'replicas') === 'number' ? (at(m.object, 'spec', 'replicas') as number) : 1;
  const nodes = eligible.reduce((n, g) => n + g.count, 0);
  const excluded = groups.filter((g) => !eligible.includes(g));
  const where = `${eligible.map((g) => `${g.name}: ${g.count}`).join(', ')}${excluded.length ? `; excluded: ${describeGroups(excluded, pod)}` : ''}`;
  if (replicas > nodes) {
    refuse(
      'anti-affinity',
      `wants ${replicas} replicas, one per node (required podAntiAffinity on kubernetes.io/hostname), but ${source(env)} guarantees only ${nodes} eligible node(s) (${where}); ${replicas - nodes} pod(s) would stay Pending`,
      `lower the replicas to ${nodes}, raise the eligible pools' min, or make the anti-affinity preferred`,
      { manifest: m, field: 'spec.replicas' },
    );
    return;
  }
  const rollout = rollingBounds(m, replicas);
  if (rollout && rollout.unavailable === 0 && replicas + rollout.surge > nodes) {
    refuse(
      'anti-affinity',
      `rolls out with maxSurge ${rollout.surge} and maxUnavailable 0, so it needs ${replicas + rollout.surge} nodes for one pod per node, but ${source(env)} guarantees ${nodes} (${where}); every rollout would stall`,
      'set maxSurge: 0 and maxUnavailable: 1, or raise the eligible pools\' min',
      { manifest: m, field: 'spec.strategy.rollingUpdate' },
    );
  }
}

const DEFAULT_NODE_PORT_RANGE = { from: 30000, to: 32767 };

/** Whether the union of `ranges` covers every port in from..to. */
function coversAll(ranges: ReadonlyArray<{ from: number; to: number }>, from: number, to: number): boolean {
  let next = from;
  for (const r of [...ranges].sort((a, b) => a.from - b.from)) {
    if (r.from > next) break;
    next = Math.max(next, r.to + 1);
    if (next > to) return true;
  }
  return next > to;
}

/**
 * NodePort Services must be reachable on the workers from the VPC (where the load balancers and the
 * bastion sit): the node security group's CIDR rules, derived from the same model the Pulumi program
 * builds them from, must open each port.
 */
function checkNodePorts(env: Environment, manifests: readonly Manifest[], firewall: readonly FirewallRule[], refuse: Refuse): void {
  if (env.provider.kind !== 'aws-kubeadm') return;
  const services = manifests.filter((m) => m.kind === 'Service' && at(m.object, 'spec', 'type') === 'NodePort');
  if (services.length === 0) return;
  const vpcCidr = env.provider.network.vpcCidr;
  const vpc = parseIpv4Network(vpcCidr);
  const fromCidrs = firewall.flatMap((r) =>
    r.kind === 'ingress' && r.group === 'nodes' && 'cidr' in r.peer && (r.port.protocol === 'tcp' || r.port.protocol === '-1')
      ? [{ purpose: r.purpose, cidr: r.peer.cidr, from: r.port.protocol === '-1' ? 0 : r.port.from, to: r.port.protocol === '-1' ? 65535 : r.port.to }]
      : [],
  );
  // A rule opens a port to the VPC when its source contains the whole VPC.
  const fromVpc = fromCidrs.filter((r) => {
    const source = parseIpv4Network(r.cidr);
    return vpc && source && source.first <= vpc.first && vpc.last <= source.last;
  });
  const describe = () =>
    fromCidrs.length ? fromCidrs.map((r) => `${r.purpose}: ${r.from}-${r.to} from ${r.cidr}`).join(', ') : 'no CIDR ingress rule on the nodes group';
  for (const service of services) {
    objects(at(service.object, 'spec', 'ports')).forEach((port, i) => {
      const nodePort = typeof port.nodePort === 'number' && port.nodePort !== 0 ? port.nodePort : undefined;
      const [from, to] = nodePort === undefined ? [DEFAULT_NODE_PORT_RANGE.from, DEFAULT_NODE_PORT_RANGE.to] : [nodePort, nodePort];
      if (coversAll(fromVpc, from, to)) return;
      refuse(
        'node-ports',
        `port ${asString(port.name) ?? String(port.port)} ${nodePort === undefined ? `gets any node port in ${from}-${to}` : `uses nodePort ${nodePort}`}, ` +
          `but the nodes security group admits from the VPC ${vpcCidr} only: ${describe()}`,
        `open ${from === to ? from : `${from}-${to}`} from the VPC on the nodes security group (infra/firewall.ts), or pick a nodePort inside the open range`,
        { manifest: service, field: `spec.ports[${i}].nodePort` },
      );
    });
  }
}
