/**
 * flannel on Linux (constructs/cluster/flannel.ts) and its net-conf.json (flannel-net-conf.ts).
 * Oracle: upstream flannel-io/flannel Documentation/kube-flannel.yml at v0.28.9 (vendored in
 * test/fixtures/corpus/flannel) and chart v0.28.9 `netpol.enabled`, moved to kube-system, with the
 * VXLAN VNI 4096 / port 4789 that Windows overlay networking (sig-windows-tools flannel-overlay.yml,
 * `flannel.4096`) needs. Every expected value is written out here, never computed by the code under test.
 */
import { Flannel, FLANNEL_CONFIG_MAP, FLANNEL_LABELS, FLANNEL_SERVICE_ACCOUNT, NETPOL_CONTAINER } from '../../constructs/cluster/flannel';
import {
  FLANNEL_VXLAN_PORT,
  FLANNEL_VXLAN_VNI,
  FLANNEL_WINDOWS_NETWORK,
  flannelNetConf,
  isIpv4Network,
  renderFlannelNetConf,
} from '../../constructs/cluster/flannel-net-conf';
import { find, Manifest, synthObjects } from '../util/synth';

const LABELS = { app: 'flannel', tier: 'node' };
const ANNOTATION = 'guardrails.k8s-book-systems.io/node-agent';

function flannel(podCidr: string, networkPolicies?: boolean): Manifest[] {
  return synthObjects((chart) => new Flannel(chart, 'flannel', networkPolicies === undefined ? { podCidr } : { podCidr, networkPolicies }));
}

describe('flannel net-conf.json', () => {
  test('the exported constants are the VXLAN settings Windows overlay networking requires', () => {
    expect(FLANNEL_VXLAN_VNI).toBe(4096);
    expect(FLANNEL_VXLAN_PORT).toBe(4789);
    expect(FLANNEL_WINDOWS_NETWORK).toBe('flannel.4096');
  });

  test('Network is the pod CIDR passed in, the backend vxlan with VNI 4096 on port 4789, iptables not nftables', () => {
    expect(flannelNetConf('10.42.0.0/16')).toEqual({ Network: '10.42.0.0/16', EnableNFTables: false, Backend: { Type: 'vxlan', VNI: 4096, Port: 4789 } });
    expect(renderFlannelNetConf('10.244.0.0/16')).toBe(
      '{\n  "Network": "10.244.0.0/16",\n  "EnableNFTables": false,\n  "Backend": {\n    "Type": "vxlan",\n    "VNI": 4096,\n    "Port": 4789\n  }\n}\n',
    );
  });

  test.each([
    ['10.244.0.0/16', true],
    ['10.42.0.0/16', true],
    ['0.0.0.0/0', true],
    ['10.0.0.0/8', true],
    ['10.244.0.0/14', true],
    ['10.244.0.0/15', true],
    ['10.245.0.0/16', true],
    ['255.255.255.255/32', true],
    ['192.168.1.7/32', true],
    ['10.246.0.0/14', false], // a host bit inside the second octet
    ['10.245.0.0/15', false],
    ['10.244.1.0/16', false],
    ['10.0.0.1/8', false],
    ['256.0.0.0/8', false],
    ['10.256.0.0/16', false],
    ['10.0.256.0/24', false],
    ['10.0.0.256/32', false],
    ['10.0.0.0/33', false],
    ['10.0.0.0/100', false],
    ['1000.0.0.0/8', false],
    ['10.0.0.0', false],
    ['10.0.0/8', false],
    ['a10.0.0.0/8', false],
    ['10.0.0.0/8x', false],
    [' 10.0.0.0/8', false],
    ['10.0.0.0/8 ', false],
    ['10a0.0.0/8', false],
    ['fd00::/8', false],
    ['', false],
  ])('isIpv4Network(%p) is %p', (cidr, expected) => {
    expect(isIpv4Network(cidr)).toBe(expected);
  });

  test.each(['10.244.1.0/16', 'not-a-cidr', '10.0.0.0/33'])('refuses the pod CIDR %p with the exact message', (cidr) => {
    expect(() => flannelNetConf(cidr)).toThrow(new Error(`pod CIDR "${cidr}" is not an IPv4 network like 10.244.0.0/16`));
    expect(() => renderFlannelNetConf(cidr)).toThrow(`pod CIDR "${cidr}" is not an IPv4 network like 10.244.0.0/16`);
    expect(() => flannel(cidr)).toThrow(`pod CIDR "${cidr}" is not an IPv4 network like 10.244.0.0/16`);
  });
});

