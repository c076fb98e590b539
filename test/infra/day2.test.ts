/**
 * The day-2 procedures (infra/day2.ts) run for real, offline: bash executes each rendered script with
 * fake `kubectl`, `aws` and `pulumi` on PATH that keep a little cluster state and log every call, so
 * the tests see the order of the steps, one node at a time, and what ran on which instance. The node
 * helpers they call are the ones the control-plane user-data installs, and the URNs they replace are
 * the ones the program registers.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { getEnvironment } from '../../environments';
import { HELPERS } from '../../infra/bootstrap';
import { PROCEDURES, renderProcedure } from '../../infra/day2';
import { adminCertificateUrn, bootstrapTokenSecretUrn, controlPlaneUrn } from '../../infra/names';
import { OfflineRun, readProjectName, readStackConfig, runOffline } from '../../infra/offline';
import { requireAwsEnvironment } from '../../infra/settings';
import { requireTool, testWith } from '../util/tools';

const root = path.resolve(__dirname, '../..');
const prod = requireAwsEnvironment(getEnvironment('prod'));
/** Fake kubectl, aws and pulumi: they keep the fake cluster in $FAKE and log every call to $FAKE/log. */
const FAKES = path.join(root, 'test/fixtures/infra/day2-fakes');
const dev = requireAwsEnvironment(getEnvironment('dev'));

interface Run {
  readonly status: number | null;
  readonly stderr: string;
  readonly log: string[];
}

