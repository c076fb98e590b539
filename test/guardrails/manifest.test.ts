/**
 * Reading documents into objects (List expansion, identity, default namespace, refs, lines) and the
 * defensive accessors, against hand-written expectations.
 */
import { indexByName, isKind, readManifests } from '../../guardrails/manifest';
import { asArray, asObject, asString, at, objects, stringMap } from '../../guardrails/object';

describe('object accessors', () => {
  it('asObject accepts plain objects only', () => {
    const o = { a: 1 };
    expect(asObject(o)).toBe(o);
    expect(asObject({})).toEqual({});
    expect(asObject(null)).toBeUndefined();
    expect(asObject(undefined)).toBeUndefined();
    expect(asObject([])).toBeUndefined();
    expect(asObject('x')).toBeUndefined();
    expect(asObject(1)).toBeUndefined();
  });
  it('asArray, objects, asString', () => {
    const a = [1];
    expect(asArray(a)).toBe(a);
    expect(asArray({ 0: 1 })).toEqual([]);
    expect(asArray(undefined)).toEqual([]);
    expect(objects([{ a: 1 }, null, 2, 'x', [], { b: 2 }])).toEqual([{ a: 1 }, { b: 2 }]);
    expect(objects({ a: {} })).toEqual([]);
    expect(asString('')).toBe('');
    expect(asString('x')).toBe('x');
    expect(asString(1)).toBeUndefined();
  });
  it('at follows a path and stops at anything not an object', () => {
    const o = { a: { b: { c: 3 }, l: [{ x: 1 }] } };
    expect(at(o)).toBe(o);
    expect(at(o, 'a', 'b', 'c')).toBe(3);
    expect(at(o, 'a', 'x', 'c')).toBeUndefined();
    expect(at(o, 'a', 'b', 'c', 'd')).toBeUndefined();
    expect(at(o, 'a', 'l', '0')).toBeUndefined();
    expect(at(null, 'a')).toBeUndefined();
  });
  it('stringMap keeps string values only', () => {
    expect(stringMap({ a: 'x', b: 1, c: '', d: null })).toEqual({ a: 'x', c: '' });
    expect(stringMap(['x'])).toEqual({});
    expect(stringMap(undefined)).toEqual({});
  });
});

describe('readManifests', () => {
  it('reads identity fields, the default namespace and the ref', () => {
    const { manifests, nonObjects } = readManifests([
      { file: 'a.yaml', object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' } }, line: 4 },
      { file: 'b.yaml', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } } },
      { file: 'c.yaml', object: { apiVersion: 7, metadata: { generateName: 'job-', namespace: 3 } } },
      { file: 'd.yaml', object: { kind: 'ConfigMap', metadata: { name: 5 } } },
    ]);
    expect(nonObjects).toEqual([]);
    expect(manifests.map(({ index, file, apiVersion, group, kind, name, namespace, ref }) => ({ index, file, apiVersion, group, kind, name, namespace, ref }))).toEqual([
      { index: 0, file: 'a.yaml', apiVersion: 'apps/v1', group: 'apps', kind: 'Deployment', name: 'web', namespace: 'shop', ref: 'Deployment/shop/web' },
      { index: 1, file: 'b.yaml', apiVersion: 'v1', group: '', kind: 'Namespace', name: 'shop', namespace: 'default', ref: 'Namespace/shop' },
      { index: 2, file: 'c.yaml', apiVersion: '', group: '', kind: '', name: 'job-', namespace: 'default', ref: '(no kind)/job-' },
      { index: 3, file: 'd.yaml', apiVersion: '', group: '', kind: 'ConfigMap', name: '(unnamed)', namespace: 'default', ref: 'ConfigMap/(unnamed)' },
    ]);
    expect(manifests[0].lineOf()).toBe(4);
    expect(manifests[0].lineOf('spec')).toBe(4);
    expect(manifests[1].lineOf()).toBeUndefined();
    expect(readManifests([{ file: 'e', object: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'n', namespace: '' } } }]).manifests[0]).toMatchObject({
      group: 'networking.k8s.io',
      namespace: '',
      ref: 'Ingress//n',
    });
  });

  it('expands List and <Kind>List items, skips empty documents, reports non-objects', () => {
    const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });
    const { manifests, nonObjects } = readManifests([
      { file: 'a', object: null },
      { file: 'b', object: { apiVersion: 'v1', kind: 'List', items: [cm('one'), null, 'text', { kind: 'ConfigMapList', items: [cm('two')] }] }, line: 2 },
      { file: 'c', object: [1, 2], line: 9 },
      { file: 'd', object: undefined },
      { file: 'e', object: { apiVersion: 'v1', kind: 'PodList', items: {} } },
      { file: 'f', object: { apiVersion: 'v1', kind: 'Listing', items: [cm('x')] } },
      { file: 'g', object: 42 },
    ]);
    expect(manifests.map((m) => `${m.index} ${m.file} ${m.ref}`)).toEqual(['0 b ConfigMap/one', '2 b ConfigMap/two', '4 e PodList/(unnamed)', '5 f Listing/(unnamed)']);
    expect(nonObjects).toEqual([
      { index: 1, file: 'b', line: 2, value: 'text' },
      { index: 3, file: 'c', line: 9, value: [1, 2] },
      { index: 6, file: 'g', line: undefined, value: 42 },
    ]);
  });

  it('finds lines of items and fields in the source text', () => {
    const text = ['apiVersion: v1', 'kind: List', 'items:', '- apiVersion: v1', '  kind: ConfigMap', '  metadata:', '    name: a', '  data:', '    k: v', '- just text', ''].join('\n');
    const { manifests, nonObjects } = readManifests([
      {
        file: 'l.yaml',
        line: 1,
        source: { text, index: 0 },
        object: { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'v' } }, 'just text'] },
      },
    ]);
    expect(manifests[0].lineOf()).toBe(4);
    expect(manifests[0].lineOf('metadata.name')).toBe(7);
    expect(manifests[0].lineOf('data.k')).toBe(9);
    expect(manifests[0].lineOf('data.missing')).toBe(8);
    expect(nonObjects[0].line).toBe(10);
  });
});

describe('isKind / indexByName', () => {
  const { manifests } = readManifests(
    [
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a', namespace: 'x' } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a', namespace: 'x', labels: { second: 'true' } } },
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'a', namespace: 'x' } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'a' } },
    ].map((object) => ({ file: 'f', object })),
  );
  it('isKind needs both the kind and the group', () => {
    expect(isKind(manifests[0], ['apps'], 'Deployment')).toBe(true);
    expect(isKind(manifests[0], ['apps', 'extensions'], 'StatefulSet', 'Deployment')).toBe(true);
    expect(isKind(manifests[0], [''], 'Deployment')).toBe(false);
    expect(isKind(manifests[0], ['apps'], 'Service')).toBe(false);
    expect(isKind(manifests[0], ['apps'])).toBe(false);
    expect(isKind(manifests[3], [''], 'Service')).toBe(true);
  });
  it('indexByName finds the first object of a namespace, kind and name', () => {
    const lookup = indexByName(manifests);
    expect(lookup('x', 'Deployment', 'a')).toBe(manifests[0]);
    expect(lookup('x', 'StatefulSet', 'a')).toBe(manifests[2]);
    expect(lookup('default', 'Service', 'a')).toBe(manifests[3]);
    expect(lookup('x', 'Service', 'a')).toBeUndefined();
    expect(lookup('x', 'Deployment', 'b')).toBeUndefined();
  });
});
