/**
 * Tests for the mutants of review/ that survived the first Stryker run (verdicts in
 * reports/mutation/survivors/review.md). All in-process. Two situations real files and a root user
 * cannot make are stood in for: `kill(pid, 0)` answering EPERM (a run owned by another user) through
 * a spy on process.kill, and git missing from PATH through an isolated copy of baseRef.ts whose
 * child_process.spawnSync runs with an empty PATH. Expected values are written by hand.
 */
import * as realChildProcess from 'child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { pruneStaleWorktrees, withBaseTree } from '../../review/baseRef';
import { formatChange } from '../../review/format';
import { loadTree } from '../../review/load';
import { parsePlan } from '../../review/parse';
import { HALF_WRITE_AND_FAIL, isolateTemp, repoPerFile, scratchRoot, type Repo } from './gitFixture';

isolateTemp();

const repo = repoPerFile();

/** A linked --base worktree `<scratchRoot>/review-base-XXXX/tree` of `r`, its owner file naming `owner`. */
function staleWorktree(r: Repo, owner: number): string {
  const scratch = realpathSync(mkdtempSync(join(scratchRoot(), 'review-base-')));
  writeFileSync(join(scratch, 'owner.pid'), String(owner));
  const path = join(scratch, 'tree');
  r.git('worktree', 'add', '-q', '--detach', path, 'HEAD');
  return path;
}

describe('baseRef.ts: pruneStaleWorktrees', () => {
  test('a worktree whose owner answers EPERM to kill(pid, 0) (a live run of another user) is kept', () => {
    const r = repo();
    // A pid that just exited: without the EPERM answer it would read as dead and be pruned.
    const other = Number(realChildProcess.spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' }).stdout.trim());
    const path = staleWorktree(r, other);
    const realKill = process.kill.bind(process);
    const kill = jest.spyOn(process, 'kill').mockImplementation((pid: number, signal?: string | number) => {
      if (pid === other) throw Object.assign(new Error(`kill EPERM`), { code: 'EPERM', errno: -1, syscall: 'kill' });
      return realKill(pid, signal);
    });
    let removed: string[];
    let asked: unknown[][];
    try {
      removed = pruneStaleWorktrees(r.root);
    } finally {
      asked = kill.mock.calls.map((c) => [...c]);
      kill.mockRestore();
    }
    expect(asked).toContainEqual([other, 0]);
    expect(removed).toStrictEqual([]);
    expect(r.worktrees()).toStrictEqual([path]);
  });

  test('only `worktree <path>` lines of the listing are paths: a branch named review-base-x/tree is not one', () => {
    const r = repo();
    r.git('checkout', '-q', '-b', 'review-base-x/tree');
    expect(pruneStaleWorktrees(r.root)).toStrictEqual([]);
    expect(r.git('rev-parse', '--abbrev-ref', 'HEAD')).toBe('review-base-x/tree');
    expect(r.git('status', '--porcelain')).toBe('');
  });

  test('git missing from PATH: nothing to prune, no crash', () => {
    const emptyBin = join(scratchRoot(), 'empty-bin');
    mkdirSync(emptyBin, { recursive: true });
    let baseRef!: typeof import('../../review/baseRef');
    jest.isolateModules(() => {
      jest.doMock('child_process', () => ({
        ...realChildProcess,
        spawnSync: (command: string, args: readonly string[], options: realChildProcess.SpawnSyncOptions) =>
          realChildProcess.spawnSync(command, args, { ...options, env: { PATH: emptyBin } }),
      }));
      baseRef = require('../../review/baseRef');
    });
    jest.dontMock('child_process');
    const dir = mkdtempSync(join(scratchRoot(), 'review-nogit-'));
    expect(baseRef.pruneStaleWorktrees(dir)).toStrictEqual([]);
    expect(readdirSync(dir)).toStrictEqual([]);
  });
});

describe('baseRef.ts: withBaseTree', () => {
  test('a failed synth at a ref whose dist is a file, not a folder: nothing is restored, dist/ is made empty and a note says so', () => {
    const r = repo({ cdk8s: HALF_WRITE_AND_FAIL, dist: null });
    writeFileSync(join(r.root, 'dist'), 'not a folder\n');
    r.git('add', 'dist');
    r.git('commit', '-q', '-m', 'dist as a file');
    const seen = withBaseTree(r.root, 'HEAD', (dist, notes) => ({ notes, isDir: lstatSync(dist).isDirectory(), entries: readdirSync(dist) }), scratchRoot());
    expect(seen).toStrictEqual({
      notes: [
        'npx cdk8s synth failed at HEAD (log on stderr): compared against its committed dist/',
        'HEAD has no plan script: compared against its committed dist/infra/',
        'HEAD has no dist/: everything reads as added',
      ],
      isDir: true,
      entries: [],
    });
  });
});

describe('format.ts: formatChange', () => {
  test('two long values that render alike (JSON writes NaN as null) end the common-prefix scan at their end', () => {
    const x70 = 'x'.repeat(70);
    // Both render as ["x…x",null]: 79 characters, all shared; the window starts 20 before the end.
    const side = `…${'x'.repeat(13)}",null]`;
    expect(formatChange([x70, NaN], [x70, null])).toStrictEqual([side, side]);
  });
});

describe('load.ts: only names ending in .yaml or .yml are manifests', () => {
  test('a.yaml.bak beside a.yaml in a flat folder is unplaced, not read', () => {
    const root = mkdtempSync(join(scratchRoot(), 'review-load-'));
    const ns = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n';
    writeFileSync(join(root, 'a.yaml'), ns);
    writeFileSync(join(root, 'a.yaml.bak'), ns.replace('name: a', 'name: b'));
    const tree = loadTree(root, 'dev');
    expect(tree.shape).toBe('flat');
    expect(tree.manifests).toStrictEqual([{ env: 'dev', file: 'a.yaml', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } } }]);
    expect((tree.unplaced ?? []).map((u) => [u.path, u.reason])).toStrictEqual([['a.yaml.bak', 'not a *.yaml file']]);
    rmSync(root, { recursive: true, force: true });
  });
});

describe('parse.ts: user-data decoding', () => {
  const inputsOf = (userData: unknown) =>
    parsePlan('prod', JSON.stringify([{ type: 'aws:ec2/launchTemplate:LaunchTemplate', name: 'nodes', inputs: { userData } }]), 'dist/infra/prod.plan.json')[0]?.inputs;

  test('strict base64 is decoded (aGVsbG8h is "hello!")', () => {
    expect(inputsOf('aGVsbG8h')).toStrictEqual({ 'userData (base64-decoded)': 'hello!' });
  });

  test('base64 with whitespace after or before it is not strict base64: kept as it is', () => {
    expect(inputsOf('aGVsbG8h\n\n\n\n')).toStrictEqual({ userData: 'aGVsbG8h\n\n\n\n' });
    expect(inputsOf('    aGVsbG8h')).toStrictEqual({ userData: '    aGVsbG8h' });
  });

  test('a null user-data is kept as null', () => {
    expect(inputsOf(null)).toStrictEqual({ userData: null });
  });
});
