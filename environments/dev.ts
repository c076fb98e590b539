import { Environment } from './types';

/** One control plane, one small linux/amd64 pool: cheap, and enough to run every Linux workload. */
export const dev: Environment = {
  name: 'dev',
  provider: {
    kind: 'aws-kubeadm',
    network: {
      region: 'us-east-1',
      availabilityZones: ['us-east-1a'],
      // The book's (Kubernetes on AWS, ch. 3) hopper VPC.
      vpcCidr: '10.0.0.0/16',
      privateSubnetCidrs: ['10.0.0.0/20'],
      publicSubnetCidrs: ['10.0.16.0/20'],
      natGateways: 'single',
    },
    controlPlane: { count: 1, instanceType: 't3.medium', arch: 'amd64' },
  },
  cluster: {
    name: 'hopper-dev',
    kubernetesVersion: '1.34.2',
    podCidr: '10.244.0.0/16',
    serviceCidr: '10.96.0.0/12',
    dnsDomain: 'cluster.local',
    // Linkerd (with its CNI plugin) for emojivoto; dev skips Istio's larger control plane.
    meshes: ['linkerd'],
    // The EBS CSI driver's gp3 class and its VolumeSnapshotClass (MixedArchCluster installs both).
    storage: { className: 'gp3', snapshotClassName: 'ebs-csi' },
  },
  nodePools: [
    {
      name: 'linux-amd64',
      os: 'linux',
      arch: 'amd64',
      instanceTypes: ['t3.large', 't3a.large'],
      min: 2,
      desired: 2,
      max: 4,
      labels: { 'workload-class': 'general' },
      taints: [],
    },
  ],
  workloads: {
    nginx: { image: 'nginx:1.14.2', replicas: 2, maxSurge: 0, maxUnavailable: 1, antiAffinity: 'required' },
    apod: { replicas: 2, webNodePort: 30000 },
    demo: { replicas: 3, serviceType: 'LoadBalancer' },
    versions: {
      active: 'blue',
      blue: { tag: '0.0.1' },
      green: { tag: '0.0.2' },
      replicas: 2,
      preview: true,
      scaleIdleToZero: true,
    },
    numbers: { omitted: 'numbers-api runs on windows/amd64 and dev has only a linux/amd64 pool' },
    petshop: { omitted: 'petshop runs on Windows Server 2019 and dev has only a linux/amd64 pool' },
    batch: { fibCount: 100, luckBackoffLimit: 4 },
    nodeExporter: { nodeSelector: {} },
    todo: {
      serviceType: 'LoadBalancer',
      autoscaling: { minReplicas: 2, maxReplicas: 5, cpuUtilization: 50 },
      databaseSize: '8Gi',
      // The cookbook's todo-dev nodeSelector, with the label dev's pool carries.
      nodeSelector: { 'workload-class': 'general' },
      nodeAffinity: { required: [], preferred: [] },
      databaseZoneAffinity: 'none',
    },
    minio: { replicas: 4, volumeSize: '10Gi', mesh: 'none', serviceType: 'LoadBalancer' },
    emojivoto: { mesh: 'linkerd', replicas: 2, ingress: { className: 'nginx', host: 'emojivoto.dev.example.com' } },
    percona: {
      active: 'blue',
      blue: { tag: '8.0.41-32', claim: 'demo-vol1-claim', size: '5Gi' },
      green: { tag: '8.0.42-33', claim: 'demo-snap-vol-claim', size: '5Gi', cloneOf: 'blue' },
      loadGenerator: true,
    },
    hello: { omitted: "hello:v1 is built on a developer's machine and loaded into its node, never pushed to a registry: it runs in local only" },
  },
};
