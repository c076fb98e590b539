import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The fields each Kubernetes type has, read from the validators kubernetes-models (and the
 * @kubernetes-models CRD packages) compile from the OpenAPI schemas. Their validators ignore unknown
 * fields, as the OpenAPI schemas do not forbid them — but the API server rejects them (`kubectl apply`
 * validates strictly since 1.25), and a misspelled `replica:` or `readinesProbe:` silently does nothing
 * if it gets through. Each compiled file declares its properties as `void 0===data.<field>||validateN(...)`
 * and delegates to other types as `(0,_<Type>.validate)(data, ...)`; that is enough to rebuild the tree.
 */
export type FieldType =
  /** `bases`: types combined with allOf (Gateway API's CommonRouteSpec), whose fields count too. */
  | { readonly kind: 'object'; readonly fields: ReadonlyMap<string, () => FieldType>; readonly bases: ReadonlyArray<() => FieldType> }
  | { readonly kind: 'array'; readonly items: () => FieldType }
  | { readonly kind: 'map'; readonly values: () => FieldType }
  | { readonly kind: 'any' };

const ANY: FieldType = { kind: 'any' };
const byFile = new Map<string, FieldType>();

/** `@scope/pkg/sub/path` as node would find it from `from` (the packages' `exports` hide their _schemas). */
function packageFile(from: string, target: string): string | undefined {
  const parts = target.split('/');
  const name = parts.slice(0, target.startsWith('@') ? 2 : 1).join('/');
  const rest = parts.slice(name.split('/').length).join('/');
  for (let dir = dirname(from); dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(candidate)) return join(candidate, rest);
  }
  return undefined;
}

interface Compiled {
  readonly text: string;
  /** Validator names bound to other schema files: `_X` (CommonJS, called as `_X.validate`) or `validateN` (ES modules). */
  readonly modules: ReadonlyMap<string, string>;
  readonly bodies: ReadonlyMap<string, string>;
}

