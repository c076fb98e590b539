import { Construct } from 'constructs';
import { KUBELET_CSR_APPROVER } from '../../contracts/versions';
import { refuse } from '../errors';
import type { DeploymentSpec } from '../k8s';
import { Manifest } from '../manifest';
import { Placement } from '../platform';
import { ADDON_NAMESPACE, bind, clusterRole, linuxPlacement, serviceAccount } from './common';

export interface KubeletCsrApproverProps {
  /** Linux nodes, from MixedArchCluster (the image is multi-arch). */
  readonly placement: Placement;
  /**
   * The node names a serving certificate may be issued for (`PROVIDER_REGEX`), e.g. the EC2 private
   * DNS names `^ip-(\d{1,3}-){3}\d{1,3}\.ec2\.internal$`.
   */
  readonly nodeNamePattern: string;
  /** The networks node addresses come from (`PROVIDER_IP_PREFIXES`), e.g. the VPC CIDR. */
  readonly nodeIpPrefixes: readonly string[];
}

const NAME = 'kubelet-csr-approver';
const REPLICAS = 2;
const HEALTH_PORT = 8081;

/**
 * postfinance/kubelet-csr-approver, after its `deploy/k8s` manifests and chart defaults: approves the
 * `kubernetes.io/kubelet-serving` CSRs the kubelets file with `serverTLSBootstrap: true` when the
 * requested name matches `nodeNamePattern`, resolves, and the addresses fall in `nodeIpPrefixes`
 * (kube-controller-manager then signs them with the cluster CA). kubeadm approves none of these,
 * and metrics-server verifies the kubelets' certificates against that CA.
 */
export class KubeletCsrApprover extends Construct {
  constructor(scope: Construct, id: string, props: KubeletCsrApproverProps) {
    super(scope, id);
    try {
      new RegExp(props.nodeNamePattern);
    } catch (error) {
      refuse(this, 'nodeNamePattern', `"${props.nodeNamePattern}" is not a regular expression (${(error as Error).message})`, 'write a pattern anchored with ^...$ that matches only node names');
    }
    if (!props.nodeNamePattern.startsWith('^') || !props.nodeNamePattern.endsWith('$')) {
      refuse(this, 'nodeNamePattern', `"${props.nodeNamePattern}" is not anchored, so names that merely contain a node name would get kubelet certificates`, 'anchor it: ^...$');
    }
    if (props.nodeIpPrefixes.length === 0) refuse(this, 'nodeIpPrefixes', 'no network is given, so every address would be accepted in a serving certificate', 'pass the networks node addresses come from (the VPC CIDR)');
    const labels = { app: NAME };
    serviceAccount(this, NAME, labels);
    clusterRole(this, NAME, labels, [
      { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create', 'get', 'update'] },
      { apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/approval'], verbs: ['update'] },
      { apiGroups: ['certificates.k8s.io'], resources: ['signers'], resourceNames: ['kubernetes.io/kubelet-serving'], verbs: ['approve'] },
      { apiGroups: [''], resources: ['events'], verbs: ['create'] },
    ]);
    bind(this, NAME, labels, { kind: 'ClusterRole', name: NAME }, NAME);
    const { placement } = props;
    const spec: DeploymentSpec = {
      replicas: REPLICAS,
      revisionHistoryLimit: 5,
      selector: { matchLabels: labels },
      // Leader election: one replica approves, the other takes over within seconds.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels },
        spec: {
          ...linuxPlacement(placement),
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                { weight: 100, podAffinityTerm: { labelSelector: { matchLabels: labels }, topologyKey: 'kubernetes.io/hostname' } },
              ],
            },
          },
          priorityClassName: 'system-cluster-critical',
          serviceAccountName: NAME,
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: NAME,
              image: KUBELET_CSR_APPROVER.image,
              args: ['-metrics-bind-address', ':8080', '-health-probe-bind-address', `:${HEALTH_PORT}`, '-leader-election'],
              env: [
                { name: 'PROVIDER_REGEX', value: props.nodeNamePattern },
                { name: 'PROVIDER_IP_PREFIXES', value: props.nodeIpPrefixes.join(',') },
                // A kubelet renews its serving certificate well before this (upstream's example: 366 days).
                { name: 'MAX_EXPIRATION_SEC', value: '31622400' },
              ],
              ports: [
                { name: 'metrics', containerPort: 8080, protocol: 'TCP' },
                { name: 'health', containerPort: HEALTH_PORT, protocol: 'TCP' },
              ],
              // It registers only /healthz (a ping): ready when it answers, restarted after a minute of silence.
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
    };
    new Manifest(this, 'Deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: NAME, namespace: ADDON_NAMESPACE, labels },
      spec,
    });
    new Manifest(this, 'PodDisruptionBudget', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: NAME, namespace: ADDON_NAMESPACE, labels },
      spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
    });
  }
}
