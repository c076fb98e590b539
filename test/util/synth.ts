import { App, Chart } from 'cdk8s';
import { MixedArchCluster } from '../../constructs/mixed-arch-cluster';
import type { ContainerProps } from '../../constructs/pod-template';
import { NodePoolShape } from '../../constructs/platform';

/** Any manifest object, for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Manifest = any;

/** Builds constructs into a fresh chart and returns the synthesized objects. */
export function synthObjects(build: (chart: Chart) => void): Manifest[] {
  const app = new App({ outdir: 'unused' });
  const chart = new Chart(app, 'test');
  build(chart);
  return chart.toJson();
}

export function find(objects: Manifest[], kind: string, name?: string): Manifest {
  const found = objects.find((o) => o.kind === kind && (name === undefined || o.metadata?.name === name));
  if (!found) throw new Error(`no ${kind}${name ? `/${name}` : ''} among ${objects.map((o) => `${o.kind}/${o.metadata?.name}`).join(', ')}`);
  return found;
}

export const linuxPools: NodePoolShape[] = [
  { name: 'linux-amd64', os: 'linux', arch: 'amd64', min: 3, taints: [] },
  { name: 'linux-arm64', os: 'linux', arch: 'arm64', min: 3, taints: [] },
];

export const windowsPool: NodePoolShape = {
  name: 'windows-2019',
  os: 'windows',
  arch: 'amd64',
  windowsBuild: '10.0.17763',
  min: 2,
  taints: [{ key: 'os', value: 'windows', effect: 'NoSchedule' }],
};

/** A MixedArchCluster for tests, in its own chart of `chart`'s app. */
export function testCluster(chart: Chart, pools: readonly NodePoolShape[] = [...linuxPools, windowsPool]): MixedArchCluster {
  return new MixedArchCluster(new Chart(chart.node.root as App, 'cluster-under-test'), 'cluster', { envName: 'test', nodePools: pools });
}

/** An unprivileged nginx on 8080 with distinct readiness and liveness endpoints: a valid serving container. */
export const webContainer = {
  name: 'web',
  image: 'nginxinc/nginx-unprivileged:1.27.3',
  ports: [{ name: 'http', containerPort: 8080 }],
  resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
  readiness: { http: '/ready', port: 'http' },
  liveness: { http: '/healthz', port: 'http' },
} as const satisfies ContainerProps;
