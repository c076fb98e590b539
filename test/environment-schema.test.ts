/**
 * The environment schema, as the user meets it: every problem of `environments/<env>.ts` at once,
 * one line each, from `npm run synth` (synthesize), `npm run plan` (the Pulumi program) and
 * `npm run edge:nodes` (runCli), before any value reaches a chart, a resource or a file.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatFinding } from '../contracts/finding';
import { runCli } from '../edge/cli';
import { checkEnvironments, environments, getEnvironment, sourceOf } from '../environments';
import { dev } from '../environments/dev';
import { edge } from '../environments/edge';
import { readProjectName, readStackConfig, runOffline } from '../infra/offline';
import { synthesize } from '../synth/synthesize';

const root = path.resolve(__dirname, '..');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

/** A deep copy of dev, changed by `edit` the way a user would edit environments/dev.ts. */
function devWith(edit: (env: Loose) => void): Loose {
  const env = structuredClone(dev) as Loose;
  edit(env);
  return env;
}

/** The lines `npm run synth` would print for these environments. */
const lines = (...envs: unknown[]) => checkEnvironments(envs.map(sourceOf)).map(formatFinding);

function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const p = path.join(dir, entry);
    out[entry] = fs.statSync(p).isFile() ? fs.readFileSync(p, 'utf8') : '<dir>';
  }
  return out;
}

test('every committed environment passes the schema', () => {
  expect(lines(...environments)).toEqual([]);
});

describe('each mistake is one line naming the file, the field, the problem and the fix', () => {
  test.each([
    [
      'an enum typo (anti-affinity silently dropped before)',
      (e: Loose) => (e.workloads.nginx.antiAffinity = 'require'),
      'environments/dev.ts: workloads.nginx.antiAffinity: is "require", not one of "required", "preferred"; did you mean "required"? [environment-schema]',
    ],
    [
      'an unknown key (ignored before)',
      (e: Loose) => (e.workloads.nginx.replica = 2),
      'environments/dev.ts: workloads.nginx.replica: is not a setting of workloads.nginx; did you mean replicas? Rename or remove it [environment-schema]',
    ],
    [
      'a number written as a string',
      (e: Loose) => (e.workloads.nginx.replicas = '2'),
      'environments/dev.ts: workloads.nginx.replicas: is the string "2", not a number; write 2 without quotes [environment-schema]',
    ],
    [
      'a removed required setting (a TypeError before)',
      (e: Loose) => delete e.workloads.nginx.image,
      'environments/dev.ts: workloads.nginx.image: is missing; set it (a string) [environment-schema]',
    ],
    [
      'a removed workload',
      (e: Loose) => delete e.workloads.numbers,
      "environments/dev.ts: workloads.numbers: is missing; add the workload's settings, or { omitted: '<why>' } to leave it out of this environment [environment-schema]",
    ],
    [
      'a count that is not a number',
      (e: Loose) => (e.nodePools[0].min = NaN),
      'environments/dev.ts: nodePools[0].min: is NaN, not a finite number; write a finite number [environment-schema]',
    ],
    [
      'a fractional count',
      (e: Loose) => (e.workloads.batch.fibCount = 2.5),
      'environments/dev.ts: workloads.batch.fibCount: is 2.5, not a whole number; write a whole number [environment-schema]',
    ],
    [
      'a negative count',
      (e: Loose) => (e.workloads.apod.replicas = -1),
      'environments/dev.ts: workloads.apod.replicas: is -1, below the minimum 0; use 0 or more [environment-schema]',
    ],
    [
      'min above max',
      (e: Loose) => Object.assign(e.nodePools[0], { min: 5, desired: 5, max: 4 }),
      'environments/dev.ts: nodePools[0].max: min 5, desired 5, max 4 are out of order; keep min <= desired <= max [environment-schema]',
    ],
    [
      'an invalid CIDR',
      (e: Loose) => (e.cluster.serviceCidr = '10.96.0.0/33'),
      'environments/dev.ts: cluster.serviceCidr: "10.96.0.0/33" is not an IPv4 network in CIDR notation; write a.b.c.d/n with no host bits set, e.g. "10.244.0.0/16" [environment-schema]',
    ],
    [
      'overlapping pod and service ranges',
      (e: Loose) => Object.assign(e.cluster, { podCidr: '10.244.0.0/16', serviceCidr: '10.244.128.0/20' }),
      'environments/dev.ts: cluster.podCidr: 10.244.0.0/16 overlaps cluster.serviceCidr 10.244.128.0/20 (10.244.128.0-10.244.143.255), so packets to those addresses would go to the wrong network; give it a range disjoint from 10.244.128.0/20 [environment-schema]',
    ],
    [
      'a subnet outside the VPC',
      (e: Loose) => (e.provider.network.publicSubnetCidrs = ['10.1.0.0/20']),
      'environments/dev.ts: provider.network.publicSubnetCidrs[0]: 10.1.0.0/20 is outside vpcCidr 10.0.0.0/16; pick a subnet inside 10.0.0.0/16 [environment-schema]',
    ],
    [
      'a path for a name',
      (e: Loose) => (e.name = '../x'),
      'environments/index.ts: name: "../x" is not a lowercase name (it becomes a folder, AWS and Kubernetes name); use 1-63 lowercase letters, digits and "-", starting and ending with a letter or digit, e.g. "dev" [environment-schema]',
    ],
    [
      'a node pool name that is not a label',
      (e: Loose) => (e.nodePools[0].name = 'Linux_AMD64'),
      'environments/dev.ts: nodePools[0].name: "Linux_AMD64" is not a lowercase name (it becomes a folder, AWS and Kubernetes name); use 1-63 lowercase letters, digits and "-", starting and ending with a letter or digit, e.g. "linux-amd64" [environment-schema]',
    ],
    [
      'two pools with one name',
      (e: Loose) => e.nodePools.push({ ...e.nodePools[0] }),
      'environments/dev.ts: nodePools[1].name: "linux-amd64" is also nodePools[0].name; give every pool its own name [environment-schema]',
    ],
    [
      'a misspelled provider kind',
      (e: Loose) => (e.provider.kind = 'aws-kubadm'),
      'environments/dev.ts: provider.kind: is "aws-kubadm", not one of "aws-kubeadm", "microk8s", "local"; did you mean "aws-kubeadm"? [environment-schema]',
    ],
  ])('%s', (_what, edit, line) => {
    expect(lines(devWith(edit))).toEqual([line]);
  });
});

