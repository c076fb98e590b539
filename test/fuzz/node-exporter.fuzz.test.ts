import fc from 'fast-check';
import { App, Chart } from 'cdk8s';
import { DaemonSetStrategy, HostMount, NodeExporterDaemonSet, NodeExporterDaemonSetProps } from '../../constructs/node-exporter-daemonset';
import { MixedArchCluster } from '../../constructs/mixed-arch-cluster';
import type { NodePoolShape } from '../../constructs/platform';
import { Manifest } from '../util/synth';
import { compact, maybe, mostly, pools, resources, roomyPools } from './generators';
import { fuzzConstruct } from './harness';

const DIGEST = `@sha256:${'fedcba9876543210'.repeat(4)}`;

/** node-exporter releases, pinned or not. */
const image = mostly(
  fc.constantFrom('quay.io/prometheus/node-exporter:v1.9.1', 'quay.io/prometheus/node-exporter:v1.8.2', `quay.io/prometheus/node-exporter${DIGEST}`, 'prom/node-exporter:v1.9.0'),
  fc.constantFrom('quay.io/prometheus/node-exporter', 'quay.io/prometheus/node-exporter:latest', 'prom/node-exporter:', 'Quay.io/prometheus/node-exporter:v1.9.1'),
  6,
);

const strategy: fc.Arbitrary<DaemonSetStrategy> = mostly(
  fc.constantFrom<DaemonSetStrategy>({ type: 'RollingUpdate', maxUnavailable: 1 }, { type: 'RollingUpdate', maxUnavailable: '10%' }, { type: 'RollingUpdate', maxUnavailable: 2 }, { type: 'OnDelete' }),
  fc.constantFrom<number | string>(0, -1, 1.5, '0%', '100%', '101%', '5', 'ten%').map((maxUnavailable) => ({ type: 'RollingUpdate' as const, maxUnavailable })),
  4,
);

const validMount: fc.Arbitrary<HostMount> = fc
  .record({
    which: fc.constantFrom(
      { name: 'textfile', hostPath: '/var/lib/node_exporter', mountPath: '/host/textfile', reason: 'metrics written by cron jobs' },
      { name: 'udev', hostPath: '/run/udev', mountPath: '/run/udev', reason: 'device properties for the diskstats collector' },
    ),
    readOnly: maybe(fc.constant(true), 0.3),
    propagation: maybe(fc.constantFrom('None' as const, 'HostToContainer' as const), 0.3),
  })
  .map(({ which, ...rest }) => compact({ ...which, ...rest }));

/** Writable, relative, reasonless, clashing with the defaults, not a DNS label. */
const invalidMount: fc.Arbitrary<HostMount> = fc.constantFrom<HostMount>(
  { name: 'textfile', hostPath: '/var/lib/node_exporter', mountPath: '/host/textfile', readOnly: false, reason: 'writes' },
  { name: 'rel', hostPath: 'var/lib', mountPath: '/host/rel', reason: 'relative' },
  { name: 'noreason', hostPath: '/etc', mountPath: '/host/etc', reason: '  ' },
  { name: 'proc', hostPath: '/proc', mountPath: '/host/proc2', reason: 'same name as a default' },
  { name: 'proc2', hostPath: '/proc', mountPath: '/host/proc', reason: 'same path as a default' },
  { name: 'Textfile_Dir', hostPath: '/var/lib/node_exporter', mountPath: '/host/textfile', reason: 'not a DNS label' },
);

const extraArgs = fc.subarray(['--no-collector.wifi', '--collector.textfile.directory=/host/textfile', '--path.procfs=/proc', '--web.listen-address=:9101', '--path.rootfs']).chain((args) =>
  // Overriding flags are refused; keep them rare.
  fc.boolean().map((keepOverrides) => (keepOverrides ? args : args.filter((a) => !/^--(path|web)\./.test(a)))),
);

const scenario = fc.record({
  props: fc
    .record({
      image: maybe(image, 0.6),
      resources: maybe(resources, 0.4),
      nodeSelector: maybe(mostly(fc.constant<Record<string, string>>({ monitoring: 'prometheus' }), fc.constant<Record<string, string>>({ 'kubernetes.io/os': 'windows' }), 5), 0.4),
      updateStrategy: maybe(strategy, 0.6),
      extraHostMounts: maybe(mostly(fc.uniqueArray(validMount, { maxLength: 2, selector: (m) => m.name }), fc.array(invalidMount, { minLength: 1, maxLength: 2 }), 4), 0.4),
      extraArgs: maybe(extraArgs, 0.4),
      priority: maybe(mostly(fc.constantFrom(1, 1_000_000, 1_000_000_000), fc.constantFrom(0, -5, 1.5, 1_000_000_001, 2_000_000_000), 5), 0.4),
      windows: maybe(
        fc
          .record({
            image: maybe(mostly(fc.constantFrom('ghcr.io/prometheus-community/windows-exporter:0.31.2', 'ghcr.io/prometheus-community/windows-exporter:0.30.0'), fc.constantFrom('ghcr.io/prometheus-community/windows-exporter', 'ghcr.io/prometheus-community/windows-exporter:latest'), 5)),
            resources: maybe(resources),
          })
          .map(compact),
        0.4,
      ),
    })
    .map((p) => compact(p) as Omit<NodeExporterDaemonSetProps, 'namespace' | 'cluster'>),
  pools: mostly<NodePoolShape[]>(roomyPools, pools, 2),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer S> ? S : never;

function build({ props, pools }: Scenario): Manifest[] {
  const app = new App({ outdir: 'unused' });
  const cluster = new MixedArchCluster(new Chart(app, 'cluster'), 'cluster', { envName: 'fuzz', nodePools: pools });
  const chart = new Chart(app, 'test');
  new NodeExporterDaemonSet(chart, 'exporters', { namespace: 'monitoring', cluster, ...props });
  return chart.toJson();
}


describe('NodeExporterDaemonSet (property-based)', () => {
  fuzzConstruct('NodeExporterDaemonSet', scenario, build);
});
