import { isKind } from '../manifest';
import { at } from '../object';
import { formatSelector, isEmpty, labelSelector, mapSelector, Selector } from '../selector';
import { Rule, Violation } from './rule';

/**
 * A Service or PodDisruptionBudget whose selector matches no pod template in its namespace (among all
 * documents given) routes to / protects nothing — usually a label typo. Services without a selector
 * (endpoints managed elsewhere, ExternalName) are fine.
 */
export const selectorMatchesNoPod: Rule = {
  id: 'selector-matches-no-pod',
  severity: 'error',
  description:
    'A Service, PodDisruptionBudget or NetworkPolicy whose selector matches no pod template (of any kind: Deployments, Rollouts, Knative Services ...) in its namespace routes to, protects or isolates nothing: usually a label typo.',
  remediation: "Fix the selector or the pod labels.",
  equivalents: { kubeLinter: ['dangling-service', 'dangling-networkpolicy'], kubeScore: ['service-targets-pod', 'networkpolicy-targets-pod'] },
  check: ({ manifests, templates }) =>
    manifests.flatMap((manifest): Violation[] => {
      let selector: Selector;
      if (isKind(manifest, [''], 'Service')) {
        selector = mapSelector(at(manifest.object, 'spec', 'selector'));
        if (isEmpty(selector)) return [];
      } else if (isKind(manifest, ['policy'], 'PodDisruptionBudget')) {
        const raw = at(manifest.object, 'spec', 'selector');
        if (raw === undefined || raw === null) return [{ manifest, field: 'spec.selector', problem: 'has no spec.selector, so it protects no pod', fix: 'select the pods of the workload it guards' }];
        selector = labelSelector(raw);
      } else if (isKind(manifest, ['networking.k8s.io'], 'NetworkPolicy')) {
        // An empty podSelector deliberately selects every pod of the namespace (default-deny policies).
        selector = labelSelector(at(manifest.object, 'spec', 'podSelector'));
        if (isEmpty(selector)) return [];
        if (templates.matching(manifest.namespace, selector).length > 0) return [];
        return [{ manifest, field: 'spec.podSelector', problem: `podSelector ${formatSelector(selector)} matches no pod template in namespace "${manifest.namespace}"`, fix: 'fix the podSelector or the pod labels' }];
      } else {
        return [];
      }
      if (templates.matching(manifest.namespace, selector).length > 0) return [];
      return [{ manifest, field: 'spec.selector', problem: `selector ${formatSelector(selector)} matches no pod template in namespace "${manifest.namespace}"`, fix: 'fix the selector or the pod labels' }];
    }),
};