test('an edge hostname, which names a boot-file folder, cannot be a path', () => {
  const env = structuredClone(edge) as Loose;
  env.provider.microk8s.nodes[1].hostname = '../../etc';
  expect(lines(env)).toEqual([
    'environments/edge.ts: provider.microk8s.nodes[1].hostname: "../../etc" is not a lowercase name (it becomes a folder, AWS and Kubernetes name); use 1-63 lowercase letters, digits and "-", starting and ending with a letter or digit, e.g. "worker1" [environment-schema]',
  ]);
});

test('all problems of all environments are reported at once', () => {
  const broken = devWith((e) => {
    e.workloads.nginx.antiAffinity = 'require';
    e.workloads.nginx.replica = 2;
    e.nodePools[0].min = NaN;
    e.provider.network.vpcCidr = '10.0.0.1/16';
  });
  const alsoBroken = { ...structuredClone(edge), cluster: { ...edge.cluster, podCidr: '192.168.0.0/16' } };
  expect(lines(broken, alsoBroken).map((l) => l.replace(/: [^:]*$/, ''))).toEqual([
    'environments/dev.ts: provider.network.vpcCidr',
    'environments/dev.ts: nodePools[0].min',
    'environments/dev.ts: workloads.nginx.antiAffinity',
    'environments/dev.ts: workloads.nginx.replica',
    'environments/edge.ts: cluster.podCidr',
  ]);
});

test('two environments with one name are refused, naming both files', () => {
  const staging = { ...structuredClone(dev), cluster: { ...dev.cluster, name: 'hopper-staging' } };
  expect(checkEnvironments([sourceOf(dev), { file: 'environments/staging.ts', value: staging }]).map(formatFinding)).toEqual([
    'environments/staging.ts: name: "dev" is also the name of an earlier environment (environments/dev.ts), and both would write dist/dev/ and Pulumi stack dev; give every environment its own name [environment-schema]',
  ]);
});

