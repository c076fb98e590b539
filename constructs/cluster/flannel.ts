import { Manifest } from '../manifest';
import { Construct } from 'constructs';
import type { PodSpec } from '../k8s';
import { ADDON_NAMESPACE, addonDaemonSet, bind, clusterRole, serviceAccount } from './common';
import { FLANNEL, KUBE_NETWORK_POLICIES } from '../../contracts/versions';
import { FLANNEL_VXLAN_VNI, renderFlannelNetConf } from './flannel-net-conf';

/** The ServiceAccount and ConfigMap the Windows flannel DaemonSet shares with the Linux one. */
export const FLANNEL_SERVICE_ACCOUNT = 'flannel';
export const FLANNEL_CONFIG_MAP = 'kube-flannel-cfg';
export const FLANNEL_LABELS = { app: 'flannel', tier: 'node' } as const;

/** The flannel pods' container that enforces NetworkPolicies (flannel chart `netpol.enabled`). */
export const NETPOL_CONTAINER = 'kube-network-policies';

export interface FlannelProps {
  /** The cluster pod CIDR (kubeadm's `podSubnet`): flannel's `Network`. */
  readonly podCidr: string;
  /**
   * Run kube-network-policies beside flanneld so NetworkPolicies are enforced on Linux nodes; plain
   * flannel only routes and ignores every NetworkPolicy. @default true
   */
  readonly networkPolicies?: boolean;
}

/**
 * flannel on the Linux nodes, after the upstream kube-flannel.yml and chart v0.28.9 (`netpol.enabled`)
 * but in kube-system: VXLAN with the VNI and port Windows overlay networking needs, on every Linux node
 * whatever its taints, with the kube-network-policies sidecar enforcing NetworkPolicies.
 */
export class Flannel extends Construct {
  constructor(scope: Construct, id: string, props: FlannelProps) {
    super(scope, id);
    const labels = { ...FLANNEL_LABELS };
    const netpol = props.networkPolicies ?? true;
    serviceAccount(this, FLANNEL_SERVICE_ACCOUNT, labels);
    clusterRole(this, 'flannel', labels, [
      // pods and namespaces: kube-network-policies matches policy selectors against them.
      { apiGroups: [''], resources: ['pods', 'nodes', 'namespaces'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['nodes/status'], verbs: ['patch'] },
      ...(netpol
        ? [
            { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['list', 'watch'] },
            { apiGroups: ['policy.networking.k8s.io'], resources: ['adminnetworkpolicies', 'baselineadminnetworkpolicies'], verbs: ['list', 'watch'] },
          ]
        : []),
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
          image: FLANNEL.cniPluginImage,
          command: ['cp'],
          args: ['-f', '/flannel', '/opt/cni/bin/flannel'],
          resources: installResources,
          securityContext: copyOnly,
          volumeMounts: [{ name: 'cni-plugin', mountPath: '/opt/cni/bin' }],
        },
        {
          name: 'install-cni',
          image: FLANNEL.image,
          // Writes the conflist atomically (upstream since v0.28), so the kubelet never reads half a file.
          command: ['/opt/bin/install-conf'],
          args: ['/etc/kube-flannel/cni-conf.json', '/etc/cni/net.d/10-flannel.conflist'],
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
          image: FLANNEL.image,
          command: ['/opt/bin/flanneld'],
          args: ['--ip-masq', '--kube-subnet-mgr', `--healthz-port=${FLANNEL.healthzPort}`],
          ports: [{ name: 'healthz', containerPort: FLANNEL.healthzPort, protocol: 'TCP' }],
          // As upstream: /healthz says flanneld runs, /readyz that it has leased the node's subnet.
          livenessProbe: { httpGet: { path: '/healthz', port: 'healthz' }, initialDelaySeconds: 10, periodSeconds: 30 },
          readinessProbe: { httpGet: { path: '/readyz', port: 'healthz' }, initialDelaySeconds: 5, periodSeconds: 10 },
          resources: { requests: { cpu: '100m', memory: '50Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
          // As upstream: not privileged, only the capabilities to program routes, VXLAN and iptables.
          securityContext: { privileged: false, allowPrivilegeEscalation: false, capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } },
          env: [
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
            { name: 'EVENT_QUEUE_DEPTH', value: '5000' },
            // Fail (and restart) rather than run on a node cache that never synced.
            { name: 'CONT_WHEN_CACHE_NOT_READY', value: 'false' },
          ],
          volumeMounts: [
            { name: 'run', mountPath: '/run/flannel' },
            { name: 'flannel-cfg', mountPath: '/etc/kube-flannel/', readOnly: true },
            { name: 'xtables-lock', mountPath: '/run/xtables.lock' },
          ],
        },
        ...(netpol
          ? [
              {
                name: NETPOL_CONTAINER,
                image: KUBE_NETWORK_POLICIES.image,
                command: ['/bin/netpol'],
                args: ['--hostname-override=$(MY_NODE_NAME)', '--v=2'],
                env: [{ name: 'MY_NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
                resources: { requests: { cpu: '100m', memory: '50Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
                // As upstream: it queues packets to user space (nfqueue) and loads nftables modules.
                securityContext: { privileged: true, capabilities: { add: ['NET_ADMIN'] } },
                volumeMounts: [{ name: 'lib-modules', mountPath: '/lib/modules', readOnly: true }],
              },
            ]
          : []),
      ],
      volumes: [
        ...(netpol ? [{ name: 'lib-modules', hostPath: { path: '/lib/modules', type: 'Directory' as const } }] : []),
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
        ...(netpol
          ? {
              [`privileged ${NETPOL_CONTAINER}`]: 'enforces NetworkPolicies with nftables rules and an nfqueue in the node network namespace (as the flannel chart runs it)',
              'hostPath /lib/modules (read-only)': 'kube-network-policies loads the nftables kernel modules it needs',
            }
          : {}),
      },
      pod,
    });
  }
}
