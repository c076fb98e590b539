/**
 * The Linux bootstrap as it runs: the control-plane helper installer is executed by bash into a private
 * folder (fake systemctl), so the test sees the files it creates, their modes and contents; the helpers
 * it installs run with fake aws/kubectl/kubeadm/apt; and the user-data's steps are checked line by line
 * against hand-written expectations (paths, modes, commands, order). No shellcheck or cloud-init needed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { getEnvironment } from '../../environments';
import { CA_HASH, CA_PEM } from './ca-fixture';
import {
  ClusterStore,
  renderControlPlaneHelpers,
  renderControlPlaneUserData,
  renderEtcdBackupScript,
  renderEtcdctlScript,
  renderLinuxWorkerUserData,
  renderParameterScript,
  renderTokenRenewalScript,
  renderUpgradeScript,
  renderUploadCertsScript,
} from '../../infra/bootstrap';

const dev = getEnvironment('dev');
const prod = getEnvironment('prod');
const store: ClusterStore = {
  region: 'eu-west-1',
  parameters: { caKey: '/c/ca-key', certificateKey: '/c/certificate-key', bootstrapToken: '/c/bootstrap-token', kubernetesVersion: '/c/kubernetes-version' },
  bucket: 'c-bucket',
};
const endpoint = { host: 'api.hopper.internal', port: 6443 };

const controlPlane = (index: number, caCertPem = CA_PEM) =>
  renderControlPlaneUserData(prod, { role: index === 0 ? 'init' : 'join', endpoint, caCertPem, store, index });
const worker = () =>
  renderLinuxWorkerUserData(prod, prod.nodePools[0], {
    endpoint,
    discoveryHash: CA_HASH,
    region: 'eu-west-1',
    tokenParameter: '/c/bootstrap-token',
    autoScalingGroupName: 'hopper-linux-amd64',
    lifecycleHookName: 'kubeadm-join',
  });

/** `write_file MODE PATH <<'K8S_BOOTSTRAP_EOF'` ... in order. */
function writes(script: string): Array<{ mode: string; path: string; content: string }> {
  return [...script.matchAll(/^write_file (\d{4}) (\S+) <<'K8S_BOOTSTRAP_EOF'\n([\s\S]*?)^K8S_BOOTSTRAP_EOF$/gm)].map((m) => ({
    mode: m[1],
    path: m[2],
    content: m[3],
  }));
}

function written(script: string, path: string): string {
  const found = writes(script).filter((w) => w.path === path);
  expect(found).toHaveLength(1);
  return found[0].content;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bootstrap-linux-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `body` in bash after `fakes` (shell functions; absolute-path names allowed), with a fresh private folder as $ROOT. */
function bash(fakes: string, body: string, args: string[] = []) {
  const root = mkdtempSync(join(dir, 'run-'));
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', `${fakes}\n${body}`, 'script', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: '/usr/bin:/bin', ROOT: root, LOG: join(root, 'log') },
  });
  const logPath = join(root, 'log');
  let log: string[] = [];
  try {
    log = readFileSync(logPath, 'utf8').trim().split('\n').filter(Boolean);
  } catch {
    log = [];
  }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, root, log };
}

