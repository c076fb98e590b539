/**
 * The pure core of `npm run diff` (diffTrees, fieldDiff, the prune/destroy rules) on hand-built trees,
 * with the expected report written by hand.
 */
import { diffTrees } from '../../review/diffTrees';
import { deepEqual, diffValues, formatPath, isUnder } from '../../review/fieldDiff';
import type { KubeObject, Manifest, PlanResource, Segment, Tree, Unplaced } from '../../review/model';
import { destroyRisk, pruneRisks } from '../../review/rules';

const obj = (kind: string, name: string, namespace?: string, extra: Record<string, unknown> = {}, apiVersion = 'v1'): KubeObject => ({
  apiVersion,
  kind,
  metadata: namespace === undefined ? { name } : { name, namespace },
  ...extra,
});
const m = (env: string, file: string, object: KubeObject): Manifest => ({ env, file, object });
const res = (stack: string, type: string, name: string, inputs: unknown = {}): PlanResource => ({ stack, type, name, inputs });
const t = (manifests: Manifest[] = [], resources: PlanResource[] = [], extra: Partial<Tree> = {}): Tree => ({ manifests, resources, ...extra });
const summary = (tree: ReturnType<typeof diffTrees>) => tree.sections.map((s) => [s.title, s.entries.map((e) => `${e.status} ${e.label}${e.file ? ` (${e.file})` : ''}`)]);

