/**
 * Stryker test runner `jest-by-file`: Stryker's own jest runner, except that a mutant run loads only the
 * test files holding the tests that covered the mutant in the dry run (perTest coverage).
 *
 * Why: Stryker's jest runner already restricts a mutant run to its covering tests by name
 * (`--testNamePattern`), but it picks the files with `--findRelatedTests`, so every test file that
 * imports the mutated module, directly or not, is loaded and its top level executed, to run zero tests in
 * most of them. A mutant of `constructs/pod-template.ts` is covered by a handful of tests yet loaded some
 * 40 test files (each pulling in cdk8s-plus) per mutant.
 *
 * The files are run likeliest killer per second first (`rank`), the first three one at a time and the
 * rest in doubling groups (`groupsOf`), and the run stops at the first run with a failing test (Stryker's jest runner cannot bail: Jest's `bail`
 * is not supported through runCLI). A static mutant (no test filter: executed outside any test) runs
 * whole only the test files that executed it: outside a test (recorded in the dry run by
 * static-by-file-reporter.cjs) or in a covering test.
 *
 * Same verdicts: the tests that run are those Stryker selects (same name pattern); a test file that
 * holds none of them would run no test, and Jest gives every test file its own module registry, so
 * loading it cannot change another file's result. A mutant is killed when any covering test fails, which
 * stopping after the first failing file does not change; a survivor has run all of them. A test the
 * dry run did not place, or a file Jest cannot list related tests for, falls back to Stryker's behaviour.
 */
import { spawnSync } from 'child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'fs';
import path from 'path';
import { createRequire } from 'module';
import { declareFactoryPlugin, PluginKind, tokens, commonTokens } from '@stryker-mutator/api/plugin';
import { MutantRunStatus } from '@stryker-mutator/api/test-runner';
import { strykerPlugins as jestPlugins } from '@stryker-mutator/jest-runner';

const jestFactory = jestPlugins.find((p) => p.name === 'jest').factory;
const STATIC_REPORTER = createRequire(import.meta.url).resolve('./static-by-file-reporter.cjs');
const { staticFilesOf } = createRequire(import.meta.url)(STATIC_REPORTER);
/** How many test files a mutant runs one at a time before the rest run in doubling groups. */
const SOLO = 3;

/**
 * The likeliest killers one by one, then groups of 2, 4, 8... files per Jest run: each Jest run has its
 * own start-up cost, which a survivor (it runs every file) pays once per group, while a mutant killed late
 * runs at most about twice the files it needed (Jest cannot stop a run at its first failing file).
 */
export function groupsOf(files) {
  const groups = [];
  for (let i = 0, size = 1; i < files.length; i += size, size = i < SOLO ? 1 : size * 2) groups.push(files.slice(i, i + size));
  return groups;
}
const SHARED_FILE = () => path.join(process.cwd(), '.jest-by-file-dry-run.json');

/** MUTATION_RUN_LOG=<file>: one JSON line per mutant run (the files run, in order, with their wall time). */
function logRun(entry) {
  if (process.env.MUTATION_RUN_LOG) appendFileSync(process.env.MUTATION_RUN_LOG, JSON.stringify(entry) + '\n');
}

class JestByFileRunner {
  static inject = tokens(commonTokens.injector, commonTokens.options);

  constructor(injector, options) {
    this.inner = injector.injectFunction(jestFactory);
    this.configFile = options.jest?.configFile;
    /** test file → the summed dry-run time of its tests (test bodies only: no module loading, no beforeAll) */
    this.fileCost = new Map();
    /** test file → the wall time of its last run on its own here (everything the file costs) */
    this.observed = new Map();
    /** mutant id → the test files whose tests covered it at run time in the dry run */
    this.coveringFiles = new Map();
    /** mutated file → the test files that import it, directly or not (Jest's --findRelatedTests) */
    this.relatedOf = new Map();
    /** test id (Jest's full name) → the test files that hold a test of that name, with its dry-run time */
    this.filesOf = new Map();
    /** `<mutated file>\0<test file>` → how often that test file ran against its mutants, and killed one */
    this.record = new Map();
    /** mutant id → the test files that executed it outside any test, in the dry run */
    this.staticFiles = new Map();
    this.onlyFiles = undefined;
    const adapter = this.inner.jestTestAdapter;
    const run = adapter.run.bind(adapter);
    adapter.run = (settings) => {
      if (this.onlyFiles) return run({ ...settings, testFiles: this.onlyFiles });
      // The dry run records which file executed which static mutant (static-by-file-reporter.cjs).
      if (this.inDryRun) return run({ ...settings, jestConfig: { ...settings.jestConfig, reporters: [STATIC_REPORTER] } });
      return run(settings);
    };
  }