function compiledFile(file: string): Compiled | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const modules = new Map<string, string>();
  const bind = (name: string, target: string) => {
    const resolved = target.startsWith('.') ? join(dirname(file), target) : packageFile(file, target);
    if (resolved) modules.set(name, resolved.endsWith('.js') ? resolved : `${resolved}.js`);
  };
  for (const m of text.matchAll(/(_\w+)=require\("([^"]+)"\)/g)) bind(m[1], m[2]);
  for (const m of text.matchAll(/import\{validate as (validate\d+)\}from"([^"]+)"/g)) bind(m[1], m[2]);
  const bodies = new Map<string, string>();
  const starts = [...text.matchAll(/function (validate\d+)\(/g)];
  starts.forEach((m, i) => bodies.set(m[1], text.slice(m.index!, starts[i + 1]?.index ?? text.length)));
  return { text, modules, bodies };
}

/** A validator reference in a body: `(0,_X.validate)` (CommonJS import), or `validateN` (local or ES import). */
const REF = '(?:\\(0,(_\\w+)\\.validate\\)|(validate\\d+))';

function typeOfRef(compiled: Compiled, imported: string | undefined, local: string | undefined, seen: Set<string>): FieldType {
  const name = imported ?? local!;
  const file = compiled.modules.get(name);
  if (file) return typeOfFile(file);
  return imported ? ANY : typeOfFunction(compiled, name, seen);
}

function typeOfFunction(compiled: Compiled, name: string, seen: Set<string>): FieldType {
  const body = compiled.bodies.get(name);
  if (!body || seen.has(name)) return ANY;
  const inner = new Set(seen).add(name);
  const fields = [...body.matchAll(/void 0(?:===data\.(\w+)\|\||!==data\.(\w+)&&\()(validate\d+)\(/g)];
  const required = [...body.matchAll(/missingProperty:"(\w+)"/g)].map((m) => m[1]);
  // Validators called on the whole value (skipping the function's own signature): a wrapper (nullable,
  // $ref) when alone, allOf parts when the object also has fields of its own.
  const delegates = [...body.matchAll(new RegExp(`${REF}\\(data,\\{`, 'g'))].filter((m) => m[1] || m[2] !== name);
  const lazy = (resolve: () => FieldType) => {
    let cached: FieldType | undefined;
    return () => (cached ??= resolve());
  };
  if (fields.length > 0 || required.length > 0) {
    // An object that also iterates its keys has free-form fields: anything goes.
    if (/for\(const key\d+ in data\)/.test(body)) return ANY;
    const map = new Map<string, () => FieldType>();
    for (const field of required) map.set(field, () => ANY);
    for (const m of fields) map.set(m[1] ?? m[2], lazy(() => typeOfRef(compiled, undefined, m[3], inner)));
    return { kind: 'object', fields: map, bases: delegates.map((d) => lazy(() => typeOfRef(compiled, d[1], d[2], inner))) };
  }
  const item = new RegExp(`for\\(let i0=0;i0<len0;i0\\+\\+\\)${REF}\\(data\\[i0\\]`).exec(body);
  if (item) return { kind: 'array', items: lazy(() => typeOfRef(compiled, item[1], item[2], inner)) };
  const value = new RegExp(`for\\(const key0 in data\\)[^;]*?${REF}\\(data\\[key0\\]`).exec(body);
  if (value) return { kind: 'map', values: lazy(() => typeOfRef(compiled, value[1], value[2], inner)) };
  if (delegates.length === 1) return typeOfRef(compiled, delegates[0][1], delegates[0][2], inner);
  if (delegates.length > 1) return { kind: 'object', fields: new Map(), bases: delegates.map((d) => lazy(() => typeOfRef(compiled, d[1], d[2], inner))) };
  return ANY;
}

/** The type a compiled schema file validates (its exported `validate`). */
export function typeOfFile(file: string): FieldType {
  let type = byFile.get(file);
  if (type === undefined) {
    byFile.set(file, ANY); // cycles (JSONSchemaProps) resolve to "anything"
    const compiled = compiledFile(file);
    const main = compiled && /(?:validate=function |export const validate=)(validate\d+)/.exec(compiled.text);
    type = compiled && main ? typeOfFunction(compiled, main[1], new Set()) : ANY;
    byFile.set(file, type);
  }
  return type;
}

export interface UnknownField {
  /** `spec.replica`, `spec.template.spec.containers[0].readinesProbe`. */
  readonly field: string;
  /** The known field with the closest spelling, when one is close. */
  readonly suggestion?: string;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

/** The closest of `candidates` to `name`, if within a third of its length (at least 2 edits). */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = distance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Fields the compiled schemas lose: the generator strips JSON-schema `description` keys, which also
 * removes the real `description` fields (PriorityClass, CRD printer columns). Never reported unknown.
 */
const LOST_FIELDS: ReadonlySet<string> = new Set(['description']);

/** An object type's fields with those of its allOf parts; undefined when a part accepts anything. */
const merged = new WeakMap<FieldType, Map<string, () => FieldType> | null>();

function allFields(type: FieldType & { kind: 'object' }, depth = 0): Map<string, () => FieldType> | undefined {
  if (type.bases.length === 0) return type.fields as Map<string, () => FieldType>;
  const known = merged.get(type);
  if (known !== undefined) return known ?? undefined;
  const result = mergeFields(type, depth);
  merged.set(type, result ?? null);
  return result;
}

function mergeFields(type: FieldType & { kind: 'object' }, depth: number): Map<string, () => FieldType> | undefined {
  const fields = new Map(type.fields);
  for (const base of type.bases) {
    const resolved = base();
    if (resolved.kind !== 'object' || depth > 5) return undefined;
    const inherited = allFields(resolved, depth + 1);
    if (!inherited) return undefined;
    for (const [k, v] of inherited) if (!fields.has(k)) fields.set(k, v);
  }
  return fields;
}

/** Every field of `value` the type does not have, depth-first in document order. */
export function unknownFields(value: unknown, type: FieldType, path = ''): UnknownField[] {
  if (value === null || typeof value !== 'object') return [];
  if (type.kind === 'array') {
    return Array.isArray(value) ? value.flatMap((item, i) => unknownFields(item, type.items(), `${path}[${i}]`)) : [];
  }
  if (Array.isArray(value)) return [];
  if (type.kind === 'map') {
    return Object.entries(value).flatMap(([key, v]) => unknownFields(v, type.values(), `${path}["${key}"]`));
  }
  if (type.kind !== 'object') return [];
  const found: UnknownField[] = [];
  const all = allFields(type);
  if (!all) return []; // a part of it accepts anything
  for (const [key, v] of Object.entries(value)) {
    const field = path ? `${path}.${key}` : key;
    const child = all.get(key);
    if (!child) {
      if (!LOST_FIELDS.has(key)) found.push({ field, suggestion: closest(key, all.keys()) });
    }
    else found.push(...unknownFields(v, child(), field));
  }
  return found;
}
