import { errorsOf } from '../contracts/finding';
import { App, Chart } from 'cdk8s';
import { ClusterChart } from '../charts/cluster';
import { awsCloudControllerManagerImage } from '../constructs/cluster/cloud-controller-manager';
import { FLANNEL_VXLAN_PORT, FLANNEL_VXLAN_VNI, renderFlannelNetConf } from '../constructs/cluster/flannel-net-conf';
import { MixedArchCluster, MixedArchClusterProps } from '../constructs/mixed-arch-cluster';
import { NodePoolShape } from '../constructs/platform';
import { Environment, getEnvironment } from '../environments';
import { auditManifests } from '../guardrails/validate';
import { find, linuxPools, Manifest, synthObjects, windowsPool } from './util/synth';

const [dev, prod, edge] = ['dev', 'prod', 'edge'].map(getEnvironment);
const environments: Environment[] = [dev, prod, edge];

function clusterObjects(env: Environment): Manifest[] {
  return new ClusterChart(new App({ outdir: 'unused' }), env).toJson();
}

function buildCluster(props: Partial<MixedArchClusterProps> & Pick<MixedArchClusterProps, 'nodePools'>): Manifest[] {
  return synthObjects((chart) => new MixedArchCluster(chart, 'cluster', { envName: 'test', ...props }));
}

function clusterIn(pools: readonly NodePoolShape[]): MixedArchCluster {
  return new MixedArchCluster(new Chart(new App({ outdir: 'unused' }), 'c'), 'cluster', { envName: 'test', nodePools: pools });
}

function names(objects: Manifest[], kind: string): string[] {
  return objects.filter((o) => o.kind === kind).map((o) => o.metadata.name);
}

describe.each(environments)('the cluster chart of $name', (env) => {
  const objects = clusterObjects(env);

  test('passes the guardrails, node agents by their declared exceptions', () => {
    const { findings, exceptions } = auditManifests(objects.map((object) => ({ file: '01-cluster.yaml', object })));
    expect(errorsOf(findings)).toEqual([]);
    // Host network, host paths or a privileged container: each needs its declared exception.
    const takesHost = (spec: Manifest) =>
      spec.hostNetwork || (spec.volumes ?? []).some((v: Manifest) => v.hostPath) || (spec.containers ?? []).some((c: Manifest) => c.securityContext?.privileged);
    const hostDaemonSets = objects.filter((o) => o.kind === 'DaemonSet' && takesHost(o.spec.template.spec)).map((o) => `DaemonSet/kube-system/${o.metadata.name}`);
    expect(exceptions.filter((e) => e.rule === 'host-access').map((e) => e.object).sort()).toEqual(hostDaemonSets.sort());
  });

  test('puts every add-on in kube-system', () => {
    const namespaced = objects.filter((o) => o.metadata.namespace !== undefined);
    expect(new Set(namespaced.map((o) => o.metadata.namespace))).toEqual(new Set(namespaced.length ? ['kube-system'] : []));
  });
});

describe.each([dev, prod])('flannel in $name', (env) => {
  const objects = clusterObjects(env);

  test("uses the environment's pod CIDR as Network, with the VXLAN VNI and port Windows needs", () => {
    const netConf = JSON.parse(find(objects, 'ConfigMap', 'kube-flannel-cfg').data['net-conf.json']);
    expect(netConf.Network).toBe(env.cluster.podCidr);
    expect(netConf.Backend).toEqual({ Type: 'vxlan', VNI: 4096, Port: 4789 });
  });

  test('runs on every Linux node, unprivileged, with only the network capabilities', () => {
    const pod = find(objects, 'DaemonSet', 'kube-flannel-ds').spec.template.spec;
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(pod.priorityClassName).toBe('system-node-critical');
    expect(pod.containers[0].securityContext).toMatchObject({ privileged: false, capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } });
  });
});

describe('renderFlannelNetConf', () => {
  test('carries the pod CIDR and the Windows-compatible VXLAN settings', () => {
    expect(JSON.parse(renderFlannelNetConf('10.32.0.0/12'))).toEqual({
      Network: '10.32.0.0/12',
      EnableNFTables: false,
      Backend: { Type: 'vxlan', VNI: FLANNEL_VXLAN_VNI, Port: FLANNEL_VXLAN_PORT },
    });
    expect([FLANNEL_VXLAN_VNI, FLANNEL_VXLAN_PORT]).toEqual([4096, 4789]);
  });

  test.each(['10.244.0.0', '10.244.1.0/16', '300.0.0.0/8', 'fd00::/64'])('refuses %s', (cidr) => {
    expect(() => renderFlannelNetConf(cidr)).toThrow(`pod CIDR "${cidr}" is not an IPv4 network`);
  });
});