  capabilities() {
    return this.inner.capabilities();
  }

  init() {
    return this.inner.init?.();
  }

  dispose() {
    return this.inner.dispose?.();
  }

  async dryRun(options) {
    staticFilesOf.clear();
    this.inDryRun = true;
    let result;
    try {
      result = await this.inner.dryRun(options);
    } finally {
      this.inDryRun = false;
    }
    for (const test of result.tests ?? []) {
      if (!test.fileName) continue;
      const files = this.filesOf.get(test.id) ?? new Map();
      files.set(test.fileName, (files.get(test.fileName) ?? 0) + (test.timeSpentMs ?? 0));
      this.filesOf.set(test.id, files);
      this.fileCost.set(test.fileName, (this.fileCost.get(test.fileName) ?? 0) + (test.timeSpentMs ?? 0));
    }
    for (const [testId, mutants] of Object.entries(result.mutantCoverage?.perTest ?? {})) {
      for (const file of this.filesOf.get(testId)?.keys() ?? []) {
        for (const id of Object.keys(mutants)) {
          const files = this.coveringFiles.get(id) ?? new Set();
          files.add(file);
          this.coveringFiles.set(id, files);
        }
      }
    }
    this.staticFiles = new Map([...staticFilesOf].map(([id, files]) => [id, new Set(files)]));
    this.share();
    return result;
  }

  /**
   * Stryker runs the dry run in one test runner process and the mutants in all of them: the others read
   * what the dry run learned from this file in the sandbox (their working directory).
   */
  share() {
    const entries = (map, value) => [...map].map(([k, v]) => [k, value(v)]);
    const shared = {
      filesOf: entries(this.filesOf, (m) => [...m]),
      fileCost: [...this.fileCost],
      coveringFiles: entries(this.coveringFiles, (s) => [...s]),
      staticFiles: entries(this.staticFiles, (s) => [...s]),
    };
    writeFileSync(SHARED_FILE(), JSON.stringify(shared));
    this.learned = true;
  }

  learn() {
    if (this.learned) return;
    this.learned = true;
    if (!existsSync(SHARED_FILE())) return;
    const shared = JSON.parse(readFileSync(SHARED_FILE(), 'utf8'));
    this.filesOf = new Map(shared.filesOf.map(([k, v]) => [k, new Map(v)]));
    this.fileCost = new Map(shared.fileCost);
    this.coveringFiles = new Map(shared.coveringFiles.map(([k, v]) => [k, new Set(v)]));
    this.staticFiles = new Map(shared.staticFiles.map(([k, v]) => [k, new Set(v)]));
  }

  /**
   * The covering tests' files, in the order of `rank` (cost: the wall time a file took when last run here,
   * else its tests' dry-run time), each run on its own until one fails (the mutant is killed,
   * and the files after it would not change that); a survivor has run every covering test.
   */
  async mutantRun(options) {
    this.learn();
    if (!options.testFilter) return this.staticRun(options);
    const cost = new Map();
    for (const id of options.testFilter) {
      const holders = this.filesOf.get(id);
      // A test the dry run did not place: let Stryker's related-test search find it.
      if (!holders) return this.inner.mutantRun(options);
      for (const [f, ms] of holders) cost.set(f, (cost.get(f) ?? 0) + ms);
    }
    return this.runFiles(options, this.rank(options.sandboxFileName, [...cost.keys()], (f) => this.observed.get(f) ?? cost.get(f)));
  }

