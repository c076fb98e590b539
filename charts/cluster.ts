import { Construct } from 'constructs';
import { MixedArchCluster } from '../constructs/mixed-arch-cluster';
import { Environment } from '../environments';
import { WorkloadChart } from './context';

/** Cluster-wide objects: RuntimeClasses (and the cluster add-ons MixedArchCluster renders). */
export class ClusterChart extends WorkloadChart {
  readonly cluster: MixedArchCluster;

  constructor(scope: Construct, env: Environment) {
    super(scope, '01-cluster');
    this.cluster = new MixedArchCluster(this, 'cluster', { envName: env.name, nodePools: env.nodePools });
  }
}
