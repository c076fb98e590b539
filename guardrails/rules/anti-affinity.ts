import { asArray, asObject, asString, at, objects } from '../object';
import { relationsOf } from '../relations';
import { labelSelector, matches } from '../selector';
import { checkTemplates, replicasOf } from '../workload';
import { Rule } from './rule';

const HOSTNAME = 'kubernetes.io/hostname';

/** A term or constraint on the hostname topology that selects this template's own pods. */
function spreadsOwnPods(term: unknown, labels: Record<string, string>, namespace: string): boolean {
  const o = asObject(term);
  if (!o || asString(o.topologyKey) !== HOSTNAME || !o.labelSelector) return false;
  // A term that names namespaces counts pods in those only (without namespaceSelector).
  const namespaces = asArray(o.namespaces);
  if (namespaces.length > 0 && !o.namespaceSelector && !namespaces.includes(namespace)) return false;
  return matches(labelSelector(o.labelSelector), labels);
}

/**
 * Several replicas that may all land on one node die together with it. Spread is either pod
 * anti-affinity on the hostname (preferred or required, as kube-linter and kube-score ask) or a
 * topologySpreadConstraint on the hostname, both selecting the workload's own pods.
 */
export const antiAffinity: Rule = {
  id: 'anti-affinity',
  severity: 'warning',
  description:
    'A workload with 2 or more replicas has no pod anti-affinity (or topology spread) on kubernetes.io/hostname selecting its own pods, so all replicas may land on one node and fail together.',
  remediation: 'Add preferred podAntiAffinity (or a topologySpreadConstraint) on kubernetes.io/hostname whose labelSelector matches the pod labels.',
  equivalents: { kubeLinter: ['no-anti-affinity'], kubeScore: ['deployment-has-host-podantiaffinity', 'statefulset-has-host-podantiaffinity'] },
  differs: 'A topologySpreadConstraint on kubernetes.io/hostname counts as spreading too.',
  check: (context) => {
    const relations = relationsOf(context);
    return checkTemplates(context.manifests, ({ spec, labels }, manifest) => {
      const floor = relations.hpas(manifest).map((h) => at(h.object, 'spec', 'minReplicas')).find((n): n is number => typeof n === 'number');
      const replicas = floor ?? replicasOf(manifest);
      if (replicas === undefined || replicas < 2) return [];
      const anti = asObject(at(spec, 'affinity', 'podAntiAffinity')) ?? {};
      const terms = [
        ...asArray(anti.requiredDuringSchedulingIgnoredDuringExecution),
        ...objects(anti.preferredDuringSchedulingIgnoredDuringExecution).map((p) => p.podAffinityTerm),
        ...asArray(spec.topologySpreadConstraints),
      ];
      if (terms.some((t) => spreadsOwnPods(t, labels, manifest.namespace))) return [];
      return [{ field: 'affinity', problem: `${replicas} replicas may all be scheduled on one node (no anti-affinity or spread on ${HOSTNAME} selecting its own pods)`, fix: `add preferred podAntiAffinity on ${HOSTNAME} matching the pod labels` }];
    });
  },
};