  /**
   * A static mutant (executed outside any test: while modules load, in a `describe` body or a `beforeAll`)
   * or a run without coverage. Only the test files that executed it can tell it apart: those that executed
   * it outside a test (recorded in the dry run by static-by-file-reporter.cjs) and those whose tests
   * covered it; each file runs whole, in the order of `rank`. Without that record (a mutant the dry run did not
   * see execute), every test file that imports the mutated file, directly or not.
   */
  async staticRun(options) {
    const id = String(options.activeMutant?.id);
    const executed = new Set([...(this.staticFiles.get(id) ?? []), ...(this.coveringFiles.get(id) ?? [])]);
    const cost = (f) => this.observed.get(f) ?? this.fileCost.get(f) ?? Number.MAX_SAFE_INTEGER;
    if (executed.size) return this.runFiles(options, this.rank(options.sandboxFileName, [...executed], cost));
    const related = this.related(options.sandboxFileName);
    if (!related) return this.inner.mutantRun(options);
    return this.runFiles(options, this.rank(options.sandboxFileName, related, cost));
  }

  /**
   * The order that finds a killer soonest: a file's cost over the chance that it kills a mutant of this
   * source file, from how often it did so far in this run ((kills + 1) / (runs + 2)). Order changes
   * only the time, never the verdict: a survivor runs every file.
   */
  rank(source, files, cost) {
    const odds = (f) => {
      const s = this.record.get(`${source}\0${f}`) ?? { kills: 0, runs: 0 };
      return (s.kills + 1) / (s.runs + 2);
    };
    const expected = (f) => cost(f) / odds(f);
    return [...files].sort((a, b) => expected(a) - expected(b) || a.localeCompare(b));
  }

  tally(source, file, killed) {
    const key = `${source}\0${file}`;
    const s = this.record.get(key) ?? { kills: 0, runs: 0 };
    this.record.set(key, { kills: s.kills + (killed ? 1 : 0), runs: s.runs + 1 });
  }

  related(file) {
    if (!file || !this.configFile) return undefined;
    if (!this.relatedOf.has(file)) {
      const jest = createRequire(`${process.cwd()}/`).resolve('jest/bin/jest');
      const r = spawnSync(process.execPath, [jest, '-c', this.configFile, '--listTests', '--json', '--findRelatedTests', file], { cwd: process.cwd(), encoding: 'utf8', maxBuffer: 64 << 20 });
      let list;
      try {
        list = JSON.parse(r.stdout);
      } catch {
        list = undefined;
      }
      this.relatedOf.set(file, Array.isArray(list) ? list : undefined);
    }
    const list = this.relatedOf.get(file);
    return list ? [...list] : undefined;
  }

  async runFiles(options, files) {
    const groups = options.disableBail ? [files] : groupsOf(files);
    let nrOfTests = 0;
    const ran = [];
    const log = (status) => logRun({ mutant: options.activeMutant?.id, file: options.sandboxFileName && path.relative(process.cwd(), options.sandboxFileName), static: !options.testFilter, status, ran });
    for (const group of groups) {
      // Jest reads each entry as a path regular expression.
      this.onlyFiles = group.map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      let result;
      const started = Date.now();
      try {
        result = await this.inner.mutantRun(options);
      } finally {
        this.onlyFiles = undefined;
      }
      if (group.length === 1) {
        this.observed.set(group[0], Date.now() - started);
        this.tally(options.sandboxFileName, group[0], result.status === MutantRunStatus.Killed);
      }
      ran.push([group.map((f) => path.relative(process.cwd(), f)).join(' '), Date.now() - started]);
      if (result.status !== MutantRunStatus.Survived) {
        log(result.status);
        return result;
      }
      nrOfTests += result.nrOfTests ?? 0;
    }
    log(MutantRunStatus.Survived);
    return { status: MutantRunStatus.Survived, nrOfTests };
  }
}

function jestByFileFactory(injector) {
  return injector.injectClass(JestByFileRunner);
}
jestByFileFactory.inject = tokens(commonTokens.injector);

export const strykerPlugins = [declareFactoryPlugin(PluginKind.TestRunner, 'jest-by-file', jestByFileFactory)];
