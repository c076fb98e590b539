import fc from 'fast-check';
import { App, Chart } from 'cdk8s';
import { HaWebApp } from '../../constructs/ha-web-app';
import type { Toleration } from '../../constructs/k8s';
import { MixedArchCluster, MixedArchClusterProps } from '../../constructs/mixed-arch-cluster';
import { NodePoolShape, Placement, WorkloadPlatform } from '../../constructs/platform';
import { oracleTolerates } from '../oracles/kubernetes';
import { Manifest } from '../util/synth';
import { compact, extraTolerations, maybe, mostly, platform, pools, roomyPools } from './generators';
import { fuzzConstruct } from './harness';

const cidr = (valid: string[]) => mostly(fc.constantFrom(...valid), fc.constantFrom('10.244.0.1/16', '10.244.0.0/33', '300.0.0.0/8', 'abc', ''), 6);

const clusterProps = fc
  .record({
    nodePools: mostly<NodePoolShape[]>(pools, roomyPools, 1),
    networking: maybe(fc.constantFrom('flannel' as const, 'provided' as const)),
    podCidr: maybe(cidr(['10.244.0.0/16', '192.168.0.0/16']), 0.8),
    serviceCidr: maybe(cidr(['10.96.0.0/12']), 0.8),
    kubernetesVersion: maybe(mostly(fc.constantFrom('1.34.2', '1.33.5'), fc.constantFrom('1.34', 'v1.34.2', '', '1.34.2-eks'), 4), 0.8),
    cloudProvider: maybe(fc.constantFrom('aws' as const, 'none' as const)),
    metricsServer: maybe(fc.boolean()),
  })
  .map((p) => compact({ envName: 'fuzz', ...p }) as MixedArchClusterProps);

/** A workload placed on the cluster: one platform (place) or one per container (placeAll). */
const workload = fc.record({
  platforms: mostly(fc.array(platform, { minLength: 1, maxLength: 1 }), fc.array(platform, { minLength: 0, maxLength: 3 }), 2),
  useAll: fc.boolean(),
  tolerations: maybe(extraTolerations, 0.4),
});

const scenario = fc.record({ cluster: clusterProps, workloads: fc.array(workload, { maxLength: 2 }) });

type Scenario = typeof scenario extends fc.Arbitrary<infer S> ? S : never;

/** What every Placement must satisfy, whatever the pools: checked on each one place()/placeAll() returns. */
function checkPlacement(cluster: MixedArchCluster, platform: WorkloadPlatform, placement: Placement, tolerations: readonly Toleration[]): void {
  const fail = (why: string) => {
    throw new Error(`placement of ${JSON.stringify(platform)} on ${JSON.stringify(cluster.nodePools)}: ${why}: ${JSON.stringify(placement)}`);
  };
  if (placement.nodeSelector['kubernetes.io/os'] !== platform.os) fail('nodeSelector lacks the OS');
  if (platform.arch && placement.nodeSelector['kubernetes.io/arch'] !== platform.arch) fail('nodeSelector lacks the arch');
  if (!placement.pools.length) fail('placed on no pool');
  const eligible = cluster.nodePools.filter((p) => placement.pools.includes(p.name));
  for (const pool of eligible) {
    if (pool.os !== platform.os || (platform.arch && pool.arch !== platform.arch)) fail(`pool ${pool.name} cannot run the platform`);
    for (const taint of pool.taints) if (!placement.tolerations.some((t) => oracleTolerates(t, taint))) fail(`pool ${pool.name}'s taint ${taint.key} is not tolerated`);
  }
  if (placement.eligibleNodes !== eligible.reduce((n, p) => n + p.min, 0)) fail('eligibleNodes is not the sum of the eligible pools');
  for (const t of tolerations) if (!placement.tolerations.some((p) => JSON.stringify(p) === JSON.stringify(t))) fail('dropped a workload toleration');
}

function build({ cluster: props, workloads }: Scenario): Manifest[] {
  const app = new App({ outdir: 'unused' });
  const clusterChart = new Chart(app, 'cluster');
  const cluster = new MixedArchCluster(clusterChart, 'cluster', props);
  const chart = new Chart(app, 'workloads');
  workloads.forEach((w, i) => {
    const who = `workloads/app-${i}`;
    const tolerations = w.tolerations ?? [];
    const placement = w.useAll || w.platforms.length !== 1 ? cluster.placeAll(who, w.platforms, tolerations) : cluster.place(who, w.platforms[0], tolerations);
    const merged: WorkloadPlatform = { os: w.platforms[0].os, arch: w.platforms.find((p) => p.arch)?.arch, windowsBuild: w.platforms.find((p) => p.windowsBuild)?.windowsBuild };
    checkPlacement(cluster, merged, placement, tolerations);
    new HaWebApp(chart, `app-${i}`, {
      namespace: 'apps',
      name: `app-${i}`,
      placement,
      nonHa: true,
      replicas: 1,
      container: {
        name: 'web',
        image: 'errm/versions:0.0.2',
        ports: [{ name: 'http', containerPort: 3000 }],
        resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
        readiness: { http: '/ready', port: 'http' },
        liveness: { http: '/healthz', port: 'http' },
      },
      service: { ports: [{ name: 'http', port: 80 }] },
    });
  });
  return [...clusterChart.toJson(), ...chart.toJson()];
}


describe('MixedArchCluster (property-based)', () => {
  // An environment with no pool and no add-on renders nothing, legitimately.
  fuzzConstruct('MixedArchCluster', scenario, build, { allowEmpty: true });
});
