import { errorsOf } from '../contracts/finding';
import { App, Chart } from 'cdk8s';
import { BatchJob, BatchJobProps, minBackoffSeconds } from '../constructs/batch-job';
import { BatchCronJob, BatchCronJobProps, scheduleProblem } from '../constructs/cron-job';
import { BatchSettings, Environment, getEnvironment } from '../environments';
import { checkRendered } from '../synth/check';
import { renderEnvironment } from '../synth/render';
import { BatchChart } from '../charts/batch';
import { find, linuxPools, Manifest, synthObjects, testCluster } from './util/synth';

const container = {
  name: 'work',
  image: 'ruby:3.3-alpine',
  command: ['ruby', '-e', 'puts 1'],
  resources: { requests: { cpu: '50m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
  runtime: { runAsUser: 65534 },
};

function job(props: Partial<BatchJobProps> = {}): Manifest {
  return find(
    synthObjects((chart: Chart) => {
      const placement = testCluster(chart).place('test/job', { os: 'linux' });
      new BatchJob(chart, 'job', { namespace: 'batch', name: 'work', container, placement, ...props });
    }),
    'Job',
  );
}

function cron(props: Partial<BatchCronJobProps> = {}): Manifest {
  return find(
    synthObjects((chart: Chart) => {
      const placement = testCluster(chart).place('test/cron', { os: 'linux' });
      new BatchCronJob(chart, 'cron', { namespace: 'batch', name: 'tick', schedule: '*/5 * * * *', container, placement, ...props });
    }),
    'CronJob',
  );
}

function refusal(build: () => unknown): string {
  try {
    build();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('BatchJob', () => {
  test('defaults: batch/v1, Never, 3 retries, a 600s deadline, deleted a day after finishing', () => {
    const j = job();
    expect(j.apiVersion).toBe('batch/v1');
    expect(j.metadata).toMatchObject({ name: 'work', namespace: 'batch', labels: { 'app.kubernetes.io/name': 'work' } });
    expect(j.spec).toMatchObject({ backoffLimit: 3, activeDeadlineSeconds: 600, ttlSecondsAfterFinished: 86400 });
    expect(j.spec.selector).toBeUndefined();
    const pod = j.spec.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(pod.os).toEqual({ name: 'linux' });
    expect(pod.containers[0].securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65534, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    expect(pod.containers[0].resources.limits).toEqual({ cpu: '100m', memory: '64Mi' });
  });

  test('options pass through', () => {
    const j = job({ restartPolicy: 'OnFailure', backoffLimit: 1, activeDeadlineSeconds: 60, ttlSecondsAfterFinished: 0, labels: { team: 'a' }, podLabels: { run: 'x' } });
    expect(j.spec).toMatchObject({ backoffLimit: 1, activeDeadlineSeconds: 60, ttlSecondsAfterFinished: 0 });
    expect(j.spec.template.spec.restartPolicy).toBe('OnFailure');
    expect(j.metadata.labels.team).toBe('a');
    expect(j.spec.template.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'work', run: 'x' });
  });

  test('minBackoffSeconds doubles from 10s and caps at 5 minutes', () => {
    expect([0, 1, 2, 4, 7].map(minBackoffSeconds)).toEqual([0, 10, 30, 150, 910]);
  });

  describe('refuses', () => {
    test('restartPolicy Always, which never completes', () => {
      expect(refusal(() => job({ restartPolicy: 'Always' as 'Never' }))).toBe(
        'test/job: restartPolicy: "Always" restarts a pod that succeeded, so the Job could never complete (the API rejects it). Fix: use \'Never\' or \'OnFailure\'',
      );
    });

    test('a deadline that ends the Job inside its back-off', () => {
      expect(refusal(() => job({ backoffLimit: 4, activeDeadlineSeconds: 150 }))).toMatch(
        /activeDeadlineSeconds: 150s ends the Job during the back-off before its 4 retries can all run \(the back-off alone takes 150s\)/,
      );
      expect(job({ backoffLimit: 4, activeDeadlineSeconds: 151 }).spec.activeDeadlineSeconds).toBe(151);
    });

    test('negative or fractional counts', () => {
      expect(refusal(() => job({ backoffLimit: -1 }))).toMatch(/backoffLimit: -1 is not an integer of at least 0/);
      expect(refusal(() => job({ activeDeadlineSeconds: 0 }))).toMatch(/activeDeadlineSeconds: 0 /);
      expect(refusal(() => job({ ttlSecondsAfterFinished: 1.5 }))).toMatch(/ttlSecondsAfterFinished: 1.5 /);
    });

    test('an unpinned image', () => {
      expect(refusal(() => job({ container: { ...container, image: 'ruby:latest' } }))).toMatch(/test\/job: image: .*"latest"/);
    });
  });
});

describe('BatchCronJob', () => {
  test('defaults: batch/v1, Forbid, history 3/1, a 60s starting deadline', () => {
    const c = cron();
    expect(c.apiVersion).toBe('batch/v1');
    expect(c.spec).toMatchObject({ schedule: '*/5 * * * *', concurrencyPolicy: 'Forbid', successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1, startingDeadlineSeconds: 60 });
    expect(c.spec.timeZone).toBeUndefined();
    expect(c.spec.jobTemplate.spec).toMatchObject({ backoffLimit: 3, activeDeadlineSeconds: 600 });
    expect(c.spec.jobTemplate.spec.ttlSecondsAfterFinished).toBeUndefined();
    expect(c.spec.jobTemplate.spec.template.spec.restartPolicy).toBe('Never');
  });

  test('options pass through', () => {
    const c = cron({
      timeZone: 'Europe/Berlin',
      concurrencyPolicy: 'Replace',
      successfulJobsHistoryLimit: 0,
      failedJobsHistoryLimit: 5,
      startingDeadlineSeconds: 10,
      podLabels: { cronjob: 'tick' },
      labels: { team: 'a' },
      restartPolicy: 'OnFailure',
      backoffLimit: 0,
      activeDeadlineSeconds: 30,
    });
    expect(c.spec).toMatchObject({ timeZone: 'Europe/Berlin', concurrencyPolicy: 'Replace', successfulJobsHistoryLimit: 0, failedJobsHistoryLimit: 5, startingDeadlineSeconds: 10 });
    expect(c.metadata.labels.team).toBe('a');
    expect(c.spec.jobTemplate.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 30 });
    expect(c.spec.jobTemplate.spec.template.metadata.labels.cronjob).toBe('tick');
    expect(c.spec.jobTemplate.spec.template.spec.restartPolicy).toBe('OnFailure');
  });

  test.each(['* * * * *', '0 0 * * *', '30 5 1 * *', '30 17 * * 1', '*/15 9-17 * JAN-DEC MON-FRI', '0 0 ? * SUN', '5,35 */2 1-15/3 6 0-6', '@hourly', '@midnight'])(
    'accepts the schedule %s',
    (schedule) => expect(scheduleProblem(schedule)).toBeUndefined(),
  );

  test.each([
    ['* * * *', /4 field\(s\)/],
    ['60 * * * *', /minute "60" is outside 0-59/],
    ['* 24 * * *', /hour "24" is outside 0-23/],
    ['* * 0 * *', /day of month "0" is outside 1-31/],
    ['* * * 13 *', /month "13" is outside 1-12/],
    ['* * * * 7', /day of week "7" is outside 0-6/],
    ['? * * * *', /minute "\?"/],
    ['*/0 * * * *', /minute "\*\/0" has an invalid step/],
    ['10-5 * * * *', /backwards range/],
    ['@every 5m', /is not one of @yearly/],
    ['CRON_TZ=UTC * * * * *', /time zone inside the schedule/],
  ])('refuses the schedule %s', (schedule, problem) => {
    expect(scheduleProblem(schedule)).toMatch(problem);
  });

  describe('refuses', () => {
    test('an invalid schedule, naming the field and the fix', () => {
      expect(refusal(() => cron({ schedule: '61 * * * *' }))).toBe(
        'test/cron: schedule: "61 * * * *" is not a valid schedule: minute "61" is outside 0-59. Fix: write five fields such as \'*/5 * * * *\', or a macro such as \'@hourly\'; put the zone in timeZone',
      );
    });

    test('a name too long for the Jobs it creates', () => {
      expect(refusal(() => cron({ name: 'x'.repeat(53) }))).toMatch(/name: .* is 53 characters/);
    });

    test('a time zone that is not an IANA name', () => {
      expect(refusal(() => cron({ timeZone: 'CEST+2' }))).toMatch(/timeZone: "CEST\+2" is not an IANA time zone name/);
    });

    test('negative history limits and a starting deadline under 10s', () => {
      expect(refusal(() => cron({ successfulJobsHistoryLimit: -1 }))).toMatch(/successfulJobsHistoryLimit: -1 /);
      expect(refusal(() => cron({ failedJobsHistoryLimit: -1 }))).toMatch(/failedJobsHistoryLimit: -1 /);
      expect(refusal(() => cron({ startingDeadlineSeconds: 5 }))).toMatch(/startingDeadlineSeconds: 5s is shorter than the controller's 10s check interval/);
    });

    test('restartPolicy Always and a deadline inside the back-off, like a Job', () => {
      expect(refusal(() => cron({ restartPolicy: 'Always' as 'Never' }))).toMatch(/test\/cron: restartPolicy: "Always"/);
      expect(refusal(() => cron({ backoffLimit: 2, activeDeadlineSeconds: 30 }))).toMatch(/test\/cron: activeDeadlineSeconds: 30s/);
    });
  });
});

describe('batch chart', () => {
  const [dev, prod, edge] = ['dev', 'prod', 'edge'].map(getEnvironment);
  const rendered = new Map<string, ReturnType<typeof renderEnvironment>>();
  const render = (env: Environment) => rendered.get(env.name) ?? rendered.set(env.name, renderEnvironment(env)).get(env.name)!;
  const objects = (env: Environment) => render(env).files.find((f) => f.name === 'batch.yaml')!.objects as Manifest[];

  test("keeps the book's names, images, commands and labels", () => {
    const all = objects(prod);
    const fib = find(all, 'Job', 'fib').spec.template.spec;
    expect(fib.containers[0]).toMatchObject({ name: 'fib', image: 'ruby:3.3-alpine', command: ['ruby'] });
    expect(fib.containers[0].args[1]).toContain('100.times { puts b = (a = a+b) - b }');
    expect(fib.restartPolicy).toBe('Never');
    const luck = find(all, 'Job', 'luck');
    expect(luck.spec.template.spec.containers[0].args).toEqual(['-e', 'exit rand(10)']);
    expect(luck.spec.backoffLimit).toBe((prod.workloads.batch as BatchSettings).luckBackoffLimit);
    const cronJob = find(all, 'CronJob', 'fun-with-cron');
    expect(cronJob.apiVersion).toBe('batch/v1');
    expect(cronJob.spec).toMatchObject({ schedule: '* * * * *', concurrencyPolicy: 'Forbid', successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    const pod = cronJob.spec.jobTemplate.spec.template;
    expect(pod.metadata.labels.cronjob).toBe('fun-with-cron');
    expect(pod.spec.restartPolicy).toBe('OnFailure');
    expect(pod.spec.containers[0]).toMatchObject({ name: 'how-soon-is-now', image: 'alpine:3.6', command: ['/bin/date'] });
  });

  function batchChart(settings: BatchSettings): Manifest[] {
    const app = new App({ outdir: 'unused' });
    return new BatchChart(app, { env: dev, cluster: testCluster(new Chart(app, 'root'), linuxPools), settings }).toJson();
  }

  test('fibCount and luckBackoffLimit come from the environment', () => {
    const all = batchChart({ fibCount: 7, luckBackoffLimit: 9 });
    expect(find(all, 'Job', 'fib').spec.template.spec.containers[0].args[1]).toContain('7.times');
    const luck = find(all, 'Job', 'luck').spec;
    expect(luck.backoffLimit).toBe(9);
    expect(luck.activeDeadlineSeconds).toBeGreaterThan(minBackoffSeconds(9));
  });

  test('refuses a fibCount that is not a positive integer', () => {
    expect(refusal(() => batchChart({ fibCount: 0, luckBackoffLimit: 4 }))).toBe(
      'batch: fibCount: 0 is not a positive count of Fibonacci numbers. Fix: use an integer of 1 or more (the book prints 100)',
    );
    expect(refusal(() => batchChart({ fibCount: 2.5, luckBackoffLimit: 4 }))).toMatch(/fibCount: 2.5 /);
  });

  test('the batch namespace enforces the restricted Pod Security level', () => {
    const ns = render(prod).files.find((f) => f.name === '00-namespaces.yaml')!.objects.find((o) => o.kind === 'Namespace' && (o.metadata as Manifest).name === 'batch') as Manifest;
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test.each([dev, prod, edge])('passes the guardrails in $name', (env) => {
    expect(errorsOf(checkRendered(render(env))).filter((f) => f.file.endsWith('/batch.yaml'))).toEqual([]);
  });
});
