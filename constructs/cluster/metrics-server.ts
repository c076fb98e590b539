import { Manifest } from '../manifest';
import { Construct } from 'constructs';
import { refuse } from '../errors';
import type { DeploymentSpec } from '../k8s';
import { Placement } from '../platform';
import { METRICS_SERVER } from '../../contracts/versions';
import { ADDON_NAMESPACE, AUTHENTICATION_READER, bind, clusterRole, linuxPlacement, serviceAccount } from './common';

export const METRICS_SERVER_IMAGE = METRICS_SERVER.image;

export interface MetricsServerProps {
  /** Linux nodes, from MixedArchCluster (the image is multi-arch). */
  readonly placement: Placement;
}

const SA = 'metrics-server';
const REPLICAS = 2;

/** Lets the default view/edit/admin roles read pod and node metrics. */
const aggregateToDefaultRoles = {
  'rbac.authorization.k8s.io/aggregate-to-view': 'true',
  'rbac.authorization.k8s.io/aggregate-to-edit': 'true',
  'rbac.authorization.k8s.io/aggregate-to-admin': 'true',
};

/**
 * metrics-server in its upstream high-availability shape (2 replicas on different nodes and a
 * PodDisruptionBudget), serving `metrics.k8s.io` so HPAs and `kubectl top` work. It verifies every
 * kubelet's serving certificate against the cluster CA, so the kubelets must run with
 * `serverTLSBootstrap: true` and their CSRs be approved (KubeletCsrApprover): no `--kubelet-insecure-tls`.
 */
export class MetricsServer extends Construct {
  constructor(scope: Construct, id: string, props: MetricsServerProps) {
    super(scope, id);
    const { placement } = props;
    if (placement.eligibleNodes < REPLICAS) {
      refuse(
        this,
        'placement',
        `metrics-server runs ${REPLICAS} replicas on different nodes, but only ${placement.eligibleNodes} node(s) of pool(s) ${placement.pools.join(', ') || 'none'} are guaranteed`,
        `give the Linux pools a minimum of at least ${REPLICAS} nodes, or set metricsServer: false`,
      );
    }
    const labels = { 'k8s-app': 'metrics-server' };
    serviceAccount(this, SA, labels);
    clusterRole(this, 'system:aggregated-metrics-reader', { ...labels, ...aggregateToDefaultRoles }, [
      { apiGroups: ['metrics.k8s.io'], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] },
    ]);
    clusterRole(this, 'system:metrics-server', labels, [
      { apiGroups: [''], resources: ['nodes/metrics'], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] },
    ]);
    bind(this, 'system:metrics-server', labels, { kind: 'ClusterRole', name: 'system:metrics-server' }, SA);
    bind(this, 'metrics-server:system:auth-delegator', labels, { kind: 'ClusterRole', name: 'system:auth-delegator' }, SA);
    bind(this, 'metrics-server-auth-reader', labels, AUTHENTICATION_READER, SA);
    new Manifest(this, 'Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'metrics-server', namespace: ADDON_NAMESPACE, labels },
      spec: { type: 'ClusterIP', selector: labels, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 'https', appProtocol: 'https' }] },
    });
    const spec: DeploymentSpec = {
      replicas: REPLICAS,
      revisionHistoryLimit: 5,
      selector: { matchLabels: labels },
      // Replicas fill distinct nodes, so a surge pod may have nowhere to go: replace one at a time.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
      template: {
        metadata: { labels },
        spec: {
          ...linuxPlacement(placement),
          affinity: {
            podAntiAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: labels }, topologyKey: 'kubernetes.io/hostname' }],
            },
          },
          priorityClassName: 'system-cluster-critical',
          serviceAccountName: SA,
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'metrics-server',
              image: METRICS_SERVER.image,
              args: [
                '--cert-dir=/tmp',
                '--secure-port=10250',
                // AWS private DNS names resolve only through the VPC resolver; the InternalIP always works.
                '--kubelet-preferred-address-types=InternalIP',
                '--kubelet-use-node-status-port',
                '--metric-resolution=15s',
              ],
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
    };
    new Manifest(this, 'Deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'metrics-server', namespace: ADDON_NAMESPACE, labels },
      spec,
    });
    new Manifest(this, 'PodDisruptionBudget', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'metrics-server', namespace: ADDON_NAMESPACE, labels },
      spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
    });
    new Manifest(this, 'APIService', {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: 'v1beta1.metrics.k8s.io', labels },
      spec: {
        service: { name: 'metrics-server', namespace: ADDON_NAMESPACE },
        group: 'metrics.k8s.io',
        version: 'v1beta1',
        // As upstream: metrics-server generates its serving certificate at start, so there is no CA to pin.
        insecureSkipTLSVerify: true,
        groupPriorityMinimum: 100,
        versionPriority: 100,
      },
    });
  }
}
