import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { Toleration } from './k8s';
import { NodePoolShape, place, Placement, runtimeClassNameOf, WINDOWS_BUILD_LABEL, WorkloadPlatform } from './platform';

export interface MixedArchClusterProps {
  /** Environment name, for refusals. */
  readonly envName: string;
  /** The worker pools (control planes are tainted and never take workloads). */
  readonly nodePools: readonly NodePoolShape[];
}

/**
 * The cluster-wide view of a mixed OS/arch cluster, fed by the environment's node pools: the
 * RuntimeClass of each platform, and the placement of every workload on a pool that can run it.
 */
export class MixedArchCluster extends Construct {
  readonly envName: string;
  readonly nodePools: readonly NodePoolShape[];

  constructor(scope: Construct, id: string, props: MixedArchClusterProps) {
    super(scope, id);
    this.envName = props.envName;
    this.nodePools = props.nodePools;
    const platforms = new Map<string, NodePoolShape>();
    for (const pool of props.nodePools) platforms.set(runtimeClassNameOf(pool), pool);
    for (const [name, pool] of [...platforms].sort(([a], [b]) => a.localeCompare(b))) {
      this.renderRuntimeClass(name, pool);
    }
  }

  /**
   * Where a workload of `platform` runs; refuses (naming `who`) when no pool can take it.
   * `tolerations` are the workload's own, for pools tainted for other reasons than the platform.
   */
  place(who: string, platform: WorkloadPlatform, tolerations: readonly Toleration[] = []): Placement {
    return place(who, this.envName, this.nodePools, platform, tolerations);
  }

  private renderRuntimeClass(name: string, pool: NodePoolShape): void {
    const nodeSelector: Record<string, string> = { 'kubernetes.io/os': pool.os, 'kubernetes.io/arch': pool.arch };
    if (pool.os === 'windows') nodeSelector[WINDOWS_BUILD_LABEL] = pool.windowsBuild!;
    const tolerations = pool.taints
      .filter((t) => t.key === 'os')
      .map((t) => ({ key: t.key, operator: 'Equal', value: t.value, effect: t.effect }));
    new ApiObject(this, `RuntimeClass-${name}`, {
      apiVersion: 'node.k8s.io/v1',
      kind: 'RuntimeClass',
      metadata: { name },
      // containerd's handler names: runc on Linux, runhcs-wcow-process for process-isolated Windows.
      handler: pool.os === 'windows' ? 'runhcs-wcow-process' : 'runc',
      scheduling: { nodeSelector, tolerations: tolerations.length ? tolerations : undefined },
    });
  }
}
