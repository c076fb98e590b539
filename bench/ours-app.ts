/**
 * "ours": N HaWebApps (Deployment, Service, PDB, HPA) from this repository's constructs, placed by
 * a MixedArchCluster with two Linux pools, rendered by the project's writer (synth/yaml.ts over
 * synth/objects.ts, the same path as npm run synth). Imports the real modules, so it measures
 * whatever they become.
 *
 * Streamed one app at a time: each app is built, rendered, handed to `write` and removed from the
 * tree, so memory stays flat in N (helm, the yardstick, holds every document in memory). The
 * output equals rendering one chart holding all N apps (test/bench.test.ts checks it).
 */
import { App, Chart } from 'cdk8s';
import { HaWebApp } from '../constructs/ha-web-app';
import { MixedArchCluster } from '../constructs/mixed-arch-cluster';
import { chartObjects } from '../synth/objects';
import { toYamlDocuments } from '../synth/yaml';
import { appName, AUTOSCALING, CONTAINER, LINUX_POOLS, NAMESPACE, SERVICE } from './spec';

function setup(): { chart: Chart; cluster: MixedArchCluster } {
  const app = new App({ outdir: 'unused' });
  // Its own chart, as in test/util/synth.ts: its RuntimeClasses are not part of the measured output.
  const cluster = new MixedArchCluster(new Chart(app, 'cluster'), 'cluster', { envName: 'bench', nodePools: LINUX_POOLS });
  return { chart: new Chart(app, 'apps'), cluster };
}

function addApp(chart: Chart, cluster: MixedArchCluster, i: number): string {
  const name = appName(i);
  new HaWebApp(chart, name, {
    namespace: NAMESPACE,
    name,
    container: CONTAINER,
    placement: cluster.place(`apps/${name}`, { os: 'linux' }),
    service: SERVICE,
    autoscaling: AUTOSCALING,
  });
  return name;
}

/** Renders N apps, one app's documents per `write` call. */
export function writeOurs(n: number, write: (yaml: string) => void): void {
  const { chart, cluster } = setup();
  for (let i = 0; i < n; i++) {
    const name = addApp(chart, cluster, i);
    write(toYamlDocuments(chartObjects(chart)));
    chart.node.tryRemoveChild(name);
  }
}

/** All N apps as one string (tests). */
export function oursYaml(n: number): string {
  let out = '';
  writeOurs(n, (yaml) => (out += yaml));
  return out;
}

/** All N apps in one chart, rendered at once: what writeOurs must equal (tests). */
export function oursYamlWhole(n: number): string {
  const { chart, cluster } = setup();
  for (let i = 0; i < n; i++) addApp(chart, cluster, i);
  return toYamlDocuments(chart.toJson() as Record<string, unknown>[]);
}
