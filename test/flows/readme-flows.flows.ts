/**
 * The README's edit loop, performed as a user would on a scratch copy of the repository: make the
 * documented edit, `npm run synth`, `npx jest -u`, then `npx jest` — which must pass with no test
 * edited. A test that asserts a committed environment value instead of behaviour fails here.
 *
 * Slow (two whole test runs per flow), so it is not part of `npm test`: `npm run test:flows`
 * runs it, and .ci/run calls that.
 */
import * as fs from 'fs';
import * as path from 'path';
import { edit, rmScratch, run, scratchCopy } from '../util/scratch';

const JEST = path.join('node_modules', 'jest', 'bin', 'jest.js');

/** `npm run synth`, `npx jest -u`, `npx jest` in `dir`; returns the failing step's output, or '' when all pass. */
function loop(dir: string): string {
  const steps: Array<[string, string[]]> = [
    ['npm run synth', ['synth/launch.js']],
    ['npx jest -u', [JEST, '-u']],
    ['npx jest', [JEST]],
  ];
  for (const [name, args] of steps) {
    // One fixed fuzz seed: a flow checks the README's edits, not a fresh random corner of the fuzz tests.
    const r = run(dir, process.execPath, args, { CI: undefined, FORCE_COLOR: '0', FUZZ_SEED: '20261129' }, 40 * 60 * 1000);
    // FLOWS_LOG=file: progress as it happens (Jest reports a file's tests only when all are done).
    if (process.env.FLOWS_LOG) fs.appendFileSync(process.env.FLOWS_LOG, `${new Date().toISOString()} ${dir}: ${name}: exit ${r.status ?? r.signal}\n${r.status === 0 ? '' : `${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}\n`}`);
    if (r.status !== 0) {
      const failed = `${r.stdout}\n${r.stderr}`
        .split('\n')
        .filter((l) => /●|✕|FAIL|Error|refused|expected|Expected|Received/.test(l))
        .slice(0, 60)
        .join('\n');
      return `${name} exited ${r.status ?? `by ${r.signal} (timeout?)`}:\n${failed}`;
    }
  }
  return '';
}

export const FLOWS: Array<[string, (dir: string) => void]> = [
  [
    'flip blue/green (workloads.versions.active)',
    (dir) => edit(dir, 'environments/prod.ts', /(versions: \{[^}]*?active: )'blue'/s, "$1'green'"),
  ],
  ['change replicas (workloads.apod.replicas)', (dir) => edit(dir, 'environments/prod.ts', /apod: \{ replicas: 3,/, 'apod: { replicas: 4,')],
  ['bump an image (workloads.nginx.image)', (dir) => edit(dir, 'environments/prod.ts', "image: 'nginx:1.16.1'", "image: 'nginx:1.17.10'")],
  [
    'add a workload (README "Add a workload", steps 1-5)',
    (dir) => {
      // 1. Its settings in the schema, in Workloads, and its type.
      edit(dir, 'environments/schema.ts', /\nexport const Workloads = z/, '\nexport const WelcomeSettings = z.strictObject({ replicas: count(1) }).readonly();\n\nexport const Workloads = z');
      edit(dir, 'environments/schema.ts', /(\n(\s+)hello: toggle\(HelloSettings\),)/, '$1\n$2welcome: toggle(WelcomeSettings),');
      fs.appendFileSync(path.join(dir, 'environments/types.ts'), '\nexport type WelcomeSettings = z.infer<typeof schema.WelcomeSettings>;\n');
      // 2. A value, or { omitted }, in every environment file.
      for (const file of fs.readdirSync(path.join(dir, 'environments'))) {
        const text = fs.readFileSync(path.join(dir, 'environments', file), 'utf8');
        if (!/\n {2}workloads: \{\n/.test(text)) continue;
        const value = file === 'prod.ts' || file === 'dev.ts' ? '{ replicas: 2 }' : "{ omitted: 'the welcome runs on the AWS clusters only' }";
        edit(dir, `environments/${file}`, /\n {2}workloads: \{\n/, `\n  workloads: {\n    welcome: ${value},\n`);
      }
      // 3. Its chart, placed by the cluster, and its namespace.
      fs.writeFileSync(
        path.join(dir, 'charts/welcome.ts'),
        `import { Construct } from 'constructs';
import { HaWebApp } from '../constructs/ha-web-app';
import { WelcomeSettings } from '../environments/types';
import { smallNamespace, WorkloadChart, WorkloadContext } from './context';

export const welcomeNamespace = smallNamespace('welcome', {
  podSecurity: 'baseline',
  podSecurityReason: 'stock nginx starts its master process as root and binds :80',
});

export class WelcomeChart extends WorkloadChart {
  constructor(scope: Construct, { cluster, settings }: WorkloadContext<WelcomeSettings>) {
    super(scope, 'welcome');
    new HaWebApp(this, 'welcome', {
      namespace: welcomeNamespace.name,
      name: 'welcome',
      selectorLabels: { app: 'welcome' },
      replicas: settings.replicas,
      strategy: { type: 'RollingUpdate', maxSurge: 1, maxUnavailable: 0 },
      hostnameSpread: 'preferred',
      placement: cluster.place(\`\${this.node.path}/welcome\`, { os: 'linux', arch: 'amd64' }),
      container: {
        name: 'welcome',
        image: 'nginx:1.27.3',
        ports: [{ name: 'http', containerPort: 80 }],
        resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
        readiness: { http: '/', port: 'http', periodSeconds: 5 },
        liveness: { tcp: true, port: 'http', periodSeconds: 10, failureThreshold: 6 },
        runtime: { runsAsRoot: true, capabilities: ['CHOWN', 'SETGID', 'SETUID', 'NET_BIND_SERVICE'], writablePaths: ['/var/cache/nginx', '/var/run'] },
      },
      service: { name: 'welcome', ports: [{ name: 'http', port: 80 }] },
      networkPolicy: { ingressFrom: ['cluster'] },
    });
  }
}
`,
      );
      // 4. Registered in WORKLOADS.
      edit(dir, 'charts/index.ts', /\nimport \{ NginxChart, nginxNamespace \} from '.\/nginx';/, "\nimport { WelcomeChart, welcomeNamespace } from './welcome';\nimport { NginxChart, nginxNamespace } from './nginx';");
      edit(
        dir,
        'charts/index.ts',
        /\nexport const WORKLOADS: WorkloadRegistry<Workloads> = \{\n/,
        "\nexport const WORKLOADS: WorkloadRegistry<Workloads> = {\n  welcome: {\n    namespace: welcomeNamespace,\n    chart: (app, context) => new WelcomeChart(app, context),\n    fields: { replicas: 'replicas' },\n  },\n",
      );
    },
  ],
];

describe.each(FLOWS)('README flow: %s', (_name, apply) => {
  let dir: string;
  beforeAll(() => {
    dir = scratchCopy('readme-flow-');
  });
  afterAll(() => rmScratch(dir));

  test('npm run synth, npx jest -u, then npx jest pass with no test edited', () => {
    apply(dir);
    expect(loop(dir)).toBe('');
  });
});
