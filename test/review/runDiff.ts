/** Spawns the CLI the way CI does, for exit-code and output checks. */
import { spawnSync } from 'child_process';
import { join, resolve } from 'path';

export const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'review', 'cli.ts');

export function runDiff(args: readonly string[], cwd = ROOT) {
  const result = spawnSync('npx', ['tsx', CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
