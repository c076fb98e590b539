import { App } from 'cdk8s';
import { AppNamespaceProps } from '../constructs/app-namespace';
import { Environment, isOmitted, Toggle } from '../environments';
import { ApodChart, apodNamespace } from './apod';
import { BatchChart, batchNamespace } from './batch';
import { ClusterChart } from './cluster';
import { DemoChart, demoNamespace } from './demo';
import { NamespacesChart } from './namespaces';
import { NginxChart, nginxNamespace } from './nginx';
import { NodeExporterChart, monitoringNamespace } from './node-exporter';
import { NumbersChart, numbersNamespace } from './numbers';
import { PetshopChart, petshopNamespace } from './petshop';
import { VersionsChart, versionsNamespace } from './versions';

/** A workload left out of an environment, and the reason the environment gives. */
export interface LeftOut {
  readonly workload: string;
  readonly reason: string;
}

/**
 * Composes every chart of one environment into `app`: the cluster chart, each enabled workload,
 * and the namespaces they use. Returns the workloads the environment leaves out.
 */
export function composeEnvironment(app: App, env: Environment): LeftOut[] {
  const { cluster } = new ClusterChart(app, env);
  const namespaces: AppNamespaceProps[] = [];
  const leftOut: LeftOut[] = [];
  function enable<S>(workload: string, toggle: Toggle<S>, namespace: AppNamespaceProps, build: (settings: S) => void) {
    if (isOmitted(toggle)) {
      leftOut.push({ workload, reason: toggle.omitted });
      return;
    }
    namespaces.push(namespace);
    build(toggle);
  }
  const w = env.workloads;
  enable('nginx', w.nginx, nginxNamespace, (settings) => new NginxChart(app, { env, cluster, settings }));
  enable('apod', w.apod, apodNamespace, (settings) => new ApodChart(app, { env, cluster, settings }));
  enable('demo', w.demo, demoNamespace, (settings) => new DemoChart(app, { env, cluster, settings }));
  enable('numbers', w.numbers, numbersNamespace, (settings) => new NumbersChart(app, { env, cluster, settings }));
  enable('petshop', w.petshop, petshopNamespace, (settings) => new PetshopChart(app, { env, cluster, settings }));
  enable('versions', w.versions, versionsNamespace, (settings) => new VersionsChart(app, { env, cluster, settings }));
  enable('batch', w.batch, batchNamespace, (settings) => new BatchChart(app, { env, cluster, settings }));
  enable('nodeExporter', w.nodeExporter, monitoringNamespace, (settings) => new NodeExporterChart(app, { env, cluster, settings }));
  new NamespacesChart(app, namespaces);
  return leftOut;
}
