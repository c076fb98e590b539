/**
 * Property-based test harness: every generated props value EITHER synthesizes objects that the independent
 * oracle (test/oracles/manifests.ts: upstream schemas, API validation and controller rules) and the
 * project's guardrails both accept, and that round-trip through the project's YAML writer, OR is refused
 * with a well-formed ConstructError. Anything else fails the property, and fast-check shrinks it to a
 * minimal counterexample, replayable with the FUZZ_SEED the failure prints.
 */
import { errorsOf } from '../../contracts/finding';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { ConstructError } from '../../constructs/errors';
import { formatFinding, validateManifests } from '../../guardrails/validate';
import { toYamlDocuments } from '../../synth/yaml';
import { independentProblems } from '../oracles/manifests';
import type { Manifest } from '../util/synth';

/**
 * A new seed every run, so each run explores new cases; FUZZ_SEED=<n> replays one. A failure names its seed
 * (and fast-check's shrink path) in the error. The same number of cases locally and in CI; FUZZ_RUNS overrides.
 */
export const SEED = process.env.FUZZ_SEED !== undefined && process.env.FUZZ_SEED !== '' ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 0x7fffffff);
export const NUM_RUNS = Number(process.env.FUZZ_RUNS ?? 300);
if (!Number.isSafeInteger(SEED)) throw new Error(`FUZZ_SEED=${process.env.FUZZ_SEED} is not an integer`);

/**
 * fc.assert with the run's seed; on failure the error starts with how to replay it. `params` may lower
 * numRuns for a slow property, never pick the seed.
 */
export function fuzzAssert<T>(property: fc.IProperty<T> | fc.IAsyncProperty<T>, params: Omit<fc.Parameters<T>, 'seed'> = {}): void {
  try {
    fc.assert(property as fc.IProperty<T>, { numRuns: NUM_RUNS, ...params, seed: SEED });
  } catch (err) {
    const replay = `fuzz: replay this failure with FUZZ_SEED=${SEED} (numRuns ${params.numRuns ?? NUM_RUNS})`;
    if (err instanceof Error) err.message = `${replay}\n${err.message}`;
    throw err;
  }
}

/** `<path>: <field>: <problem>. Fix: <fix>` */
const MESSAGE = /^.+: .+: .+\. Fix: .+$/s;

export type Outcome = 'synthesized' | 'refused';

/** Checks one run; throws (with the reason) when the outcome is neither a clean synthesis nor a proper refusal. */
export function checkOutcome(build: () => Manifest[], onRefusal?: (field: string, message: string) => void, allowEmpty = false): Outcome {
  let objects: Manifest[];
  try {
    objects = build();
  } catch (err) {
    if (!(err instanceof ConstructError)) {
      throw new Error(`threw ${(err as Error)?.constructor?.name ?? typeof err}, not a ConstructError: ${(err as Error)?.stack ?? String(err)}`);
    }
    if (!MESSAGE.test(err.message)) throw new Error(`ConstructError message is not "<path>: <field>: <problem>. Fix: <fix>": ${err.message}`);
    if (!err.path.trim() || !err.field.trim() || !err.message.startsWith(`${err.path}: ${err.field}: `)) {
      throw new Error(`ConstructError does not name its path and field: ${JSON.stringify({ path: err.path, field: err.field, message: err.message })}`);
    }
    onRefusal?.(err.field.replace(/\[[^\]]*\]/g, '[]'), err.message);
    return 'refused';
  }
  if (objects.length === 0 && !allowEmpty) throw new Error('synthesized no object and refused nothing');
  // The independent oracle first (upstream schemas and API/controller rules), then the project's own guardrails.
  const problems = independentProblems(objects as Record<string, unknown>[]);
  if (problems.length) {
    throw new Error(`synthesized objects Kubernetes would reject or misuse:\n${problems.join('\n')}`);
  }
  const findings = errorsOf(validateManifests(objects.map((object) => ({ file: 'fuzz.yaml', object }))));
  if (findings.length) {
    throw new Error(`synthesized objects the guardrails reject:\n${findings.map(formatFinding).join('\n')}`);
  }
  const text = toYamlDocuments(objects);
  const parsed = parseAllDocuments(text).map((doc) => {
    if (doc.errors.length) throw new Error(`the YAML writer emitted unparsable YAML: ${doc.errors[0].message}`);
    return doc.toJS();
  });
  if (!isDeepStrictEqual(parsed, JSON.parse(JSON.stringify(objects)))) {
    throw new Error(`YAML round trip changed the objects:\n${text}`);
  }
  return 'synthesized';
}

/**
 * One fuzz test for `name`: `numRuns` cases from `arbitrary` (the run's seed), each built by `build`.
 * Logs "fuzz <name>: N cases (S synthesized, R refused) in T s" when done.
 */
export function fuzzConstruct<P>(
  name: string,
  arbitrary: fc.Arbitrary<P>,
  build: (props: P) => Manifest[],
  options: { numRuns?: number; allowEmpty?: boolean } = {},
): void {
  test(`${name}: every props value synthesizes guardrail-clean, YAML-stable objects or is refused with a ConstructError`, () => {
    const numRuns = options.numRuns ?? NUM_RUNS;
    const counts: Record<Outcome, number> = { synthesized: 0, refused: 0 };
    const refusedBy = new Map<string, number>();
    let cases = 0;
    const started = performance.now();
    try {
      fuzzAssert(
        fc.property(arbitrary, (props) => {
          cases++;
          const outcome = checkOutcome(() => build(props), (field, message) => {
            refusedBy.set(field, (refusedBy.get(field) ?? 0) + 1);
            if (process.env.FUZZ_DEBUG === 'messages') process.stdout.write(`  refusal: ${message}\n`);
          }, options.allowEmpty);
          counts[outcome]++;
        }),
        { numRuns, endOnFailure: false },
      );
    } finally {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      // One line per construct, for the CI log.
      process.stdout.write(`fuzz ${name}: ${cases} cases (${counts.synthesized} synthesized, ${counts.refused} refused) in ${seconds} s, FUZZ_SEED=${SEED}\n`);
      if (process.env.FUZZ_DEBUG) {
        const top = [...refusedBy].sort((a, b) => b[1] - a[1]).map(([field, n]) => `${n} ${field}`);
        process.stdout.write(`  refused by field: ${top.join(', ')}\n`);
      }
    }
    // Both sides of the space must be exercised, or the generator has drifted. The floor sits far below the
    // rarest side's rate (BlueGreenService synthesizes ~11%: 32 of 300 on average, standard deviation ~5.4),
    // so a seed drawn per run cannot fail it by chance (P < 1e-5), yet a generator that stops reaching a side fails.
    expect(counts.synthesized).toBeGreaterThan(numRuns / 30);
    expect(counts.refused).toBeGreaterThan(numRuns / 30);
  });
}
