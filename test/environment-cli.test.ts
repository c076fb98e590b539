/**
 * The environment schema as users meet it: `environments/<env>.ts` edited with mistakes on a
 * scratch copy, then `npm run synth`, `npm run plan` and `npm run edge:nodes` run as the README
 * says. tsx strips types, so only the run-time check stands between a typo and `dist/`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { edit, rmScratch, run, scratchCopy, TSX } from './util/scratch';

let dir: string;
beforeAll(() => {
  dir = scratchCopy('environment-cli-');
  edit(dir, 'environments/dev.ts', "antiAffinity: 'required' }", "antiAffinity: 'require', replica: 2 }");
  edit(dir, 'environments/dev.ts', "vpcCidr: '10.0.0.0/16'", "vpcCidr: '10.0.0.0/33'");
  edit(dir, 'environments/edge.ts', 'joinTokenTtlSeconds: 3600', "joinTokenTtlSeconds: '3600'");
});
afterAll(() => rmScratch(dir));

const DEV_LINES = [
  'environments/dev.ts: provider.network.vpcCidr: "10.0.0.0/33" is not an IPv4 network in CIDR notation; write a.b.c.d/n with no host bits set, e.g. "10.244.0.0/16" [environment-schema]',
  'environments/dev.ts: workloads.nginx.antiAffinity: is "require", not one of "required", "preferred"; did you mean "required"? [environment-schema]',
  'environments/dev.ts: workloads.nginx.replica: is not a setting of workloads.nginx; did you mean replicas? Rename or remove it [environment-schema]',
];

const EDGE_LINE =
  'environments/edge.ts: provider.microk8s.joinTokenTtlSeconds: is the string "3600", not a number; write 3600 without quotes [environment-schema]';

/** Every file under `root/dist`, with its content. */
function distTree(root: string): Record<string, string> {
  const dist = path.join(root, 'dist');
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dist, { recursive: true }) as string[]) {
    const p = path.join(dist, entry);
    if (fs.statSync(p).isFile()) out[entry] = fs.readFileSync(p, 'utf8');
  }
  return out;
}

test('npm run synth lists every problem of every environment, one line each, and leaves dist/ as it was', () => {
  const before = distTree(dir);
  const r = run(dir, 'npm', ['run', '--silent', 'synth']);
  expect(r.status).toBe(1);
  for (const line of DEV_LINES) expect(r.stderr).toContain(`  ${line}\n`);
  expect(r.stderr).toContain(`  ${EDGE_LINE}\n`);
  expect(r.stderr).not.toMatch(/Cannot read properties|TypeError/);
  expect(distTree(dir)).toEqual(before);
});

test('npm run plan refuses every problem of the model at once, before any stack runs', () => {
  const r = run(dir, process.execPath, [TSX, 'infra/plan.ts', '--out', 'plan-out']);
  expect(r.status).toBe(1);
  expect(r.stderr.trim().split('\n')).toEqual(['4 problem(s) in the environment model:', ...[...DEV_LINES, EDGE_LINE].map((l) => `  ${l}`)]);
  expect(fs.existsSync(path.join(dir, 'plan-out'))).toBe(false);
});

test('npm run edge:nodes refuses the model and writes nothing', () => {
  const r = run(dir, process.execPath, [TSX, 'edge/cli.ts', '--out', 'nodes'], { EDGE_WIFI_PASSWORD: 'correct horse battery', EDGE_JOIN_TOKEN: '0123456789abcdef0123456789abcdef' });
  expect(r.status).toBe(1);
  expect(r.stderr).toContain(`  ${EDGE_LINE}`);
  expect(fs.existsSync(path.join(dir, 'nodes'))).toBe(false);
});
