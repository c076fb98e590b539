import { Manifest } from '../manifest';
import { asString, at } from '../object';
import { Problem, Rule, Violation } from './rule';

/** What the kubernetes-models classes expose: the static type meta and a validate() that throws. */
interface ModelClass {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly prototype: { validate(this: unknown): void };
}

// kubernetes-models keeps one module per kind in a folder named exactly like the apiVersion
// (`kubernetes-models/apps/v1/Deployment`, `kubernetes-models/v1/Service`) and exports `./<apiVersion>/*`
// for each version it knows, so the lookup is: is that export there, then require that path.
let exportedVersions: ReadonlySet<string> | undefined;
const KIND = /^[A-Z][A-Za-z0-9]*$/;

const models = new Map<string, ModelClass | null>();

function isBuiltInVersion(apiVersion: string): boolean {
  exportedVersions ??= new Set(Object.keys(require('kubernetes-models/package.json').exports as object));
  return exportedVersions.has(`./${apiVersion}/*`);
}

/**
 * The model class for apiVersion+kind of a built-in API version, or null when that version has no such
 * kind. Modules are required on first use and cached; loading the schema runtime costs ~150 ms once.
 */
function modelFor(apiVersion: string, kind: string): ModelClass | null {
  const key = `${apiVersion}/${kind}`;
  let model = models.get(key);
  if (model === undefined) {
    model = null;
    if (KIND.test(kind)) {
      try {
        const exported = require(`kubernetes-models/${apiVersion}/${kind}`)[kind] as ModelClass | undefined;
        // Sub-structures (DeploymentSpec) have modules too, but no type meta: they are not kinds.
        if (exported?.apiVersion === apiVersion && exported.kind === kind) model = exported;
      } catch (error) {
        if ((error as { code?: string }).code !== 'MODULE_NOT_FOUND') throw error;
      }
    }
    models.set(key, model);
  }
  return model;
}

interface SchemaError {
  instancePath?: string;
  message?: string;
}

function schemaViolations(m: Manifest): Problem[] {
  if (!m.apiVersion || !m.kind) return [{ field: m.apiVersion ? 'kind' : 'apiVersion', problem: 'has no apiVersion/kind', fix: 'every Kubernetes object needs both; add them' }];
  const problems: Problem[] = [];
  if (!asString(at(m.object, 'metadata', 'name')) && !asString(at(m.object, 'metadata', 'generateName'))) {
    problems.push({ field: 'metadata.name', problem: 'has no metadata.name', fix: 'name the object' });
  }
  // Versions kubernetes-models doesn't know are CRDs (e.g. Istio's networking.istio.io Gateway and
  // VirtualService): skipped here, not failed. A kind missing from a built-in version is a typo.
  if (!isBuiltInVersion(m.apiVersion)) return problems;
  const Model = modelFor(m.apiVersion, m.kind);
  if (!Model) {
    problems.push({ field: 'kind', problem: `${m.kind} is not a kind of ${m.apiVersion}`, fix: 'fix the kind or the apiVersion' });
  } else {
    try {
      // Same check as `new Model(object).validate()`, minus the constructor's deep copy of the object,
      // which was the largest cost when validating thousands of objects during synthesis.
      Model.prototype.validate.call(m.object);
    } catch (error) {
      const errors = (error as { errors?: SchemaError[] }).errors;
      if (!errors) throw error;
      const details = errors.map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
      const first = errors[0]?.instancePath?.slice(1).replace(/\//g, '.');
      problems.push({ field: first || undefined, problem: `does not match the Kubernetes ${m.apiVersion} ${m.kind} schema: ${[...new Set(details)].join('; ')}`, fix: 'fix these fields' });
    }
  }
  return problems;
}

/** The object must be a well-formed instance of its Kubernetes kind, as the API server would check. */
export const schema: Rule = {
  id: 'schema',
  severity: 'error',
  description: "The object must be a well-formed instance of its Kubernetes kind (the official OpenAPI schema), as the API server checks on create.",
  remediation: "Fix the fields the finding names.",
  equivalents: { kubeLinter: [], kubeScore: [] },
  differs: "kubeconform / kubectl --dry-run=server are the equivalents; kube-linter and kube-score do not validate schemas.",
  check: ({ manifests }) => manifests.flatMap((manifest): Violation[] => schemaViolations(manifest).map((problem) => ({ manifest, ...problem }))),
};
