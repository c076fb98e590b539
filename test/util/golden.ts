/**
 * What the behavioural suite Stryker runs (jest.mutation.config.js sets __BEHAVIOURAL_ONLY__) leaves out.
 * - Golden tests compare generated output with the committed dist/ byte for byte: a mutant must be killed
 *   by an assertion about behaviour, not by "the output changed".
 * - Tests that run the code as another user in a child process: Stryker's sandbox is private to its owner
 *   (mkdtemp, mode 0700), and a child process never sees the active mutant anyway.
 */
export const behaviouralOnly = (globalThis as { __BEHAVIOURAL_ONLY__?: boolean }).__BEHAVIOURAL_ONLY__ === true;

export const goldenTest: jest.It = behaviouralOnly ? test.skip : test;
