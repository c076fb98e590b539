/**
 * MixedArchCluster edges: a RuntimeClass per platform (handler, selector, the OS taint toleration),
 * pool validation, which add-ons each option renders and what they require, placement helpers and
 * the environment-level refusals, with exact messages. Expected values are written by hand.
 */
import { App, Chart } from 'cdk8s';
import { MixedArchCluster, MixedArchClusterProps } from '../../constructs/mixed-arch-cluster';
import type { NodePoolShape } from '../../constructs/platform';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;

const amd: NodePoolShape = { name: 'linux-amd64', os: 'linux', arch: 'amd64', min: 3, taints: [] };
const arm: NodePoolShape = { name: 'linux-arm64', os: 'linux', arch: 'arm64', min: 2, taints: [{ key: 'arch', value: 'arm64', effect: 'NoSchedule' }] };
const win: NodePoolShape = {
  name: 'windows-2019',
  os: 'windows',
  arch: 'amd64',
  windowsBuild: '10.0.17763',
  min: 2,
  taints: [
    { key: 'os', value: 'windows', effect: 'NoSchedule' },
    { key: 'other', value: 'x', effect: 'NoExecute' },
  ],
};
const win22: NodePoolShape = { ...win, name: 'windows-2022', windowsBuild: '10.0.20348', taints: [{ key: 'os', value: 'windows', effect: 'NoSchedule' }] };
const CERTS = { nodeNamePattern: '^ip-[0-9-]+$', nodeIpPrefixes: ['10.0.0.0/16'] };

function build(props: Partial<MixedArchClusterProps> = {}): { cluster: MixedArchCluster; objects: Obj[] } {
  const chart = new Chart(new App({ outdir: 'unused' }), 'c');
  const cluster = new MixedArchCluster(chart, 'cluster', { envName: 'dev', nodePools: [amd, arm, win], ...props });
  return { cluster, objects: chart.toJson() };
}

