import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RULES } from '../../guardrails/rules';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const BIN = resolve('guardrails/bin.cjs');

/** Runs the validator as `npm run validate -- ARGS` does (node guardrails/bin.cjs), optionally with stdin. */
function cli(args: string[], options: { cwd?: string; input?: string } = {}): Promise<Run> {
  return new Promise((done) => {
    const child = execFile('node', [BIN, ...args], { cwd: options.cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      done({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
    if (options.input !== undefined) child.stdin!.end(options.input);
    else child.stdin!.end();
  });
}

/** Runs a shell pipeline and reports the validator's own exit status (bash PIPESTATUS). */
function pipeline(command: string): Promise<Run> {
  return new Promise((done) => {
    const child = spawn('bash', ['-c', `${command}; echo "status=\${PIPESTATUS[0]}" >&2`]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', () => done({ code: Number(/status=(\d+)/.exec(stderr)?.[1] ?? -1), stdout, stderr: stderr.replace(/status=\d+\n/, '') }));
  });
}

const DIR = 'test/fixtures/validate';
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "nginx:latest"}]
`;

let work: string;
const runs: Record<string, Run> = {};

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'validate-cli-'));
  const dir = (...parts: string[]) => {
    const path = join(work, ...parts);
    mkdirSync(path, { recursive: true });
    return path;
  };
  // Inputs of every sort in one folder: what is a manifest, what is not, what can't be read.
  const inputs = dir('inputs');
  writeFileSync(join(inputs, 'Deploy.YAML'), DEPLOYMENT);
  writeFileSync(join(inputs, 'service.json'), JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } }));
  writeFileSync(join(inputs, 'copy.yml'), DEPLOYMENT);
  writeFileSync(join(inputs, 'rollout.yaml'), 'apiVersion: example.org/v1\nkind: Widget\nmetadata: {name: w, namespace: web}\n');
  writeFileSync(join(inputs, 'compose.yaml'), 'services:\n  web: {image: nginx}\n');
  writeFileSync(join(inputs, 'Chart.yaml'), 'apiVersion: v2\nname: web\nversion: 1.0.0\n');
  writeFileSync(join(inputs, 'values.yaml'), 'replicas: 2\n');
  writeFileSync(join(inputs, 'dashboard.json'), '{"panels": []}');
  writeFileSync(join(dir('inputs', 'chart', 'templates'), 'deployment.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n');
  writeFileSync(join(dir('inputs', 'base'), 'kustomization.yaml'), 'resources: [deployment.yaml]\n');
  writeFileSync(join(work, 'inputs', 'base', 'deployment.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: partial}\n');
  const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 8; i++) bomb.push(`${'abcdefgh'[i]}: &${'abcdefgh'[i]} [${Array(9).fill(`*${'abcdefgh'[i - 1]}`).join(',')}]`);
  writeFileSync(join(dir('bomb'), 'bomb.yaml'), `${bomb.join('\n')}\n`);
  writeFileSync(join(dir('big'), 'huge.yaml'), '');
  truncateSync(join(work, 'big', 'huge.yaml'), 150 * 1024 * 1024); // sparse: 150 MB by size, nothing on disk
  writeFileSync(join(dir('configured'), '.guardrails.yaml'), 'exclude: [image-tag]\nkubernetesVersion: "1.24"\nosConstraint: false\n');
  writeFileSync(join(work, 'configured', 'web.yaml'), DEPLOYMENT);
  writeFileSync(join(dir('bad-config'), '.guardrails.yaml'), 'exlude: [image-tag]\n');
  writeFileSync(join(work, 'bad-config', 'web.yaml'), DEPLOYMENT);

  const only = ['--no-os-constraint', '--include-only', 'image-tag,resources,duplicate-object,schema,selector-matches-no-pod'];
  const entries: [string, Promise<Run>][] = [
    ['clean', cli(['--explain', `${DIR}/clean`])],
    ['findings', cli(['--no-os-constraint', '--include-only', 'image-tag', '--include-only=resources', `${DIR}/image-tag`, `${DIR}/resources`, `${DIR}/os-constraint`])],
    ['broken', cli([`${DIR}/unparseable`, `${DIR}/no-such-dir`])],
    ['shipped', cli(['dist/dev/', 'dist/edge/', 'dist/infra/', 'dist/prod/'])],
    ['inputs', cli([...only, join(work, 'inputs')])],
    ['json', cli(['--format', 'json', ...only, join(work, 'inputs')])],
    ['sarif', cli(['--format=sarif', ...only, join(work, 'inputs')])],
    ['stdin', cli(['--include-only', 'image-tag', '-'], { input: DEPLOYMENT })],
    ['unknownRule', cli(['--exclude', 'no-such-rule', DIR])],
    ['unknownFlag', cli(['--fast', DIR])],
    ['noPath', cli([])],
    ['listRules', cli(['--list-rules'])],
    ['bomb', cli([join(work, 'bomb')])],
    ['big', cli([join(work, 'big')])],
    ['configured', cli(['web.yaml'], { cwd: join(work, 'configured') })],
    ['badConfig', cli(['web.yaml'], { cwd: join(work, 'bad-config') })],
    ['oldServer', cli(['--kubernetes-version', '1.20', '--include-only', 'removed-api', `${DIR}/removed-api`, `${DIR}/clean`])],
    ['badVersion', cli(['--kubernetes-version', '2.0', DIR])],
    ['head', pipeline(`node ${BIN} --no-os-constraint test/fixtures/corpus 2>/dev/null | head -1`)],
    ['fifo', pipeline(`mkfifo ${work}/pipe.yaml && timeout 20 node ${BIN} ${work}/pipe.yaml`)],
  ];
  const results = await Promise.all(entries.map(([, p]) => p));
  entries.forEach(([name], i) => (runs[name] = results[i]));
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm run validate: exit status and text output', () => {
  it('exits 0 when clean, listing the exceptions in use with --explain, then the counts', () => {
    const { code, stdout } = runs.clean;
    expect(code).toBe(0);
    expect(stdout).toContain(
      `${DIR}/clean/monitoring/node-exporter.yml: DaemonSet/monitoring/node-exporter: exception [host-access] node agent using hostNetwork, hostPID, ` +
        `hostPath volume "proc" (/proc), hostPath volume "sys" (/sys), container "node-exporter" hostPort 9100: reads the host's /proc and /sys and serves node metrics on each node's IP`,
    );
    expect(stdout).toMatch(/\n0 errors, \d+ warnings from \d+ rules in 10 objects of 3 files \(Kubernetes 1\.34\)\n$/);
  });

  it('exits 1 on errors, one line per finding with file:line, object, field, fix and rule', () => {
    const { code, stdout } = runs.findings;
    expect(code).toBe(1);
    expect(stdout.split('\n')).toEqual([
      `${DIR}/image-tag/web.yaml:30: Deployment/web/web: spec.template.spec.containers[0].image: container "web" uses image "nginx:latest"; pin a version tag [image-tag]`,
      `${DIR}/image-tag/web.yaml:19: Deployment/web/web: spec.template.spec.initContainers[0].image: init container "migrate" uses image "busybox" without a tag (that means :latest); pin a version tag [image-tag]`,
      `${DIR}/resources/web.yaml:24: Deployment/web/web: spec.template.spec.containers[0].resources: container "web" lacks resources.requests.memory, resources.limits.cpu; set CPU and memory requests and limits [resources]`,
      '3 errors, 0 warnings from 2 rules in 8 objects of 3 files (Kubernetes 1.34)',
      '',
    ]);
  });

  it('exits 2 naming the unparseable file and line and the missing dir, still reporting readable files', () => {
    const { code, stdout, stderr } = runs.broken;
    expect(code).toBe(2);
    expect(stderr).toContain(`${DIR}/unparseable/broken.yaml:5: YAML error: duplicated mapping key`);
    expect(stderr).toContain(`${DIR}/no-such-dir: cannot read: ENOENT`);
    expect(stdout).toContain(`${DIR}/unparseable/also-findings.yaml:7: Secret/web/db: data: carries literal values (data.password)`);
    expect(stdout).toMatch(/; 2 input errors\n$/);
  });

  it('passes on the shipped dist/*/ (errors; warnings are reported): each DIR is its own cluster, dist/infra/ holds no manifests', () => {
    const { code, stdout, stderr } = runs.shipped;
    // VolumeSnapshots (the DevOps Cookbook's blue/green clone) have no model package and no CRD among dist/: counted.
    expect(stdout).toMatch(/\n0 errors, \d+ warnings from \d+ rules in \d+ objects of \d+ files \(Kubernetes 1\.34\); 2 files skipped(; \d+ custom resources? not schema-checked)?\n$/);
    expect(stdout).not.toMatch(/^\S+: (?!warning:)/m);
    expect(stderr).toContain('dist/infra/dev.plan.json: YAML without Kubernetes objects (no document has apiVersion and kind), not Kubernetes objects; skipped');
    expect(code).toBe(0);
  });

  it('exits 2 with the usage on a bad option, an unknown rule, no path or an unsupported version', () => {
    expect(runs.unknownRule).toMatchObject({ code: 2, stdout: '' });
    expect(runs.unknownRule.stderr).toMatch(/^--exclude: unknown rule no-such-rule; see --list-rules\nusage: npm run validate/);
    expect(runs.unknownFlag.stderr).toMatch(/^unknown option --fast\nusage:/);
    expect(runs.noPath.stderr).toMatch(/^name at least one DIR, FILE or - \(stdin\)\nusage:/);
    expect(runs.badVersion.stderr).toMatch(/^--kubernetes-version: "2\.0" is not a Kubernetes version; write it as 1\.30/);
    expect([runs.unknownFlag.code, runs.noPath.code, runs.badVersion.code]).toEqual([2, 2, 2]);
  });

  it('handles EPIPE: piped into head, it prints one line and exits with its status, no stack trace', () => {
    const { code, stdout, stderr } = runs.head;
    expect(stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(stderr).not.toMatch(/EPIPE|Error/);
    expect(code).toBe(2); // the corpus has unreadable inputs (YAML errors, Helm templates)
  });
});

describe('npm run validate: inputs', () => {
  it('reads .YAML and .json, names and skips what is not a manifest, renders nothing it cannot', () => {
    const { code, stdout, stderr } = runs.inputs;
    const inputs = join(work, 'inputs');
    expect(stderr).toContain(`${inputs}/compose.yaml: a Docker Compose file, not Kubernetes objects; skipped`);
    expect(stderr).toContain(`${inputs}/Chart.yaml: a Helm chart description (render with \`helm template\` and validate the output), not Kubernetes objects; skipped`);
    expect(stderr).toContain(`${inputs}/values.yaml: Helm values (render with \`helm template\` and validate the output), not Kubernetes objects; skipped`);
    expect(stderr).toContain(`${inputs}/dashboard.json: YAML without Kubernetes objects (no document has apiVersion and kind), not Kubernetes objects; skipped`);
    expect(stderr).toContain(`${inputs}/base: a kustomize folder (kustomization.yaml); skipped 2 file(s)`);
    expect(stderr).toContain(`${inputs}/chart/templates/deployment.yaml: a Helm template ({{ ... }}), not YAML yet; render it with \`helm template\` first and validate the output`);
    expect(stderr).toContain('not schema-checked (no CRD among the inputs): Widget (example.org/v1)');
    expect(stderr).not.toContain('has no apiVersion/kind');
    expect(stdout).toContain(`${inputs}/Deploy.YAML:10: Deployment/web/web: spec.template.spec.containers[0].image: container "web" uses image "nginx:latest"; pin a version tag [image-tag]`);
    expect(stdout).toContain(`${inputs}/copy.yml:3: Deployment/web/web: metadata.name: is the same object as Deployment/web/web in ${inputs}/Deploy.YAML:1; rename one of them or delete the copy [duplicate-object]`);
    expect(stdout).not.toContain('service.json'); // its selector matches the Deployment: read and related
    expect(stdout).toMatch(/in 4 objects of 4 files \(Kubernetes 1\.34\); 5 files skipped; 1 custom resource not schema-checked; 1 input error\n$/);
    expect(code).toBe(2);
  });

  it('reads stdin (-)', () => {
    expect(runs.stdin.code).toBe(1);
    expect(runs.stdin.stdout).toContain('<stdin>:10: Deployment/web/web: spec.template.spec.containers[0].image: container "web" uses image "nginx:latest"');
  });

  it('names the file of an alias bomb and refuses a 150 MB file without reading it', () => {
    expect(runs.bomb.code).toBe(2);
    expect(runs.bomb.stderr).toContain(`${join(work, 'bomb', 'bomb.yaml')}: YAML error: a document expands to more than 1000000 nodes through YAML aliases (an alias bomb?); write the values out`);
    expect(runs.big.code).toBe(2);
    expect(runs.big.stderr).toContain(`${join(work, 'big', 'huge.yaml')}: 150 MiB is larger than 32 MiB; split it into smaller files`);
  });

  it('does not hang on a named pipe', () => {
    expect(runs.fifo.code).toBe(2);
    expect(runs.fifo.stderr).toContain('pipe.yaml: not a regular file (a named pipe or device?); pass its content on stdin with -');
  });
});

