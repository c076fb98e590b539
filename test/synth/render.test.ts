/**
 * synth/render.ts in-process: which files an environment renders to (one per chart with objects,
 * sorted by name), which environments are skipped (any refusal), and the error renderEnvironment
 * throws. Every render happens inside a test, so its coverage belongs to that test.
 */
import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { FindingsError } from '../../contracts/finding';
import { Environment, Microk8sCluster } from '../../environments';
import { edge } from '../../environments/edge';
import { local } from '../../environments/local';
import type * as Render from '../../synth/render';
import { renderEnvironment, renderEnvironments } from '../../synth/render';

const microk8s = (edge.provider as { microk8s: Microk8sCluster }).microk8s;
/** edge with 2 boards left: the edge model refuses it (2 control-plane nodes are not HA, pools say 4 boards). */
const twoBoardEdge: Environment = { ...edge, provider: { kind: 'microk8s', microk8s: { ...microk8s, nodes: microk8s.nodes.slice(0, 2) } } };

describe('renderEnvironment on a real environment', () => {
  test('one file per chart, sorted by file name (00-namespaces first although its chart is built last)', () => {
    const r = renderEnvironment(local);
    expect(r.env).toBe(local);
    const names = r.files.map((f) => f.name);
    // local enables (at least) nginx, batch, todo, minio, emojivoto and hello (environments/local.ts).
    expect(names).toEqual(expect.arrayContaining(['00-namespaces.yaml', '01-cluster.yaml', 'batch.yaml', 'emojivoto.yaml', 'hello.yaml', 'minio.yaml', 'nginx.yaml', 'todo.yaml']));
    expect(names[0]).toBe('00-namespaces.yaml');
    for (let i = 1; i < names.length; i++) expect([names[i - 1], names[i]]).toEqual([names[i - 1], names[i]].sort());
    const hello = r.files.find((f) => f.name === 'hello.yaml')!;
    expect(hello.content.startsWith('---\n')).toBe(true);
    expect(hello.content.split('---\n').length - 1).toBe(hello.objects.length);
  });

  test('a refused environment throws every refusal, under a summary naming the environment and the count', () => {
    let error: unknown;
    try {
      renderEnvironment(twoBoardEdge);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(FindingsError);
    const message = (error as Error).message;
    expect(message.split('\n')[0]).toBe('environment "edge": 2 refusal(s):');
    expect(message).toContain('environments/edge.ts: provider.microk8s.ha: is true, but only 2 control-plane node(s) are listed');
    expect(message).toContain('environments/edge.ts: nodePools[0].desired: is 4, but provider.microk8s.nodes lists 2 board(s)');
    expect((error as FindingsError).findings.map((f) => f.field).sort()).toEqual(['nodePools[0].desired', 'provider.microk8s.ha']);
  });
});

test('renderEnvironments skips a refused environment and still renders the others, returning all refusals', () => {
  const { rendered, refusals } = renderEnvironments([twoBoardEdge, local]);
  expect(rendered.map((r) => r.env.name)).toEqual(['local']);
  expect(rendered[0].files.map((f) => f.name)).toContain('hello.yaml');
  expect(refusals.map((f) => [f.rule, f.file, f.field])).toEqual(
    expect.arrayContaining([
      ['edge-model', 'environments/edge.ts', 'provider.microk8s.ha'],
      ['edge-model', 'environments/edge.ts', 'nodePools[0].desired'],
    ]),
  );
  expect(refusals).toHaveLength(2);
});

// ---- A hand-built composition (charts/ replaced), for what no real environment has: a chart without objects.

type Compose = (app: App, env: Environment) => { leftOut: { workload: string; reason: string }[]; refusals: unknown[] };

/** synth/render.ts loaded with charts/ composeEnvironment replaced by `compose`. */
function renderWith(compose: Compose): typeof Render {
  let render: typeof Render | undefined;
  jest.isolateModules(() => {
    jest.doMock('../../charts', () => ({ composeEnvironment: compose }));
    render = require('../../synth/render');
  });
  jest.dontMock('../../charts');
  return render!;
}

const configMap = (scope: Construct, name: string) => new ApiObject(scope, name, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });

test('charts without objects make no file; the others are sorted by name whatever order they were built in', () => {
  const { renderEnvironments } = renderWith((app) => {
    configMap(new Chart(app, 'zeta'), 'z');
    new Chart(app, 'empty');
    const first = new Chart(app, '00-first');
    configMap(first, 'a');
    configMap(first, 'b');
    configMap(new Chart(app, 'mid'), 'm');
    new Chart(app, 'also-empty');
    configMap(new Chart(app, 'beta'), 'x');
    return { leftOut: [{ workload: 'hello', reason: 'not here' }], refusals: [] };
  });
  const env = { name: 'hand' } as Environment;
  const { rendered, refusals } = renderEnvironments([env]);
  expect(refusals).toEqual([]);
  expect(rendered).toHaveLength(1);
  expect(rendered[0].env).toBe(env);
  expect(rendered[0].leftOut).toEqual([{ workload: 'hello', reason: 'not here' }]);
  expect(rendered[0].files).toEqual([
    {
      name: '00-first.yaml',
      objects: [
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } },
      ],
      content: '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n',
    },
    { name: 'beta.yaml', objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }], content: '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n' },
    { name: 'mid.yaml', objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'm' } }], content: '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m\n' },
    { name: 'zeta.yaml', objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'z' } }], content: '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: z\n' },
  ]);
});

test('only charts make files: another construct of the app is ignored, also when objects declare dependencies', () => {
  const { renderEnvironments } = renderWith((app) => {
    new Construct(app, 'not-a-chart');
    const chart = new Chart(app, 'ordered');
    const first = configMap(chart, 'first');
    const second = configMap(chart, 'second');
    first.addDependency(second); // cdk8s writes a dependency before its dependant
    return { leftOut: [], refusals: [] };
  });
  const { rendered } = renderEnvironments([{ name: 'hand' } as Environment]);
  expect(rendered[0].files.map((f) => [f.name, f.objects.map((o) => (o.metadata as { name: string }).name)])).toEqual([['ordered.yaml', ['second', 'first']]]);
});

test('an environment with a refusal renders no files, even for the charts it did build', () => {
  const refusal = { rule: 'r', severity: 'error', file: 'environments/x.ts', problem: 'p', fix: 'f' };
  const { renderEnvironments } = renderWith((app, env) => {
    configMap(new Chart(app, 'built'), 'ok');
    return { leftOut: [], refusals: env.name === 'refused' ? [refusal] : [] };
  });
  const { rendered, refusals } = renderEnvironments([{ name: 'refused' } as Environment, { name: 'fine' } as Environment]);
  expect(rendered.map((r) => [r.env.name, r.files.map((f) => f.name)])).toEqual([['fine', ['built.yaml']]]);
  expect(refusals).toEqual([refusal]);
});
