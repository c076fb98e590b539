import { Construct } from 'constructs';
import { BatchJob, minBackoffSeconds } from '../constructs/batch-job';
import { BatchCronJob } from '../constructs/cron-job';
import { refuse } from '../constructs/errors';
import { ImageRuntime, Resources } from '../constructs/pod-template';
import { BatchSettings } from '../environments';
import { smallNamespace, WorkloadChart, WorkloadContext } from './context';

export const batchNamespace = smallNamespace('batch');

// ruby:alpine and alpine run as root by default; these programs only print, so they run as nobody.
const AS_NOBODY: ImageRuntime = { runAsUser: 65534 };
const SMALL: Resources = { requests: { cpu: '50m', memory: '32Mi' }, limits: { cpu: '200m', memory: '64Mi' } };
const RUBY: Resources = { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } };
const RUBY_IMAGE = 'ruby:3.3-alpine';

/**
 * Kubernetes on AWS, ch. 4: Jobs `fib` and `luck`, CronJob `fun-with-cron`. The Jobs keep the book's names; a
 * Job's pod template is immutable, so changing one (say `fibCount`) needs `kubectl delete job/fib`
 * before the next apply, which then runs it again.
 */
export class BatchChart extends WorkloadChart {
  constructor(scope: Construct, { cluster, settings }: WorkloadContext<BatchSettings>) {
    super(scope, 'batch');
    if (!Number.isInteger(settings.fibCount) || settings.fibCount < 1) {
      refuse(this, 'fibCount', `${settings.fibCount} is not a positive count of Fibonacci numbers`, 'use an integer of 1 or more (the book prints 100)');
    }
    const place = (id: string) => cluster.place(`${this.node.path}/${id}`, { os: 'linux' });
    const namespace = batchNamespace.name;

    new BatchJob(this, 'fib', {
      namespace,
      name: 'fib',
      placement: place('fib'),
      container: {
        name: 'fib',
        image: RUBY_IMAGE,
        command: ['ruby'],
        args: ['-e', `a,b = 0,1\n${settings.fibCount}.times { puts b = (a = a+b) - b }\n`],
        resources: RUBY,
        runtime: AS_NOBODY,
      },
      activeDeadlineSeconds: 300,
    });

    // Exits 0 one time in ten: the Job starts new pods until one succeeds or backoffLimit is spent.
    new BatchJob(this, 'luck', {
      namespace,
      name: 'luck',
      placement: place('luck'),
      container: { name: 'luck', image: RUBY_IMAGE, command: ['ruby'], args: ['-e', 'exit rand(10)'], resources: RUBY, runtime: AS_NOBODY },
      backoffLimit: settings.luckBackoffLimit,
      // Every retry's back-off, plus five minutes for image pulls and the runs themselves.
      activeDeadlineSeconds: minBackoffSeconds(settings.luckBackoffLimit) + 300,
    });

    new BatchCronJob(this, 'fun-with-cron', {
      namespace,
      name: 'fun-with-cron',
      schedule: '* * * * *',
      placement: place('fun-with-cron'),
      podLabels: { cronjob: 'fun-with-cron' },
      restartPolicy: 'OnFailure',
      container: { name: 'how-soon-is-now', image: 'alpine:3.6', command: ['/bin/date'], resources: SMALL, runtime: AS_NOBODY },
      // Each run fits in its minute, so Forbid skips nothing unless a run hangs.
      concurrencyPolicy: 'Forbid',
      backoffLimit: 2,
      activeDeadlineSeconds: 50,
      startingDeadlineSeconds: 30,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
    });
  }
}
