import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { Environment, Microk8sCluster } from '../environments';
import { dev } from '../environments/dev';
import { edge } from '../environments/edge';
import { JOURNAL, publish, PublishError, PublishFs, recoverPublish } from '../synth/publish';
import { RenderedEnvironment } from '../synth/render';
import { synthesize } from '../synth/synthesize';
import { behaviouralOnly } from './util/golden';

const ROOT = resolve(__dirname, '..');

/** Every file under `dir` (dot entries included) → its content; folders as `path/`. */
function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        out[`${path}/`] = '';
        walk(path);
      } else out[path] = readFileSync(join(dir, path), 'utf8');
    }
  };
  walk('');
  return out;
}

function previousDist(): string {
  const dist = mkdtempSync(join(tmpdir(), 'dist-'));
  for (const env of ['dev', 'edge', 'infra']) {
    mkdirSync(join(dist, env));
    writeFileSync(join(dist, env, 'previous.yaml'), `# committed ${env}\n`);
  }
  return dist;
}

const twoNodeHa: Environment = {
  ...edge,
  provider: { kind: 'microk8s', microk8s: { ...(edge.provider as { microk8s: Microk8sCluster }).microk8s, nodes: (edge.provider as { microk8s: Microk8sCluster }).microk8s.nodes.slice(0, 2) } },
};

test('a refused synthesis leaves the previous dist/ untouched, even when other environments rendered', () => {
  const dist = previousDist();
  const before = snapshotTree(dist);
  expect(() => synthesize([dev, twoNodeHa], { distDir: dist })).toThrow(/HA/);
  expect(snapshotTree(dist)).toEqual(before);
});

test('a successful synthesis replaces only the environments it rendered, leaving dist/infra alone', () => {
  const dist = previousDist();
  synthesize([dev], { distDir: dist });
  const after = snapshotTree(dist);
  expect(after['dev/previous.yaml']).toBeUndefined();
  expect(after['dev/nginx.yaml']).toContain('name: nginx-deployment');
  expect(after['edge/previous.yaml']).toBe('# committed edge\n');
  expect(after['infra/previous.yaml']).toBe('# committed infra\n');
  // No staging leftovers beside the published trees.
  expect(readdirSync(dist).sort()).toEqual(['dev', 'edge', 'infra']);
});

describe('refused environment names change nothing', () => {
  test.each([
    ['the same name twice', [dev, { ...dev }], /environments\/dev\.ts: name: "dev" is also the name of an earlier environment \(environments\/dev\.ts\)/],
    ['a path', [dev, { ...dev, name: '../synth' }], /environments\/index\.ts: name: "\.\.\/synth" is not a lowercase name/],
    ['the plans folder', [{ ...dev, name: 'infra' }], /"infra" is reserved/],
  ] as const)('%s', (_what, envs, message) => {
    const dist = previousDist();
    const before = snapshotTree(dist);
    let error: unknown;
    try {
      synthesize(envs as readonly Environment[], { distDir: dist });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PublishError);
    expect((error as PublishError).distState).toBe('old');
    expect((error as Error).message).toMatch(message);
    expect(snapshotTree(dist)).toEqual(before);
  });
});

// ---- Fault injection on the publish itself, with small fake environments (fast, every step).

function fakeRendered(version: string, names = ['dev', 'prod', 'edge']): RenderedEnvironment[] {
  return names.map((name) => ({
    env: { name } as Environment,
    files: [
      { name: '00-namespaces.yaml', objects: [], content: `# ${name} namespaces ${version}\n` },
      { name: `${version}.yaml`, objects: [], content: `# ${name} ${version}\n` },
    ],
    leftOut: [],
  }));
}

/** dist/ with infra/ and the given version of dev, prod, edge published. */
function distAt(version: string): string {
  const dist = mkdtempSync(join(tmpdir(), 'dist-faults-'));
  mkdirSync(join(dist, 'infra'));
  writeFileSync(join(dist, 'infra', 'dev.plan.json'), '{}\n');
  publish(dist, fakeRendered(version));
  return dist;
}

function expectedTree(version: string): Record<string, string> {
  const dist = distAt(version);
  return snapshotTree(dist);
}

const MUTATING = ['mkdirSync', 'writeFileSync', 'renameSync', 'rmSync', 'chmodSync'] as const;

/**
 * The real fs, where mutation number `at` (0-based) fails. `kill`: that call and every later one
 * (reads included) throw, as if the process died there; otherwise only that one call throws.
 */
function faultyFs(at: number, mode: 'kill' | 'throw', code = 'EIO'): { fs: PublishFs; calls: () => number; fired: () => boolean; log: string[] } {
  let calls = 0;
  const log: string[] = [];
  let dead = false;
  let fired = false;
  const wrapped = {} as Record<string, unknown>;
  for (const name of ['existsSync', 'readFileSync', 'readdirSync', 'lstatSync', ...MUTATING]) {
    const real = (fs as unknown as Record<string, (...args: unknown[]) => unknown>)[name];
    wrapped[name] = (...args: unknown[]) => {
      if (dead) throw new Error('killed');
      if ((MUTATING as readonly string[]).includes(name)) {
        log.push(`${name} ${String(args[0])}`);
        if (calls++ === at) {
          fired = true;
          if (mode === 'kill') dead = true;
          throw Object.assign(new Error(`${code}: injected at ${name} ${String(args[0])}`), { code });
        }
      }
      return real.apply(fs, args);
    };
  }
  return { fs: wrapped as unknown as PublishFs, calls: () => calls, fired: () => fired, log };
}

