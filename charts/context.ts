import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AppNamespaceProps } from '../constructs/app-namespace';
import { MixedArchCluster } from '../constructs/mixed-arch-cluster';
import { Environment } from '../environments';

/** What every workload chart receives: the environment, its settings, and the cluster's placement. */
export interface WorkloadContext<S> {
  readonly env: Environment;
  readonly cluster: MixedArchCluster;
  readonly settings: S;
}

/**
 * A chart of one workload family, written to `dist/<env>/<id>.yaml`. Its namespace is declared
 * separately (`namespace`) so that every namespace lands in `00-namespaces.yaml`, which
 * `kubectl apply -f dist/<env>/` reads first.
 */
export abstract class WorkloadChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id, { labels: { 'app.kubernetes.io/part-of': id, 'app.kubernetes.io/managed-by': 'cdk8s' } });
  }
}

/** Namespace settings shared by small app namespaces. */
export function smallNamespace(name: string, extra: Partial<AppNamespaceProps> = {}): AppNamespaceProps {
  return {
    name,
    podSecurity: 'restricted',
    quota: { requestsCpu: '4', requestsMemory: '8Gi', limitsCpu: '8', limitsMemory: '16Gi', pods: 50 },
    containerDefaults: { cpu: '100m', memory: '128Mi' },
    ...extra,
  };
}
