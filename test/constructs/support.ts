import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ConstructError } from '../../constructs/errors';
import type { Placement } from '../../constructs/platform';
import type { ContainerProps } from '../../constructs/pod-template';

/** A bare construct at path `test/web` inside a fresh App and Chart (namespace-less). */
export function bareScope(id = 'web'): { app: App; chart: Chart; scope: Construct } {
  const app = new App({ outdir: 'unused' });
  const chart = new Chart(app, 'test');
  return { app, chart, scope: new Construct(chart, id) };
}

/** The exact message of the ConstructError `run` throws (fails when nothing, or something else, is thrown). */
export function refusal(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ConstructError);
    return (err as Error).message;
  }
  throw new Error('expected a ConstructError, nothing was thrown');
}

/** The one object of `kind` named `name` among synthesized objects (fails unless there is exactly one). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function findOne(objects: any[], kind: string, name: string): any {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name === name);
  expect(found).toHaveLength(1);
  return found[0];
}

// ---------------------------------------------------------------------------------------------------
// Shared fixtures: the containers and placements several construct tests build on (hand-written).

/** Requests and limits every fixture container uses. */
export const RESOURCES = { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } };

/** A Linux placement of `nodes` eligible nodes in `pools`. */
export function linuxPlacement(nodes: number, pools: string[]): Placement {
  return { platform: { os: 'linux' }, nodeSelector: { 'kubernetes.io/os': 'linux' }, tolerations: [], eligibleNodes: nodes, pools };
}

/** An unprivileged nginx container serving `http` on 8080 with HTTP probes. */
export const WEB_CONTAINER: ContainerProps = {
  name: 'web',
  image: 'nginxinc/nginx-unprivileged:1.27.3',
  ports: [{ name: 'http', containerPort: 8080 }],
  resources: RESOURCES,
  readiness: { http: '/ready', port: 'http' },
  liveness: { http: '/healthz', port: 'http' },
};