describe('npm run validate: formats, rule selection, config, versions', () => {
  it('--format json carries the findings of the one finding model and the skipped inputs', () => {
    const report = JSON.parse(runs.json.stdout);
    expect(report.kubernetesVersion).toBe('1.34');
    expect(report.findings).toContainEqual({
      rule: 'image-tag',
      severity: 'error',
      file: join(work, 'inputs', 'Deploy.YAML'),
      line: 10,
      object: 'Deployment/web/web',
      field: 'spec.template.spec.containers[0].image',
      problem: 'container "web" uses image "nginx:latest"',
      fix: 'pin a version tag',
    });
    expect(report.skippedObjects).toEqual([{ file: join(work, 'inputs', 'rollout.yaml'), object: 'Widget/web/w', apiVersion: 'example.org/v1', kind: 'Widget' }]);
    expect(report.skippedFiles).toHaveLength(5);
    expect(report.inputErrors).toHaveLength(1);
    expect(runs.json.code).toBe(2);
  });

  it('--format sarif is SARIF 2.1.0 with ruleId, level and file:line locations', () => {
    const log = JSON.parse(runs.sarif.stdout);
    expect(log.version).toBe('2.1.0');
    const [run] = log.runs;
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(RULES.map((r) => r.id));
    const result = run.results.find((r: { ruleId: string }) => r.ruleId === 'image-tag');
    expect(result).toEqual({
      ruleId: 'image-tag',
      ruleIndex: RULES.findIndex((r) => r.id === 'image-tag'),
      level: 'error',
      message: { text: 'spec.template.spec.containers[0].image: container "web" uses image "nginx:latest"; pin a version tag' },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: join(work, 'inputs', 'Deploy.YAML') }, region: { startLine: 10 } },
          logicalLocations: [{ fullyQualifiedName: 'Deployment/web/web', kind: 'resource' }],
        },
      ],
    });
    expect(run.invocations[0].executionSuccessful).toBe(false);
  });

  it('--list-rules prints every rule with its kube-linter and kube-score equivalents', () => {
    const { code, stdout } = runs.listRules;
    expect(code).toBe(0);
    for (const rule of RULES) expect(stdout).toContain(`| \`${rule.id}\` | ${rule.severity} |`);
    expect(stdout).toContain('`no-anti-affinity`');
    expect(stdout).toContain('`deployment-has-host-podantiaffinity`');
  });

  it('reads ./.guardrails.yaml (exclude, version, osConstraint) and refuses unknown options in it', () => {
    expect(runs.configured.stdout).not.toContain('[image-tag]');
    expect(runs.configured.stdout).not.toContain('[os-constraint]');
    expect(runs.configured.stdout).toContain('[resources]');
    expect(runs.configured.stdout).toMatch(/\(Kubernetes 1\.24\)\n$/);
    expect(runs.configured.code).toBe(1);
    expect(runs.badConfig.code).toBe(2);
    expect(runs.badConfig.stderr).toMatch(/^\.guardrails\.yaml: unknown option "exlude"; use exclude, includeOnly, kubernetesVersion, osConstraint, failOnWarning/);
  });

  it('--kubernetes-version: an old server still serves old APIs and not yet the new ones', () => {
    const { stdout } = runs.oldServer;
    expect(stdout).not.toContain('removed in Kubernetes');
    expect(stdout).toContain('apiVersion: autoscaling/v2 HorizontalPodAutoscaler is served from Kubernetes 1.23, not by 1.20; use autoscaling/v2beta2');
    expect(stdout).toMatch(/\(Kubernetes 1\.20\)\n$/);
  });
});
