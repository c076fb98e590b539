/** synth/objects.ts must return exactly what cdk8s' chart.toJson() returns, or defer to it. */
import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { composeEnvironment } from '../charts';
import { environments } from '../environments';
import { chartObjects } from '../synth/objects';

function objectsOf(app: App) {
  return app.node.children.filter((c): c is Chart => c instanceof Chart).map((chart) => [chart.node.id, chartObjects(chart), chart.toJson()] as const);
}

test.each(environments.map((e) => [e.name, e] as const))('every chart of %s: the same objects in the same order as chart.toJson()', (_name, env) => {
  const app = new App({ outdir: 'unused' });
  composeEnvironment(app, env);
  const charts = objectsOf(app);
  expect(charts.length).toBeGreaterThan(2);
  for (const [id, fast, cdk8s] of charts) expect([id, fast]).toEqual([id, cdk8s]);
});

function twoObjects(app: App) {
  const chart = new Chart(app, 'c', { namespace: 'ns', labels: { team: 'x' } });
  const first = new ApiObject(chart, 'first', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'first' } });
  const second = new ApiObject(new Construct(chart, 'group'), 'second', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'second' } });
  return { chart, first, second };
}

test('plain objects come in tree order, with the chart namespace and labels', () => {
  const { chart } = twoObjects(new App({ outdir: 'unused' }));
  expect(chartObjects(chart)).toEqual(chart.toJson());
  expect(chartObjects(chart).map((o) => (o.metadata as { name: string }).name)).toEqual(['first', 'second']);
});

test('a declared dependency reorders the objects as cdk8s does', () => {
  const { chart, first, second } = twoObjects(new App({ outdir: 'unused' }));
  first.addDependency(second);
  const fast = chartObjects(chart);
  expect(fast.map((o) => (o.metadata as { name: string }).name)).toEqual(['second', 'first']);
  expect(fast).toEqual(chart.toJson());
});

test('objects of a nested chart stay out of the parent, as in cdk8s', () => {
  const app = new App({ outdir: 'unused' });
  const { chart } = twoObjects(app);
  const inner = new Chart(chart, 'inner');
  new ApiObject(inner, 'third', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'third' } });
  expect(chartObjects(chart)).toEqual(chart.toJson());
  expect(chartObjects(inner)).toEqual(inner.toJson());
  expect(chartObjects(chart)).toHaveLength(2);
});

test("a failing validation throws cdk8s' own error", () => {
  const app = new App({ outdir: 'unused' });
  const { chart, first } = twoObjects(app);
  first.node.addValidation({ validate: () => ['not like this'] });
  expect(() => chart.toJson()).toThrow('not like this');
  expect(() => chartObjects(chart)).toThrow('not like this');
});
