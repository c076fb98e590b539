/** Short, one-line renderings of values for diff lines and risk lines. */

/** Longest rendering of one value; longer ones are cut with `…`. */
export const VALUE_LIMIT = 60;

/** Words, images, paths and quantities print bare; anything else as compact JSON. */
function render(value: unknown): string {
  if (value === undefined) return '(none)';
  if (typeof value === 'string' && /^[\w./:@+-]+$/.test(value)) return value;
  return JSON.stringify(value);
}

function cut(text: string): string {
  return text.length <= VALUE_LIMIT ? text : `${text.slice(0, VALUE_LIMIT - 1)}…`;
}

export function formatValue(value: unknown): string {
  return cut(render(value));
}

/**
 * Both sides of a change. When long values share a prefix (scripts, user-data, JSON policies),
 * each side starts shortly before the first difference so the change itself stays visible.
 */
export function formatChange(oldValue: unknown, newValue: unknown): [string, string] {
  const a = render(oldValue);
  const b = render(newValue);
  if (a.length <= VALUE_LIMIT && b.length <= VALUE_LIMIT) return [a, b];
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  const start = Math.max(0, common - 20);
  const window = (text: string) => cut(start > 0 ? `…${text.slice(start)}` : text);
  return [window(a), window(b)];
}
