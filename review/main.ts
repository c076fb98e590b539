/**
 * The `npm run diff` command as a function (review/cli.ts wires it to the process):
 * `DIR_A DIR_B` or `--base GIT_REF` (against ./dist). Returns 0: no changes; 1: changes; 2: usage or input error.
 */
import { spawnSync } from 'child_process';
import { basename, join, resolve } from 'path';
import { Interrupted, withBaseTree } from './baseRef';
import { diffTrees } from './diffTrees';
import { UsageError } from './errors';
import { assertComparable, loadTree } from './load';
import { hasChanges, type Report } from './model';
import { renderMarkdown } from './render/markdown';
import { renderText } from './render/text';

const USAGE = `usage: npm run diff -- DIR_A DIR_B [--format text|markdown]
       npm run diff -- --base GIT_REF [--format text|markdown]   (compares GIT_REF's dist/ with ./dist)
DIR_A and DIR_B are both dist/-shaped trees (<env>/*.yaml, infra/*.plan.json) or both one environment
folder (*.yaml, e.g. dist/dev). Files that are neither are compared byte for byte and named.`;

type Format = 'text' | 'markdown';

interface Options {
  readonly format: Format;
  readonly base?: string;
  readonly dirs: readonly string[];
}

function parseArgs(args: readonly string[]): Options | 'help' {
  let format: Format = 'text';
  let base: string | undefined;
  const dirs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--format' || arg === '--base') {
      const value = args[++i];
      if (value === undefined) throw new UsageError(`${arg} needs a value`, USAGE);
      if (arg === '--base') base = value;
      else if (value === 'text' || value === 'markdown') format = value;
      else throw new UsageError(`unknown format ${value}`, 'use --format text or --format markdown');
    } else if (arg.startsWith('-')) {
      throw new UsageError(`unknown option ${arg}`, USAGE);
    } else {
      dirs.push(arg);
    }
  }
  const expected = base === undefined ? 2 : 0;
  if (dirs.length !== expected) {
    throw new UsageError(base === undefined ? 'expected two directories to compare' : '--base takes no directories', USAGE);
  }
  return { format, base, dirs };
}

function repoRoot(cwd: string): string {
  const result = spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new UsageError('--base needs a git checkout', 'run it inside the repository');
  return result.stdout.trim();
}

function compare(options: Options, cwd: string, tmp?: string): Report {
  if (options.base === undefined) {
    const [a, b] = options.dirs as [string, string];
    // Two flat environment folders are one section, titled by their names (`dev`, or `dev → dev-new`).
    const [nameA, nameB] = [basename(resolve(a)), basename(resolve(b))];
    const title = nameA === nameB ? nameA : `${nameA} → ${nameB}`;
    const [treeA, treeB] = [loadTree(a, title), loadTree(b, title)];
    assertComparable(treeA, treeB, a, b);
    return diffTrees(treeA, treeB);
  }
  const root = repoRoot(cwd);
  const current = loadTree(join(root, 'dist'));
  return withBaseTree(root, options.base, (dist, notes) => diffTrees(loadTree(dist), current, notes), tmp);
}

/** Where the CLI writes, and where `--base` looks for the git checkout. */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  /** Where `--base` makes its throwaway worktree (default: the OS temp folder). */
  readonly tmp?: string;
}

const processIo = (): Io => ({ stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text), cwd: process.cwd() });

/** Runs `npm run diff` with `args` (argv after the script name); returns the exit code. */
export function main(args: readonly string[], io: Io = processIo()): number {
  try {
    const options = parseArgs(args);
    if (options === 'help') {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    const report = compare(options, io.cwd, io.tmp);
    io.stdout(options.format === 'markdown' ? renderMarkdown(report) : renderText(report));
    return hasChanges(report) ? 1 : 0;
  } catch (error) {
    if (error instanceof Interrupted) {
      io.stderr(`diff: ${error.message}\n`);
      return error.signal === 'SIGINT' ? 130 : error.signal === 'SIGTERM' ? 143 : 129;
    }
    // Exit 1 means "changed", so even unexpected failures (unreadable files...) must exit 2.
    const message = error instanceof UsageError ? error.message : `${(error as Error).stack ?? String(error)}`;
    io.stderr(`diff: ${message}\n`);
    return 2;
  }
}
