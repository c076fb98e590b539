import { Environment } from './types';

/** Three control planes across three zones, amd64 + Graviton arm64 + Windows Server 2019 pools. */
export const prod: Environment = {
  name: 'prod',
  provider: {
    kind: 'aws-kubeadm',
    network: {
      region: 'us-east-1',
      availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
      vpcCidr: '10.0.0.0/16',
      // Zone a keeps the book's subnets; b and c follow the same /20 pattern.
      privateSubnetCidrs: ['10.0.0.0/20', '10.0.32.0/20', '10.0.64.0/20'],
      publicSubnetCidrs: ['10.0.16.0/20', '10.0.48.0/20', '10.0.80.0/20'],
      natGateways: 'per-az',
    },
    controlPlane: { count: 3, instanceType: 'm6i.large', arch: 'amd64' },
  },
  cluster: {
    name: 'hopper',
    kubernetesVersion: '1.34.2',
    podCidr: '10.244.0.0/16',
    serviceCidr: '10.96.0.0/12',
    dnsDomain: 'cluster.local',
    // Istio for MinIO's ingress (the cookbook's recipe), Linkerd for emojivoto; both with their CNI plugin.
    meshes: ['istio', 'linkerd'],
    // The EBS CSI driver's gp3 class and its VolumeSnapshotClass (MixedArchCluster installs both).
    storage: { className: 'gp3', snapshotClassName: 'ebs-csi' },
  },
  nodePools: [
    {
      name: 'linux-amd64',
      os: 'linux',
      arch: 'amd64',
      instanceTypes: ['m6i.large', 'm5.large'],
      min: 3,
      desired: 3,
      max: 6,
      labels: { 'workload-class': 'general' },
      taints: [],
    },
    {
      name: 'linux-arm64',
      os: 'linux',
      arch: 'arm64',
      instanceTypes: ['m7g.large', 'm6g.large'],
      min: 3,
      desired: 3,
      max: 6,
      labels: { 'workload-class': 'general' },
      taints: [],
    },
    {
      name: 'windows-2019',
      os: 'windows',
      arch: 'amd64',
      windowsBuild: '10.0.17763',
      instanceTypes: ['m6i.xlarge', 'm5.xlarge'],
      min: 2,
      desired: 2,
      max: 4,
      labels: { 'workload-class': 'windows' },
      // Only pods that ask for Windows land here; Linux pods never try.
      taints: [{ key: 'os', value: 'windows', effect: 'NoSchedule' }],
    },
  ],
  workloads: {
    nginx: { image: 'nginx:1.16.1', replicas: 4, maxSurge: 0, maxUnavailable: 1, antiAffinity: 'required' },
    apod: { replicas: 3, webNodePort: 30000 },
    demo: { replicas: 3, serviceType: 'LoadBalancer' },
    versions: {
      active: 'blue',
      blue: { tag: '0.0.1' },
      green: { tag: '0.0.2' },
      replicas: 3,
      preview: true,
      scaleIdleToZero: false,
    },
    numbers: { webNodePort: 30001 },
    petshop: { webNodePort: 30002, webserviceNodePort: 30003 },
    batch: { fibCount: 100, luckBackoffLimit: 4 },
    nodeExporter: { nodeSelector: {} },
    todo: {
      serviceType: 'LoadBalancer',
      // The cookbook's HPA is 1-5 at 50% CPU; 2 at least, so one pod can go while the other serves.
      autoscaling: { minReplicas: 2, maxReplicas: 5, cpuUtilization: 50 },
      databaseSize: '20Gi',
      nodeSelector: {},
      // The cookbook's todo-prod: required node label (prod's pools carry workload-class, not
      // environment=production), preferred zones a and b with weight 1.
      nodeAffinity: {
        required: [{ key: 'workload-class', values: ['general'] }],
        preferred: [{ weight: 1, requirement: { key: 'topology.kubernetes.io/zone', values: ['us-east-1a', 'us-east-1b'] } }],
      },
      // The cookbook requires MongoDB's zone; preferred keeps the app schedulable while MongoDB reschedules.
      databaseZoneAffinity: 'preferred',
    },
    minio: { replicas: 4, volumeSize: '50Gi', mesh: 'istio', istioHosts: ['*'], serviceType: 'LoadBalancer' },
    emojivoto: { mesh: 'linkerd', replicas: 3, ingress: { className: 'nginx', host: 'emojivoto.example.com' } },
    percona: {
      active: 'blue',
      blue: { tag: '8.0.41-32', claim: 'demo-vol1-claim', size: '20Gi' },
      green: { tag: '8.0.42-33', claim: 'demo-snap-vol-claim', size: '20Gi', cloneOf: 'blue' },
      loadGenerator: false,
    },
    hello: { omitted: "hello:v1 is built on a developer's machine and loaded into its node, never pushed to a registry: it runs in local only" },
  },
};
