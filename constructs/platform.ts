import { WINDOWS_BUILD_LABEL } from '../contracts/labels';
import { refuse } from './errors';
import type { Toleration } from './k8s';

export type Os = 'linux' | 'windows';
export type Arch = 'amd64' | 'arm64';

/** What a workload's images need. `arch` unset means the image is multi-arch. */
export interface WorkloadPlatform {
  readonly os: Os;
  readonly arch?: Arch;
  /** Windows images are tied to a host build (`10.0.17763` for `1809`/Server 2019 images). */
  readonly windowsBuild?: string;
}

export interface PoolTaint {
  readonly key: string;
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** The shape of a node pool MixedArchCluster needs (an environment's `NodePool` satisfies it). */
export interface NodePoolShape {
  readonly name: string;
  readonly os: Os;
  readonly arch: Arch;
  readonly windowsBuild?: string;
  /** Nodes always present (the auto scaling group's minimum). */
  readonly min: number;
  readonly taints: readonly PoolTaint[];
}

/**
 * Where a workload may run, computed from the node pools: the constraints to put on its pod
 * template, and how many nodes are guaranteed eligible (for anti-affinity arithmetic).
 */
export interface Placement {
  readonly platform: WorkloadPlatform;
  /** Always carries `kubernetes.io/os`; `kubernetes.io/arch` when the image is single-arch. */
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: readonly Toleration[];
  /** Windows pods name the RuntimeClass of their build. */
  readonly runtimeClassName?: string;
  /** Sum of the eligible pools' minimum sizes. */
  readonly eligibleNodes: number;
  /** Names of the pools the workload can land on. */
  readonly pools: readonly string[];
  /** The nodes run images loaded by hand (minikube, kind), so `imagePullPolicy: Never` works. @default false */
  readonly localImages?: boolean;
}

const OS_LABEL = 'kubernetes.io/os';
const ARCH_LABEL = 'kubernetes.io/arch';
export { WINDOWS_BUILD_LABEL };

export function describePlatform(p: WorkloadPlatform): string {
  const base = `${p.os}/${p.arch ?? '*'}`;
  return p.windowsBuild ? `${base} (build ${p.windowsBuild})` : base;
}

/** The RuntimeClass name of a platform: `linux-amd64`, `windows-10.0.17763`. */
export function runtimeClassNameOf(p: WorkloadPlatform): string {
  return p.os === 'windows' ? `windows-${p.windowsBuild}` : `linux-${p.arch}`;
}

function poolRuns(pool: NodePoolShape, p: WorkloadPlatform): boolean {
  return (
    pool.os === p.os &&
    (p.arch === undefined || pool.arch === p.arch) &&
    (p.windowsBuild === undefined || pool.windowsBuild === p.windowsBuild)
  );
}

/**
 * A taint that dedicates a pool to its platform (`os=windows:NoSchedule`): workloads built for that
 * platform tolerate it automatically. Any other taint (a GPU pool, say) must be tolerated explicitly.
 */
function isPlatformTaint(pool: NodePoolShape, taint: PoolTaint): boolean {
  return (
    ((taint.key === 'os' || taint.key === OS_LABEL) && taint.value === pool.os) ||
    ((taint.key === 'arch' || taint.key === ARCH_LABEL) && taint.value === pool.arch)
  );
}

export function tolerates(tolerations: readonly Toleration[], taint: PoolTaint): boolean {
  return tolerations.some((t) => {
    const keyMatches =
      // An absent value is the empty string, as in the API (k8s.io/api core/v1 Toleration.ToleratesTaint).
      t.operator === 'Exists' ? t.key === undefined || t.key === taint.key : t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
    return keyMatches && (t.effect === undefined || t.effect === taint.effect);
  });
}

function tolerationFor(taint: PoolTaint): Toleration {
  return taint.value === undefined
    ? { key: taint.key, operator: 'Exists', effect: taint.effect }
    : { key: taint.key, operator: 'Equal', value: taint.value, effect: taint.effect };
}

/**
 * Places a workload of `platform` on `pools`, or refuses with the pools it could not use.
 * `who` is the construct path or file the refusal names; `extraTolerations` are the workload's own.
 */
export function place(
  who: string,
  envName: string,
  pools: readonly NodePoolShape[],
  platform: WorkloadPlatform,
  extraTolerations: readonly Toleration[] = [],
): Placement {
  if (platform.os === 'windows' && !platform.windowsBuild) {
    refuse(who, 'platform.windowsBuild', 'a Windows image runs only on the host build it was built for', "set windowsBuild, e.g. '10.0.17763' for 1809 images");
  }
  const matching = pools.filter((pool) => poolRuns(pool, platform));
  const tolerations: Toleration[] = [...extraTolerations];
  const eligible: NodePoolShape[] = [];
  for (const pool of matching) {
    for (const taint of pool.taints) {
      if (isPlatformTaint(pool, taint) && !tolerates(tolerations, taint)) tolerations.push(tolerationFor(taint));
    }
    if (pool.taints.every((taint) => tolerates(tolerations, taint))) eligible.push(pool);
  }
  if (eligible.length === 0) {
    const have = pools.map((p) => `${p.name} (${describePlatform(p)}${p.taints.length ? `, taints ${p.taints.map((t) => `${t.key}=${t.value ?? ''}:${t.effect}`).join(',')}` : ''})`);
    refuse(
      who,
      'platform',
      `no node pool of environment "${envName}" can run ${describePlatform(platform)}: pools are ${have.join('; ') || 'none'}`,
      `add a matching pool to environments/${envName}.ts, tolerate the pool's taints, or leave the workload out there with { omitted: '<why>' }`,
    );
  }
  const nodeSelector: Record<string, string> = { [OS_LABEL]: platform.os };
  if (platform.arch) nodeSelector[ARCH_LABEL] = platform.arch;
  if (platform.windowsBuild) nodeSelector[WINDOWS_BUILD_LABEL] = platform.windowsBuild;
  return {
    platform,
    nodeSelector,
    tolerations,
    runtimeClassName: platform.os === 'windows' ? runtimeClassNameOf(platform) : undefined,
    eligibleNodes: eligible.reduce((n, p) => n + p.min, 0),
    pools: eligible.map((p) => p.name),
  };
}
