import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { NodeBootFiles } from './render';

/** Marks a directory as ours, so a re-run may replace it (and never replaces anything else). */
export const OUTPUT_MARKER = '.edge-nodes';

export interface WriteHooks {
  /** Called after each file is written into the temp dir (tests inject failures here). */
  readonly afterFile?: (file: string) => void;
}

function isReplaceable(dir: string): boolean {
  const st = fs.lstatSync(dir);
  if (!st.isDirectory()) return false;
  const entries = fs.readdirSync(dir);
  return entries.length === 0 || entries.includes(OUTPUT_MARKER);
}

/** Our temp and old trees beside `target`: `.<base>.tmp-XXXXXX` (mkdtemp) and `.<base>.old-<8 hex>`. */
function leftovers(parent: string, base: string): { tmp: string[]; old: string[] } {
  const escaped = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const tmpName = new RegExp(`^\\.${escaped}\\.tmp-[A-Za-z0-9]{6}$`);
  const oldName = new RegExp(`^\\.${escaped}\\.old-[0-9a-f]{8}$`);
  const entries = fs.existsSync(parent) ? fs.readdirSync(parent) : [];
  return {
    tmp: entries.filter((e) => tmpName.test(e)).map((e) => path.join(parent, e)),
    old: entries.filter((e) => oldName.test(e)).map((e) => path.join(parent, e)),
  };
}

/**
 * Cleans up after a killed earlier run: an old tree whose replacement never arrived is put back
 * (the output is then fully old), every other temp or old tree is deleted (they hold the join token).
 */
export function recoverNodeFiles(out: string): string[] {
  const target = path.resolve(out);
  const parent = path.dirname(target);
  const found = leftovers(parent, path.basename(target));
  const done: string[] = [];
  if (!fs.existsSync(target) && found.old.length === 1) {
    fs.renameSync(found.old[0], target);
    done.push(`restored ${target} from ${found.old[0]} (a run was killed mid-swap)`);
    found.old = [];
  }
  for (const dir of [...found.tmp, ...found.old]) {
    fs.rmSync(dir, { recursive: true, force: true });
    done.push(`deleted ${dir} (left by a killed run)`);
  }
  return done;
}

/** Cleanups of the writes in progress; run by the signal and exit handlers below. */
const pending = new Set<() => void>();
let handlersInstalled = false;

/**
 * While `work` runs, SIGINT/SIGTERM/SIGHUP cannot kill the process half-way (Node delivers a
 * signal only between synchronous steps): the signal is held, the temp tree is deleted, and the
 * process then exits as the signal asked (130, 143, 129). The handlers stay installed for the
 * life of the process, because Node may deliver a signal sent mid-write only a few event-loop
 * turns later. A SIGKILL leaves the temp tree; the next run deletes it first.
 */
function withCleanup<T>(cleanup: () => void, work: () => T): T {
  if (!handlersInstalled) {
    handlersInstalled = true;
    const codes: Record<string, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };
    for (const signal of Object.keys(codes)) {
      process.on(signal, () => {
        for (const c of pending) c();
        process.exit(codes[signal]);
      });
    }
    process.on('exit', () => {
      for (const c of pending) c();
    });
  }
  pending.add(cleanup);
  try {
    return work();
  } finally {
    cleanup();
    pending.delete(cleanup);
  }
}

/**
 * Writes `<out>/<hostname>/{user-data,network-config}` (files 0600, dirs 0700). Everything goes
 * to a temp dir next to `out` first; only a complete tree replaces the previous one (two renames),
 * so a failure leaves any earlier output untouched. Temp trees never outlive the run, except after
 * a SIGKILL, and then the next run deletes them first.
 */
export function writeNodeFiles(out: string, nodes: readonly NodeBootFiles[], hooks: WriteHooks = {}): string {
  const target = path.resolve(out);
  const parent = path.dirname(target);
  const base = path.basename(target);
  recoverNodeFiles(target);
  if (fs.existsSync(target) && !isReplaceable(target)) {
    throw new Error(
      `${target} exists and was not written by edge:nodes (no ${OUTPUT_MARKER} inside); refusing to replace it. ` +
        'Pick another --out, or remove it yourself.',
    );
  }
  fs.mkdirSync(parent, { recursive: true });
  let tmp: string | undefined;
  let old: string | undefined;
  const cleanup = () => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    // The old tree goes back if the new one never arrived; otherwise it is garbage.
    if (old && fs.existsSync(old)) {
      if (!fs.existsSync(target)) fs.renameSync(old, target);
      else fs.rmSync(old, { recursive: true, force: true });
    }
    tmp = old = undefined;
  };
  return withCleanup(cleanup, () => {
    tmp = fs.mkdtempSync(path.join(parent, `.${base}.tmp-`));
    fs.chmodSync(tmp, 0o700);
    const write = (file: string, data: string) => {
      fs.writeFileSync(file, data, { mode: 0o600, flag: 'wx' });
      fs.chmodSync(file, 0o600);
      hooks.afterFile?.(file);
    };
    write(path.join(tmp, OUTPUT_MARKER), 'Per-node boot files generated by `npm run edge:nodes`; this whole directory is replaced on every run.\n');
    for (const node of nodes) {
      const dir = path.join(tmp, node.hostname);
      fs.mkdirSync(dir, { mode: 0o700 });
      fs.chmodSync(dir, 0o700);
      write(path.join(dir, 'user-data'), node.userData);
      write(path.join(dir, 'network-config'), node.networkConfig);
    }
    // Swap: old out aside, new one in, then drop the old one (cleanup puts it back on failure).
    if (fs.existsSync(target)) {
      old = path.join(parent, `.${base}.old-${crypto.randomBytes(4).toString('hex')}`);
      fs.renameSync(target, old);
    }
    fs.renameSync(tmp, target);
    tmp = undefined;
    return target;
  });
}
