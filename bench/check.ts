/** Sanity checks on a contender's output, so a broken contender cannot look fast. */
import { parseAllDocuments } from 'yaml';
import { appName } from './spec';

export const KINDS = ['Deployment', 'Service', 'PodDisruptionBudget', 'HorizontalPodAutoscaler'] as const;

/** YAML documents in `text`: `---` separator lines, plus a first document without one. */
export function countDocuments(text: string): number {
  const separators = text.match(/^---[ \t]*$/gm)?.length ?? 0;
  const body = text.replace(/^(#.*|\s*)\n/gm, '');
  return separators + (body.trim() && !body.startsWith('---') ? 1 : 0);
}

export interface Checked {
  readonly problems: string[];
  readonly objects: Record<string, unknown>[];
}

/** Parses every document with `yaml` and checks: 4N objects, N of each kind, named web-0000.. */
export function checkManifests(text: string, n: number): Checked {
  const problems: string[] = [];
  const docs = countDocuments(text);
  if (docs !== 4 * n) problems.push(`${docs} documents, expected ${4 * n}`);
  const parsed = parseAllDocuments(text);
  const list = Array.isArray(parsed) ? parsed : [parsed];
  const objects: Record<string, unknown>[] = [];
  for (const doc of list) {
    if (doc.errors.length) {
      problems.push(`YAML error: ${doc.errors[0].message}`);
      break;
    }
    const value = doc.toJS() as Record<string, unknown> | null;
    if (value !== null) objects.push(value);
  }
  if (objects.length !== 4 * n) problems.push(`${objects.length} objects parsed, expected ${4 * n}`);
  const expected = Array.from({ length: n }, (_, i) => appName(i)).sort().join(',');
  for (const kind of KINDS) {
    const names = objects
      .filter((o) => o.kind === kind)
      .map((o) => (o.metadata as { name?: string } | undefined)?.name ?? '')
      .sort()
      .join(',');
    if (names !== expected) problems.push(`${kind} objects are not exactly ${appName(0)}..${appName(n - 1)}`);
  }
  return { problems, objects };
}

/** Order-independent text of a set of objects (keys sorted, objects sorted), for equality. */
export function canonical(objects: readonly unknown[]): string {
  const sortKeys = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sortKeys)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]))
        : v;
  return objects.map((o) => JSON.stringify(sortKeys(o))).sort().join('\n');
}
