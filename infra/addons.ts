/**
 * The cluster add-ons (flannel, the AWS cloud-controller-manager, metrics-server, ... : what
 * `dist/<env>/01-cluster.yaml` holds), rendered in memory from the model by the same charts
 * `npm run synth` runs, never read from a possibly stale dist/. The stack publishes them for the first
 * control plane, which applies them right after `kubeadm init`.
 *
 * Built on charts/ directly (not synth/, which imports the cross-layer checks, which import infra).
 */
import { App, Chart } from 'cdk8s';
import { stringify } from 'yaml';
import { composeEnvironment } from '../charts';
import type { Environment } from '../environments';

export const CLUSTER_ADDONS_FILE = '01-cluster.yaml';

function charts(env: Environment): Chart[] {
  const app = new App({ outdir: 'unused' });
  composeEnvironment(app, env);
  return app.node.children.filter((c): c is Chart => c instanceof Chart);
}

/** The objects of `dist/<env>/01-cluster.yaml`, as YAML documents. */
export function renderClusterAddons(env: Environment): string {
  const chart = charts(env).find((c) => `${c.node.id}.yaml` === CLUSTER_ADDONS_FILE);
  if (!chart) {
    throw new Error(`environment "${env.name}" renders no ${CLUSTER_ADDONS_FILE}: the cluster chart (charts/cluster.ts) must exist for nodes to become Ready`);
  }
  return (chart.toJson() as unknown[]).map((o) => `---\n${stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })}`).join('');
}

/** The workload files `deployManifests` applies: every non-empty chart but the add-ons, which the control plane applies. */
export function workloadFiles(env: Environment): string[] {
  return charts(env)
    .filter((c) => (c.toJson() as unknown[]).length > 0)
    .map((c) => `${c.node.id}.yaml`)
    .filter((name) => name !== CLUSTER_ADDONS_FILE)
    .sort()
    .map((name) => `dist/${env.name}/${name}`);
}
