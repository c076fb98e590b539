/**
 * review/load.ts in-process: what `loadTree` places (manifests, plan resources), what it names as
 * unplaced and why, the shape it reports, and the refusals. Expected values are written by hand from
 * small trees built here; sha1 values come from node:crypto over the bytes written.
 */
import { createHash } from 'crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { spawnSync } from 'child_process';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { UsageError } from '../../review/errors';
import { assertComparable, loadTree } from '../../review/load';
import type { Tree } from '../../review/model';

const scratch: string[] = [];
afterAll(() => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A folder holding `files` (relative path → content). */
function tree(files: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'review-load-'));
  scratch.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
const ns = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`;
const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: web\ndata:\n  k: v\n`;
const PLAN = JSON.stringify([{ type: 'aws:ec2/vpc:Vpc', name: 'vpc', inputs: { cidrBlock: '10.0.0.0/16' } }]);
/** env/file/kind/name of every placed manifest, in load order. */
const placed = (t: Tree) => t.manifests.map((m) => `${m.env}/${m.file}: ${String(m.object.kind)}/${String((m.object.metadata as { name: string }).name)}`);

describe('a dist/-shaped tree', () => {
  test('every folder but infra is an environment of *.yaml; infra/*.plan.json are the plans, by stack', () => {
    const files = { 'dev/a.yaml': ns('a'), 'prod/b.yml': `${ns('b')}---\n${cm('c')}`, 'infra/prod.plan.json': PLAN };
    const t = loadTree(tree(files));
    expect(t.shape).toBe('dist');
    expect(placed(t)).toStrictEqual(['dev/a.yaml: Namespace/a', 'prod/b.yml: Namespace/b', 'prod/b.yml: ConfigMap/c']);
    expect(t.resources).toStrictEqual([{ stack: 'prod', type: 'aws:ec2/vpc:Vpc', name: 'vpc', inputs: { cidrBlock: '10.0.0.0/16' } }]);
    expect(t.unplaced).toStrictEqual([]);
    expect(Object.fromEntries(t.bytes ?? [])).toStrictEqual({ 'dev/a.yaml': sha1(files['dev/a.yaml']), 'prod/b.yml': sha1(files['prod/b.yml']), 'infra/prod.plan.json': sha1(PLAN) });
  });

  test('without infra/ there are no resources', () => {
    expect(loadTree(tree({ 'dev/a.yaml': ns('a') })).resources).toStrictEqual([]);
  });

  test('what is neither is named with its reason and a fingerprint, never parsed', () => {
    const root = tree({
      'stray.yaml': 'not: [a, kubernetes object\n',
      '.hidden/x.yaml': ns('x'),
      'prod/a.yaml': ns('a'),
      'prod/.b.yaml': 'not: [yaml',
      'prod/notes.txt': 'note\n',
      'prod/nested/c.yaml': ns('c'),
      'infra/prod.plan.json': PLAN,
      'infra/notes.json': '[]',
      'infra/sub/x.plan.json': '[]',
    });
    symlinkSync('a.yaml', join(root, 'prod', 'link.yaml'));
    symlinkSync('prod.plan.json', join(root, 'infra', 'link.plan.json'));
    symlinkSync('prod', join(root, 'linked-env'));
    spawnSync('mkfifo', [join(root, 'prod', 'pipe.yaml')]);
    const t = loadTree(root);
    expect(t.shape).toBe('dist');
    expect(placed(t)).toStrictEqual(['prod/a.yaml: Namespace/a']);
    expect(t.resources.map((r) => `${r.stack} ${r.name}`)).toStrictEqual(['prod vpc']);
    expect(t.unplaced).toStrictEqual([
      { path: '.hidden', reason: 'a hidden entry', fingerprint: `folder: x.yaml sha1 ${sha1(ns('x'))}` },
      { path: 'infra/link.plan.json', reason: 'a symlink (never followed)', fingerprint: 'symlink → prod.plan.json' },
      { path: 'infra/notes.json', reason: 'not a *.plan.json file', fingerprint: `sha1 ${sha1('[]')}` },
      { path: 'infra/sub', reason: 'not a *.plan.json file', fingerprint: `folder: x.plan.json sha1 ${sha1('[]')}` },
      { path: 'linked-env', reason: 'a symlink (never followed)', fingerprint: 'symlink → prod' },
      { path: 'prod/.b.yaml', reason: 'a hidden entry', fingerprint: `sha1 ${sha1('not: [yaml')}` },
      { path: 'prod/link.yaml', reason: 'a symlink (never followed)', fingerprint: 'symlink → a.yaml' },
      { path: 'prod/nested', reason: 'a folder inside an environment folder (environments are flat)', fingerprint: `folder: c.yaml sha1 ${sha1(ns('c'))}` },
      { path: 'prod/notes.txt', reason: 'not a *.yaml file', fingerprint: `sha1 ${sha1('note\n')}` },
      { path: 'prod/pipe.yaml', reason: 'not a *.yaml file', fingerprint: 'special file' },
      {
        path: 'stray.yaml',
        reason: 'a file at the top of a dist/-shaped tree (only <env>/*.yaml and infra/*.plan.json are compared)',
        fingerprint: `sha1 ${sha1('not: [a, kubernetes object\n')}`,
      },
    ]);
    expect([...(t.bytes?.keys() ?? [])].sort()).toStrictEqual(['infra/prod.plan.json', 'prod/a.yaml']);
  });

  test('a folder fingerprint lists its entries recursively, so a change deep inside shows', () => {
    const fp = (content: string) => loadTree(tree({ 'prod/a.yaml': ns('a'), 'prod/deep/er/x.txt': content })).unplaced?.[0]?.fingerprint;
    expect(fp('1')).toBe(`folder: er folder: x.txt sha1 ${sha1('1')}`);
    expect(fp('1')).not.toBe(fp('2'));
    const two = loadTree(tree({ 'prod/a.yaml': ns('a'), 'prod/deep/b.txt': 'b', 'prod/deep/c.txt': 'c' })).unplaced?.[0]?.fingerprint;
    expect(two).toBe(`folder: b.txt sha1 ${sha1('b')}, c.txt sha1 ${sha1('c')}`);
  });

  test('entries are read in code-unit order of their names, whatever order the file system keeps', () => {
    // U+FF01 sorts before an astral character in UTF-8 (the kernel's order) but after it in UTF-16.
    const t = loadTree(tree({ 'prod/a\uFF01.yaml': ns('first'), 'prod/a\u{1F600}.yaml': ns('second') }));
    expect(placed(t)).toStrictEqual(['prod/a\u{1F600}.yaml: Namespace/second', 'prod/a\uFF01.yaml: Namespace/first']);
  });
});

