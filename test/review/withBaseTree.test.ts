/**
 * `--base` in-process (review/baseRef.ts): the throwaway worktree, the generators and their fall-backs,
 * signals, and the pruning of worktrees left by killed runs. Fake generators (test/review/gitFixture.ts)
 * keep each run well under a second; the spawned-CLI tests (baseRef/interrupt.test.ts) cover the wiring.
 */
import { spawnSync } from 'child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';
import { Interrupted, pruneStaleWorktrees, withBaseTree } from '../../review/baseRef';
import { UsageError } from '../../review/errors';
import { COPY_SOURCE, HALF_WRITE_AND_FAIL, isolateTemp, killParent, ownScratchFolders, repoPerFile, scratchRoot, type Repo } from './gitFixture';

isolateTemp();

const repo = repoPerFile();

/** Relative path → file content of a folder, recursively. */
function contents(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (lstatSync(path).isDirectory()) Object.assign(out, contents(path, `${prefix}${name}/`));
    else out[`${prefix}${name}`] = readFileSync(path, 'utf8');
  }
  return out;
}
const fixture = (name: string) => contents(join(__dirname, '..', 'fixtures', 'review', name));

/** What `use` saw, gathered inside the callback (the worktree is gone afterwards). */
interface Seen {
  dist: string;
  notes: string[];
  files: Record<string, string>;
}
function look(r: Repo, ref = 'HEAD'): Seen {
  return withBaseTree(r.root, ref, (dist, notes) => ({ dist, notes, files: contents(dist) }), scratchRoot());
}

