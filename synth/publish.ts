import * as realFs from 'fs';
import { join } from 'path';
import { RenderedEnvironment } from './render';

/**
 * All-or-nothing publishing of `dist/<env>/` for every environment of a run.
 *
 * 1. Stage: every environment is written to `dist/.synth-new.<env>/` (a kill here leaves only
 *    staging folders, which the next run deletes: dist/ is fully old).
 * 2. Commit: `dist/.synth-journal.json` is written (atomically, by rename). From this point the
 *    run counts as published: whoever finds the journal rolls it FORWARD.
 * 3. Swap, per environment: `dist/<env>` → `dist/.synth-old.<env>`, `dist/.synth-new.<env>` →
 *    `dist/<env>`. Renames stay inside `dist/`, so a read-only `dist/<env>` can still be moved.
 * 4. Done: the journal is removed, then the old trees.
 *
 * An error during the swap rolls every environment BACK and removes the journal, so dist/ is fully
 * old and the error says so. A kill at any step leaves the journal (or only staging leftovers); the
 * next run calls `recoverPublish` first, which completes (or undoes) the interrupted publish.
 * Every step is idempotent, so a kill during recovery is recovered by the next run as well.
 * `dist/.synth-*` is git-ignored.
 */

/** The file-system calls publishing makes; tests inject kills and failures through it. */
export interface PublishFs {
  existsSync(path: string): boolean;
  mkdirSync(path: string, options?: { recursive?: boolean }): unknown;
  writeFileSync(path: string, data: string): void;
  readFileSync(path: string, encoding: 'utf8'): string;
  renameSync(from: string, to: string): void;
  rmSync(path: string, options?: { recursive?: boolean; force?: boolean }): void;
  readdirSync(path: string): string[];
  chmodSync(path: string, mode: number): void;
  lstatSync(path: string): { isDirectory(): boolean };
}

export interface PublishOptions {
  readonly fs?: PublishFs;
  /** Warnings that do not change the outcome (leftovers that could not be deleted). */
  readonly warn?: (line: string) => void;
}

export const JOURNAL = '.synth-journal.json';
export const STAGING_PREFIX = '.synth-';
const NEW = '.synth-new.';
const OLD = '.synth-old.';
const JOURNAL_TMP = '.synth-journal.tmp';
/** Folders of dist/ that are not environments (`npm run plan` writes dist/infra/). */
const RESERVED = new Set(['infra']);
const SAFE_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

interface Journal {
  readonly version: 1;
  readonly envs: ReadonlyArray<{ readonly name: string; readonly existed: boolean }>;
}

/** Why a publish did not happen, and whether dist/ is known to be fully old. */
export class PublishError extends Error {
  constructor(
    message: string,
    /** 'old': dist/ is exactly as before; 'interrupted': a journal is left for the next run to finish. */
    readonly distState: 'old' | 'interrupted',
  ) {
    super(message);
    this.name = 'PublishError';
  }
}

function writeTree(fs: PublishFs, dir: string, rendered: RenderedEnvironment): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const file of rendered.files) fs.writeFileSync(join(dir, file.name), file.content);
}

/** Writes `rendered` under `root/<env>/` as a plain tree (the cdk8s CLI's scratch output). */
export function writeStaging(root: string, rendered: readonly RenderedEnvironment[]): void {
  for (const r of rendered) writeTree(realFs, join(root, r.env.name), r);
}

/** Refuses names that are not one plain path segment, `infra`, and the same name twice. */
export function checkEnvironmentNames(names: readonly string[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    if (!SAFE_NAME.test(name)) {
      problems.push(`environment name ${JSON.stringify(name)} is not a plain folder name; use lowercase letters, digits and "-" only`);
    } else if (RESERVED.has(name)) {
      problems.push(`environment name "${name}" is reserved: dist/${name}/ holds the infrastructure plans; rename the environment`);
    } else if (seen.has(name)) {
      problems.push(`environment name "${name}" is used twice; both would publish to dist/${name}/, give each environment its own name`);
    }
    seen.add(name);
  }
  return problems;
}