describe('diffTrees', () => {
  test('sections: environments sorted, then plan stacks sorted, then unplaced files; unchanged ones left out', () => {
    const a = t([m('prod', 'a.yaml', obj('ConfigMap', 'c', 'x')), m('dev', 'a.yaml', obj('ConfigMap', 'c', 'x')), m('same', 'a.yaml', obj('Namespace', 'n'))], [res('prod', 't', 'r'), res('dev', 't', 'r')], {
      unplaced: [{ path: 'x.txt', reason: 'why', fingerprint: 'sha1 1' }],
    });
    const b = t([m('prod', 'b.yaml', obj('ConfigMap', 'd', 'x')), m('dev', 'a.yaml', obj('ConfigMap', 'c', 'x', { data: { k: 'v' } })), m('same', 'a.yaml', obj('Namespace', 'n'))], [res('prod', 't', 'r2'), res('dev', 't', 'r')], {
      unplaced: [{ path: 'x.txt', reason: 'why', fingerprint: 'sha1 2' }],
    });
    expect(summary(diffTrees(a, b))).toStrictEqual([
      ['dev', ['changed ConfigMap x/c (a.yaml)']],
      ['prod', ['removed ConfigMap x/c (a.yaml)', 'added ConfigMap x/d (b.yaml)']],
      ['infra/prod', ['removed t r', 'added t r2']],
      ['files that are neither manifests nor plans', ['changed x.txt']],
    ]);
  });

  test('added and removed objects carry their file and no field lines', () => {
    const report = diffTrees(t([m('p', 'a.yaml', obj('ConfigMap', 'old', 'x'))]), t([m('p', 'b.yaml', obj('ConfigMap', 'new', 'x'))]));
    expect(report.sections[0]?.entries).toStrictEqual([
      { status: 'added', label: 'ConfigMap x/new', file: 'b.yaml', fields: [] },
      { status: 'removed', label: 'ConfigMap x/old', file: 'a.yaml', fields: [] },
    ]);
    const plan = diffTrees(t([], [res('s', 't', 'old')]), t([], [res('s', 't', 'new')]));
    expect(plan.sections[0]?.entries).toStrictEqual([
      { status: 'added', label: 't new', fields: [] },
      { status: 'removed', label: 't old', fields: [] },
    ]);
  });

  test('an environment or stack on one side only: everything added or removed', () => {
    const report = diffTrees(t([m('old', 'a.yaml', obj('ConfigMap', 'c', 'x'))], [res('gone', 't', 'r')]), t([m('new', 'b.yaml', obj('ConfigMap', 'c', 'x'))], [res('fresh', 't', 'r')]));
    expect(summary(report)).toStrictEqual([
      ['new', ['added ConfigMap x/c (b.yaml)']],
      ['old', ['removed ConfigMap x/c (a.yaml)']],
      ['infra/fresh', ['added t r']],
      ['infra/gone', ['removed t r']],
    ]);
    expect(report.sections.map((s) => s.risks.map((r) => r.text))).toStrictEqual([
      [],
      ['ConfigMap x/c removed — kubectl apply will not delete it: prune or delete by hand (kubectl delete configmap/c -n x)'],
      [],
      ['t r removed — pulumi up on stack gone will destroy it'],
    ]);
  });

  test('a changed object lists its field changes; moving it to another file is no change', () => {
    const report = diffTrees(t([m('p', 'a.yaml', obj('ConfigMap', 'c', 'x', { data: { a: '1', b: '2' } }))]), t([m('p', 'b.yaml', obj('ConfigMap', 'c', 'x', { data: { a: '1', b: '3' } }))]));
    expect(report.sections[0]?.entries).toStrictEqual([
      { status: 'changed', label: 'ConfigMap x/c', file: 'b.yaml', fields: [{ path: [{ key: 'data' }, { key: 'b' }], op: 'changed', old: '2', new: '3' }] },
    ]);
    expect(diffTrees(t([m('p', 'a.yaml', obj('ConfigMap', 'c', 'x'))]), t([m('p', 'b.yaml', obj('ConfigMap', 'c', 'x'))])).sections).toStrictEqual([]);
  });

  test('plan resources are keyed by type and name; changed inputs are fields', () => {
    const report = diffTrees(t([], [res('s', 'a:b/c:D', 'x', { size: 1 }), res('s', 'a:b/c:E', 'x', { size: 1 })]), t([], [res('s', 'a:b/c:D', 'x', { size: 2 }), res('s', 'a:b/c:E', 'x', { size: 1 })]));
    expect(report.sections).toStrictEqual([
      { title: 'infra/s', entries: [{ status: 'changed', label: 'a:b/c:D x', fields: [{ path: [{ key: 'size' }], op: 'changed', old: 1, new: 2 }] }], risks: [] },
    ]);
  });

  test('objects of the same name but another kind, namespace or group are different objects', () => {
    const before = t([m('p', 'a.yaml', obj('Deployment', 'w', 'x', {}, 'apps/v1'))]);
    for (const other of [obj('StatefulSet', 'w', 'x', {}, 'apps/v1'), obj('Deployment', 'w', 'y', {}, 'apps/v1'), obj('Deployment', 'w', 'x', {}, 'example.com/v1')]) {
      expect(diffTrees(before, t([m('p', 'a.yaml', other)])).sections[0]?.entries.map((e) => e.status)).toStrictEqual(['removed', 'added']);
    }
  });

  test('given notes come first; unplaced entries are each named in a note, equal or not', () => {
    const u = (path: string, fingerprint: string, reason = 'a symlink (never followed)'): Unplaced => ({ path, reason, fingerprint });
    const report = diffTrees(t([], [], { unplaced: [u('a', '1'), u('b', '1'), u('c', '1')] }), t([], [], { unplaced: [u('b', '1'), u('c', '2'), u('d', '1', 'a hidden entry')] }), ['given']);
    expect(report.notes).toStrictEqual([
      'given',
      'a: not compared as a manifest or plan: a symlink (never followed); compared byte for byte',
      'b: not compared as a manifest or plan: a symlink (never followed); compared byte for byte',
      'c: not compared as a manifest or plan: a symlink (never followed); compared byte for byte',
      'd: not compared as a manifest or plan: a hidden entry; compared byte for byte',
    ]);
    expect(report.sections).toStrictEqual([
      {
        title: 'files that are neither manifests nor plans',
        risks: [],
        entries: [
          { status: 'removed', label: 'a', fields: [] },
          { status: 'changed', label: 'c', fields: [{ path: [], op: 'changed', old: '1', new: '2' }] },
          { status: 'added', label: 'd', fields: [] },
        ],
      },
    ]);
  });

  test('an object defined twice in one environment: the last one is compared, and a note says so', () => {
    const twice = t([m('p', 'a.yaml', obj('ConfigMap', 'c', 'x', { data: { v: '1' } })), m('p', 'b.yaml', obj('ConfigMap', 'c', 'x', { data: { v: '2' } }))]);
    const report = diffTrees(twice, t([m('p', 'b.yaml', obj('ConfigMap', 'c', 'x', { data: { v: '2' } }))]));
    expect(report.sections).toStrictEqual([]);
    expect(report.notes).toStrictEqual(['p: ConfigMap x/c is defined twice (a.yaml, b.yaml); the last one is compared']);
  });

  test('no changes: the files whose bytes differ all the same are listed, sorted', () => {
    const bytes = (entries: [string, string][]) => new Map(entries);
    const a = t([], [], { bytes: bytes([['p/b.yaml', '1'], ['p/a.yaml', '1'], ['p/c.yaml', '1']]) });
    const b = t([], [], { bytes: bytes([['p/b.yaml', '2'], ['p/a.yaml', '1'], ['p/d.yaml', '1']]) });
    expect(diffTrees(a, b)).toStrictEqual({ sections: [], notes: [], byteDifferences: ['p/b.yaml', 'p/c.yaml', 'p/d.yaml'] });
    expect(diffTrees(a, t())).toStrictEqual({ sections: [], notes: [], byteDifferences: [] });
    expect(diffTrees(t(), b)).toStrictEqual({ sections: [], notes: [], byteDifferences: [] });
  });

  test('with changes, byte differences are not listed', () => {
    const report = diffTrees(t([], [res('s', 't', 'r')], { bytes: new Map([['x', '1']]) }), t([], [], { bytes: new Map([['x', '2']]) }));
    expect(report.byteDifferences).toBeUndefined();
    expect('byteDifferences' in report).toBe(false);
  });

  test('risks are listed in rule order (immutable, prune, …, rollout), entry order within a rule', () => {
    const dep = (name: string, image: string, app = name) =>
      obj('Deployment', name, 'w', { spec: { selector: { matchLabels: { app } }, template: { spec: { containers: [{ name: 'c', image }] } } } }, 'apps/v1');
    const before = t([m('p', 'a.yaml', dep('a', 'i:1')), m('p', 'a.yaml', dep('b', 'i:1')), m('p', 'a.yaml', obj('ConfigMap', 'gone', 'w'))]);
    const after = t([m('p', 'a.yaml', dep('a', 'i:2')), m('p', 'a.yaml', dep('b', 'i:1', 'other'))]);
    expect(diffTrees(before, after).sections[0]?.risks.map((r) => r.rule)).toStrictEqual(['immutable', 'prune', 'rollout']);
  });
});

