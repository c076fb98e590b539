/**
 * `--base` must never leak its git worktree: Ctrl-C (SIGINT to the process group, as a terminal
 * sends it) or SIGTERM mid-generation removes it, and a run killed outright (SIGKILL) leaves one
 * that the next run prunes. A fixture repository whose "synth" sleeps stands in for the project.
 */
import { spawn, spawnSync } from 'child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { fixturePath } from './fixtures';
import { ROOT } from './runDiff';

const CLI = join(ROOT, 'review', 'cli.ts');
const TSX_LOADER = join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs');
let repo: string;
const git = (...args: string[]) => spawnSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], { cwd: repo, encoding: 'utf8' });
const worktrees = () => git('worktree', 'list', '--porcelain').stdout.split('\n').filter((l) => l.startsWith('worktree ')).map((l) => l.slice(9));

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'review-interrupt-'));
  writeFileSync(join(repo, 'package.json'), JSON.stringify({ name: 'fixture', private: true, scripts: {} }));
  writeFileSync(join(repo, 'cdk8s.yaml'), 'language: typescript\napp: node synth.js\noutput: cdk8s.out\n');
  writeFileSync(
    join(repo, 'synth.js'),
    "const fs = require('fs');\nAtomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(process.env.SLOW_SYNTH_MS || 0));\n" +
      "fs.rmSync('dist', { recursive: true, force: true });\nfs.cpSync('source', 'dist', { recursive: true });\nfs.mkdirSync('cdk8s.out', { recursive: true });\n",
  );
  writeFileSync(join(repo, '.gitignore'), 'node_modules\ncdk8s.out/\n');
  symlinkSync(join(ROOT, 'node_modules'), join(repo, 'node_modules'), 'dir');
  cpSync(fixturePath('base'), join(repo, 'source'), { recursive: true });
  cpSync(fixturePath('base'), join(repo, 'dist'), { recursive: true });
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'base');
});

afterAll(() => {
  for (const w of worktrees().slice(1)) git('worktree', 'remove', '--force', w);
  rmSync(repo, { recursive: true, force: true });
});

/** Starts `diff --base HEAD` in its own process group with a slow synth; resolves once its worktree exists. */
async function startSlowDiff() {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, CLI, '--base', 'HEAD'], { cwd: repo, detached: true, env: { ...process.env, SLOW_SYNTH_MS: '8000' } });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdout.resume();
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((done) => child.on('close', (code, signal) => done({ code, signal, stderr })));
  const started = Date.now();
  while (worktrees().length < 2) {
    if (Date.now() - started > 30000) throw new Error(`no worktree after 30 s:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  // Let the generator start inside the worktree.
  await new Promise((r) => setTimeout(r, 1500));
  return { child, closed, worktree: worktrees()[1] };
}

test.each([
  ['Ctrl-C (SIGINT to the process group)', 'SIGINT', 130],
  ['SIGTERM to the process group', 'SIGTERM', 143],
] as const)('%s mid-generation: the worktree is removed (%s, exit %i)', async (_what, signal, code) => {
  const { child, closed, worktree } = await startSlowDiff();
  process.kill(-child.pid!, signal);
  const r = await closed;
  expect(r.stderr).toContain(`interrupted by ${signal}`);
  expect(r.code).toBe(code);
  expect(worktrees()).toHaveLength(1);
  expect(existsSync(worktree)).toBe(false);
}, 60000);

test('a SIGKILLed run leaves its worktree; the next run prunes it', async () => {
  const { child, closed, worktree } = await startSlowDiff();
  process.kill(-child.pid!, 'SIGKILL');
  await closed;
  expect(worktrees()).toContain(worktree);
  const next = spawnSync(process.execPath, ['--import', TSX_LOADER, CLI, '--base', 'HEAD'], { cwd: repo, encoding: 'utf8' });
  expect(next.stderr).toContain(`removed the stale base worktree ${worktree}`);
  expect(next.status).toBe(0);
  expect(worktrees()).toHaveLength(1);
  expect(existsSync(worktree)).toBe(false);
}, 90000);
