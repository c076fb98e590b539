/**
 * The AWS cloud-controller-manager (constructs/cluster/cloud-controller-manager.ts).
 * Oracle: kubernetes/cloud-provider-aws examples/existing-cluster/base (DaemonSet args, tolerations,
 * serviceaccounts verbs) and charts/aws-cloud-controller-manager values.yaml (clusterRoleRules with
 * tokenreviews / subjectaccessreviews, roleBindingName, serviceAccountName, requests cpu 200m).
 */
import {
  AwsCloudControllerManager,
  awsCloudControllerManagerImage,
  CLOUD_CONTROLLER_MANAGER_RULES,
  kubernetesMinor,
} from '../../constructs/cluster/cloud-controller-manager';
import { ConstructError } from '../../constructs/errors';
import { AWS_CLOUD_CONTROLLER_MANAGER } from '../../contracts/versions';
import { find, synthObjects } from '../util/synth';

const LABELS = { 'k8s-app': 'aws-cloud-controller-manager' };
const ANNOTATION = 'guardrails.k8s-book-systems.io/node-agent';
const RULES = [
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch', 'update'] },
  { apiGroups: [''], resources: ['nodes'], verbs: ['*'] },
  { apiGroups: [''], resources: ['nodes/status'], verbs: ['patch'] },
  { apiGroups: [''], resources: ['services'], verbs: ['list', 'patch', 'update', 'watch'] },
  { apiGroups: [''], resources: ['services/status'], verbs: ['list', 'patch', 'update', 'watch'] },
  { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['create', 'get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['persistentvolumes'], verbs: ['get', 'list', 'update', 'watch'] },
  { apiGroups: [''], resources: ['endpoints'], verbs: ['create', 'get', 'list', 'watch', 'update'] },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create', 'get', 'list', 'watch', 'update'] },
  { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] },
  { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
  { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
];

describe('kubernetesMinor', () => {
  test.each([
    ['1.34.2', '1.34'],
    ['1.34', '1.34'],
    ['11.345.67', '11.345'],
    ['1.34.22', '1.34'],
    ['v1.34.2', undefined],
    ['1.34.2.1', undefined],
    ['1.34.', undefined],
    ['1', undefined],
    ['1.x', undefined],
    ['a1.34', undefined],
    ['1.34a', undefined],
    ['1.34.2 ', undefined],
    ['', undefined],
  ])('%p -> %p', (version, minor) => {
    expect(kubernetesMinor(version)).toBe(minor);
  });
});

describe('awsCloudControllerManagerImage', () => {
  test("the pinned release of the cluster's minor, whatever its patch", () => {
    expect(awsCloudControllerManagerImage('env', '1.34.2')).toBe('registry.k8s.io/provider-aws/cloud-controller-manager:v1.34.3');
    expect(awsCloudControllerManagerImage('env', '1.34')).toBe('registry.k8s.io/provider-aws/cloud-controller-manager:v1.34.3');
  });

  test('refuses a minor without a pinned release, naming the minor and the pinned ones', () => {
    const problem = "no AWS cloud-controller-manager release is pinned for Kubernetes 1.33 (pinned: 1.34); the CCM must match the cluster's minor";
    const fix = 'add the matching kubernetes/cloud-provider-aws release to AWS_CLOUD_CONTROLLER_MANAGER in contracts/versions.ts';
    expect(() => awsCloudControllerManagerImage('env/prod', '1.33.5')).toThrow(new ConstructError('env/prod', 'kubernetesVersion', problem, fix));
    expect(() => awsCloudControllerManagerImage('env/prod', '1.33.5')).toThrow(`env/prod: kubernetesVersion: ${problem}. Fix: ${fix}`);
  });

  test('refuses a version that is no version, naming it whole', () => {
    expect(() => awsCloudControllerManagerImage('x', 'latest')).toThrow(
      "x: kubernetesVersion: no AWS cloud-controller-manager release is pinned for Kubernetes latest (pinned: 1.34); the CCM must match the cluster's minor. Fix: add the matching kubernetes/cloud-provider-aws release to AWS_CLOUD_CONTROLLER_MANAGER in contracts/versions.ts",
    );
  });

  test('with two pinned lines the refusal lists both, comma-separated, and each minor gets its own release', () => {
    const table = AWS_CLOUD_CONTROLLER_MANAGER as Record<string, string>;
    table['1.35'] = 'v1.35.1';
    try {
      expect(awsCloudControllerManagerImage('x', '1.35.4')).toBe('registry.k8s.io/provider-aws/cloud-controller-manager:v1.35.1');
      expect(awsCloudControllerManagerImage('x', '1.34.4')).toBe('registry.k8s.io/provider-aws/cloud-controller-manager:v1.34.3');
      expect(() => awsCloudControllerManagerImage('x', '1.36.0')).toThrow('for Kubernetes 1.36 (pinned: 1.34, 1.35); the CCM');
    } finally {
      delete table['1.35'];
    }
    expect(Object.keys(AWS_CLOUD_CONTROLLER_MANAGER)).toEqual(['1.34']);
  });

  test('the construct refuses at its own path', () => {
    expect(() => synthObjects((chart) => new AwsCloudControllerManager(chart, 'ccm', { kubernetesVersion: '1.35.0' }))).toThrow(
      "test/ccm: kubernetesVersion: no AWS cloud-controller-manager release is pinned for Kubernetes 1.35 (pinned: 1.34); the CCM must match the cluster's minor. Fix: add the matching kubernetes/cloud-provider-aws release to AWS_CLOUD_CONTROLLER_MANAGER in contracts/versions.ts",
    );
  });
});

describe('AwsCloudControllerManager', () => {
  const objects = synthObjects((chart) => new AwsCloudControllerManager(chart, 'ccm', { kubernetesVersion: '1.34.2' }));

  test('renders the ServiceAccount, ClusterRole, two bindings and the DaemonSet, and nothing else', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/cloud-controller-manager',
      'ClusterRole/system:cloud-controller-manager',
      'ClusterRoleBinding/system:cloud-controller-manager',
      'RoleBinding/cloud-controller-manager:apiserver-authentication-reader',
      'DaemonSet/aws-cloud-controller-manager',
    ]);
  });

  test("the ClusterRole is the chart's clusterRoleRules, each entry", () => {
    expect(CLOUD_CONTROLLER_MANAGER_RULES).toEqual(RULES);
    expect(find(objects, 'ClusterRole')).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'system:cloud-controller-manager', labels: LABELS },
      rules: RULES,
    });
  });

  test('ServiceAccount and bindings in kube-system', () => {
    expect(find(objects, 'ServiceAccount')).toEqual({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'cloud-controller-manager', namespace: 'kube-system', labels: LABELS },
    });
    expect(find(objects, 'ClusterRoleBinding')).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'system:cloud-controller-manager', labels: LABELS },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:cloud-controller-manager' },
      subjects: [{ kind: 'ServiceAccount', name: 'cloud-controller-manager', namespace: 'kube-system' }],
    });
    expect(find(objects, 'RoleBinding')).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'cloud-controller-manager:apiserver-authentication-reader', namespace: 'kube-system', labels: LABELS },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'extension-apiserver-authentication-reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'cloud-controller-manager', namespace: 'kube-system' }],
    });
  });

  test('DaemonSet on the control planes, tolerating uninitialized nodes, host network, cluster-critical', () => {
    expect(find(objects, 'DaemonSet')).toEqual({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: {
        name: 'aws-cloud-controller-manager',
        namespace: 'kube-system',
        labels: LABELS,
        annotations: {
          [ANNOTATION]:
            'hostNetwork: the CCM must run before the pod network exists (it initializes the nodes flannel then uses) and reaches the EC2 instance metadata service with the control plane instance role',
        },
      },
      spec: {
        selector: { matchLabels: LABELS },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
        template: {
          metadata: { labels: LABELS },
          spec: {
            os: { name: 'linux' },
            nodeSelector: { 'kubernetes.io/os': 'linux', 'node-role.kubernetes.io/control-plane': '' },
            tolerations: [
              { key: 'node.cloudprovider.kubernetes.io/uninitialized', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
              { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
            ],
            hostNetwork: true,
            priorityClassName: 'system-cluster-critical',
            serviceAccountName: 'cloud-controller-manager',
            containers: [
              {
                name: 'aws-cloud-controller-manager',
                image: 'registry.k8s.io/provider-aws/cloud-controller-manager:v1.34.3',
                args: ['--v=2', '--cloud-provider=aws', '--use-service-account-credentials=true', '--configure-cloud-routes=false'],
                resources: { requests: { cpu: '200m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } },
                securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
              },
            ],
          },
        },
      },
    });
  });
});