describe('withBaseTree: the generated base', () => {
  test('runs the generator in a detached worktree of the ref and hands over its dist/; everything is removed afterwards', () => {
    const r = repo({ cdk8s: `${COPY_SOURCE} && echo "$CDK8S_CHECK_UPGRADE $*" > generator.txt && readlink /proc/self/fd/0 > stdin.txt` });
    const before = process.listenerCount('exit');
    const result = withBaseTree(r.root, 'HEAD', (dist, notes) => {
      const worktree = dirname(dist);
      const scratch = dirname(worktree);
      expect(dist).toMatch(/[/]review-base-[^/]+[/]tree[/]dist$/);
      expect(dirname(scratch)).toBe(scratchRoot());
      // The generated copy of source/ (the flip fixture), not the committed dist/ (base).
      expect(contents(dist)).toStrictEqual(fixture('flip'));
      expect(notes).toStrictEqual(['HEAD has no plan script: compared against its committed dist/infra/']);
      // The cdk8s upgrade check (a network fetch) is off, by flag and by environment.
      expect(readFileSync(join(worktree, 'generator.txt'), 'utf8')).toBe('false synth --check-upgrade false\n');
      // Generators never read the terminal.
      expect(readFileSync(join(worktree, 'stdin.txt'), 'utf8')).toBe('/dev/null\n');
      expect(readFileSync(join(scratch, 'owner.pid'), 'utf8')).toBe(String(process.pid));
      expect(readlinkSync(join(worktree, 'node_modules'))).toBe(join(r.root, 'node_modules'));
      expect(r.git('-C', worktree, 'rev-parse', 'HEAD')).toBe(r.git('rev-parse', 'HEAD'));
      expect(r.git('-C', worktree, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('HEAD');
      expect(r.worktrees()).toStrictEqual([worktree]);
      expect(process.listenerCount('exit')).toBe(before + 1);
      return { worktree, scratch };
    }, scratchRoot());
    expect(existsSync(result.scratch)).toBe(false);
    expect(r.worktrees()).toStrictEqual([]);
    expect(process.listenerCount('exit')).toBe(before);
    // Nothing walked through the node_modules link into the checkout's own modules.
    expect(existsSync(join(r.root, 'node_modules', '.bin', 'cdk8s'))).toBe(true);
  });

  test('an older ref is checked out, not the current one', () => {
    const r = repo();
    const first = r.git('rev-parse', 'HEAD');
    writeFileSync(join(r.root, 'source', 'prod', 'extra.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: extra\n');
    r.git('add', '.');
    r.git('commit', '-q', '-m', 'second');
    expect(look(r, first).files).toStrictEqual(fixture('flip'));
    expect(Object.keys(look(r, 'HEAD').files)).toContain('prod/extra.yaml');
  });

  test('a plan script that succeeds adds no note and its output is kept', () => {
    const r = repo({ plan: 'echo planned > dist/infra/planned.txt' });
    const seen = look(r);
    expect(seen.notes).toStrictEqual([]);
    expect(seen.files['infra/planned.txt']).toBe('planned\n');
  });

  test('a plan script that fails: the committed dist/infra/ is put back over what it half-wrote, and a note says so', () => {
    const r = repo({ plan: 'echo junk > dist/infra/prod.plan.json && echo junk > dist/infra/new.plan.json && exit 1' });
    const seen = look(r);
    expect(seen.notes).toStrictEqual(['npm run plan failed at HEAD (log on stderr): compared against its committed dist/infra/']);
    const base = fixture('base');
    const flip = fixture('flip');
    expect(seen.files['infra/prod.plan.json']).toBe(base['infra/prod.plan.json']);
    expect(seen.files['infra/new.plan.json']).toBeUndefined();
    // The rest of dist/ is still the generated one.
    expect(seen.files['prod/versions.yaml']).toBe(flip['prod/versions.yaml']);
  });

  test('a synth that fails: the committed dist/ is put back over what it half-wrote, and a note names the ref', () => {
    const r = repo({ cdk8s: HALF_WRITE_AND_FAIL });
    const seen = look(r, 'main');
    expect(seen.notes).toStrictEqual([
      'npx cdk8s synth failed at main (log on stderr): compared against its committed dist/',
      'main has no plan script: compared against its committed dist/infra/',
    ]);
    expect(seen.files).toStrictEqual(fixture('base'));
  });

  test('a package.json without scripts has no plan script', () => {
    const r = repo({ packageJson: { name: 'old', private: true } });
    expect(look(r).notes).toStrictEqual(['HEAD has no plan script: compared against its committed dist/infra/']);
  });

  test('a generator that fails after deleting its output: the committed output is put back all the same', () => {
    expect(look(repo({ cdk8s: 'rm -rf dist && exit 1' })).files).toStrictEqual(fixture('base'));
    const seen = look(repo({ plan: 'rm -rf dist/infra && exit 1' }));
    expect(seen.notes).toStrictEqual(['npm run plan failed at HEAD (log on stderr): compared against its committed dist/infra/']);
    expect(seen.files['infra/prod.plan.json']).toBe(fixture('base')['infra/prod.plan.json']);
  });

  test('a synth that fails at a ref without a committed dist/: an empty dist/, everything reads as added', () => {
    const r = repo({ cdk8s: HALF_WRITE_AND_FAIL, dist: null });
    const seen = look(r);
    expect(seen.notes).toStrictEqual([
      'npx cdk8s synth failed at HEAD (log on stderr): compared against its committed dist/',
      'HEAD has no plan script: compared against its committed dist/infra/',
      'HEAD has no dist/: everything reads as added',
    ]);
    expect(seen.files).toStrictEqual({});
  });

  test('a generator killed by another signal (SIGKILL, the OOM killer) is a failed generator, not an interruption', () => {
    const r = repo({ cdk8s: `${HALF_WRITE_AND_FAIL.replace('exit 1', killParent('KILL'))}` });
    const seen = look(r);
    expect(seen.notes[0]).toBe('npx cdk8s synth failed at HEAD (log on stderr): compared against its committed dist/');
    expect(seen.files).toStrictEqual(fixture('base'));
  });
});

describe('withBaseTree: interruptions and refusals', () => {
  test.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('a generator stopped by %s throws Interrupted after removing the worktree', (signal) => {
    const r = repo({ cdk8s: killParent(signal.slice(3)) });
    const use = jest.fn();
    let thrown: unknown;
    try {
      withBaseTree(r.root, 'HEAD', use, scratchRoot());
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Interrupted);
    expect((thrown as Interrupted).signal).toBe(signal);
    expect((thrown as Interrupted).name).toBe('Interrupted');
    expect((thrown as Interrupted).message).toBe(`interrupted by ${signal}; the base worktree was removed`);
    expect(use).not.toHaveBeenCalled();
    expect(r.worktrees()).toStrictEqual([]);
    expect(ownScratchFolders()).toStrictEqual([]);
  });

  test('the plan script is interrupted the same way', () => {
    const r = repo({ plan: killParent('TERM', true) });
    expect(() => look(r)).toThrow(new Interrupted('SIGTERM'));
    expect(r.worktrees()).toStrictEqual([]);
  });

  test.each([
    ['an unknown ref', 'no-such-branch'],
    ['a ref that is not a commit (a tree)', 'HEAD^{tree}'],
  ])('%s is refused with the fix, before any worktree exists', (_what, ref) => {
    const r = repo();
    const use = jest.fn();
    expect(() => withBaseTree(r.root, ref, use, scratchRoot())).toThrow(
      new UsageError(`unknown git ref ${ref}`, 'fetch it first (git fetch origin <branch>); in CI check out with fetch-depth: 0'),
    );
    expect(use).not.toHaveBeenCalled();
    expect(r.worktrees()).toStrictEqual([]);
  });

  test('a checkout without node_modules is refused: the generators could not run', () => {
    const r = repo({ nodeModules: false });
    expect(() => look(r)).toThrow(new UsageError(`${join(r.root, 'node_modules')} is missing`, 'run npm ci first'));
    expect(ownScratchFolders()).toStrictEqual([]);
  });

  test('git worktree add failing is refused with the fix, and the scratch folder is removed', () => {
    const r = repo();
    // A file where git keeps its linked worktrees: adding one fails.
    writeFileSync(join(r.root, '.git', 'worktrees'), '');
    const use = jest.fn();
    expect(() => withBaseTree(r.root, 'HEAD', use, scratchRoot())).toThrow(
      new UsageError('git worktree add failed for HEAD (see stderr)', 'check that git can write to the repository'),
    );
    expect(use).not.toHaveBeenCalled();
    expect(ownScratchFolders()).toStrictEqual([]);
  });

  test('an error thrown by `use` still removes the worktree', () => {
    const r = repo();
    expect(() =>
      withBaseTree(r.root, 'HEAD', () => {
        throw new Error('boom');
      }, scratchRoot()),
    ).toThrow('boom');
    expect(r.worktrees()).toStrictEqual([]);
    expect(ownScratchFolders()).toStrictEqual([]);
  });

  test('a worktree damaged while in use (its .git link deleted) is still unregistered afterwards', () => {
    const r = repo();
    withBaseTree(r.root, 'HEAD', (dist) => rmSync(join(dirname(dist), '.git')), scratchRoot());
    expect(r.worktrees()).toStrictEqual([]);
    expect(ownScratchFolders()).toStrictEqual([]);
  });

  test('the exit hook removes the worktree if the process exits while `use` runs; the later cleanup is harmless', () => {
    const r = repo();
    const before = process.listeners('exit');
    const seen = withBaseTree(r.root, 'HEAD', (dist) => {
      const hook = process.listeners('exit').find((l) => !before.includes(l));
      expect(hook).toBeDefined();
      (hook as () => void)();
      return { dist, existsAfterHook: existsSync(dist), worktreesAfterHook: r.worktrees() };
    }, scratchRoot());
    expect(seen.existsAfterHook).toBe(false);
    expect(seen.worktreesAfterHook).toStrictEqual([]);
    expect(existsSync(dirname(dirname(seen.dist)))).toBe(false);
    expect(process.listeners('exit')).toStrictEqual(before);
  });

  test('a stale worktree of a killed run is removed first, and said on stderr', () => {
    const r = repo();
    const scratch = mkdtempSync(join(scratchRoot(), 'review-base-'));
    const stale = join(realpathSync(scratch), 'tree');
    r.git('worktree', 'add', '-q', '--detach', stale, 'HEAD');
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(look(r).notes).toHaveLength(1);
      expect(stderr.mock.calls.map((c) => String(c[0]))).toContain(`diff: removed the stale base worktree ${stale} (its run was killed)\n`);
    } finally {
      stderr.mockRestore();
    }
    expect(existsSync(scratch)).toBe(false);
    expect(r.worktrees()).toStrictEqual([]);
  });
});

describe('pruneStaleWorktrees', () => {
  let r: Repo;
  let dead: string;
  const scratches: string[] = [];
  /** A linked worktree at `<tmp>/<prefix>XXXX/<leaf>`, with `owner` written beside it (if given). */
  const add = (owner: string | undefined, prefix = 'review-base-', leaf = 'tree') => {
    const scratch = realpathSync(mkdtempSync(join(scratchRoot(), prefix)));
    scratches.push(scratch);
    if (owner !== undefined) writeFileSync(join(scratch, 'owner.pid'), owner);
    const path = join(scratch, leaf);
    r.git('worktree', 'add', '-q', '--detach', path, 'HEAD');
    return path;
  };

  beforeAll(() => {
    r = repo();
    // A pid that just exited (reuse within the test is vanishingly unlikely).
    dead = spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' }).stdout.trim();
  });
  afterAll(() => scratches.forEach((s) => rmSync(s, { recursive: true, force: true })));

  test('removes exactly the --base worktrees whose owner is gone (or unknown), keeps live runs and unrelated worktrees', () => {
    const deadOwner = add(dead);
    const liveOwner = add(String(process.ppid));
    const ownPid = add(String(process.pid));
    const noOwner = add(undefined);
    const zero = add('0');
    const garbage = add('not a pid');
    const negative = add('-1');
    const unrelated = add(dead, 'other-');
    const notTree = add(dead, 'review-base-', 'checkout');
    const vanished = add(dead);
    rmSync(dirname(vanished), { recursive: true, force: true });
    // A broken worktree (its .git link gone): git cannot remove it, the folder is deleted and then pruned.
    const broken = add(dead);
    rmSync(join(broken, '.git'));

    const removed = pruneStaleWorktrees(r.root);

    expect(removed).toStrictEqual(expect.arrayContaining([deadOwner, ownPid, noOwner, zero, garbage, negative, vanished, broken]));
    expect(removed).toHaveLength(8);
    for (const path of removed) expect(existsSync(dirname(path))).toBe(false);
    expect(r.worktrees().sort()).toStrictEqual([liveOwner, unrelated, notTree].sort());
    for (const path of [liveOwner, unrelated, notTree]) expect(existsSync(join(path, 'package.json'))).toBe(true);
    expect(readFileSync(join(dirname(liveOwner), 'owner.pid'), 'utf8')).toBe(String(process.ppid));
  });

  test('a main checkout whose path looks like a --base worktree is never removed', () => {
    const scratch = realpathSync(mkdtempSync(join(scratchRoot(), 'review-base-')));
    scratches.push(scratch);
    const clone = join(scratch, 'tree');
    expect(spawnSync('git', ['clone', '-q', r.root, clone]).status).toBe(0);
    expect(pruneStaleWorktrees(clone)).toStrictEqual([]);
    expect(existsSync(join(clone, 'package.json'))).toBe(true);
    expect(existsSync(join(clone, '.git'))).toBe(true);
  });

  test('a repository without stale worktrees: nothing removed, the main checkout untouched', () => {
    const clean = repo();
    expect(pruneStaleWorktrees(clean.root)).toStrictEqual([]);
    expect(existsSync(join(clean.root, 'node_modules', '.bin', 'cdk8s'))).toBe(true);
    expect(clean.git('status', '--porcelain')).toBe('');
  });

  test('not a git repository: nothing to prune', () => {
    const dir = mkdtempSync(join(scratchRoot(), 'review-nogit-'));
    mkdirSync(join(dir, 'inner'));
    try {
      expect(pruneStaleWorktrees(join(dir, 'inner'))).toStrictEqual([]);
      expect(existsSync(join(dir, 'inner'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