describe('pruneRisks and destroyRisk', () => {
  const id = (kind: string, name: string, namespace = '', group = '') => ({ id: { group, kind, namespace, name }, label: `${kind} ${namespace ? `${namespace}/` : ''}${name}` });

  test('objects of a removed Namespace fold into its one line; others keep their own', () => {
    expect(pruneRisks([id('Namespace', 'a'), id('ConfigMap', 'c', 'a'), id('Secret', 's', 'a'), id('ConfigMap', 'c', 'b'), id('Namespace', 'empty')]).map((r) => r.text)).toStrictEqual([
      'Namespace a removed with the 2 objects in it — kubectl apply will not delete them: prune or delete by hand (kubectl delete namespace/a)',
      'ConfigMap b/c removed — kubectl apply will not delete it: prune or delete by hand (kubectl delete configmap/c -n b)',
      'Namespace empty removed — kubectl apply will not delete it: prune or delete by hand (kubectl delete namespace/empty)',
    ]);
  });

  test('only a Namespace folds: an object named like the namespace of another does not', () => {
    expect(pruneRisks([id('ConfigMap', 'b', 'x'), id('Secret', 's', 'b')]).map((r) => r.text)).toStrictEqual([
      'ConfigMap x/b removed — kubectl apply will not delete it: prune or delete by hand (kubectl delete configmap/b -n x)',
      'Secret b/s removed — kubectl apply will not delete it: prune or delete by hand (kubectl delete secret/s -n b)',
    ]);
  });

  test('a custom kind named Namespace is not a Namespace', () => {
    expect(pruneRisks([id('Namespace', 'a', '', 'example.com'), id('ConfigMap', 'c', 'a')]).map((r) => r.text)).toStrictEqual([
      'Namespace a removed — kubectl apply will not delete it: prune or delete by hand (kubectl delete namespace.example.com/a)',
      'ConfigMap a/c removed — kubectl apply will not delete it: prune or delete by hand (kubectl delete configmap/c -n a)',
    ]);
  });

  test('every prune risk has rule prune; destroy names the stack', () => {
    expect(pruneRisks([id('ConfigMap', 'c', 'b')]).map((r) => r.rule)).toStrictEqual(['prune']);
    expect(destroyRisk('aws:ec2/vpc:Vpc vpc', 'prod')).toStrictEqual({ rule: 'destroy', text: 'aws:ec2/vpc:Vpc vpc removed — pulumi up on stack prod will destroy it' });
  });
});

