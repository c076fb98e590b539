/**
 * Structural diff of two parsed YAML/JSON values into leaf-level field changes.
 * Lists whose items all carry a unique `name` (containers, env, ports, volumes...) are matched by
 * name, so inserting a container reads as one added item, not as every later index changing.
 */
import type { FieldChange, Segment } from './model';

type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  if (isPlain(a) && isPlain(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/** Item names when every item is an object with a string `name` and no name repeats; else undefined. */
function namesOf(list: readonly unknown[]): string[] | undefined {
  const names = list.map((item) => (isPlain(item) && typeof item.name === 'string' ? item.name : undefined));
  if (names.some((n) => n === undefined)) return undefined;
  const defined = names as string[];
  return new Set(defined).size === defined.length ? defined : undefined;
}

const isScalar = (value: unknown) => !isPlain(value) && !Array.isArray(value);

export function diffValues(a: unknown, b: unknown, path: readonly Segment[] = []): FieldChange[] {
  if (deepEqual(a, b)) return [];
  if (isPlain(a) && isPlain(b)) {
    const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => !(k in a))];
    return keys.flatMap((key) => {
      const child = [...path, { key }];
      if (!(key in b)) return [{ path: child, op: 'removed' as const, old: a[key] }];
      if (!(key in a)) return [{ path: child, op: 'added' as const, new: b[key] }];
      return diffValues(a[key], b[key], child);
    });
  }
  if (Array.isArray(a) && Array.isArray(b)) return diffLists(a, b, path);
  return [{ path, op: 'changed', old: a, new: b }];
}

function diffLists(a: readonly unknown[], b: readonly unknown[], path: readonly Segment[]): FieldChange[] {
  // Argument and CIDR lists read best whole: `[--a, --b] → [--a, --c]`.
  if (a.every(isScalar) && b.every(isScalar)) return [{ path, op: 'changed', old: a, new: b }];
  const namesA = namesOf(a);
  const namesB = namesOf(b);
  if (namesA && namesB) {
    const names = [...namesA, ...namesB.filter((n) => !namesA.includes(n))];
    return names.flatMap((name) => {
      const child = [...path, { name }];
      const ia = namesA.indexOf(name);
      const ib = namesB.indexOf(name);
      if (ib < 0) return [{ path: child, op: 'removed' as const, old: a[ia] }];
      if (ia < 0) return [{ path: child, op: 'added' as const, new: b[ib] }];
      return diffValues(a[ia], b[ib], child);
    });
  }
  return Array.from({ length: Math.max(a.length, b.length) }, (_, index) => index).flatMap((index) => {
    const child = [...path, { index }];
    if (index >= b.length) return [{ path: child, op: 'removed' as const, old: a[index] }];
    if (index >= a.length) return [{ path: child, op: 'added' as const, new: b[index] }];
    return diffValues(a[index], b[index], child);
  });
}

/** `spec.template.spec.containers[nginx].image`; keys that aren't identifiers get quoted brackets. */
export function formatPath(path: readonly Segment[]): string {
  return path
    .map((segment, i) => {
      if ('index' in segment) return `[${segment.index}]`;
      if ('name' in segment) return `[${segment.name}]`;
      if (/^[A-Za-z_$][\w$-]*$/.test(segment.key)) return i === 0 ? segment.key : `.${segment.key}`;
      return `[${JSON.stringify(segment.key)}]`;
    })
    .join('');
}

/** True when `path` is `prefix` or lies under it; `prefix` is written in keys only. */
export function isUnder(path: readonly Segment[], prefix: readonly string[]): boolean {
  return prefix.every((key, i) => {
    const segment = path[i];
    return segment !== undefined && 'key' in segment && segment.key === key;
  });
}