describe('Windows networking', () => {
  test('exists in prod only', () => {
    const windowsDaemonSets = (env: Environment) =>
      clusterObjects(env).filter((o) => o.kind === 'DaemonSet' && o.spec.template.spec.os.name === 'windows').map((o) => o.metadata.name);
    expect(windowsDaemonSets(prod)).toEqual(['kube-flannel-ds-windows', 'kube-proxy-windows']);
    expect(windowsDaemonSets(dev)).toEqual([]);
    expect(windowsDaemonSets(edge)).toEqual([]);
  });

  const objects = clusterObjects(prod);

  test.each(['kube-flannel-ds-windows', 'kube-proxy-windows'])('%s is a HostProcess pod on the Windows pools, whatever their taints', (name) => {
    const pod = find(objects, 'DaemonSet', name).spec.template.spec;
    expect(pod.securityContext.windowsOptions).toEqual({ hostProcess: true, runAsUserName: 'NT AUTHORITY\\system' });
    expect(pod.hostNetwork).toBe(true);
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'windows' });
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: 'node.kubernetes.io/windows-build', operator: 'In', values: ['10.0.17763'] }] },
    ]);
    expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
  });

  test("kube-proxy matches the cluster's exact version and names flannel's network", () => {
    const container = find(objects, 'DaemonSet', 'kube-proxy-windows').spec.template.spec.containers[0];
    expect(container.image).toBe(`ghcr.io/k8s-book-systems/kube-proxy-windows:v${prod.cluster.kubernetesVersion}-hostprocess`);
    expect(container.env).toContainEqual({ name: 'KUBE_NETWORK', value: `flannel.${FLANNEL_VXLAN_VNI}` });
    expect(find(objects, 'ConfigMap', 'kube-proxy-windows').data['start.ps1']).toContain('--proxy-mode=kernelspace --source-vip=$sourceVip');
  });

  test("flannel reads the Linux net-conf (one Network) and the cluster's service CIDR", () => {
    const ds = find(objects, 'DaemonSet', 'kube-flannel-ds-windows').spec.template.spec;
    expect(ds.volumes).toContainEqual({ name: 'flannel-cfg', configMap: { name: 'kube-flannel-cfg' } });
    expect(ds.containers[0].env).toContainEqual({ name: 'SERVICE_SUBNET', value: prod.cluster.serviceCidr });
    const cni = JSON.parse(find(objects, 'ConfigMap', 'kube-flannel-windows-cfg').data['cni-conf-containerd.json']);
    expect(cni.name).toBe('flannel.4096');
  });

  test('needs a full version for the kube-proxy image', () => {
    expect(() => buildCluster({ nodePools: [...linuxPools, windowsPool], networking: 'flannel', podCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/12', kubernetesVersion: '1.34' })).toThrow(
      'kubernetesVersion: "1.34" has no patch, but the Windows kube-proxy image is tagged per release',
    );
  });
});

describe('the edge cluster (MicroK8s)', () => {
  const objects = clusterObjects(edge);

  test('has no flannel, no cloud-controller-manager, no metrics-server: only RuntimeClasses', () => {
    expect([...new Set(objects.map((o) => o.kind))]).toEqual(['RuntimeClass']);
    expect(names(objects, 'RuntimeClass')).toEqual(['linux-arm64']);
  });

  test('refuses LoadBalancer Services, which nothing would provision', () => {
    const { cluster } = new ClusterChart(new App({ outdir: 'unused' }), edge);
    expect(cluster.supportsLoadBalancer).toBe(false);
    expect(() => cluster.checkServiceType('demo/demo', 'LoadBalancer')).toThrow(
      'demo/demo: service.type: environment "edge" has no cloud provider, so a LoadBalancer Service would stay <pending> forever',
    );
    expect(() => cluster.checkServiceType('demo/demo', 'NodePort')).not.toThrow();
  });
});