describe('fieldDiff', () => {
  test('deepEqual compares structure, not identity', () => {
    expect(deepEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(deepEqual([1, 2], [1, 2, 3])).toBe(false);
    expect(deepEqual([1, 2], [1, 3])).toBe(false);
    expect(deepEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(deepEqual({ a: 1, b: undefined }, { a: 1, c: undefined })).toBe(false);
    expect(deepEqual({ a: { b: 1 } }, { a: { b: 2 } })).toBe(false);
    expect(deepEqual([], {})).toBe(false);
    expect(deepEqual({}, [])).toBe(false);
    expect(deepEqual(null, {})).toBe(false);
    expect(deepEqual(1, '1')).toBe(false);
    expect(deepEqual('a', 'a')).toBe(true);
  });

  test('map keys: old order first, then new keys; removed and added carry only their side', () => {
    expect(diffValues({ b: 1, a: 1, c: 1 }, { c: 2, a: 1, d: 1 })).toStrictEqual([
      { path: [{ key: 'b' }], op: 'removed', old: 1 },
      { path: [{ key: 'c' }], op: 'changed', old: 1, new: 2 },
      { path: [{ key: 'd' }], op: 'added', new: 1 },
    ]);
  });

  test('a type change is one change of the whole value', () => {
    expect(diffValues({ a: [1] }, { a: { 0: 1 } })).toStrictEqual([{ path: [{ key: 'a' }], op: 'changed', old: [1], new: { 0: 1 } }]);
    expect(diffValues('x', { a: 1 })).toStrictEqual([{ path: [], op: 'changed', old: 'x', new: { a: 1 } }]);
    expect(diffValues({ a: 1 }, { a: 1 })).toStrictEqual([]);
  });

  test('a list and a string of the same length are not equal', () => {
    expect(deepEqual(['x'], 'x')).toBe(false);
    expect(deepEqual('x', ['x'])).toBe(false);
    expect(diffValues({ v: ['x'] }, { v: 'x' })).toStrictEqual([{ path: [{ key: 'v' }], op: 'changed', old: ['x'], new: 'x' }]);
  });

  test('a list is compared whole only when both sides hold scalars only', () => {
    expect(diffValues({ l: [1, { a: 1 }] }, { l: [1, 2] })).toStrictEqual([{ path: [{ key: 'l' }, { index: 1 }], op: 'changed', old: { a: 1 }, new: 2 }]);
    expect(diffValues({ l: [1, 2] }, { l: [1, { a: 1 }] })).toStrictEqual([{ path: [{ key: 'l' }, { index: 1 }], op: 'changed', old: 2, new: { a: 1 } }]);
  });

  test('scalar lists compare whole; a list with any object in it compares by item', () => {
    expect(diffValues({ l: [1, 2] }, { l: [1, 3] })).toStrictEqual([{ path: [{ key: 'l' }], op: 'changed', old: [1, 2], new: [1, 3] }]);
    expect(diffValues({ l: [1, { a: 1 }] }, { l: [1, { a: 2 }] })).toStrictEqual([{ path: [{ key: 'l' }, { index: 1 }, { key: 'a' }], op: 'changed', old: 1, new: 2 }]);
    expect(diffValues({ l: [{ a: 1 }] }, { l: [1] })).toStrictEqual([{ path: [{ key: 'l' }, { index: 0 }], op: 'changed', old: { a: 1 }, new: 1 }]);
  });

  test('a list of lists compares item by item, each inner list whole', () => {
    expect(diffValues({ l: [[1], [2]] }, { l: [[1], [3]] })).toStrictEqual([{ path: [{ key: 'l' }, { index: 1 }], op: 'changed', old: [2], new: [3] }]);
  });

  test('named items: matched by name, old order first, then new names', () => {
    const a = [{ name: 'x', v: 1 }, { name: 'y', v: 1 }, { name: 'z', v: 1 }];
    const b = [{ name: 'z', v: 2 }, { name: 'w', v: 1 }, { name: 'x', v: 1 }];
    expect(diffValues(a, b)).toStrictEqual([
      { path: [{ name: 'y' }], op: 'removed', old: { name: 'y', v: 1 } },
      { path: [{ name: 'z' }, { key: 'v' }], op: 'changed', old: 1, new: 2 },
      { path: [{ name: 'w' }], op: 'added', new: { name: 'w', v: 1 } },
    ]);
  });

  test('repeated, missing or non-string names fall back to indexes', () => {
    const byIndex = [
      { path: [{ index: 0 }, { key: 'v' }], op: 'changed', old: 1, new: 2 },
      { path: [{ index: 1 }], op: 'removed', old: expect.anything() },
    ];
    expect(diffValues([{ name: 'a', v: 1 }, { name: 'a', v: 1 }], [{ name: 'a', v: 2 }])).toStrictEqual(byIndex);
    expect(diffValues([{ name: 'a', v: 1 }, { v: 1 }], [{ name: 'a', v: 2 }])).toStrictEqual(byIndex);
    expect(diffValues([{ name: 1, v: 1 }, { name: 2, v: 1 }], [{ name: 1, v: 2 }])).toStrictEqual(byIndex);
    // Named on one side only.
    expect(diffValues([{ v: 1 }], [{ name: 'a', v: 1 }, { v: 3 }])).toStrictEqual([
      { path: [{ index: 0 }, { key: 'name' }], op: 'added', new: 'a' },
      { path: [{ index: 1 }], op: 'added', new: { v: 3 } },
    ]);
  });

  test('formatPath', () => {
    const p = (...segments: Segment[]) => formatPath(segments);
    expect(p({ key: 'spec' }, { key: 'containers' }, { name: 'web' }, { key: 'image' })).toBe('spec.containers[web].image');
    expect(p({ key: 'a' }, { index: 0 }, { index: 12 })).toBe('a[0][12]');
    expect(p({ key: 'metadata' }, { key: 'annotations' }, { key: 'example.com/x' })).toBe('metadata.annotations["example.com/x"]');
    expect(p({ key: '1st' })).toBe('["1st"]');
    expect(p({ key: '_a-b$' }, { key: '$c' })).toBe('_a-b$.$c');
    expect(p({ key: 'a b' })).toBe('["a b"]');
    expect(p({ key: 'x' }, { key: 'a"b' })).toBe('x["a\\"b"]');
    expect(p({ key: 'ab' }, { key: '-a' })).toBe('ab["-a"]');
    expect(p({ key: 'café' })).toBe('["café"]');
    expect(p()).toBe('');
  });

  test('isUnder: the path equals or extends the key prefix', () => {
    const path: Segment[] = [{ key: 'spec' }, { key: 'selector' }, { key: 'app' }];
    expect(isUnder(path, ['spec', 'selector'])).toBe(true);
    expect(isUnder(path, ['spec', 'selector', 'app'])).toBe(true);
    expect(isUnder(path, [])).toBe(true);
    expect(isUnder(path, ['spec', 'template'])).toBe(false);
    expect(isUnder(path, ['spec', 'selector', 'app', 'x'])).toBe(false);
    expect(isUnder([{ key: 'spec' }, { name: 'selector' }], ['spec', 'selector'])).toBe(false);
    expect(isUnder([{ key: 'spec' }, { index: 0 }], ['spec', '0'])).toBe(false);
  });
});
