/** Spawns the CLI the way CI does, for exit-code and output checks. Async, so tests can run several at once. */
import { spawn } from 'child_process';
import { join, resolve } from 'path';

export const ROOT = resolve(__dirname, '..', '..');
const CLI = join(ROOT, 'review', 'cli.ts');

export interface DiffRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runDiff(args: readonly string[], cwd = ROOT): Promise<DiffRun> {
  return new Promise((done, fail) => {
    const child = spawn('npx', ['tsx', CLI, ...args], { cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}
