/**
 * The AWS EBS CSI driver (constructs/cluster/ebs-csi-driver.ts).
 * Oracle: kubernetes-sigs/aws-ebs-csi-driver v1.64.0 deploy/kubernetes/base: csidriver.yaml,
 * clusterrole-{attacher,provisioner,resizer,snapshotter,csi-node}.yaml (group-snapshot rules left out),
 * role-leases.yaml, controller.yaml (sidecar args, env, probes, resources) and node.yaml (privileged
 * plugin, Bidirectional kubelet mount, node-driver-registrar on 9809, host paths). The controller is
 * a DaemonSet on the control planes' host network here (upstream: a Deployment), as the construct documents.
 */
import { AwsEbsCsiDriver, EBS_CSI_DRIVER } from '../../constructs/cluster/ebs-csi-driver';
import { find, Manifest, synthObjects } from '../util/synth';

const LABELS = { 'app.kubernetes.io/name': 'aws-ebs-csi-driver' };
const ANNOTATION = 'guardrails.k8s-book-systems.io/node-agent';
const SOCKET_DIR = '/var/lib/csi/sockets/pluginproxy/';
const SIDECAR_RESOURCES = { requests: { cpu: '10m', memory: '40Mi' }, limits: { cpu: '200m', memory: '256Mi' } };
const SMALL_RESOURCES = { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '32Mi' } };
const RESTRICTED = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, seccompProfile: { type: 'RuntimeDefault' } };
const NODE_NAME_ENV = { name: 'CSI_NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } };

const objects: Manifest[] = synthObjects((chart) => new AwsEbsCsiDriver(chart, 'ebs', { storageClassName: 'gp3-encrypted', snapshotClassName: 'ebs-snapshots' }));

const clusterRole = (name: string, rules: unknown[]) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, labels: LABELS }, rules });
const binding = (name: string, role: string, sa: string) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  metadata: { name, labels: LABELS },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
  subjects: [{ kind: 'ServiceAccount', name: sa, namespace: 'kube-system' }],
});

