import { Construct } from 'constructs';
import { NodeExporterDaemonSet } from '../constructs/node-exporter-daemonset';
import { NodeExporterSettings } from '../environments';
import { smallNamespace, WorkloadChart, WorkloadContext } from './context';

// NetworkPolicies (the namespace's default deny included) do not apply to host-network pods:
// the exporters are reached on the node addresses, which the cluster's security groups guard.
export const monitoringNamespace = smallNamespace('monitoring', {
  podSecurity: 'privileged',
  podSecurityReason:
    'node-exporter needs hostNetwork, hostPID and read-only hostPath mounts; windows-exporter is a HostProcess pod; both bind a hostPort',
  // One pod per node and agent: room for 100 nodes.
  quota: { requestsCpu: '10', requestsMemory: '16Gi', limitsCpu: '50', limitsMemory: '32Gi', pods: 100 },
});

/** Kubernetes on AWS, ch. 4: the `node-exporter` DaemonSet (`app: node-exporter`, :9100), plus windows-exporter on Windows nodes. */
export class NodeExporterChart extends WorkloadChart {
  constructor(scope: Construct, { cluster, settings }: WorkloadContext<NodeExporterSettings>) {
    super(scope, 'node-exporter');
    new NodeExporterDaemonSet(this, 'node-exporter', {
      namespace: monitoringNamespace.name,
      cluster,
      nodeSelector: settings.nodeSelector,
    });
  }
}