const names = (objects: Obj[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`);

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect((err as Error).name).toBe('ConstructError');
    return (err as Error).message;
  }
  throw new Error('expected a refusal, got none');
}

describe('RuntimeClasses', () => {
  test('one per platform, sorted by name, nothing else by default', () => {
    const { objects } = build({ nodePools: [win, arm, amd, { ...amd, name: 'linux-amd64-b' }] });
    expect(names(objects)).toEqual(['RuntimeClass/linux-amd64', 'RuntimeClass/linux-arm64', 'RuntimeClass/windows-10.0.17763']);
  });

  test('Linux: runc, OS and arch selector, no toleration for a non-OS taint', () => {
    const { objects } = build();
    expect(objects[0]).toEqual({ apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'linux-amd64' }, handler: 'runc', scheduling: { nodeSelector: { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' } } });
    expect(objects[1]).toEqual({ apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'linux-arm64' }, handler: 'runc', scheduling: { nodeSelector: { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'arm64' } } });
  });

  test('Windows: process isolation, the build in the selector, only the os taint tolerated', () => {
    const { objects } = build();
    expect(objects[2]).toEqual({
      apiVersion: 'node.k8s.io/v1',
      kind: 'RuntimeClass',
      metadata: { name: 'windows-10.0.17763' },
      handler: 'runhcs-wcow-process',
      scheduling: {
        nodeSelector: { 'kubernetes.io/os': 'windows', 'kubernetes.io/arch': 'amd64', 'node.kubernetes.io/windows-build': '10.0.17763' },
        tolerations: [{ key: 'os', operator: 'Equal', value: 'windows', effect: 'NoSchedule' }],
      },
    });
  });
});

describe('pools', () => {
  test('a Windows pool needs a 10.0.N build', () => {
    for (const [build_, shown] of [[undefined, 'nothing'], ['17763', '17763'], ['10.0', '10.0'], ['10.0.17763a', '10.0.17763a']] as const) {
      expect(refusal(() => build({ nodePools: [amd, { ...win, windowsBuild: build_ }] }))).toBe(
        `c/cluster: nodePools[1].windowsBuild: Windows pool "windows-2019" has no build (got ${shown}), so Windows images cannot be matched to it. Fix: set windowsBuild, e.g. '10.0.17763' for Server 2019`,
      );
    }
  });

  test('a Linux pool may not carry one', () => {
    expect(refusal(() => build({ nodePools: [{ ...amd, windowsBuild: '10.0.17763' }] }))).toBe(
      'c/cluster: nodePools[0].windowsBuild: Linux pool "linux-amd64" carries a Windows build. Fix: drop windowsBuild',
    );
  });
});

describe('properties', () => {
  test('defaults: no load balancers, no meshes, pulled images', () => {
    const { cluster } = build();
    expect(cluster.envName).toBe('dev');
    expect(cluster.nodePools).toEqual([amd, arm, win]);
    expect(cluster.supportsLoadBalancer).toBe(false);
    expect(cluster.meshes).toEqual([]);
    expect(cluster.localImages).toBe(false);
  });

  test('meshes deduplicated and sorted; aws supports load balancers; local images', () => {
    const { cluster } = build({ meshes: ['linkerd', 'istio', 'linkerd'], cloudProvider: 'aws', kubernetesVersion: '1.34', localImages: true });
    expect(cluster.meshes).toEqual(['istio', 'linkerd']);
    expect(cluster.supportsLoadBalancer).toBe(true);
    expect(cluster.localImages).toBe(true);
    expect(build({ cloudProvider: 'none' }).cluster.supportsLoadBalancer).toBe(false);
  });
});

describe('placement', () => {
  test('place: Linux any arch lands on both Linux pools, tolerating the arch taint; local images are flagged', () => {
    const { cluster } = build();
    expect(cluster.place('w', { os: 'linux' })).toEqual({
      platform: { os: 'linux' },
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      tolerations: [{ key: 'arch', operator: 'Equal', value: 'arm64', effect: 'NoSchedule' }],
      eligibleNodes: 5,
      pools: ['linux-amd64', 'linux-arm64'],
    });
    expect(build({ localImages: true }).cluster.place('w', { os: 'linux' }).localImages).toBe(true);
    expect('localImages' in cluster.place('w', { os: 'linux' })).toBe(false);
  });

  test('placeAll merges the single-arch and build of the containers', () => {
    const { cluster } = build({ nodePools: [amd, { ...arm, taints: [] }, win22] });
    expect(cluster.placeAll('w', [{ os: 'linux' }, { os: 'linux', arch: 'arm64' }])).toEqual({
      platform: { os: 'linux', arch: 'arm64', windowsBuild: undefined },
      nodeSelector: { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'arm64' },
      tolerations: [],
      eligibleNodes: 2,
      pools: ['linux-arm64'],
    });
    const w = cluster.placeAll('w', [{ os: 'windows', windowsBuild: '10.0.20348' }, { os: 'windows', arch: 'amd64' }]);
    expect(w.platform).toEqual({ os: 'windows', arch: 'amd64', windowsBuild: '10.0.20348' });
    expect(w.runtimeClassName).toBe('windows-10.0.20348');
    expect(w.eligibleNodes).toBe(2);
  });

  test('placeAll refuses an empty pod and mixed platforms, naming the field that differs', () => {
    const { cluster } = build({ nodePools: [amd, arm, win, win22] });
    expect(refusal(() => cluster.placeAll('ns/w', []))).toBe('ns/w: platforms: a pod needs at least one container platform. Fix: list the platform of each container image');
    const mixed = (fix: string, platforms: string) => `ns/w: platforms: the containers of one pod need different platforms (${platforms}), but a pod runs on one node. Fix: split the containers into separate workloads, or use images built for one ${fix}`;
    expect(refusal(() => cluster.placeAll('ns/w', [{ os: 'linux' }, { os: 'windows', windowsBuild: '10.0.17763' }]))).toBe(mixed('OS', 'linux/*, windows/* (build 10.0.17763)'));
    expect(refusal(() => cluster.placeAll('ns/w', [{ os: 'linux', arch: 'amd64' }, { os: 'linux', arch: 'arm64' }]))).toBe(mixed('architecture (or multi-arch images)', 'linux/amd64, linux/arm64'));
    expect(refusal(() => cluster.placeAll('ns/w', [{ os: 'windows', windowsBuild: '10.0.17763' }, { os: 'windows', windowsBuild: '10.0.20348' }]))).toBe(
      mixed('Windows build', 'windows/* (build 10.0.17763), windows/* (build 10.0.20348)'),
    );
  });

  test('checkServiceType refuses LoadBalancer only without a cloud provider', () => {
    const { cluster } = build();
    expect(() => cluster.checkServiceType('ns/w', 'ClusterIP')).not.toThrow();
    expect(() => cluster.checkServiceType('ns/w', 'NodePort')).not.toThrow();
    expect(refusal(() => cluster.checkServiceType('ns/w', 'LoadBalancer'))).toBe(
      `ns/w: service.type: environment "dev" has no cloud provider, so a LoadBalancer Service would stay <pending> forever. Fix: use NodePort (or an ingress) in environments/dev.ts, or leave the workload out there with { omitted: '<why>' }`,
    );
    expect(() => build({ cloudProvider: 'aws', kubernetesVersion: '1.34' }).cluster.checkServiceType('ns/w', 'LoadBalancer')).not.toThrow();
  });

  test('checkMesh refuses a mesh the cluster does not install', () => {
    const bare = build().cluster;
    expect(() => bare.checkMesh('ns/w', 'none')).not.toThrow();
    expect(refusal(() => bare.checkMesh('ns/w', 'istio'))).toBe(
      `ns/w: mesh: environment "dev" does not install istio (installed: none), so the pods would run without a proxy and the mesh's objects would have no controller. Fix: add 'istio' to the environment's meshes, choose one of them, or use mesh: 'none'`,
    );
    const linkerd = build({ meshes: ['linkerd'] }).cluster;
    expect(() => linkerd.checkMesh('ns/w', 'linkerd')).not.toThrow();
    expect(refusal(() => linkerd.checkMesh('ns/w', 'istio'))).toMatch(/\(installed: linkerd\)/);
  });
});

describe('add-ons', () => {
  const addOns = (objects: Obj[]) => names(objects).filter((n) => !n.startsWith('RuntimeClass/'));

  test("networking 'provided' renders no CNI, whatever the CIDRs", () => {
    expect(addOns(build({ networking: 'provided', podCidr: '10.244.0.0/16' }).objects)).toEqual([]);
  });

  test('flannel on Linux only: its Network is the pod CIDR', () => {
    const { objects } = build({ nodePools: [amd], networking: 'flannel', podCidr: '10.244.0.0/16' });
    const added = addOns(objects);
    expect(added).toContain('DaemonSet/kube-flannel-ds');
    expect(added).not.toContain('DaemonSet/kube-flannel-ds-windows');
    expect(added).not.toContain('DaemonSet/kube-proxy-windows');
    expect(JSON.stringify(objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'kube-flannel-cfg'))).toContain('10.244.0.0/16');
  });

  test('flannel with Windows pools: Windows flannel and kube-proxy on the exact version, every build', () => {
    const { objects } = build({ nodePools: [amd, win22, win, { ...win, name: 'windows-2019-b' }], networking: 'flannel', podCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/12', kubernetesVersion: '1.34.2' });
    const proxy = objects.find((o) => o.kind === 'DaemonSet' && o.metadata.name === 'kube-proxy-windows');
    expect(JSON.stringify(proxy)).toContain('1.34.2');
    const flannel = objects.find((o) => o.kind === 'DaemonSet' && o.metadata.name === 'kube-flannel-ds-windows');
    expect(JSON.stringify(flannel)).toContain('10.96.0.0/12');
    expect(flannel.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values).toEqual(['10.0.17763', '10.0.20348']);
  });

  test('flannel requires a pod CIDR in CIDR notation', () => {
    expect(refusal(() => build({ networking: 'flannel' }))).toBe("c/cluster: podCidr: is not set, but it is flannel's Network. Fix: pass the environment's cluster.podCidr");
    expect(refusal(() => build({ networking: 'flannel', podCidr: '10.244.0.1/16' }))).toBe(
      'c/cluster: podCidr: "10.244.0.1/16" is not an IPv4 network in CIDR notation. Fix: use e.g. 10.244.0.0/16 with no host bits set',
    );
  });

  test('Windows flannel requires a full Kubernetes version and a service CIDR', () => {
    const base = { networking: 'flannel' as const, podCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/12' };
    expect(refusal(() => build({ ...base }))).toBe('c/cluster: kubernetesVersion: is not set, but the Windows kube-proxy must match the cluster version. Fix: pass the environment\'s cluster.kubernetesVersion');
    expect(refusal(() => build({ ...base, kubernetesVersion: '1.34' }))).toBe(
      'c/cluster: kubernetesVersion: "1.34" has no patch, but the Windows kube-proxy image is tagged per release. Fix: use the full version, e.g. 1.34.2',
    );
    expect(refusal(() => build({ ...base, kubernetesVersion: 'v1.34.2' }))).toMatch(/^c\/cluster: kubernetesVersion: "v1\.34\.2" has no patch/);
    expect(refusal(() => build({ ...base, kubernetesVersion: '1.34.2', serviceCidr: undefined }))).toBe(
      "c/cluster: serviceCidr: is not set, but Windows pods reach Services through the overlay. Fix: pass the environment's cluster.serviceCidr",
    );
    expect(refusal(() => build({ ...base, kubernetesVersion: '1.34.2', serviceCidr: '10.96.0.0' }))).toBe(
      'c/cluster: serviceCidr: "10.96.0.0" is not an IPv4 network in CIDR notation. Fix: use e.g. 10.244.0.0/16 with no host bits set',
    );
  });

  test('aws: the cloud-controller-manager follows the Kubernetes minor, which it requires', () => {
    const added = addOns(build({ cloudProvider: 'aws', kubernetesVersion: '1.34' }).objects);
    expect(added).toContain('DaemonSet/aws-cloud-controller-manager');
    expect(refusal(() => build({ cloudProvider: 'aws' }))).toBe(
      "c/cluster: kubernetesVersion: is not set, but the cloud-controller-manager's release follows the cluster's minor. Fix: pass the environment's cluster.kubernetesVersion",
    );
  });

  test('kubelet serving certificates: the approver on Linux', () => {
    const { objects } = build({ kubeletServingCertificates: CERTS });
    expect(addOns(objects)).toContain('Deployment/kubelet-csr-approver');
    const d = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'kubelet-csr-approver');
    expect(d.spec.template.spec.nodeSelector['kubernetes.io/os']).toBe('linux');
    expect(JSON.stringify(d)).toContain('^ip-[0-9-]+$');
  });

  test('metrics-server needs the kubelet serving certificates', () => {
    expect(addOns(build({ metricsServer: true, kubeletServingCertificates: CERTS }).objects)).toContain('Deployment/metrics-server');
    expect(addOns(build({ metricsServer: false }).objects)).toEqual([]);
    expect(refusal(() => build({ metricsServer: true }))).toBe(
      "c/cluster: kubeletServingCertificates: is not set, but metrics-server verifies every kubelet's serving certificate against the cluster CA, and kubeadm kubelets serve self-signed ones unless they bootstrap them. Fix: set serverTLSBootstrap: true in the KubeletConfiguration and pass kubeletServingCertificates (node names and addresses the approver accepts)",
    );
  });

  test('EBS CSI storage needs the AWS cloud provider; renders the snapshot controller and the driver', () => {
    const storage = { kind: 'aws-ebs-csi' as const, storageClassName: 'gp3', snapshotClassName: 'ebs-csi' };
    const added = addOns(build({ storage, cloudProvider: 'aws', kubernetesVersion: '1.34' }).objects);
    expect(added).toEqual(expect.arrayContaining(['Deployment/snapshot-controller', 'StorageClass/gp3', 'VolumeSnapshotClass/ebs-csi', 'CSIDriver/ebs.csi.aws.com']));
    expect(refusal(() => build({ storage }))).toBe(
      "c/cluster: storage: the EBS CSI driver provisions EBS volumes, but the cluster has no AWS cloud provider. Fix: use the distribution's storage, or cloudProvider: 'aws'",
    );
  });
});
