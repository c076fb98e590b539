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
 * Same verdicts: the tests that run are exactly those Stryker selects (same name pattern); a test file
 * that holds none of them would run no test, and Jest gives every test file its own module registry, so
 * loading it cannot change another file's result. Mutants without a test filter (static, or coverage
 * analysis off) fall back to Stryker's behaviour.
 */
import { declareFactoryPlugin, PluginKind, tokens, commonTokens } from '@stryker-mutator/api/plugin';
import { strykerPlugins as jestPlugins } from '@stryker-mutator/jest-runner';

const jestFactory = jestPlugins.find((p) => p.name === 'jest').factory;

class JestByFileRunner {
  static inject = tokens(commonTokens.injector);

  constructor(injector) {
    this.inner = injector.injectFunction(jestFactory);
    /** test id (Jest's full name) → the test files that hold a test of that name */
    this.filesOf = new Map();
    this.onlyFiles = undefined;
    const adapter = this.inner.jestTestAdapter;
    const run = adapter.run.bind(adapter);
    adapter.run = (settings) => (this.onlyFiles ? run({ ...settings, testFiles: this.onlyFiles }) : run(settings));
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
    const result = await this.inner.dryRun(options);
    for (const test of result.tests ?? []) {
      if (!test.fileName) continue;
      const files = this.filesOf.get(test.id) ?? new Set();
      files.add(test.fileName);
      this.filesOf.set(test.id, files);
    }
    return result;
  }

  async mutantRun(options) {
    const files = options.testFilter ? new Set() : undefined;
    for (const id of options.testFilter ?? []) {
      const holders = this.filesOf.get(id);
      if (!holders) {
        // A test the dry run did not place: let Stryker's related-test search find it.
        return this.inner.mutantRun(options);
      }
      for (const f of holders) files.add(f);
    }
    // Jest reads each entry as a path regular expression.
    this.onlyFiles = files ? [...files].map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : undefined;
    try {
      return await this.inner.mutantRun(options);
    } finally {
      this.onlyFiles = undefined;
    }
  }
}

function jestByFileFactory(injector) {
  return injector.injectClass(JestByFileRunner);
}
jestByFileFactory.inject = tokens(commonTokens.injector);

export const strykerPlugins = [declareFactoryPlugin(PluginKind.TestRunner, 'jest-by-file', jestByFileFactory)];
