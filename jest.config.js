/** Tests live in test/; snapshots are kept in the top-level __snapshots__/ folder. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': '<rootDir>/test/esbuild-transform.js' },
  snapshotResolver: '<rootDir>/test/snapshot-resolver.js',
  testTimeout: 60000,
  // After the summary: which tests were skipped for a missing tool, and how to run them (test/util/tools.ts).
  reporters: ['default', '<rootDir>/test/reporters/skipped-tools.js'],
  // A test with zero assertions fails (expect.hasAssertions before each test).
  setupFilesAfterEnv: ['<rootDir>/test/setup/assertions.js'],
};
