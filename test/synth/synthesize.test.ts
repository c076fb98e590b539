/**
 * synth/synthesize.ts in-process: what a synthesis logs (left-out workloads, cross-layer warnings in
 * full, manifest warnings counted, the count line, publish warnings), and how each refusal reads
 * (PublishError with dist/ 'old', nothing written: neither dist/ nor the staging copy).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { stringify } from 'yaml';
import { Finding } from '../../contracts/finding';
import { Environment, Microk8sCluster } from '../../environments';
import { edge } from '../../environments/edge';
import { prod } from '../../environments/prod';
import { PublishError } from '../../synth/publish';
import { synthesize, warningSummary } from '../../synth/synthesize';
import { thrown } from '../util/thrown';

const scratch = (what: string) => mkdtempSync(join(tmpdir(), `synthesize-${what}-`));

/** edge with every workload left out: the cluster chart alone (one object, no manifest warning). */
const bareEdge = { ...edge, workloads: Object.fromEntries(Object.keys(edge.workloads).map((k) => [k, { omitted: 'not in this test' }])) } as Environment;

const microk8s = (edge.provider as { microk8s: Microk8sCluster }).microk8s;
const twoBoardEdge: Environment = { ...edge, provider: { kind: 'microk8s', microk8s: { ...microk8s, nodes: microk8s.nodes.slice(0, 2) } } };

const refusal = (run: () => unknown): PublishError => thrown(PublishError, run);

test('a synthesis logs each left-out workload with its reason, then the count line; a copy goes to the staging folder', () => {
  const dist = scratch('dist');
  const staging = join(scratch('staging'), 'cdk8s.out');
  const log: string[] = [];
  const [rendered] = synthesize([bareEdge], { distDir: dist, stagingDir: staging, log: (line) => log.push(line) });
  const leftOut = Object.keys(edge.workloads).map((k) => `edge: leaving out ${k}: not in this test`);
  // No manifest warning in the cluster chart alone: no summary line. 00-namespaces has no namespace to declare.
  // In the workload registry's order; then, as the only other line, the count.
  expect(log.slice(0, -1).sort()).toEqual(leftOut.sort());
  expect(rendered.files.map((f) => f.name)).toEqual(['01-cluster.yaml']);
  expect(log[log.length - 1]).toBe(`edge: ${rendered.files[0].objects.length} objects in 1 files → dist/edge/`);
  expect(readdirSync(join(dist, 'edge'))).toEqual(['01-cluster.yaml']);
  expect(readdirSync(join(staging, 'edge'))).toEqual(['01-cluster.yaml']);
  expect(readFileSync(join(staging, 'edge', '01-cluster.yaml'), 'utf8')).toBe(readFileSync(join(dist, 'edge', '01-cluster.yaml'), 'utf8'));
});

test('manifest warnings are summed per environment on one line that says how to list them; the count line sums the objects of every file', () => {
  const log: string[] = [];
  const [rendered] = synthesize([edge], { distDir: scratch('dist'), log: (line) => log.push(line) });
  const summary = log.filter((line) => line.includes('warning(s)'));
  expect(summary).toHaveLength(1);
  expect(summary[0]).toMatch(/^edge: (\d+) warning\(s\): [a-z-]+ \d+(, [a-z-]+ \d+)*; `npm run validate -- dist\/edge\/` lists them$/);
  const [, total, counts] = /^edge: (\d+) warning\(s\): (.*);/.exec(summary[0])!;
  expect(counts.split(', ').reduce((n, c) => n + Number(c.split(' ')[1]), 0)).toBe(Number(total));
  let objects = 0;
  for (const f of rendered.files) objects += f.objects.length;
  expect(objects).toBeGreaterThan(rendered.files.length);
  expect(log[log.length - 1]).toBe(`edge: ${objects} objects in ${rendered.files.length} files → dist/edge/`);
});

test('cross-layer warnings are logged in full (prod: NetworkPolicies that flannel does not enforce on Windows pods)', () => {
  const log: string[] = [];
  synthesize([prod], { distDir: scratch('dist'), log: (line) => log.push(line) });
  const windows = log.filter((line) => line.includes('NetworkPolicies select these Windows pods'));
  expect(windows.map((line) => line.split(': spec.template.spec.nodeSelector:')[0])).toEqual(
    expect.arrayContaining([
      'dist/prod/numbers.yaml: warning: Deployment/numbers/numbers-api',
      'dist/prod/petshop.yaml: warning: Deployment/petshop/petshop-db',
      'dist/prod/petshop.yaml: warning: Deployment/petshop/petshop-web',
      'dist/prod/petshop.yaml: warning: Deployment/petshop/petshop-webservice',
    ]),
  );
  for (const line of windows) expect(line).toMatch(/ \[policy-enforcement\]$/);
});

