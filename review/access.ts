/** Reading into untyped parsed YAML without casts at every step. */

export function at(value: unknown, ...keys: readonly string[]): unknown {
  return keys.reduce<unknown>(
    (current, key) =>
      typeof current === 'object' && current !== null && !Array.isArray(current)
        ? (current as Record<string, unknown>)[key]
        : undefined,
    value,
  );
}

/** A string-valued map such as labels or a selector; non-string values are dropped. */
export function stringMap(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
