import { relationsOf, policyTypes } from '../relations';
import { checkTemplates } from '../workload';
import { Rule } from './rule';

export const networkPolicy: Rule = {
  id: 'network-policy',
  severity: 'warning',
  description: 'No NetworkPolicy selects the pods for ingress and for egress: any pod in the cluster can reach them, and they can reach anything.',
  remediation: 'Add NetworkPolicies selecting the pods, covering Ingress and Egress (and use a CNI that enforces them).',
  equivalents: { kubeLinter: ['non-isolated-pod'], kubeScore: ['pod-networkpolicy'] },
  check: (context) => {
    const relations = relationsOf(context);
    return checkTemplates(context.manifests, (_template, manifest) => {
      const covered = new Set(relations.networkPolicies(manifest).flatMap(policyTypes));
      const missing = ['Ingress', 'Egress'].filter((t) => !covered.has(t));
      return missing.length === 0 ? [] : [{ problem: `no NetworkPolicy selects its pods for ${missing.join(' or ')}`, fix: `add a NetworkPolicy with policyTypes ${missing.join(', ')} selecting them` }];
    });
  },
};