/** Deletes a tree we wrote, making read-only folders writable first (a non-root user could not empty them). */
function removeTree(fs: PublishFs, path: string): void {
  try {
    fs.rmSync(path, { recursive: true, force: true });
    return;
  } catch {
    // Fall through: make every folder writable, then try again.
  }
  const unlock = (dir: string) => {
    fs.chmodSync(dir, 0o755);
    for (const entry of fs.readdirSync(dir)) {
      const child = join(dir, entry);
      if (fs.lstatSync(child).isDirectory()) unlock(child);
    }
  };
  unlock(path);
  fs.rmSync(path, { recursive: true, force: true });
}

/** Leftover staging and old trees (no journal: they are garbage from an earlier, finished or abandoned run). */
function removeLeftovers(fs: PublishFs, distDir: string, warn: (line: string) => void): void {
  if (!fs.existsSync(distDir)) return;
  for (const entry of fs.readdirSync(distDir)) {
    if (!entry.startsWith(STAGING_PREFIX) || entry === JOURNAL) continue;
    try {
      removeTree(fs, join(distDir, entry));
    } catch (err) {
      warn(`could not delete the leftover dist/${entry} (${(err as Error).message}); delete it by hand`);
    }
  }
}

function readJournal(fs: PublishFs, distDir: string): Journal | undefined {
  const path = join(distDir, JOURNAL);
  if (!fs.existsSync(path)) return undefined;
  let journal: Journal;
  try {
    journal = JSON.parse(fs.readFileSync(path, 'utf8')) as Journal;
  } catch {
    journal = { version: 0 } as unknown as Journal;
  }
  if (journal.version !== 1 || !Array.isArray(journal.envs) || checkEnvironmentNames(journal.envs.map((e) => e.name)).length) {
    throw new PublishError(`dist/${JOURNAL} is not a publish journal this version wrote; delete it and run the synthesis again`, 'interrupted');
  }
  return journal;
}

/** Completes every environment's swap, from any intermediate state. */
function rollForward(fs: PublishFs, distDir: string, journal: Journal): void {
  for (const { name } of journal.envs) {
    const target = join(distDir, name);
    const next = join(distDir, NEW + name);
    const old = join(distDir, OLD + name);
    if (!fs.existsSync(next)) continue; // already swapped
    if (fs.existsSync(target)) {
      if (fs.existsSync(old)) removeTree(fs, target);
      else fs.renameSync(target, old);
    }
    fs.renameSync(next, target);
  }
}

/** Undoes every environment's swap, from any intermediate state. */
function rollBack(fs: PublishFs, distDir: string, journal: Journal): void {
  for (const { name, existed } of [...journal.envs].reverse()) {
    const target = join(distDir, name);
    const next = join(distDir, NEW + name);
    const old = join(distDir, OLD + name);
    if (fs.existsSync(old)) {
      if (fs.existsSync(target)) {
        if (fs.existsSync(next)) removeTree(fs, target);
        else fs.renameSync(target, next);
      }
      fs.renameSync(old, target);
    } else if (!existed && fs.existsSync(target) && !fs.existsSync(next)) {
      fs.renameSync(target, next); // a new environment that was already swapped in
    }
  }
}

function finish(fs: PublishFs, distDir: string, warn: (line: string) => void): void {
  fs.rmSync(join(distDir, JOURNAL), { force: true });
  removeLeftovers(fs, distDir, warn);
}

/**
 * Brings dist/ back to a consistent state after a killed publish: completes it when its journal
 * was written, else deletes the staging leftovers. Returns what it did, for the log.
 */
