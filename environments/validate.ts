/**
 * Checks environments against the schema at run time and reports every problem at once, one
 * finding each: `environments/<env>.ts: <field.path>: <problem>; <fix> [environment-schema]`.
 * `npm run synth`, `npm run plan` and `npm run edge:nodes` run it before they use a value.
 */
import { z } from 'zod';
import { Finding } from '../contracts/finding';
import { Environment as EnvironmentSchema, FIX } from './schema';

export const ENVIRONMENT_SCHEMA_RULE = 'environment-schema';

type Path = readonly PropertyKey[];

/** `nodePools[0].min`, `workloads.nginx.replicas`, `labels["workload-class"]`. */
export function fieldPath(path: Path): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(String(key))) out += out ? `.${String(key)}` : String(key);
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(prev[j] + 1, next[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = next;
  }
  return prev[b.length];
}

function closest(word: string, options: readonly string[]): string | undefined {
  const ranked = options.map((o) => [o, distance(word.toLowerCase(), o.toLowerCase())] as const).sort((a, b) => a[1] - b[1]);
  return ranked.length && ranked[0][1] <= Math.max(2, Math.floor(word.length / 3)) ? ranked[0][0] : undefined;
}

const quoted = (options: readonly unknown[]) => options.map((o) => JSON.stringify(o)).join(', ');

// Unrecognized keys: the error map sees the object schema, so it hands the known keys on in the message.
const KNOWN_KEYS = '\u001eknown:';

/** Problem and fix of the issues zod raises itself (the schema's own checks carry theirs in the message). */
function errorMap(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === 'unrecognized_keys') {
    const shape = (issue.inst as { _zod?: { def?: { shape?: object } } } | undefined)?._zod?.def?.shape;
    return KNOWN_KEYS + JSON.stringify(shape ? Object.keys(shape) : []);
  }
  return undefined;
}

interface Described {
  readonly path: Path;
  readonly problem: string;
  readonly fix: string;
}

/** The union branch a toggle was meant as: `{ omitted }` when the value says `omitted`, else the settings. */
function branchOf(issue: z.core.$ZodIssueInvalidUnion): readonly z.core.$ZodIssue[] {
  if (issue.errors.length !== 2) return issue.errors.flat();
  const keys = typeof issue.input === 'object' && issue.input !== null ? Object.keys(issue.input) : [];
  const meantOmitted = keys.some((k) => distance(k, 'omitted') <= 2);
  return issue.errors[meantOmitted ? 0 : 1];
}

function describeIssue(issue: z.core.$ZodIssue, prefix: Path): Described[] {
  const path = [...prefix, ...issue.path];
  const input = issue.input;
  if (issue.message.includes(FIX)) {
    const [problem, fix] = issue.message.split(FIX);
    return [{ path, problem, fix }];
  }
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = issue.message.startsWith(KNOWN_KEYS) ? (JSON.parse(issue.message.slice(KNOWN_KEYS.length)) as string[]) : [];
      return issue.keys.map((key) => {
        const guess = closest(key, known);
        return {
          path: [...path, key],
          problem: `is not a setting of ${fieldPath(path) || 'an environment'}`,
          fix: guess ? `did you mean ${guess}? Rename or remove it` : `remove it (known: ${known.join(', ')})`,
        };
      });
    }
    case 'invalid_union': {
      if ((issue as { note?: string }).note === 'No matching discriminator') {
        const options = (issue as unknown as { options: unknown[] }).options;
        const value = (input as Record<string, unknown> | undefined)?.[String(issue.path.at(-1))];
        const guess = typeof value === 'string' ? closest(value, options.map(String)) : undefined;
        return [{ path, problem: `is ${JSON.stringify(value) ?? 'missing'}, not one of ${quoted(options)}`, fix: guess ? `did you mean "${guess}"?` : `use one of ${quoted(options)}` }];
      }
      if (input === undefined && path[0] === 'workloads' && path.length === 2) {
        return [{ path, problem: 'is missing', fix: "add the workload's settings, or { omitted: '<why>' } to leave it out of this environment" }];
      }
      return branchOf(issue).flatMap((i) => describeIssue(i, path));
    }
    case 'invalid_value': {
      const guess = typeof input === 'string' ? closest(input, issue.values.map(String)) : undefined;
      return [{ path, problem: `is ${JSON.stringify(input) ?? 'missing'}, not one of ${quoted(issue.values)}`, fix: guess ? `did you mean "${guess}"?` : `use one of ${quoted(issue.values)}` }];
    }
    case 'invalid_type': {
      const expected = issue.expected === 'int' ? 'whole number' : issue.expected;
      if (input === undefined) return [{ path, problem: 'is missing', fix: `set it (a ${expected})` }];
      if (typeof input === 'string' && (expected === 'number' || expected === 'whole number') && input.trim() !== '' && Number.isFinite(Number(input))) {
        return [{ path, problem: `is ${describe(input)}, not a ${expected}`, fix: `write ${Number(input)} without quotes` }];
      }
      if (typeof input === 'number' && !Number.isFinite(input)) {
        return [{ path, problem: `is ${describe(input)}, not a finite number`, fix: 'write a finite number' }];
      }
      return [{ path, problem: `is ${describe(input)}, not a ${expected}`, fix: `write a ${expected}` }];
    }
    case 'invalid_key':
      return issue.issues.flatMap((i) => describeIssue({ ...i, path: [] } as z.core.$ZodIssue, path));
    case 'too_small':
      return [{ path, problem: `is ${describe(input)}, below the minimum ${issue.minimum}`, fix: `use ${issue.minimum} or more` }];
    case 'too_big':
      return [{ path, problem: `is ${describe(input)}, above the maximum ${issue.maximum}`, fix: `use ${issue.maximum} or less` }];
    default:
      return [{ path, problem: issue.message, fix: 'see environments/schema.ts' }];
  }
}

/** Every schema problem of one environment value (`file` is where it is defined). */
export function checkEnvironment(value: unknown, file: string): Finding[] {
  const result = EnvironmentSchema.safeParse(value, { reportInput: true, error: errorMap });
  if (result.success) return [];
  return result.error.issues
    .flatMap((issue) => describeIssue(issue, []))
    .map(({ path, problem, fix }) => ({
      rule: ENVIRONMENT_SCHEMA_RULE,
      severity: 'error' as const,
      file,
      field: fieldPath(path) || undefined,
      problem,
      fix,
    }));
}

/** One environment as loaded from its file; its value is untrusted, since tsx strips types. */
export interface EnvironmentSource {
  /** `environments/<env>.ts`. */
  readonly file: string;
  readonly value: unknown;
}

/** Every problem of every environment, plus names used twice (they share `dist/<name>/` and a Pulumi stack). */
export function checkEnvironments(sources: readonly EnvironmentSource[]): Finding[] {
  const findings = sources.flatMap((s) => checkEnvironment(s.value, s.file));
  const firstFile = new Map<unknown, string>();
  for (const { file, value } of sources) {
    const name = typeof value === 'object' && value !== null ? (value as { name?: unknown }).name : undefined;
    if (typeof name !== 'string') continue;
    const first = firstFile.get(name);
    if (first === undefined) firstFile.set(name, file);
    else {
      findings.push({
        rule: ENVIRONMENT_SCHEMA_RULE,
        severity: 'error',
        file,
        field: 'name',
        problem: `"${name}" is also the name of an earlier environment (${first}), and both would write dist/${name}/ and Pulumi stack ${name}`,
        fix: 'give every environment its own name',
      });
    }
  }
  return findings;
}