describe('npm run synth', () => {
  test('refuses a typo with its line, before a chart reads the value, and leaves dist/ as it was', () => {
    const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-dist-'));
    fs.mkdirSync(path.join(dist, 'dev'));
    fs.writeFileSync(path.join(dist, 'dev', 'nginx.yaml'), '# previous\n');
    const broken = devWith((e) => {
      e.workloads.nginx.antiAffinity = 'require';
      delete e.workloads.apod.webNodePort;
    });
    expect(() => synthesize([broken], { distDir: dist })).toThrow(
      '2 problem(s) in the environment model:\n' +
        '  environments/dev.ts: workloads.nginx.antiAffinity: is "require", not one of "required", "preferred"; did you mean "required"? [environment-schema]\n' +
        '  environments/dev.ts: workloads.apod.webNodePort: is missing; set it (a number) [environment-schema]',
    );
    expect(snapshotTree(dist)).toEqual({ dev: '<dir>', 'dev/nginx.yaml': '# previous\n' });
    fs.rmSync(dist, { recursive: true, force: true });
  });

  test("never touches the file system for an environment named '../x'", () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-project-'));
    for (const [file, text] of [
      ['dist/dev/nginx.yaml', '# previous\n'],
      ['x/untracked.txt', 'work in progress\n'],
      ['synth/render.ts', '// source\n'],
    ]) {
      fs.mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
      fs.writeFileSync(path.join(project, file), text);
    }
    const before = snapshotTree(project);
    for (const name of ['../x', '../synth', '.', '..', '/tmp/x', 'dev/../../x']) {
      expect(() => synthesize([devWith((e) => (e.name = name))], { distDir: path.join(project, 'dist'), stagingDir: path.join(project, 'staging') })).toThrow(
        `name: ${JSON.stringify(name)} is not a lowercase name`,
      );
    }
    expect(snapshotTree(project)).toEqual(before);
    fs.rmSync(project, { recursive: true, force: true });
  });
});

/** Runs `fn` with `target` changed in place (what `npm run plan` / `edge:nodes` load), then restores it. */
async function withEdited<T extends object>(target: T, changes: Partial<Record<keyof T, unknown>>, fn: () => unknown): Promise<void> {
  const saved = { ...target };
  Object.assign(target, changes);
  try {
    await fn();
  } finally {
    for (const key of Object.keys(target) as (keyof T)[]) if (!(key in saved)) delete target[key];
    Object.assign(target, saved);
  }
}

describe('npm run plan', () => {
  const project = readProjectName(root);

  test('refuses an invalid CIDR before any resource is registered', async () => {
    const network = (dev.provider as Loose).network;
    await withEdited(network, { vpcCidr: '10.0.0.0/8x', natGateway: 'single' }, async () => {
      await expect(runOffline(project, 'dev', readStackConfig(root, 'dev'))).rejects.toThrow(
        'environment "dev" has 2 problem(s):\n' +
          '  environments/dev.ts: provider.network.vpcCidr: "10.0.0.0/8x" is not an IPv4 network in CIDR notation; write a.b.c.d/n with no host bits set, e.g. "10.244.0.0/16" [environment-schema]\n' +
          '  environments/dev.ts: provider.network.natGateway: is not a setting of provider.network; did you mean natGateways? Rename or remove it [environment-schema]',
      );
    });
    expect(getEnvironment('dev').provider).toBe(dev.provider);
  });

  test('refuses an environment whose name another environment also claims', async () => {
    await withEdited(edge, { name: 'prod' }, () => {
      expect(() => getEnvironment('prod')).toThrow(
        'environments/edge.ts: name: "prod" is also the name of an earlier environment (environments/prod.ts), and both would write dist/prod/ and Pulumi stack prod; give every environment its own name [environment-schema]',
      );
    });
  });
});

describe('npm run edge:nodes', () => {
  test('refuses a wrong model with its lines and writes nothing', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-edge-'));
    const m = (edge.provider as Loose).microk8s;
    await withEdited(m, { joinTokenTtlSeconds: '3600', gateway: '192.168.1.256' }, () => {
      const err: string[] = [];
      const code = runCli(['--out', path.join(out, 'nodes'), '--secrets', path.join(out, 'none.json')], {
        cwd: out,
        env: { EDGE_WIFI_PASSWORD: 'correct horse battery', EDGE_JOIN_TOKEN: '0123456789abcdef0123456789abcdef' },
        out: () => undefined,
        err: (line) => err.push(line),
      });
      expect(code).toBe(1);
      expect(err.join('\n')).toContain(
        '  environments/edge.ts: provider.microk8s.joinTokenTtlSeconds: is the string "3600", not a number; write 3600 without quotes [environment-schema]\n' +
          '  environments/edge.ts: provider.microk8s.gateway: "192.168.1.256" is not an IPv4 address; write a.b.c.d, e.g. "192.168.1.1" [environment-schema]',
      );
      expect(err.join('\n')).toContain('nothing written');
    });
    expect(fs.readdirSync(out)).toEqual([]);
    fs.rmSync(out, { recursive: true, force: true });
  });
});