/** The mutations a publish of a new version over an old one makes, in order. */
function mutations(): string[] {
  const dist = distAt('v1');
  const counter = faultyFs(-1, 'throw');
  publish(dist, fakeRendered('v2'), { fs: counter.fs });
  return counter.log.map((line) => line.replace(dist, 'dist'));
}

const envDirs = (tree: Record<string, string>) => Object.fromEntries(Object.entries(tree).filter(([path]) => !path.startsWith('.synth-')));

describe('publishing is all-or-nothing under faults', () => {
  const oldTree = expectedTree('v1');
  const newTree = expectedTree('v2');
  const thirdTree = expectedTree('v3');
  const log = mutations();
  const steps = log.length;
  /** The step right after the first environment was moved aside: dist/dev is missing. */
  const midSwap = log.indexOf('renameSync dist/dev') + 1;

  test('a publish makes enough steps for the fault injection to mean something', () => {
    // stage (mkdir + 2 files per env) + journal + 2 renames per env + cleanup
    expect(steps).toBeGreaterThanOrEqual(3 * 3 + 2 + 3 * 2);
    expect(midSwap).toBeGreaterThan(10);
  });

  test.each(Array.from({ length: steps }, (_, i) => [i]))('killed at step %i: dist/ reads fully old or fully new after recovery, and the next run publishes', (at) => {
    const dist = distAt('v1');
    const faulty = faultyFs(at, 'kill');
    try {
      publish(dist, fakeRendered('v2'), { fs: faulty.fs });
    } catch {
      // Killed: whatever it throws, nothing after the kill ran.
    }
    expect(faulty.fired()).toBe(true);
    const killed = snapshotTree(dist);
    // Without a journal, the environment folders are consistent even before any recovery.
    if (!(JOURNAL in killed)) expect([oldTree, newTree]).toContainEqual(envDirs(killed));
    recoverPublish(dist);
    expect([oldTree, newTree]).toContainEqual(snapshotTree(dist));
    // Once the journal was committed, the run counts as published.
    if (JOURNAL in killed) expect(snapshotTree(dist)).toEqual(newTree);
    publish(dist, fakeRendered('v3'));
    expect(snapshotTree(dist)).toEqual(thirdTree);
  });

  test.each(Array.from({ length: steps }, (_, i) => [i]))('an error at step %i leaves dist/ fully old and says so, or fully new', (at) => {
    const dist = distAt('v1');
    const faulty = faultyFs(at, 'throw');
    let error: unknown;
    try {
      publish(dist, fakeRendered('v2'), { fs: faulty.fs, warn: () => undefined });
    } catch (err) {
      error = err;
    }
    expect(faulty.fired()).toBe(true);
    if (error) {
      expect(error).toBeInstanceOf(PublishError);
      expect((error as PublishError).distState).toBe('old');
      expect(snapshotTree(dist)).toEqual(oldTree);
    } else {
      expect(envDirs(snapshotTree(dist))).toEqual(newTree);
    }
    publish(dist, fakeRendered('v3'));
    expect(snapshotTree(dist)).toEqual(thirdTree);
  });

  test('a kill during recovery is recovered by the next run', () => {
    let recoverySteps = 0;
    for (let killAt = 0; killAt <= recoverySteps; killAt++) {
      const dist = distAt('v1');
      // Kill the publish right after its first swap rename: a journal and a half-swapped dist/.
      const firstSwap = faultyFs(midSwap, 'kill');
      expect(() => publish(dist, fakeRendered('v2'), { fs: firstSwap.fs })).toThrow();
      expect(fs.existsSync(join(dist, JOURNAL))).toBe(true);
      const faulty = faultyFs(killAt, 'kill');
      try {
        recoverPublish(dist, { fs: faulty.fs });
      } catch {
        // Killed.
      }
      if (faulty.fired()) recoverySteps = killAt + 1;
      recoverPublish(dist);
      expect(snapshotTree(dist)).toEqual(newTree);
    }
    // The rest of the swap (renames) and the cleanup (journal, old trees) were each killed once.
    expect(recoverySteps).toBeGreaterThanOrEqual(5);
  });

  test('a rename refused with EACCES (a read-only dist/prod, even for root) rolls every environment back', () => {
    const dist = distAt('v1');
    const real = fs as unknown as PublishFs;
    const readOnlyProd: PublishFs = {
      ...real,
      existsSync: (p) => fs.existsSync(p),
      renameSync: (from, to) => {
        if (from === join(dist, 'prod')) throw Object.assign(new Error(`EACCES: permission denied, rename '${from}'`), { code: 'EACCES' });
        fs.renameSync(from, to);
      },
    } as PublishFs;
    let error: unknown;
    try {
      publish(dist, fakeRendered('v2'), { fs: readOnlyProd });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PublishError);
    expect((error as PublishError).distState).toBe('old');
    expect((error as Error).message).toMatch(/publishing failed and was undone: EACCES/);
    expect(snapshotTree(dist)).toEqual(oldTree);
  });

  test('a corrupt journal is refused with a fix, never guessed at', () => {
    const dist = distAt('v1');
    writeFileSync(join(dist, JOURNAL), '{"vers');
    expect(() => publish(dist, fakeRendered('v2'))).toThrow(/is not a publish journal .* delete it/);
    expect(envDirs(snapshotTree(dist))).toEqual(oldTree);
  });
});

