/**
 * postfinance/kubelet-csr-approver (constructs/cluster/kubelet-csr-approver.ts).
 * Oracle: upstream deploy/k8s/clusterrole.yaml and deployment.yaml (args -metrics-bind-address :8080
 * -health-probe-bind-address :8081 -leader-election; env PROVIDER_REGEX, PROVIDER_IP_PREFIXES comma
 * separated, MAX_EXPIRATION_SEC at most 367 days) and internal/cmd/cmd.go (flags read from env vars,
 * only a /healthz ping registered).
 */
import { KubeletCsrApprover, KubeletCsrApproverProps } from '../../constructs/cluster/kubelet-csr-approver';
import type { Placement } from '../../constructs/platform';
import { find, Manifest, synthObjects } from '../util/synth';

const LABELS = { app: 'kubelet-csr-approver' };
const EC2 = '^ip-(\\d{1,3}-){3}\\d{1,3}\\.ec2\\.internal$';
const placement: Placement = {
  platform: { os: 'linux' },
  nodeSelector: { 'kubernetes.io/os': 'linux' },
  tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
  eligibleNodes: 3,
  pools: ['linux'],
};

function approver(props: Partial<KubeletCsrApproverProps> = {}): Manifest[] {
  return synthObjects((chart) => new KubeletCsrApprover(chart, 'approver', { placement, nodeNamePattern: EC2, nodeIpPrefixes: ['10.0.0.0/16'], ...props }));
}

describe('KubeletCsrApprover', () => {
  const objects = approver({ nodeIpPrefixes: ['10.0.0.0/16', '10.1.0.0/16'] });

  test('renders the ServiceAccount, ClusterRole, binding, Deployment and PodDisruptionBudget, and nothing else', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/kubelet-csr-approver',
      'ClusterRole/kubelet-csr-approver',
      'ClusterRoleBinding/kubelet-csr-approver',
      'Deployment/kubelet-csr-approver',
      'PodDisruptionBudget/kubelet-csr-approver',
    ]);
  });

  test("RBAC: upstream's ClusterRole, approving kubelet-serving CSRs only", () => {
    expect(find(objects, 'ServiceAccount')).toEqual({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'kubelet-csr-approver', namespace: 'kube-system', labels: LABELS } });
    expect(find(objects, 'ClusterRole')).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'kubelet-csr-approver', labels: LABELS },
      rules: [
        { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create', 'get', 'update'] },
        { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/approval'], verbs: ['update'] },
        { apiGroups: ['certificates.k8s.io'], resources: ['signers'], resourceNames: ['kubernetes.io/kubelet-serving'], verbs: ['approve'] },
        { apiGroups: [''], resources: ['events'], verbs: ['create'] },
      ],
    });
    expect(find(objects, 'ClusterRoleBinding')).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'kubelet-csr-approver', labels: LABELS },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'kubelet-csr-approver' },
      subjects: [{ kind: 'ServiceAccount', name: 'kubelet-csr-approver', namespace: 'kube-system' }],
    });
  });

  test('Deployment: two leader-elected replicas, the pattern and networks as env, probes on /healthz :8081', () => {
    expect(find(objects, 'Deployment')).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'kubelet-csr-approver', namespace: 'kube-system', labels: LABELS },
      spec: {
        replicas: 2,
        revisionHistoryLimit: 5,
        selector: { matchLabels: LABELS },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        template: {
          metadata: { labels: LABELS },
          spec: {
            os: { name: 'linux' },
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
            affinity: {
              podAntiAffinity: {
                preferredDuringSchedulingIgnoredDuringExecution: [
                  { weight: 100, podAffinityTerm: { labelSelector: { matchLabels: LABELS }, topologyKey: 'kubernetes.io/hostname' } },
                ],
              },
            },
            priorityClassName: 'system-cluster-critical',
            serviceAccountName: 'kubelet-csr-approver',
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: 'kubelet-csr-approver',
                image: 'ghcr.io/postfinance/kubelet-csr-approver:v1.2.14',
                args: ['-metrics-bind-address', ':8080', '-health-probe-bind-address', ':8081', '-leader-election'],
                env: [
                  { name: 'PROVIDER_REGEX', value: '^ip-(\\d{1,3}-){3}\\d{1,3}\\.ec2\\.internal$' },
                  { name: 'PROVIDER_IP_PREFIXES', value: '10.0.0.0/16,10.1.0.0/16' },
                  { name: 'MAX_EXPIRATION_SEC', value: '31622400' },
                ],
                ports: [
                  { name: 'metrics', containerPort: 8080, protocol: 'TCP' },
                  { name: 'health', containerPort: 8081, protocol: 'TCP' },
                ],
                readinessProbe: { httpGet: { path: '/healthz', port: 'health' }, periodSeconds: 10, failureThreshold: 3 },
                livenessProbe: { httpGet: { path: '/healthz', port: 'health' }, periodSeconds: 10, failureThreshold: 6 },
                resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
                securityContext: {
                  runAsUser: 65532,
                  runAsGroup: 65532,
                  runAsNonRoot: true,
                  privileged: false,
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                },
              },
            ],
          },
        },
      },
    });
  });

  test('MAX_EXPIRATION_SEC is 366 days, within the 367 days the approver accepts', () => {
    const env = find(objects, 'Deployment').spec.template.spec.containers[0].env;
    expect(Number(env[2].value)).toBe(366 * 24 * 3600);
  });

  test('PodDisruptionBudget', () => {
    expect(find(objects, 'PodDisruptionBudget')).toEqual({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'kubelet-csr-approver', namespace: 'kube-system', labels: LABELS },
      spec: { maxUnavailable: 1, selector: { matchLabels: LABELS } },
    });
  });

  test('a placement without tolerations renders none', () => {
    const pod = find(approver({ placement: { ...placement, tolerations: [] } }), 'Deployment').spec.template.spec;
    expect(pod.tolerations).toBeUndefined();
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
  });

  test('a single network is passed as is', () => {
    expect(find(approver(), 'Deployment').spec.template.spec.containers[0].env[1]).toEqual({ name: 'PROVIDER_IP_PREFIXES', value: '10.0.0.0/16' });
  });

  test('the shortest anchored pattern is accepted', () => {
    expect(find(approver({ nodeNamePattern: '^$' }), 'Deployment').spec.template.spec.containers[0].env[0]).toEqual({ name: 'PROVIDER_REGEX', value: '^$' });
  });

  test('refuses a pattern that is no regular expression, with the parser message', () => {
    expect(() => approver({ nodeNamePattern: '^ip-(' + '$' })).toThrow(
      'test/approver: nodeNamePattern: "^ip-($" is not a regular expression (Invalid regular expression: /^ip-($/: Unterminated group). Fix: write a pattern anchored with ^...$ that matches only node names',
    );
  });

  test.each(['ip-.*\\.ec2\\.internal$', '^ip-.*\\.ec2\\.internal', 'ip-.*'])('refuses the unanchored pattern %p', (pattern) => {
    expect(() => approver({ nodeNamePattern: pattern })).toThrow(
      `test/approver: nodeNamePattern: "${pattern}" is not anchored, so names that merely contain a node name would get kubelet certificates. Fix: anchor it: ^...$`,
    );
  });

  test('refuses an empty list of networks', () => {
    expect(() => approver({ nodeIpPrefixes: [] })).toThrow(
      'test/approver: nodeIpPrefixes: no network is given, so every address would be accepted in a serving certificate. Fix: pass the networks node addresses come from (the VPC CIDR)',
    );
  });
});
