/**
 * Synthesizes dist/ as it was at a git ref, in a throwaway worktree that is always removed.
 * Generation output goes to stderr so stdout stays the report (`> diff.md` in CI).
 */
import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { UsageError } from './errors';

function run(command: string, args: readonly string[], cwd: string): boolean {
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', process.stderr, process.stderr] });
  return result.status === 0;
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
  if (!run('npx', ['cdk8s', 'synth'], worktree)) {
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

/** Calls `use` with the base tree's dist/ folder and notes on how it was obtained. */
export function withBaseTree<T>(repoRoot: string, ref: string, use: (dist: string, notes: string[]) => T): T {
  if (!git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], repoRoot)) {
    throw new UsageError(`unknown git ref ${ref}`, 'fetch it first (git fetch origin <branch>); in CI check out with fetch-depth: 0');
  }
  const modules = join(repoRoot, 'node_modules');
  if (!existsSync(modules)) throw new UsageError(`${modules} is missing`, 'run npm ci first');
  const scratch = mkdtempSync(join(tmpdir(), 'review-base-'));
  const worktree = join(scratch, 'tree');
  try {
    if (!run('git', ['worktree', 'add', '--detach', worktree, ref], repoRoot)) {
      throw new UsageError(`git worktree add failed for ${ref} (see stderr)`, 'check that git can write to the repository');
    }
    symlinkSync(modules, join(worktree, 'node_modules'), 'dir');
    const notes = generate(worktree, ref);
    return use(join(worktree, 'dist'), notes);
  } finally {
    // Unlink first so nothing that removes the worktree can walk into the shared node_modules.
    rmSync(join(worktree, 'node_modules'), { force: true });
    git(['worktree', 'remove', '--force', worktree], repoRoot);
    rmSync(scratch, { recursive: true, force: true });
    git(['worktree', 'prune'], repoRoot);
  }
}
