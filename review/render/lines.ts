/** Lines shared by the text and markdown renderings, so both say exactly the same thing. */
import { formatPath } from '../fieldDiff';
import { formatChange, formatValue } from '../format';
import { countSection, type Counts, type Entry, type FieldChange, type Section } from '../model';

/** More field lines than this per object stop helping a reviewer; the PR's file diff has the rest. */
export const MAX_FIELD_LINES = 40;

const STATUS_MARK = { added: '+', removed: '-', changed: '~' } as const;

function fieldLine(field: FieldChange): string {
  const path = formatPath(field.path) || '(whole value)';
  if (field.op === 'added') return `+ ${path}: ${formatValue(field.new)}`;
  if (field.op === 'removed') return `- ${path}: ${formatValue(field.old)}`;
  const [from, to] = formatChange(field.old, field.new);
  return `~ ${path}: ${from} → ${to}`;
}

/** `~ Deployment web/nginx (nginx.yaml)` followed by its indented field lines. */
export function entryLines(entry: Entry): string[] {
  const head = `${STATUS_MARK[entry.status]} ${entry.label}${entry.file ? ` (${entry.file})` : ''}`;
  const fields = entry.fields.slice(0, MAX_FIELD_LINES).map((f) => `    ${fieldLine(f)}`);
  const hidden = entry.fields.length - MAX_FIELD_LINES;
  return [head, ...fields, ...(hidden > 0 ? [`    … and ${hidden} more field changes`] : [])];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `2 changed, 1 removed, 3 risks`: only the non-zero counts. */
export function countsText(counts: Counts): string {
  const parts = [
    counts.added && `${counts.added} added`,
    counts.removed && `${counts.removed} removed`,
    counts.changed && `${counts.changed} changed`,
    counts.risks && plural(counts.risks, 'risk'),
  ].filter(Boolean);
  return parts.join(', ');
}

export function totalCounts(sections: readonly Section[]): Counts {
  return sections.map(countSection).reduce(
    (sum, c) => ({ added: sum.added + c.added, removed: sum.removed + c.removed, changed: sum.changed + c.changed, risks: sum.risks + c.risks }),
    { added: 0, removed: 0, changed: 0, risks: 0 },
  );
}
