import { isKind, Manifest } from './manifest';
import { closest } from './known-fields';
import { asArray, asObject, asString, at, JsonObject, objects } from './object';

/**
 * Custom resources checked against the `openAPIV3Schema` of their CustomResourceDefinition, when the
 * CRD is among the inputs — the structural-schema subset the API server enforces on create: types,
 * required fields, enums, and unknown fields (rejected by `kubectl apply`'s strict field validation)
 * unless `x-kubernetes-preserve-unknown-fields` allows them.
 */
export type CrdIndex = ReadonlyMap<string, JsonObject>;

/** `group/version/Kind` → the schema of that served version, from every CRD among the manifests. */
export function indexCrds(manifests: ReadonlyArray<Manifest>): CrdIndex {
  const index = new Map<string, JsonObject>();
  for (const m of manifests) {
    if (!isKind(m, ['apiextensions.k8s.io'], 'CustomResourceDefinition')) continue;
    const group = asString(at(m.object, 'spec', 'group'));
    const kind = asString(at(m.object, 'spec', 'names', 'kind'));
    if (!group || !kind) continue;
    const shared = asObject(at(m.object, 'spec', 'validation', 'openAPIV3Schema')); // v1beta1 CRDs
    for (const version of objects(at(m.object, 'spec', 'versions'))) {
      const name = asString(version.name);
      const schema = asObject(at(version, 'schema', 'openAPIV3Schema')) ?? shared;
      if (name) index.set(`${group}/${name}/${kind}`, schema ?? { 'x-kubernetes-preserve-unknown-fields': true });
    }
  }
  return index;
}

export function crdSchemaOf(index: CrdIndex, m: Manifest): JsonObject | undefined {
  return index.get(`${m.apiVersion}/${m.kind}`);
}

function typeMatches(type: string, value: unknown, schema: JsonObject): boolean {
  if (value === null) return schema.nullable === true;
  switch (type) {
    case 'object':
      return typeof value === 'object' && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string' || (schema['x-kubernetes-int-or-string'] === true && Number.isInteger(value));
    case 'integer':
      return Number.isInteger(value) || (schema['x-kubernetes-int-or-string'] === true && typeof value === 'string');
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return true;
  }
}

const ROOT_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

/** Problems of `value` against a structural schema, as `field: problem` pairs in document order. */
export function crdProblems(value: unknown, schema: JsonObject, path = '', root = true): { field: string; problem: string }[] {
  const problems: { field: string; problem: string }[] = [];
  const here = path || '(root)';
  const type = asString(schema.type) ?? (schema['x-kubernetes-int-or-string'] === true ? 'integer' : undefined);
  if (type && !typeMatches(type, value, schema)) return [{ field: here, problem: `must be ${type === 'integer' && schema['x-kubernetes-int-or-string'] === true ? 'an integer or a string' : `of type ${type}`}` }];
  const allowed = asArray(schema.enum);
  if (allowed.length > 0 && !allowed.some((v) => v === value)) problems.push({ field: here, problem: `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}` });
  if (Array.isArray(value)) {
    const items = asObject(schema.items);
    if (items) value.forEach((item, i) => problems.push(...crdProblems(item, items, `${path}[${i}]`, false)));
    return problems;
  }
  const object = asObject(value);
  if (!object) return problems;
  for (const name of asArray(schema.required)) {
    if (typeof name === 'string' && !(name in object)) problems.push({ field: path ? `${path}.${name}` : name, problem: 'is required' });
  }
  const properties = asObject(schema.properties);
  const additional = schema.additionalProperties;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true || schema['x-kubernetes-embedded-resource'] === true;
  for (const [key, child] of Object.entries(object)) {
    const field = path ? `${path}.${key}` : key;
    if (root && ROOT_FIELDS.has(key)) continue;
    const propertySchema = asObject(properties?.[key]);
    if (propertySchema) problems.push(...crdProblems(child, propertySchema, field, false));
    else if (asObject(additional)) problems.push(...crdProblems(child, asObject(additional)!, `${path}["${key}"]`, false));
    else if (!preserve && additional !== true && (properties || additional === false || type === 'object')) {
      const suggestion = properties ? closest(key, Object.keys(properties)) : undefined;
      problems.push({ field, problem: `is not a field of the CRD's schema${suggestion ? ` (did you mean ${suggestion}?)` : ''}` });
    }
  }
  return problems;
}