/** Runs a rendered procedure with the fakes; `nodes` seeds the fake cluster. */
function runProcedure(script: string, nodes: string[], extra: Record<string, string> = {}): Run {
  const dir = mkdtempSync(path.join(tmpdir(), 'day2-'));
  try {
    for (const name of ['kubectl', 'aws', 'pulumi']) writeFileSync(path.join(dir, name), readFileSync(path.join(FAKES, name), 'utf8'));
    writeFileSync(path.join(dir, 'sleep'), '#!/bin/bash\n');
    for (const name of ['kubectl', 'aws', 'pulumi', 'sleep']) chmodSync(path.join(dir, name), 0o755);
    writeFileSync(path.join(dir, 'nodes'), nodes.map((n) => `${n}\n`).join(''));
    writeFileSync(path.join(dir, 'log'), '');
    for (const [name, body] of Object.entries(extra)) writeFileSync(path.join(dir, name), body);
    writeFileSync(path.join(dir, 'procedure.sh'), script);
    const result = spawnSync('bash', [path.join(dir, 'procedure.sh')], {
      env: { PATH: `${dir}:/usr/bin:/bin`, FAKE: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    });
    const log = readFileSync(path.join(dir, 'log'), 'utf8').trim().split('\n').filter(Boolean);
    return { status: result.status, stderr: result.stderr, log };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The commands run on instances through SSM, in order: `<instance> <command>`. */
const ranOnNodes = (run: Run) =>
  run.log
    .filter((l) => l.startsWith('aws ssm send-command'))
    .map((l) => {
      const instance = /--instance-ids (\S+)/.exec(l)![1];
      const command = JSON.parse(/--parameters (\{.*\}) --query/.exec(l)![1]).commands[0] as string;
      return `${instance} ${command}`;
    });
const steps = (run: Run, pattern: RegExp) => run.log.filter((l) => pattern.test(l));

testWith('shellcheck')('every procedure renders for each stack it applies to, and passes shellcheck', () => {
  requireTool('shellcheck');
  const dir = mkdtempSync(path.join(tmpdir(), 'day2-shellcheck-'));
  const scripts = [
    renderProcedure('roll-node-pool', 'prod', 'linux-arm64'),
    renderProcedure('upgrade-control-planes', 'prod', '1.34.3'),
    renderProcedure('replace-control-plane', 'prod', '1'),
    renderProcedure('backup-etcd', 'dev'),
    renderProcedure('rotate-bootstrap-token', 'dev'),
    renderProcedure('renew-certificates', 'prod'),
  ];
  expect(scripts).toHaveLength(PROCEDURES.length);
  const files = scripts.map((script, i) => {
    const file = path.join(dir, `${i}.sh`);
    writeFileSync(file, script);
    return file;
  });
  const result = spawnSync('shellcheck', ['--shell=bash', '--severity=style', ...files], { encoding: 'utf8' });
  rmSync(dir, { recursive: true, force: true });
  expect(result.error).toBeUndefined();
  expect(result.stdout + result.stderr).toBe('');
});

describe('roll a node pool', () => {
  test('one node at a time: cordon, drain, terminate through the group, wait for a Ready replacement, delete the Node', () => {
    const run = runProcedure(renderProcedure('roll-node-pool', 'prod', 'linux-amd64'), [
      'n1 linux-amd64 i-n1 True',
      'n2 linux-amd64 i-n2 True',
      'w1 windows-2019 i-w1 True',
    ]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(steps(run, /^kubectl (cordon|drain|delete)|^aws autoscaling/).map((l) => l.replace(/ --region us-east-1/, ''))).toEqual([
      'kubectl cordon n1',
      'kubectl drain n1 --ignore-daemonsets --delete-emptydir-data --timeout=15m',
      'aws autoscaling terminate-instance-in-auto-scaling-group --instance-id i-n1 --no-should-decrement-desired-capacity',
      'kubectl delete node n1 --ignore-not-found',
      'kubectl cordon n2',
      'kubectl drain n2 --ignore-daemonsets --delete-emptydir-data --timeout=15m',
      'aws autoscaling terminate-instance-in-auto-scaling-group --instance-id i-n2 --no-should-decrement-desired-capacity',
      'kubectl delete node n2 --ignore-not-found',
    ]);
  });

  test('stops when no replacement becomes Ready, before touching the next node', () => {
    // A group that never launches anything: the fake's terminate leaves no new node.
    const script = renderProcedure('roll-node-pool', 'dev', 'linux-amd64').replace('terminate-instance-in-auto-scaling-group', 'no-such-call');
    const run = runProcedure(script, ['n1 linux-amd64 i-n1 True', 'n2 linux-amd64 i-n2 True']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('no replacement for n1 became Ready in 30 minutes; stopping the roll');
    expect(steps(run, /^kubectl cordon/)).toEqual(['kubectl cordon n1']);
  });

  test('refuses an unknown pool, naming the pools', () => {
    expect(() => renderProcedure('roll-node-pool', 'dev', 'gpu')).toThrow('roll-node-pool: name a node pool of stack dev: linux-amd64');
  });
});

describe('upgrade Kubernetes', () => {
  test('control planes first, one at a time: drain, kubeadm upgrade apply on the first, upgrade node on the others, uncordon', () => {
    const run = runProcedure(renderProcedure('upgrade-control-planes', 'prod', '1.34.3'), []);
    expect(run.status).toBe(0);
    expect(steps(run, /^kubectl (drain|uncordon)|^aws ssm send-command/).map((l) => (l.startsWith('aws') ? ranOnNodes({ ...run, log: [l] })[0] : l))).toEqual([
      'kubectl drain ip-i-cp0.ec2.internal --ignore-daemonsets --delete-emptydir-data --timeout=15m',
      `i-cp0 ${HELPERS.upgrade} 1.34.3 --first`,
      'kubectl uncordon ip-i-cp0.ec2.internal',
      'kubectl drain ip-i-cp1.ec2.internal --ignore-daemonsets --delete-emptydir-data --timeout=15m',
      `i-cp1 ${HELPERS.upgrade} 1.34.3 `,
      'kubectl uncordon ip-i-cp1.ec2.internal',
      'kubectl drain ip-i-cp2.ec2.internal --ignore-daemonsets --delete-emptydir-data --timeout=15m',
      `i-cp2 ${HELPERS.upgrade} 1.34.3 `,
      'kubectl uncordon ip-i-cp2.ec2.internal',
    ]);
  });

  test('a failed upgrade on a control plane stops the procedure there, node still cordoned', () => {
    const script = renderProcedure('upgrade-control-planes', 'prod', '1.34.3');
    const run = runProcedure(script.replace('Success) break ;;', 'Success) return 1 ;;'), []);
    expect(run.status).toBe(1);
    expect(steps(run, /^kubectl uncordon/)).toEqual([]);
  });

  test('refuses a version that is not a full patch version', () => {
    expect(() => renderProcedure('upgrade-control-planes', 'prod', '1.35')).toThrow('"1.35" is not a full patch version');
  });
});

describe('replace a control plane', () => {
  let offline: OfflineRun;
  beforeAll(async () => {
    offline = await runOffline(readProjectName(root), 'prod', readStackConfig(root, 'prod'));
  });

  test('the URNs the procedures replace are the ones the program registers', () => {
    const urnOf = (key: string) => offline.options.get(key)?.urn;
    expect(urnOf('aws:ec2/instance:Instance::control-plane-1')).toBe(controlPlaneUrn(prod, 1));
    expect(urnOf('random:index/randomPassword:RandomPassword::pki-token-secret')).toBe(bootstrapTokenSecretUrn(prod));
    expect(urnOf('tls:index/locallySignedCert:LocallySignedCert::admin-kubeconfig')).toBe(adminCertificateUrn(prod));
  });

  test('shares the certificates, removes the etcd member with kubeadm reset on the old node, deletes the Node, then replaces that one instance', () => {
    const run = runProcedure(renderProcedure('replace-control-plane', 'prod', '1'), []);
    expect(run.status).toBe(0);
    expect(ranOnNodes(run)).toEqual([
      `i-cp0 ${HELPERS.uploadCerts}`,
      `i-cp0 ${HELPERS.etcdctl} member list`,
      'i-cp1 kubeadm reset --force',
      `i-cp0 ${HELPERS.etcdctl} member list`,
    ]);
    const order = steps(run, /^kubectl delete node|^pulumi up/);
    expect(order).toEqual(['kubectl delete node ip-i-cp1.ec2.internal --ignore-not-found', `pulumi up --stack prod --replace ${controlPlaneUrn(prod, 1)}`]);
  });

  test('a dead old control plane: etcdctl member remove of its member id from a healthy one', () => {
    const run = runProcedure(renderProcedure('replace-control-plane', 'prod', '1'), [], { 'old-is-dead': '' });
    expect(run.status).toBe(0);
    expect(ranOnNodes(run)).toContain(`i-cp0 ${HELPERS.etcdctl} member remove 91bc3c398fb3c146`);
  });

  test('dev has one control plane: replacing it means restoring a backup, and the procedure says so', () => {
    expect(() => renderProcedure('replace-control-plane', 'dev', '0')).toThrow(/stack dev has one control plane, so etcd has no other member.*backup-etcd/);
    expect(() => renderProcedure('replace-control-plane', 'prod', '3')).toThrow('replace-control-plane: index 3 is outside 0..2');
  });
});

test('back up etcd: a snapshot now from the first control plane, into the stack bucket', () => {
  const run = runProcedure(renderProcedure('backup-etcd', 'prod'), []);
  expect(run.status).toBe(0);
  expect(ranOnNodes(run)).toEqual([`i-cp0 ${HELPERS.etcdBackup}`]);
  expect(steps(run, /^aws s3 ls/)).toEqual(['aws s3 ls --region us-east-1 --recursive s3://hopper-cluster-20261129111400000000000001/etcd-backups/']);
});

test('rotate the bootstrap token: Pulumi replaces the secret, every control plane renews at once', () => {
  const run = runProcedure(renderProcedure('rotate-bootstrap-token', 'prod'), []);
  expect(run.status).toBe(0);
  expect(steps(run, /^pulumi up/)).toEqual([`pulumi up --stack prod --replace ${bootstrapTokenSecretUrn(prod)}`]);
  expect(ranOnNodes(run)).toEqual(['i-cp0', 'i-cp1', 'i-cp2'].map((i) => `${i} ${HELPERS.renewToken}`));
});

test('renew certificates: kubeadm certs renew on each control plane in turn, then a new admin certificate', () => {
  const run = runProcedure(renderProcedure('renew-certificates', 'prod'), []);
  expect(run.status).toBe(0);
  expect(ranOnNodes(run).map((c) => c.split(' ')[0])).toEqual(['i-cp0', 'i-cp1', 'i-cp2']);
  for (const command of ranOnNodes(run)) expect(command).toMatch(/kubeadm certs renew all && .* && kubeadm certs check-expiration$/);
  expect(steps(run, /^pulumi up/)).toEqual([`pulumi up --stack prod --replace ${adminCertificateUrn(prod)}`]);
});

test('a procedure without the tunnel open stops at once with the command that opens it', () => {
  const script = renderProcedure('backup-etcd', 'dev').replace('kubectl version --request-timeout=10s', 'false');
  const run = runProcedure(script, []);
  expect(run.status).toBe(1);
  expect(run.stderr).toContain('the API server does not answer: open the tunnel ($(pulumi stack output --stack dev apiTunnelCommand)) and export KUBECONFIG');
  expect(dev.name).toBe('dev');
});
