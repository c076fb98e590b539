/** Text to tree records. Pure: `load.ts` does the reading, this names what is malformed. */
import { parseAllDocuments } from 'yaml';
import { UsageError } from './errors';
import type { KubeObject, Manifest, PlanResource } from './model';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const invalidYaml = (where: string, index: number, detail: string | undefined) =>
  new UsageError(`${where}: document ${index + 1} is not valid YAML (${detail})`, 'regenerate it with npx cdk8s synth');

/** Every non-empty document of a multi-document YAML file; each must be a Kubernetes object. */
export function parseManifests(env: string, file: string, text: string, where: string): Manifest[] {
  return parseAllDocuments(text).flatMap((doc, i) => {
    if (doc.errors.length > 0) {
      throw invalidYaml(where, i, doc.errors[0]?.message);
    }
    let object: unknown;
    try {
      object = doc.toJS();
    } catch (err) {
      // The parser reports no error for an alias without its anchor; resolving it throws.
      throw invalidYaml(where, i, (err as Error).message);
    }
    if (object === null || object === undefined) return [];
    const metadata = isRecord(object) ? object.metadata : undefined;
    if (!isRecord(object) || typeof object.kind !== 'string' || typeof object.apiVersion !== 'string' || !isRecord(metadata) || typeof metadata.name !== 'string') {
      throw new UsageError(
        `${where}: document ${i + 1} is not a Kubernetes object (needs apiVersion, kind, metadata.name)`,
        'only synthesized manifests belong in <tree>/<env>/*.yaml; move other YAML elsewhere',
      );
    }
    return [{ env, file, object: object as KubeObject }];
  });
}

/** `dist/infra/<stack>.plan.json`: a JSON array of `{ type, name, inputs }`. */
export function parsePlan(stack: string, text: string, where: string): PlanResource[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${where} is not valid JSON (${(error as Error).message})`, 'regenerate it with npm run plan');
  }
  if (!Array.isArray(parsed)) throw new UsageError(`${where} is not a JSON array of resources`, 'regenerate it with npm run plan');
  return parsed.map((item, i) => {
    if (!isRecord(item) || typeof item.type !== 'string' || typeof item.name !== 'string') {
      throw new UsageError(`${where}: entry ${i} lacks a string type and name`, 'regenerate it with npm run plan');
    }
    // Secret inputs read "[secret]"; the plan's non-secret facts about them (versions, hash) are
    // compared as if they were inputs, so a Kubernetes or containerd bump inside user-data shows.
    const inputs = isRecord(item.inputs) ? decodeUserData(item.inputs) : {};
    const facts = isRecord(item.secretInputFacts) ? item.secretInputFacts : {};
    const withFacts = Object.keys(facts).length === 0 ? (isRecord(item.inputs) ? inputs : (item.inputs ?? {})) : { ...inputs, ...Object.fromEntries(Object.entries(facts).map(([k, v]) => [`${k} (secret; facts)`, v])) };
    return { stack, type: item.type, name: item.name, inputs: withFacts };
  });
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Launch templates carry user-data base64-encoded: compared as such, a Kubernetes bump reads as a
 * change of base64 noise. Text user-data is decoded for the comparison (key `userData (base64-decoded)`).
 */
function decodeUserData(inputs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(inputs)) {
    if (/userdata/i.test(key) && typeof value === 'string' && value.length % 4 === 0 && BASE64.test(value)) {
      const text = Buffer.from(value, 'base64').toString('utf8');
      if (!/[\x00-\x08\x0e-\x1f\ufffd]/.test(text)) {
        out[`${key} (base64-decoded)`] = text;
        continue;
      }
    }
    out[key] = value;
  }
  return out;
}
