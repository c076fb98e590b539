/**
 * `npx cdk8s synth` as the README and CI run it prints no upgrade-check stack trace when npm is
 * unreachable (as it is for these tests: the check fetches registry.npmjs.org/cdk8s-cli/latest).
 * The plain command is run too, to prove the check would otherwise fire here.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { rmScratch, run, scratchCopy } from './util/scratch';

const TRACE = /_loadurl|http error|is available \(current/;
let dir: string;
let home: string;
beforeAll(() => {
  dir = scratchCopy('cdk8s-offline-');
  // A HOME without ~/.cdk8s-cli.version, the CLI's 30-minute cache of the latest version.
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-home-'));
});
afterAll(() => {
  rmScratch(dir);
  fs.rmSync(home, { recursive: true, force: true });
});

const cdk8s = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  run(dir, process.execPath, [path.join(dir, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s'), ...args], { HOME: home, CDK8S_CHECK_UPGRADE: undefined, ...env });

test('npx cdk8s synth --check-upgrade false (README, .ci/check-generated): synthesizes the project, no upgrade-check trace', () => {
  const r = cdk8s(['synth', '--check-upgrade', 'false']);
  expect(r.stderr).not.toMatch(TRACE);
  expect(r.stderr).toContain('objects in');
  expect(r.status).toBe(0);
});

describe('on a trivial app (the check does not depend on the app)', () => {
  let app: string;
  beforeAll(() => {
    app = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-app-'));
    fs.writeFileSync(path.join(app, 'cdk8s.yaml'), 'language: typescript\napp: node app.js\noutput: out\n');
    fs.writeFileSync(path.join(app, 'app.js'), "require('fs').mkdirSync('out', { recursive: true });\n");
  });
  afterAll(() => fs.rmSync(app, { recursive: true, force: true }));
  const cli = (env: NodeJS.ProcessEnv) => run(app, process.execPath, [path.join(dir, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s'), 'synth'], { HOME: home, CDK8S_CHECK_UPGRADE: undefined, ...env });

  test('CDK8S_CHECK_UPGRADE=false (what review --base sets for its generators): no trace', () => {
    const r = cli({ CDK8S_CHECK_UPGRADE: 'false' });
    expect(r.stderr).not.toMatch(TRACE);
  });

  test('without either, offline, the CLI does print the trace (so the tests above mean something)', () => {
    const r = cli({});
    expect(r.stderr).toMatch(TRACE);
  });
});