export function recoverPublish(distDir: string, options: PublishOptions = {}): string | undefined {
  const fs = options.fs ?? realFs;
  const warn = options.warn ?? (() => undefined);
  const journal = readJournal(fs, distDir);
  if (!journal) {
    const leftovers = fs.existsSync(distDir) ? fs.readdirSync(distDir).filter((e) => e.startsWith(STAGING_PREFIX)) : [];
    removeLeftovers(fs, distDir, warn);
    return leftovers.length ? `deleted the leftovers of an interrupted publish: ${leftovers.map((e) => `dist/${e}`).join(', ')}` : undefined;
  }
  const names = journal.envs.map((e) => e.name).join(', ');
  try {
    rollForward(fs, distDir, journal);
  } catch (forwardError) {
    try {
      rollBack(fs, distDir, journal);
    } catch (backError) {
      throw new PublishError(
        `an interrupted publish of ${names} can neither be completed (${(forwardError as Error).message}) nor undone ` +
          `(${(backError as Error).message}); dist/${JOURNAL} is kept, fix the cause and run the synthesis again`,
        'interrupted',
      );
    }
    finish(fs, distDir, warn);
    return `undid an interrupted publish of ${names} (completing it failed: ${(forwardError as Error).message})`;
  }
  finish(fs, distDir, warn);
  return `completed an interrupted publish of ${names}`;
}

/**
 * Replaces `distDir/<env>/` for every rendered environment, all or nothing (see the top of this
 * file). Throws a PublishError that says whether dist/ is fully old. Other folders of `distDir`
 * (dist/infra/) are left alone.
 */
export function publish(distDir: string, rendered: readonly RenderedEnvironment[], options: PublishOptions = {}): void {
  const fs = options.fs ?? realFs;
  const warn = options.warn ?? (() => undefined);
  const problems = checkEnvironmentNames(rendered.map((r) => r.env.name));
  if (problems.length) throw new PublishError(problems.join('\n  '), 'old');

  const recovered = recoverPublish(distDir, options);
  if (recovered) warn(recovered);

  // 1. Stage.
  try {
    fs.mkdirSync(distDir, { recursive: true });
    for (const r of rendered) {
      const next = join(distDir, NEW + r.env.name);
      removeTree(fs, next);
      writeTree(fs, next, r);
    }
  } catch (err) {
    try {
      removeLeftovers(fs, distDir, warn);
    } catch {
      // The next run deletes them.
    }
    throw new PublishError(`could not write the new trees under ${distDir}: ${(err as Error).message}`, 'old');
  }

  // 2. Commit.
  const journal: Journal = { version: 1, envs: rendered.map((r) => ({ name: r.env.name, existed: fs.existsSync(join(distDir, r.env.name)) })) };
  try {
    fs.writeFileSync(join(distDir, JOURNAL_TMP), `${JSON.stringify(journal)}\n`);
    fs.renameSync(join(distDir, JOURNAL_TMP), join(distDir, JOURNAL));
  } catch (err) {
    try {
      removeLeftovers(fs, distDir, warn);
    } catch {
      // The next run deletes them.
    }
    throw new PublishError(`could not write dist/${JOURNAL}: ${(err as Error).message}`, 'old');
  }

  // 3. Swap.
  try {
    rollForward(fs, distDir, journal);
  } catch (swapError) {
    try {
      rollBack(fs, distDir, journal);
      fs.rmSync(join(distDir, JOURNAL), { force: true });
    } catch (backError) {
      throw new PublishError(
        `publishing failed (${(swapError as Error).message}) and undoing it failed too (${(backError as Error).message}); ` +
          `dist/${JOURNAL} is kept and the next synthesis completes or undoes the publish`,
        'interrupted',
      );
    }
    try {
      removeLeftovers(fs, distDir, warn);
    } catch {
      // The next run deletes them.
    }
    throw new PublishError(`publishing failed and was undone: ${(swapError as Error).message}`, 'old');
  }

  // 4. Done: dist/ is fully new; what follows only tidies up (the next run retries it).
  try {
    finish(fs, distDir, warn);
  } catch (err) {
    warn(`published, but could not tidy up dist/ (${(err as Error).message}); the next synthesis does`);
  }
}
