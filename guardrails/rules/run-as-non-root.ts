import { asObject, at } from '../object';
import { checkTemplates, containersOf, describeContainer } from '../workload';
import { Problem, Rule } from './rule';

/** The container's setting, else the pod's (container securityContext overrides the pod's). */
function effective(pod: unknown, container: unknown, key: string): unknown {
  const own = at(container, 'securityContext', key);
  return own !== undefined ? own : at(pod, 'securityContext', key);
}

/**
 * kube-linter's run-as-non-root: a container passes with runAsUser > 0, or runAsNonRoot: true (and no
 * runAsUser 0); runAsGroup 0 is flagged too. Windows pods are exempt (they use runAsUserName).
 */
export const runAsNonRoot: Rule = {
  id: 'run-as-non-root',
  severity: 'warning',
  description:
    'A container may run as root (neither runAsNonRoot: true nor a non-zero runAsUser, pod- or container-level), or runs with group 0: an escape from it starts as root on the node.',
  remediation: 'Set securityContext.runAsNonRoot: true and a non-zero runAsUser/runAsGroup (pod- or container-level).',
  equivalents: { kubeLinter: ['run-as-non-root'], kubeScore: ['container-security-context-user-group-id'] },
  differs: "kube-score also wants user and group ids above 10000 (to stay clear of host users); any non-root id passes here.",
  check: ({ manifests }) =>
    checkTemplates(manifests, ({ spec }) => {
      if (at(spec, 'os', 'name') === 'windows' || asObject(at(spec, 'securityContext', 'windowsOptions'))) return [];
      return containersOf(spec).flatMap((container): Problem[] => {
        const field = `${container.path}.securityContext`;
        const problems: Problem[] = [];
        if (effective(spec, container.spec, 'runAsGroup') === 0) problems.push({ field: `${field}.runAsGroup`, problem: `${describeContainer(container)} runs with group 0 (root)`, fix: 'set a non-zero runAsGroup' });
        const user = effective(spec, container.spec, 'runAsUser');
        if (typeof user === 'number' && user > 0) return problems;
        if (effective(spec, container.spec, 'runAsNonRoot') === true) {
          if (user === 0) problems.push({ field: `${field}.runAsUser`, problem: `${describeContainer(container)} sets runAsNonRoot but runAsUser 0, so it cannot start`, fix: 'set a non-zero runAsUser' });
          return problems;
        }
        problems.push({ field: `${field}.runAsNonRoot`, problem: `${describeContainer(container)} may run as root`, fix: 'set runAsNonRoot: true and a non-zero runAsUser' });
        return problems;
      });
    }),
};
