/**
 * A scratch copy of the repository for tests that edit sources and run the project's commands as a
 * user would: every file git tracks (plus untracked, not ignored ones) as it is on disk, with
 * node_modules linked, never the real checkout. The caller deletes it (`rmScratch`).
 */
import { execFileSync, spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..');

export function scratchCopy(prefix = 'scratch-repo-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f !== '' && f !== 'node_modules');
  for (const file of files) {
    const from = path.join(ROOT, file);
    const st = fs.lstatSync(from, { throwIfNoEntry: false });
    if (!st || st.isDirectory()) continue; // deleted in the work tree, or a submodule
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    if (st.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(from), path.join(dir, file));
    else fs.copyFileSync(from, path.join(dir, file));
  }
  fs.symlinkSync(fs.realpathSync(path.join(ROOT, 'node_modules')), path.join(dir, 'node_modules'), 'dir');
  // Traversable by other users (tests run children as `nobody`), and a git work tree (with no
  // commit) so .gitignore applies and nested scratch copies can list their files.
  fs.chmodSync(dir, 0o755);
  execFileSync('git', ['init', '-q'], { cwd: dir });
  return dir;
}

export function rmScratch(dir: string): void {
  fs.rmSync(path.join(dir, 'node_modules'), { force: true });
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Edits `file` of the scratch copy; throws when `from` is not found, so a stale edit cannot pass silently. */
export function edit(dir: string, file: string, from: string | RegExp, to: string): void {
  const p = path.join(dir, file);
  const text = fs.readFileSync(p, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`${file}: ${String(from)} not found; the README flow no longer matches the code`);
  fs.writeFileSync(p, next);
}

/** Runs a project command in the scratch copy (tsx entry points, npx, npm scripts). */
export function run(dir: string, command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 300000): SpawnSyncReturns<string> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.JEST_WORKER_ID;
  // `{ NAME: undefined }` unsets NAME (spawn would pass the string "undefined").
  for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
  return spawnSync(command, args, { cwd: dir, env: childEnv, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
}

export const TSX = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