describe('the AWS cloud-controller-manager', () => {
  test.each([dev, prod])("in $name matches the cluster's minor version", (env) => {
    const objects = clusterObjects(env);
    const ds = find(objects, 'DaemonSet', 'aws-cloud-controller-manager');
    const image: string = ds.spec.template.spec.containers[0].image;
    const [, minor] = /^registry\.k8s\.io\/provider-aws\/cloud-controller-manager:v(\d+\.\d+)\.\d+$/.exec(image) ?? [];
    expect(minor).toBe(env.cluster.kubernetesVersion.split('.').slice(0, 2).join('.'));
    expect(new ClusterChart(new App({ outdir: 'unused' }), env).cluster.supportsLoadBalancer).toBe(true);
  });

  test('runs on control planes before they are initialized, with the upstream arguments and RBAC', () => {
    const objects = clusterObjects(prod);
    const pod = find(objects, 'DaemonSet', 'aws-cloud-controller-manager').spec.template.spec;
    expect(pod.nodeSelector['node-role.kubernetes.io/control-plane']).toBe('');
    expect(pod.tolerations).toEqual([
      { key: 'node.cloudprovider.kubernetes.io/uninitialized', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
      { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
    ]);
    expect(pod.containers[0].args).toEqual(expect.arrayContaining(['--v=2', '--cloud-provider=aws', '--configure-cloud-routes=false']));
    expect(find(objects, 'RoleBinding', 'cloud-controller-manager:apiserver-authentication-reader').roleRef.name).toBe('extension-apiserver-authentication-reader');
    expect(find(objects, 'ClusterRoleBinding', 'system:cloud-controller-manager').subjects).toEqual([
      { kind: 'ServiceAccount', name: 'cloud-controller-manager', namespace: 'kube-system' },
    ]);
  });

  test('refuses a minor without a pinned release', () => {
    expect(() => awsCloudControllerManagerImage('cluster', '1.99.0')).toThrow(
      'cluster: kubernetesVersion: no AWS cloud-controller-manager release is pinned for Kubernetes 1.99',
    );
    expect(() => buildCluster({ nodePools: linuxPools, cloudProvider: 'aws' })).toThrow(
      "kubernetesVersion: is not set, but the cloud-controller-manager's release follows the cluster's minor",
    );
  });
});

describe('metrics-server', () => {
  const objects = clusterObjects(prod);

  test('is highly available on Linux nodes and registers metrics.k8s.io', () => {
    const deployment = find(objects, 'Deployment', 'metrics-server');
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.template.spec.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(deployment.spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe('kubernetes.io/hostname');
    expect(deployment.spec.template.spec.containers[0].image).toBe('registry.k8s.io/metrics-server/metrics-server:v0.9.0');
    // Verifies kubelets against the cluster CA (serverTLSBootstrap + kubelet-csr-approver), never insecurely.
    expect(deployment.spec.template.spec.containers[0].args).not.toContain('--kubelet-insecure-tls');
    expect(find(objects, 'Deployment', 'kubelet-csr-approver').spec.template.spec.containers[0].env).toContainEqual({
      name: 'PROVIDER_IP_PREFIXES',
      value: prod.provider.kind === 'aws-kubeadm' ? prod.provider.network.vpcCidr : '',
    });
    expect(find(objects, 'Service', 'metrics-server').spec.ports[0].appProtocol).toBe('https');
    expect(find(objects, 'PodDisruptionBudget', 'metrics-server').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'k8s-app': 'metrics-server' } } });
    expect(find(objects, 'APIService', 'v1beta1.metrics.k8s.io').spec.service).toEqual({ name: 'metrics-server', namespace: 'kube-system' });
    expect(names(objects, 'ClusterRole')).toEqual(expect.arrayContaining(['system:aggregated-metrics-reader', 'system:metrics-server']));
  });

  test('refuses a cluster with too few Linux nodes for two replicas on distinct nodes', () => {
    const servingCertificates = { nodeNamePattern: '^ip-.*\\.ec2\\.internal$', nodeIpPrefixes: ['10.0.0.0/16'] };
    expect(() => buildCluster({ nodePools: [{ ...linuxPools[0], min: 1 }], metricsServer: true, kubeletServingCertificates: servingCertificates })).toThrow(
      'placement: metrics-server runs 2 replicas on different nodes, but only 1 node(s) of pool(s) linux-amd64 are guaranteed',
    );
  });

  test('refuses metrics-server without kubelet serving certificates, which it could only reach insecurely', () => {
    expect(() => buildCluster({ nodePools: linuxPools, metricsServer: true })).toThrow(
      "kubeletServingCertificates: is not set, but metrics-server verifies every kubelet's serving certificate against the cluster CA",
    );
  });
});

describe('RuntimeClasses', () => {
  test('pin Windows to its build and tolerate the Windows pool taint', () => {
    const rc = find(clusterObjects(prod), 'RuntimeClass', 'windows-10.0.17763');
    expect(rc.handler).toBe('runhcs-wcow-process');
    expect(rc.scheduling).toEqual({
      nodeSelector: { 'kubernetes.io/os': 'windows', 'kubernetes.io/arch': 'amd64', 'node.kubernetes.io/windows-build': '10.0.17763' },
      tolerations: [{ key: 'os', operator: 'Equal', value: 'windows', effect: 'NoSchedule' }],
    });
    expect(names(clusterObjects(prod), 'RuntimeClass')).toEqual(['linux-amd64', 'linux-arm64', 'windows-10.0.17763']);
  });
});

