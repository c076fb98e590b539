/**
 * constructs/manifest.ts: a plain-data ApiObject rendering as cdk8s does — undefined and null dropped,
 * keys sorted, empty metadata maps dropped, but empty objects and lists in the spec KEPT (an empty
 * podSelector selects every pod; an empty egress list allows nothing).
 */
import { App, Chart } from 'cdk8s';
import { Manifest } from '../../constructs/manifest';

function chartOf(props: { namespace?: string; labels?: Record<string, string> } = {}): Chart {
  return new Chart(new App({ outdir: 'unused' }), 'test', props);
}

test('undefined and null are dropped everywhere; false, 0 and empty strings kept', () => {
  const chart = chartOf();
  const m = new Manifest(chart, 'cm', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'conf', annotations: { a: undefined as unknown as string } },
    data: { zero: '', keep: 'x', gone: undefined as unknown as string, nul: null as unknown as string },
    immutable: false,
  });
  expect(m.toJson()).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'conf' }, data: { keep: 'x', zero: '' }, immutable: false });
  expect(m.toJson().metadata).not.toHaveProperty('annotations');
  expect(m.toJson().data).not.toHaveProperty('gone');
  expect(m.toJson().data).not.toHaveProperty('nul');
});

test('the spec keeps empty objects, empty lists and numbers; metadata drops empty maps and lists', () => {
  const chart = chartOf();
  const m = new Manifest(chart, 'np', {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'deny', labels: {}, annotations: {}, finalizers: [] },
    spec: { podSelector: {}, policyTypes: ['Egress'], egress: [] },
  });
  expect(m.toJson()).toEqual({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'deny' },
    spec: { egress: [], podSelector: {}, policyTypes: ['Egress'] },
  });
  const meta = m.toJson().metadata;
  expect(Object.keys(meta)).toEqual(['name']);
});

test('keys are sorted at every depth, arrays keep their order', () => {
  const chart = chartOf();
  const m = new Manifest(chart, 'svc', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', labels: { z: '1', b: '2', a: '3', y: '4' } },
    spec: { type: 'ClusterIP', selector: { c: '1', a: '2', b: '3' }, ports: [{ port: 80, name: 'z', targetPort: 'x', protocol: 'TCP' }, { port: 1, name: 'a' }] },
  });
  const json = m.toJson();
  expect(Object.keys(json)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
  expect(Object.keys(json.metadata)).toEqual(['labels', 'name']);
  expect(Object.keys(json.metadata.labels)).toEqual(['a', 'b', 'y', 'z']);
  expect(Object.keys(json.spec)).toEqual(['ports', 'selector', 'type']);
  expect(Object.keys(json.spec.selector)).toEqual(['a', 'b', 'c']);
  expect(json.spec.ports.map((p: { name: string }) => p.name)).toEqual(['z', 'a']);
  expect(Object.keys(json.spec.ports[0])).toEqual(['name', 'port', 'protocol', 'targetPort']);
});

test('sorting: already sorted, reversed, and one key moving to the front', () => {
  const chart = chartOf();
  const data = (keys: string[]) => Object.fromEntries(keys.map((k) => [k, k]));
  const keysOf = (keys: string[], id: string) =>
    Object.keys(new Manifest(chart, id, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: id }, data: data(keys) }).toJson().data);
  expect(keysOf(['a', 'b', 'c', 'd'], 's1')).toEqual(['a', 'b', 'c', 'd']);
  expect(keysOf(['d', 'c', 'b', 'a'], 's2')).toEqual(['a', 'b', 'c', 'd']);
  expect(keysOf(['b', 'c', 'd', 'a'], 's3')).toEqual(['a', 'b', 'c', 'd']);
  expect(keysOf(['a', 'c', 'b', 'e', 'd'], 's4')).toEqual(['a', 'b', 'c', 'd', 'e']);
  expect(keysOf(['B', 'a', 'A', 'b'], 's5')).toEqual(['A', 'B', 'a', 'b']);
});

test("the chart's namespace applies unless the object names its own; chart labels merge under the object's", () => {
  const chart = chartOf({ namespace: 'shop', labels: { team: 'a', app: 'chart' } });
  const inherit = new Manifest(chart, 'a', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', labels: { app: 'web' } } });
  const own = new Manifest(chart, 'b', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: 'other' } });
  expect(inherit.toJson().metadata).toEqual({ name: 'a', namespace: 'shop', labels: { app: 'web', team: 'a' } });
  expect(own.toJson().metadata).toEqual({ name: 'b', namespace: 'other', labels: { app: 'chart', team: 'a' } });
});

test('an object without metadata gets the generated name', () => {
  const chart = chartOf();
  const m = new Manifest(chart, 'thing', { apiVersion: 'v1', kind: 'ConfigMap', data: { a: '1' } });
  expect(m.toJson()).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: m.name }, data: { a: '1' } });
  expect(m.name).toMatch(/^test-thing-c8[0-9a-f]+$/);
});

test('objects inside lists: keys sorted, empty objects and lists kept', () => {
  const chart = chartOf();
  const m = new Manifest(chart, 'pod', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd' },
    spec: { selector: {}, template: { spec: { containers: [{ name: 'c', securityContext: {}, env: [] }] } } },
  });
  expect(m.toJson().spec).toEqual({ selector: {}, template: { spec: { containers: [{ env: [], name: 'c', securityContext: {} }] } } });
});

test('JSON patches are refused', () => {
  const m = new Manifest(chartOf(), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
  expect(() => m.addJsonPatch()).toThrow(new Error("test/cm: JSON patches are not supported on Manifest objects; set the value in the construct's props"));
});

test('the chart renders the same objects', () => {
  const chart = chartOf({ namespace: 'ns' });
  new Manifest(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: {} }, data: { b: '2', a: '1' } });
  expect(chart.toJson()).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'ns' }, data: { a: '1', b: '2' } }]);
});
