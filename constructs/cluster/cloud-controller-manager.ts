import { Construct } from 'constructs';
import { refuse } from '../errors';
import type { PodSpec } from '../k8s';
import { AWS_CLOUD_CONTROLLER_MANAGER, AWS_CLOUD_CONTROLLER_MANAGER_REPOSITORY } from '../../contracts/versions';
import { addonDaemonSet, AUTHENTICATION_READER, bind, clusterRole, PolicyRule, serviceAccount } from './common';

/**
 * The CCM's ClusterRole: cloud-provider-aws' chart `clusterRoleRules`. The last two let its secure
 * port authenticate and authorize callers by delegation (TokenReview, SubjectAccessReview); without
 * them every request to :10258 (health, metrics) fails.
 */
export const CLOUD_CONTROLLER_MANAGER_RULES: readonly PolicyRule[] = [
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

/** `1.34` of `1.34.2`, or undefined when the version is not `<major>.<minor>[.<patch>]`. */
export function kubernetesMinor(version: string): string | undefined {
  return /^(\d+\.\d+)(\.\d+)?$/.exec(version)?.[1];
}

/** The CCM image for a cluster version; refuses (naming `who`) a minor without a pinned release. */
export function awsCloudControllerManagerImage(who: Construct | string, kubernetesVersion: string): string {
  const minor = kubernetesMinor(kubernetesVersion);
  const release = minor && AWS_CLOUD_CONTROLLER_MANAGER[minor];
  if (!release) {
    refuse(
      who,
      'kubernetesVersion',
      `no AWS cloud-controller-manager release is pinned for Kubernetes ${minor ?? kubernetesVersion} (pinned: ${Object.keys(AWS_CLOUD_CONTROLLER_MANAGER).join(', ')}); the CCM must match the cluster's minor`,
      'add the matching kubernetes/cloud-provider-aws release to AWS_CLOUD_CONTROLLER_MANAGER in contracts/versions.ts',
    );
  }
  return `${AWS_CLOUD_CONTROLLER_MANAGER_REPOSITORY}:${release}`;
}

export interface AwsCloudControllerManagerProps {
  /** The cluster's version; the CCM release line follows its minor. */
  readonly kubernetesVersion: string;
}

const SA = 'cloud-controller-manager';

/**
 * The AWS cloud-controller-manager, after cloud-provider-aws' examples/existing-cluster: the kubelets
 * and kube-controller-manager run with `--cloud-provider=external`, so this initializes nodes
 * (provider IDs, zones, addresses) and provisions the load balancers of `type: LoadBalancer` Services.
 */
export class AwsCloudControllerManager extends Construct {
  constructor(scope: Construct, id: string, props: AwsCloudControllerManagerProps) {
    super(scope, id);
    const image = awsCloudControllerManagerImage(this, props.kubernetesVersion);
    const labels = { 'k8s-app': 'aws-cloud-controller-manager' };
    serviceAccount(this, SA, labels);
    clusterRole(this, 'system:cloud-controller-manager', labels, CLOUD_CONTROLLER_MANAGER_RULES);
    bind(this, 'system:cloud-controller-manager', labels, { kind: 'ClusterRole', name: 'system:cloud-controller-manager' }, SA);
    bind(this, 'cloud-controller-manager:apiserver-authentication-reader', labels, AUTHENTICATION_READER, SA);
    const pod: PodSpec = {
      os: { name: 'linux' },
      nodeSelector: { 'kubernetes.io/os': 'linux', 'node-role.kubernetes.io/control-plane': '' },
      tolerations: [
        // Nodes stay tainted uninitialized until this very controller initializes them.
        { key: 'node.cloudprovider.kubernetes.io/uninitialized', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
        { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
      ],
      hostNetwork: true,
      priorityClassName: 'system-cluster-critical',
      serviceAccountName: SA,
      containers: [
        {
          name: 'aws-cloud-controller-manager',
          image,
          args: [
            '--v=2',
            '--cloud-provider=aws',
            // One token per controller (upstream default); the ClusterRole lets it mint them.
            '--use-service-account-credentials=true',
            // flannel routes pod traffic itself; VPC route tables stay untouched.
            '--configure-cloud-routes=false',
          ],
          resources: { requests: { cpu: '200m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } },
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
        },
      ],
    };
    addonDaemonSet(this, 'DaemonSet', {
      name: 'aws-cloud-controller-manager',
      labels,
      privileges: {
        hostNetwork:
          'the CCM must run before the pod network exists (it initializes the nodes flannel then uses) and reaches the EC2 instance metadata service with the control plane instance role',
      },
      pod,
    });
  }
}