describe('placement', () => {
  const gpuPool: NodePoolShape = { name: 'gpu', os: 'linux', arch: 'amd64', min: 2, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] };

  test('refuses a platform no pool runs', () => {
    expect(() => clusterIn(linuxPools).place('numbers/api', { os: 'windows', windowsBuild: '10.0.17763' })).toThrow(
      'numbers/api: platform: no node pool of environment "test" can run windows/* (build 10.0.17763): pools are linux-amd64 (linux/amd64); linux-arm64 (linux/arm64)',
    );
  });

  test('does not count a pool tainted for another reason unless the workload tolerates it', () => {
    const cluster = clusterIn([gpuPool]);
    expect(() => cluster.place('train', { os: 'linux', arch: 'amd64' })).toThrow(
      'train: platform: no node pool of environment "test" can run linux/amd64: pools are gpu (linux/amd64, taints dedicated=gpu:NoSchedule)',
    );
    const tolerated = cluster.place('train', { os: 'linux', arch: 'amd64' }, [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }]);
    expect(tolerated.pools).toEqual(['gpu']);
    expect(clusterIn([...linuxPools, gpuPool]).place('web', { os: 'linux', arch: 'amd64' }).pools).toEqual(['linux-amd64']);
  });

  test('adds the Windows pool taint toleration for Windows workloads', () => {
    const placement = clusterIn([...linuxPools, windowsPool]).place('petshop', { os: 'windows', windowsBuild: '10.0.17763' });
    expect(placement.tolerations).toEqual([{ key: 'os', operator: 'Equal', value: 'windows', effect: 'NoSchedule' }]);
    expect(placement.runtimeClassName).toBe('windows-10.0.17763');
  });

  describe('placeAll, for multi-container pods', () => {
    const cluster = clusterIn([...linuxPools, windowsPool]);

    test('places containers of one platform together, a single-arch image deciding the arch', () => {
      const placement = cluster.placeAll('web', [{ os: 'linux' }, { os: 'linux', arch: 'arm64' }]);
      expect(placement.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'arm64' });
      expect(placement.pools).toEqual(['linux-arm64']);
    });

    test.each([
      ['OSes', [{ os: 'linux' }, { os: 'windows', windowsBuild: '10.0.17763' }], 'linux/*, windows/* (build 10.0.17763)'],
      ['architectures', [{ os: 'linux', arch: 'amd64' }, { os: 'linux', arch: 'arm64' }], 'linux/amd64, linux/arm64'],
      ['Windows builds', [{ os: 'windows', windowsBuild: '10.0.17763' }, { os: 'windows', windowsBuild: '10.0.20348' }], 'windows/* (build 10.0.17763), windows/* (build 10.0.20348)'],
    ] as const)('refuses containers of different %s in one pod', (_, platforms, described) => {
      expect(() => cluster.placeAll('mixed', platforms)).toThrow(
        `mixed: platforms: the containers of one pod need different platforms (${described}), but a pod runs on one node`,
      );
    });

    test('refuses an empty pod', () => {
      expect(() => cluster.placeAll('empty', [])).toThrow('empty: platforms: a pod needs at least one container platform');
    });
  });
});

describe('MixedArchCluster defaults', () => {
  test('render only RuntimeClasses: add-ons are what the environment asks for', () => {
    expect([...new Set(buildCluster({ nodePools: linuxPools }).map((o) => o.kind))]).toEqual(['RuntimeClass']);
  });

  test('flannel needs the pod CIDR', () => {
    expect(() => buildCluster({ nodePools: linuxPools, networking: 'flannel' })).toThrow("podCidr: is not set, but it is flannel's Network");
    expect(() => buildCluster({ nodePools: linuxPools, networking: 'flannel', podCidr: '10.244.0.1/16' })).toThrow(
      'podCidr: "10.244.0.1/16" is not an IPv4 network in CIDR notation',
    );
  });
});

describe('add-ons as upstream ships them', () => {
  const objects = clusterObjects(prod);

  test("flannel runs kube-network-policies beside flanneld and may read what it enforces", () => {
    const spec = find(objects, 'DaemonSet', 'kube-flannel-ds').spec.template.spec;
    expect(spec.containers.map((c: Manifest) => c.name)).toEqual(['kube-flannel', 'kube-network-policies']);
    const rules = find(objects, 'ClusterRole', 'flannel').rules;
    expect(rules).toContainEqual({ apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['list', 'watch'] });
  });

  test('flanneld serves /healthz and /readyz on its health port and is probed there', () => {
    const flanneld = find(objects, 'DaemonSet', 'kube-flannel-ds').spec.template.spec.containers[0];
    expect(flanneld.args).toContain('--healthz-port=8081');
    expect(flanneld.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'healthz' });
    expect(flanneld.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'healthz' });
  });

  test('the cloud-controller-manager may delegate authentication and authorization of its secure port', () => {
    const rules = find(objects, 'ClusterRole', 'system:cloud-controller-manager').rules;
    expect(rules).toContainEqual({ apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] });
    expect(rules).toContainEqual({ apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] });
  });
});
