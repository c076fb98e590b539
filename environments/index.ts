import { FindingsError } from '../contracts/finding';
import { dev } from './dev';
import { edge } from './edge';
import { local } from './local';
import { prod } from './prod';
import { Environment } from './types';
import { checkEnvironment, checkEnvironments, EnvironmentSource } from './validate';

export * from './types';
export { checkEnvironments, ENVIRONMENT_SCHEMA_RULE, EnvironmentSource } from './validate';

/** Every environment by the file that defines it (`environments/<key>.ts`), in the order they synthesize. */
const byFile: Readonly<Record<string, Environment>> = { dev, prod, edge, local };

/** Every environment, in the order they synthesize. Unchecked: entry points check them (`sourceOf`, `getEnvironment`). */
export const environments: readonly Environment[] = Object.values(byFile);

/**
 * `env` with the file it comes from: its own file when it is one of ours, else `environments/<name>.ts`
 * (or `environments/index.ts` when the name is not a safe file name).
 */
export function sourceOf(env: unknown): EnvironmentSource {
  const own = Object.entries(byFile).find(([, e]) => e === env)?.[0];
  const name = typeof env === 'object' && env !== null ? (env as { name?: unknown }).name : undefined;
  const stem = own ?? (typeof name === 'string' && /^[a-z0-9-]+$/.test(name) ? name : 'index');
  return { file: `environments/${stem}.ts`, value: env };
}

/**
 * The environment `name` selects (the Pulumi stack, `edge:nodes --env`), checked against the schema:
 * throws a FindingsError listing every problem of it, or naming every file that claims the name.
 */
export function getEnvironment(name: string): Environment {
  const claims = environments.filter((e) => e.name === name).map(sourceOf);
  if (claims.length === 0) {
    throw new Error(
      `unknown environment "${name}": expected one of ${environments.map((e) => `"${e.name}"`).join(', ')} ` +
        '(the Pulumi stack name and the dist/<env>/ folder select it; add it to environments/index.ts)',
    );
  }
  const findings = claims.length > 1 ? checkEnvironments(claims) : checkEnvironment(claims[0].value, claims[0].file);
  if (findings.length) throw new FindingsError(findings, `environment "${name}" has ${findings.length} problem(s)`);
  return claims[0].value as Environment;
}
