/**
 * Synthesizes dist/ as it was at a git ref, in a throwaway worktree that is always removed.
 * Generation output goes to stderr so stdout stays the report (`> diff.md` in CI).
 */
import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { UsageError } from './errors';

/** The generators were stopped by Ctrl-C (SIGINT) or SIGTERM: the worktree is removed, then the CLI exits 130/143. */
export class Interrupted extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}; the base worktree was removed`);
    this.name = 'Interrupted';
  }
}

/** The scratch folders of --base runs: `<tmp>/review-base-XXXXXX/tree`, with the owner's pid beside it. */
const SCRATCH_PREFIX = 'review-base-';
const OWNER_FILE = 'owner.pid';
const WORKTREE = new RegExp(`[/\\\\]${SCRATCH_PREFIX}[^/\\\\]+[/\\\\]tree$`);

function run(command: string, args: readonly string[], cwd: string): boolean {
  // The CLI's upgrade check fetches from npm and prints a stack trace offline.
  const env = { ...process.env, CDK8S_CHECK_UPGRADE: 'false' };
  const result = spawnSync(command, args, { cwd, env, stdio: ['ignore', process.stderr, process.stderr] });
  // Ctrl-C reaches the generator too; never carry on with a half-generated base.
  if (result.signal === 'SIGINT' || result.signal === 'SIGTERM' || result.signal === 'SIGHUP') throw new Interrupted(result.signal);
  return result.status === 0;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeWorktree(repoRoot: string, worktree: string): void {
  // Unlink first so nothing that removes the worktree can walk into the shared node_modules.
  rmSync(join(worktree, 'node_modules'), { force: true });
  git(['worktree', 'remove', '--force', worktree], repoRoot);
  rmSync(join(worktree, '..'), { recursive: true, force: true });
}

/**
 * Removes the worktrees of earlier --base runs that were killed (SIGKILL, power loss) before
 * they could clean up: their owner process is gone. Returns the removed paths.
 */
export function pruneStaleWorktrees(repoRoot: string): string[] {
  const listing = git(['worktree', 'list', '--porcelain'], repoRoot) ?? '';
  const removed: string[] = [];
  // The first entry is the main checkout: never a --base worktree, whatever its path looks like.
  const linked = listing.split('\n').filter((line) => line.startsWith('worktree ')).slice(1);
  for (const line of linked) {
    const path = line.slice('worktree '.length);
    if (!WORKTREE.test(path)) continue;
    let owner = NaN;
    try {
      owner = Number(readFileSync(join(path, '..', OWNER_FILE), 'utf8'));
    } catch {
      // No owner file: a run killed right after creating it, or a folder already deleted.
    }
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) continue;
    removeWorktree(repoRoot, path);
    removed.push(path);
  }
  git(['worktree', 'prune'], repoRoot);
  return removed;
}

function git(args: readonly string[], cwd: string): string | undefined {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/** Puts the ref's committed copy of `path` back after a failed generator left it half-written. */
function restoreCommitted(worktree: string, path: string): void {
  rmSync(join(worktree, path), { recursive: true, force: true });
  if (git(['ls-tree', '-d', 'HEAD', path], worktree)) git(['checkout', 'HEAD', '--', path], worktree);
}

function hasPlanScript(worktree: string): boolean {
  const pkg = JSON.parse(readFileSync(join(worktree, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  return typeof pkg.scripts?.plan === 'string';
}

/** Runs the generators in `worktree`; falls back to the committed output where one can't run there. */
function generate(worktree: string, ref: string): string[] {
  const notes: string[] = [];
  // An old ref may predate the app or the plan; its committed dist/ is then the best base we have.
  if (!run('npx', ['cdk8s', 'synth', '--check-upgrade', 'false'], worktree)) {
    restoreCommitted(worktree, 'dist');
    notes.push(`npx cdk8s synth failed at ${ref} (log on stderr): compared against its committed dist/`);
  }
  if (!hasPlanScript(worktree)) {
    notes.push(`${ref} has no plan script: compared against its committed dist/infra/`);
  } else if (!run('npm', ['run', '--silent', 'plan'], worktree)) {
    restoreCommitted(worktree, join('dist', 'infra'));
    notes.push(`npm run plan failed at ${ref} (log on stderr): compared against its committed dist/infra/`);
  }
  if (!existsSync(join(worktree, 'dist'))) {
    mkdirSync(join(worktree, 'dist'));
    notes.push(`${ref} has no dist/: everything reads as added`);
  }
  return notes;
}

/**
 * Calls `use` with the base tree's dist/ folder and notes on how it was obtained. The throwaway
 * worktree lives in `<scratchRoot>/review-base-XXXXXX/` (tests pass a private folder).
 */
export function withBaseTree<T>(repoRoot: string, ref: string, use: (dist: string, notes: string[]) => T, scratchRoot = tmpdir()): T {
  if (!git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], repoRoot)) {
    throw new UsageError(`unknown git ref ${ref}`, 'fetch it first (git fetch origin <branch>); in CI check out with fetch-depth: 0');
  }
  const modules = join(repoRoot, 'node_modules');
  if (!existsSync(modules)) throw new UsageError(`${modules} is missing`, 'run npm ci first');
  for (const stale of pruneStaleWorktrees(repoRoot)) process.stderr.write(`diff: removed the stale base worktree ${stale} (its run was killed)\n`);
  const scratch = mkdtempSync(join(scratchRoot, SCRATCH_PREFIX));
  writeFileSync(join(scratch, OWNER_FILE), String(process.pid));
  const worktree = join(scratch, 'tree');
  const cleanup = () => {
    removeWorktree(repoRoot, worktree);
    rmSync(scratch, { recursive: true, force: true });
    git(['worktree', 'prune'], repoRoot);
  };
  // A signal that arrives while a generator runs is held by Node until it returns; `run` then
  // throws Interrupted and `finally` cleans up. The exit hook covers process.exit elsewhere.
  process.on('exit', cleanup);
  try {
    if (!run('git', ['worktree', 'add', '--detach', worktree, ref], repoRoot)) {
      throw new UsageError(`git worktree add failed for ${ref} (see stderr)`, 'check that git can write to the repository');
    }
    symlinkSync(modules, join(worktree, 'node_modules'), 'dir');
    const notes = generate(worktree, ref);
    return use(join(worktree, 'dist'), notes);
  } finally {
    cleanup();
    process.removeListener('exit', cleanup);
  }
}
