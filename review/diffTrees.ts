/**
 * The core: two parsed trees in, a report out. Pure, so tests and renderers need no files.
 */
import { diffValues } from './fieldDiff';
import { idKey, objectId, objectLabel } from './identity';
import { RISK_RULES, type Entry, type Manifest, type PlanResource, type Report, type Risk, type Section, type Tree } from './model';
import { changeRisks, destroyRisk, pruneRisks, type Removed } from './rules';

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

const sortedUnion = (a: Iterable<string>, b: Iterable<string>) => [...new Set([...a, ...b])].sort();

/** Risks in rule order (what fails first), entry order within a rule. */
function byRule(risks: readonly Risk[]): Risk[] {
  return [...risks].sort((x, y) => RISK_RULES.indexOf(x.rule) - RISK_RULES.indexOf(y.rule));
}

/** Objects of one environment by identity; a repeated identity keeps the last (as kubectl would). */
function indexManifests(manifests: readonly Manifest[], env: string, notes: string[]): Map<string, Manifest> {
  const index = new Map<string, Manifest>();
  for (const manifest of manifests) {
    const key = idKey(objectId(manifest.object));
    const earlier = index.get(key);
    if (earlier) {
      notes.push(`${env}: ${objectLabel(objectId(manifest.object))} is defined twice (${earlier.file}, ${manifest.file}); the last one is compared`);
    }
    index.set(key, manifest);
  }
  return index;
}

function diffEnv(env: string, a: readonly Manifest[], b: readonly Manifest[], notes: string[]): Section {
  const before = indexManifests(a, env, notes);
  const after = indexManifests(b, env, notes);
  const context = { objects: [...after.values()].map((m) => m.object), before: [...before.values()].map((m) => m.object) };
  const entries: Entry[] = [];
  const risks: Risk[] = [];
  const removed: Removed[] = [];
  for (const key of sortedUnion(before.keys(), after.keys())) {
    const old = before.get(key);
    const now = after.get(key);
    const id = objectId((now ?? (old as Manifest)).object);
    const label = objectLabel(id);
    if (!now) {
      entries.push({ status: 'removed', label, file: old?.file, fields: [] });
      removed.push({ id, label });
    } else if (!old) {
      entries.push({ status: 'added', label, file: now.file, fields: [] });
    } else {
      const fields = diffValues(old.object, now.object);
      if (fields.length === 0) continue;
      entries.push({ status: 'changed', label, file: now.file, fields });
      risks.push(...changeRisks({ id, label, old: old.object, new: now.object, fields }, context));
    }
  }
  return { title: env, entries, risks: byRule([...pruneRisks(removed), ...risks]) };
}

function diffStack(stack: string, a: readonly PlanResource[], b: readonly PlanResource[]): Section {
  const key = (r: PlanResource) => `${r.type} ${r.name}`;
  const before = new Map(a.map((r) => [key(r), r]));
  const after = new Map(b.map((r) => [key(r), r]));
  const entries: Entry[] = [];
  const risks: Risk[] = [];
  for (const label of sortedUnion(before.keys(), after.keys())) {
    const old = before.get(label);
    const now = after.get(label);
    if (!now) {
      entries.push({ status: 'removed', label, fields: [] });
      risks.push(destroyRisk(label, stack));
    } else if (!old) {
      entries.push({ status: 'added', label, fields: [] });
    } else {
      const fields = diffValues(old.inputs, now.inputs);
      if (fields.length > 0) entries.push({ status: 'changed', label, fields });
    }
  }
  return { title: `infra/${stack}`, entries, risks };
}

/** Entries neither side could place, compared byte for byte; each is named in a note. */
function diffUnplaced(a: Tree, b: Tree, notes: string[]): Section {
  const before = new Map((a.unplaced ?? []).map((u) => [u.path, u]));
  const after = new Map((b.unplaced ?? []).map((u) => [u.path, u]));
  const entries: Entry[] = [];
  for (const path of sortedUnion(before.keys(), after.keys())) {
    const old = before.get(path);
    const now = after.get(path);
    notes.push(`${path}: not compared as a manifest or plan: ${(now ?? old)!.reason}; compared byte for byte`);
    if (!now) entries.push({ status: 'removed', label: path, fields: [] });
    else if (!old) entries.push({ status: 'added', label: path, fields: [] });
    else if (old.fingerprint !== now.fingerprint) entries.push({ status: 'changed', label: path, fields: [{ path: [], op: 'changed', old: old.fingerprint, new: now.fingerprint }] });
  }
  return { title: 'files that are neither manifests nor plans', entries, risks: [] };
}

/** Placed files whose bytes differ although their objects are equal (formatting, order, comments). */
function byteDifferences(a: Tree, b: Tree): string[] {
  if (!a.bytes || !b.bytes) return [];
  return sortedUnion(a.bytes.keys(), b.bytes.keys()).filter((path) => a.bytes!.get(path) !== b.bytes!.get(path));
}

export function diffTrees(a: Tree, b: Tree, notes: readonly string[] = []): Report {
  const found: string[] = [...notes];
  const envsA = groupBy(a.manifests, (m) => m.env);
  const envsB = groupBy(b.manifests, (m) => m.env);
  const stacksA = groupBy(a.resources, (r) => r.stack);
  const stacksB = groupBy(b.resources, (r) => r.stack);
  const sections = [
    ...sortedUnion(envsA.keys(), envsB.keys()).map((env) => diffEnv(env, envsA.get(env) ?? [], envsB.get(env) ?? [], found)),
    ...sortedUnion(stacksA.keys(), stacksB.keys()).map((stack) => diffStack(stack, stacksA.get(stack) ?? [], stacksB.get(stack) ?? [])),
  ];
  sections.push(diffUnplaced(a, b, found));
  const changed = sections.filter((s) => s.entries.length > 0);
  return { sections: changed, notes: found, ...(changed.length === 0 ? { byteDifferences: byteDifferences(a, b) } : {}) };
}
