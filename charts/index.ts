import { App, Chart } from 'cdk8s';
import { Finding } from '../contracts/finding';
import { AppNamespaceProps } from '../constructs/app-namespace';
import { ConstructError } from '../constructs/errors';
import { EdgeModelError } from '../edge/validate-edge';
import { Environment, isOmitted, Omitted, sourceOf, Workloads } from '../environments';
import { ApodChart, apodNamespace } from './apod';
import { BatchChart, batchNamespace } from './batch';
import { ClusterChart } from './cluster';
import { WorkloadContext } from './context';
import { DemoChart, demoNamespace } from './demo';
import { NamespacesChart } from './namespaces';
import { NginxChart, nginxNamespace } from './nginx';
import { NodeExporterChart, monitoringNamespace } from './node-exporter';
import { NumbersChart, numbersNamespace } from './numbers';
import { PetshopChart, petshopNamespace } from './petshop';
import { BuiltChart, refusalFinding, SettingsFields } from './refusals';
import { VersionsChart, versionsNamespace } from './versions';
import { EmojivotoChart, emojivotoNamespace } from './emojivoto';
import { HelloChart, helloNamespace } from './hello';
import { MinioChart, minioNamespace } from './minio';
import { PerconaChart, perconaNamespace } from './percona';
import { TodoChart, todoNamespace } from './todo';

/** A workload left out of an environment, and the reason the environment gives. */
export interface LeftOut {
  readonly workload: string;
  readonly reason: string;
}

/** How one workload of the model is built. */
export interface WorkloadEntry<S> {
  /** The namespace it runs in; every one lands in `00-namespaces.yaml`. */
  readonly namespace: AppNamespaceProps | ((settings: S) => AppNamespaceProps);
  /** Adds its chart (`dist/<env>/<chart id>.yaml`) to the environment's app. */
  readonly chart: (app: App, context: WorkloadContext<S>) => Chart;
  /** Which setting each refused construct prop carries (see SettingsFields). */
  readonly fields: SettingsFields<S>;
}

/** One entry per key of the model's workloads `W`, each built from that workload's own settings. */
export type WorkloadRegistry<W> = { readonly [K in keyof W]-?: WorkloadEntry<Exclude<W[K], Omitted>> };

/**
 * Every workload of `Workloads` and how it is built, in synthesis order. Keyed by the settings type:
 * a workload added to the model but not here (or here but not in the model) fails to compile.
 */
export const WORKLOADS: WorkloadRegistry<Workloads> = {
  nginx: {
    namespace: nginxNamespace,
    chart: (app, context) => new NginxChart(app, context),
    fields: { replicas: 'replicas', image: 'image', hostnameSpread: 'antiAffinity', 'strategy.maxSurge': 'maxSurge', strategy: 'maxUnavailable' },
  },
  apod: {
    namespace: apodNamespace,
    chart: (app, context) => new ApodChart(app, context),
    fields: { replicas: 'replicas', 'apod-web/service.ports': 'webNodePort' },
  },
  demo: {
    namespace: demoNamespace,
    chart: (app, context) => new DemoChart(app, context),
    fields: { replicas: 'replicas', 'service.type': 'serviceType', 'service.ports': 'nodePort' },
  },
  numbers: {
    namespace: numbersNamespace,
    chart: (app, context) => new NumbersChart(app, context),
    fields: { 'numbers-web/service.ports': 'webNodePort' },
  },
  petshop: {
    namespace: petshopNamespace,
    chart: (app, context) => new PetshopChart(app, context),
    fields: { 'petshop-web/service.ports': 'webNodePort', 'petshop-webservice/service.ports': 'webserviceNodePort' },
  },
  versions: {
    namespace: versionsNamespace,
    chart: (app, context) => new VersionsChart(app, context),
    fields: {
      active: 'active',
      replicas: 'replicas',
      preview: 'preview',
      scaleIdleToZero: 'scaleIdleToZero',
      'slots.blue': 'blue',
      'slots.green': 'green',
      'ver/blue/image': 'blue',
      'ver/green/image': 'green',
    },
  },
  batch: {
    namespace: batchNamespace,
    chart: (app, context) => new BatchChart(app, context),
    // luck's deadline is derived from its backoffLimit.
    fields: { fibCount: 'fibCount', 'luck/backoffLimit': 'luckBackoffLimit', 'luck/activeDeadlineSeconds': 'luckBackoffLimit' },
  },
  nodeExporter: {
    namespace: monitoringNamespace,
    chart: (app, context) => new NodeExporterChart(app, context),
    fields: { nodeSelector: 'nodeSelector' },
  },
  todo: {
    namespace: todoNamespace,
    chart: (app, context) => new TodoChart(app, context),
    fields: {
      'service.type': 'serviceType',
      'node/service.ports': 'nodePort',
      autoscaling: 'autoscaling',
      nodeAffinity: 'nodeAffinity',
      'scheduling.affinity': 'nodeAffinity',
      nodeSelector: 'nodeSelector',
      'scheduling.nodeSelector': 'nodeSelector',
      'mongodb/claims': 'databaseSize',
    },
  },
  minio: {
    namespace: minioNamespace,
    chart: (app, context) => new MinioChart(app, context),
    fields: { 'service.type': 'serviceType', 'minio/services': 'nodePort', mesh: 'mesh', 'minio/istio': 'istioHosts', replicas: 'replicas', 'minio/claims': 'volumeSize' },
  },
  emojivoto: {
    namespace: emojivotoNamespace,
    chart: (app, context) => new EmojivotoChart(app, context),
    fields: { mesh: 'mesh', replicas: 'replicas', ingress: 'ingress' },
  },
  percona: {
    namespace: perconaNamespace,
    chart: (app, context) => new PerconaChart(app, context),
    fields: { active: 'active', 'slots.blue': 'blue', 'slots.green': 'green', 'percona/blue/image': 'blue', 'percona/green/image': 'green' },
  },
  hello: {
    namespace: helloNamespace,
    chart: (app, context) => new HelloChart(app, context),
    fields: { 'hello/service.ports': 'nodePort', 'hello/image': 'tag' },
  },
};

