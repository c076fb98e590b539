import { IConstruct } from 'constructs';

/**
 * A refusal at synthesis time. The message names where (the construct path), what (the prop),
 * and how to fix it, so a reviewer never has to read the construct to understand it.
 */
export class ConstructError extends Error {
  constructor(
    readonly path: string,
    readonly field: string,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`${path}: ${field}: ${problem}. Fix: ${fix}`);
    this.name = 'ConstructError';
  }
}

/** Throws a ConstructError at `scope`'s path. */
export function refuse(scope: IConstruct | string, field: string, problem: string, fix: string): never {
  throw new ConstructError(typeof scope === 'string' ? scope : scope.node.path, field, problem, fix);
}
