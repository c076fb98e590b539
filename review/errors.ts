/** A problem with the invocation or the input files: the CLI prints it and exits 2. */
export class UsageError extends Error {
  /** `problem` says what is wrong, `fix` what to do about it. */
  constructor(problem: string, fix: string) {
    super(`${problem}\n  fix: ${fix}`);
    this.name = 'UsageError';
  }
}
