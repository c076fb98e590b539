import { isKind, Manifest } from './manifest';
import { asArray, at } from './object';
import { isHpa, scaleTargetOf } from './scale-target';
import { isEmpty, labelSelector, mapSelector } from './selector';
import type { RuleContext } from './rules/rule';

/**
 * Which objects point at each workload: the Services, PodDisruptionBudgets and NetworkPolicies whose
 * selectors match its pod template, and the HPAs that scale it. Built once per validation (several
 * rules ask), from the pod templates of every kind — Rollouts and other custom workloads included.
 */
export interface Relations {
  services(workload: Manifest): Manifest[];
  pdbs(workload: Manifest): Manifest[];
  networkPolicies(workload: Manifest): Manifest[];
  hpas(workload: Manifest): Manifest[];
}

const cache = new WeakMap<ReadonlyArray<Manifest>, Relations>();

export function relationsOf(context: RuleContext): Relations {
  let relations = cache.get(context.manifests);
  if (!relations) {
    const services = new Map<Manifest, Manifest[]>();
    const pdbs = new Map<Manifest, Manifest[]>();
    const policies = new Map<Manifest, Manifest[]>();
    const hpas = new Map<Manifest, Manifest[]>();
    const add = (map: Map<Manifest, Manifest[]>, workload: Manifest, by: Manifest) => map.set(workload, [...(map.get(workload) ?? []), by]);
    for (const m of context.manifests) {
      if (isKind(m, [''], 'Service')) {
        const selector = mapSelector(at(m.object, 'spec', 'selector'));
        if (!isEmpty(selector)) for (const { manifest } of context.templates.matching(m.namespace, selector)) add(services, manifest, m);
      } else if (isKind(m, ['policy'], 'PodDisruptionBudget')) {
        const raw = at(m.object, 'spec', 'selector');
        if (raw) for (const { manifest } of context.templates.matching(m.namespace, labelSelector(raw))) add(pdbs, manifest, m);
      } else if (isKind(m, ['networking.k8s.io', 'extensions'], 'NetworkPolicy')) {
        for (const { manifest } of context.templates.matching(m.namespace, labelSelector(at(m.object, 'spec', 'podSelector')))) add(policies, manifest, m);
      } else if (isHpa(m)) {
        const { target } = scaleTargetOf(m, context.lookup);
        if (target) add(hpas, target, m);
      }
    }
    relations = {
      services: (w) => services.get(w) ?? [],
      pdbs: (w) => pdbs.get(w) ?? [],
      networkPolicies: (w) => policies.get(w) ?? [],
      hpas: (w) => hpas.get(w) ?? [],
    };
    cache.set(context.manifests, relations);
  }
  return relations;
}

/** The policy types a NetworkPolicy enforces (`Ingress` by default, plus `Egress` when it has egress rules). */
export function policyTypes(policy: Manifest): string[] {
  const declared = asArray(at(policy.object, 'spec', 'policyTypes')).filter((t): t is string => typeof t === 'string');
  if (declared.length) return declared;
  return at(policy.object, 'spec', 'egress') !== undefined ? ['Ingress', 'Egress'] : ['Ingress'];
}
