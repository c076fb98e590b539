import { isKind } from '../manifest';
import { at } from '../object';
import { relationsOf } from '../relations';
import { Rule, Violation } from './rule';

export const hpaFixedReplicas: Rule = {
  id: 'hpa-fixed-replicas',
  severity: 'warning',
  description: 'A workload scaled by an HPA also sets spec.replicas: every apply resets the replica count the HPA chose, scaling it down under load.',
  remediation: 'Remove spec.replicas and let the HPA own the count.',
  equivalents: { kubeLinter: [], kubeScore: ['deployment-targeted-by-hpa-does-not-have-replicas-configured'] },
  check: (context) => {
    const relations = relationsOf(context);
    return context.manifests.flatMap((manifest): Violation[] => {
      const hpas = relations.hpas(manifest);
      if (hpas.length === 0 || at(manifest.object, 'spec', 'replicas') === undefined || isKind(manifest, ['apps'], 'DaemonSet')) return [];
      return [{ manifest, field: 'spec.replicas', problem: `sets replicas although ${hpas[0].ref} scales it; each apply resets the HPA's choice`, fix: 'remove spec.replicas' }];
    });
  },
};
