import { Manifest } from '../manifest';
import { Construct } from 'constructs';
import type { PodSpec } from '../k8s';
import { ADDON_NAMESPACE, addonDaemonSet, bind, clusterRole, serviceAccount } from './common';
import { FLANNEL_VXLAN_VNI, renderFlannelNetConf } from './flannel-net-conf';

/** flannel's upstream v0.26.7 manifest pins exactly these two images (ghcr.io since v0.26). */
export const FLANNEL_IMAGE = 'ghcr.io/flannel-io/flannel:v0.26.7';
export const FLANNEL_CNI_PLUGIN_IMAGE = 'ghcr.io/flannel-io/flannel-cni-plugin:v1.6.2-flannel1';

/** The ServiceAccount and ConfigMap the Windows flannel DaemonSet shares with the Linux one. */
export const FLANNEL_SERVICE_ACCOUNT = 'flannel';
export const FLANNEL_CONFIG_MAP = 'kube-flannel-cfg';
export const FLANNEL_LABELS = { app: 'flannel', tier: 'node' } as const;

export interface FlannelProps {
  /** The cluster pod CIDR (kubeadm's `podSubnet`): flannel's `Network`. */
  readonly podCidr: string;
}

/**
 * flannel on the Linux nodes, after the upstream kube-flannel.yml but in kube-system: VXLAN with the
 * VNI and port Windows overlay networking needs, on every Linux node whatever its taints.
 */
export class Flannel extends Construct {
  constructor(scope: Construct, id: string, props: FlannelProps) {
    super(scope, id);
    const labels = { ...FLANNEL_LABELS };
    serviceAccount(this, FLANNEL_SERVICE_ACCOUNT, labels);
    clusterRole(this, 'flannel', labels, [
      { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
      { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['nodes/status'], verbs: ['patch'] },
    ]);
    bind(this, 'flannel', labels, { kind: 'ClusterRole', name: 'flannel' }, FLANNEL_SERVICE_ACCOUNT);
    new Manifest(this, 'ConfigMap', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: FLANNEL_CONFIG_MAP, namespace: ADDON_NAMESPACE, labels },
      data: {
        'cni-conf.json': `${JSON.stringify(
          {
            name: 'cbr0',
            cniVersion: '0.3.1',
            plugins: [
              { type: 'flannel', delegate: { hairpinMode: true, isDefaultGateway: true } },
              { type: 'portmap', capabilities: { portMappings: true } },
            ],
          },
          null,
          2,
        )}\n`,
        'net-conf.json': renderFlannelNetConf(props.podCidr),
      },
    });
    const copyOnly = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
    const installResources = { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } };
    const pod: PodSpec = {
      os: { name: 'linux' },
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      hostNetwork: true,
      priorityClassName: 'system-node-critical',
      // The pod network needs flannel on every Linux node, control planes and NotReady nodes included.
      tolerations: [{ operator: 'Exists' }],
      serviceAccountName: FLANNEL_SERVICE_ACCOUNT,
      initContainers: [
        {
          name: 'install-cni-plugin',
          image: FLANNEL_CNI_PLUGIN_IMAGE,
          command: ['cp'],
          args: ['-f', '/flannel', '/opt/cni/bin/flannel'],
          resources: installResources,
          securityContext: copyOnly,
          volumeMounts: [{ name: 'cni-plugin', mountPath: '/opt/cni/bin' }],
        },
        {
          name: 'install-cni',
          image: FLANNEL_IMAGE,
          command: ['cp'],
          args: ['-f', '/etc/kube-flannel/cni-conf.json', '/etc/cni/net.d/10-flannel.conflist'],
          resources: installResources,
          securityContext: copyOnly,
          volumeMounts: [
            { name: 'cni', mountPath: '/etc/cni/net.d' },
            { name: 'flannel-cfg', mountPath: '/etc/kube-flannel/', readOnly: true },
          ],
        },
      ],
      containers: [
        {
          name: 'kube-flannel',
          image: FLANNEL_IMAGE,
          command: ['/opt/bin/flanneld'],
          args: ['--ip-masq', '--kube-subnet-mgr'],
          resources: { requests: { cpu: '100m', memory: '50Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
          // As upstream: not privileged, only the capabilities to program routes, VXLAN and iptables.
          securityContext: { privileged: false, allowPrivilegeEscalation: false, capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } },
          env: [
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
            { name: 'EVENT_QUEUE_DEPTH', value: '5000' },
          ],
          volumeMounts: [
            { name: 'run', mountPath: '/run/flannel' },
            { name: 'flannel-cfg', mountPath: '/etc/kube-flannel/', readOnly: true },
            { name: 'xtables-lock', mountPath: '/run/xtables.lock' },
          ],
        },
      ],
      volumes: [
        { name: 'run', hostPath: { path: '/run/flannel', type: 'DirectoryOrCreate' } },
        { name: 'cni-plugin', hostPath: { path: '/opt/cni/bin', type: 'DirectoryOrCreate' } },
        { name: 'cni', hostPath: { path: '/etc/cni/net.d', type: 'DirectoryOrCreate' } },
        { name: 'flannel-cfg', configMap: { name: FLANNEL_CONFIG_MAP } },
        { name: 'xtables-lock', hostPath: { path: '/run/xtables.lock', type: 'FileOrCreate' } },
      ],
    };
    addonDaemonSet(this, 'DaemonSet', {
      name: 'kube-flannel-ds',
      labels,
      selector: { app: 'flannel', tier: 'node' },
      privileges: {
        hostNetwork: `flanneld creates the flannel.${FLANNEL_VXLAN_VNI} VXLAN device, routes and iptables rules in the node network namespace`,
        'hostPath /opt/cni/bin, /etc/cni/net.d': 'the init containers install the flannel CNI plugin and its config where the kubelet looks for them',
        'hostPath /run/flannel': 'flanneld writes subnet.env there for the CNI plugin to read',
        'hostPath /run/xtables.lock': 'iptables writers on the node must share one lock',
        'capabilities NET_ADMIN, NET_RAW': 'flanneld programs routes, VXLAN and masquerade rules; it is not privileged',
      },
      pod,
    });
  }
}
