/**
 * metrics-server (constructs/cluster/metrics-server.ts).
 * Oracle: kubernetes-sigs/metrics-server manifests/base (deployment.yaml, rbac.yaml, service.yaml,
 * apiservice.yaml) with the high-availability component (2 replicas, required pod anti-affinity on
 * kubernetes.io/hostname, maxUnavailable 1, a PodDisruptionBudget), overlay release-ha-1.21+.
 */
import { MetricsServer, METRICS_SERVER_IMAGE } from '../../constructs/cluster/metrics-server';
import type { Placement } from '../../constructs/platform';
import { find, Manifest, synthObjects } from '../util/synth';

const LABELS = { 'k8s-app': 'metrics-server' };

function placement(overrides: Partial<Placement> = {}): Placement {
  return {
    platform: { os: 'linux' },
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    tolerations: [],
    eligibleNodes: 6,
    pools: ['linux-amd64', 'linux-arm64'],
    ...overrides,
  };
}

const metrics = (p: Placement): Manifest[] => synthObjects((chart) => new MetricsServer(chart, 'ms', { placement: p }));

describe('MetricsServer', () => {
  const objects = metrics(placement());

  test('the image is the pinned release', () => {
    expect(METRICS_SERVER_IMAGE).toBe('registry.k8s.io/metrics-server/metrics-server:v0.9.0');
  });

  test('renders the upstream objects, and nothing else', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/metrics-server',
      'ClusterRole/system:aggregated-metrics-reader',
      'ClusterRole/system:metrics-server',
      'ClusterRoleBinding/system:metrics-server',
      'ClusterRoleBinding/metrics-server:system:auth-delegator',
      'RoleBinding/metrics-server-auth-reader',
      'Service/metrics-server',
      'Deployment/metrics-server',
      'PodDisruptionBudget/metrics-server',
      'APIService/v1beta1.metrics.k8s.io',
    ]);
  });

  test('RBAC: the aggregated reader (to view/edit/admin), the server role, auth delegation and the auth reader', () => {
    expect(find(objects, 'ServiceAccount')).toEqual({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'metrics-server', namespace: 'kube-system', labels: LABELS } });
    expect(find(objects, 'ClusterRole', 'system:aggregated-metrics-reader')).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: {
        name: 'system:aggregated-metrics-reader',
        labels: {
          'k8s-app': 'metrics-server',
          'rbac.authorization.k8s.io/aggregate-to-view': 'true',
          'rbac.authorization.k8s.io/aggregate-to-edit': 'true',
          'rbac.authorization.k8s.io/aggregate-to-admin': 'true',
        },
      },
      rules: [{ apiGroups: ['metrics.k8s.io'], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] }],
    });
    expect(find(objects, 'ClusterRole', 'system:metrics-server')).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'system:metrics-server', labels: LABELS },
      rules: [
        { apiGroups: [''], resources: ['nodes/metrics'], verbs: ['get'] },
        { apiGroups: [''], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] },
      ],
    });
    const subjects = [{ kind: 'ServiceAccount', name: 'metrics-server', namespace: 'kube-system' }];
    expect(find(objects, 'ClusterRoleBinding', 'system:metrics-server')).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'system:metrics-server', labels: LABELS },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:metrics-server' },
      subjects,
    });
    expect(find(objects, 'ClusterRoleBinding', 'metrics-server:system:auth-delegator')).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'metrics-server:system:auth-delegator', labels: LABELS },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:auth-delegator' },
      subjects,
    });
    expect(find(objects, 'RoleBinding', 'metrics-server-auth-reader')).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'metrics-server-auth-reader', namespace: 'kube-system', labels: LABELS },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'extension-apiserver-authentication-reader' },
      subjects,
    });
  });

  test('Service: https 443 to the named port', () => {
    expect(find(objects, 'Service')).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'metrics-server', namespace: 'kube-system', labels: LABELS },
      spec: { type: 'ClusterIP', selector: LABELS, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 'https', appProtocol: 'https' }] },
    });
  });

  test('Deployment: the HA shape, verified kubelet TLS (no --kubelet-insecure-tls), restricted container', () => {
    expect(find(objects, 'Deployment')).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'metrics-server', namespace: 'kube-system', labels: LABELS },
      spec: {
        replicas: 2,
        revisionHistoryLimit: 5,
        selector: { matchLabels: LABELS },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
        template: {
          metadata: { labels: LABELS },
          spec: {
            os: { name: 'linux' },
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            affinity: {
              podAntiAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: LABELS }, topologyKey: 'kubernetes.io/hostname' }],
              },
            },
            priorityClassName: 'system-cluster-critical',
            serviceAccountName: 'metrics-server',
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: 'metrics-server',
                image: 'registry.k8s.io/metrics-server/metrics-server:v0.9.0',
                args: ['--cert-dir=/tmp', '--secure-port=10250', '--kubelet-preferred-address-types=InternalIP', '--kubelet-use-node-status-port', '--metric-resolution=15s'],
                ports: [{ name: 'https', containerPort: 10250, protocol: 'TCP' }],
                readinessProbe: { httpGet: { path: '/readyz', port: 'https', scheme: 'HTTPS' }, initialDelaySeconds: 20, periodSeconds: 10, failureThreshold: 3 },
                livenessProbe: { httpGet: { path: '/livez', port: 'https', scheme: 'HTTPS' }, periodSeconds: 10, failureThreshold: 3 },
                resources: { requests: { cpu: '100m', memory: '200Mi' }, limits: { cpu: '1', memory: '500Mi' } },
                securityContext: {
                  readOnlyRootFilesystem: true,
                  runAsNonRoot: true,
                  runAsUser: 1000,
                  allowPrivilegeEscalation: false,
                  seccompProfile: { type: 'RuntimeDefault' },
                  capabilities: { drop: ['ALL'] },
                },
                volumeMounts: [{ name: 'tmp-dir', mountPath: '/tmp' }],
              },
            ],
            volumes: [{ name: 'tmp-dir', emptyDir: {} }],
          },
        },
      },
    });
  });

  test('PodDisruptionBudget and APIService v1beta1.metrics.k8s.io', () => {
    expect(find(objects, 'PodDisruptionBudget')).toEqual({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'metrics-server', namespace: 'kube-system', labels: LABELS },
      spec: { maxUnavailable: 1, selector: { matchLabels: LABELS } },
    });
    expect(find(objects, 'APIService')).toEqual({
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: 'v1beta1.metrics.k8s.io', labels: LABELS },
      spec: {
        service: { name: 'metrics-server', namespace: 'kube-system' },
        group: 'metrics.k8s.io',
        version: 'v1beta1',
        insecureSkipTLSVerify: true,
        groupPriorityMinimum: 100,
        versionPriority: 100,
      },
    });
  });

  test("the placement's node selector and tolerations reach the pod", () => {
    const pod = find(
      metrics(placement({ nodeSelector: { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'arm64' }, tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'infra', effect: 'NoSchedule' }] })),
      'Deployment',
    ).spec.template.spec;
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'arm64' });
    expect(pod.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'infra', effect: 'NoSchedule' }]);
    expect(pod.os).toEqual({ name: 'linux' });
  });

  test('two guaranteed nodes are enough', () => {
    expect(find(metrics(placement({ eligibleNodes: 2, pools: ['a'] })), 'Deployment').spec.replicas).toBe(2);
  });

  test('refuses fewer guaranteed nodes than replicas, naming the pools', () => {
    expect(() => metrics(placement({ eligibleNodes: 1, pools: ['linux-amd64', 'linux-arm64'] }))).toThrow(
      'test/ms: placement: metrics-server runs 2 replicas on different nodes, but only 1 node(s) of pool(s) linux-amd64, linux-arm64 are guaranteed. Fix: give the Linux pools a minimum of at least 2 nodes, or set metricsServer: false',
    );
  });

  test('refuses no pool at all, saying none', () => {
    expect(() => metrics(placement({ eligibleNodes: 0, pools: [] }))).toThrow(
      'test/ms: placement: metrics-server runs 2 replicas on different nodes, but only 0 node(s) of pool(s) none are guaranteed. Fix: give the Linux pools a minimum of at least 2 nodes, or set metricsServer: false',
    );
  });
});
