import { asArray, asObject, asString, at, JsonObject } from './object';
import { locateLine } from './yaml';

/** One input document: the file it came from (for messages) and its parsed content. */
export interface ManifestDoc {
  readonly file: string;
  readonly object: unknown;
  /** 1-based line where the document starts in `file`, when it was read from a file. */
  readonly line?: number;
  /** The text it was parsed from and its position there, to find a field's line (yaml.ts locateLine). */
  readonly source?: { readonly text: string; readonly index: number };
}

/** A Kubernetes object with the identity fields every rule needs already read. */
export interface Manifest {
  /** Position in the expanded input; findings are reported in this order. */
  readonly index: number;
  readonly file: string;
  readonly object: JsonObject;
  readonly apiVersion: string;
  /** API group: '' for the core group (`v1`). */
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  /**
   * Namespace used to relate objects (Service → pods, HPA → target). Objects without one are put in
   * `default`, which is where `kubectl apply` puts them with a default context.
   */
  readonly namespace: string;
  /** `Kind/namespace/name`, or `Kind/name` when the object names no namespace (cluster-scoped or defaulted). */
  readonly ref: string;
  /** Line of a field of this object in `file` (of the object itself without a field), where known. */
  readonly lineOf: (field?: string) => number | undefined;
}

/** A document that is not an object at all (a scalar, an array): reported, never crashed on. */
export interface NonObjectDoc {
  readonly index: number;
  readonly file: string;
  readonly line?: number;
  readonly value: unknown;
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/**
 * Expands `kind: List` (and `<Kind>List`, as `kubectl get -o yaml` writes) into their items and drops
 * empty documents (`---` separators, comments-only files).
 */
export function readManifests(docs: ReadonlyArray<ManifestDoc>): { manifests: Manifest[]; nonObjects: NonObjectDoc[] } {
  const manifests: Manifest[] = [];
  const nonObjects: NonObjectDoc[] = [];
  let index = 0;
  const visit = (doc: ManifestDoc, value: unknown, prefix: string): void => {
    const { file } = doc;
    if (value === null || value === undefined) return;
    const object = asObject(value);
    if (!object) {
      nonObjects.push({ index: index++, file, line: doc.source ? locateLine(doc.source.text, doc.source.index, prefix) : doc.line, value });
      return;
    }
    const kind = asString(object.kind) ?? '';
    if (kind.endsWith('List') && Array.isArray(object.items)) {
      asArray(object.items).forEach((item, i) => visit(doc, item, `${prefix}items[${i}].`));
      return;
    }
    const apiVersion = asString(object.apiVersion) ?? '';
    const name = asString(at(object, 'metadata', 'name')) ?? asString(at(object, 'metadata', 'generateName')) ?? '(unnamed)';
    const explicitNamespace = asString(at(object, 'metadata', 'namespace'));
    manifests.push({
      index: index++,
      file,
      object,
      apiVersion,
      group: groupOf(apiVersion),
      kind,
      name,
      namespace: explicitNamespace ?? 'default',
      ref: [kind || '(no kind)', explicitNamespace, name].filter((part) => part !== undefined).join('/'),
      lineOf: (field) => (doc.source ? locateLine(doc.source.text, doc.source.index, prefix + (field ?? '')) : doc.line),
    });
  };
  for (const doc of docs) visit(doc, doc.object, '');
  return { manifests, nonObjects };
}

/** True when the object is `kind` in one of the given API groups ('' = core). */
export function isKind(m: Manifest, groups: ReadonlyArray<string>, ...kinds: string[]): boolean {
  return kinds.includes(m.kind) && groups.includes(m.group);
}

export type Lookup = (namespace: string, kind: string, name: string) => Manifest | undefined;

/** Indexes objects by namespace/kind/name (the first one when a name repeats). */
export function indexByName(manifests: ReadonlyArray<Manifest>): Lookup {
  const byKey = new Map<string, Manifest>();
  for (const m of manifests) {
    const key = `${m.namespace}\n${m.kind}\n${m.name}`;
    if (!byKey.has(key)) byKey.set(key, m);
  }
  return (namespace, kind, name) => byKey.get(`${namespace}\n${kind}\n${name}`);
}
