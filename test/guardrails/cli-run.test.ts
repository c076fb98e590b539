/**
 * guardrails/cli.ts in-process: run(args) with the arguments `npm run validate --` passes, and main()
 * with a fake argv, stdout, stderr and process.exit (test/guardrails/cli.test.ts runs the real binary;
 * these run the code itself). Expected outputs are written out by hand, line numbers counted in the YAML.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { EXIT, run } from '../../guardrails/cli';

// Line 10 is the image (counted: apiVersion 1, kind 2, metadata 3, spec 4, replicas 5, selector 6,
// template 7, metadata 8, spec 9, containers 10).
const deployment = (name: string, image = 'nginx:latest') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: ${name}, image: "${image}"}]
`;
const imageTag = (file: string, name: string, line = 10) => ({
  rule: 'image-tag',
  severity: 'error',
  file,
  line,
  object: `Deployment/web/${name}`,
  field: 'spec.template.spec.containers[0].image',
  problem: `container "${name}" uses image "nginx:latest"`,
  fix: 'pin a version tag',
});
// startingDeadlineSeconds is missing: a warning (cronjob-deadline) on line 1.
const CRONJOB = `apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: web}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: job, image: "busybox:1.36"}]
`;

let work: string;
const path = (...parts: string[]) => join(work, ...parts);
function write(file: string, text: string): string {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  return file;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'guardrails-cli-run-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const json = async (args: string[]) => {
  const result = await run(['--format', 'json', ...args]);
  expect(result.stderr).toBe('');
  return { code: result.code, report: JSON.parse(result.stdout) };
};

const USAGE_START = 'usage: npm run validate -- [options] DIR|FILE|-...\n';
const USAGE_END = 'Exit status: 0 clean (warnings allowed), 1 error findings, 2 input or usage error, 3 internal error.\n';

describe('exit statuses', () => {
  it('are 0 clean, 1 findings, 2 input, 3 internal', () => {
    expect(EXIT).toEqual({ clean: 0, findings: 1, input: 2, internal: 3 });
  });
});

describe('run: help, rules and usage errors', () => {
  it('--help prints the usage on stdout and exits 0', async () => {
    for (const flag of ['--help', '-h']) {
      const { code, stdout, stderr } = await run([flag]);
      expect(code).toBe(0);
      expect(stderr).toBe('');
      expect(stdout.startsWith(USAGE_START)).toBe(true);
      expect(stdout.endsWith(USAGE_END)).toBe(true);
    }
  });

  it('--list-rules prints the rules table on stdout and exits 0', async () => {
    const { code, stdout, stderr } = await run(['--list-rules']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout.startsWith('| rule | severity | checks | kube-linter | kube-score |\n|----|----|----|----|----|\n| `')).toBe(true);
    expect(stdout).toContain('\n| `image-tag` | error | ');
    expect(stdout).toContain('\n| `cronjob-deadline` | warning | ');
    expect(stdout.endsWith('|\n')).toBe(true);
  });

  it('refuses unknown rule ids of --exclude, then of --include-only, with the usage on stderr and exit 2', async () => {
    const exclude = await run(['--exclude', 'nope,image-tag,nada', '--include-only', 'bogus', work]);
    expect(exclude.code).toBe(2);
    expect(exclude.stdout).toBe('');
    expect(exclude.stderr.startsWith(`--exclude: unknown rule nope, nada; see --list-rules\n${USAGE_START}`)).toBe(true);
    expect(exclude.stderr.endsWith(USAGE_END)).toBe(true);
    const include = await run(['--include-only', 'image-tag', '--include-only=bogus', work]);
    expect(include).toMatchObject({ code: 2, stdout: '' });
    expect(include.stderr.startsWith(`--include-only: unknown rule bogus; see --list-rules\n${USAGE_START}`)).toBe(true);
  });

  it('knows every rule id and "exception"', async () => {
    const dir = path('known-ids');
    write(join(dir, 'web.yaml'), deployment('web'));
    const excluded = await json(['--exclude', 'exception,schema,image-tag,resources,cronjob-deadline', '--include-only', 'image-tag,exception', dir]);
    expect(excluded.code).toBe(0);
    expect(excluded.report.findings).toEqual([]);
  });

  it('a usage error of the options (no path) is exit 2 with the usage', async () => {
    const { code, stdout, stderr } = await run([]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`name at least one DIR, FILE or - (stdin)\n${stderr.slice(stderr.indexOf('usage:'))}`);
    expect(stderr.endsWith(USAGE_END)).toBe(true);
  });
});

describe('run: inputs of a folder', () => {
  it('reads manifests, skips kustomize folders (not their subfolders) and tools\' files, names unreadable files', async () => {
    const dir = path('mixed');
    write(join(dir, 'web.yaml'), deployment('web'));
    write(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: web\nversion: 1.0.0\n');
    // line 1: apiVersion, 2: kind, 3: metadata, 4: the second metadata
    write(join(dir, 'broken.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nmetadata: {name: b}\n');
    write(join(dir, 'base', 'kustomization.yaml'), 'resources: [app.yaml]\n');
    write(join(dir, 'base', 'app.yaml'), deployment('partial'));
    write(join(dir, 'base', 'nested', 'job.yaml'), deployment('nested'));
    write(join(dir, 'overlay', 'Kustomization.YML'), 'resources: [../base]\n');
    write(join(dir, 'overlay', 'patch.yaml'), deployment('patch'));
    write(join(dir, 'overlay', 'more.json'), '{}');
    write(join(dir, 'plain', 'my-kustomization.yaml'), 'resources: [x.yaml]\n');
    write(join(dir, 'plain', 'kustomization.yaml.orig'), 'resources: [x.yaml]\n');
    write(join(dir, 'plain', 'other.yaml'), deployment('other'));

    const { code, report } = await json(['--include-only', 'image-tag', dir]);
    expect(report.findings).toEqual([imageTag(join(dir, 'base', 'nested', 'job.yaml'), 'nested'), imageTag(join(dir, 'plain', 'other.yaml'), 'other'), imageTag(join(dir, 'web.yaml'), 'web')]);
    expect(report.skippedFiles).toEqual([
      `${join(dir, 'base')}: a kustomize folder (kustomization.yaml); skipped 2 file(s): validate its output with \`kubectl kustomize ${join(dir, 'base')} | npm run validate -- -\``,
      `${join(dir, 'overlay')}: a kustomize folder (kustomization.yaml); skipped 3 file(s): validate its output with \`kubectl kustomize ${join(dir, 'overlay')} | npm run validate -- -\``,
      `${join(dir, 'Chart.yaml')}: a Helm chart description (render with \`helm template\` and validate the output), not Kubernetes objects; skipped`,
      `${join(dir, 'plain', 'my-kustomization.yaml')}: a kustomize configuration, not Kubernetes objects; skipped`,
    ]);
    expect(report.inputErrors).toEqual([`${join(dir, 'broken.yaml')}:4: YAML error: duplicated mapping key`]);
    expect(report.summary).toEqual({ errors: 3, warnings: 0, objects: 3, files: 3 });
    expect(code).toBe(2);
  });

  it('a folder without manifest files is named and skipped; with nothing else read, that is an input error', async () => {
    const empty = path('empty');
    write(join(empty, 'notes.txt'), 'nothing\n');
    const other = path('empty-too');
    mkdirSync(other);
    const { code, report } = await json([empty, other]);
    expect(report.skippedFiles).toEqual([`${empty}: no *.yaml, *.yml or *.json files; skipped`, `${other}: no *.yaml, *.yml or *.json files; skipped`]);
    expect(report.inputErrors).toEqual([`no Kubernetes manifests under ${empty}, ${other}`]);
    expect(report.summary).toEqual({ errors: 0, warnings: 0, objects: 0, files: 0 });
    expect(code).toBe(2);
  });

  it('only skipped files is no manifests either; an unreadable file alone is its own input error', async () => {
    const dir = path('only-chart');
    write(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: web\n');
    const skipped = await json([dir]);
    expect(skipped.report.inputErrors).toEqual([`no Kubernetes manifests under ${dir}`]);
    expect(skipped.report.summary.files).toBe(0);
    expect(skipped.code).toBe(2);

    const broken = write(path('only-broken', 'x.yaml'), 'a: [\n');
    const unreadable = await json([broken]);
    expect(unreadable.report.inputErrors).toEqual([`${broken}:2: YAML error: deficient indentation`]);
    expect(unreadable.code).toBe(2);
  });

  it('names a path that does not exist and still checks the others', async () => {
    const missing = path('no-such-dir');
    const dir = path('exists');
    write(join(dir, 'web.yaml'), deployment('web'));
    const { code, report } = await json(['--include-only', 'image-tag', missing, dir]);
    expect(report.inputErrors).toEqual([`${missing}: cannot read: ENOENT: no such file or directory, stat '${missing}'`]);
    expect(report.skippedFiles).toEqual([]);
    expect(report.findings).toEqual([imageTag(join(dir, 'web.yaml'), 'web')]);
    expect(code).toBe(2);
  });

  it('each path is its own cluster; files and objects add up over them', async () => {
    const a = write(path('clusters', 'a', 'web.yaml'), deployment('web', 'nginx:1.27'));
    const b = write(path('clusters', 'b', 'web.yaml'), deployment('web', 'nginx:1.27'));
    write(path('clusters', 'b', 'job.yaml'), CRONJOB);
    const apart = await json(['--include-only', 'duplicate-object', path('clusters', 'a'), path('clusters', 'b')]);
    expect(apart.report.findings).toEqual([]);
    expect(apart.report.summary).toEqual({ errors: 0, warnings: 0, objects: 3, files: 3 });
    expect(apart.code).toBe(0);
    const together = await json(['--include-only', 'duplicate-object', path('clusters')]);
    expect(together.report.findings.map((f: { file: string; rule: string }) => [f.file, f.rule])).toEqual([[b, 'duplicate-object']]);
    expect(together.report.findings[0].problem).toBe(`is the same object as Deployment/web/web in ${a}:1`);
    expect(together.code).toBe(1);
  });
});

describe('run: exit status from findings', () => {
  it('0 with warnings only, 1 with --fail-on-warning, 1 on an error, 2 when an input could not be read', async () => {
    const job = write(path('status', 'job.yaml'), CRONJOB);
    const warned = await json(['--include-only', 'cronjob-deadline', job]);
    expect(warned.report.findings.map((f: { severity: string; line: number }) => [f.severity, f.line])).toEqual([['warning', 4]]);
    expect(warned.code).toBe(0);
    expect((await json(['--include-only', 'cronjob-deadline', '--fail-on-warning', job])).code).toBe(1);

    const web = write(path('status', 'web.yaml'), deployment('web'));
    expect((await json(['--include-only', 'image-tag,cronjob-deadline', web, job])).code).toBe(1);
    expect((await json(['--include-only', 'image-tag', job])).code).toBe(0);
    const broken = write(path('status-broken', 'broken.yaml'), 'a: [\n');
    expect((await json(['--include-only', 'image-tag', web, broken])).code).toBe(2);
  });

  it('text: findings on stdout with the summary, skipped files and input errors on stderr', async () => {
    const dir = path('text');
    const web = write(join(dir, 'web.yaml'), deployment('web'));
    write(join(dir, 'values.yaml'), 'replicas: 2\n');
    const broken = write(join(dir, 'zz.yaml'), 'a: [\n');
    const { code, stdout, stderr } = await run(['--include-only', 'image-tag', dir]);
    expect(stdout).toBe(
      `${web}:10: Deployment/web/web: spec.template.spec.containers[0].image: container "web" uses image "nginx:latest"; pin a version tag [image-tag]\n` +
        '1 error, 0 warnings from 1 rule in 1 object of 1 file (Kubernetes 1.34); 1 file skipped; 1 input error\n',
    );
    expect(stderr).toBe(
      `${join(dir, 'values.yaml')}: Helm values (render with \`helm template\` and validate the output), not Kubernetes objects; skipped\n` + `${broken}:2: YAML error: deficient indentation\n`,
    );
    expect(code).toBe(2);
  });
});

describe('run: --explain', () => {
  const AGENT = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
  namespace: ops
  annotations:
    guardrails.k8s-book-systems.io/node-agent: reads the host's /proc
    guardrails.k8s-book-systems.io/waive: "image-tag: follows upstream latest"
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      hostPID: true
      containers: [{name: agent, image: "agent:latest"}]
`;

  it('lists the exceptions in use only when asked', async () => {
    const file = write(path('explain', 'agent.yaml'), AGENT);
    const args = ['--include-only', 'image-tag,host-access,exception', file];
    const explained = await json(['--explain', ...args]);
    expect(explained.report.findings).toEqual([]);
    expect(explained.report.exceptions).toEqual([
      { file, object: 'DaemonSet/ops/agent', rule: 'host-access', reason: "reads the host's /proc", detail: 'node agent using hostPID' },
      { file, object: 'DaemonSet/ops/agent', rule: 'image-tag', reason: 'follows upstream latest', detail: 'waived' },
    ]);
    expect(explained.code).toBe(0);
    const quiet = await json(args);
    expect(quiet.report.exceptions).toEqual([]);
    expect(quiet.report.findings).toEqual([]);
  });
});

describe('run: stdin (-)', () => {
  const original = Object.getOwnPropertyDescriptor(process, 'stdin')!;
  let stdin: PassThrough;
  beforeEach(() => {
    stdin = new PassThrough();
    Object.defineProperty(process, 'stdin', { value: stdin, configurable: true, writable: true });
  });
  afterEach(() => Object.defineProperty(process, 'stdin', original));

  it('reads manifests from stdin as <stdin>', async () => {
    stdin.end(deployment('web'));
    const { code, report } = await json(['--include-only', 'image-tag', '-']);
    expect(report.findings).toEqual([imageTag('<stdin>', 'web')]);
    expect(report.summary).toEqual({ errors: 1, warnings: 0, objects: 1, files: 1 });
    expect(code).toBe(1);
  });

  it('names what on stdin cannot be used', async () => {
    stdin.end('metadata:\n  name: {{ .Release.Name }}\n');
    const { code, report } = await json(['-']);
    expect(report.inputErrors).toEqual(['<stdin>: a Helm template ({{ ... }}), not YAML yet; render it with `helm template` first and validate the output']);
    expect(report.summary.files).toBe(0);
    expect(code).toBe(2);
  });

  it('counts nothing for a skipped stdin', async () => {
    stdin.end('services:\n  web: {image: nginx}\n');
    const { code, report } = await json(['-']);
    expect(report.skippedFiles).toEqual(['<stdin>: a Docker Compose file, not Kubernetes objects; skipped']);
    expect(report.inputErrors).toEqual(['no Kubernetes manifests under -']);
    expect(code).toBe(2);
  });
});

describe('run: validators to preload', () => {
  it('are the apiVersion and kind of every document and List item that has both as strings', async () => {
    const file = write(
      path('preload', 'all.yaml'),
      [
        'apiVersion: v1',
        'kind: List',
        'items:',
        '- {apiVersion: gateway.networking.k8s.io/v1, kind: HTTPRoute, metadata: {name: r}}',
        '- {apiVersion: v1, kind: ConfigMapList, items: [{apiVersion: argoproj.io/v1alpha1, kind: Rollout, metadata: {name: nested}}]}',
        '- {apiVersion: 5, kind: Broken}',
        '- {apiVersion: v1, kind: 5}',
        '- null',
        '- text',
        '---',
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata: {name: c}',
        '---',
        'plain text',
        '',
      ].join('\n'),
    );
    const preload = jest.fn(async (_: unknown) => undefined);
    let isolated!: typeof import('../../guardrails/cli');
    jest.isolateModules(() => {
      jest.doMock('../../guardrails/models', () => ({ ...jest.requireActual('../../guardrails/models'), preloadValidators: preload }));
      isolated = require('../../guardrails/cli');
    });
    jest.dontMock('../../guardrails/models');
    const result = await isolated.run(['--include-only', 'image-tag', file]);
    expect(preload.mock.calls).toEqual([
      [
        [
          { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' },
          { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' },
          { apiVersion: 'v1', kind: 'ConfigMapList' },
          { apiVersion: 'v1', kind: 'List' },
          { apiVersion: 'v1', kind: 'ConfigMap' },
        ],
      ],
    ]);
    expect(result.code).toBe(0);
  });
});

describe('run: a bug is not an input error', () => {
  type Load = typeof import('../../guardrails/load');
  /** cli.ts with parts of load.ts replaced; `load` gets the real module of the same registry (its InputError). */
  const isolatedWithLoad = (load: (actual: Load) => object) => {
    let isolated!: typeof import('../../guardrails/cli');
    jest.isolateModules(() => {
      jest.doMock('../../guardrails/load', () => {
        const actual = jest.requireActual('../../guardrails/load') as Load;
        return { ...actual, ...load(actual) };
      });
      isolated = require('../../guardrails/cli');
    });
    jest.dontMock('../../guardrails/load');
    return isolated;
  };

  it('rethrows what reading a file throws besides InputError', async () => {
    const bug = new TypeError('a bug');
    const cli = isolatedWithLoad(() => ({
      loadManifestFile: () => {
        throw bug;
      },
    }));
    const dir = path('bug');
    write(join(dir, 'web.yaml'), deployment('web'));
    await expect(cli.run([dir])).rejects.toBe(bug);
  });

  it('rethrows what parsing stdin throws besides InputError', async () => {
    const bug = new TypeError('a bug');
    const cli = isolatedWithLoad(() => ({
      readStdin: async () => 'a: 1\n',
      parseManifestFile: () => {
        throw bug;
      },
    }));
    await expect(cli.run(['-'])).rejects.toBe(bug);
  });

  it('an InputError of stdin is an input error (exit 2)', async () => {
    const cli = isolatedWithLoad(({ InputError }) => ({
      readStdin: async () => {
        throw new InputError('-: stdin did not end within 60 s; pipe a finished file into it');
      },
    }));
    const result = await cli.run(['-']);
    expect(result.stderr).toBe('-: stdin did not end within 60 s; pipe a finished file into it\n');
    expect(result.code).toBe(2);
  });
});

