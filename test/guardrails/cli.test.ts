import { execFile } from 'node:child_process';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `npx tsx guardrails/cli.ts ARGS` as users do (`npm run validate -- ARGS`). */
function cli(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile('npx', ['tsx', 'guardrails/cli.ts', ...args], (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

const DIR = 'test/fixtures/validate';

describe('npm run validate', () => {
  // Each spawn costs ~1 s of CPU for npx and tsx start-up, so the cases share three runs, started together.
  let clean: Run;
  let findings: Run;
  let broken: Run;
  let shipped: Run;
  beforeAll(async () => {
    [clean, findings, broken, shipped] = await Promise.all([
      cli('--explain', `${DIR}/clean`),
      cli('--no-os-constraint', `${DIR}/image-tag`, `${DIR}/resources`, `${DIR}/os-constraint`),
      cli(`${DIR}/unparseable`, `${DIR}/no-such-dir`),
      cli('dist/dev/', 'dist/edge/', 'dist/infra/', 'dist/prod/'),
    ]);
  });

  it('exits 0 when clean, listing the exceptions in use with --explain, then the counts', () => {
    expect(clean.code).toBe(0);
    expect(clean.stdout.split('\n')).toEqual([
      `${DIR}/clean/monitoring/node-exporter.yml: DaemonSet/monitoring/node-exporter: exception [host-access] node agent using hostNetwork, hostPID, ` +
        `hostPath volume "proc" (/proc), hostPath volume "sys" (/sys), container "node-exporter" hostPort 9100: reads the host's /proc and /sys and serves node metrics on each node's IP`,
      '0 finding(s) in 10 document(s) of 3 file(s)',
      '',
    ]);
  });

  it('exits 1 and prints one line per finding, then the counts (--no-os-constraint silencing os-constraint)', () => {
    expect(findings.code).toBe(1);
    expect(findings.stdout.split('\n')).toEqual([
      `${DIR}/image-tag/web.yaml: Deployment/web/web: spec.template.spec.containers[0].image: container "web" uses image "nginx:latest"; pin a version tag [image-tag]`,
      `${DIR}/image-tag/web.yaml: Deployment/web/web: spec.template.spec.initContainers[0].image: init container "migrate" uses image "busybox" without a tag (that means :latest); pin a version tag [image-tag]`,
      `${DIR}/resources/web.yaml: Deployment/web/web: spec.template.spec.containers[0].resources: container "web" lacks resources.requests.memory, resources.limits.cpu; set CPU and memory requests and limits [resources]`,
      '3 finding(s) from 2 rule(s) in 8 document(s) of 3 file(s)',
      '',
    ]);
  });

  it('exits 2 naming the unparseable file, the YAML error and the missing dir, still reporting readable files', () => {
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain(`${DIR}/unparseable/broken.yaml: YAML error: Map keys must be unique at line 5, column 3`);
    expect(broken.stderr).toContain(`${DIR}/no-such-dir: cannot read: ENOENT`);
    expect(broken.stdout).toMatch(/unparseable\/also-findings.yaml: Secret\/web\/db: data: carries literal values .*\[secret-literal-data\]\n/);
    expect(broken.stdout).toMatch(/; 2 input error\(s\)\n$/);
  });

  it('passes on the shipped dist/*/: each DIR is its own cluster (dev and prod both use nodePort 30000), dist/infra/ is skipped', () => {
    // No error; what remains are the Pod Security warnings `kubectl apply` prints too (warn/audit restricted).
    const lines = shipped.stdout.trimEnd().split('\n');
    expect(lines.pop()).toMatch(/^\d+ finding\(s\) from 1 rule\(s\) in \d+ document\(s\) of \d+ file\(s\)$/);
    expect(lines.every((l) => l.includes(': warning: ') && l.endsWith('[pod-security]'))).toBe(true);
    expect(shipped.stderr).toContain('dist/infra/: no *.yaml or *.yml files, skipped');
    expect(shipped.code).toBe(0);
  });
});
