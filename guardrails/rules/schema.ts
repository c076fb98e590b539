import { crdProblems, CrdIndex, crdSchemaOf, indexCrds } from '../crd';
import { closest, unknownFields } from '../known-fields';
import { Manifest } from '../manifest';
import { groupOf, isBuiltInGroup, isModelledVersion, kindsOf, modelOf, versionsOfGroup, versionsOfKind } from '../models';
import { asString, at } from '../object';
import { isRemovedVersion } from './removed-api';
import { Problem, Rule, RuleContext, Violation } from './rule';

interface SchemaError {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: { allowedValues?: unknown[]; missingProperty?: string; type?: string; format?: string; comparison?: string; limit?: number; pattern?: string };
}

/** What a validator error means, in words (the compiled validators carry no messages). */
function describe(e: SchemaError): { field: string; problem: string } {
  const field = fieldOf(e.instancePath ?? '');
  const p = e.params ?? {};
  switch (e.keyword) {
    case 'required':
      return { field: field ? `${field}.${p.missingProperty}` : (p.missingProperty ?? ''), problem: 'is required' };
    case 'type':
      return { field, problem: `must be ${p.type === 'integer' ? 'an integer' : p.type === 'object' ? 'a mapping' : p.type === 'array' ? 'a list' : `a ${p.type}`}` };
    case 'enum':
      return { field, problem: `must be one of ${(p.allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'format':
      return { field, problem: `must be a valid ${p.format}` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { field, problem: `must be ${p.comparison} ${p.limit}` };
    case 'pattern':
      return { field, problem: `must match ${p.pattern}` };
    default:
      return { field, problem: e.message ?? `is invalid (${e.keyword ?? 'schema'})` };
  }
}

/** `/spec/template/spec/containers/0/image` → `spec.template.spec.containers[0].image`. */
function fieldOf(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : /^[\w-]+$/.test(part) ? (path ? `${path}.${part}` : part) : `${path}["${part}"]`), '');
}

const FIX_FIELDS = 'fix the field as the API reference describes it';

/** How an object's shape can be checked: the model of a built-in or modelled CRD kind, its CRD, or not at all. */
export type Coverage = 'model' | 'crd' | 'unchecked' | 'invalid';

function coverage(m: Manifest, crds: CrdIndex): Coverage {
  if (!m.apiVersion || !m.kind) return 'invalid';
  if (crdSchemaOf(crds, m)) return 'crd';
  if (isModelledVersion(m.apiVersion) && modelOf(m.apiVersion, m.kind)) return 'model';
  return isBuiltInGroup(groupOf(m.apiVersion)) ? 'invalid' : 'unchecked';
}

/** Custom resources whose shape nothing among the inputs or the model packages describes. */
export function uncheckedObjects(manifests: ReadonlyArray<Manifest>): Manifest[] {
  const crds = indexCrds(manifests);
  return manifests.filter((m) => coverage(m, crds) === 'unchecked');
}

function unknownKind(m: Manifest): Problem {
  const group = groupOf(m.apiVersion);
  if (!isModelledVersion(m.apiVersion)) {
    const served = versionsOfGroup(group);
    const suggestion = served.find((v) => kindsOf(v).includes(m.kind)) ?? closest(m.apiVersion, served);
    return {
      field: 'apiVersion',
      problem: `${m.apiVersion} is not an API version of Kubernetes${group ? ` (group ${group} serves ${served.join(', ') || 'no version known here'})` : ''}`,
      fix: suggestion ? `did you mean ${suggestion}?` : 'fix the apiVersion',
    };
  }
  const elsewhere = versionsOfKind(m.kind);
  if (elsewhere.length > 0) return { field: 'apiVersion', problem: `${m.kind} is not a kind of ${m.apiVersion}`, fix: `use ${elsewhere.join(' or ')}` };
  const suggestion = closest(m.kind, kindsOf(m.apiVersion));
  return { field: 'kind', problem: `${m.kind} is not a kind of ${m.apiVersion}`, fix: suggestion ? `did you mean ${suggestion}?` : 'fix the kind or the apiVersion' };
}

function modelProblems(m: Manifest): Problem[] {
  const model = modelOf(m.apiVersion, m.kind)!;
  const problems: Problem[] = [];
  try {
    model.validate(m.object);
  } catch (error) {
    const errors = (error as { errors?: SchemaError[] }).errors;
    if (!errors) throw error;
    const seen = new Set<string>();
    for (const e of errors) {
      const { field, problem } = describe(e);
      const key = `${field}\n${problem}`;
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push({ field: field || undefined, problem: field ? problem : `the object ${problem}`, fix: FIX_FIELDS });
    }
  }
  for (const { field, suggestion } of unknownFields(m.object, model.type)) {
    problems.push({ field, problem: `is not a field of ${m.apiVersion} ${m.kind} (the API server rejects unknown fields)`, fix: suggestion ? `did you mean ${suggestion}?` : 'remove it' });
  }
  return problems;
}

function schemaProblems(m: Manifest, crds: CrdIndex): Problem[] {
  if (!m.apiVersion || !m.kind) {
    return [{ field: m.apiVersion ? 'kind' : 'apiVersion', problem: 'has no apiVersion/kind', fix: 'add both: every Kubernetes object needs them' }];
  }
  const problems: Problem[] = [];
  if (!asString(at(m.object, 'metadata', 'name')) && !asString(at(m.object, 'metadata', 'generateName'))) {
    problems.push({ field: 'metadata.name', problem: 'has no metadata.name', fix: 'name the object' });
  }
  const crd = crdSchemaOf(crds, m);
  if (crd) {
    for (const { field, problem } of crdProblems(m.object, crd)) problems.push({ field, problem: `${problem} (CustomResourceDefinition of ${m.kind})`, fix: FIX_FIELDS });
    return problems;
  }
  if (isRemovedVersion(m.apiVersion)) return problems; // removed-api names the replacement
  if (isModelledVersion(m.apiVersion) && modelOf(m.apiVersion, m.kind)) return [...problems, ...modelProblems(m)];
  // Unknown versions and kinds of groups the API server serves itself are typos. Other groups are
  // custom resources: checked when their CRD is among the inputs, else counted as not checked.
  if (isBuiltInGroup(groupOf(m.apiVersion))) problems.push(unknownKind(m));
  return problems;
}

let crdCache: { manifests: ReadonlyArray<Manifest>; crds: CrdIndex } | undefined;

function crdsOf(context: RuleContext): CrdIndex {
  if (crdCache?.manifests !== context.manifests) crdCache = { manifests: context.manifests, crds: indexCrds(context.manifests) };
  return crdCache.crds;
}

/** The object must be what the API server accepts on create, at the shape level. */
export const schema: Rule = {
  id: 'schema',
  severity: 'error',
  description:
    'The object must be what the API server accepts: a known apiVersion and kind (with "did you mean"), a name, field types and enums of the OpenAPI schema, and no unknown fields. Custom resources are checked against their CustomResourceDefinition when it is among the inputs, Argo Rollouts, Istio and Gateway API kinds against their model packages; others are counted as not checked.',
  remediation: 'Fix the apiVersion, kind or field as the API reference describes it.',
  equivalents: { kubeLinter: [], kubeScore: [] },
  differs: "kube-linter's optional schema-validation/kubeconform checks need schemas fetched from the network; this one is offline.",
  check: (context) => {
    const crds = crdsOf(context);
    return context.manifests.flatMap((manifest): Violation[] => schemaProblems(manifest, crds).map((p) => ({ manifest, ...p })));
  },
};