describe('AwsEbsCsiDriver', () => {
  test('the driver name', () => {
    expect(EBS_CSI_DRIVER).toBe('ebs.csi.aws.com');
  });

  test('renders every object of the base kustomization it keeps, and nothing else', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'CSIDriver/ebs.csi.aws.com',
      'ServiceAccount/ebs-csi-controller-sa',
      'ServiceAccount/ebs-csi-node-sa',
      'ClusterRole/ebs-external-attacher-role',
      'ClusterRoleBinding/ebs-csi-attacher-binding',
      'ClusterRole/ebs-external-provisioner-role',
      'ClusterRoleBinding/ebs-csi-provisioner-binding',
      'ClusterRole/ebs-external-resizer-role',
      'ClusterRoleBinding/ebs-csi-resizer-binding',
      'ClusterRole/ebs-external-snapshotter-role',
      'ClusterRoleBinding/ebs-csi-snapshotter-binding',
      'ClusterRole/ebs-csi-node-role',
      'ClusterRoleBinding/ebs-csi-node-getter-binding',
      'Role/ebs-csi-leases-role',
      'RoleBinding/ebs-csi-leases-rolebinding',
      'DaemonSet/ebs-csi-controller',
      'DaemonSet/ebs-csi-node',
      'StorageClass/gp3-encrypted',
      'VolumeSnapshotClass/ebs-snapshots',
    ]);
  });

  test('CSIDriver as csidriver.yaml', () => {
    expect(find(objects, 'CSIDriver')).toEqual({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'CSIDriver',
      metadata: { name: 'ebs.csi.aws.com', labels: LABELS },
      spec: { attachRequired: true, podInfoOnMount: false, nodeAllocatableUpdatePeriodSeconds: 10, fsGroupPolicy: 'File' },
    });
  });

  test('the two ServiceAccounts in kube-system', () => {
    for (const name of ['ebs-csi-controller-sa', 'ebs-csi-node-sa']) {
      expect(find(objects, 'ServiceAccount', name)).toEqual({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: 'kube-system', labels: LABELS } });
    }
  });

  test('attacher RBAC', () => {
    expect(find(objects, 'ClusterRole', 'ebs-external-attacher-role')).toEqual(
      clusterRole('ebs-external-attacher-role', [
        { apiGroups: [''], resources: ['persistentvolumes'], verbs: ['get', 'list', 'watch', 'patch'] },
        { apiGroups: ['storage.k8s.io'], resources: ['csinodes'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['storage.k8s.io'], resources: ['volumeattachments'], verbs: ['get', 'list', 'watch', 'patch'] },
        { apiGroups: ['storage.k8s.io'], resources: ['volumeattachments/status'], verbs: ['patch'] },
      ]),
    );
    expect(find(objects, 'ClusterRoleBinding', 'ebs-csi-attacher-binding')).toEqual(binding('ebs-csi-attacher-binding', 'ebs-external-attacher-role', 'ebs-csi-controller-sa'));
  });

  test('provisioner RBAC', () => {
    expect(find(objects, 'ClusterRole', 'ebs-external-provisioner-role')).toEqual(
      clusterRole('ebs-external-provisioner-role', [
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
      ]),
    );
    expect(find(objects, 'ClusterRoleBinding', 'ebs-csi-provisioner-binding')).toEqual(binding('ebs-csi-provisioner-binding', 'ebs-external-provisioner-role', 'ebs-csi-controller-sa'));
  });

  test('resizer RBAC', () => {
    expect(find(objects, 'ClusterRole', 'ebs-external-resizer-role')).toEqual(
      clusterRole('ebs-external-resizer-role', [
        { apiGroups: [''], resources: ['persistentvolumes'], verbs: ['get', 'list', 'watch', 'patch'] },
        { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['persistentvolumeclaims/status'], verbs: ['patch'] },
        { apiGroups: [''], resources: ['events'], verbs: ['list', 'watch', 'create', 'update', 'patch'] },
        { apiGroups: ['storage.k8s.io'], resources: ['volumeattributesclasses'], verbs: ['get', 'list', 'watch'] },
      ]),
    );
    expect(find(objects, 'ClusterRoleBinding', 'ebs-csi-resizer-binding')).toEqual(binding('ebs-csi-resizer-binding', 'ebs-external-resizer-role', 'ebs-csi-controller-sa'));
  });

  test('snapshotter RBAC, without group snapshots', () => {
    expect(find(objects, 'ClusterRole', 'ebs-external-snapshotter-role')).toEqual(
      clusterRole('ebs-external-snapshotter-role', [
        { apiGroups: [''], resources: ['events'], verbs: ['list', 'watch', 'create', 'update', 'patch'] },
        { apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshotclasses'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshotcontents'], verbs: ['get', 'list', 'watch', 'update', 'patch'] },
        { apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshotcontents/status'], verbs: ['update', 'patch'] },
      ]),
    );
    expect(find(objects, 'ClusterRoleBinding', 'ebs-csi-snapshotter-binding')).toEqual(binding('ebs-csi-snapshotter-binding', 'ebs-external-snapshotter-role', 'ebs-csi-controller-sa'));
  });

  test('node RBAC, bound to the node ServiceAccount', () => {
    expect(find(objects, 'ClusterRole', 'ebs-csi-node-role')).toEqual(
      clusterRole('ebs-csi-node-role', [
        { apiGroups: ['storage.k8s.io'], resources: ['volumeattachments'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'patch', 'list', 'watch'] },
        { apiGroups: ['storage.k8s.io'], resources: ['csinodes'], verbs: ['get'] },
      ]),
    );
    expect(find(objects, 'ClusterRoleBinding', 'ebs-csi-node-getter-binding')).toEqual(binding('ebs-csi-node-getter-binding', 'ebs-csi-node-role', 'ebs-csi-node-sa'));
  });

  test('leader-election leases Role and RoleBinding in kube-system', () => {
    expect(find(objects, 'Role', 'ebs-csi-leases-role')).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'ebs-csi-leases-role', namespace: 'kube-system', labels: LABELS },
      rules: [{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'watch', 'list', 'delete', 'update', 'create'] }],
    });
    expect(find(objects, 'RoleBinding', 'ebs-csi-leases-rolebinding')).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'ebs-csi-leases-rolebinding', namespace: 'kube-system', labels: LABELS },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'ebs-csi-leases-role' },
      subjects: [{ kind: 'ServiceAccount', name: 'ebs-csi-controller-sa', namespace: 'kube-system' }],
    });
  });

  test('StorageClass: the default, encrypted gp3 ext4, bound where the pod lands, expandable', () => {
    expect(find(objects, 'StorageClass')).toEqual({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'gp3-encrypted', labels: LABELS, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'ebs.csi.aws.com',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
      reclaimPolicy: 'Delete',
      parameters: { type: 'gp3', encrypted: 'true', 'csi.storage.k8s.io/fstype': 'ext4' },
    });
  });

  test('VolumeSnapshotClass', () => {
    expect(find(objects, 'VolumeSnapshotClass')).toEqual({
      apiVersion: 'snapshot.storage.k8s.io/v1',
      kind: 'VolumeSnapshotClass',
      metadata: { name: 'ebs-snapshots', labels: LABELS },
      driver: 'ebs.csi.aws.com',
      deletionPolicy: 'Delete',
    });
  });
});

