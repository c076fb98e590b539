/**
 * constructs/app-namespace.ts: Pod Security Admission labels (pod-security.kubernetes.io/enforce at the
 * chosen level, audit and warn at restricted), the mesh injection keys (Istio: LABEL
 * istio-injection=enabled; Linkerd: ANNOTATION linkerd.io/inject=enabled), ResourceQuota, LimitRange,
 * and a default-deny NetworkPolicy that still allows DNS to kube-dns on 53/UDP and 53/TCP.
 */
import { AppNamespace, AppNamespaceProps } from '../../constructs/app-namespace';
import { bareScope, refusal } from './support';

const base: AppNamespaceProps = {
  name: 'shop',
  podSecurity: 'restricted',
  quota: { requestsCpu: '4', requestsMemory: '8Gi', limitsCpu: '8', limitsMemory: '16Gi', pods: 20 },
  containerDefaults: { cpu: '100m', memory: '128Mi' },
};

function build(overrides: Partial<AppNamespaceProps> = {}): { objects: any[]; ns: AppNamespace } {
  const { chart } = bareScope('unused');
  const ns = new AppNamespace(chart, 'ns', { ...base, ...overrides });
  return { objects: chart.toJson(), ns };
}
const namespaceOf = (objects: any[]) => objects.find((o) => o.kind === 'Namespace');

test('a restricted namespace: every object, field by field', () => {
  const { objects, ns } = build();
  expect(ns.name).toBe('shop');
  expect(objects).toEqual([
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'shop',
        labels: {
          'kubernetes.io/metadata.name': 'shop',
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'quota', namespace: 'shop' },
      spec: { hard: { 'requests.cpu': '4', 'requests.memory': '8Gi', 'limits.cpu': '8', 'limits.memory': '16Gi', pods: '20' } },
    },
    {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'container-defaults', namespace: 'shop' },
      spec: { limits: [{ type: 'Container', default: { cpu: '100m', memory: '128Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' } }] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny', namespace: 'shop' },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-dns', namespace: 'shop' },
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
            ports: [
              { port: 53, protocol: 'UDP' },
              { port: 53, protocol: 'TCP' },
            ],
          },
        ],
      },
    },
  ]);
  expect(namespaceOf(objects).metadata).not.toHaveProperty('annotations');
  expect(typeof objects[1].spec.hard.pods).toBe('string');
});

test.each(['baseline', 'privileged'] as const)('enforce %s with its reason; audit and warn stay restricted', (level) => {
  const { objects } = build({ podSecurity: level, podSecurityReason: 'stock nginx runs as root' });
  expect(namespaceOf(objects).metadata).toEqual({
    name: 'shop',
    labels: {
      'kubernetes.io/metadata.name': 'shop',
      'pod-security.kubernetes.io/enforce': level,
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    },
    annotations: { 'k8s-book-systems.io/pod-security-reason': 'stock nginx runs as root' },
  });
});

test('a restricted namespace may still record a reason', () => {
  expect(namespaceOf(build({ podSecurityReason: 'why not' }).objects).metadata.annotations).toEqual({ 'k8s-book-systems.io/pod-security-reason': 'why not' });
});

test.each(['baseline', 'privileged'] as const)('refuses %s without a reason', (level) => {
  for (const podSecurityReason of [undefined, '']) {
    expect(refusal(() => build({ podSecurity: level, podSecurityReason }))).toBe(
      `test/ns: podSecurityReason: the namespace enforces "${level}" without saying why. Fix: state which image needs what (e.g. "stock nginx runs as root")`,
    );
  }
});

test('Istio: the injection LABEL, no annotation', () => {
  const meta = namespaceOf(build({ mesh: 'istio' }).objects).metadata;
  expect(meta.labels['istio-injection']).toBe('enabled');
  expect(meta.annotations).toBeUndefined();
  expect(Object.keys(meta.labels)).toHaveLength(5);
});

test('Linkerd: the inject ANNOTATION, never a label', () => {
  const meta = namespaceOf(build({ mesh: 'linkerd', podSecurity: 'baseline', podSecurityReason: 'r' }).objects).metadata;
  expect(meta.annotations).toEqual({ 'k8s-book-systems.io/pod-security-reason': 'r', 'linkerd.io/inject': 'enabled' });
  expect(meta.labels).not.toHaveProperty('linkerd.io/inject');
  expect(meta.labels).not.toHaveProperty('istio-injection');
});

test('mesh none: neither key', () => {
  const meta = namespaceOf(build({ mesh: 'none' }).objects).metadata;
  expect(meta.labels).not.toHaveProperty('istio-injection');
  expect(meta.annotations).toBeUndefined();
});

test('defaultDeny false: no NetworkPolicy; true is the default', () => {
  expect(build({ defaultDeny: false }).objects.map((o) => o.kind)).toEqual(['Namespace', 'ResourceQuota', 'LimitRange']);
  expect(build({ defaultDeny: true }).objects.map((o) => o.metadata.name)).toEqual(['shop', 'quota', 'container-defaults', 'default-deny', 'allow-dns']);
});

test.each(['a', 'shop-2', '9', 'a'.repeat(63)])('accepts the name %j', (name) => {
  expect(build({ name }).ns.name).toBe(name);
});

test.each(['Shop', '-shop', 'shop-', 'sh_op', 'a'.repeat(64), '', 'shop.prod'])('refuses the name %j', (name) => {
  expect(refusal(() => build({ name }))).toBe(`test/ns: name: "${name}" is not a DNS-1123 label. Fix: use lowercase letters, digits and dashes`);
});