// ---- Real processes: SIGKILL mid-publish, and real EACCES as an unprivileged user.

const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs');

/** Runs synth/publish.ts in a child: publishes `version` over `dist`, SIGKILLing itself at mutation `killAt`. */
function childPublish(dist: string, version: string, killAt: number, uid?: number) {
  const script = `
    const fs = require('fs');
    const { publish } = require(${JSON.stringify(join(ROOT, 'synth', 'publish.ts'))});
    let calls = 0;
    const wrapped = { ...fs };
    for (const name of ['mkdirSync', 'writeFileSync', 'renameSync', 'rmSync', 'chmodSync']) {
      wrapped[name] = (...args) => { if (calls++ === ${killAt}) process.kill(process.pid, 'SIGKILL'); return fs[name](...args); };
    }
    const rendered = ['dev', 'prod', 'edge'].map((name) => ({ env: { name }, leftOut: [], files: [
      { name: '00-namespaces.yaml', objects: [], content: '# ' + name + ' namespaces ${version}\\n' },
      { name: '${version}.yaml', objects: [], content: '# ' + name + ' ${version}\\n' } ] }));
    try { publish(${JSON.stringify(dist)}, rendered, { fs: wrapped }); console.log('published'); }
    catch (err) { console.log(err.name + ' ' + err.distState + ': ' + err.message); process.exit(1); }`;
  return spawnSync(process.execPath, ['--import', TSX, '-e', script], { encoding: 'utf8', uid, gid: uid, cwd: tmpdir(), env: { ...process.env, HOME: tmpdir() } });
}

test('SIGKILL mid-swap, in a real process: the next run completes the publish', () => {
  const dist = distAt('v1');
  const log = mutations();
  const r = childPublish(dist, 'v2', log.indexOf('renameSync dist/dev') + 1);
  expect(readdirSync(dist)).not.toContain('dev');
  expect(r.signal).toBe('SIGKILL');
  expect(fs.existsSync(join(dist, JOURNAL))).toBe(true);
  publish(dist, fakeRendered('v3'));
  expect(snapshotTree(dist)).toEqual(expectedTree('v3'));
});

/** Real permission bits: as ourselves when unprivileged, as `nobody` (65534) when the tests run as root. */
const unprivileged = process.getuid?.() === 0 ? 65534 : undefined;

function ownedDist(): string {
  const dist = distAt('v1');
  if (unprivileged !== undefined) {
    chmodSync(join(dist, '..'), 0o1777); // tmpdir() is world-writable already; keep it so
    const chown = (p: string) => {
      chownSync(p, unprivileged, unprivileged);
      if (fs.statSync(p).isDirectory()) for (const e of readdirSync(p)) chown(join(p, e));
    };
    chown(dist);
  }
  return dist;
}

// Skipped by the mutation run: another user cannot enter Stryker's sandbox (test/util/golden.ts).
(behaviouralOnly ? describe.skip : describe)('real EACCES (as an unprivileged user)', () => {
  test('a read-only dist/prod is replaced whole, and nothing is left behind', () => {
    const dist = ownedDist();
    chmodSync(join(dist, 'prod'), 0o555);
    const r = childPublish(dist, 'v2', -1, unprivileged);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('published');
    expect(snapshotTree(dist)).toEqual(expectedTree('v2'));
  });

  test('a read-only dist/ refuses the publish, says dist/ is unchanged, and leaves it so', () => {
    const dist = ownedDist();
    const before = snapshotTree(dist);
    chmodSync(dist, 0o555);
    const r = childPublish(dist, 'v2', -1, unprivileged);
    chmodSync(dist, 0o755);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^PublishError old: could not write the new trees .*EACCES/);
    expect(snapshotTree(dist)).toEqual(before);
  });
});

test('staging paths of the publish are git-ignored', () => {
  const r = spawnSync('git', ['check-ignore', '--no-index', 'dist/.synth-new.dev/x.yaml', 'dist/.synth-old.prod/x.yaml', `dist/${JOURNAL}`, 'dist/.synth-journal.tmp'], { cwd: ROOT, encoding: 'utf8' });
  expect(r.stdout.trim().split('\n')).toHaveLength(4);
});
