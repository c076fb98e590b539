import { asObject, asString, objects } from '../object';
import { checkTemplates } from '../workload';
import { Problem, Rule } from './rule';

export const topologySpread: Rule = {
  id: 'topology-spread',
  severity: 'error',
  description:
    'Each topologySpreadConstraint is one the API server and scheduler accept and that does something: maxSkew ≥ 1, a topologyKey, whenUnsatisfiable DoNotSchedule or ScheduleAnyway, minDomains ≥ 1 only with DoNotSchedule, and a labelSelector (without one it counts no pods).',
  remediation: 'Complete the constraint as the message says.',
  equivalents: { kubeLinter: [], kubeScore: ['pod-topology-spread-constraints'] },
  check: ({ manifests }) =>
    checkTemplates(manifests, ({ spec }) =>
      objects(spec.topologySpreadConstraints).flatMap((c, i): Problem[] => {
        const field = `topologySpreadConstraints[${i}]`;
        const problems: Problem[] = [];
        if (typeof c.maxSkew !== 'number' || c.maxSkew < 1) problems.push({ field: `${field}.maxSkew`, problem: `maxSkew ${JSON.stringify(c.maxSkew)} must be an integer of at least 1`, fix: 'set maxSkew: 1' });
        if (!asString(c.topologyKey)) problems.push({ field: `${field}.topologyKey`, problem: 'has no topologyKey', fix: 'set topologyKey, e.g. topology.kubernetes.io/zone' });
        const when = c.whenUnsatisfiable;
        if (when !== 'DoNotSchedule' && when !== 'ScheduleAnyway') problems.push({ field: `${field}.whenUnsatisfiable`, problem: `whenUnsatisfiable ${JSON.stringify(when)} must be DoNotSchedule or ScheduleAnyway`, fix: 'set one of them' });
        if (c.minDomains !== undefined && (typeof c.minDomains !== 'number' || c.minDomains < 1 || when !== 'DoNotSchedule')) {
          problems.push({ field: `${field}.minDomains`, problem: `minDomains ${JSON.stringify(c.minDomains)} must be at least 1 and needs whenUnsatisfiable: DoNotSchedule`, fix: 'fix minDomains or remove it' });
        }
        if (!asObject(c.labelSelector)) problems.push({ field: `${field}.labelSelector`, problem: 'has no labelSelector, so it counts no pods and spreads nothing', fix: 'select the pods of this workload' });
        return problems;
      }),
    ),
};
