import { isKind } from '../manifest';
import { asString } from '../object';
import { checkTemplates } from '../workload';
import { Rule } from './rule';

/**
 * The API server's rule for pod templates: a Job's (and a CronJob's) pods must not restart in place —
 * restartPolicy OnFailure or Never, and it has no default there, since Always is the pod default —
 * while the pods of Deployments, StatefulSets, DaemonSets and ReplicaSets can only be Always.
 */
export const restartPolicy: Rule = {
  id: 'restart-policy',
  severity: 'error',
  description:
    'The pod template’s restartPolicy is one the API server refuses for its kind: Jobs and CronJobs need OnFailure or Never (unset means Always, which is refused); Deployments, StatefulSets, DaemonSets and ReplicaSets accept only Always.',
  remediation: 'Set restartPolicy: OnFailure or Never in Job templates; remove it (or use Always) elsewhere.',
  equivalents: { kubeLinter: [], kubeScore: ['cronjob-restartpolicy'] },
  check: ({ manifests }) =>
    checkTemplates(manifests, ({ spec }, manifest) => {
      const policy = asString(spec.restartPolicy);
      if (isKind(manifest, ['batch'], 'Job', 'CronJob')) {
        if (policy === 'OnFailure' || policy === 'Never') return [];
        return [{ field: 'restartPolicy', problem: policy ? `restartPolicy ${policy} is not allowed for a ${manifest.kind}` : `a ${manifest.kind}'s pods need a restartPolicy (the default Always is refused)`, fix: 'set restartPolicy: OnFailure or Never' }];
      }
      if (isKind(manifest, ['apps', 'extensions'], 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet') || isKind(manifest, [''], 'ReplicationController')) {
        return policy === undefined || policy === 'Always' ? [] : [{ field: 'restartPolicy', problem: `restartPolicy ${policy} is not allowed for a ${manifest.kind} (only Always)`, fix: 'remove restartPolicy' }];
      }
      return [];
    }),
};
