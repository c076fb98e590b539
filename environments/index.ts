import { dev } from './dev';
import { edge } from './edge';
import { prod } from './prod';
import { Environment } from './types';

export * from './types';

/** Every environment, in the order they synthesize. */
export const environments: readonly Environment[] = [dev, prod, edge];

export function getEnvironment(name: string): Environment {
  const env = environments.find((e) => e.name === name);
  if (!env) {
    throw new Error(
      `unknown environment "${name}": expected one of ${environments.map((e) => `"${e.name}"`).join(', ')} ` +
        '(the Pulumi stack name and the dist/<env>/ folder select it; add it to environments/index.ts)',
    );
  }
  return env;
}
