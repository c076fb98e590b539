/**
 * The behavioural suite Stryker mutates against (`npm run mutation`): every test but the dist/ golden
 * comparisons (skipped through `goldenTest`) and snapshot assertions (no-ops here), so a mutant counts as
 * killed only when an assertion about behaviour fails, never because `jest -u` would have to be run.
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  // Every source folder in the haste map, so Stryker's findRelatedTests follows imports through
  // intermediate modules (review/rules/traffic.ts <- review/diffTrees.ts <- a test); with roots = test/
  // only direct importers were found and most review/ mutants ran zero tests.
  roots: ['<rootDir>'],
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/\\.stryker-tmp/', '<rootDir>/cdk8s\\.out/', '<rootDir>/reports/'],
  testPathIgnorePatterns: [
    '/node_modules/',
    // Tests of the test harness itself (it runs Jest in a child process), not of the code Stryker mutates.
    '<rootDir>/test/zero-assertions\\.test\\.ts$',
    // Tests that run the project's commands on a scratch copy of the repository (test/util/scratch.ts):
    // the copy lists files with git, which sees nothing inside Stryker's sandbox, and the commands run
    // in child processes, where no mutant is ever active.
    '<rootDir>/test/(environment-cli|cdk8s-offline)\\.test\\.ts$',
    '<rootDir>/test/infra/plan-errors\\.test\\.ts$',
    // Checks of the committed mutation reports, which Stryker's sandbox leaves out (ignorePatterns).
    '<rootDir>/test/mutation-survivors\\.test\\.ts$',
  ],
  setupFilesAfterEnv: [...base.setupFilesAfterEnv, '<rootDir>/test/setup/behavioural-only.js'],
  globals: { __BEHAVIOURAL_ONLY__: true },
};
