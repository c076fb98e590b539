import type { ToStringOptions } from 'yaml';
import { doubleQuoted, isYaml11Typed, needsQuotesFor11 } from '../contracts/yaml';

/**
 * A YAML writer for Kubernetes objects (plain JSON data), written for speed: synthesis of thousands
 * of objects is dominated by the generic `yaml` serializer. It emits exactly what
 * `yaml.stringify(object, { lineWidth: 0 })` emits — block style, 2-space indents, sequences
 * indented under their key — and hands every scalar it is not certain about (quoting, block
 * scalars, odd keys) to the `yaml` package itself, so the output stays standard and identical.
 */

const OPTIONS: ToStringOptions & { aliasDuplicateObjects: boolean } = { lineWidth: 0, aliasDuplicateObjects: false };

// A plain scalar that cannot be read back as anything but the same string, in YAML 1.1 or 1.2.
const PLAIN = /^[A-Za-z_/.][A-Za-z0-9_./@=+-]*(?::[A-Za-z0-9_./@=+-]+)*$|^[0-9][A-Za-z0-9_./@=+-]*[A-Za-z_/@=+-][A-Za-z0-9_./@=+-]*(?::[A-Za-z0-9_./@=+-]+)*$/;
const RESERVED = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|\.inf|\.Inf|\.INF|\.nan|\.NaN|\.NAN|[-+]?\.(?:inf|Inf|INF))$/;
const NUMBERISH = /^[-+]?(?:0x|0o|0b)|^[-+]?[0-9._]+(?:e[-+]?[0-9]+)?$|^[0-9]+e/i;

/** Line breaks in YAML 1.1 only. */
const UNICODE_BREAK = /[\u0085\u2028\u2029]/;

let yamlStringify: ((value: unknown, options: ToStringOptions) => string) | undefined;

/**
 * The `yaml` package's rendering of one scalar, for the cases the fast path leaves to it. That
 * package quotes for YAML 1.2 only, so a one-line string it leaves plain that a YAML 1.1 reader
 * (go-yaml v2, PyYAML) would misread — `1:2:3`, `2001-12-14`, a tab — is double-quoted here.
 */
function slowScalar(value: unknown): string {
  yamlStringify ??= require('yaml').stringify;
  const text = yamlStringify!(value, OPTIONS).replace(/\n$/, '');
  if (typeof value === 'string' && needsQuotesFor11(value) && (text === value || UNICODE_BREAK.test(value))) return doubleQuoted(value);
  return text;
}

// Kubernetes objects repeat the same keys and many of the same values (every environment renders
// the same add-on CRDs, descriptions included): verdicts and the `yaml` package's renderings are
// kept, up to a bound, so millions of distinct strings cannot grow them without limit.
const plainVerdicts = new Map<string, boolean>();
const MAX_VERDICTS = 20_000;
const slowStrings = new Map<string, string>();
const MAX_SLOW_STRINGS = 5_000;

/** slowScalar of a string one line (`one`), under a key (`key`) or as a sequence item (`item`), remembered. */
function slowString(s: string, position: 'one' | 'key' | 'item'): string {
  const id = position + s;
  let text = slowStrings.get(id);
  if (text === undefined) {
    text = position === 'one' ? slowScalar(s) : position === 'key' ? slowScalar({ k: s }).slice('k: '.length) : slowScalar([s]).slice('- '.length);
    if (slowStrings.size < MAX_SLOW_STRINGS) slowStrings.set(id, text);
  }
  return text;
}

function isPlain(s: string): boolean {
  let verdict = plainVerdicts.get(s);
  if (verdict === undefined) {
    verdict = PLAIN.test(s) && !RESERVED.test(s) && !NUMBERISH.test(s) && !isYaml11Typed(s);
    if (plainVerdicts.size < MAX_VERDICTS) plainVerdicts.set(s, verdict);
  }
  return verdict;
}

/** `value` as it follows `key:` (underKey) or `- ` at `indent`: one line, or a re-indented block scalar. */
function scalar(value: string | number | boolean, indent: string, underKey: boolean): string {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : slowScalar(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (isPlain(value)) return value;
  if (!value.includes('\n')) return slowString(value, 'one');
  if (UNICODE_BREAK.test(value)) return doubleQuoted(value); // a YAML 1.1 reader would split a block scalar there
  // Block scalars: render in the same position (under a key, or as an item) one level deep, whose
  // content sits 2 columns in, then move the content lines under `indent`.
  const text = slowString(value, underKey ? 'key' : 'item');
  return text.replace(/\n(?=[^\n])/g, `\n${indent}`);
}

function key(k: string): string {
  if (isPlain(k)) return k;
  // A block scalar cannot be a key: a multi-line key is double-quoted.
  return k.includes('\n') ? doubleQuoted(k) : slowString(k, 'one');
}

function isEmpty(value: object): boolean {
  if (Array.isArray(value)) return value.length === 0;
  for (const _ in value) return false;
  return true;
}

function mapping(obj: Record<string, unknown>, indent: string): string {
  let out = '';
  for (const k in obj) {
    const v = obj[k];
    if (v === undefined) continue;
    out += indent + key(k) + ':' + afterIndicator(v, indent, true);
  }
  return out;
}

function sequence(items: readonly unknown[], indent: string): string {
  let out = '';
  const inner = indent + '  ';
  for (const item of items) {
    if (item !== null && typeof item === 'object' && !isEmpty(item)) {
      // The first line of the nested block takes the place of the dash's indentation.
      const block = Array.isArray(item) ? sequence(item, inner) : mapping(item as Record<string, unknown>, inner);
      out += indent + '- ' + block.slice(inner.length);
    } else {
      out += indent + '-' + afterIndicator(item, indent, false);
    }
  }
  return out;
}

/** What follows `key:` (or `-`): ` scalar`, ` {}`, ` []`, or a newline and the nested block. */
function afterIndicator(v: unknown, indent: string, underKey: boolean): string {
  if (v === null) return ' null\n';
  if (typeof v === 'object') {
    if (isEmpty(v)) return Array.isArray(v) ? ' []\n' : ' {}\n';
    // Sequences under a key are indented by 2, like mappings.
    return '\n' + (Array.isArray(v) ? sequence(v, indent + '  ') : mapping(v as Record<string, unknown>, indent + '  '));
  }
  return ' ' + scalar(v as string | number | boolean, indent, underKey) + '\n';
}

/** Multi-document YAML, each document starting with `---`, stable across runs and machines. */
export function toYamlDocuments(objects: readonly unknown[]): string {
  let out = '';
  for (const o of objects) out += '---\n' + mapping(o as Record<string, unknown>, '');
  return out;
}
