import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { RenderedEnvironment } from './render';

function writeTree(dir: string, rendered: RenderedEnvironment): void {
  mkdirSync(dir, { recursive: true });
  for (const file of rendered.files) writeFileSync(join(dir, file.name), file.content);
}

/** Writes `rendered` under `root/<env>/` as a plain tree (the cdk8s CLI's scratch output). */
export function writeStaging(root: string, rendered: readonly RenderedEnvironment[]): void {
  for (const r of rendered) writeTree(join(root, r.env.name), r);
}

/**
 * Replaces `distDir/<env>/` with the rendered files. Everything is written beside the target
 * first and swapped in by renames, so a crash mid-way leaves either the old or the new tree,
 * never a half-written one; callers publish only after every environment rendered and validated.
 */
export function publish(distDir: string, rendered: readonly RenderedEnvironment[]): void {
  mkdirSync(distDir, { recursive: true });
  const staged = rendered.map((r) => {
    const next = join(distDir, `.${r.env.name}.next`);
    rmSync(next, { recursive: true, force: true });
    writeTree(next, r);
    return { next, target: join(distDir, r.env.name), old: join(distDir, `.${r.env.name}.old`) };
  });
  for (const { next, target, old } of staged) {
    rmSync(old, { recursive: true, force: true });
    if (existsSync(target)) renameSync(target, old);
    renameSync(next, target);
    rmSync(old, { recursive: true, force: true });
  }
}
