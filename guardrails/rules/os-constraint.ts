import { asString, at, objects } from '../object';
import { checkTemplates, PodTemplate } from '../workload';
import { Rule } from './rule';

const OS_LABEL = 'kubernetes.io/os';

/** Required node affinity constrains the OS only if EVERY term does (terms are ORed). */
function affinityConstrainsOs(template: PodTemplate): boolean {
  const terms = objects(at(template.spec, 'affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms'));
  return (
    terms.length > 0 &&
    terms.every((term) =>
      objects(term.matchExpressions).some((e) => e.key === OS_LABEL && (e.operator === 'In' || e.operator === 'NotIn')),
    )
  );
}

function hasOsConstraint(template: PodTemplate): boolean {
  return (
    asString(at(template.spec, 'nodeSelector', OS_LABEL)) !== undefined ||
    asString(at(template.spec, 'os', 'name')) !== undefined ||
    affinityConstrainsOs(template)
  );
}

/**
 * In a mixed Linux/Windows cluster every pod template must say which OS it runs on, or the scheduler
 * may place it on a node whose OS can't run its image. On by default because the project's clusters
 * are mixed; `options.requireOsConstraint: false` (CLI `--no-os-constraint`) turns it off for
 * single-OS clusters. The deprecated `beta.kubernetes.io/os` label does not count.
 */
export const osConstraint: Rule = {
  id: 'os-constraint',
  severity: 'error',
  description: "In a mixed Linux/Windows cluster every pod template must say which OS it runs on, or the scheduler may place it where its image cannot start.",
  remediation: "Set nodeSelector kubernetes.io/os: linux|windows (or a required node affinity on it); --no-os-constraint turns the rule off for single-OS clusters.",
  equivalents: { kubeLinter: [], kubeScore: [] },
  check: ({ manifests, options }) =>
    !options.requireOsConstraint
      ? []
      : checkTemplates(manifests, (template) =>
          hasOsConstraint(template)
            ? []
            : [{ field: 'nodeSelector', problem: 'pod template has no OS constraint', fix: `set nodeSelector ${OS_LABEL}: linux|windows (or a required node affinity on ${OS_LABEL})` }],
        ),
};
