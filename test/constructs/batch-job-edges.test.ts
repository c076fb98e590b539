/**
 * BatchJob edges: the Job's exact fields and defaults (backoffLimit 3, deadline 600, TTL a day,
 * restartPolicy Never), the doubling back-off capped at 5 minutes, and each count threshold from
 * both sides. Expected values are computed by hand (10 + 20 + 40 ... capped at 300).
 */
import { App, Chart } from 'cdk8s';
import { BatchJob, BatchJobProps, minBackoffSeconds, renderJobSpec } from '../../constructs/batch-job';
import type { Placement } from '../../constructs/platform';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;

const placement: Placement = { platform: { os: 'linux' }, nodeSelector: { 'kubernetes.io/os': 'linux' }, tolerations: [], eligibleNodes: 3, pools: ['p'] };
const container = {
  name: 'work',
  image: 'ruby:3.3-alpine',
  command: ['ruby', '-e', 'puts 1'],
  resources: { requests: { cpu: '50m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
  runtime: { runAsUser: 65534 },
};

function job(props: Partial<BatchJobProps> = {}): Obj {
  const chart = new Chart(new App({ outdir: 'unused' }), 'c');
  new BatchJob(chart, 'job', { namespace: 'batch', name: 'work', container, placement, ...props });
  const objects = chart.toJson();
  expect(objects).toHaveLength(1);
  return objects[0];
}

function refusal(props: Partial<BatchJobProps>): string {
  try {
    job(props);
  } catch (err) {
    expect((err as Error).name).toBe('ConstructError');
    return (err as Error).message;
  }
  throw new Error('expected a refusal, got none');
}

test('minBackoffSeconds: 10s doubling, each retry capped at 300s', () => {
  expect([0, 1, 2, 3, 4, 5, 6, 7].map(minBackoffSeconds)).toEqual([0, 10, 30, 70, 150, 310, 610, 910]);
});

describe('the Job', () => {
  test('defaults', () => {
    const j = job();
    expect(j.apiVersion).toBe('batch/v1');
    expect(j.kind).toBe('Job');
    expect(j.metadata).toEqual({ name: 'work', namespace: 'batch', labels: { 'app.kubernetes.io/name': 'work' } });
    const { template, ...spec } = j.spec;
    expect(spec).toEqual({ backoffLimit: 3, activeDeadlineSeconds: 600, ttlSecondsAfterFinished: 86400 });
    expect(template.metadata).toEqual({ labels: { 'app.kubernetes.io/name': 'work' } });
    expect(template.spec.restartPolicy).toBe('Never');
    expect(template.spec.containers[0].command).toEqual(['ruby', '-e', 'puts 1']);
    expect(template.spec.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
  });

  test('labels, pod labels, OnFailure, counts and a waiver', () => {
    const j = job({
      labels: { team: 'x' },
      podLabels: { cronjob: 'fun' },
      restartPolicy: 'OnFailure',
      backoffLimit: 0,
      activeDeadlineSeconds: 1,
      ttlSecondsAfterFinished: 0,
      container: { ...container, image: 'ruby:latest', floatingTagReason: 'demo of a moving tag' },
    });
    expect(j.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'work', team: 'x' });
    expect(Object.values(j.metadata.annotations)).toEqual(['image-tag: demo of a moving tag']);
    expect(j.spec.template.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'work', cronjob: 'fun' });
    expect(j.spec.template.spec.restartPolicy).toBe('OnFailure');
    expect([j.spec.backoffLimit, j.spec.activeDeadlineSeconds, j.spec.ttlSecondsAfterFinished]).toEqual([0, 1, 0]);
  });

  test('construct property jobName', () => {
    const chart = new Chart(new App({ outdir: 'unused' }), 'c');
    expect(new BatchJob(chart, 'j', { namespace: 'n', name: 'migrate', container, placement }).jobName).toBe('migrate');
  });
});

describe('deadline against the back-off', () => {
  test('3 retries (70s of back-off): 71s accepted, 70s refused', () => {
    expect(job({ activeDeadlineSeconds: 71 }).spec.activeDeadlineSeconds).toBe(71);
    expect(refusal({ activeDeadlineSeconds: 70 })).toBe(
      'c/job: activeDeadlineSeconds: 70s ends the Job during the back-off before its 3 retries can all run (the back-off alone takes 70s). Fix: raise activeDeadlineSeconds above 70 plus the run time, or lower backoffLimit',
    );
  });

  test('6 retries (610s, the cap reached): the default 600s is refused, 611s accepted', () => {
    expect(refusal({ backoffLimit: 6 })).toBe(
      'c/job: activeDeadlineSeconds: 600s ends the Job during the back-off before its 6 retries can all run (the back-off alone takes 610s). Fix: raise activeDeadlineSeconds above 610 plus the run time, or lower backoffLimit',
    );
    expect(job({ backoffLimit: 6, activeDeadlineSeconds: 611 }).spec.backoffLimit).toBe(6);
    expect(job({ backoffLimit: 5 }).spec.backoffLimit).toBe(5);
  });
});

describe('refusals', () => {
  test('counts below their minimum or fractional', () => {
    expect(refusal({ backoffLimit: -1 })).toBe('c/job: backoffLimit: -1 is not an integer of at least 0. Fix: use 0 (no retry) or more');
    expect(refusal({ backoffLimit: 1.5 })).toBe('c/job: backoffLimit: 1.5 is not an integer of at least 0. Fix: use 0 (no retry) or more');
    expect(refusal({ activeDeadlineSeconds: 0, backoffLimit: 0 })).toBe('c/job: activeDeadlineSeconds: 0 is not an integer of at least 1. Fix: give the Job a positive number of seconds');
    expect(refusal({ activeDeadlineSeconds: 600.5 })).toBe('c/job: activeDeadlineSeconds: 600.5 is not an integer of at least 1. Fix: give the Job a positive number of seconds');
    expect(refusal({ ttlSecondsAfterFinished: -1 })).toBe('c/job: ttlSecondsAfterFinished: -1 is not an integer of at least 0. Fix: use 0 (delete at once) or more seconds');
  });

  test("restartPolicy Always, which never completes", () => {
    expect(refusal({ restartPolicy: 'Always' as never })).toBe(
      `c/job: restartPolicy: "Always" restarts a pod that succeeded, so the Job could never complete (the API rejects it). Fix: use 'Never' or 'OnFailure'`,
    );
  });
});

test('renderJobSpec refuses at the given scope', () => {
  const scope = new Chart(new App({ outdir: 'unused' }), 'scope');
  expect(() => renderJobSpec(scope, 'x', { container, placement, backoffLimit: -2 })).toThrow('scope: backoffLimit: -2 is not an integer of at least 0. Fix: use 0 (no retry) or more');
});
