import { Manifest } from '../manifest';
import { asString, at } from '../object';
import { Rule, Violation } from './rule';

/** What the kubernetes-models classes expose: the static type meta and a validate() that throws. */
interface ModelClass {
  readonly apiVersion?: string;
  readonly kind?: string;
  new (data: unknown): { validate(): void };
}

// kubernetes-models keeps one module per kind in a folder named exactly like the apiVersion
// (`kubernetes-models/apps/v1/Deployment`, `kubernetes-models/v1/Service`) and exports `./<apiVersion>/*`
// for each version it knows, so the lookup is: is that export there, then require that path.
let exportedVersions: ReadonlySet<string> | undefined;
const KIND = /^[A-Z][A-Za-z0-9]*$/;

const models = new Map<string, ModelClass | null>();

/**
 * The model class for apiVersion+kind, or null when kubernetes-models has none (a CRD such as Istio's
 * networking.istio.io Gateway/VirtualService): those objects are skipped by this rule, not failed.
 * Modules are required on first use and cached; loading the schema runtime costs ~150 ms once.
 */
function modelFor(apiVersion: string, kind: string): ModelClass | null {
  const key = `${apiVersion}/${kind}`;
  let model = models.get(key);
  if (model === undefined) {
    model = null;
    exportedVersions ??= new Set(Object.keys(require('kubernetes-models/package.json').exports as object));
    if (exportedVersions.has(`./${apiVersion}/*`) && KIND.test(kind)) {
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

function schemaViolations(m: Manifest): string[] {
  if (!m.apiVersion || !m.kind) return ['has no apiVersion/kind; every Kubernetes object needs both'];
  const problems: string[] = [];
  if (!asString(at(m.object, 'metadata', 'name')) && !asString(at(m.object, 'metadata', 'generateName'))) {
    problems.push('has no metadata.name; name the object');
  }
  const Model = modelFor(m.apiVersion, m.kind);
  if (Model) {
    try {
      new Model(m.object).validate();
    } catch (error) {
      const errors = (error as { errors?: SchemaError[] }).errors;
      if (!errors) throw error;
      const details = errors.map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
      problems.push(`does not match the Kubernetes ${m.apiVersion} ${m.kind} schema: ${[...new Set(details)].join('; ')}; fix these fields`);
    }
  }
  return problems;
}

/** The object must be a well-formed instance of its Kubernetes kind, as the API server would check. */
export const schema: Rule = {
  id: 'schema',
  check: ({ manifests }) => manifests.flatMap((manifest): Violation[] => schemaViolations(manifest).map((message) => ({ manifest, message }))),
};
