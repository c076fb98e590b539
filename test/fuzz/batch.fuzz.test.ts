import fc from 'fast-check';
import { App, Chart } from 'cdk8s';
import { BatchJob, BatchJobProps, JobRunProps } from '../../constructs/batch-job';
import { BatchCronJob, BatchCronJobProps } from '../../constructs/cron-job';
import { MixedArchCluster } from '../../constructs/mixed-arch-cluster';
import type { WorkloadPlatform } from '../../constructs/platform';
import { Manifest } from '../util/synth';
import { compact, image, maybe, mostly, platform, resources, roomyPools, runtime } from './generators';
import { fuzzConstruct } from './harness';

/** A batch container: no ports, usually no probes (a Job does not serve). */
const container = fc
  .record({
    image,
    resources,
    runtime,
    command: maybe(fc.constantFrom(['ruby', '-e', 'exit rand(10)'], ['/bin/date'], ['sh', '-c', 'echo "a: b" # on'])),
    floatingTagReason: maybe(fc.constantFrom('the publisher ships only latest', ''), 0.05),
  })
  .map((c) => compact({ name: 'work', ...c }) as JobRunProps['container']);

const run = fc.record({
  container,
  podLabels: maybe(fc.constantFrom<Record<string, string>>({ cronjob: 'fun-with-cron' }, { 'app.kubernetes.io/name': 'other' }), 0.3),
  restartPolicy: maybe(mostly(fc.constantFrom('Never' as const, 'OnFailure' as const), fc.constant('Always' as unknown as 'Never'), 12)),
  backoffLimit: maybe(mostly(fc.integer({ min: 0, max: 6 }), fc.constantFrom(-1, 2.5, 20), 9)),
  activeDeadlineSeconds: maybe(mostly(fc.constantFrom(60, 600, 3600), fc.constantFrom(0, 5, 30, 1.5), 4)),
});

const schedule = mostly(
  fc.constantFrom('* * * * *', '*/5 * * * *', '0 3 * * MON-FRI', '15,45 */2 1-15 JAN,JUL ?', '@hourly', '@daily', '0 0 1 * SUN'),
  fc.constantFrom('* * * *', '60 * * * *', '5-1 * * * *', '*/0 * * * *', '@every 5m', 'TZ=UTC * * * * *', '* * * * 7', '', 'a b c d e'),
  4,
);

const cronOnly = fc.record({
  name: mostly(fc.constantFrom('fun-with-cron', 'tick'), fc.constant('x'.repeat(53)), 12),
  schedule,
  timeZone: maybe(mostly(fc.constantFrom('UTC', 'Europe/Berlin', 'America/Argentina/Buenos_Aires'), fc.constantFrom('utc', 'Mars/Olympus Mons', '+02:00'), 3), 0.3),
  concurrencyPolicy: maybe(fc.constantFrom('Allow' as const, 'Forbid' as const, 'Replace' as const)),
  successfulJobsHistoryLimit: maybe(mostly(fc.integer({ min: 0, max: 5 }), fc.constantFrom(-1, 0.5), 9)),
  failedJobsHistoryLimit: maybe(mostly(fc.integer({ min: 0, max: 5 }), fc.constantFrom(-1, 0.5), 9)),
  startingDeadlineSeconds: maybe(mostly(fc.constantFrom(10, 60, 300), fc.constantFrom(0, 9, 15.5), 6)),
});

const placement = fc.record({ pools: roomyPools, platform: mostly<WorkloadPlatform>(fc.constant({ os: 'linux' }), platform, 6) });

const jobScenario = fc.record({
  props: fc
    .record({
      run,
      name: fc.constantFrom('fib', 'luck'),
      labels: maybe(fc.constantFrom<Record<string, string>>({ team: 'books' }), 0.3),
      ttlSecondsAfterFinished: maybe(mostly(fc.constantFrom(0, 3600, 86400), fc.constantFrom(-1, 1.5), 9)),
    })
    .map(({ run, ...rest }) => compact({ ...run, ...rest }) as Omit<BatchJobProps, 'namespace' | 'placement'>),
  where: placement,
});

const cronScenario = fc.record({
  props: fc.record({ run, cron: cronOnly }).map(({ run, cron }) => compact({ ...run, ...cron }) as Omit<BatchCronJobProps, 'namespace' | 'placement'>),
  where: placement,
});

function inCluster(where: { pools: typeof roomyPools extends fc.Arbitrary<infer P> ? P : never; platform: WorkloadPlatform }, add: (chart: Chart, cluster: MixedArchCluster) => void): Manifest[] {
  const app = new App({ outdir: 'unused' });
  const cluster = new MixedArchCluster(new Chart(app, 'cluster'), 'cluster', { envName: 'fuzz', nodePools: where.pools });
  const chart = new Chart(app, 'test');
  add(chart, cluster);
  return chart.toJson();
}

describe('batch (property-based)', () => {
  fuzzConstruct('BatchJob', jobScenario, ({ props, where }) =>
    inCluster(where, (chart, cluster) => new BatchJob(chart, 'job', { namespace: 'batch', placement: cluster.place('test/job', where.platform), ...props })),
  );
  fuzzConstruct('BatchCronJob', cronScenario, ({ props, where }) =>
    inCluster(where, (chart, cluster) => new BatchCronJob(chart, 'cron', { namespace: 'batch', placement: cluster.place('test/cron', where.platform), ...props })),
  );
});