describe('the EBS CSI controller', () => {
  const ds = find(objects, 'DaemonSet', 'ebs-csi-controller');
  const selector = { app: 'ebs-csi-controller', 'app.kubernetes.io/name': 'aws-ebs-csi-driver' };
  const pod = ds.spec.template.spec;
  const container = (name: string) => pod.containers.find((c: Manifest) => c.name === name);
  const sidecarEnv = [{ name: 'ADDRESS', value: '/var/lib/csi/sockets/pluginproxy/csi.sock' }];

  test('DaemonSet metadata, selector and the host-network exception', () => {
    expect(ds.metadata).toEqual({
      name: 'ebs-csi-controller',
      namespace: 'kube-system',
      labels: selector,
      annotations: {
        [ANNOTATION]:
          'hostNetwork: reaches the EC2 instance metadata service for the control plane instance role (the EBS permissions), which the hop limit of 1 keeps from pod networks',
      },
    });
    expect(ds.spec.selector).toEqual({ matchLabels: selector });
    expect(ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } });
    expect(ds.spec.template.metadata).toEqual({ labels: selector });
  });

  test('pod: control planes only, their taint tolerated, host network, cluster-critical, non-root', () => {
    expect(pod.os).toEqual({ name: 'linux' });
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', 'node-role.kubernetes.io/control-plane': '' });
    expect(pod.tolerations).toEqual([{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(pod.hostNetwork).toBe(true);
    expect(pod.serviceAccountName).toBe('ebs-csi-controller-sa');
    expect(pod.priorityClassName).toBe('system-cluster-critical');
    expect(pod.securityContext).toEqual({ fsGroup: 1000, runAsGroup: 1000, runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.volumes).toEqual([{ name: 'socket-dir', emptyDir: {} }]);
    expect(pod.containers.map((c: Manifest) => c.name)).toEqual(['ebs-plugin', 'csi-provisioner', 'csi-attacher', 'csi-snapshotter', 'csi-resizer', 'liveness-probe']);
  });

  test('ebs-plugin in controller mode', () => {
    expect(container('ebs-plugin')).toEqual({
      name: 'ebs-plugin',
      image: 'public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver:v1.64.0',
      args: ['controller', '--endpoint=$(CSI_ENDPOINT)', '--batching=true', '--logging-format=text', '--v=2'],
      env: [{ name: 'CSI_ENDPOINT', value: 'unix:///var/lib/csi/sockets/pluginproxy/csi.sock' }, NODE_NAME_ENV],
      volumeMounts: [{ name: 'socket-dir', mountPath: SOCKET_DIR }],
      ports: [{ name: 'healthz', containerPort: 9808, protocol: 'TCP' }],
      livenessProbe: { httpGet: { path: '/healthz', port: 'healthz' }, initialDelaySeconds: 10, timeoutSeconds: 60, periodSeconds: 10, failureThreshold: 10 },
      readinessProbe: { httpGet: { path: '/healthz', port: 'healthz' }, initialDelaySeconds: 10, timeoutSeconds: 60, periodSeconds: 10, failureThreshold: 5 },
      resources: SIDECAR_RESOURCES,
      securityContext: RESTRICTED,
      terminationMessagePolicy: 'FallbackToLogsOnError',
    });
  });

  const sidecar = (name: string, image: string, args: string[], env = sidecarEnv) => ({
    name,
    image,
    args,
    env,
    volumeMounts: [{ name: 'socket-dir', mountPath: SOCKET_DIR }],
    resources: SIDECAR_RESOURCES,
    securityContext: RESTRICTED,
    terminationMessagePolicy: 'FallbackToLogsOnError',
  });

  test('csi-provisioner', () => {
    expect(container('csi-provisioner')).toEqual(
      sidecar(
        'csi-provisioner',
        'public.ecr.aws/csi-components/csi-provisioner:v6.3.0-eksbuild.4',
        [
          '--csi-address=$(ADDRESS)',
          '--v=2',
          '--timeout=60s',
          '--feature-gates=Topology=true',
          '--extra-create-metadata',
          '--leader-election=true',
          '--default-fstype=ext4',
          '--kube-api-qps=20',
          '--kube-api-burst=100',
          '--worker-threads=100',
          '--retry-interval-max=30m',
        ],
        [...sidecarEnv, { name: 'ENABLE_VAC_FALLBACK', value: 'true' }],
      ),
    );
  });

  test('csi-attacher', () => {
    expect(container('csi-attacher')).toEqual(
      sidecar('csi-attacher', 'public.ecr.aws/csi-components/csi-attacher:v4.12.0-eksbuild.5', [
        '--csi-address=$(ADDRESS)',
        '--v=2',
        '--timeout=6m',
        '--leader-election=true',
        '--kube-api-qps=20',
        '--kube-api-burst=100',
        '--worker-threads=100',
        '--retry-interval-max=5m',
        '--feature-gates=MutableCSINodeAllocatableCount=true',
      ]),
    );
  });

  test('csi-snapshotter', () => {
    expect(container('csi-snapshotter')).toEqual(
      sidecar('csi-snapshotter', 'public.ecr.aws/csi-components/csi-snapshotter:v8.6.0-eksbuild.5', [
        '--csi-address=$(ADDRESS)',
        '--v=2',
        '--leader-election=true',
        '--extra-create-metadata',
        '--kube-api-qps=20',
        '--kube-api-burst=100',
        '--worker-threads=100',
        '--retry-interval-max=30m',
      ]),
    );
  });

  test('csi-resizer', () => {
    expect(container('csi-resizer')).toEqual(
      sidecar(
        'csi-resizer',
        'public.ecr.aws/csi-components/csi-resizer:v2.2.1-eksbuild.3',
        [
          '--csi-address=$(ADDRESS)',
          '--v=2',
          '--timeout=60s',
          '--extra-modify-metadata',
          '--handle-volume-inuse-error=false',
          '--leader-election=true',
          '--kube-api-qps=20',
          '--kube-api-burst=100',
          '--workers=100',
          '--retry-interval-max=30m',
        ],
        [...sidecarEnv, { name: 'ENABLE_VAC_FALLBACK', value: 'true' }],
      ),
    );
  });

  test('liveness-probe', () => {
    expect(container('liveness-probe')).toEqual({
      name: 'liveness-probe',
      image: 'public.ecr.aws/csi-components/livenessprobe:v2.19.0-eksbuild.5',
      args: ['--csi-address=/csi/csi.sock', '--probe-timeout=60s'],
      volumeMounts: [{ name: 'socket-dir', mountPath: '/csi' }],
      resources: SMALL_RESOURCES,
      securityContext: RESTRICTED,
      terminationMessagePolicy: 'FallbackToLogsOnError',
    });
  });
});

describe('the EBS CSI node plugin', () => {
  const ds = find(objects, 'DaemonSet', 'ebs-csi-node');
  const selector = { app: 'ebs-csi-node', 'app.kubernetes.io/name': 'aws-ebs-csi-driver' };
  const pod = ds.spec.template.spec;

  test('DaemonSet metadata, selector and one reason per host privilege', () => {
    expect(ds.metadata).toEqual({
      name: 'ebs-csi-node',
      namespace: 'kube-system',
      labels: selector,
      annotations: {
        [ANNOTATION]: [
          'privileged: formats and mounts EBS block devices into pod volumes (mount propagation Bidirectional needs it)',
          'hostPath /var/lib/kubelet: publishes each volume where the kubelet mounts it into the pod, read-write by design',
          'hostPath /dev: finds the NVMe device an attached EBS volume appears as',
          "hostPath /var/lib/kubelet/plugins_registry: registers the driver's socket with the kubelet",
        ].join('; '),
      },
    });
    expect(ds.spec.selector).toEqual({ matchLabels: selector });
    expect(ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } });
    expect(ds.spec.template.metadata).toEqual({ labels: selector });
  });

  test('pod: every Linux node whatever its taints, node-critical, root, no host network', () => {
    expect(pod.os).toEqual({ name: 'linux' });
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(pod.serviceAccountName).toBe('ebs-csi-node-sa');
    expect(pod.terminationGracePeriodSeconds).toBe(30);
    expect(pod.priorityClassName).toBe('system-node-critical');
    expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(pod.securityContext).toEqual({ fsGroup: 0, runAsGroup: 0, runAsNonRoot: false, runAsUser: 0 });
    expect(pod.hostNetwork).toBeUndefined();
    expect(pod.volumes).toEqual([
      { name: 'kubelet-dir', hostPath: { path: '/var/lib/kubelet', type: 'Directory' } },
      { name: 'plugin-dir', hostPath: { path: '/var/lib/kubelet/plugins/ebs.csi.aws.com/', type: 'DirectoryOrCreate' } },
      { name: 'registration-dir', hostPath: { path: '/var/lib/kubelet/plugins_registry/', type: 'Directory' } },
      { name: 'device-dir', hostPath: { path: '/dev', type: 'Directory' } },
      { name: 'probe-dir', emptyDir: {} },
    ]);
  });

  test('containers: the privileged plugin, node-driver-registrar and liveness-probe', () => {
    expect(pod.containers).toEqual([
      {
        name: 'ebs-plugin',
        image: 'public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver:v1.64.0',
        args: ['node', '--endpoint=$(CSI_ENDPOINT)', '--csi-mount-point-prefix=/var/lib/kubelet/plugins/kubernetes.io/csi/ebs.csi.aws.com/', '--logging-format=text', '--v=2'],
        env: [{ name: 'CSI_ENDPOINT', value: 'unix:/csi/csi.sock' }, NODE_NAME_ENV],
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
        image: 'public.ecr.aws/csi-components/csi-node-driver-registrar:v2.17.0-eksbuild.5',
        args: ['--csi-address=$(ADDRESS)', '--kubelet-registration-path=$(DRIVER_REG_SOCK_PATH)', '--http-endpoint=0.0.0.0:9809', '--v=2'],
        env: [
          { name: 'ADDRESS', value: '/csi/csi.sock' },
          { name: 'DRIVER_REG_SOCK_PATH', value: '/var/lib/kubelet/plugins/ebs.csi.aws.com/csi.sock' },
        ],
        ports: [{ name: 'healthz-ndr', containerPort: 9809, protocol: 'TCP' }],
        readinessProbe: { httpGet: { path: '/healthz', port: 'healthz-ndr' }, periodSeconds: 10, timeoutSeconds: 15 },
        livenessProbe: { httpGet: { path: '/healthz', port: 'healthz-ndr' }, initialDelaySeconds: 30, periodSeconds: 90, timeoutSeconds: 15 },
        volumeMounts: [
          { name: 'plugin-dir', mountPath: '/csi' },
          { name: 'registration-dir', mountPath: '/registration' },
          { name: 'probe-dir', mountPath: '/var/lib/kubelet/plugins/ebs.csi.aws.com/' },
        ],
        resources: SMALL_RESOURCES,
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true },
        terminationMessagePolicy: 'FallbackToLogsOnError',
      },
      {
        name: 'liveness-probe',
        image: 'public.ecr.aws/csi-components/livenessprobe:v2.19.0-eksbuild.5',
        args: ['--csi-address=/csi/csi.sock'],
        volumeMounts: [{ name: 'plugin-dir', mountPath: '/csi' }],
        resources: SMALL_RESOURCES,
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true },
        terminationMessagePolicy: 'FallbackToLogsOnError',
      },
    ]);
  });
});
