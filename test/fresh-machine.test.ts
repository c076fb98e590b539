/**
 * `npm test` on a machine with only Node: the tests that need shellcheck, cloud-init,
 * systemd-analyze or PyYAML are skipped visibly (title ` [needs <tool>]`, and a summary line from
 * test/reporters/skipped-tools.js saying what was skipped and how to run it), never failed and
 * never passed with zero assertions. Under CI=true the same tests FAIL. Proven by running the tool
 * tests in a child Jest whose PATH holds everything this machine has except those tools.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..');
const STRIPPED = new Set(['shellcheck', 'cloud-init', 'systemd-analyze', 'python3', 'python']);
const FILES = ['test/edge/render.test.ts', 'test/infra/bootstrap.test.ts', 'test/yaml-quoting.test.ts'];
/** Only the tests that use a tool (the rest of these files is covered by the main run). */
const TOOL_TESTS = 'cloud-init|shellcheck|systemd-analyze|PyYAML';

/** A bin folder linking every command on PATH except the stripped tools. */
function pathWithoutTools(): string {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'fresh-path-'));
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir || !fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir)) {
      if (STRIPPED.has(name) || fs.existsSync(path.join(bin, name))) continue;
      fs.symlinkSync(path.join(dir, name), path.join(bin, name));
    }
  }
  return bin;
}

interface JestJson {
  numFailedTests: number;
  numPassedTests: number;
  testResults: Array<{ assertionResults: Array<{ title: string; status: string; failureMessages: string[] }> }>;
}

function jestWithout(ci: boolean): { json: JestJson; stderr: string } {
  const bin = pathWithoutTools();
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: bin };
    delete env.CI;
    delete env.JEST_WORKER_ID;
    if (ci) env.CI = 'true';
    const r = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '--json', '--runInBand', '-t', TOOL_TESTS, ...FILES], {
      cwd: root,
      env,
      encoding: 'utf8',
      timeout: 120000,
    });
    if (!r.stdout.trim().startsWith('{')) throw new Error(`jest did not report JSON (status ${r.status}):\n${r.stderr}`);
    return { json: JSON.parse(r.stdout), stderr: r.stderr };
  } finally {
    fs.rmSync(bin, { recursive: true, force: true });
  }
}

const results = (json: JestJson) => json.testResults.flatMap((f) => f.assertionResults);

test('without the tools: every tool test is skipped with [needs ...], nothing fails, and the summary says how to enable them', () => {
  const { json, stderr } = jestWithout(false);
  const needing = results(json).filter((t) => /\[needs [^\]]+\]$/.test(t.title));
  expect(json.numFailedTests).toBe(0);
  expect(needing.length).toBeGreaterThanOrEqual(10);
  expect(needing.every((t) => t.status === 'pending')).toBe(true);
  // Every tool test of these files shows up, and none ran.
  for (const tool of ['cloud-init', 'shellcheck', 'systemd-analyze', 'pyyaml']) expect(needing.some((t) => t.title.includes(`[needs ${tool}]`))).toBe(true);
  expect(results(json).filter((t) => t.status === 'passed' && new RegExp(TOOL_TESTS).test(t.title))).toEqual([]);
  expect(stderr).toMatch(/Skipped \d+ test\(s\) because tools are missing: cloud-init \(\d+, in test\/edge\/render\.test\.ts\); pyyaml .*shellcheck \(\d+, in test\/edge\/render\.test\.ts, test\/infra\/bootstrap\.test\.ts\); systemd-analyze/);
  expect(stderr).toContain('sudo apt-get install -y cloud-init python3-yaml shellcheck systemd');
  expect(stderr).toContain('with CI=true a missing tool fails instead of skipping');
});

test('with CI=true: the same tests run and fail, naming the missing tool and .ci/run', () => {
  const { json } = jestWithout(true);
  const failed = results(json).filter((t) => t.status === 'failed');
  expect(results(json).filter((t) => /\[needs /.test(t.title))).toEqual([]);
  expect(failed.length).toBeGreaterThanOrEqual(10);
  for (const t of failed) expect(t.failureMessages.join('\n')).toMatch(/(shellcheck|cloud-init|systemd-analyze|pyyaml) is not installed; \.ci\/run installs it/);
});
