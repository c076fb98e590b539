/**
 * Every test must make at least one assertion: a test that checks nothing passes whatever the code does.
 * Tests that cannot run on this machine (a missing tool) skip visibly with `test.skip`, never pass silently.
 * `test/zero-assertions.test.ts` proves this guard fails a test that asserts nothing.
 */
beforeEach(() => {
  expect.hasAssertions();
});
