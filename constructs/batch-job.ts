import { Manifest } from './manifest';
import { Construct, IConstruct } from 'constructs';
import { refuse } from './errors';
import type { JobSpec } from './k8s';
import { ContainerProps, renderPodTemplate, waiverAnnotations } from './pod-template';
import { Placement } from './platform';

/** First retry delay and the cap of the (doubling) back-off between retries of a failed pod. */
const FIRST_BACKOFF_SECONDS = 10;
const MAX_BACKOFF_SECONDS = 300;

/** How a Job runs its pod; shared by BatchJob and BatchCronJob's job template. */
export interface JobRunProps {
  readonly container: ContainerProps;
  /** From MixedArchCluster: the OS (and arch) constraints of the image. */
  readonly placement: Placement;
  /** Extra pod labels, e.g. `cronjob: fun-with-cron` for `kubectl logs -l`. @default none */
  readonly podLabels?: Readonly<Record<string, string>>;
  /**
   * `Never`: each failure leaves its pod behind and the Job starts a new one (failures stay visible);
   * `OnFailure`: the kubelet restarts the container in the same pod. `Always` would never complete.
   * @default 'Never'
   */
  readonly restartPolicy?: 'Never' | 'OnFailure';
  /** Retries before the Job is marked failed. @default 3 */
  readonly backoffLimit?: number;
  /**
   * Wall-clock limit of the whole Job, retries and back-off included; must leave room for every
   * retry's back-off (10s, 20s, 40s ... capped at 5 min).
   * @default 600
   */
  readonly activeDeadlineSeconds?: number;
}

/** Shortest time the back-off alone takes before the last of `retries` retries can start. */
export function minBackoffSeconds(retries: number): number {
  let total = 0;
  for (let i = 0; i < retries; i++) total += Math.min(FIRST_BACKOFF_SECONDS * 2 ** i, MAX_BACKOFF_SECONDS);
  return total;
}

function checkCount(scope: IConstruct, field: string, value: number, min: number, fix: string): number {
  if (!Number.isInteger(value) || value < min) refuse(scope, field, `${value} is not an integer of at least ${min}`, fix);
  return value;
}

/** The spec of a Job (or of a CronJob's job template): pod template, retries and deadline. */
export function renderJobSpec(scope: IConstruct, name: string, props: JobRunProps): JobSpec {
  const restartPolicy = props.restartPolicy ?? 'Never';
  if (restartPolicy !== 'Never' && restartPolicy !== 'OnFailure') {
    refuse(scope, 'restartPolicy', `"${restartPolicy}" restarts a pod that succeeded, so the Job could never complete (the API rejects it)`, "use 'Never' or 'OnFailure'");
  }
  const backoffLimit = checkCount(scope, 'backoffLimit', props.backoffLimit ?? 3, 0, 'use 0 (no retry) or more');
  const deadline = checkCount(scope, 'activeDeadlineSeconds', props.activeDeadlineSeconds ?? 600, 1, 'give the Job a positive number of seconds');
  const backoff = minBackoffSeconds(backoffLimit);
  if (deadline <= backoff) {
    refuse(
      scope,
      'activeDeadlineSeconds',
      `${deadline}s ends the Job during the back-off before its ${backoffLimit} retries can all run (the back-off alone takes ${backoff}s)`,
      `raise activeDeadlineSeconds above ${backoff} plus the run time, or lower backoffLimit`,
    );
  }
  return {
    backoffLimit,
    activeDeadlineSeconds: deadline,
    template: renderPodTemplate(scope, {
      labels: { 'app.kubernetes.io/name': name, ...props.podLabels },
      container: props.container,
      placement: props.placement,
      restartPolicy,
    }),
  };
}

export interface BatchJobProps extends JobRunProps {
  readonly namespace: string;
  /** The Job's name, stable across releases (a Job is immutable, see BatchJob). */
  readonly name: string;
  /** Extra labels on the Job. */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Seconds after which the finished Job and its pods are deleted. After that, the next
   * `kubectl apply -f dist/<env>/` creates the Job again and it runs again.
   * @default 86400 (a day to read its logs)
   */
  readonly ttlSecondsAfterFinished?: number;
}

/**
 * A Job that runs its pod to successful completion, retrying up to `backoffLimit` times within
 * `activeDeadlineSeconds`. Its name is fixed (no hash suffix), and a Job's pod template is immutable:
 * re-applying a changed Job fails with "field is immutable", so delete the Job
 * (`kubectl delete job/<name>`) before applying the new version — which then runs again.
 */
export class BatchJob extends Construct {
  readonly jobName: string;

  constructor(scope: Construct, id: string, props: BatchJobProps) {
    super(scope, id);
    this.jobName = props.name;
    const ttl = checkCount(this, 'ttlSecondsAfterFinished', props.ttlSecondsAfterFinished ?? 86400, 0, 'use 0 (delete at once) or more seconds');
    new Manifest(this, 'Job', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: { 'app.kubernetes.io/name': props.name, ...props.labels },
        annotations: waiverAnnotations(props.container),
      },
      spec: { ...renderJobSpec(this, props.name, props), ttlSecondsAfterFinished: ttl },
    });
  }
}
