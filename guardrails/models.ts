import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FieldType, typeOfFile } from './known-fields';

/**
 * The kinds the model packages know: kubernetes-models (built-in APIs) and the well-kept CRD model
 * packages (Argo Rollouts, Istio, Gateway API). Each keeps one module per kind in a folder named like
 * the apiVersion (`kubernetes-models/apps/v1/Deployment.js`) and exports `./<apiVersion>/*` for each
 * version it knows. Everything is read on first use and cached: `--help` never pays for it.
 */
const PACKAGES = ['kubernetes-models', '@kubernetes-models/argo-rollouts', '@kubernetes-models/istio', '@kubernetes-models/gateway-api'];

/** Groups served by the API server itself: an unknown version or kind there is a typo, not a CRD. */
const BUILT_IN_GROUP = /^$|^(apps|batch|autoscaling|policy|extensions)$|^[a-z0-9.-]*\.k8s\.io$/;
/**
 * CRD groups under k8s.io that kubernetes-models does not know (they are installed, not built in).
 * `networking.<something>k8s.io` only: networking.k8s.io itself (Ingress, NetworkPolicy) is built in.
 */
const CRD_GROUPS_UNDER_K8S_IO = /(^|\.)x-k8s\.io$|^gateway\.networking\.k8s\.io$|^snapshot\.storage\.k8s\.io$|^metrics\.k8s\.io$|^custom\.metrics\.k8s\.io$|^external\.metrics\.k8s\.io$|^(autoscaling|policy|multicluster|topology)\.[a-z.-]*k8s\.io$|^networking\.[a-z.-]+k8s\.io$/;

export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export function isBuiltInGroup(group: string): boolean {
  return BUILT_IN_GROUP.test(group) && !CRD_GROUPS_UNDER_K8S_IO.test(group);
}

function packageRoot(name: string): string | undefined {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
  }
  return undefined;
}

let versions: Map<string, string> | undefined;

/** apiVersion → root folder of the package that models it. */
function versionIndex(): Map<string, string> {
  if (!versions) {
    versions = new Map();
    for (const name of PACKAGES) {
      const root = packageRoot(name);
      if (!root) continue;
      const exported = Object.keys((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports?: object }).exports ?? {});
      for (const key of exported) {
        const match = /^\.\/(.+)\/\*$/.exec(key);
        if (match && !match[1].startsWith('_') && !versions.has(match[1])) versions.set(match[1], root);
      }
    }
  }
  return versions;
}

export function isModelledVersion(apiVersion: string): boolean {
  return versionIndex().has(apiVersion);
}

/** The modelled apiVersions of a group, e.g. `apps` → `apps/v1`. */
export function versionsOfGroup(group: string): string[] {
  return [...versionIndex().keys()].filter((v) => groupOf(v) === group);
}

const kindLists = new Map<string, string[]>();

/** The kinds of a modelled apiVersion (modules that carry type meta; sub-structures have none). */
export function kindsOf(apiVersion: string): string[] {
  let kinds = kindLists.get(apiVersion);
  if (!kinds) {
    kinds = [];
    const root = versionIndex().get(apiVersion);
    const dir = root && join(root, apiVersion);
    if (dir && existsSync(dir)) {
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.js')).sort()) {
        const kind = file.slice(0, -3);
        if (readFileSync(join(dir, file), 'utf8').includes(`.kind="${kind}"`)) kinds.push(kind);
      }
    }
    kindLists.set(apiVersion, kinds);
  }
  return kinds;
}

export interface KindModel {
  /** Fields of the kind, for unknown-field checks. */
  readonly type: FieldType;
  /**
   * The compiled OpenAPI validator (types, enums, required fields); throws with `errors` when invalid.
   * Packages published as ES modules only can't be required synchronously: their validators run when
   * preloaded (preloadValidators, which the CLI calls), else only the unknown-field check does.
   */
  validate(object: unknown): void;
}

type Validator = ((o: unknown) => boolean) & { errors?: unknown };
const validators = new Map<string, Validator | null>();
const models = new Map<string, { model: KindModel; schemaPath: string } | null>();
const KIND = /^[A-Z][A-Za-z0-9]*$/;

function validatorOf(schemaPath: string, esm: boolean): Validator | null {
  let validator = validators.get(schemaPath);
  if (validator === undefined) {
    // An ES module can't be required here (Node 20, or Jest's module system): preloadValidators imports it.
    validator = esm ? null : (require(schemaPath) as { validate: Validator }).validate;
    validators.set(schemaPath, validator);
  }
  return validator;
}

function lookupModel(apiVersion: string, kind: string): { model: KindModel; schemaPath: string } | null {
  const key = `${apiVersion}/${kind}`;
  let entry = models.get(key);
  if (entry === undefined) {
    entry = null;
    const root = versionIndex().get(apiVersion);
    const file = root && KIND.test(kind) ? join(root, apiVersion, `${kind}.js`) : undefined;
    const text = file && existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    const schema = text && text.includes(`.kind="${kind}"`) ? /(?:require\(|from)"((?:\.\.\/)+_schemas\/\w+\.js)"/.exec(text) : null;
    if (file && schema) {
      const schemaPath = join(dirname(file), schema[1]);
      const esm = text!.startsWith('import') || text!.includes('export class');
      entry = {
        schemaPath,
        model: {
          type: typeOfFile(schemaPath),
          validate: (object) => {
            // The compiled validator alone: the model class's constructor deep-copies the object first.
            const validator = validatorOf(schemaPath, esm);
            if (validator && !validator(object)) throw Object.assign(new Error('invalid'), { errors: validator.errors });
          },
        },
      };
    }
    models.set(key, entry);
  }
  return entry;
}

/** The model of apiVersion+kind, or null when the package has no such kind. */
export function modelOf(apiVersion: string, kind: string): KindModel | null {
  return lookupModel(apiVersion, kind)?.model ?? null;
}

/** Imports the ES-module validators of the modelled kinds among `objects`, so modelOf can run them. */
export async function preloadValidators(objects: ReadonlyArray<{ apiVersion: string; kind: string }>): Promise<void> {
  const paths = new Set<string>();
  for (const { apiVersion, kind } of objects) {
    if (!isModelledVersion(apiVersion) || isBuiltInGroup(groupOf(apiVersion))) continue;
    const entry = lookupModel(apiVersion, kind);
    if (entry && validators.get(entry.schemaPath) == null) paths.add(entry.schemaPath);
  }
  for (const path of paths) {
    const module = (await import(pathToFileURL(path).href)) as { validate: Validator };
    validators.set(path, module.validate);
  }
}

let kindIndex: Map<string, string[]> | undefined;

/** Built-in apiVersions that have a kind of this name (for "Deployment is in apps/v1"). */
export function versionsOfKind(kind: string): string[] {
  if (!kindIndex) {
    kindIndex = new Map();
    for (const apiVersion of versionIndex().keys()) {
      if (!isBuiltInGroup(groupOf(apiVersion))) continue;
      for (const k of kindsOf(apiVersion)) kindIndex.set(k, [...(kindIndex.get(k) ?? []), apiVersion]);
    }
  }
  return kindIndex.get(kind) ?? [];
}