describe('Flannel (Linux), network policies on by default', () => {
  const objects = flannel('10.42.0.0/16');

  test('exports the names the Windows flannel shares', () => {
    expect(FLANNEL_SERVICE_ACCOUNT).toBe('flannel');
    expect(FLANNEL_CONFIG_MAP).toBe('kube-flannel-cfg');
    expect(FLANNEL_LABELS).toEqual(LABELS);
    expect(NETPOL_CONTAINER).toBe('kube-network-policies');
  });

  test('renders exactly a ServiceAccount, ClusterRole, ClusterRoleBinding, ConfigMap and DaemonSet', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/flannel',
      'ClusterRole/flannel',
      'ClusterRoleBinding/flannel',
      'ConfigMap/kube-flannel-cfg',
      'DaemonSet/kube-flannel-ds',
    ]);
  });

  test('ServiceAccount flannel in kube-system', () => {
    expect(find(objects, 'ServiceAccount')).toEqual({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'flannel', namespace: 'kube-system', labels: LABELS } });
  });

  test("ClusterRole: upstream's rules, plus what kube-network-policies reads", () => {
    expect(find(objects, 'ClusterRole')).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'flannel', labels: LABELS },
      rules: [
        { apiGroups: [''], resources: ['pods', 'nodes', 'namespaces'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['nodes/status'], verbs: ['patch'] },
        { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['list', 'watch'] },
        { apiGroups: ['policy.networking.k8s.io'], resources: ['adminnetworkpolicies', 'baselineadminnetworkpolicies'], verbs: ['list', 'watch'] },
      ],
    });
  });

  test('ClusterRoleBinding flannel binds the ClusterRole to the kube-system ServiceAccount', () => {
    expect(find(objects, 'ClusterRoleBinding')).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'flannel', labels: LABELS },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'flannel' },
      subjects: [{ kind: 'ServiceAccount', name: 'flannel', namespace: 'kube-system' }],
    });
  });

  test("ConfigMap: upstream's cni-conf.json byte for byte, net-conf.json from the pod CIDR", () => {
    const cm = find(objects, 'ConfigMap', 'kube-flannel-cfg');
    expect(cm.apiVersion).toBe('v1');
    expect(cm.metadata).toEqual({ name: 'kube-flannel-cfg', namespace: 'kube-system', labels: LABELS });
    expect(Object.keys(cm.data).sort()).toEqual(['cni-conf.json', 'net-conf.json']);
    // As kube-flannel.yml's `cni-conf.json: |` block scalar renders it.
    expect(cm.data['cni-conf.json']).toBe(
      [
        '{',
        '  "name": "cbr0",',
        '  "cniVersion": "0.3.1",',
        '  "plugins": [',
        '    {',
        '      "type": "flannel",',
        '      "delegate": {',
        '        "hairpinMode": true,',
        '        "isDefaultGateway": true',
        '      }',
        '    },',
        '    {',
        '      "type": "portmap",',
        '      "capabilities": {',
        '        "portMappings": true',
        '      }',
        '    }',
        '  ]',
        '}',
        '',
      ].join('\n'),
    );
    expect(JSON.parse(cm.data['net-conf.json'])).toEqual({ Network: '10.42.0.0/16', EnableNFTables: false, Backend: { Type: 'vxlan', VNI: 4096, Port: 4789 } });
    expect(cm.data['net-conf.json'].endsWith('}\n')).toBe(true);
  });

  const ds = () => find(objects, 'DaemonSet', 'kube-flannel-ds');

  test('DaemonSet metadata, selector, one-node-at-a-time rollout and the declared host privileges', () => {
    const d = ds();
    expect(d.apiVersion).toBe('apps/v1');
    expect(d.metadata).toEqual({
      name: 'kube-flannel-ds',
      namespace: 'kube-system',
      labels: LABELS,
      annotations: {
        [ANNOTATION]: [
          'hostNetwork: flanneld creates the flannel.4096 VXLAN device, routes and iptables rules in the node network namespace',
          'hostPath /opt/cni/bin, /etc/cni/net.d: the init containers install the flannel CNI plugin and its config where the kubelet looks for them',
          'hostPath /run/flannel: flanneld writes subnet.env there for the CNI plugin to read',
          'hostPath /run/xtables.lock: iptables writers on the node must share one lock',
          'capabilities NET_ADMIN, NET_RAW: flanneld programs routes, VXLAN and masquerade rules; it is not privileged',
          'privileged kube-network-policies: enforces NetworkPolicies with nftables rules and an nfqueue in the node network namespace (as the flannel chart runs it)',
          'hostPath /lib/modules (read-only): kube-network-policies loads the nftables kernel modules it needs',
        ].join('; '),
      },
    });
    expect(d.spec.selector).toEqual({ matchLabels: { app: 'flannel', tier: 'node' } });
    expect(d.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } });
    expect(d.spec.template.metadata).toEqual({ labels: LABELS });
  });

  test('pod: every Linux node whatever its taints, host network, node-critical, the flannel ServiceAccount', () => {
    const pod = ds().spec.template.spec;
    expect(pod.os).toEqual({ name: 'linux' });
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(pod.hostNetwork).toBe(true);
    expect(pod.priorityClassName).toBe('system-node-critical');
    expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(pod.serviceAccountName).toBe('flannel');
    expect(Object.keys(pod).sort()).toEqual(['containers', 'hostNetwork', 'initContainers', 'nodeSelector', 'os', 'priorityClassName', 'serviceAccountName', 'tolerations', 'volumes']);
  });

  test("init containers: upstream's CNI plugin copy and atomic conflist install, unprivileged", () => {
    const copyOnly = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
    const resources = { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } };
    expect(ds().spec.template.spec.initContainers).toEqual([
      {
        name: 'install-cni-plugin',
        image: 'ghcr.io/flannel-io/flannel-cni-plugin:v1.9.1-flannel3',
        command: ['cp'],
        args: ['-f', '/flannel', '/opt/cni/bin/flannel'],
        resources,
        securityContext: copyOnly,
        volumeMounts: [{ name: 'cni-plugin', mountPath: '/opt/cni/bin' }],
      },
      {
        name: 'install-cni',
        image: 'ghcr.io/flannel-io/flannel:v0.28.9',
        command: ['/opt/bin/install-conf'],
        args: ['/etc/kube-flannel/cni-conf.json', '/etc/cni/net.d/10-flannel.conflist'],
        resources,
        securityContext: copyOnly,
        volumeMounts: [
          { name: 'cni', mountPath: '/etc/cni/net.d' },
          { name: 'flannel-cfg', mountPath: '/etc/kube-flannel/', readOnly: true },
        ],
      },
    ]);
  });

  test('kube-flannel: flanneld with ip-masq and the kube subnet manager, healthz 8081, NET_ADMIN and NET_RAW only', () => {
    const [flanneld] = ds().spec.template.spec.containers;
    expect(flanneld).toEqual({
      name: 'kube-flannel',
      image: 'ghcr.io/flannel-io/flannel:v0.28.9',
      command: ['/opt/bin/flanneld'],
      args: ['--ip-masq', '--kube-subnet-mgr', '--healthz-port=8081'],
      ports: [{ name: 'healthz', containerPort: 8081, protocol: 'TCP' }],
      livenessProbe: { httpGet: { path: '/healthz', port: 'healthz' }, initialDelaySeconds: 10, periodSeconds: 30 },
      readinessProbe: { httpGet: { path: '/readyz', port: 'healthz' }, initialDelaySeconds: 5, periodSeconds: 10 },
      resources: { requests: { cpu: '100m', memory: '50Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
      securityContext: { privileged: false, allowPrivilegeEscalation: false, capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } },
      env: [
        { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'EVENT_QUEUE_DEPTH', value: '5000' },
        { name: 'CONT_WHEN_CACHE_NOT_READY', value: 'false' },
      ],
      volumeMounts: [
        { name: 'run', mountPath: '/run/flannel' },
        { name: 'flannel-cfg', mountPath: '/etc/kube-flannel/', readOnly: true },
        { name: 'xtables-lock', mountPath: '/run/xtables.lock' },
      ],
    });
  });

  test("kube-network-policies: the flannel chart's netpol sidecar, privileged with NET_ADMIN, /lib/modules read-only", () => {
    const containers = ds().spec.template.spec.containers;
    expect(containers.map((c: Manifest) => c.name)).toEqual(['kube-flannel', 'kube-network-policies']);
    expect(containers[1]).toEqual({
      name: 'kube-network-policies',
      image: 'registry.k8s.io/networking/kube-network-policies:v1.0.0',
      command: ['/bin/netpol'],
      args: ['--hostname-override=$(MY_NODE_NAME)', '--v=2'],
      env: [{ name: 'MY_NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
      resources: { requests: { cpu: '100m', memory: '50Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
      securityContext: { privileged: true, capabilities: { add: ['NET_ADMIN'] } },
      volumeMounts: [{ name: 'lib-modules', mountPath: '/lib/modules', readOnly: true }],
    });
  });

  test('volumes: the host paths upstream mounts, with their types, and the ConfigMap', () => {
    expect(ds().spec.template.spec.volumes).toEqual([
      { name: 'lib-modules', hostPath: { path: '/lib/modules', type: 'Directory' } },
      { name: 'run', hostPath: { path: '/run/flannel', type: 'DirectoryOrCreate' } },
      { name: 'cni-plugin', hostPath: { path: '/opt/cni/bin', type: 'DirectoryOrCreate' } },
      { name: 'cni', hostPath: { path: '/etc/cni/net.d', type: 'DirectoryOrCreate' } },
      { name: 'flannel-cfg', configMap: { name: 'kube-flannel-cfg' } },
      { name: 'xtables-lock', hostPath: { path: '/run/xtables.lock', type: 'FileOrCreate' } },
    ]);
  });

  test('networkPolicies: true renders the same objects as the default', () => {
    expect(flannel('10.42.0.0/16', true)).toEqual(objects);
  });
});

describe('Flannel (Linux) with networkPolicies: false', () => {
  const objects = flannel('192.168.0.0/16', false);
  const ds = find(objects, 'DaemonSet', 'kube-flannel-ds');

  test('plain flannel: no NetworkPolicy rules, sidecar, module mount or privileged exception', () => {
    expect(find(objects, 'ClusterRole').rules).toEqual([
      { apiGroups: [''], resources: ['pods', 'nodes', 'namespaces'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['nodes/status'], verbs: ['patch'] },
    ]);
    expect(ds.spec.template.spec.containers.map((c: Manifest) => c.name)).toEqual(['kube-flannel']);
    expect(ds.spec.template.spec.volumes.map((v: Manifest) => v.name)).toEqual(['run', 'cni-plugin', 'cni', 'flannel-cfg', 'xtables-lock']);
    expect(ds.metadata.annotations[ANNOTATION]).toBe(
      [
        'hostNetwork: flanneld creates the flannel.4096 VXLAN device, routes and iptables rules in the node network namespace',
        'hostPath /opt/cni/bin, /etc/cni/net.d: the init containers install the flannel CNI plugin and its config where the kubelet looks for them',
        'hostPath /run/flannel: flanneld writes subnet.env there for the CNI plugin to read',
        'hostPath /run/xtables.lock: iptables writers on the node must share one lock',
        'capabilities NET_ADMIN, NET_RAW: flanneld programs routes, VXLAN and masquerade rules; it is not privileged',
      ].join('; '),
    );
  });

  test('the pod CIDR still reaches net-conf.json', () => {
    expect(JSON.parse(find(objects, 'ConfigMap', 'kube-flannel-cfg').data['net-conf.json']).Network).toBe('192.168.0.0/16');
  });
});
