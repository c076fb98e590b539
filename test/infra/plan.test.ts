/**
 * The offline plan: `npm run plan` reproduces the committed dist/infra/*.plan.json byte for byte, and no
 * generated secret (CA key, bootstrap token, certificate key, admin key, kubeconfig, petshop connection
 * string) ever reaches a plan, even with every optional secret-carrying resource turned on.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { goldenTest } from '../util/golden';
import { listStacks, MASK, OfflineRun, readProjectName, readStackConfig, renderPlan, runOffline } from '../../infra/offline';

const root = path.resolve(__dirname, '../..');
const project = readProjectName(root);
const stacks = listStacks(root);

test('the stacks are the committed Pulumi.<stack>.yaml files: dev and prod', () => {
  expect(stacks).toEqual(['dev', 'prod']);
});

goldenTest('`npm run plan` writes exactly the committed plans', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-'));
  execFileSync(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'infra/plan.ts', '--out', out], { cwd: root, stdio: 'pipe' });
  expect(fs.readdirSync(out).sort()).toEqual(stacks.map((s) => `${s}.plan.json`));
  for (const stack of stacks) {
    const committed = fs.readFileSync(path.join(root, 'dist/infra', `${stack}.plan.json`), 'utf8');
    // Byte for byte; on mismatch run `npm run plan` and review the diff of dist/infra/.
    expect(fs.readFileSync(path.join(out, `${stack}.plan.json`), 'utf8') === committed).toBe(true);
  }
  fs.rmSync(out, { recursive: true });
});

describe('secrets never reach a plan', () => {
  const petshopConnectionString = "<connectionStrings><add name='PetShop' connectionString='Server=petshop-db;Password=Pa55w0rd-offline-test'/></connectionStrings>";
  let run: OfflineRun;
  let plan: string;

  beforeAll(async () => {
    const base = readStackConfig(root, 'prod');
    const key = (k: string) => `${project}:${k}`;
    // prod with everything that carries a secret switched on.
    run = await runOffline(project, 'prod', {
      config: {
        ...base.config,
        [key('deployManifests')]: 'true',
        [key('apiTunnelPort')]: '16443',
        [key('sshPublicKey')]: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOfflinePlanTestKey test@example',
        [key('petshopConnectionString')]: petshopConnectionString,
      },
      secretKeys: [...base.secretKeys, key('petshopConnectionString')],
    });
    plan = renderPlan(run.resources);
  });

  const secretValues = () => {
    const kubeconfig = run.outputs.kubeconfig as string;
    const clientKeyData = /client-key-data: (\S+)/.exec(kubeconfig)![1];
    return [...run.generatedSecrets, petshopConnectionString, kubeconfig, clientKeyData];
  };

  test('the mocks generated the secrets, and the program used them (the check below is not vacuous)', () => {
    // CA key, admin key, token id + secret, certificate key.
    expect(run.generatedSecrets).toHaveLength(5);
    const unmasked = JSON.stringify([...run.unmaskedInputs.values()]);
    // Booleans, not toContain: a failure must not print secrets (even mock ones) into the test log.
    for (const value of [...run.generatedSecrets, petshopConnectionString]) expect(unmasked.includes(value)).toBe(true);
    const clientKey = Buffer.from(/client-key-data: (\S+)/.exec(run.outputs.kubeconfig as string)![1], 'base64').toString();
    expect(run.generatedSecrets.some((value) => clientKey.includes(value))).toBe(true);
  });

  test('no secret value appears in the plan', () => {
    for (const value of secretValues()) expect(plan.includes(value)).toBe(false);
  });

  test('every secret-carrying input is masked as "[secret]"', () => {
    const input = (type: string, name: string, field: string) =>
      run.resources.find((r) => r.type === type && r.name === name)?.inputs[field];
    expect(input('tls:index/selfSignedCert:SelfSignedCert', 'pki-ca', 'privateKeyPem')).toBe(MASK);
    expect(input('tls:index/locallySignedCert:LocallySignedCert', 'admin-kubeconfig', 'caPrivateKeyPem')).toBe(MASK);
    expect(input('tls:index/certRequest:CertRequest', 'admin-kubeconfig', 'privateKeyPem')).toBe(MASK);
    // The secrets reach the nodes through SSM SecureString parameters, never through user-data.
    for (const id of ['caKey', 'certificateKey', 'bootstrapToken']) {
      expect(input('aws:ssm/parameter:Parameter', `cluster-store-${id}`, 'value')).toBe(MASK);
      expect(input('aws:ssm/parameter:Parameter', `cluster-store-${id}`, 'type')).toBe('SecureString');
    }
    expect(input('pulumi:providers:kubernetes', 'manifests', 'kubeconfig')).toBe(MASK);
    const secret = run.resources.find((r) => r.type === 'kubernetes:core/v1:Secret')!;
    expect(secret.inputs.metadata).toEqual({ name: 'petshop-connection-string-secret', namespace: 'petshop' });
    expect(secret.inputs.stringData).toBe(MASK);
    // Public material stays reviewable.
    expect(input('tls:index/locallySignedCert:LocallySignedCert', 'admin-kubeconfig', 'caCertPem')).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });

  test('deployManifests applies dist/prod/ through the generated kubeconfig, which dials the declared tunnel', () => {
    const group = run.resources.find((r) => r.type === 'kubernetes:yaml/v2:ConfigGroup')!;
    // Everything but the add-ons, which the first control plane applies after kubeadm init.
    const synthesized = fs.readdirSync(path.join(root, 'dist/prod')).filter((f) => f.endsWith('.yaml')).sort();
    expect(synthesized).toContain('01-cluster.yaml');
    expect(group.inputs.files).toEqual(synthesized.filter((f) => f !== '01-cluster.yaml').map((f) => `dist/prod/${f}`));
    const kubeconfig = run.unmaskedInputs.get('pulumi:providers:kubernetes::manifests')!.kubeconfig as string;
    expect(kubeconfig).toContain('server: https://127.0.0.1:16443');
  });
});

test('deployManifests without the petshop secret is refused with the command that sets it', async () => {
  const base = readStackConfig(root, 'prod');
  await expect(
    runOffline(project, 'prod', { config: { ...base.config, [`${project}:deployManifests`]: 'true', [`${project}:apiTunnelPort`]: '6443' }, secretKeys: [] }),
  ).rejects.toThrow(/pulumi config set --secret petshopConnectionString/);
});

test('defect 3: deployManifests without a declared tunnel is refused, saying what to run', async () => {
  const base = readStackConfig(root, 'dev');
  const run = runOffline(project, 'dev', { config: { ...base.config, [`${project}:deployManifests`]: 'true' }, secretKeys: [] });
  await expect(run).rejects.toThrow(
    'stack "dev": deployManifests needs the API server, whose endpoint is private to the VPC, and no tunnel is declared. ' +
      'Bring the cluster up first with deployManifests off (`pulumi config set deployManifests false && pulumi up`), ' +
      'open the tunnel in another terminal (`$(pulumi stack output apiTunnelCommand)`), declare it ' +
      '(`pulumi config set apiTunnelPort 6443`), then run `pulumi config set deployManifests true && pulumi up`',
  );
});
