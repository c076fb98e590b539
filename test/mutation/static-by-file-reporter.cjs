/**
 * A Jest reporter for Stryker's dry run (added by jest-by-file): which test file executed which static
 * mutant. Stryker counts a mutant as static when its code runs outside any test (while modules load, in
 * a `describe` body or a `beforeAll`), in one counter for the whole run. The dry run runs in band, in this
 * process, one test file after the other, so the counter's growth between a file's start and its result is
 * what that file executed; a static mutant then needs to run only those files (and the ones whose tests
 * covered it): every other file never executes the mutated code, so it cannot tell the mutant apart.
 */
const path = require('path');

// The jest runner's shared state (not exported by the package; same module instance as Stryker's, since
// Node caches a CommonJS module by its absolute path).
const { state } = require(path.join(path.dirname(require.resolve('@stryker-mutator/jest-runner/package.json')), 'dist/src/jest-plugins/messaging.cjs'));

/** mutant id → the test files that executed it outside any test */
const staticFilesOf = new Map();

const counts = () => ({ ...(state.instrumenterContext?.mutantCoverage?.static ?? {}) });

class StaticByFileReporter {
  onTestFileStart() {
    this.before = counts();
  }

  onTestFileResult(test) {
    const before = this.before ?? {};
    for (const [id, n] of Object.entries(counts())) {
      if (n > (before[id] ?? 0)) {
        const files = staticFilesOf.get(id) ?? new Set();
        files.add(test.path);
        staticFilesOf.set(id, files);
      }
    }
    this.before = undefined;
  }
}

module.exports = StaticByFileReporter;
module.exports.staticFilesOf = staticFilesOf;
