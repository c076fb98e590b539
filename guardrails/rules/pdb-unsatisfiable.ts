import { isKind } from '../manifest';
import { at } from '../object';
import { labelSelector } from '../selector';
import { hpaFloors } from '../scale-target';
import { replicasOf } from '../workload';
import { Rule, Violation } from './rule';

const DRAIN_PROBLEM = 'no pod may ever be evicted, so every node drain blocks';
const DRAIN_FIX = 'use maxUnavailable: 1 (or minAvailable below the replica count)';

function isZero(value: unknown): boolean {
  return value === 0 || (typeof value === 'string' && /^0+%$/.test(value));
}

/**
 * A PodDisruptionBudget that can never allow an eviction: maxUnavailable 0/"0%", minAvailable "100%",
 * or minAvailable ≥ the replicas of the workloads it selects (their HPA's minReplicas when scaled by one).
 * Selections including a DaemonSet, Job or Pod have no fixed count and are only checked for the first two.
 */
export const pdbUnsatisfiable: Rule = {
  id: 'pdb-unsatisfiable',
  severity: 'error',
  description: "A PodDisruptionBudget that can never allow an eviction blocks every node drain, so upgrades and scale-downs hang.",
  remediation: "Use maxUnavailable: 1, or a minAvailable below the replicas of the selected workloads.",
  equivalents: { kubeLinter: ['pdb-max-unavailable', 'pdb-min-available'], kubeScore: ['poddisruptionbudget-has-policy'] },
  check: ({ manifests, templates, lookup }) => {
    const pdbs = manifests.filter((m) => isKind(m, ['policy'], 'PodDisruptionBudget'));
    if (pdbs.length === 0) return [];
    const floors = hpaFloors(manifests, lookup);
    return pdbs.flatMap((manifest): Violation[] => {
      const maxUnavailable = at(manifest.object, 'spec', 'maxUnavailable');
      const minAvailable = at(manifest.object, 'spec', 'minAvailable');
      if (isZero(maxUnavailable)) return [{ manifest, field: 'spec.maxUnavailable', problem: `maxUnavailable ${JSON.stringify(maxUnavailable)}: ${DRAIN_PROBLEM}`, fix: DRAIN_FIX }];
      if (maxUnavailable === undefined && minAvailable === undefined) {
        return [{ manifest, field: 'spec', problem: 'sets neither minAvailable nor maxUnavailable, so it says nothing about how many pods a drain may evict', fix: 'set maxUnavailable: 1', severity: 'warning' }];
      }
      if (minAvailable === '100%') return [{ manifest, field: 'spec.minAvailable', problem: `minAvailable "100%": ${DRAIN_PROBLEM}`, fix: DRAIN_FIX }];
      if (typeof minAvailable !== 'number') return [];
      const raw = at(manifest.object, 'spec', 'selector');
      if (raw === undefined || raw === null) return [];
      const selected = templates.matching(manifest.namespace, labelSelector(raw));
      const counts = selected.map(({ manifest: workload }) => floors.get(workload) ?? replicasOf(workload));
      if (selected.length === 0 || counts.some((c) => c === undefined)) return [];
      const total = counts.reduce<number>((sum, c) => sum + (c ?? 0), 0);
      if (total === 0 || minAvailable < total) return [];
      const workloads = selected.map(({ manifest: workload }) => workload.ref).join(', ');
      return [{ manifest, field: 'spec.minAvailable', problem: `minAvailable ${minAvailable} >= ${total} replica(s) of ${workloads}: ${DRAIN_PROBLEM}`, fix: DRAIN_FIX }];
    });
  },
};
