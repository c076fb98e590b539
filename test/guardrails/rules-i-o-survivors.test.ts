/**
 * Survivors of the mutation run over guardrails/rules/[i-o]*.ts (reports/mutation/survivors/guardrails-rules-i-o.md):
 * the network-policy warning's exact texts, and pod-template annotations whose values are not label values.
 */
import { expected, findingsOf, NS, workload } from './hand-built';

const pods = { containers: [{ name: 'web', image: 'nginx:1.27.0' }] };
const policy = (name: string, policyTypes: string[], podSelector: unknown = { matchLabels: { app: 'web' } }) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace: NS },
  spec: { podSelector, policyTypes },
});

describe('network-policy', () => {
  const R = 'network-policy';
  const web = () => workload('Deployment', 'web', pods);

  test('no policy at all: both directions are named, joined with "or" in the problem and "," in the fix', () => {
    expect(findingsOf(R, [web()])).toEqual([
      expected(R, 'warning', 'Deployment/apps/web', 'spec.template.spec', 'no NetworkPolicy selects its pods for Ingress or Egress', 'add a NetworkPolicy with policyTypes Ingress, Egress selecting them'),
    ]);
  });

  test('a policy for one direction leaves only the other one', () => {
    expect(findingsOf(R, [web(), policy('in', ['Ingress'])]).map((f) => [f.problem, f.fix])).toEqual([
      ['no NetworkPolicy selects its pods for Egress', 'add a NetworkPolicy with policyTypes Egress selecting them'],
    ]);
    expect(findingsOf(R, [web(), policy('out', ['Egress'])]).map((f) => [f.problem, f.fix])).toEqual([
      ['no NetworkPolicy selects its pods for Ingress', 'add a NetworkPolicy with policyTypes Ingress selecting them'],
    ]);
  });

  test('both directions covered (by one policy or two): no finding; a policy selecting other pods covers nothing', () => {
    expect(findingsOf(R, [web(), policy('both', ['Ingress', 'Egress'])])).toEqual([]);
    expect(findingsOf(R, [web(), policy('in', ['Ingress']), policy('out', ['Egress'])])).toEqual([]);
    expect(findingsOf(R, [web(), policy('other', ['Ingress', 'Egress'], { matchLabels: { app: 'db' } })])).toHaveLength(1);
  });
});

describe('labels: pod-template annotations', () => {
  test('an annotation value is free text, not a label value (spaces, colons, over 63 characters)', () => {
    const free = { description: 'serves the shop: front end, v2 — see https://example.com/docs', long: 'x'.repeat(200) };
    expect(findingsOf('labels', [workload('Deployment', 'web', pods, { podAnnotations: free })])).toEqual([]);
    expect(findingsOf('labels', [workload('Pod', 'web', pods, { podAnnotations: free })])).toEqual([]);
  });

  test('the same text as a pod-template label value is refused (the check above is not vacuous)', () => {
    const findings = findingsOf('labels', [workload('Deployment', 'web', pods, { labels: { app: 'web', tier: 'front end' } })]);
    expect(findings.map((f) => f.field)).toContain('spec.template.metadata.labels["tier"]');
  });
});
