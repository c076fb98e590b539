import { Environment } from './types';

/**
 * One node on a developer's machine (Kubernetes on AWS, ch. 2): `minikube start --cni=calico` (Calico enforces the
 * namespaces' NetworkPolicies; or `kind create cluster`, whose kindnet does since kind v0.24), no
 * infrastructure and no Pulumi stack. Images built locally are loaded into the node, so workloads
 * here may use `imagePullPolicy: Never`. On an arm64 machine (Apple silicon), set the pool's arch.
 */
export const local: Environment = {
  name: 'local',
  provider: { kind: 'local', local: { distribution: 'minikube' } },
  cluster: {
    name: 'minikube',
    kubernetesVersion: '1.34.2',
    // minikube's defaults.
    podCidr: '10.244.0.0/16',
    serviceCidr: '10.96.0.0/12',
    dnsDomain: 'cluster.local',
    meshes: [],
    // minikube's (and kind's) default hostpath class; it cannot snapshot.
    storage: { className: 'standard' },
  },
  nodePools: [
    {
      name: 'minikube',
      os: 'linux',
      arch: 'amd64',
      instanceTypes: ['minikube'],
      min: 1,
      desired: 1,
      max: 1,
      labels: {},
      taints: [],
    },
  ],
  workloads: {
    hello: { tag: 'v1', nodePort: 30080 },
    // One node: the anti-affinity of the books' nginx can only be preferred here.
    nginx: { image: 'nginx:1.16.1', replicas: 2, maxSurge: 1, maxUnavailable: 0, antiAffinity: 'preferred' },
    apod: { omitted: 'local keeps to the local loop and the DevOps Cookbook systems; apod runs in dev' },
    demo: { omitted: 'demo needs a cloud LoadBalancer (Kubernetes on AWS, ch. 3); local has none' },
    versions: { omitted: 'local keeps to the local loop and the DevOps Cookbook systems; versions runs in dev' },
    numbers: { omitted: 'numbers-api needs a Windows node; local is one Linux node' },
    petshop: { omitted: 'petshop needs Windows Server 2019 nodes; local is one Linux node' },
    batch: { fibCount: 100, luckBackoffLimit: 4 },
    nodeExporter: { omitted: 'node-exporter watches real nodes; the local node is a VM or a container' },
    todo: {
      serviceType: 'NodePort',
      nodePort: 30100,
      autoscaling: { minReplicas: 2, maxReplicas: 5, cpuUtilization: 50 },
      databaseSize: '2Gi',
      nodeSelector: {},
      nodeAffinity: { required: [], preferred: [] },
      databaseZoneAffinity: 'none',
    },
    minio: { replicas: 4, volumeSize: '2Gi', mesh: 'none', serviceType: 'NodePort', nodePort: 30900 },
    emojivoto: { mesh: 'none', replicas: 2, ingress: { className: 'nginx', host: 'emojivoto.local' } },
    percona: { omitted: "the hostpath storage of minikube and kind cannot snapshot a volume, so green's claim cannot be cloned from blue's" },
  },
};
