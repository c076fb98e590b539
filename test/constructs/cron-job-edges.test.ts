/**
 * BatchCronJob edges: batch/v1 with explicit concurrencyPolicy, history limits and starting
 * deadline; every cron field's bounds from both sides, names, steps, ranges and macros; exact
 * refusals. Expected values come from the cron format (minute 0-59, hour 0-23, day 1-31, month
 * 1-12 or JAN-DEC, weekday 0-6 or SUN-SAT).
 */
import { App, Chart } from 'cdk8s';
import { BatchCronJob, BatchCronJobProps, scheduleProblem } from '../../constructs/cron-job';
import type { Placement } from '../../constructs/platform';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;

const placement: Placement = { platform: { os: 'linux' }, nodeSelector: { 'kubernetes.io/os': 'linux' }, tolerations: [], eligibleNodes: 3, pools: ['p'] };
const container = {
  name: 'tick',
  image: 'busybox:1.36',
  command: ['date'],
  resources: { requests: { cpu: '50m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
  runtime: { runAsUser: 65534 },
};

function cron(props: Partial<BatchCronJobProps> = {}): Obj {
  const chart = new Chart(new App({ outdir: 'unused' }), 'c');
  new BatchCronJob(chart, 'cron', { namespace: 'batch', name: 'tick', schedule: '*/5 * * * *', container, placement, ...props });
  const objects = chart.toJson();
  expect(objects).toHaveLength(1);
  return objects[0];
}

function refusal(props: Partial<BatchCronJobProps>): string {
  try {
    cron(props);
  } catch (err) {
    expect((err as Error).name).toBe('ConstructError');
    return (err as Error).message;
  }
  throw new Error('expected a refusal, got none');
}

describe('the CronJob', () => {
  test('defaults: Forbid, 60s starting deadline, 3 and 1 Jobs kept, the Job defaults', () => {
    const c = cron();
    expect(c.apiVersion).toBe('batch/v1');
    expect(c.kind).toBe('CronJob');
    expect(c.metadata).toEqual({ name: 'tick', namespace: 'batch', labels: { 'app.kubernetes.io/name': 'tick' } });
    const { jobTemplate, ...spec } = c.spec;
    expect(spec).toEqual({ schedule: '*/5 * * * *', concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 60, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    const { template, ...job } = jobTemplate.spec;
    expect(Object.keys(jobTemplate)).toEqual(['spec']);
    expect(job).toEqual({ backoffLimit: 3, activeDeadlineSeconds: 600 });
    expect(template.metadata).toEqual({ labels: { 'app.kubernetes.io/name': 'tick' } });
    expect(template.spec.restartPolicy).toBe('Never');
  });

  test('every option passes through', () => {
    const c = cron({
      labels: { team: 'x' },
      podLabels: { cronjob: 'tick' },
      schedule: '@hourly',
      timeZone: 'Europe/Berlin',
      concurrencyPolicy: 'Replace',
      successfulJobsHistoryLimit: 0,
      failedJobsHistoryLimit: 0,
      startingDeadlineSeconds: 10,
      backoffLimit: 1,
      activeDeadlineSeconds: 11,
      restartPolicy: 'OnFailure',
      container: { ...container, image: 'busybox:latest', floatingTagReason: 'the book uses latest' },
    });
    expect(c.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'tick', team: 'x' });
    expect(Object.values(c.metadata.annotations)).toEqual(['image-tag: the book uses latest']);
    const { jobTemplate, ...spec } = c.spec;
    expect(spec).toEqual({ schedule: '@hourly', timeZone: 'Europe/Berlin', concurrencyPolicy: 'Replace', startingDeadlineSeconds: 10, successfulJobsHistoryLimit: 0, failedJobsHistoryLimit: 0 });
    expect([jobTemplate.spec.backoffLimit, jobTemplate.spec.activeDeadlineSeconds]).toEqual([1, 11]);
    expect(jobTemplate.spec.template.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'tick', cronjob: 'tick' });
    expect(jobTemplate.spec.template.spec.restartPolicy).toBe('OnFailure');
    expect(cron({ concurrencyPolicy: 'Allow' }).spec.concurrencyPolicy).toBe('Allow');
  });

  test('the Job rules apply to the job template', () => {
    expect(refusal({ activeDeadlineSeconds: 70 })).toMatch(/^c\/cron: activeDeadlineSeconds: 70s ends the Job during the back-off/);
  });
});

describe('refusals', () => {
  test('an invalid schedule', () => {
    expect(refusal({ schedule: '* * * *' })).toBe(
      `c/cron: schedule: "* * * *" is not a valid schedule: it has 4 field(s), not the 5 of minute hour day-of-month month day-of-week. Fix: write five fields such as '*/5 * * * *', or a macro such as '@hourly'; put the zone in timeZone`,
    );
  });

  test('name: 52 characters accepted, 53 refused', () => {
    expect(cron({ name: 'a'.repeat(52) }).metadata.name).toHaveLength(52);
    expect(refusal({ name: 'a'.repeat(53) })).toBe(`c/cron: name: "${'a'.repeat(53)}" is 53 characters; the Jobs it creates append 11 and must fit in 63. Fix: use at most 52 characters`);
  });

  test('time zones', () => {
    for (const tz of ['UTC', 'Europe/Berlin', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5', 'America/Port-au-Prince']) expect(cron({ timeZone: tz }).spec.timeZone).toBe(tz);
    for (const tz of ['utc', 'Europe', 'europe/berlin', 'A/B/C/D', 'Mars/Olympus Mons', '', 'UTC/x/', 'XUTC']) {
      expect(refusal({ timeZone: tz })).toBe(`c/cron: timeZone: "${tz}" is not an IANA time zone name. Fix: use a name such as 'Europe/Berlin' or 'UTC'`);
    }
  });

  test('history limits: 0 accepted, -1 and fractions refused', () => {
    expect(refusal({ successfulJobsHistoryLimit: -1 })).toBe('c/cron: successfulJobsHistoryLimit: -1 is not a count of Jobs. Fix: use 0 or more');
    expect(refusal({ failedJobsHistoryLimit: -1 })).toBe('c/cron: failedJobsHistoryLimit: -1 is not a count of Jobs. Fix: use 0 or more');
    expect(refusal({ failedJobsHistoryLimit: 0.5 })).toBe('c/cron: failedJobsHistoryLimit: 0.5 is not a count of Jobs. Fix: use 0 or more');
    expect(cron({ successfulJobsHistoryLimit: 5, failedJobsHistoryLimit: 2 }).spec).toMatchObject({ successfulJobsHistoryLimit: 5, failedJobsHistoryLimit: 2 });
  });

  test('starting deadline: 10 accepted, 9 and fractions refused', () => {
    expect(cron({ startingDeadlineSeconds: 10 }).spec.startingDeadlineSeconds).toBe(10);
    for (const bad of [9, 10.5]) {
      expect(refusal({ startingDeadlineSeconds: bad })).toBe(`c/cron: startingDeadlineSeconds: ${bad}s is shorter than the controller's 10s check interval, so runs may never start. Fix: use 10 or more`);
    }
  });
});

describe('scheduleProblem', () => {
  test.each([
    '* * * * *',
    '0 0 1 1 0',
    '59 23 31 12 6',
    '*/5 * * * *',
    '0-59/15 0-23 1-31 1-12 0-6',
    '5-5 * * * *',
    '1,2,3 * * * *',
    '0 9 * JAN-DEC MON-FRI',
    '0 9 * jan sun',
    '0 9 ? * ?',
    '0 0 1 DEC SAT',
    '  0 0 * * *  ',
    '0\t0  * * *',
    '@yearly',
    '@annually',
    '@monthly',
    '@weekly',
    '@daily',
    '@midnight',
    '@hourly',
    ' @hourly ',
  ])('accepts %p', (schedule) => {
    expect(scheduleProblem(schedule)).toBeUndefined();
  });

  test.each([
    ['TZ=UTC * * * * *', 'a time zone inside the schedule is not supported'],
    ['CRON_TZ=Europe/Berlin 0 0 * * *', 'a time zone inside the schedule is not supported'],
    ['@every 5m', '"@every 5m" is not one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly'],
    ['@Hourly', '"@Hourly" is not one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly'],
    ['* * * * * *', 'it has 6 field(s), not the 5 of minute hour day-of-month month day-of-week'],
    ['', 'it has 1 field(s), not the 5 of minute hour day-of-month month day-of-week'],
    ['60 * * * *', 'minute "60" is outside 0-59'],
    ['-1 * * * *', 'minute "-1" is outside 0-59'],
    ['* 24 * * *', 'hour "24" is outside 0-23'],
    ['* * 0 * *', 'day of month "0" is outside 1-31'],
    ['* * 32 * *', 'day of month "32" is outside 1-31'],
    ['* * * 0 *', 'month "0" is outside 1-12'],
    ['* * * 13 *', 'month "13" is outside 1-12'],
    ['* * * * 7', 'day of week "7" is outside 0-6'],
    ['MON * * * *', 'minute "MON" is outside 0-59'],
    ['* * * MON *', 'month "MON" is outside 1-12'],
    ['* * * * JAN', 'day of week "JAN" is outside 0-6'],
    ['? * * * *', 'minute "?" is outside 0-59'],
    ['* ? * * *', 'hour "?" is outside 0-23'],
    ['* * * ? *', 'month "?" is outside 1-12'],
    ['1.5 * * * *', 'minute "1.5" is outside 0-59'],
    ['1-5-7 * * * *', 'minute "1-5-7" is outside 0-59'],
    ['1- * * * *', 'minute "1-" is outside 0-59'],
    ['1,2,61 * * * *', 'minute "61" is outside 0-59'],
    ['1, * * * *', 'minute "" is outside 0-59'],
    ['5-1 * * * *', 'minute "5-1" is a backwards range'],
    ['* * * DEC-JAN *', 'month "DEC-JAN" is a backwards range'],
    ['* * * * SAT-SUN', 'day of week "SAT-SUN" is a backwards range'],
    ['*/0 * * * *', 'minute "*/0" has an invalid step'],
    ['*/x * * * *', 'minute "*/x" has an invalid step'],
    ['*/ * * * *', 'minute "*/" has an invalid step'],
    ['1/2/3 * * * *', 'minute "1/2/3" has an invalid step'],
    ['* */-1 * * *', 'hour "*/-1" has an invalid step'],
  ])('refuses %p: %s', (schedule, problem) => {
    expect(scheduleProblem(schedule)).toBe(problem);
  });

  test('names count from the field minimum: JAN is month 1, SUN is weekday 0', () => {
    expect(scheduleProblem('* * * JAN-1 *')).toBeUndefined();
    expect(scheduleProblem('* * * 2-JAN *')).toBe('month "2-JAN" is a backwards range');
    expect(scheduleProblem('* * * * SUN-0')).toBeUndefined();
    expect(scheduleProblem('* * * * 1-SUN')).toBe('day of week "1-SUN" is a backwards range');
    expect(scheduleProblem('* * * DEC-12 *')).toBeUndefined();
    expect(scheduleProblem('* * * * SAT-6')).toBeUndefined();
  });
});
