import { Environment } from './types';

const nodes = [
  // The books' hostnames; `controlplane` at the address the book (MicroK8s, ch. 13) joins to.
  { hostname: 'controlplane', address: '192.168.1.8', role: 'control-plane' },
  { hostname: 'controlplane1', address: '192.168.1.9', role: 'control-plane' },
  { hostname: 'controlplane2', address: '192.168.1.10', role: 'control-plane' },
  { hostname: 'worker1', address: '192.168.1.11', role: 'worker' },
] as const;

/** The books' MicroK8s cluster on Raspberry Pi 4 boards (MicroK8s, ch. 5 and 13), HA with 3 control planes. */
export const edge: Environment = {
  name: 'edge',
  provider: {
    kind: 'microk8s',
    microk8s: {
      channel: '1.34/stable',
      ha: true,
      nodes,
      joinTokenTtlSeconds: 3600,
      wifiSsid: 'homelab',
      lanPrefixLength: 24,
      gateway: '192.168.1.1',
      dnsServers: ['192.168.1.1', '1.1.1.1'],
    },
  },
  cluster: {
    name: 'edge',
    kubernetesVersion: '1.34',
    // MicroK8s' Calico and service defaults.
    podCidr: '10.1.0.0/16',
    serviceCidr: '10.152.183.0/24',
    dnsDomain: 'cluster.local',
    meshes: [],
    // MicroK8s' hostpath-storage addon: node-local volumes, no snapshots.
    storage: { className: 'microk8s-hostpath' },
  },
  // MicroK8s control planes are untainted, so every board runs workloads.
  nodePools: [
    {
      name: 'raspberry-pi-4',
      os: 'linux',
      arch: 'arm64',
      instanceTypes: ['raspberry-pi-4-8gb'],
      min: nodes.length,
      desired: nodes.length,
      max: nodes.length,
      labels: {},
      taints: [],
    },
  ],
  workloads: {
    nginx: { image: 'nginx:1.16.1', replicas: 4, maxSurge: 0, maxUnavailable: 1, antiAffinity: 'required' },
    apod: { omitted: 'the kiamol ch14 images are not known to ship linux/arm64 builds' },
    demo: { omitted: 'errm/kubegratulations is not known to ship a linux/arm64 build, and edge has no LoadBalancer' },
    versions: { omitted: 'errm/versions is not known to ship a linux/arm64 build' },
    numbers: { omitted: 'numbers-api needs a Windows node; edge is arm64 Linux only' },
    petshop: { omitted: 'petshop needs Windows Server 2019 nodes; edge is arm64 Linux only' },
    batch: { fibCount: 100, luckBackoffLimit: 4 },
    nodeExporter: { nodeSelector: {} },
    todo: {
      serviceType: 'NodePort',
      nodePort: 30100,
      autoscaling: { minReplicas: 2, maxReplicas: 4, cpuUtilization: 50 },
      databaseSize: '8Gi',
      nodeSelector: {},
      nodeAffinity: { required: [], preferred: [] },
      databaseZoneAffinity: 'none',
    },
    // One server per board: the 4 Pis are MinIO's 4 drives.
    minio: { replicas: 4, volumeSize: '20Gi', mesh: 'none', serviceType: 'NodePort', nodePort: 30900 },
    emojivoto: { omitted: 'the emojivoto images are not known to ship linux/arm64 builds, and edge installs no Linkerd' },
    percona: { omitted: "MicroK8s' hostpath storage cannot snapshot a volume, so green's claim cannot be cloned from blue's" },
    hello: { omitted: "hello:v1 is built on a developer's machine and loaded into its node, never pushed to a registry: it runs in local only" },
  },
};
