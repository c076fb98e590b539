/**
 * The CSI snapshot controller and its CRDs (constructs/cluster/snapshot-controller.ts).
 * Oracle: kubernetes-csi/external-snapshotter v8.6.0 deploy/kubernetes/snapshot-controller
 * (rbac-snapshot-controller.yaml without the groupsnapshot rules, setup-snapshot-controller.yaml:
 * 2 replicas, minReadySeconds 35, maxSurge 0 / maxUnavailable 1, --leader-election=true) and
 * client/config/crd (the three snapshot.storage.k8s.io CRDs, v1 served and stored, v1beta1 neither).
 */
import { SnapshotController } from '../../constructs/cluster/snapshot-controller';
import type { Placement } from '../../constructs/platform';
import { find, Manifest, synthObjects } from '../util/synth';

const LABELS = { 'app.kubernetes.io/name': 'snapshot-controller' };
const placement: Placement = {
  platform: { os: 'linux' },
  nodeSelector: { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' },
  tolerations: [],
  eligibleNodes: 3,
  pools: ['linux-amd64'],
};

describe('SnapshotController', () => {
  const objects: Manifest[] = synthObjects((chart) => new SnapshotController(chart, 'snap', { placement }));

  test('the CRDs come first, then RBAC, the Deployment and its PodDisruptionBudget, and nothing else', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'CustomResourceDefinition/volumesnapshotclasses.snapshot.storage.k8s.io',
      'CustomResourceDefinition/volumesnapshotcontents.snapshot.storage.k8s.io',
      'CustomResourceDefinition/volumesnapshots.snapshot.storage.k8s.io',
      'ServiceAccount/snapshot-controller',
      'ClusterRole/snapshot-controller-runner',
      'ClusterRoleBinding/snapshot-controller-role',
      'Role/snapshot-controller-leaderelection',
      'RoleBinding/snapshot-controller-leaderelection',
      'Deployment/snapshot-controller',
      'PodDisruptionBudget/snapshot-controller',
    ]);
  });

  test.each([
    ['volumesnapshotclasses', 'VolumeSnapshotClass', 'Cluster', 'https://github.com/kubernetes-csi/external-snapshotter/pull/814'],
    ['volumesnapshotcontents', 'VolumeSnapshotContent', 'Cluster', 'https://github.com/kubernetes-csi/external-snapshotter/pull/955'],
    ['volumesnapshots', 'VolumeSnapshot', 'Namespaced', 'https://github.com/kubernetes-csi/external-snapshotter/pull/814'],
  ])('CRD %s: v1 served and stored, without the status the API server writes', (plural, kind, scope, approval) => {
    const crd = find(objects, 'CustomResourceDefinition', `${plural}.snapshot.storage.k8s.io`);
    expect(crd.apiVersion).toBe('apiextensions.k8s.io/v1');
    expect(crd.status).toBeUndefined();
    expect(Object.keys(crd).sort()).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(crd.metadata.annotations).toEqual({ 'api-approved.kubernetes.io': approval, 'controller-gen.kubebuilder.io/version': 'v0.15.0' });
    expect(crd.spec.group).toBe('snapshot.storage.k8s.io');
    expect(crd.spec.scope).toBe(scope);
    expect(crd.spec.names.kind).toBe(kind);
    expect(crd.spec.names.plural).toBe(plural);
    expect(crd.spec.versions.map((v: Manifest) => [v.name, v.served, v.storage])).toEqual([
      ['v1', true, true],
      ['v1beta1', false, false],
    ]);
  });

  test("RBAC: upstream's runner rules without group snapshots, leader election in kube-system", () => {
    expect(find(objects, 'ServiceAccount')).toEqual({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'snapshot-controller', namespace: 'kube-system', labels: LABELS } });
    expect(find(objects, 'ClusterRole')).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'snapshot-controller-runner', labels: LABELS },
      rules: [
        { apiGroups: [''], resources: ['persistentvolumes'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['get', 'list', 'watch', 'update'] },
        { apiGroups: [''], resources: ['events'], verbs: ['list', 'watch', 'create', 'update', 'patch'] },
        { apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshotclasses'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshotcontents'], verbs: ['create', 'get', 'list', 'watch', 'update', 'delete', 'patch'] },
        { apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshotcontents/status'], verbs: ['patch'] },
        { apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshots'], verbs: ['create', 'get', 'list', 'watch', 'update', 'patch', 'delete'] },
        { apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshots/status'], verbs: ['update', 'patch'] },
      ],
    });
    const subjects = [{ kind: 'ServiceAccount', name: 'snapshot-controller', namespace: 'kube-system' }];
    expect(find(objects, 'ClusterRoleBinding')).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'snapshot-controller-role', labels: LABELS },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'snapshot-controller-runner' },
      subjects,
    });
    expect(find(objects, 'Role')).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'snapshot-controller-leaderelection', namespace: 'kube-system', labels: LABELS },
      rules: [{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'watch', 'list', 'delete', 'update', 'create'] }],
    });
    expect(find(objects, 'RoleBinding')).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'snapshot-controller-leaderelection', namespace: 'kube-system', labels: LABELS },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'snapshot-controller-leaderelection' },
      subjects,
    });
  });

  test('Deployment: two leader-elected replicas, 35 s minReady, readiness on the leader-election health check', () => {
    expect(find(objects, 'Deployment')).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'snapshot-controller', namespace: 'kube-system', labels: LABELS },
      spec: {
        replicas: 2,
        minReadySeconds: 35,
        revisionHistoryLimit: 5,
        selector: { matchLabels: LABELS },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
        template: {
          metadata: { labels: LABELS },
          spec: {
            os: { name: 'linux' },
            nodeSelector: { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' },
            priorityClassName: 'system-cluster-critical',
            serviceAccountName: 'snapshot-controller',
            affinity: {
              podAntiAffinity: {
                preferredDuringSchedulingIgnoredDuringExecution: [
                  { weight: 100, podAffinityTerm: { labelSelector: { matchLabels: LABELS }, topologyKey: 'kubernetes.io/hostname' } },
                ],
              },
            },
            securityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: 'snapshot-controller',
                image: 'registry.k8s.io/sig-storage/snapshot-controller:v8.6.0',
                args: ['--v=2', '--leader-election=true', '--http-endpoint=:8080'],
                ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
                readinessProbe: { httpGet: { path: '/healthz/leader-election', port: 'http' }, periodSeconds: 10 },
                livenessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 20, failureThreshold: 6 },
                resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
                securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
              },
            ],
          },
        },
      },
    });
  });

  test('PodDisruptionBudget', () => {
    expect(find(objects, 'PodDisruptionBudget')).toEqual({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'snapshot-controller', namespace: 'kube-system', labels: LABELS },
      spec: { maxUnavailable: 1, selector: { matchLabels: LABELS } },
    });
  });
});
