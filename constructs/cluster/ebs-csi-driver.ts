import { Construct } from 'constructs';
import { AWS_EBS_CSI_DRIVER } from '../../contracts/versions';
import type { Container, PodSpec } from '../k8s';
import { Manifest } from '../manifest';
import { ADDON_NAMESPACE, addonDaemonSet, bind, clusterRole, PolicyRule, serviceAccount } from './common';

/** The CSI driver name, StorageClass provisioner and VolumeSnapshotClass driver. */
export const EBS_CSI_DRIVER = 'ebs.csi.aws.com';

export interface AwsEbsCsiDriverProps {
  /** The StorageClass it provides (gp3, encrypted, bound where the pod lands). Made the cluster default. */
  readonly storageClassName: string;
  /** The VolumeSnapshotClass it provides. Needs the snapshot controller and its CRDs. */
  readonly snapshotClassName: string;
}

const CONTROLLER_SA = 'ebs-csi-controller-sa';
const NODE_SA = 'ebs-csi-node-sa';
const SOCKET_DIR = '/var/lib/csi/sockets/pluginproxy/';
const SIDECAR_RESOURCES = { requests: { cpu: '10m', memory: '40Mi' }, limits: { cpu: '200m', memory: '256Mi' } };
const RESTRICTED = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, seccompProfile: { type: 'RuntimeDefault' as const } };

