import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { Environment, NodePool, getEnvironment } from '../../environments';
import { testWith } from '../util/tools';
import {
  ApiEndpoint,
  BOOTSTRAP_TOKEN_PLACEHOLDER,
  CERTIFICATE_KEY_PLACEHOLDER,
  ClusterStore,
  HELPERS,
  renderControlPlaneHelpers,
  BOOTSTRAP_TOKEN_GROUP,
  BOOTSTRAP_TOKEN_TTL_HOURS,
  BootstrapSecrets,
  NODE_NAME_PLACEHOLDER,
  TOKEN_RENEWAL_INTERVAL_HOURS,
  WINDOWS_CONTAINERD_VERSION,
  discoveryTokenCaCertHash,
  kubeletNodeLabels,
  kubeletTaints,
  renderControlPlaneUserData,
  renderKubeadmConfig,
  renderLinuxWorkerUserData,
  renderEtcdBackupScript,
  renderEtcdctlScript,
  renderParameterScript,
  renderTokenRenewalScript,
  renderUpgradeScript,
  renderUploadCertsScript,
  renderWindowsWorkerUserData,
} from '../../infra/bootstrap';

// Fake values, not secrets: the CA is generated per run into a temp dir and deleted afterwards.
const TOKEN = 'abcdef.0123456789abcdef';
const CERTIFICATE_KEY = '0123456789abcdef'.repeat(4);
const FAKE_HASH = `sha256:${'ab'.repeat(32)}`;
const dev = getEnvironment('dev');
const prod = getEnvironment('prod');
const endpoints: Record<string, ApiEndpoint> = {
  dev: { host: 'api.hopper-dev.internal', port: 6443 },
  prod: { host: 'api.hopper.internal', port: 6443 },
};
const stores: Record<string, ClusterStore> = Object.fromEntries(
  ['dev', 'prod'].map((name) => {
    const base = `/k8s-book-systems/${name === 'dev' ? 'hopper-dev' : 'hopper'}`;
    const parameters = {
      caKey: `${base}/control-plane/ca-key`,
      certificateKey: `${base}/control-plane/certificate-key`,
      bootstrapToken: `${base}/nodes/bootstrap-token`,
      kubernetesVersion: `${base}/kubernetes-version`,
    };
    return [name, { region: 'us-east-1', parameters, bucket: `${name}-cluster-bucket` }];
  }),
);
const PLACEHOLDERS = { bootstrapToken: BOOTSTRAP_TOKEN_PLACEHOLDER, certificateKey: CERTIFICATE_KEY_PLACEHOLDER };

/** Fails with a pointer to .ci/run when a tool the tests need is missing. */
function requireBinary(name: string): string {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  if (found.status !== 0) {
    throw new Error(`${name} is not installed; .ci/run installs it (apt-get install -y ${name}), or install it locally.`);
  }
  return found.stdout.trim();
}

