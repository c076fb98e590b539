import { isKind } from '../manifest';
import { at } from '../object';
import { Rule, Violation } from './rule';

export const jobTtl: Rule = {
  id: 'job-ttl',
  severity: 'warning',
  description:
    'A standalone Job sets no ttlSecondsAfterFinished, so finished Jobs and their pods pile up; a CronJob’s job template that sets one fights its successful/failedJobsHistoryLimit.',
  remediation: 'Set spec.ttlSecondsAfterFinished on standalone Jobs; leave it to the history limits on CronJobs.',
  equivalents: { kubeLinter: ['job-ttl-seconds-after-finished'], kubeScore: [] },
  check: ({ manifests }) =>
    manifests.flatMap((manifest): Violation[] => {
      if (isKind(manifest, ['batch'], 'Job') && at(manifest.object, 'spec', 'ttlSecondsAfterFinished') === undefined) {
        return [{ manifest, field: 'spec.ttlSecondsAfterFinished', problem: 'a standalone Job without ttlSecondsAfterFinished stays with its pods after it finishes', fix: 'set spec.ttlSecondsAfterFinished' }];
      }
      if (isKind(manifest, ['batch'], 'CronJob') && at(manifest.object, 'spec', 'jobTemplate', 'spec', 'ttlSecondsAfterFinished') !== undefined) {
        return [{ manifest, field: 'spec.jobTemplate.spec.ttlSecondsAfterFinished', problem: 'ttlSecondsAfterFinished competes with the CronJob’s history limits', fix: 'remove it and use successfulJobsHistoryLimit/failedJobsHistoryLimit' }];
      }
      return [];
    }),
};
