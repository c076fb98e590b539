import type { Event, ScalarEvent } from 'js-yaml';

/**
 * YAML the way kubectl reads it, fast. kubectl decodes YAML 1.1 (go-yaml v2 via sigs.k8s.io/yaml):
 * `yes`/`on`/`y` are booleans, `0644` is octal (a volume's defaultMode), `<<` merges, and timestamps stay
 * strings (go-yaml keeps them strings when decoding into interface{}). js-yaml's YAML 1.1 schema minus
 * timestamps gives exactly that, ~10× faster than the `yaml` package on a 2,000-file corpus.
 * js-yaml is loaded on first use so `--help` and `--list-rules` start without it.
 */
type JsYaml = typeof import('js-yaml');
let jsYaml: JsYaml | undefined;
let schema: import('js-yaml').Schema | undefined;

function lib(): JsYaml {
  jsYaml ??= require('js-yaml') as JsYaml;
  return jsYaml;
}

/** Aliases per document: enough for any hand-written manifest, far too few for a "billion laughs". */
export const MAX_ALIASES = 100;
/** Nodes one document may expand to through aliases (shared references are counted each time they occur). */
export const MAX_EXPANDED_NODES = 1_000_000;

export interface ParsedDocument {
  readonly value: unknown;
  /** 1-based line of the line where the document's content starts. */
  readonly line: number;
  /** Position among the text's documents, for locateLine. */
  readonly index: number;
}

/** A YAML error with its 1-based line, when the parser knows it. */
export class YamlError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

/** Splits `spec.containers[0]["a.b"].image` into `['spec', 'containers', 0, 'a.b', 'image']`. */
export function fieldPath(field: string): (string | number)[] {
  const path: (string | number)[] = [];
  const token = /([^.[\]"]+)|\[(\d+)\]|\["([^"]*)"\]/g;
  for (let m = token.exec(field); m; m = token.exec(field)) path.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : m[3]));
  return path;
}

/** Parses every document of a YAML (or JSON) text; throws YamlError on syntax errors and alias bombs. */
export function parseYamlDocuments(text: string, json = false): ParsedDocument[] {
  const y = lib();
  schema ??= new y.Schema(y.YAML11_SCHEMA.tags.filter((t) => t.tagName !== 'tag:yaml.org,2002:timestamp'));
  let events: Event[];
  let values: unknown[];
  try {
    events = y.parseEvents(text, { maxDepth: 200 });
    values = y.constructFromEvents(events, { source: text, schema: json ? y.JSON_SCHEMA : schema, json, maxAliases: MAX_ALIASES });
  } catch (error) {
    const mark = (error as { mark?: { line?: number } }).mark;
    const reason = (error as { reason?: string }).reason ?? (error as Error).message;
    if (/alias/i.test(reason) && /max|exceed|limit|too many/i.test(reason)) {
      throw new YamlError(`more than ${MAX_ALIASES} YAML aliases in one document (an alias bomb?); write the values out`, mark?.line === undefined ? undefined : mark.line + 1);
    }
    throw new YamlError(reason.split('\n')[0], mark?.line === undefined ? undefined : mark.line + 1);
  }
  const lines = lineStarts(text);
  const documents: ParsedDocument[] = [];
  let start = 0;
  values.forEach((value, index) => {
    const begin = start;
    start = subtreeEnd(events, begin);
    // Without an anchor there is no alias, and nothing to expand.
    if (text.includes('&') && expandedSize(value) > MAX_EXPANDED_NODES) {
      throw new YamlError(`a document expands to more than ${MAX_EXPANDED_NODES} nodes through YAML aliases (an alias bomb?); write the values out`);
    }
    const first = events[begin + 1];
    documents.push({ value, line: lineOf(lines, first ? offsetOf(first) : 0), index });
  });
  return documents;
}

/**
 * Line of the deepest existing node along a field path (`spec.template.spec.containers[0].image`) in
 * the `index`th document of `text`. Only each document's first line is kept when parsing; a field's
 * line is found on demand (for findings) by parsing the text again, so the event lists of thousands
 * of files are not all held at once.
 */
export function locateLine(text: string, index: number, field: string): number {
  const { events, starts, lines } = eventsOf(text);
  return lineOf(lines, locateOffset(events, starts[index] + 1, fieldPath(field), text));
}

/** The last text whose events were needed again: findings come in document order, file by file. */
let located: { text: string; events: Event[]; starts: number[]; lines: number[] } | undefined;

function eventsOf(text: string): { events: Event[]; starts: number[]; lines: number[] } {
  if (located?.text !== text) {
    const events = lib().parseEvents(text, { maxDepth: 200 });
    const starts: number[] = [];
    for (let i = 0; i < events.length; i = subtreeEnd(events, i)) starts.push(i);
    located = { text, events, starts, lines: lineStarts(text) };
  }
  return located;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineOf(starts: number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return low + 1;
}

function offsetOf(event: Event): number {
  switch (event.type) {
    case 2:
    case 3:
      return event.anchorStart >= 0 ? Math.min(event.anchorStart, event.start) : event.start;
    case 4:
      return event.valueStart;
    case 5:
      return event.anchorStart;
    default:
      return 0;
  }
}

/** Index just past the node (document, collection or scalar) that starts at `i`. */
function subtreeEnd(events: Event[], i: number): number {
  const type = events[i].type;
  if (type !== 1 && type !== 2 && type !== 3) return i + 1;
  let depth = 0;
  let j = i;
  do {
    const t = events[j].type;
    if (t === 1 || t === 2 || t === 3) depth++;
    else if (t === 6) depth--;
    j++;
  } while (depth > 0 && j < events.length);
  return j;
}

/** Offset of the deepest node along `path` from the node at `i` (a missing step stops at its parent). */
function locateOffset(events: Event[], i: number, path: (string | number)[], text: string): number {
  let at = i;
  let best = events[i] ? offsetOf(events[i]) : 0;
  for (const step of path) {
    const node = events[at];
    if (!node) break;
    let next = -1;
    let j = at + 1;
    if (node.type === 3 && typeof step === 'string') {
      while (j < events.length && events[j].type !== 6) {
        const key = events[j];
        const valueAt = subtreeEnd(events, j);
        if (key.type === 4 && lib().getScalarValue(text, key as ScalarEvent) === step) {
          best = key.valueStart;
          next = valueAt;
          break;
        }
        j = subtreeEnd(events, valueAt);
      }
    } else if (node.type === 2 && typeof step === 'number') {
      for (let k = 0; j < events.length && events[j].type !== 6; k++) {
        if (k === step) {
          best = offsetOf(events[j]);
          next = j;
          break;
        }
        j = subtreeEnd(events, j);
      }
    }
    if (next < 0) break;
    at = next;
  }
  return best;
}

/** Node count with aliases expanded (memoized per shared object, so it costs one pass over the distinct nodes). */
function expandedSize(root: unknown): number {
  const memo = new Map<object, number>();
  const size = (value: unknown): number => {
    if (value === null || typeof value !== 'object') return 1;
    const known = memo.get(value);
    if (known !== undefined) return known;
    memo.set(value, Infinity); // a cycle (an alias inside its own anchor) expands forever
    let total = 1;
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      total += size(child);
      if (total > MAX_EXPANDED_NODES) break;
    }
    memo.set(value, total);
    return total;
  };
  return size(root);
}
