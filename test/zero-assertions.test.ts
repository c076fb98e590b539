/**
 * The suite-level guard (test/setup/assertions.js, wired in jest.config.js) fails any test that makes no
 * assertion. Proven here by running the project's own Jest config on a scratch test file in a child process.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');

interface JestJson {
  testResults: Array<{ assertionResults: Array<{ title: string; status: string; failureMessages: string[] }> }>;
}

function runJestOn(source: string): JestJson {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zero-assertions-'));
  try {
    fs.writeFileSync(path.join(dir, 'scratch.test.ts'), source);
    // The project's config, with only the scratch folder as root (no cache, so nothing is shared with the outer run).
    const config = { ...require(path.join(root, 'jest.config.js')), rootDir: root, roots: [dir] };
    const r = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '--config', JSON.stringify(config), '--json', '--no-cache', '--ci'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 50000,
    });
    if (!r.stdout.trim().startsWith('{')) throw new Error(`jest did not report JSON (status ${r.status}):\n${r.stderr}`);
    return JSON.parse(r.stdout);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('a test that makes zero assertions fails the run; one that asserts passes; a skipped one is reported as skipped', () => {
  const result = runJestOn(
    [
      "test('asserts nothing', () => { const x = 1 + 1; void x; });",
      "test('asserts nothing, asynchronously', async () => { await Promise.resolve(); });",
      "test('asserts', () => { expect(1 + 1).toBe(2); });",
      "test.skip('is skipped', () => {});",
    ].join('\n'),
  );
  const outcomes = result.testResults[0].assertionResults.map((a) => [a.title, a.status, a.failureMessages.join('\n').includes('Expected at least one assertion to be called')]);
  expect(outcomes).toEqual([
    ['asserts nothing', 'failed', true],
    ['asserts nothing, asynchronously', 'failed', true],
    ['asserts', 'passed', false],
    ['is skipped', 'pending', false],
  ]);
});
