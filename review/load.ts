/**
 * Reads a tree to compare. Two shapes:
 *   - shaped like dist/: every folder but `infra` is an environment holding `*.yaml` (flat, as
 *     synthesis writes them); `infra/*.plan.json` holds one Pulumi plan per stack;
 *   - one flat environment folder (`dist/dev/`, or any folder of YAML files and no sub-folders).
 * Whatever fits neither (a file at the top of a dist/-shaped tree, a symlink, a non-YAML file, a
 * nested folder, a hidden entry) is not silently dropped: it is returned as `unplaced`, and the
 * diff compares it byte for byte and names it.
 */
import { createHash } from 'crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, statSync } from 'fs';
import { join } from 'path';
import { UsageError } from './errors';
import type { Manifest, PlanResource, Tree, Unplaced } from './model';
import { parseManifests, parsePlan } from './parse';

const PLAN_SUFFIX = '.plan.json';
const YAML = /\.ya?ml$/;
/** Left by a killed `npm run synth` (synth/publish.ts); the tree is then half old, half new. */
const PUBLISH_JOURNAL = '.synth-journal.json';

const sortedNames = (dir: string) => readdirSync(dir).sort();
const sha1 = (data: Buffer | string) => createHash('sha1').update(data).digest('hex');

/** What an entry is, for the byte-for-byte comparison of what cannot be placed. */
function fingerprint(path: string): string {
  const st = lstatSync(path);
  if (st.isSymbolicLink()) return `symlink → ${readlinkSync(path)}`;
  if (st.isDirectory()) return `folder: ${sortedNames(path).map((e) => `${e} ${fingerprint(join(path, e))}`).join(', ')}`;
  if (st.isFile()) return `sha1 ${sha1(readFileSync(path))}`;
  return 'special file';
}

interface Loader {
  readonly root: string;
  readonly unplaced: Unplaced[];
  readonly bytes: Map<string, string>;
}

function unplace(loader: Loader, rel: string, reason: string): void {
  loader.unplaced.push({ path: rel, reason, fingerprint: fingerprint(join(loader.root, rel)) });
}

/** `*.yaml` of one environment folder (`rel` is '' for a flat tree); everything else there is unplaced. */
function loadEnv(loader: Loader, rel: string, env: string): Manifest[] {
  const dir = join(loader.root, rel);
  return sortedNames(dir).flatMap((name) => {
    const path = join(dir, name);
    const relPath = rel ? `${rel}/${name}` : name;
    const st = lstatSync(path);
    if (name.startsWith('.')) return unplace(loader, relPath, 'a hidden entry'), [];
    if (st.isSymbolicLink()) return unplace(loader, relPath, 'a symlink (never followed)'), [];
    if (st.isDirectory()) return unplace(loader, relPath, 'a folder inside an environment folder (environments are flat)'), [];
    if (!st.isFile() || !YAML.test(name)) return unplace(loader, relPath, 'not a *.yaml file'), [];
    const text = readFileSync(path);
    loader.bytes.set(relPath, sha1(text));
    return parseManifests(env, name, text.toString('utf8'), path);
  });
}

function loadPlans(loader: Loader): PlanResource[] {
  const dir = join(loader.root, 'infra');
  return sortedNames(dir).flatMap((name) => {
    const path = join(dir, name);
    const st = lstatSync(path);
    if (st.isSymbolicLink()) return unplace(loader, `infra/${name}`, 'a symlink (never followed)'), [];
    if (!st.isFile() || !name.endsWith(PLAN_SUFFIX)) return unplace(loader, `infra/${name}`, `not a *${PLAN_SUFFIX} file`), [];
    const text = readFileSync(path);
    loader.bytes.set(`infra/${name}`, sha1(text));
    return parsePlan(name.slice(0, -PLAN_SUFFIX.length), text.toString('utf8'), path);
  });
}

/** `flatName`: the section title for a flat environment folder. */
export function loadTree(root: string, flatName = 'manifests'): Tree {
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new UsageError(`${root} is not a directory`, 'pass a synthesized tree shaped like dist/, or one environment folder such as dist/dev (npm run synth creates dist/)');
  }
  if (existsSync(join(root, PUBLISH_JOURNAL))) {
    throw new UsageError(`${root} is in the middle of an interrupted publish (${PUBLISH_JOURNAL} is there)`, 'run npm run synth once to complete it, then compare');
  }
  const loader: Loader = { root, unplaced: [], bytes: new Map() };
  const names = sortedNames(root);
  const isDir = (name: string) => lstatSync(join(root, name)).isDirectory();
  const folders = names.filter((n) => !n.startsWith('.') && isDir(n));
  const topYaml = names.filter((n) => YAML.test(n) && lstatSync(join(root, n)).isFile());

  if (folders.length === 0 && topYaml.length > 0) {
    return { shape: 'flat', manifests: loadEnv(loader, '', flatName), resources: [], unplaced: loader.unplaced, bytes: loader.bytes };
  }
  const manifests: Manifest[] = [];
  let resources: PlanResource[] = [];
  for (const name of names) {
    const st = lstatSync(join(root, name));
    if (name.startsWith('.')) unplace(loader, name, 'a hidden entry');
    else if (st.isSymbolicLink()) unplace(loader, name, 'a symlink (never followed)');
    else if (!st.isDirectory()) {
      unplace(loader, name, `a file at the top of a dist/-shaped tree (only <env>/*.yaml and infra/*${PLAN_SUFFIX} are compared)`);
    } else if (name === 'infra') resources = loadPlans(loader);
    else manifests.push(...loadEnv(loader, name, name));
  }
  return { shape: folders.length === 0 ? 'empty' : 'dist', manifests, resources, unplaced: loader.unplaced, bytes: loader.bytes };
}

/** Refuses to compare a flat environment folder with a dist/-shaped tree: every object would read as moved. */
export function assertComparable(a: Tree, b: Tree, dirA: string, dirB: string): void {
  const shapes = new Set([a.shape, b.shape].filter((s) => s !== 'empty'));
  if (shapes.size > 1) {
    const what = (t: Tree, d: string) => `${d} is ${t.shape === 'flat' ? 'one environment folder (YAML files, no sub-folders)' : 'a dist/-shaped tree (<env>/ folders)'}`;
    throw new UsageError(`${what(a, dirA)}, but ${what(b, dirB)}`, 'compare like with like: two dist/ trees, or two environment folders such as dist/dev and another dev folder');
  }
}