describe('main: writes the output and exits with the status', () => {
  type Captured = { stdout: string; stderr: string; writes: { stdout: number; stderr: number }; exits: number[]; exitThrows?: boolean };
  /** What the fake process.exit throws when asked to, as the real one never returns. */
  class Exited extends Error {}

  /** Runs main() of a fresh cli module (optionally with validate.ts replaced) with argv and fake output. */
  async function runMain(args: string[], options: { validate?: object; whileRunning?: (c: Captured) => void; afterExit?: (c: Captured) => void } = {}): Promise<Captured> {
    const captured: Captured = { stdout: '', stderr: '', writes: { stdout: 0, stderr: 0 }, exits: [] };
    let isolated!: typeof import('../../guardrails/cli');
    jest.isolateModules(() => {
      if (options.validate) jest.doMock('../../guardrails/validate', () => options.validate);
      isolated = require('../../guardrails/cli');
    });
    jest.dontMock('../../guardrails/validate');
    const argv = process.argv;
    const listeners = { stdout: process.stdout.listeners('error'), stderr: process.stderr.listeners('error') };
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    const fakeWrite = (stream: 'stdout' | 'stderr') => (chunk: string, callback?: unknown) => {
      captured[stream] += chunk;
      captured.writes[stream]++;
      if (typeof callback === 'function') setImmediate(callback as () => void);
      return true;
    };
    const spies = [
      jest.spyOn(process.stdout, 'write').mockImplementation(fakeWrite('stdout') as never),
      jest.spyOn(process.stderr, 'write').mockImplementation(fakeWrite('stderr') as never),
      jest.spyOn(process, 'exit').mockImplementation(((code: number) => {
        captured.exits.push(code);
        if (captured.exitThrows) throw new Exited(`exit ${code}`);
        if (captured.stdout || captured.stderr) finished();
      }) as never),
    ];
    try {
      process.argv = ['node', 'guardrails/cli.ts', ...args];
      isolated.main();
      options.whileRunning?.(captured);
      await done;
      options.afterExit?.(captured);
      return captured;
    } finally {
      process.argv = argv;
      spies.forEach((s) => s.mockRestore());
      for (const stream of ['stdout', 'stderr'] as const) {
        for (const l of process[stream].listeners('error')) if (!listeners[stream].includes(l as never)) process[stream].removeListener('error', l as never);
      }
    }
  }

  it('prints stdout and exits 0 for --help, writing nothing on stderr', async () => {
    const { stdout, stderr, exits, writes } = await runMain(['--help']);
    expect(stdout.startsWith(USAGE_START)).toBe(true);
    expect(stderr).toBe('');
    expect(writes).toEqual({ stdout: 1, stderr: 0 });
    expect(exits).toEqual([0]);
  });

  it('prints stderr, then stdout, and exits with the run\'s status', async () => {
    const dir = path('main');
    const web = write(join(dir, 'web.yaml'), deployment('web'));
    write(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: web\n');
    const captured = await runMain(['--include-only', 'image-tag', dir]);
    const { stdout, stderr, exits } = captured;
    expect(stdout).toBe(
      `${web}:10: Deployment/web/web: spec.template.spec.containers[0].image: container "web" uses image "nginx:latest"; pin a version tag [image-tag]\n` +
        '1 error, 0 warnings from 1 rule in 1 object of 1 file (Kubernetes 1.34); 1 file skipped\n',
    );
    expect(stderr).toBe(`${join(dir, 'Chart.yaml')}: a Helm chart description (render with \`helm template\` and validate the output), not Kubernetes objects; skipped\n`);
    expect(exits).toEqual([1]);
    expect(captured.writes).toEqual({ stdout: 1, stderr: 1 });
  });

  it('exits quietly on EPIPE with the status it had (3 before the run ends), and rethrows other stream errors', async () => {
    const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    const other = Object.assign(new Error('write EIO'), { code: 'EIO' });
    const { exits } = await runMain(['--list-rules'], {
      whileRunning: (captured) => {
        captured.exitThrows = true;
        expect(() => process.stdout.emit('error', epipe)).toThrow(Exited);
        expect(() => process.stderr.emit('error', epipe)).toThrow(Exited);
        expect(captured.exits).toEqual([3, 3]);
        expect(() => process.stdout.emit('error', other)).toThrow(other);
        expect(() => process.stderr.emit('error', other)).toThrow(other);
        expect(captured.exits).toEqual([3, 3]);
        captured.exits.length = 0;
        captured.exitThrows = false;
      },
    });
    expect(exits).toEqual([0]);
  });

  it('after the run, EPIPE exits with the run\'s status', async () => {
    const dir = path('main-epipe');
    write(join(dir, 'web.yaml'), deployment('web'));
    const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    const captured = await runMain(['--include-only', 'image-tag', dir], {
      afterExit: (c) => {
        c.exitThrows = true;
        expect(() => process.stdout.emit('error', epipe)).toThrow(Exited);
        expect(() => process.stderr.emit('error', epipe)).toThrow(Exited);
      },
    });
    expect(captured.exits).toEqual([1, 1, 1]);
  });

  it('reports a crash as an internal error (the stack, else the message) and exits 3', async () => {
    const crash = new Error('boom');
    const withStack = await runMain(['--include-only', 'image-tag', path('main')], {
      validate: {
        auditManifests: () => {
          throw crash;
        },
      },
    });
    expect(withStack.stderr).toBe(`internal error (a bug in the validator, please report it): ${crash.stack}\n`);
    expect(withStack.stderr.startsWith('internal error (a bug in the validator, please report it): Error: boom\n    at ')).toBe(true);
    expect(withStack.stdout).toBe('');
    expect(withStack.exits).toEqual([3]);

    const bare = Object.assign(new Error('no stack'), { stack: undefined });
    const withoutStack = await runMain(['--include-only', 'image-tag', path('main')], {
      validate: {
        auditManifests: () => {
          throw bare;
        },
      },
    });
    expect(withoutStack.stderr).toBe('internal error (a bug in the validator, please report it): no stack\n');
    expect(withoutStack.exits).toEqual([3]);
  });
});
