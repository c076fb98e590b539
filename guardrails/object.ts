/**
 * Defensive accessors for manifests of unknown shape. The validator must never crash on odd input
 * (null documents, scalars, wrong types): malformed fields read as "absent" here, and the schema rule
 * is the one that reports them.
 */

export type JsonObject = Record<string, unknown>;

export function asObject(value: unknown): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The non-null objects of an array field; other entries are the schema rule's business. */
export function objects(value: unknown): JsonObject[] {
  return asArray(value).map(asObject).filter((o): o is JsonObject => o !== undefined);
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Follows a path of keys; any missing or non-object step yields undefined. */
export function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    const o = asObject(current);
    if (!o) return undefined;
    current = o[key];
  }
  return current;
}

/** A string-to-string map such as labels or a Service selector; non-string values are dropped. */
export function stringMap(value: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, v] of Object.entries(asObject(value) ?? {})) {
    if (typeof v === 'string') result[key] = v;
  }
  return result;
}
