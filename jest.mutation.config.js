/**
 * The behavioural suite Stryker mutates against (`npm run mutation`): every test but the dist/ golden
 * comparisons (skipped through `goldenTest`) and snapshot assertions (no-ops here), so a mutant counts as
 * killed only when an assertion about behaviour fails, never because `jest -u` would have to be run.
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  // Tests of the test harness itself (it runs Jest in a child process), not of the code Stryker mutates.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/zero-assertions\\.test\\.ts$'],
  setupFilesAfterEnv: [...base.setupFilesAfterEnv, '<rootDir>/test/setup/behavioural-only.js'],
  globals: { __BEHAVIOURAL_ONLY__: true },
};
