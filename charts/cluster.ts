import { Construct } from 'constructs';
import { MixedArchCluster, MixedArchClusterProps } from '../constructs/mixed-arch-cluster';
import { assertValidEdge } from '../edge/validate-edge';
import { Environment } from '../environments';
import { WorkloadChart } from './context';

/**
 * The EC2 private DNS names kubeadm nodes register as (infra/bootstrap names each node after its
 * instance's `local-hostname`): `ip-10-0-1-23.ec2.internal` in us-east-1, `ip-….<region>.compute.internal` elsewhere.
 */
export function ec2PrivateDnsNamePattern(region: string): string {
  const domain = region === 'us-east-1' ? 'ec2\\.internal' : `${region.replace(/[^a-z0-9-]/g, '')}\\.compute\\.internal`;
  return `^ip-(\\d{1,3}-){3}\\d{1,3}\\.${domain}$`;
}

/** The EBS CSI driver and snapshots, under the class names the environment's workloads claim. */
function awsStorage(env: Environment): MixedArchClusterProps['storage'] {
  const { className, snapshotClassName } = env.cluster.storage;
  return { kind: 'aws-ebs-csi', storageClassName: className, snapshotClassName: snapshotClassName ?? `${className}-snapshots` };
}

/** What the distribution brings and what this project adds, per provider. */
function addonsOf(env: Environment): Partial<Pick<MixedArchClusterProps, 'networking' | 'cloudProvider' | 'metricsServer' | 'kubeletServingCertificates' | 'localImages' | 'storage'>> {
  switch (env.provider.kind) {
    case 'aws-kubeadm':
      // kubeadm installs no CNI and no metrics; kubelets run with --cloud-provider=external and
      // serverTLSBootstrap: true (infra/bootstrap/kubeadm.ts), so their serving certificates need approving.
      return {
        networking: 'flannel',
        cloudProvider: 'aws',
        metricsServer: true,
        storage: awsStorage(env),
        kubeletServingCertificates: { nodeNamePattern: ec2PrivateDnsNamePattern(env.provider.network.region), nodeIpPrefixes: [env.provider.network.vpcCidr] },
      };
    case 'microk8s':
      // MicroK8s ships Calico and a metrics-server addon; nothing provisions load balancers on a LAN.
      return { networking: 'provided', cloudProvider: 'none', metricsServer: false };
    case 'local':
      // minikube/kind bring their CNI; `minikube addons enable metrics-server` serves the HPA (one node
      // cannot hold the HA metrics-server); no load balancers; images are loaded into the node by hand.
      return { networking: 'provided', cloudProvider: 'none', metricsServer: false, localImages: true };
  }
}

/** Cluster-wide objects: RuntimeClasses and the cluster add-ons MixedArchCluster renders. */
export class ClusterChart extends WorkloadChart {
  readonly cluster: MixedArchCluster;

  constructor(scope: Construct, env: Environment) {
    super(scope, '01-cluster');
    // The same refusals as `npm run edge:nodes` (2-node "HA", unpinned channel...), so dist/edge/
    // never describes a cluster the boot files would refuse to build.
    if (env.provider.kind === 'microk8s') assertValidEdge(env);
    this.cluster = new MixedArchCluster(this, 'cluster', {
      envName: env.name,
      nodePools: env.nodePools,
      podCidr: env.cluster.podCidr,
      serviceCidr: env.cluster.serviceCidr,
      kubernetesVersion: env.cluster.kubernetesVersion,
      meshes: env.cluster.meshes,
      ...addonsOf(env),
    });
  }
}
