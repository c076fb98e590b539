import { at } from '../object';
import { isHpa } from '../scale-target';
import { Rule, Violation } from './rule';

export const hpaMinReplicas: Rule = {
  id: 'hpa-min-replicas',
  severity: 'warning',
  description: 'An HPA may scale its workload down to a single pod (minReplicas unset or 1): at quiet times one crash or drain takes the service down.',
  remediation: 'Set spec.minReplicas to 2 or more.',
  equivalents: { kubeLinter: ['hpa-minimum-three-replicas'], kubeScore: ['horizontalpodautoscaler-replicas'] },
  check: ({ manifests }) =>
    manifests.filter(isHpa).flatMap((manifest): Violation[] => {
      const min = at(manifest.object, 'spec', 'minReplicas');
      const value = typeof min === 'number' ? min : 1;
      return value >= 2 ? [] : [{ manifest, field: 'spec.minReplicas', problem: `minReplicas ${value}${min === undefined ? ' (the default)' : ''} lets it scale down to a single pod`, fix: 'set minReplicas: 2 or more' }];
    }),
};