/** The environment fields MixedArchCluster's props come from (charts/cluster.ts). */
const CLUSTER_FIELDS: Readonly<Record<string, string>> = {
  envName: 'name',
  nodePools: 'nodePools',
  podCidr: 'cluster.podCidr',
  serviceCidr: 'cluster.serviceCidr',
  kubernetesVersion: 'cluster.kubernetesVersion',
};

/** What composing an environment gave: the workloads it leaves out, and every refusal on the way. */
export interface Composition {
  readonly leftOut: LeftOut[];
  /** Construct refusals, each reported at the environment field that caused it. */
  readonly refusals: Finding[];
}

/**
 * Composes every chart of one environment into `app`: the cluster chart, each enabled workload,
 * and the namespaces they use. A refused chart does not stop the others, so one run reports every
 * refusal of the environment.
 */
export function composeEnvironment(app: App, env: Environment): Composition {
  const { file } = sourceOf(env);
  const leftOut: LeftOut[] = [];
  const refusals: Finding[] = [];
  function collect<T>(build: () => T, translate: (err: ConstructError) => Finding): T | undefined {
    try {
      return build();
    } catch (err) {
      if (err instanceof ConstructError) refusals.push(translate(err));
      else if (err instanceof EdgeModelError) refusals.push(...err.problems);
      else throw err;
      return undefined;
    }
  }

  const cluster = collect(() => new ClusterChart(app, env).cluster, (err) => refusalFinding(err, { file, base: '', fields: CLUSTER_FIELDS, keepSubField: true }));
  // Without a cluster there is nowhere to place a workload: its refusals say what to fix first.
  if (!cluster) return { leftOut, refusals };

  const namespaces: AppNamespaceProps[] = [];
  const built: BuiltChart[] = [];
  for (const key of Object.keys(WORKLOADS) as (keyof Workloads)[]) {
    const toggle = env.workloads[key];
    if (isOmitted(toggle)) {
      leftOut.push({ workload: key, reason: toggle.omitted });
      continue;
    }
    // One entry and its own settings; TypeScript cannot correlate the two through the union of keys.
    const entry = WORKLOADS[key] as WorkloadEntry<typeof toggle>;
    namespaces.push(typeof entry.namespace === 'function' ? entry.namespace(toggle) : entry.namespace);
    const base = `workloads.${key}`;
    const chart = collect(
      () => entry.chart(app, { env, cluster, settings: toggle }),
      (err) => refusalFinding(err, { file, base, fields: entry.fields, charts: built }),
    );
    if (chart) built.push({ id: chart.node.id, base, fields: entry.fields });
  }
  new NamespacesChart(app, namespaces);
  return { leftOut, refusals };
}
