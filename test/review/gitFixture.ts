/**
 * In-process `--base` tests: a throwaway git repository whose "generators" are tiny shell scripts
 * (a fake `node_modules/.bin/cdk8s` that `npx cdk8s` runs, an optional `plan` script), so a run takes
 * well under a second and no cdk8s app is needed.
 *
 * Safety (these tests run the code under mutation, and baseRef.ts deletes folders):
 *   - `isolateTemp` makes a private folder two levels inside the OS temp folder for the test file;
 *     `scratchRoot()` is where the repositories AND the --base scratch folders go (withBaseTree's
 *     `scratchRoot`, main's `io.tmp`: pass it on EVERY call). A mutant that deletes "the parent of the
 *     scratch folder" (the worktree path mutated to the scratch folder itself) then deletes that private
 *     folder, never the machine's /tmp. (Setting TMPDIR does not work: os.tmpdir() reads the real
 *     process environment, not Jest's copy.)
 *   - every repository sits one level inside its own folder (`<root>/review-git-XXXX/repo`), so a
 *     mutant that removes "the parent of a worktree" can only reach that folder;
 *   - the working directory is a folder outside any git checkout, so a mutant that drops a `cwd`
 *     option fails there instead of acting on the project's own repository.
 */
import { spawnSync } from 'child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { fixturePath, type Fixture } from './fixtures';

/** Generator scripts (POSIX sh), run with the worktree as working directory. */
export const COPY_SOURCE = 'rm -rf dist && cp -r source dist';
/** Half-writes dist/ and fails, as a crashing synth would. */
export const HALF_WRITE_AND_FAIL = 'rm -rf dist && mkdir dist && echo junk > dist/half.yaml && exit 1';
/**
 * Stops the `npx`/`npm` that runs it with a signal, as Ctrl-C to the process group does. `npm run`
 * (the plan script) reacts only while its child still runs, hence `linger` there.
 */
export const killParent = (signal: string, linger = false) => `kill -${signal} $PPID${linger ? '; sleep 1' : ''}`;

export interface RepoOptions {
  /** Body of the fake `cdk8s` (default: copy source/ to dist/). */
  readonly cdk8s?: string;
  /** `scripts.plan` of package.json; absent: no plan script. */
  readonly plan?: string;
  /** Committed as source/ (what the generator copies); default `flip`. */
  readonly source?: Fixture;
  /** Committed as dist/; `null`: no dist/ committed. Default `base`. */
  readonly dist?: Fixture | null;
  /** Default true. */
  readonly nodeModules?: boolean;
  /** package.json as committed (default: `scripts` holding `plan` when given). */
  readonly packageJson?: Record<string, unknown>;
}

export interface Repo {
  readonly root: string;
  git(...args: string[]): string;
  /** Paths of the linked worktrees (the main one left out). */
  worktrees(): string[];
  remove(): void;
}

export function makeRepo(options: RepoOptions = {}): Repo {
  const holder = realpathSync(mkdtempSync(join(scratchRoot(), 'review-git-')));
  const root = join(holder, 'repo');
  mkdirSync(root);
  const scripts = options.plan === undefined ? {} : { plan: options.plan };
  writeFileSync(join(root, 'package.json'), JSON.stringify(options.packageJson ?? { name: 'fixture', private: true, scripts }));
  writeFileSync(join(root, '.gitignore'), 'node_modules\n');
  if (options.nodeModules !== false) {
    mkdirSync(join(root, 'node_modules', '.bin'), { recursive: true });
    const cdk8s = join(root, 'node_modules', '.bin', 'cdk8s');
    writeFileSync(cdk8s, `#!/bin/sh\n${options.cdk8s ?? COPY_SOURCE}\n`);
    chmodSync(cdk8s, 0o755);
  }
  cpSync(fixturePath(options.source ?? 'flip'), join(root, 'source'), { recursive: true });
  if (options.dist !== null) cpSync(fixturePath(options.dist ?? 'base'), join(root, 'dist'), { recursive: true });
  const git = (...args: string[]) => {
    const r = spawnSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.trim();
  };
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', 'base');
  return {
    root,
    git,
    worktrees: () =>
      git('worktree', 'list', '--porcelain')
        .split('\n')
        .filter((l) => l.startsWith('worktree '))
        .map((l) => l.slice('worktree '.length))
        .filter((p) => p !== root),
    remove: () => {
      spawnSync('git', ['worktree', 'prune'], { cwd: root });
      rmSync(holder, { recursive: true, force: true });
    },
  };
}

/** `makeRepo` for a test file: every repository it makes is removed after the file's tests (call at top level). */
export function repoPerFile(): (...args: Parameters<typeof makeRepo>) => Repo {
  const repos: Repo[] = [];
  afterAll(() => repos.forEach((r) => r.remove()));
  return (...args) => {
    const r = makeRepo(...args);
    repos.push(r);
    return r;
  };
}

/** The `--base` scratch folders (`<scratchRoot>/review-base-*`) whose owner file names this process. */
export function ownScratchFolders(): string[] {
  return readdirSync(scratchRoot())
    .filter((name) => name.startsWith('review-base-'))
    .map((name) => join(scratchRoot(), name))
    .filter((dir) => {
      const owner = join(dir, 'owner.pid');
      return existsSync(owner) && readFileSync(owner, 'utf8') === String(process.pid);
    });
}

let root: string | undefined;

/** The private folder of the calling test file (set up by `isolateTemp`). */
export function scratchRoot(): string {
  if (root === undefined) throw new Error('call isolateTemp() at the top of the test file');
  return root;
}

/** For the calling test file: a private scratch root and working directory (see above). */
export function isolateTemp(): void {
  let previousCwd = '';
  let outer = '';
  beforeAll(() => {
    previousCwd = process.cwd();
    outer = realpathSync(mkdtempSync(join(tmpdir(), 'review-isolated-')));
    root = join(outer, 'tmp');
    mkdirSync(join(root, 'cwd'), { recursive: true });
    process.chdir(join(root, 'cwd'));
  });
  afterAll(() => {
    process.chdir(previousCwd);
    root = undefined;
    rmSync(outer, { recursive: true, force: true });
  });
}
