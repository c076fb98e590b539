import { isKind } from '../manifest';
import { at } from '../object';
import { atLeast } from '../versions';
import { Rule, Violation } from './rule';

export const pdbUnhealthyPodEvictionPolicy: Rule = {
  id: 'pdb-unhealthy-pod-eviction-policy',
  severity: 'warning',
  description:
    'A PodDisruptionBudget leaves unhealthyPodEvictionPolicy unset (Kubernetes 1.27+): with the default IfHealthyBudget, pods stuck unready (crash-looping) count against the budget and block node drains.',
  remediation: 'Set spec.unhealthyPodEvictionPolicy: AlwaysAllow (or IfHealthyBudget deliberately).',
  equivalents: { kubeLinter: ['pdb-unhealthy-pod-eviction-policy'], kubeScore: [] },
  check: ({ manifests, options }) =>
    !atLeast(options.kubernetesVersion, '1.27')
      ? []
      : manifests
          .filter((m) => isKind(m, ['policy'], 'PodDisruptionBudget') && m.apiVersion === 'policy/v1' && at(m.object, 'spec', 'unhealthyPodEvictionPolicy') === undefined)
          .map((manifest): Violation => ({ manifest, field: 'spec.unhealthyPodEvictionPolicy', problem: 'unhealthyPodEvictionPolicy is not set, so crash-looping pods block drains', fix: 'set it to AlwaysAllow' })),
};
