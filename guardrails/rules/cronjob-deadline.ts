import { isKind } from '../manifest';
import { at } from '../object';
import { Rule, Violation } from './rule';

export const cronjobDeadline: Rule = {
  id: 'cronjob-deadline',
  severity: 'warning',
  description:
    'A CronJob sets no startingDeadlineSeconds: after the controller misses 100 schedules (a long outage or suspension) it stops scheduling the CronJob for good.',
  remediation: 'Set spec.startingDeadlineSeconds (e.g. a fraction of the schedule interval).',
  equivalents: { kubeLinter: [], kubeScore: ['cronjob-has-deadline'] },
  check: ({ manifests }) =>
    manifests
      .filter((m) => isKind(m, ['batch'], 'CronJob') && at(m.object, 'spec', 'startingDeadlineSeconds') === undefined)
      .map((manifest): Violation => ({ manifest, field: 'spec.startingDeadlineSeconds', problem: 'no startingDeadlineSeconds: after 100 missed schedules the CronJob never runs again', fix: 'set spec.startingDeadlineSeconds' })),
};
