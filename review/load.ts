/**
 * Reads a tree shaped like dist/: every folder but `infra` is an environment holding `*.yaml`
 * (flat, as cdk8s writes them); `infra/*.plan.json` holds one Pulumi plan per stack.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';
import { UsageError } from './errors';
import type { Manifest, PlanResource, Tree } from './model';
import { parseManifests, parsePlan } from './parse';

const PLAN_SUFFIX = '.plan.json';

const sortedEntries = (dir: string) => readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));

function loadEnv(root: string, env: string): Manifest[] {
  return sortedEntries(join(root, env))
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .flatMap((entry) => {
      const path = join(root, env, entry.name);
      return parseManifests(env, entry.name, readFileSync(path, 'utf8'), path);
    });
}

function loadPlans(root: string): PlanResource[] {
  const dir = join(root, 'infra');
  if (!existsSync(dir)) return [];
  return sortedEntries(dir)
    .filter((entry) => entry.isFile() && entry.name.endsWith(PLAN_SUFFIX))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      return parsePlan(entry.name.slice(0, -PLAN_SUFFIX.length), readFileSync(path, 'utf8'), path);
    });
}

export function loadTree(root: string): Tree {
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new UsageError(`${root} is not a directory`, 'pass a synthesized tree shaped like dist/ (run npx cdk8s synth to create dist/)');
  }
  const envs = sortedEntries(root).filter((entry) => entry.isDirectory() && entry.name !== 'infra' && !entry.name.startsWith('.'));
  return { manifests: envs.flatMap((env) => loadEnv(root, env.name)), resources: loadPlans(root) };
}
