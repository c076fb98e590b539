/**
 * "ours": N HaWebApps (Deployment, Service, PDB, HPA) from this repository's constructs, placed by
 * a MixedArchCluster with two Linux pools, rendered by the project's writer (synth/yaml.ts over
 * chart.toJson()). Imports the real modules, so it measures whatever they become.
 */
import { App, Chart } from 'cdk8s';
import { HaWebApp } from '../constructs/ha-web-app';
import { MixedArchCluster } from '../constructs/mixed-arch-cluster';
import { toYamlDocuments } from '../synth/yaml';
import { appName, AUTOSCALING, CONTAINER, LINUX_POOLS, NAMESPACE, SERVICE } from './spec';

export function oursYaml(n: number): string {
  const app = new App({ outdir: 'unused' });
  // Its own chart, as in test/util/synth.ts: its RuntimeClasses are not part of the measured output.
  const cluster = new MixedArchCluster(new Chart(app, 'cluster'), 'cluster', { envName: 'bench', nodePools: LINUX_POOLS });
  const chart = new Chart(app, 'apps');
  for (let i = 0; i < n; i++) {
    const name = appName(i);
    new HaWebApp(chart, name, {
      namespace: NAMESPACE,
      name,
      container: CONTAINER,
      placement: cluster.place(`apps/${name}`, { os: 'linux' }),
      service: SERVICE,
      autoscaling: AUTOSCALING,
    });
  }
  return toYamlDocuments(chart.toJson() as Record<string, unknown>[]);
}
