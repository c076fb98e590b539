import { Construct } from 'constructs';
import { SNAPSHOT_CONTROLLER } from '../../contracts/versions';
import type { ICustomResourceDefinition } from 'kubernetes-models/apiextensions.k8s.io/v1/CustomResourceDefinition';
import type { DeploymentSpec } from '../k8s';
import { Manifest } from '../manifest';
import { Placement } from '../platform';
import { ADDON_NAMESPACE, bind, clusterRole, linuxPlacement, serviceAccount } from './common';
import SNAPSHOT_CRDS from './vendor/external-snapshotter/snapshot-crds.v8.6.0.json';

export interface SnapshotControllerProps {
  /** Linux nodes, from MixedArchCluster (the image is multi-arch). */
  readonly placement: Placement;
}

const SA = 'snapshot-controller';

/**
 * The CSI snapshot controller (external-snapshotter v8.6.0, `deploy/kubernetes/snapshot-controller`)
 * and the `snapshot.storage.k8s.io/v1` CRDs it serves, so VolumeSnapshots work with any CSI driver
 * whose sidecar takes them (the EBS CSI driver's csi-snapshotter). The CRDs come first: in
 * `01-cluster.yaml`, they are in place before any workload file creates a VolumeSnapshot.
 */
export class SnapshotController extends Construct {
  constructor(scope: Construct, id: string, props: SnapshotControllerProps) {
    super(scope, id);
    for (const vendored of SNAPSHOT_CRDS) {
      // The files carry controller-gen's empty `status`, which is the API server's to write.
      const { status: _status, ...crd } = vendored as unknown as ICustomResourceDefinition;
      new Manifest(this, `CRD-${crd.metadata!.name}`, crd);
    }
    const labels = { 'app.kubernetes.io/name': 'snapshot-controller' };
    serviceAccount(this, SA, labels);
    clusterRole(this, 'snapshot-controller-runner', labels, [
      { apiGroups: [''], resources: ['persistentvolumes'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['get', 'list', 'watch', 'update'] },
      { apiGroups: [''], resources: ['events'], verbs: ['list', 'watch', 'create', 'update', 'patch'] },
      { apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshotclasses'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshotcontents'], verbs: ['create', 'get', 'list', 'watch', 'update', 'delete', 'patch'] },
      { apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshotcontents/status'], verbs: ['patch'] },
      { apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshots'], verbs: ['create', 'get', 'list', 'watch', 'update', 'patch', 'delete'] },
      { apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshots/status'], verbs: ['update', 'patch'] },
    ]);
    bind(this, 'snapshot-controller-role', labels, { kind: 'ClusterRole', name: 'snapshot-controller-runner' }, SA);
    new Manifest(this, 'Role-leaderelection', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'snapshot-controller-leaderelection', namespace: ADDON_NAMESPACE, labels },
      rules: [{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'watch', 'list', 'delete', 'update', 'create'] }],
    });
    bind(this, 'snapshot-controller-leaderelection', labels, { kind: 'Role', name: 'snapshot-controller-leaderelection' }, SA);
    const spec: DeploymentSpec = {
      replicas: 2,
      // As upstream: the controller waits up to 30 s for its CRDs before it reports ready.
      minReadySeconds: 35,
      revisionHistoryLimit: 5,
      selector: { matchLabels: labels },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
      template: {
        metadata: { labels },
        spec: {
          ...linuxPlacement(props.placement),
          priorityClassName: 'system-cluster-critical',
          serviceAccountName: SA,
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: { matchLabels: labels }, topologyKey: 'kubernetes.io/hostname' } }],
            },
          },
          securityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'snapshot-controller',
              image: SNAPSHOT_CONTROLLER.image,
              args: ['--v=2', '--leader-election=true', '--http-endpoint=:8080'],
              ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
              // Its HTTP endpoint serves /healthz/leader-election, which fails when the leader loses its lease.
              readinessProbe: { httpGet: { path: '/healthz/leader-election', port: 'http' }, periodSeconds: 10 },
              // Liveness only asks that the process serves: a follower that lost an election is not stuck.
              livenessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 20, failureThreshold: 6 },
              resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
            },
          ],
        },
      },
    };
    new Manifest(this, 'Deployment', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'snapshot-controller', namespace: ADDON_NAMESPACE, labels }, spec });
    new Manifest(this, 'PodDisruptionBudget', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'snapshot-controller', namespace: ADDON_NAMESPACE, labels },
      spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
    });
  }
}
