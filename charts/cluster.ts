import { Construct } from 'constructs';
import { MixedArchCluster, MixedArchClusterProps } from '../constructs/mixed-arch-cluster';
import { assertValidEdge } from '../edge/validate-edge';
import { Environment } from '../environments';
import { WorkloadChart } from './context';

/** What the distribution brings and what this project adds, per provider. */
function addonsOf(env: Environment): Pick<MixedArchClusterProps, 'networking' | 'cloudProvider' | 'metricsServer'> {
  switch (env.provider.kind) {
    case 'aws-kubeadm':
      // kubeadm installs no CNI and no metrics; kubelets run with --cloud-provider=external.
      return { networking: 'flannel', cloudProvider: 'aws', metricsServer: true };
    case 'microk8s':
      // MicroK8s ships Calico and a metrics-server addon; nothing provisions load balancers on a LAN.
      return { networking: 'provided', cloudProvider: 'none', metricsServer: false };
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
      ...addonsOf(env),
    });
  }
}