describe('a flat environment folder', () => {
  test('YAML files and no sub-folder: one environment named by flatName (default "manifests")', () => {
    const root = tree({ 'a.yaml': ns('a'), 'b.yaml': ns('b'), 'notes.txt': 'x' });
    const t = loadTree(root, 'dev');
    expect(t.shape).toBe('flat');
    expect(placed(t)).toStrictEqual(['dev/a.yaml: Namespace/a', 'dev/b.yaml: Namespace/b']);
    expect(t.resources).toStrictEqual([]);
    expect(t.unplaced).toStrictEqual([{ path: 'notes.txt', reason: 'not a *.yaml file', fingerprint: `sha1 ${sha1('x')}` }]);
    expect([...(t.bytes?.keys() ?? [])]).toStrictEqual(['a.yaml', 'b.yaml']);
    expect(placed(loadTree(root))).toStrictEqual(['manifests/a.yaml: Namespace/a', 'manifests/b.yaml: Namespace/b']);
  });

  test('a hidden sub-folder does not make it dist/-shaped; it is named', () => {
    const t = loadTree(tree({ 'a.yaml': ns('a'), '.git/HEAD': 'ref\n' }), 'dev');
    expect(t.shape).toBe('flat');
    expect(t.unplaced).toStrictEqual([{ path: '.git', reason: 'a hidden entry', fingerprint: `folder: HEAD sha1 ${sha1('ref\n')}` }]);
  });

  test('a symlinked YAML alone does not make a flat folder: the tree is empty and names it', () => {
    const root = tree();
    const target = tree({ 'a.yaml': ns('a') });
    symlinkSync(join(target, 'a.yaml'), join(root, 'a.yaml'));
    const t = loadTree(root);
    expect(t.shape).toBe('empty');
    expect(t.manifests).toStrictEqual([]);
    expect(t.unplaced?.map((u) => `${u.path}: ${u.reason}`)).toStrictEqual(['a.yaml: a symlink (never followed)']);
  });
});

describe('an empty tree', () => {
  test('no environment folder and no YAML: shape "empty", nothing placed', () => {
    expect(loadTree(tree())).toStrictEqual({ shape: 'empty', manifests: [], resources: [], unplaced: [], bytes: new Map() });
  });

  test('top-level files that are not YAML are named', () => {
    const t = loadTree(tree({ 'README.md': '# x\n' }));
    expect(t.shape).toBe('empty');
    expect(t.unplaced?.map((u) => u.path)).toStrictEqual(['README.md']);
  });
});

describe('refusals', () => {
  test.each([
    ['a missing path', (root: string) => join(root, 'missing')],
    ['a file', (root: string) => join(root, 'a.yaml')],
  ])('%s is not a directory', (_what, pick) => {
    const path = pick(tree({ 'a.yaml': ns('a') }));
    expect(() => loadTree(path)).toThrow(
      new UsageError(`${path} is not a directory`, 'pass a synthesized tree shaped like dist/, or one environment folder such as dist/dev (npm run synth creates dist/)'),
    );
  });

  test('a tree with the publish journal of an interrupted synth', () => {
    const root = tree({ 'dev/a.yaml': ns('a'), '.synth-journal.json': '{}' });
    expect(() => loadTree(root)).toThrow(
      new UsageError(`${root} is in the middle of an interrupted publish (.synth-journal.json is there)`, 'run npm run synth once to complete it, then compare'),
    );
  });
});

describe('assertComparable', () => {
  const of = (shape: Tree['shape']): Tree => ({ shape, manifests: [], resources: [] });

  test.each([
    ['flat', 'flat'],
    ['dist', 'dist'],
    ['flat', 'empty'],
    ['empty', 'dist'],
    ['empty', 'empty'],
  ] as const)('%s with %s is comparable', (a, b) => {
    expect(() => assertComparable(of(a), of(b), 'A', 'B')).not.toThrow();
  });

  test('a flat folder against a dist/-shaped tree is refused, each side described', () => {
    const fix = 'compare like with like: two dist/ trees, or two environment folders such as dist/dev and another dev folder';
    expect(() => assertComparable(of('flat'), of('dist'), 'A', 'B')).toThrow(
      new UsageError('A is one environment folder (YAML files, no sub-folders), but B is a dist/-shaped tree (<env>/ folders)', fix),
    );
    expect(() => assertComparable(of('dist'), of('flat'), 'A', 'B')).toThrow(
      new UsageError('A is a dist/-shaped tree (<env>/ folders), but B is one environment folder (YAML files, no sub-folders)', fix),
    );
  });
});
