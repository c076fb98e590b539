import { Manifest } from './manifest';
import { Construct } from 'constructs';
import { JobRunProps, renderJobSpec } from './batch-job';
import { refuse } from './errors';
import { waiverAnnotations } from './pod-template';

/** Minimum, maximum and names of each of the five cron fields. */
const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31, any: true },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 6, any: true, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
] as const;

const MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

type Field = (typeof FIELDS)[number];

function valueOf(field: Field, text: string): number | undefined {
  const named = 'names' in field ? (field.names as readonly string[]).indexOf(text.toUpperCase()) : -1;
  const value = named >= 0 ? named + field.min : /^\d+$/.test(text) ? Number(text) : undefined;
  return value !== undefined && value >= field.min && value <= field.max ? value : undefined;
}

/** Why `item` (one comma-separated part of a field) is invalid, or undefined. */
function itemProblem(field: Field, item: string): string | undefined {
  const [range, step, extra] = item.split('/');
  if (extra !== undefined || (step !== undefined && !(/^\d+$/.test(step) && Number(step) > 0))) return `"${item}" has an invalid step`;
  if (range === '*' || (range === '?' && 'any' in field)) return undefined;
  const [from, to, more] = range.split('-');
  const start = valueOf(field, from);
  const end = to === undefined ? start : valueOf(field, to);
  if (more !== undefined || start === undefined || end === undefined) return `"${item}" is outside ${field.min}-${field.max}`;
  return start > end ? `"${item}" is a backwards range` : undefined;
}

/**
 * Why `schedule` is not a schedule the CronJob controller accepts, or undefined: five fields
 * (minute hour day-of-month month day-of-week) or a macro such as `@hourly`.
 */
export function scheduleProblem(schedule: string): string | undefined {
  const text = schedule.trim();
  if (/^(CRON_)?TZ=/.test(text)) return 'a time zone inside the schedule is not supported';
  if (text.startsWith('@')) return MACROS.has(text) ? undefined : `"${text}" is not one of ${[...MACROS].join(', ')}`;
  const parts = text.split(/\s+/);
  if (parts.length !== 5) return `it has ${parts.length} field(s), not the 5 of minute hour day-of-month month day-of-week`;
  for (const [i, part] of parts.entries()) {
    for (const item of part.split(',')) {
      const problem = itemProblem(FIELDS[i], item);
      if (problem) return `${FIELDS[i].name} ${problem}`;
    }
  }
  return undefined;
}

export interface BatchCronJobProps extends JobRunProps {
  readonly namespace: string;
  /** CronJob name; its Jobs are named `<name>-<scheduled minute>`, so keep it ≤ 52 characters. */
  readonly name: string;
  /** Extra labels on the CronJob. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Five-field cron expression or `@hourly`-style macro, e.g. `* * * * *` (every minute). */
  readonly schedule: string;
  /** IANA zone the schedule is read in. @default the kube-controller-manager's zone (UTC on kubeadm) */
  readonly timeZone?: string;
  /** What happens when a run is due while the last one still runs. @default 'Forbid' (skip the new run) */
  readonly concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
  /** Finished Jobs kept for `kubectl logs`. @default 3 */
  readonly successfulJobsHistoryLimit?: number;
  /** @default 1 */
  readonly failedJobsHistoryLimit?: number;
  /**
   * How late a missed run may still start. Without it, a controller that missed more than 100 runs
   * (an outage) stops scheduling the CronJob altogether. At least 10: the controller checks every 10s.
   * @default 60
   */
  readonly startingDeadlineSeconds?: number;
}

/** A CronJob on `batch/v1` (the book's `batch/v1beta1` was removed in Kubernetes 1.25). */
export class BatchCronJob extends Construct {
  constructor(scope: Construct, id: string, props: BatchCronJobProps) {
    super(scope, id);
    const problem = scheduleProblem(props.schedule);
    if (problem) refuse(this, 'schedule', `"${props.schedule}" is not a valid schedule: ${problem}`, "write five fields such as '*/5 * * * *', or a macro such as '@hourly'; put the zone in timeZone");
    if (props.name.length > 52) {
      refuse(this, 'name', `"${props.name}" is ${props.name.length} characters; the Jobs it creates append 11 and must fit in 63`, 'use at most 52 characters');
    }
    if (props.timeZone !== undefined && !/^(UTC|[A-Z][A-Za-z_+-]*(\/[A-Za-z0-9_+-]+){1,2})$/.test(props.timeZone)) {
      refuse(this, 'timeZone', `"${props.timeZone}" is not an IANA time zone name`, "use a name such as 'Europe/Berlin' or 'UTC'");
    }
    const limit = (field: 'successfulJobsHistoryLimit' | 'failedJobsHistoryLimit', fallback: number) => {
      const value = props[field] ?? fallback;
      if (!Number.isInteger(value) || value < 0) refuse(this, field, `${value} is not a count of Jobs`, 'use 0 or more');
      return value;
    };
    const startingDeadline = props.startingDeadlineSeconds ?? 60;
    if (!Number.isInteger(startingDeadline) || startingDeadline < 10) {
      refuse(this, 'startingDeadlineSeconds', `${startingDeadline}s is shorter than the controller's 10s check interval, so runs may never start`, 'use 10 or more');
    }
    new Manifest(this, 'CronJob', {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: { 'app.kubernetes.io/name': props.name, ...props.labels },
        annotations: waiverAnnotations(props.container),
      },
      spec: {
        schedule: props.schedule,
        timeZone: props.timeZone,
        concurrencyPolicy: props.concurrencyPolicy ?? 'Forbid',
        startingDeadlineSeconds: startingDeadline,
        successfulJobsHistoryLimit: limit('successfulJobsHistoryLimit', 3),
        failedJobsHistoryLimit: limit('failedJobsHistoryLimit', 1),
        jobTemplate: { spec: renderJobSpec(this, props.name, props) },
      },
    });
  }
}
