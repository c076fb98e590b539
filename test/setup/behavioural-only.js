/**
 * For the mutation run (jest.mutation.config.js): snapshot matchers pass without comparing, so they can
 * neither kill a mutant nor be the only thing a test asserts and still count. They still count as an
 * assertion for expect.hasAssertions, which keeps tests whose real assertions sit beside a snapshot valid.
 */
const pass = () => ({ pass: true, message: () => 'snapshots are not compared in the behavioural suite' });
expect.extend({ toMatchSnapshot: pass, toMatchInlineSnapshot: pass, toThrowErrorMatchingSnapshot: pass, toThrowErrorMatchingInlineSnapshot: pass });