function run(command: string, args: string[], cwd?: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

let dir: string;
let secrets: BootstrapSecrets;
let hash: string;

beforeAll(() => {
  const openssl = requireBinary('openssl');
  dir = mkdtempSync(join(tmpdir(), 'bootstrap-test-'));
  run(openssl, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=kubernetes'], dir);
  secrets = {
    caCertPem: readFileSync(join(dir, 'ca.crt'), 'utf8'),
    caKeyPem: readFileSync(join(dir, 'ca.key'), 'utf8'),
    bootstrapToken: TOKEN,
    certificateKey: CERTIFICATE_KEY,
  };
  hash = discoveryTokenCaCertHash(secrets.caCertPem);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const linuxPools = (env: Environment) => env.nodePools.filter((p) => p.os === 'linux');
const windowsPool = prod.nodePools.find((p) => p.os === 'windows')!;

function workerArgs(env: Environment, pool: NodePool, discoveryHash = hash) {
  return {
    endpoint: endpoints[env.name],
    discoveryHash,
    region: 'us-east-1',
    tokenParameter: stores[env.name].parameters.bootstrapToken,
    autoScalingGroupName: `${env.cluster.name}-${pool.name}`,
    lifecycleHookName: 'kubeadm-join',
  };
}

function worker(env: Environment, pool: NodePool, discoveryHash = hash): string {
  return renderLinuxWorkerUserData(env, pool, workerArgs(env, pool, discoveryHash));
}

function controlPlane(env: Environment, index: number): string {
  return renderControlPlaneUserData(env, {
    role: index === 0 ? 'init' : 'join',
    endpoint: endpoints[env.name],
    caCertPem: secrets.caCertPem,
    store: stores[env.name],
    index,
  });
}

function windows(discoveryHash = hash): string {
  return renderWindowsWorkerUserData(prod, windowsPool, workerArgs(prod, windowsPool, discoveryHash));
}

/** The helper scripts every control plane installs. */
const helperScripts: Array<[string, () => string]> = [
  ['install-control-plane-helpers', () => renderControlPlaneHelpers(stores.prod)],
  ['cluster-parameter', () => renderParameterScript(stores.prod)],
  ['renew-bootstrap-token', renderTokenRenewalScript],
  ['upload-control-plane-certs', renderUploadCertsScript],
  ['etcdctl-local', renderEtcdctlScript],
  ['etcd-backup', () => renderEtcdBackupScript(stores.prod)],
  ['upgrade-control-plane', renderUpgradeScript],
];

/** Every Linux user-data of dev and prod: each control plane, each Linux pool's workers (rendered once the CA exists). */
const linuxUserData: Array<[string, () => string]> = [dev, prod].flatMap((env) => {
  const count = env.provider.kind === 'aws-kubeadm' ? env.provider.controlPlane.count : 0;
  return [
    ...Array.from({ length: count }, (_, i): [string, () => string] => [`${env.name}-control-plane-${i}`, () => controlPlane(env, i)]),
    ...linuxPools(env).map((pool): [string, () => string] => [`${env.name}-${pool.name}`, () => worker(env, pool)]),
  ];
});

/** The files a Linux user-data writes with `write_file MODE PATH <<'EOF'`. */
function writtenFiles(script: string): Map<string, { mode: string; content: string }> {
  const files = new Map<string, { mode: string; content: string }>();
  for (const m of script.matchAll(/^write_file (\d{4}) (\S+) <<'(\w+)'\n([\s\S]*?)\n\3$/gm)) {
    files.set(m[2], { mode: m[1], content: `${m[4]}\n` });
  }
  return files;
}

function file(script: string, path: string): string {
  const found = writtenFiles(script).get(path);
  if (!found) throw new Error(`the user-data writes no ${path}`);
  return found.content;
}

describe('discoveryTokenCaCertHash', () => {
  test.each([
    ['EC P-256', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']],
    ['RSA 2048', ['-newkey', 'rsa:2048']],
  ])('equals the sha256 openssl computes over the %s CA public key (SPKI DER)', (_kind, keyArgs) => {
    const cert = join(dir, `hash-${keyArgs[1]}.crt`);
    run('openssl', ['req', '-x509', ...keyArgs, '-nodes', '-keyout', `${cert}.key`, '-out', cert, '-days', '1', '-subj', '/CN=kubernetes']);
    const openssl = run('bash', ['-c', `set -o pipefail; openssl x509 -pubkey -noout -in ${cert} | openssl pkey -pubin -outform der | openssl dgst -sha256 -hex`]);
    const expected = /= ([0-9a-f]{64})$/m.exec(openssl)![1];
    expect(discoveryTokenCaCertHash(readFileSync(cert, 'utf8'))).toBe(`sha256:${expected}`);
  });
});

describe('Linux user-data', () => {
  testWith('shellcheck')('every control plane and Linux worker script of dev and prod, and the token renewal script, pass shellcheck', () => {
    const shellcheck = requireBinary('shellcheck');
    const scripts: Array<[string, () => string]> = [...linuxUserData, ...helperScripts];
    const paths = scripts.map(([name, render]) => {
      const path = join(dir, `${name}.sh`);
      writeFileSync(path, render());
      return path;
    });
    const result = spawnSync(shellcheck, ['--shell=bash', '--severity=style', '--external-sources', ...paths], { encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  test.each(linuxUserData)("%s: bash, under the 16 KB EC2 user-data limit, none of the books' defects", (_name, render) => {
    const script = render();
    expect(script.startsWith('#!/bin/bash\n')).toBe(true);
    expect(Buffer.byteLength(script)).toBeLessThan(16 * 1024);
    for (const defect of [
      /apt\.kubernetes\.io|packages\.cloud\.google\.com/,
      /cloud-provider[=: ]+aws/,
      /node-role\.kubernetes\.io\/(node|master)/,
      /v1alpha|MasterConfiguration|kubeadm\.k8s\.io\/v1beta[123]\b/,
      /cat <<-? ?'?\w+'? \$/,
      /--ttl[= ]0\b|ttl: 0/,
    ]) {
      expect(script).not.toMatch(defect);
    }
    // IMDSv1 never: every metadata call carries the session token.
    const metadataCalls = script.split('\n').filter((line) => line.includes('169.254.169.254/latest/meta-data'));
    expect(metadataCalls.length).toBeGreaterThan(0);
    metadataCalls.forEach((line) => expect(line).toContain('X-aws-ec2-metadata-token: '));
    expect(script).toContain("-X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' http://169.254.169.254/latest/api/token");
  });

  test.each(linuxUserData)('%s: prepares the node (swap, modules, sysctls, containerd, pinned packages)', (name, render) => {
    const script = render();
    expect(script).toMatch(/^swapoff -a$/m);
    expect(file(script, '/etc/modules-load.d/kubernetes.conf')).toBe('overlay\nbr_netfilter\n');
    expect(script).toMatch(/^modprobe br_netfilter$/m);
    const sysctls = file(script, '/etc/sysctl.d/99-kubernetes.conf');
    expect(sysctls).toContain('net.bridge.bridge-nf-call-iptables = 1\n');
    expect(sysctls).toContain('net.ipv4.ip_forward = 1\n');
    expect(script.indexOf('sysctl --system')).toBeGreaterThan(script.indexOf('/etc/sysctl.d/99-kubernetes.conf'));
    if (name.includes('control-plane')) {
      // Control planes install the version the stack's SSM parameter names at boot: their user-data is
      // frozen at creation (ignoreChanges), also through pulumi up --replace.
      expect(script).toContain(`kubernetes_version=$(${HELPERS.parameter} kubernetes-version)\n`);
      expect(script).toContain(
        'echo "deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/${kubernetes_minor}/deb/ /" >/etc/apt/sources.list.d/kubernetes.list',
      );
      expect(script).toMatch(/^apt_get install "kubelet=\$\{kubernetes_version\}-1\.1" "kubeadm=\$\{kubernetes_version\}-1\.1" "kubectl=\$\{kubernetes_version\}-1\.1"$/m);
      expect(script.indexOf('kubernetes_version=$(')).toBeLessThan(script.indexOf('apt_get install "kubelet=${kubernetes_version}'));
      expect(script).not.toContain('1.34.2-1.1');
    } else {
      expect(file(script, '/etc/apt/sources.list.d/kubernetes.list')).toBe(
        'deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.34/deb/ /\n',
      );
      expect(script).toContain('curl -fsSL --retry 5 https://pkgs.k8s.io/core:/stable:/v1.34/deb/Release.key |');
      expect(script).toMatch(/^apt_get install kubelet=1\.34\.2-1\.1 kubeadm=1\.34\.2-1\.1 kubectl=1\.34\.2-1\.1$/m);
    }
    expect(script).toMatch(/^apt-mark hold kubelet kubeadm kubectl$/m);
    expect(script).toContain("sed -i 's/SystemdCgroup = false/SystemdCgroup = true/' /etc/containerd/config.toml");
    expect(script).toContain("grep -q 'SystemdCgroup = true' /etc/containerd/config.toml");
    expect(script).toContain('node_name=$(imds local-hostname)');
  });
});

describe('control plane user-data', () => {
  test('carries no secret: the CA key, certificate key and token come from SSM at boot', () => {
    for (const index of [0, 1, 2]) {
      const script = controlPlane(prod, index);
      for (const secret of [TOKEN, CERTIFICATE_KEY, secrets.caKeyPem.trim().split('\n')[1]]) expect(script.includes(secret)).toBe(false);
      expect(script).not.toContain('PRIVATE KEY');
      // Read into variables first: a failed read stops the script before kubeadm sees an empty value.
      expect(script).toContain(`bootstrap_token=$(${HELPERS.parameter} bootstrap-token)\ncertificate_key=$(${HELPERS.parameter} certificate-key)\n`);
      // The helpers come from the stack's bucket (user-data stays far under 16 KB).
      expect(script).toContain(
        'aws s3 cp --region us-east-1 --only-show-errors s3://prod-cluster-bucket/bootstrap/control-plane-helpers.sh /usr/local/sbin/install-control-plane-helpers\n' +
          'bash /usr/local/sbin/install-control-plane-helpers\n',
      );
      expect(script.indexOf('bash /usr/local/sbin/install-control-plane-helpers')).toBeLessThan(script.indexOf(`$(${HELPERS.parameter} `));
      expect(Buffer.byteLength(script)).toBeLessThan(12 * 1024);
    }
    expect(writtenFiles(renderControlPlaneHelpers(stores.prod)).get(HELPERS.parameter)).toEqual({ mode: '0700', content: renderParameterScript(stores.prod) });
    const parameter = renderParameterScript(stores.prod);
    expect(parameter).toContain("  ca-key) name='/k8s-book-systems/hopper/control-plane/ca-key' ;;");
    expect(parameter).toContain('aws ssm get-parameter --region us-east-1 --with-decryption --name "$name" --query Parameter.Value --output text');
  });

  test('init installs the Pulumi CA (key 0600, from SSM) before kubeadm init --upload-certs, then applies the add-ons', () => {
    const script = controlPlane(prod, 0);
    const files = writtenFiles(script);
    expect(files.get('/etc/kubernetes/pki/ca.crt')).toEqual({ mode: '0644', content: secrets.caCertPem });
    expect(files.get('/etc/kubernetes/kubeadm-init.yaml')?.mode).toBe('0600');
    const init = script.indexOf('kubeadm init --config /etc/kubernetes/kubeadm-init.yaml --upload-certs');
    expect(init).toBeGreaterThan(0);
    const key = script.indexOf(`(umask 077 && ${HELPERS.parameter} ca-key >/etc/kubernetes/pki/ca.key)`);
    expect(key).toBeGreaterThan(0);
    expect(key).toBeLessThan(init);
    // Both must be there (indexOf is -1 when absent, which is also "less than init").
    const nodeName = script.indexOf('sed -i "s/__NODE_NAME__/${node_name}/" /etc/kubernetes/kubeadm-init.yaml\n');
    const fill = script.indexOf('sed -i -e "s/__BOOTSTRAP_TOKEN__/${bootstrap_token}/" -e "s/__CERTIFICATE_KEY__/${certificate_key}/" /etc/kubernetes/kubeadm-init.yaml\n');
    expect(nodeName).toBeGreaterThan(key);
    expect(nodeName).toBeLessThan(init);
    expect(fill).toBeGreaterThan(nodeName);
    expect(fill).toBeLessThan(init);
    // Secrets stay out of the log: kubeadm would print the join command with token and certificate key.
    expect(script).toContain('--skip-token-print --skip-certificate-key-print');
    // Right after init: the add-ons the stack published, so flannel and the CCM make the nodes Ready.
    expect(script).toContain('  kubeadm init --config /etc/kubernetes/kubeadm-init.yaml --upload-certs --skip-token-print --skip-certificate-key-print\n  apply_cluster_addons\nfi\n');
    expect(script).toContain('aws s3 cp --region us-east-1 --only-show-errors s3://prod-cluster-bucket/addons/01-cluster.yaml /etc/kubernetes/addons/01-cluster.yaml');
    expect(script).toContain('kubectl --kubeconfig /etc/kubernetes/admin.conf apply --server-side --force-conflicts');
    // The configs holding the secrets do not outlive the bootstrap.
    expect(script).toContain('rm -f /etc/kubernetes/kubeadm-init.yaml\n');
    expect(script).toContain('rm -f /etc/kubernetes/kubeadm-join.yaml\n');
  });

  test('init embeds exactly renderKubeadmConfig (placeholders for the secrets), and joins instead when the endpoint already answers', () => {
    const script = controlPlane(prod, 0);
    expect(file(script, '/etc/kubernetes/kubeadm-init.yaml')).toBe(renderKubeadmConfig(prod, endpoints.prod, PLACEHOLDERS));
    expect(script).toMatch(/if api_ready \|\| \{ sleep 10 && api_ready; \}; then\n.*\n  join_cluster\n  pin_endpoint_locally\nelse\n  pin_endpoint_locally\n  kubeadm init /);
    expect(script).toContain("echo '127.0.0.1 api.hopper.internal' >>/etc/hosts");
  });

  test.each([1, 2])('prod control plane %i waits for the endpoint, then joins with --control-plane and the certificate key', (index) => {
    const script = controlPlane(prod, index);
    const config = parse(file(script, '/etc/kubernetes/kubeadm-join.yaml'));
    expect(config.controlPlane).toEqual({ certificateKey: CERTIFICATE_KEY_PLACEHOLDER });
    expect(config.discovery.bootstrapToken).toEqual({
      apiServerEndpoint: `${endpoints.prod.host}:6443`,
      token: BOOTSTRAP_TOKEN_PLACEHOLDER,
      caCertHashes: [hash],
    });
    expect(script).toContain('sed -i -e "s/__BOOTSTRAP_TOKEN__/${bootstrap_token}/" -e "s/__CERTIFICATE_KEY__/${certificate_key}/" /etc/kubernetes/kubeadm-join.yaml\n');
    expect(script).not.toContain('kubeadm init --config');
    expect(script).not.toContain('apply_cluster_addons\n');
    expect(script).toMatch(/\nwait_for_api\njoin_cluster\npin_endpoint_locally\n/);
    // The retry loops are bounded.
    expect(script).toContain('for attempt in $(seq 1 90); do');
    expect(script).toContain('for attempt in $(seq 1 10); do');
  });

  test('every control plane renews the token read from SSM, well inside its TTL, and never re-uploads the certificates', () => {
    expect(TOKEN_RENEWAL_INTERVAL_HOURS).toBeLessThan(BOOTSTRAP_TOKEN_TTL_HOURS / 2);
    const renewal = renderTokenRenewalScript();
    expect(renewal).toContain(`token=$(${HELPERS.parameter} bootstrap-token)\nid=\${token%%.*}\nsecret=\${token#*.}\n`);
    expect(renewal).toContain(`date -u -d '+${BOOTSTRAP_TOKEN_TTL_HOURS} hours'`);
    // A rotated token (same id, new secret) takes effect: the secret is patched along with the expiration.
    expect(renewal).toContain('\\"token-secret\\":\\"${secret}\\"');
    expect(renewal).toContain(`kubeadm token create "\${token}" --ttl ${BOOTSTRAP_TOKEN_TTL_HOURS}h0m0s`);
    expect(renewal).toContain(`--groups ${BOOTSTRAP_TOKEN_GROUP} >/dev/null`);
    // The kubeadm-certs Secret lives its 2 h only around a deliberate join (upload-control-plane-certs).
    expect(renewal).not.toContain('upload-certs');
    expect(renderUploadCertsScript()).toContain(`kubeadm init phase upload-certs --upload-certs --skip-certificate-key-print \\\n  --kubeconfig /etc/kubernetes/admin.conf --certificate-key "$(${HELPERS.parameter} certificate-key)"`);
    const files = writtenFiles(renderControlPlaneHelpers(stores.prod));
    expect(files.get(HELPERS.renewToken)).toEqual({ mode: '0700', content: renewal });
    expect(files.get('/etc/systemd/system/renew-bootstrap-token.timer')?.content).toContain(`OnUnitActiveSec=${TOKEN_RENEWAL_INTERVAL_HOURS}h\n`);
    expect(files.get('/etc/systemd/system/etcd-backup.timer')?.content).toContain('OnCalendar=daily\n');
    for (const index of [0, 1, 2]) {
      expect(controlPlane(prod, index)).toMatch(/systemctl enable --now renew-bootstrap-token\.timer etcd-backup\.timer\n$/);
    }
  });

  test('refuses a role that does not match the index, an index past the count, and a MicroK8s environment', () => {
    const args = { endpoint: endpoints.prod, caCertPem: secrets.caCertPem, store: stores.prod };
    expect(() => renderControlPlaneUserData(prod, { ...args, role: 'join', index: 0 })).toThrow(
      'control plane 0 has role "join": control plane 0 runs "init", every other one "join"',
    );
    expect(() => renderControlPlaneUserData(prod, { ...args, role: 'init', index: 1 })).toThrow('control plane 1 has role "init"');
    expect(() => renderControlPlaneUserData(dev, { ...args, role: 'join', index: 1 })).toThrow(
      'control plane index 1 is outside 0..0 (environment "dev" has 1)',
    );
    expect(() => renderControlPlaneUserData(getEnvironment('edge'), { ...args, role: 'init', index: 0 })).toThrow(
      'environment "edge": kubeadm bootstrap needs provider.kind "aws-kubeadm", got "microk8s"',
    );
  });

  test('refuses malformed secrets without echoing them', () => {
    const bad = (over: Partial<BootstrapSecrets>) => () => renderKubeadmConfig(prod, endpoints.prod, { ...secrets, ...over });
    expect(bad({ bootstrapToken: 'ABCDEF.0123456789abcdef' })).toThrow(/^bootstrapToken does not match "\[a-z0-9\]\{6\}\.\[a-z0-9\]\{16\}"/);
    expect(bad({ bootstrapToken: 'ABCDEF.0123456789abcdef' })).not.toThrow(/ABCDEF/);
    expect(bad({ certificateKey: 'z'.repeat(64) })).toThrow(/^certificateKey is not 64 lower-case hex characters/);
    expect(bad({ certificateKey: 'z'.repeat(64) })).not.toThrow(/zzzz/);
  });

  test('refuses an endpoint host that is not a DNS name or IPv4 address (it lands in shell)', () => {
    expect(() => renderKubeadmConfig(prod, { host: '$(reboot)', port: 6443 }, secrets)).toThrow(
      'API endpoint host "$(reboot)" is not a DNS name or IPv4 address',
    );
    expect(() => renderKubeadmConfig(prod, { host: 'api', port: 0 }, secrets)).toThrow('API endpoint port 0 is not an integer in 1-65535');
  });
});

describe('kubeadm configuration', () => {
  test.each([dev, prod])('$name: v1beta4 Init/Cluster/Kubelet configuration carrying the environment', (env) => {
    const docs = parseAllDocuments(renderKubeadmConfig(env, endpoints[env.name], secrets)).map((d) => {
      expect(d.errors).toEqual([]);
      return d.toJS();
    });
    expect(docs.map((d) => `${d.apiVersion} ${d.kind}`)).toEqual([
      'kubeadm.k8s.io/v1beta4 InitConfiguration',
      'kubeadm.k8s.io/v1beta4 ClusterConfiguration',
      'kubelet.config.k8s.io/v1beta1 KubeletConfiguration',
    ]);
    const [init, cluster, kubelet] = docs;
    expect(cluster.kubernetesVersion).toBe(`v${env.cluster.kubernetesVersion}`);
    expect(cluster.clusterName).toBe(env.cluster.name);
    expect(cluster.controlPlaneEndpoint).toBe(`${endpoints[env.name].host}:${endpoints[env.name].port}`);
    expect(cluster.networking).toEqual({
      podSubnet: env.cluster.podCidr,
      serviceSubnet: env.cluster.serviceCidr,
      dnsDomain: env.cluster.dnsDomain,
    });
    expect(cluster.controllerManager.extraArgs).toEqual([{ name: 'cloud-provider', value: 'external' }]);
    expect(init.nodeRegistration.kubeletExtraArgs).toEqual([{ name: 'cloud-provider', value: 'external' }]);
    expect(init.nodeRegistration.name).toBe(NODE_NAME_PLACEHOLDER);
    expect(init.certificateKey).toBe(CERTIFICATE_KEY);
    expect(init.bootstrapTokens).toEqual([
      expect.objectContaining({ token: TOKEN, ttl: `${BOOTSTRAP_TOKEN_TTL_HOURS}h0m0s`, usages: ['signing', 'authentication'], groups: [BOOTSTRAP_TOKEN_GROUP] }),
    ]);
    expect(kubelet.cgroupDriver).toBe('systemd');
  });

  test('refuses a Kubernetes version that is not a full patch version', () => {
    const loose: Environment = { ...dev, cluster: { ...dev.cluster, kubernetesVersion: '1.34' } };
    expect(() => renderKubeadmConfig(loose, endpoints.dev, secrets)).toThrow(
      'environment "dev": cluster.kubernetesVersion "1.34" is not a full patch version',
    );
  });

  test('dev kubeadm configuration (fake token and certificate key)', () => {
    expect(renderKubeadmConfig(dev, endpoints.dev, secrets)).toMatchSnapshot();
  });
});

describe('worker user-data', () => {
  test.each([dev, prod].flatMap((env) => linuxPools(env).map((pool) => [env.name, pool.name, env, pool] as const)))(
    '%s %s: joins with the CA hash, pool labels/taints, external cloud provider, EC2 node name',
    (_env, _pool, env, pool) => {
      const script = worker(env, pool);
      const config = parse(file(script, '/etc/kubernetes/kubeadm-join.yaml'));
      expect(config.apiVersion).toBe('kubeadm.k8s.io/v1beta4');
      expect(config.kind).toBe('JoinConfiguration');
      expect(config.discovery.bootstrapToken).toEqual({ apiServerEndpoint: `${endpoints[env.name].host}:6443`, token: BOOTSTRAP_TOKEN_PLACEHOLDER, caCertHashes: [hash] });
      expect(config.controlPlane).toBeUndefined();
      expect(config.nodeRegistration.name).toBe(NODE_NAME_PLACEHOLDER);
      expect(config.nodeRegistration.kubeletExtraArgs).toEqual([
        { name: 'cloud-provider', value: 'external' },
        { name: 'node-labels', value: kubeletNodeLabels(pool) },
        ...(pool.taints.length ? [{ name: 'register-with-taints', value: kubeletTaints(pool) }] : []),
      ]);
      // The token comes from SSM (the node role may decrypt nothing else); the join waits for a control
      // plane at least as new as this node, and the group learns the result.
      expect(script).toContain(
        'sed -i "s/__NODE_NAME__/${node_name}/" /etc/kubernetes/kubeadm-join.yaml\n' +
          `bootstrap_token=$(aws ssm get-parameter --region us-east-1 --with-decryption --name '${stores[env.name].parameters.bootstrapToken}' --query Parameter.Value --output text)\n` +
          'sed -i -e "s/__BOOTSTRAP_TOKEN__/${bootstrap_token}/" /etc/kubernetes/kubeadm-join.yaml\n' +
          'wait_for_api\nwait_for_control_plane_version\njoin_cluster\nrm -f /etc/kubernetes/kubeadm-join.yaml\nwait_until_ready\ncomplete_lifecycle CONTINUE\n',
      );
      expect(script).toContain(`--auto-scaling-group-name '${env.cluster.name}-${pool.name}' --lifecycle-hook-name 'kubeadm-join'`);
      expect(script).toContain('trap report_failure EXIT');
      // Workers get the hash, never a secret or key material.
      expect(script).not.toContain(TOKEN);
      expect(script).not.toContain(CERTIFICATE_KEY);
      expect(script).not.toContain('PRIVATE KEY');
      expect(script).not.toContain('BEGIN CERTIFICATE');
    },
  );

  test('the version gate runs: joins only once the API server runs at least the node version', () => {
    const script = worker(prod, prod.nodePools[0]);
    const gate = /^wait_for_control_plane_version\(\) \{\n[\s\S]*?\n\}$/m.exec(script)![0];
    const run = (apiVersion: string) => {
      const fake = `curl() { printf '{\\n  "major": "1",\\n  "gitVersion": "v${apiVersion}",\\n  "goVersion": "go1.24"\\n}\\n'; }\nsleep() { :; }\n`;
      return spawnSync('bash', ['-c', `set -euo pipefail\n${fake}${gate}\nwait_for_control_plane_version`], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
    };
    expect(run('1.34.2').status).toBe(0);
    expect(run('1.35.0').status).toBe(0);
    const older = run('1.33.9');
    expect(older.status).toBe(1);
    expect(older.stdout).toContain("the API server runs 1.33.9, older than this node's 1.34.2: upgrade the control planes first (90/90)");
    // 1.34.10 sorts after 1.34.2 as a version, not as a string.
    expect(run('1.34.10').status).toBe(0);
  });

  test('refuses a Windows pool, and a malformed discovery hash', () => {
    expect(() => worker(prod, windowsPool)).toThrow(
      'node pool "windows-2019": os is "windows"; renderLinuxWorkerUserData renders Linux pools only',
    );
    expect(() => worker(dev, dev.nodePools[0], 'sha256:nothex')).toThrow('discoveryHash is not "sha256:<64 hex>"');
  });

  test('dev worker user-data (fake token and CA hash)', () => {
    expect(worker(dev, dev.nodePools[0], FAKE_HASH)).toMatchSnapshot();
  });
});

describe('Windows worker user-data', () => {
  test('EC2Launch PowerShell: pinned containerd and kubelet/kubeadm, IMDSv2, kubelet service with the pool flags, kubeadm join', () => {
    const script = windows();
    expect(script.startsWith('<powershell>\n')).toBe(true);
    expect(script).toMatch(/\n<\/powershell>\n<persist>true<\/persist>\n$/);
    expect(Buffer.byteLength(script)).toBeLessThan(16 * 1024);
    expect(script).toContain("-Uri 'http://169.254.169.254/latest/api/token' -Headers @{ 'X-aws-ec2-metadata-token-ttl-seconds' = '300' }");
    script
      .split('\n')
      .filter((line) => line.includes('/latest/meta-data'))
      .forEach((line) => expect(line).toContain("'X-aws-ec2-metadata-token' = $imdsToken"));
    expect(script).toContain('"https://dl.k8s.io/v1.34.2/bin/windows/amd64/$binary"');
    expect(script).toContain(`releases/download/v${WINDOWS_CONTAINERD_VERSION}/containerd-${WINDOWS_CONTAINERD_VERSION}-windows-amd64.tar.gz`);
    expect(script).toContain('Get-FileHash -Algorithm SHA256');
    expect(script).toContain('-ne 17763)');
    expect(script).toContain(`'--node-labels=${kubeletNodeLabels(windowsPool)}',`);
    expect(script).toContain("'--register-with-taints=os=windows:NoSchedule',");
    expect(script).toContain("'--cloud-provider=external',");
    expect(script).toContain('"--hostname-override=$nodeName"');
    expect(script).toContain('& C:\\k\\kubeadm.exe join --config C:\\etc\\kubernetes\\kubeadm-join.yaml');
    expect(script).not.toMatch(/node-role\.kubernetes\.io|cloud-provider[=: ]+aws|v1alpha/);
    expect(script).not.toContain(CERTIFICATE_KEY);
    expect(script).not.toContain(TOKEN);
    expect(script).not.toContain('PRIVATE KEY');
    // The token from SSM, the control planes' version first, the lifecycle hook told either way.
    expect(script).toContain("$bootstrapToken = (Get-SSMParameter -Region 'us-east-1' -Name '/k8s-book-systems/hopper/nodes/bootstrap-token' -WithDecryption $true).Value");
    expect(script).toContain("-ge [version]'1.34.2'");
    expect(script).toContain("-AutoScalingGroupName 'hopper-windows-2019' -LifecycleHookName 'kubeadm-join' -InstanceId $instanceId -LifecycleActionResult CONTINUE");
    expect(script).toContain('-LifecycleActionResult ABANDON');
    expect(script.indexOf('LifecycleActionResult CONTINUE')).toBeGreaterThan(script.indexOf('kubeadm.exe join'));
  });

  test('embeds a JoinConfiguration with the pool labels and taints for the containerd named pipe', () => {
    const here = /\$joinConfig = @'\n([\s\S]*?)\n'@ -replace '__NODE_NAME__', \$nodeName -replace '__BOOTSTRAP_TOKEN__', \$bootstrapToken\n/.exec(windows());
    expect(here).not.toBeNull();
    const config = parse(here![1]);
    expect(config.kind).toBe('JoinConfiguration');
    expect(config.discovery.bootstrapToken.caCertHashes).toEqual([hash]);
    expect(config.nodeRegistration.criSocket).toBe('npipe:////./pipe/containerd-containerd');
    expect(config.nodeRegistration.kubeletExtraArgs).toEqual([
      { name: 'cloud-provider', value: 'external' },
      { name: 'node-labels', value: 'node-pool=windows-2019,workload-class=windows' },
      { name: 'register-with-taints', value: 'os=windows:NoSchedule' },
    ]);
  });

  test('refuses a Linux pool, an arm64 Windows pool and a missing windowsBuild', () => {
    const args = workerArgs(prod, windowsPool);
    expect(() => renderWindowsWorkerUserData(prod, prod.nodePools[0], args)).toThrow(
      'node pool "linux-amd64": os is "linux"; renderWindowsWorkerUserData renders Windows pools only',
    );
    expect(() => renderWindowsWorkerUserData(prod, { ...windowsPool, arch: 'arm64' }, args)).toThrow(
      'node pool "windows-2019": arch "arm64"',
    );
    expect(() => renderWindowsWorkerUserData(prod, { ...windowsPool, windowsBuild: undefined }, args)).toThrow(
      'node pool "windows-2019": windowsBuild "" is not "10.0.<build>"',
    );
  });

  test('prod Windows worker user-data (fake token and CA hash)', () => {
    expect(windows(FAKE_HASH)).toMatchSnapshot();
  });
});

describe('kubelet labels and taints', () => {
  const pool = (over: Partial<NodePool>): NodePool => ({ ...dev.nodePools[0], name: 'gpu', ...over });

  test('labels: node-pool first, then the pool labels by key', () => {
    expect(kubeletNodeLabels(pool({ labels: { zeta: 'z', 'example.com/team': 'a' } }))).toBe('node-pool=gpu,example.com/team=a,zeta=z');
    expect(prod.nodePools.map(kubeletNodeLabels)).toEqual([
      'node-pool=linux-amd64,workload-class=general',
      'node-pool=linux-arm64,workload-class=general',
      'node-pool=windows-2019,workload-class=windows',
    ]);
    expect(kubeletNodeLabels(pool({ labels: { 'node.kubernetes.io/lifecycle': 'spot' } }))).toBe('node-pool=gpu,node.kubernetes.io/lifecycle=spot');
  });

  test('refuses node-role.kubernetes.io/* naming the pool and the field', () => {
    expect(() => kubeletNodeLabels(pool({ labels: { 'node-role.kubernetes.io/node': '' } }))).toThrow(
      'node pool "gpu": labels["node-role.kubernetes.io/node"]: kubelets may not set node-role.kubernetes.io/* labels',
    );
  });

  test('refuses other kubelet-restricted labels, a node-pool label, and malformed keys or values', () => {
    expect(() => kubeletNodeLabels(pool({ labels: { 'kubernetes.io/role': 'x' } }))).toThrow(
      'node pool "gpu": labels["kubernetes.io/role"]: kubelets may only set kubelet.kubernetes.io/*, node.kubernetes.io/*',
    );
    expect(() => kubeletNodeLabels(pool({ labels: { 'node-pool': 'x' } }))).toThrow(
      'node pool "gpu": labels["node-pool"]: "node-pool" is set from the pool name; remove it from labels',
    );
    expect(() => kubeletNodeLabels(pool({ labels: { 'a b': 'x' } }))).toThrow('labels["a b"]: the key is not a qualified name');
    expect(() => kubeletNodeLabels(pool({ labels: { team: 'a,b=c' } }))).toThrow('labels["team"]: the value "a,b=c" is not a label value');
  });

  test('taints: key[=value]:Effect, comma-separated; empty without taints', () => {
    expect(kubeletTaints(dev.nodePools[0])).toBe('');
    expect(
      kubeletTaints(pool({ taints: [{ key: 'os', value: 'windows', effect: 'NoSchedule' }, { key: 'example.com/dedicated', effect: 'NoExecute' }] })),
    ).toBe('os=windows:NoSchedule,example.com/dedicated:NoExecute');
    expect(() => kubeletTaints(pool({ taints: [{ key: 'bad key', effect: 'NoSchedule' }] }))).toThrow(
      'node pool "gpu": taints[0]: key "bad key" is not a qualified name',
    );
  });
});