const ATTACHER_RULES: PolicyRule[] = [
  { apiGroups: [''], resources: ['persistentvolumes'], verbs: ['get', 'list', 'watch', 'patch'] },
  { apiGroups: ['storage.k8s.io'], resources: ['csinodes'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['storage.k8s.io'], resources: ['volumeattachments'], verbs: ['get', 'list', 'watch', 'patch'] },
  { apiGroups: ['storage.k8s.io'], resources: ['volumeattachments/status'], verbs: ['patch'] },
];
const PROVISIONER_RULES: PolicyRule[] = [
  { apiGroups: [''], resources: ['persistentvolumes'], verbs: ['get', 'list', 'watch', 'create', 'patch', 'delete'] },
  { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['get', 'list', 'watch', 'update'] },
  { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['events'], verbs: ['list', 'watch', 'create', 'update', 'patch'] },
  { apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshots'], verbs: ['get', 'list', 'watch', 'update'] },
  { apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshotcontents'], verbs: ['get', 'list'] },
  { apiGroups: ['storage.k8s.io'], resources: ['csinodes'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['storage.k8s.io'], resources: ['volumeattachments'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['storage.k8s.io'], resources: ['volumeattributesclasses'], verbs: ['get'] },
];
const RESIZER_RULES: PolicyRule[] = [
  { apiGroups: [''], resources: ['persistentvolumes'], verbs: ['get', 'list', 'watch', 'patch'] },
  { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['persistentvolumeclaims/status'], verbs: ['patch'] },
  { apiGroups: [''], resources: ['events'], verbs: ['list', 'watch', 'create', 'update', 'patch'] },
  { apiGroups: ['storage.k8s.io'], resources: ['volumeattributesclasses'], verbs: ['get', 'list', 'watch'] },
];
// Upstream's group-snapshot rules are left out: the snapshot controller runs without group snapshots.
const SNAPSHOTTER_RULES: PolicyRule[] = [
  { apiGroups: [''], resources: ['events'], verbs: ['list', 'watch', 'create', 'update', 'patch'] },
  { apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshotclasses'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshotcontents'], verbs: ['get', 'list', 'watch', 'update', 'patch'] },
  { apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshotcontents/status'], verbs: ['update', 'patch'] },
];
const NODE_RULES: PolicyRule[] = [
  { apiGroups: ['storage.k8s.io'], resources: ['volumeattachments'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'patch', 'list', 'watch'] },
  { apiGroups: ['storage.k8s.io'], resources: ['csinodes'], verbs: ['get'] },
];

function sidecar(name: string, image: string, args: readonly string[], extraEnv: Container['env'] = []): Container {
  return {
    name,
    image,
    args: ['--csi-address=$(ADDRESS)', '--v=2', ...args],
    env: [{ name: 'ADDRESS', value: `${SOCKET_DIR}csi.sock` }, ...(extraEnv ?? [])],
    volumeMounts: [{ name: 'socket-dir', mountPath: SOCKET_DIR }],
    resources: SIDECAR_RESOURCES,
    securityContext: RESTRICTED,
    terminationMessagePolicy: 'FallbackToLogsOnError',
  };
}

/**
 * The AWS EBS CSI driver v1.64.0 as its `deploy/kubernetes/base` ships it, in kube-system, with one
 * change: the controller (provisioner, attacher, snapshotter, resizer) is a DaemonSet on the control
 * planes' host network, like the cloud-controller-manager, because their instance role holds the EBS
 * permissions (infra/iam.ts) and IMDSv2's hop limit of 1 keeps pod networks from it (upstream: a
 * 2-replica Deployment using the node role). The node plugin runs on every Linux node; a default
 * encrypted gp3 StorageClass and a VolumeSnapshotClass complete it.
 */
export class AwsEbsCsiDriver extends Construct {
  constructor(scope: Construct, id: string, props: AwsEbsCsiDriverProps) {
    super(scope, id);
    const labels = { 'app.kubernetes.io/name': 'aws-ebs-csi-driver' };
    new Manifest(this, 'CSIDriver', {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'CSIDriver',
      metadata: { name: EBS_CSI_DRIVER, labels },
      spec: { attachRequired: true, podInfoOnMount: false, nodeAllocatableUpdatePeriodSeconds: 10, fsGroupPolicy: 'File' },
    });
    serviceAccount(this, CONTROLLER_SA, labels);
    serviceAccount(this, NODE_SA, labels);
    for (const [role, binding, rules] of [
      ['ebs-external-attacher-role', 'ebs-csi-attacher-binding', ATTACHER_RULES],
      ['ebs-external-provisioner-role', 'ebs-csi-provisioner-binding', PROVISIONER_RULES],
      ['ebs-external-resizer-role', 'ebs-csi-resizer-binding', RESIZER_RULES],
      ['ebs-external-snapshotter-role', 'ebs-csi-snapshotter-binding', SNAPSHOTTER_RULES],
    ] as const) {
      clusterRole(this, role, labels, rules);
      bind(this, binding, labels, { kind: 'ClusterRole', name: role }, CONTROLLER_SA);
    }
    clusterRole(this, 'ebs-csi-node-role', labels, NODE_RULES);
    bind(this, 'ebs-csi-node-getter-binding', labels, { kind: 'ClusterRole', name: 'ebs-csi-node-role' }, NODE_SA);
    new Manifest(this, 'Role-leases', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'ebs-csi-leases-role', namespace: ADDON_NAMESPACE, labels },
      rules: [{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'watch', 'list', 'delete', 'update', 'create'] }],
    });
    bind(this, 'ebs-csi-leases-rolebinding', labels, { kind: 'Role', name: 'ebs-csi-leases-role' }, CONTROLLER_SA);
    this.renderController(labels);
    this.renderNode(labels);
    new Manifest(this, 'StorageClass', {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: props.storageClassName, labels, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: EBS_CSI_DRIVER,
      // Created in the zone of the node the pod lands on, so the pod can always attach it.
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
      reclaimPolicy: 'Delete',
      parameters: { type: 'gp3', encrypted: 'true', 'csi.storage.k8s.io/fstype': 'ext4' },
    });
    new Manifest(this, 'VolumeSnapshotClass', {
      apiVersion: 'snapshot.storage.k8s.io/v1',
      kind: 'VolumeSnapshotClass',
      metadata: { name: props.snapshotClassName, labels },
      driver: EBS_CSI_DRIVER,
      deletionPolicy: 'Delete',
    });
  }

  private renderController(labels: Record<string, string>): void {
    const selector = { app: 'ebs-csi-controller', ...labels };
    const pod: PodSpec = {
      os: { name: 'linux' },
      // One per control plane (leader-elected), as the cloud-controller-manager: their role holds the
      // EBS permissions, and only the host network reaches the instance metadata under hop limit 1.
      nodeSelector: { 'kubernetes.io/os': 'linux', 'node-role.kubernetes.io/control-plane': '' },
      tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
      hostNetwork: true,
      serviceAccountName: CONTROLLER_SA,
      priorityClassName: 'system-cluster-critical',
      securityContext: { fsGroup: 1000, runAsGroup: 1000, runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'ebs-plugin',
          image: AWS_EBS_CSI_DRIVER.image,
          args: ['controller', '--endpoint=$(CSI_ENDPOINT)', '--batching=true', '--logging-format=text', '--v=2'],
          env: [
            { name: 'CSI_ENDPOINT', value: `unix://${SOCKET_DIR}csi.sock` },
            { name: 'CSI_NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
          ],
          volumeMounts: [{ name: 'socket-dir', mountPath: SOCKET_DIR }],
          ports: [{ name: 'healthz', containerPort: 9808, protocol: 'TCP' }],
          livenessProbe: { httpGet: { path: '/healthz', port: 'healthz' }, initialDelaySeconds: 10, timeoutSeconds: 60, periodSeconds: 10, failureThreshold: 10 },
          readinessProbe: { httpGet: { path: '/healthz', port: 'healthz' }, initialDelaySeconds: 10, timeoutSeconds: 60, periodSeconds: 10, failureThreshold: 5 },
          resources: SIDECAR_RESOURCES,
          securityContext: RESTRICTED,
          terminationMessagePolicy: 'FallbackToLogsOnError',
        },
        sidecar('csi-provisioner', AWS_EBS_CSI_DRIVER.provisioner, [
          '--timeout=60s',
          '--feature-gates=Topology=true',
          '--extra-create-metadata',
          '--leader-election=true',
          '--default-fstype=ext4',
          '--kube-api-qps=20',
          '--kube-api-burst=100',
          '--worker-threads=100',
          '--retry-interval-max=30m',
        ], [{ name: 'ENABLE_VAC_FALLBACK', value: 'true' }]),
        sidecar('csi-attacher', AWS_EBS_CSI_DRIVER.attacher, [
          '--timeout=6m',
          '--leader-election=true',
          '--kube-api-qps=20',
          '--kube-api-burst=100',
          '--worker-threads=100',
          '--retry-interval-max=5m',
          '--feature-gates=MutableCSINodeAllocatableCount=true',
        ]),
        sidecar('csi-snapshotter', AWS_EBS_CSI_DRIVER.snapshotter, [
          '--leader-election=true',
          '--extra-create-metadata',
          '--kube-api-qps=20',
          '--kube-api-burst=100',
          '--worker-threads=100',
          '--retry-interval-max=30m',
        ]),
        sidecar('csi-resizer', AWS_EBS_CSI_DRIVER.resizer, [
          '--timeout=60s',
          '--extra-modify-metadata',
          '--handle-volume-inuse-error=false',
          '--leader-election=true',
          '--kube-api-qps=20',
          '--kube-api-burst=100',
          '--workers=100',
          '--retry-interval-max=30m',
        ], [{ name: 'ENABLE_VAC_FALLBACK', value: 'true' }]),
        {
          name: 'liveness-probe',
          image: AWS_EBS_CSI_DRIVER.livenessProbe,
          args: ['--csi-address=/csi/csi.sock', '--probe-timeout=60s'],
          volumeMounts: [{ name: 'socket-dir', mountPath: '/csi' }],
          resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '32Mi' } },
          securityContext: RESTRICTED,
          terminationMessagePolicy: 'FallbackToLogsOnError',
        },
      ],
      volumes: [{ name: 'socket-dir', emptyDir: {} }],
    };
    addonDaemonSet(this, 'ControllerDaemonSet', {
      name: 'ebs-csi-controller',
      labels: selector,
      privileges: {
        hostNetwork:
          'reaches the EC2 instance metadata service for the control plane instance role (the EBS permissions), which the hop limit of 1 keeps from pod networks',
      },
      pod,
    });
  }

  private renderNode(labels: Record<string, string>): void {
    const selector = { app: 'ebs-csi-node', ...labels };
    const pluginDir = '/var/lib/kubelet/plugins/ebs.csi.aws.com/';
    const pod: PodSpec = {
      os: { name: 'linux' },
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      serviceAccountName: NODE_SA,
      terminationGracePeriodSeconds: 30,
      priorityClassName: 'system-node-critical',
      // Volumes attach to any Linux node a pod lands on, control planes and tainted pools included.
      tolerations: [{ operator: 'Exists' }],
      securityContext: { fsGroup: 0, runAsGroup: 0, runAsNonRoot: false, runAsUser: 0 },
      containers: [
        {
          name: 'ebs-plugin',
          image: AWS_EBS_CSI_DRIVER.image,
          args: ['node', '--endpoint=$(CSI_ENDPOINT)', `--csi-mount-point-prefix=/var/lib/kubelet/plugins/kubernetes.io/csi/${EBS_CSI_DRIVER}/`, '--logging-format=text', '--v=2'],
          env: [
            { name: 'CSI_ENDPOINT', value: 'unix:/csi/csi.sock' },
            { name: 'CSI_NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
          ],
          volumeMounts: [
            { name: 'kubelet-dir', mountPath: '/var/lib/kubelet', mountPropagation: 'Bidirectional' },
            { name: 'plugin-dir', mountPath: '/csi' },
            { name: 'device-dir', mountPath: '/dev' },
          ],
          ports: [{ name: 'healthz', containerPort: 9808, protocol: 'TCP' }],
          livenessProbe: { httpGet: { path: '/healthz', port: 'healthz' }, initialDelaySeconds: 10, timeoutSeconds: 3, periodSeconds: 10, failureThreshold: 5 },
          readinessProbe: { httpGet: { path: '/healthz', port: 'healthz' }, timeoutSeconds: 3, periodSeconds: 5, failureThreshold: 3 },
          resources: SIDECAR_RESOURCES,
          securityContext: { privileged: true, readOnlyRootFilesystem: true },
          lifecycle: { preStop: { exec: { command: ['/bin/aws-ebs-csi-driver', 'pre-stop-hook'] } } },
          terminationMessagePolicy: 'FallbackToLogsOnError',
        },
        {
          name: 'node-driver-registrar',
          image: AWS_EBS_CSI_DRIVER.nodeDriverRegistrar,
          args: ['--csi-address=$(ADDRESS)', '--kubelet-registration-path=$(DRIVER_REG_SOCK_PATH)', '--http-endpoint=0.0.0.0:9809', '--v=2'],
          env: [
            { name: 'ADDRESS', value: '/csi/csi.sock' },
            { name: 'DRIVER_REG_SOCK_PATH', value: `${pluginDir}csi.sock` },
          ],
          ports: [{ name: 'healthz-ndr', containerPort: 9809, protocol: 'TCP' }],
          // Upstream probes liveness only; readiness on the same endpoint gates the rollout per node.
          readinessProbe: { httpGet: { path: '/healthz', port: 'healthz-ndr' }, periodSeconds: 10, timeoutSeconds: 15 },
          livenessProbe: { httpGet: { path: '/healthz', port: 'healthz-ndr' }, initialDelaySeconds: 30, periodSeconds: 90, timeoutSeconds: 15 },
          volumeMounts: [
            { name: 'plugin-dir', mountPath: '/csi' },
            { name: 'registration-dir', mountPath: '/registration' },
            { name: 'probe-dir', mountPath: pluginDir },
          ],
          resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '32Mi' } },
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true },
          terminationMessagePolicy: 'FallbackToLogsOnError',
        },
        {
          name: 'liveness-probe',
          image: AWS_EBS_CSI_DRIVER.livenessProbe,
          args: ['--csi-address=/csi/csi.sock'],
          volumeMounts: [{ name: 'plugin-dir', mountPath: '/csi' }],
          resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '32Mi' } },
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true },
          terminationMessagePolicy: 'FallbackToLogsOnError',
        },
      ],
      volumes: [
        { name: 'kubelet-dir', hostPath: { path: '/var/lib/kubelet', type: 'Directory' } },
        { name: 'plugin-dir', hostPath: { path: pluginDir, type: 'DirectoryOrCreate' } },
        { name: 'registration-dir', hostPath: { path: '/var/lib/kubelet/plugins_registry/', type: 'Directory' } },
        { name: 'device-dir', hostPath: { path: '/dev', type: 'Directory' } },
        { name: 'probe-dir', emptyDir: {} },
      ],
    };
    addonDaemonSet(this, 'DaemonSet', {
      name: 'ebs-csi-node',
      labels: selector,
      privileges: {
        privileged: 'formats and mounts EBS block devices into pod volumes (mount propagation Bidirectional needs it)',
        'hostPath /var/lib/kubelet': 'publishes each volume where the kubelet mounts it into the pod, read-write by design',
        'hostPath /dev': 'finds the NVMe device an attached EBS volume appears as',
        'hostPath /var/lib/kubelet/plugins_registry': "registers the driver's socket with the kubelet",
      },
      pod,
    });
  }
}