test('a refusal while building the charts: every refusal in the message, dist/ old, nothing written', () => {
  const dist = scratch('dist');
  const staging = join(scratch('staging'), 'out');
  const log: string[] = [];
  const error = refusal(() => synthesize([twoBoardEdge], { distDir: dist, stagingDir: staging, log: (line) => log.push(line) }));
  expect(error.distState).toBe('old');
  const lines = error.message.split('\n');
  expect(lines[0]).toBe('2 refusal(s) while building the charts:');
  expect(lines.slice(1).sort()).toEqual([
    expect.stringMatching(/^ {2}environments\/edge\.ts: nodePools\[0\]\.desired: is 4, but provider\.microk8s\.nodes lists 2 board\(s\); .* \[edge-model\]$/),
    expect.stringMatching(/^ {2}environments\/edge\.ts: provider\.microk8s\.ha: is true, but only 2 control-plane node\(s\) are listed\. .* \[edge-model\]$/),
  ]);
  expect(readdirSync(dist)).toEqual([]);
  expect(existsSync(staging)).toBe(false);
  expect(log).toEqual([]);
});

test('guardrail errors (here two Services moving onto pods dist/ does not run): all in the message, none in the log, nothing written', () => {
  const dist = scratch('dist');
  mkdirSync(join(dist, 'edge'));
  // What was applied: the nginx and minio Services selecting pods of another name, and no workload at all.
  const applied = [
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'nginx', namespace: 'web' }, spec: { selector: { app: 'nginx-old' }, ports: [{ port: 80 }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'minio', namespace: 'minio' }, spec: { selector: { app: 'minio-old' }, ports: [{ port: 9000 }] } },
  ];
  writeFileSync(join(dist, 'edge', 'applied.yaml'), applied.map((o) => `---\n${stringify(o)}`).join(''));
  const staging = join(scratch('staging'), 'out');
  const log: string[] = [];
  const error = refusal(() => synthesize([edge], { distDir: dist, stagingDir: staging, log: (line) => log.push(line) }));
  expect(error.distState).toBe('old');
  const lines = error.message.split('\n');
  expect(lines[0]).toBe('2 guardrail finding(s):');
  expect(lines.slice(1).map((line) => line.split(': spec.selector:')[0]).sort()).toEqual(['  dist/edge/minio.yaml: Service/minio/minio', '  dist/edge/nginx.yaml: Service/web/nginx']);
  for (const line of lines.slice(1)) expect(line).toMatch(/no workload matches it.* \[blue-green-flip\]$/);
  expect(log.filter((line) => line.includes('blue-green-flip'))).toEqual([]);
  expect(readdirSync(dist)).toEqual(['edge']);
  expect(readdirSync(join(dist, 'edge'))).toEqual(['applied.yaml']);
  expect(existsSync(staging)).toBe(false);
});

test("publish's warnings reach the log, marked as warnings", () => {
  const dist = scratch('dist');
  mkdirSync(join(dist, '.synth-new.edge'));
  writeFileSync(join(dist, '.synth-new.edge', 'x.yaml'), '# killed run\n');
  const log: string[] = [];
  synthesize([bareEdge], { distDir: dist, log: (line) => log.push(line) });
  expect(log).toContain('warning: deleted the leftovers of an interrupted publish: dist/.synth-new.edge');
  expect(readdirSync(dist)).toEqual(['edge']);
});

test('warningSummary: rules with the same count are listed by rule id, whatever order they came in', () => {
  const warning = (rule: string): Finding => ({ rule, severity: 'warning', file: 'dist/dev/x.yaml', problem: 'p', fix: 'f' });
  const found = ['delta', 'bravo', 'echo', 'alpha', 'charlie', 'bravo', 'foxtrot', 'alpha'].map(warning);
  expect(warningSummary(found)).toBe('8 warning(s): alpha 2, bravo 2, charlie 1, delta 1, echo 1, foxtrot 1');
});