describe('control-plane helper installer (run by bash into a private folder)', () => {
  /** The installer, its own write_file aimed under $ROOT (every target path prefixed): nothing on this machine is touched. */
  function runInstaller() {
    const installer = renderControlPlaneHelpers(store).replace(/^write_file (\S+) \//gm, 'write_file $1 "$ROOT"/');
    const calls = installer.split('\n').filter((line) => line.startsWith('write_file '));
    if (calls.some((line) => !line.startsWith('write_file 0') || !line.includes(' "$ROOT"/'))) throw new Error('a write outside $ROOT; not running it');
    return bash('systemctl() { echo "systemctl $*" >>"$LOG"; }', installer);
  }

  test('installs the six helpers 0700 and the two services and timers 0644, then reloads systemd', () => {
    const run = runInstaller();
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const mode = (path: string) => (statSync(join(run.root, path)).mode & 0o777).toString(8);
    expect(readdirSync(join(run.root, 'usr/local/sbin')).sort()).toEqual([
      'cluster-parameter',
      'etcd-backup',
      'etcdctl-local',
      'renew-bootstrap-token',
      'upgrade-control-plane',
      'upload-control-plane-certs',
    ]);
    for (const helper of readdirSync(join(run.root, 'usr/local/sbin'))) expect([helper, mode(`usr/local/sbin/${helper}`)]).toEqual([helper, '700']);
    expect(readdirSync(join(run.root, 'etc/systemd/system')).sort()).toEqual([
      'etcd-backup.service',
      'etcd-backup.timer',
      'renew-bootstrap-token.service',
      'renew-bootstrap-token.timer',
    ]);
    for (const unit of readdirSync(join(run.root, 'etc/systemd/system'))) expect([unit, mode(`etc/systemd/system/${unit}`)]).toEqual([unit, '644']);
    expect(run.log).toEqual(['systemctl daemon-reload']);
  });

  test('each installed helper is the script its renderer produces', () => {
    const run = runInstaller();
    const read = (name: string) => readFileSync(join(run.root, 'usr/local/sbin', name), 'utf8');
    expect(read('cluster-parameter')).toBe(renderParameterScript(store));
    expect(read('renew-bootstrap-token')).toBe(renderTokenRenewalScript());
    expect(read('upload-control-plane-certs')).toBe(renderUploadCertsScript());
    expect(read('etcdctl-local')).toBe(renderEtcdctlScript());
    expect(read('etcd-backup')).toBe(renderEtcdBackupScript(store));
    expect(read('upgrade-control-plane')).toBe(renderUpgradeScript());
  });

  test('the units: oneshot services after the kubelet, an hourly token timer and a daily backup timer', () => {
    const run = runInstaller();
    const unit = (name: string) => readFileSync(join(run.root, 'etc/systemd/system', name), 'utf8');
    expect(unit('renew-bootstrap-token.service')).toBe(
      '[Unit]\nDescription=Renew the kubeadm bootstrap token\nAfter=kubelet.service\n\n[Service]\nType=oneshot\nExecStart=/usr/local/sbin/renew-bootstrap-token\n',
    );
    expect(unit('renew-bootstrap-token.timer')).toBe(
      '[Unit]\nDescription=Renew the kubeadm bootstrap token every 1 h\n\n[Timer]\nOnBootSec=5min\nOnUnitActiveSec=1h\nRandomizedDelaySec=5min\n\n[Install]\nWantedBy=timers.target\n',
    );
    expect(unit('etcd-backup.service')).toBe(
      '[Unit]\nDescription=Snapshot etcd into the cluster bucket\nAfter=kubelet.service\n\n[Service]\nType=oneshot\nExecStart=/usr/local/sbin/etcd-backup\n',
    );
    expect(unit('etcd-backup.timer')).toBe(
      '[Unit]\nDescription=Snapshot etcd daily\n\n[Timer]\nOnCalendar=daily\nPersistent=true\nRandomizedDelaySec=5min\n\n[Install]\nWantedBy=timers.target\n',
    );
  });

  test('the installer is a strict bash script that says what it installs', () => {
    const lines = renderControlPlaneHelpers(store).split('\n');
    expect(lines.slice(0, 3)).toEqual(['#!/bin/bash', '# Installs the control-plane helpers and timers (infra/bootstrap/linux.ts).', 'set -euo pipefail']);
    expect(lines).toContain('# Secrets from SSM, token renewal, certificate upload, etcd access and backups, upgrades.');
    expect(lines.slice(-3)).toEqual(['', 'systemctl daemon-reload', '']);
  });
});

describe('the installed helpers, run with fakes', () => {
  const logArgs = (name: string) => `${name}() { echo "${name} $*" >>"$LOG"; }`;

  test('cluster-parameter reads each of the four SSM parameters with decryption, and refuses anything else', () => {
    const script = renderParameterScript(store);
    const fake = `aws() { echo "aws $*" >>"$LOG"; echo value; }`;
    for (const [arg, name] of [
      ['ca-key', '/c/ca-key'],
      ['certificate-key', '/c/certificate-key'],
      ['bootstrap-token', '/c/bootstrap-token'],
      ['kubernetes-version', '/c/kubernetes-version'],
    ]) {
      const run = bash(fake, script, [arg]);
      expect(run.status).toBe(0);
      expect(run.stdout).toBe('value\n');
      expect(run.log).toEqual([`aws ssm get-parameter --region eu-west-1 --with-decryption --name ${name} --query Parameter.Value --output text`]);
    }
    for (const args of [[], ['ca']]) {
      const run = bash(fake, script, args);
      expect(run.status).toBe(2);
      expect(run.stderr).toBe('usage: cluster-parameter ca-key|certificate-key|bootstrap-token|kubernetes-version\n');
      expect(run.log).toEqual([]);
    }
  });

  const renewalFakes = (tokenExists: boolean) =>
    [
      `/usr/local/sbin/cluster-parameter() { echo "cluster-parameter $*" >>"$LOG"; echo abcdef.0123456789abcdef; }`,
      `date() { echo "date $*" >>"$LOG"; echo 2030-01-01T04:00:00Z; }`,
      `kubectl() { echo "kubectl $* KUBECONFIG=$KUBECONFIG" >>"$LOG"; [[ $3 != get ]] || ${tokenExists ? 'true' : 'false'}; }`,
      logArgs('kubeadm'),
    ].join('\n');

  test('renew-bootstrap-token pushes an existing token 4 h forward, with the secret read from SSM', () => {
    const run = bash(renewalFakes(true), renderTokenRenewalScript());
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.log).toEqual([
      'cluster-parameter bootstrap-token',
      "date -u -d +4 hours +%Y-%m-%dT%H:%M:%SZ",
      'kubectl -n kube-system get secret bootstrap-token-abcdef KUBECONFIG=/etc/kubernetes/admin.conf',
      'kubectl -n kube-system patch secret bootstrap-token-abcdef --type merge -p {"stringData":{"expiration":"2030-01-01T04:00:00Z","token-secret":"0123456789abcdef"}} KUBECONFIG=/etc/kubernetes/admin.conf',
    ]);
  });

  test('renew-bootstrap-token creates a missing token with a 4 h TTL and the node-joining group only', () => {
    const run = bash(renewalFakes(false), renderTokenRenewalScript());
    expect(run.status).toBe(0);
    expect(run.log.slice(2)).toEqual([
      'kubectl -n kube-system get secret bootstrap-token-abcdef KUBECONFIG=/etc/kubernetes/admin.conf',
      'kubeadm token create abcdef.0123456789abcdef --ttl 4h0m0s --usages signing,authentication --groups system:bootstrappers:kubeadm:default-node-token',
    ]);
  });

  test('upload-control-plane-certs uploads with the certificate key from SSM and prints no key', () => {
    const fakes = [`/usr/local/sbin/cluster-parameter() { echo "cluster-parameter $*" >>"$LOG"; echo k3y; }`, logArgs('kubeadm')].join('\n');
    const run = bash(fakes, renderUploadCertsScript());
    expect(run.status).toBe(0);
    expect(run.log).toEqual([
      'cluster-parameter certificate-key',
      'kubeadm init phase upload-certs --upload-certs --skip-certificate-key-print --kubeconfig /etc/kubernetes/admin.conf --certificate-key k3y',
    ]);
  });

  test('etcd-backup snapshots through etcdctl-local, copies it to s3://<bucket>/etcd-backups/<host>/<time>.db, and removes it', () => {
    const fakes = [
      `/usr/local/sbin/etcdctl-local() { echo "etcdctl-local $*" >>"$LOG"; }`,
      `aws() { echo "aws $*" >>"$LOG"; }`,
      `hostname() { echo ip-10-0-0-5.ec2.internal; }`,
      `date() { echo "date $*" >>"$LOG"; echo 20300101T000000Z; }`,
      `rm() { echo "rm $*" >>"$LOG"; }`,
    ].join('\n');
    const run = bash(fakes, renderEtcdBackupScript(store));
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.log).toEqual([
      'etcdctl-local snapshot save /var/lib/etcd/backup.db',
      'date -u +%Y%m%dT%H%M%SZ',
      'aws s3 cp --region eu-west-1 --only-show-errors /var/lib/etcd/backup.db s3://c-bucket/etcd-backups/ip-10-0-0-5.ec2.internal/20300101T000000Z.db',
      'rm -f /var/lib/etcd/backup.db',
    ]);
  });

  test('etcdctl-local runs etcdctl in the running etcd container with the etcd client certificates', () => {
    const lines = renderEtcdctlScript().split('\n');
    expect(lines).toContain("container=$(crictl --runtime-endpoint unix:///run/containerd/containerd.sock ps --name '^etcd$' --state running -q | head -n 1)");
    expect(lines).toContain('if [[ -z $container ]]; then echo "no running etcd container on this node" >&2; exit 1; fi');
    expect(renderEtcdctlScript()).toContain(
      'exec crictl --runtime-endpoint unix:///run/containerd/containerd.sock exec "$container" etcdctl \\\n' +
        '  --endpoints https://127.0.0.1:2379 --cacert /etc/kubernetes/pki/etcd/ca.crt \\\n' +
        '  --cert /etc/kubernetes/pki/etcd/healthcheck-client.crt --key /etc/kubernetes/pki/etcd/healthcheck-client.key "$@"\n',
    );
  });

  const upgradeFakes = ['curl', 'gpg', 'apt-get', 'apt-mark', 'kubeadm', 'systemctl'].map(logArgs).join('\n');
  /** The upgrade script with its one real write (the apt source) sent to $ROOT: nothing on this machine is touched. */
  function upgradeScript(): string {
    const script = renderUpgradeScript().replace('>/etc/apt/sources.list.d/kubernetes.list', '>"$ROOT/kubernetes.list"');
    if (/>\s*\//.test(script)) throw new Error('the upgrade script writes outside $ROOT; not running it');
    return script;
  }

  test('upgrade-control-plane --first: kubeadm first (unheld, held again), upgrade apply, then kubelet and kubectl', () => {
    const script = upgradeScript();
    const run = bash(upgradeFakes, script, ['1.35.1', '--first']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    // curl | gpg run side by side: their log lines come in either order.
    expect(run.log.slice(0, 2).sort()).toEqual([
      'curl -fsSL --retry 5 https://pkgs.k8s.io/core:/stable:/v1.35/deb/Release.key',
      'gpg --dearmor --yes -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg',
    ]);
    expect(run.log.slice(2)).toEqual([
      'apt-get -o DPkg::Lock::Timeout=600 -y update',
      'apt-mark unhold kubeadm',
      'apt-get -o DPkg::Lock::Timeout=600 -y install kubeadm=1.35.1-1.1',
      'apt-mark hold kubeadm',
      'kubeadm upgrade apply -y v1.35.1',
      'apt-mark unhold kubelet kubectl',
      'apt-get -o DPkg::Lock::Timeout=600 -y install kubelet=1.35.1-1.1 kubectl=1.35.1-1.1',
      'apt-mark hold kubelet kubectl',
      'systemctl daemon-reload',
      'systemctl restart kubelet',
    ]);
    expect(readFileSync(join(run.root, 'kubernetes.list'), 'utf8')).toBe(
      'deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.35/deb/ /\n',
    );
  });

  test('upgrade-control-plane on the other control planes runs kubeadm upgrade node; a loose version is refused', () => {
    const script = upgradeScript();
    const run = bash(upgradeFakes, script, ['1.34.3']);
    expect(run.status).toBe(0);
    expect(run.log).toContain('kubeadm upgrade node');
    expect(run.log.filter((l) => l.startsWith('kubeadm upgrade'))).toEqual(['kubeadm upgrade node']);
    const loose = bash(upgradeFakes, script, ['1.35']);
    expect(loose.status).toBe(2);
    expect(loose.stderr).toBe('not a full patch version: 1.35\n');
    expect(loose.log).toEqual([]);
  });
});

describe('control-plane user-data', () => {
  test('installs the packages of the version the SSM parameter names: quoted key URL and pause image lookup', () => {
    const lines = controlPlane(0).split('\n');
    expect(lines).toContain(
      'curl -fsSL --retry 5 "https://pkgs.k8s.io/core:/stable:/${kubernetes_minor}/deb/Release.key" | gpg --dearmor --yes -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg',
    );
    expect(lines).toContain(`pause_image=$(kubeadm config images list --kubernetes-version "v\${kubernetes_version}" | grep '/pause:')`);
    expect(lines).toContain('apt_get install ca-certificates curl gpg containerd');
  });

  test('the join configuration (every control plane writes it) pins the CA hash and runs the kubelet with the external cloud provider', () => {
    for (const index of [0, 1]) {
      const script = controlPlane(index);
      expect(writes(script).find((w) => w.path === '/etc/kubernetes/kubeadm-join.yaml')?.mode).toBe('0600');
      const config = parse(written(script, '/etc/kubernetes/kubeadm-join.yaml'));
      expect(config.discovery.bootstrapToken.caCertHashes).toEqual([CA_HASH]);
      expect(config.nodeRegistration).toEqual({
        name: '__NODE_NAME__',
        criSocket: 'unix:///run/containerd/containerd.sock',
        kubeletExtraArgs: [{ name: 'cloud-provider', value: 'external' }],
      });
    }
  });

  test('the join section: secrets read from SSM first, then the config, the node name and the secrets filled in', () => {
    const script = controlPlane(1);
    const start = script.indexOf('# Token and certificate key come from SSM; kubeadm downloads the shared certificates they unlock.\n');
    expect(start).toBeGreaterThan(0);
    const section = script.slice(start).split('\n');
    expect(section.slice(1, 4)).toEqual([
      'bootstrap_token=$(/usr/local/sbin/cluster-parameter bootstrap-token)',
      'certificate_key=$(/usr/local/sbin/cluster-parameter certificate-key)',
      "write_file 0600 /etc/kubernetes/kubeadm-join.yaml <<'K8S_BOOTSTRAP_EOF'",
    ]);
  });

  test('the init node installs the CA exactly as given, trimmed to one trailing newline', () => {
    expect(written(controlPlane(0, `\n${CA_PEM}\n\n`), '/etc/kubernetes/pki/ca.crt')).toBe(CA_PEM);
    expect(written(controlPlane(0, CA_PEM.trimEnd()), '/etc/kubernetes/pki/ca.crt')).toBe(CA_PEM);
    expect(controlPlane(0)).toContain(
      "# The CA is generated by Pulumi: installed before init, kubeadm signs with it instead of making its own.\nwrite_file 0644 /etc/kubernetes/pki/ca.crt <<'K8S_BOOTSTRAP_EOF'\n",
    );
  });

  test('refuses content that would end a heredoc early', () => {
    expect(() => controlPlane(0, `${CA_PEM}K8S_BOOTSTRAP_EOF\n`)).toThrow(
      'content for /etc/kubernetes/pki/ca.crt contains the line "K8S_BOOTSTRAP_EOF", which would end its heredoc early',
    );
    // Only a whole line counts.
    expect(written(controlPlane(0, `${CA_PEM}# not K8S_BOOTSTRAP_EOF\n`), '/etc/kubernetes/pki/ca.crt')).toBe(`${CA_PEM}# not K8S_BOOTSTRAP_EOF\n`);
  });

  test('refuses a negative or fractional index, accepts the last one', () => {
    const args = { endpoint, caCertPem: CA_PEM, store };
    expect(() => renderControlPlaneUserData(prod, { ...args, role: 'join', index: -1 })).toThrow(
      'control plane index -1 is outside 0..2 (environment "prod" has 3)',
    );
    expect(() => renderControlPlaneUserData(prod, { ...args, role: 'join', index: 1.5 })).toThrow(
      'control plane index 1.5 is outside 0..2 (environment "prod" has 3)',
    );
    expect(() => renderControlPlaneUserData(prod, { ...args, role: 'join', index: 3 })).toThrow('control plane index 3 is outside 0..2');
    expect(controlPlane(2).split('\n')[1]).toBe('# Control plane 2 (join) of cluster hopper (environment prod).');
    expect(controlPlane(0).split('\n')[1]).toBe('# Control plane 0 (init) of cluster hopper (environment prod).');
    expect(renderControlPlaneUserData(dev, { ...args, role: 'init', index: 0 }).split('\n')[1]).toBe(
      '# Control plane 0 (init) of cluster hopper-dev (environment dev).',
    );
  });
});

describe('shared shell helpers of every Linux user-data (run with fakes)', () => {
  const fn = (script: string, name: string) => new RegExp(`^${name}\\(\\) \\{\\n[\\s\\S]*?\\n\\}$`, 'm').exec(script)![0];

  test('every script run by cloud-init or systemd sets a PATH that includes the AWS CLI snap', () => {
    const PATH = 'export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/snap/bin';
    for (const script of [controlPlane(0), controlPlane(1), worker(), renderParameterScript(store), renderTokenRenewalScript(), renderUploadCertsScript(), renderEtcdctlScript(), renderEtcdBackupScript(store), renderUpgradeScript()]) {
      expect(script.split('\n').slice(0, 6)).toContain(PATH);
    }
  });

  test('api_ready probes /readyz of the cluster endpoint; wait_for_api gives up after 90 tries', () => {
    for (const script of [controlPlane(1), worker()]) {
      const fakes = [`curl() { echo "curl $*" >>"$LOG"; false; }`, 'sleep() { :; }', fn(script, 'api_ready'), fn(script, 'wait_for_api')].join('\n');
      const run = bash(fakes, 'wait_for_api');
      expect(run.status).toBe(1);
      expect(run.log).toHaveLength(90);
      expect(new Set(run.log)).toEqual(new Set(['curl -fsk --max-time 5 -o /dev/null https://api.hopper.internal:6443/readyz']));
      expect(run.stdout.split('\n')[89]).toBe('waiting for the API server at https://api.hopper.internal:6443 (90/90)');
      expect(run.stderr).toBe('the API server at https://api.hopper.internal:6443 was not ready within 15 minutes\n');
    }
  });

  test('join_cluster retries kubeadm join 10 times, resetting the node in between', () => {
    const fakes = [`kubeadm() { echo "kubeadm $*" >>"$LOG"; [[ $1 != join ]]; }`, 'sleep() { :; }', fn(worker(), 'join_cluster')].join('\n');
    const run = bash(fakes, 'join_cluster');
    expect(run.status).toBe(1);
    expect(run.log).toHaveLength(20);
    expect(run.log.slice(0, 2)).toEqual([
      'kubeadm join --config /etc/kubernetes/kubeadm-join.yaml',
      'kubeadm reset --force --cri-socket unix:///run/containerd/containerd.sock',
    ]);
    expect(run.stderr.split('\n').slice(-2)).toEqual(['kubeadm join failed 10 times; see the output above', '']);
  });

  test("the worker's version gate asks the cluster endpoint for /version", () => {
    const script = worker();
    const fakes = [`curl() { echo "curl $*" >>"$LOG"; echo '{"gitVersion": "v1.34.2"}'; }`, 'sleep() { :; }', fn(script, 'wait_for_control_plane_version')].join('\n');
    const run = bash(fakes, 'wait_for_control_plane_version');
    expect(run.status).toBe(0);
    expect(run.log).toEqual(['curl -fsk --max-time 5 https://api.hopper.internal:6443/version']);
  });
});

describe('Linux worker user-data', () => {
  test('the bootstrap steps, in order: AWS CLI, join config 0600, node name, token from SSM, wait, join, clean up, report', () => {
    const script = worker();
    const start = script.indexOf('\ninstall_aws_cli\n');
    expect(start).toBeGreaterThan(0);
    const steps = script
      .slice(start + 1)
      .replace(/<<'K8S_BOOTSTRAP_EOF'\n[\s\S]*?\nK8S_BOOTSTRAP_EOF\n/, '<<heredoc\n')
      .split('\n');
    expect(steps).toEqual([
      'install_aws_cli',
      'write_file 0600 /etc/kubernetes/kubeadm-join.yaml <<heredoc',
      'sed -i "s/__NODE_NAME__/${node_name}/" /etc/kubernetes/kubeadm-join.yaml',
      "bootstrap_token=$(aws ssm get-parameter --region eu-west-1 --with-decryption --name '/c/bootstrap-token' --query Parameter.Value --output text)",
      'sed -i -e "s/__BOOTSTRAP_TOKEN__/${bootstrap_token}/" /etc/kubernetes/kubeadm-join.yaml',
      'wait_for_api',
      'wait_for_control_plane_version',
      'join_cluster',
      'rm -f /etc/kubernetes/kubeadm-join.yaml',
      'wait_until_ready',
      'complete_lifecycle CONTINUE',
      '',
    ]);
  });

  test('names the pool and its platform in the header', () => {
    expect(worker().split('\n').slice(0, 2)).toEqual(['#!/bin/bash', '# Worker of node pool linux-amd64 (linux/amd64) of cluster hopper (environment prod).']);
  });

  test('a failed step tells the auto scaling group ABANDON; success does not', () => {
    const script = worker();
    const fn = (name: string) => new RegExp(`^${name}\\(\\) \\{\\n[\\s\\S]*?\\n\\}$`, 'm').exec(script)![0];
    const trap = /^# Any failure after the AWS CLI[\s\S]*?\ntrap report_failure EXIT$/m.exec(script)![0];
    const fakes = [`aws() { echo "aws $*" >>"$LOG"; }`, `imds() { echo i-0abc; }`, fn('complete_lifecycle')].join('\n');
    const failing = bash(fakes, `set -euo pipefail\n${trap}\nfalse`);
    expect(failing.status).toBe(1);
    expect(failing.log).toEqual([
      "aws autoscaling complete-lifecycle-action --region eu-west-1 --instance-id i-0abc --auto-scaling-group-name hopper-linux-amd64 --lifecycle-hook-name kubeadm-join --lifecycle-action-result ABANDON",
    ]);
    const passing = bash(fakes, `set -euo pipefail\n${trap}\ntrue`);
    expect(passing.status).toBe(0);
    expect(passing.log).toEqual([]);
  });
});
