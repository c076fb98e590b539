/** `npm run test:flows`: the README edit-loop tests (test/flows/*.flows.ts), each two whole test runs on a scratch copy. */
const base = require('./jest.config.js');

module.exports = { ...base, testMatch: ['**/*.flows.ts'], testTimeout: 45 * 60 * 1000, maxWorkers: 1 };
