import { isKind } from '../manifest';
import { at } from '../object';
import { relationsOf } from '../relations';
import { replicasOf } from '../workload';
import { Rule, Violation } from './rule';

export const pdbMissing: Rule = {
  id: 'pdb-missing',
  severity: 'warning',
  description: 'A Deployment or StatefulSet with 2 or more replicas has no PodDisruptionBudget: a node drain may evict all its pods at once.',
  remediation: 'Add a PodDisruptionBudget selecting its pods with maxUnavailable: 1.',
  equivalents: { kubeLinter: [], kubeScore: ['deployment-has-poddisruptionbudget', 'statefulset-has-poddisruptionbudget'] },
  differs: 'Single-replica workloads are exempt: a budget cannot keep one pod up through a drain, it can only block the drain.',
  check: (context) => {
    const relations = relationsOf(context);
    return context.manifests.flatMap((manifest): Violation[] => {
      if (!isKind(manifest, ['apps'], 'Deployment', 'StatefulSet') || relations.pdbs(manifest).length > 0) return [];
      const floor = relations.hpas(manifest).map((h) => at(h.object, 'spec', 'minReplicas')).find((n): n is number => typeof n === 'number');
      const count = floor ?? replicasOf(manifest) ?? 1;
      if (count < 2) return [];
      return [{ manifest, field: 'spec.selector', problem: `no PodDisruptionBudget selects its ${count} replicas, so a drain may evict them all at once`, fix: 'add a PodDisruptionBudget with maxUnavailable: 1' }];
    });
  },
};
