/**
 * The nodes an environment guarantees, as the scheduler sees them (labels, taints, how many at least),
 * and whether a pod template's constraints let it land on them.
 */
import { NODE_POOL_LABEL, WINDOWS_BUILD_LABEL } from '../contracts/labels';
import { tolerates } from '../constructs/platform';
import type { Toleration } from '../constructs/k8s';
import { Environment, Taint } from '../environments';
import { asString, at, JsonObject, objects, stringMap } from '../guardrails/object';
import { formatSelector, labelSelector, matches, Selector } from '../guardrails/selector';

export const CONTROL_PLANE_ROLE = 'node-role.kubernetes.io/control-plane';

/** Identical nodes: a worker pool, or the kubeadm control planes. */
export interface NodeGroup {
  /** `pool linux-amd64`, `control planes`. */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  /** Nodes always present: the pool's `min`, the control-plane count. */
  readonly count: number;
}

export function nodeGroupsOf(env: Environment): NodeGroup[] {
  const pools: NodeGroup[] = env.nodePools.map((pool) => ({
    name: `pool ${pool.name}`,
    // What the kubelet registers: its well-known labels plus the pool's --node-labels.
    labels: {
      ...pool.labels,
      [NODE_POOL_LABEL]: pool.name,
      'kubernetes.io/os': pool.os,
      'kubernetes.io/arch': pool.arch,
      ...(pool.windowsBuild ? { [WINDOWS_BUILD_LABEL]: pool.windowsBuild } : {}),
    },
    taints: pool.taints,
    count: pool.min,
  }));
  // MicroK8s control planes are untainted boards the environment's one pool already describes.
  if (env.provider.kind !== 'aws-kubeadm') return pools;
  const controlPlane = env.provider.controlPlane;
  return [
    ...pools,
    {
      name: 'control planes',
      labels: { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': controlPlane.arch, [CONTROL_PLANE_ROLE]: '' },
      taints: [{ key: CONTROL_PLANE_ROLE, effect: 'NoSchedule' }],
      count: controlPlane.count,
    },
  ];
}

/** What a pod template asks of its node (RuntimeClass scheduling already merged in). */
export interface PodConstraints {
  readonly nodeSelector: Readonly<Record<string, string>>;
  /** Required node affinity: the node must match one term (none = no constraint). */
  readonly affinityTerms: readonly Selector[];
  readonly tolerations: readonly Toleration[];
}

/** Reads a pod spec's constraints; `runtimeClassScheduling` is the `scheduling` of its RuntimeClass. */
export function podConstraints(podSpec: JsonObject, runtimeClassScheduling?: JsonObject): PodConstraints {
  const terms = objects(at(podSpec, 'affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms'));
  return {
    nodeSelector: { ...stringMap(podSpec.nodeSelector), ...stringMap(runtimeClassScheduling?.nodeSelector) },
    affinityTerms: terms.map((term) => labelSelector({ matchExpressions: term.matchExpressions })),
    // Admission adds the RuntimeClass' tolerations the pod does not already carry.
    tolerations: [
      ...new Map(
        [...objects(podSpec.tolerations), ...objects(runtimeClassScheduling?.tolerations)].map((t) => [[t.key, t.operator ?? 'Equal', t.value, t.effect].join('|'), t]),
      ).values(),
    ] as Toleration[],
  };
}

function formatTaint(t: Taint): string {
  return `${t.key}${t.value === undefined ? '' : `=${t.value}`}:${t.effect}`;
}

/** Why `group` cannot take the pod, one reason per failed constraint; empty when it can. */
export function blockers(group: NodeGroup, pod: PodConstraints): string[] {
  const reasons: string[] = [];
  for (const [key, value] of Object.entries(pod.nodeSelector)) {
    const has = group.labels[key];
    if (has !== value) reasons.push(has === undefined ? `no label ${key}` : `${key}=${has}, not ${value}`);
  }
  if (pod.affinityTerms.length && !pod.affinityTerms.some((term) => matches(term, { ...group.labels }))) {
    reasons.push(`matches no required node-affinity term (${pod.affinityTerms.map(formatSelector).join(' | ')})`);
  }
  // PreferNoSchedule only steers; NoSchedule and NoExecute keep a pod off.
  for (const taint of group.taints) {
    if (taint.effect !== 'PreferNoSchedule' && !tolerates(pod.tolerations, taint)) reasons.push(`taint ${formatTaint(taint)} not tolerated`);
  }
  return reasons;
}

/** `kubernetes.io/os=linux, tolerating os=windows:NoSchedule` — what a pod asks, for messages. */
export function describeConstraints(pod: PodConstraints): string {
  const parts = Object.entries(pod.nodeSelector).map(([k, v]) => `${k}=${v}`);
  if (pod.affinityTerms.length) parts.push(`node affinity ${pod.affinityTerms.map(formatSelector).join(' | ')}`);
  const tolerations = pod.tolerations.map((t) =>
    t.operator === 'Exists' ? `${t.key ?? '*'}${t.effect ? `:${t.effect}` : ''} (exists)` : `${t.key}=${asString(t.value) ?? ''}${t.effect ? `:${t.effect}` : ''}`,
  );
  return `${parts.join(', ') || 'any node'}${tolerations.length ? `, tolerating ${tolerations.join(', ')}` : ', no tolerations'}`;
}
