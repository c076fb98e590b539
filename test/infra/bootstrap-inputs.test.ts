/**
 * What the bootstrap renderers accept and refuse before anything lands in a script: Kubernetes versions,
 * API endpoints, bootstrap tokens, certificate keys, discovery hashes, kubelet labels and taints. Every
 * expectation is written out by hand (boundaries from the kubeadm token format, DNS names and RFC 1123,
 * the kubelet's NodeRestriction label list); nothing is computed with the code under test.
 */
import { parse } from 'yaml';
import { Environment, NodePool, getEnvironment } from '../../environments';
import {
  BOOTSTRAP_TOKEN_PLACEHOLDER,
  CERTIFICATE_KEY_PLACEHOLDER,
  assertBootstrapToken,
  assertCertificateKey,
  assertDiscoveryHash,
  bootstrapTokenId,
  discoveryTokenCaCertHash,
  endpointAddress,
  kubeadmProvider,
  kubernetesRelease,
} from '../../infra/bootstrap/cluster';
import { renderJoinConfiguration, renderKubeadmConfig } from '../../infra/bootstrap/kubeadm';
import { kubeletNodeLabels, kubeletTaints, workerKubeletArgs } from '../../infra/bootstrap/kubelet';
import { CA_HASH, CA_PEM } from './ca-fixture';

const dev = getEnvironment('dev');
const withVersion = (kubernetesVersion: string): Environment => ({ ...dev, cluster: { ...dev.cluster, kubernetesVersion } });


describe('kubernetesRelease', () => {
  test('splits MAJOR.MINOR.PATCH into the tag, the pkgs.k8s.io minor and the pinned deb version', () => {
    expect(kubernetesRelease(withVersion('1.34.2'))).toEqual({ tag: 'v1.34.2', minor: 'v1.34', debVersion: '1.34.2-1.1' });
    // Multi-digit parts stay whole.
    expect(kubernetesRelease(withVersion('10.345.67'))).toEqual({ tag: 'v10.345.67', minor: 'v10.345', debVersion: '10.345.67-1.1' });
  });

  test.each(['1.34', 'v1.34.2', '1.34.2-rc.1', '1.34.2 ', ' 1.34.2', 'a.b.c', '1..2', '1.34.x'])('refuses "%s"', (version) => {
    expect(() => kubernetesRelease(withVersion(version))).toThrow(
      `environment "dev": cluster.kubernetesVersion "${version}" is not a full patch version; write it as MAJOR.MINOR.PATCH, e.g. "1.34.2" (packages are pinned to it)`,
    );
  });
});

describe('kubeadmProvider', () => {
  test('returns the aws-kubeadm provider, refuses MicroK8s naming the edge/ alternative', () => {
    expect(kubeadmProvider(dev)).toBe(dev.provider);
    expect(() => kubeadmProvider(getEnvironment('edge'))).toThrow(
      'environment "edge": kubeadm bootstrap needs provider.kind "aws-kubeadm", got "microk8s" (MicroK8s edge nodes get their user-data from edge/)',
    );
  });
});

describe('endpointAddress', () => {
  const label63 = 'a'.repeat(63);
  // 4 labels of 63 + 3 dots = 255; trimmed to the 253-character limit of a DNS name.
  const name253 = `${'a'.repeat(61)}.${label63}.${label63}.${label63}`;

  test.each([
    ['a', 'a:6443'],
    ['ab', 'ab:6443'],
    ['a-b', 'a-b:6443'],
    ['API.Example.com', 'API.Example.com:6443'],
    ['10.0.0.10', '10.0.0.10:6443'],
    ['api.hopper.internal', 'api.hopper.internal:6443'],
    [label63, `${label63}:6443`],
    [`${label63}.example`, `${label63}.example:6443`],
    ['x1-2.y-3', 'x1-2.y-3:6443'],
  ])('accepts the host %s', (host, address) => {
    expect(endpointAddress({ host, port: 6443 })).toBe(address);
  });

  test('accepts a name of exactly 253 characters, refuses 254', () => {
    expect(name253).toHaveLength(253);
    expect(endpointAddress({ host: name253, port: 443 })).toBe(`${name253}:443`);
    expect(() => endpointAddress({ host: `a${name253}`, port: 443 })).toThrow(`API endpoint host "a${name253}" is not a DNS name or IPv4 address`);
  });

  test.each(['', '-a', 'a-', 'a..b', '.a', 'a.', 'a_b', 'a b', '$(reboot)', 'a;b', `${'a'.repeat(64)}`, `x.${'a'.repeat(64)}`, 'a.-b', 'a.b-', "a'b"])(
    'refuses the host "%s"',
    (host) => {
      expect(() => endpointAddress({ host, port: 6443 })).toThrow(`API endpoint host "${host}" is not a DNS name or IPv4 address`);
    },
  );

  test('accepts ports 1 and 65535, refuses 0, 65536 and fractions', () => {
    expect(endpointAddress({ host: 'api', port: 1 })).toBe('api:1');
    expect(endpointAddress({ host: 'api', port: 65535 })).toBe('api:65535');
    for (const port of [0, -1, 65536, 6443.5, Number.NaN]) {
      expect(() => endpointAddress({ host: 'api', port })).toThrow(
        `API endpoint port ${port} is not an integer in 1-65535 (the API server listens on 6443)`,
      );
    }
  });
});

describe('secret formats (messages never carry the value)', () => {
  const TOKEN_ERROR = 'bootstrapToken does not match "[a-z0-9]{6}.[a-z0-9]{16}" (generate both parts with @pulumi/random: lower-case, digits)';
  const KEY_ERROR = 'certificateKey is not 64 lower-case hex characters (32 random bytes, e.g. RandomId byteLength 32 .hex)';
  const HASH_ERROR = 'discoveryHash is not "sha256:<64 hex>" (compute it with discoveryTokenCaCertHash(caCertPem))';

  test('bootstrap token: 6 + "." + 16 lower-case alphanumerics, or the placeholder', () => {
    for (const ok of ['abcdef.0123456789abcdef', '012345.zzzzzzzzzzzzzzzz', 'a1b2c3.d4e5f6g7h8i9j0k1', BOOTSTRAP_TOKEN_PLACEHOLDER]) {
      expect(() => assertBootstrapToken(ok)).not.toThrow();
    }
    for (const bad of [
      'abcde.0123456789abcdef',
      'abcdefg.0123456789abcdef',
      'abcdef.0123456789abcde',
      'abcdef.0123456789abcdef0',
      'xabcdef.0123456789abcdef',
      'ABCDEF.0123456789abcdef',
      'abcdef.0123456789ABCDEF',
      'abcdef-0123456789abcdef',
      'abcdef.0123456789abcde-',
      'abcde-.0123456789abcdef',
      '',
      '__CERTIFICATE_KEY__',
    ]) {
      expect(() => assertBootstrapToken(bad)).toThrow(TOKEN_ERROR);
    }
  });

  test('bootstrap token id: the 6-character public half', () => {
    expect(bootstrapTokenId('abcdef.0123456789abcdef')).toBe('abcdef');
    expect(() => bootstrapTokenId('abcdef0123456789abcdef')).toThrow(TOKEN_ERROR);
  });

  test('certificate key: 64 lower-case hex characters, or the placeholder', () => {
    for (const ok of ['0123456789abcdef'.repeat(4), 'f'.repeat(64), CERTIFICATE_KEY_PLACEHOLDER]) {
      expect(() => assertCertificateKey(ok)).not.toThrow();
    }
    for (const bad of ['0'.repeat(63), '0'.repeat(65), 'A'.repeat(64), 'g'.repeat(64), `x${'0'.repeat(64)}`, ` ${'0'.repeat(63)}`, '', BOOTSTRAP_TOKEN_PLACEHOLDER]) {
      expect(() => assertCertificateKey(bad)).toThrow(KEY_ERROR);
    }
  });

  test('discovery hash: "sha256:" and 64 lower-case hex characters', () => {
    expect(() => assertDiscoveryHash(`sha256:${'ab'.repeat(32)}`)).not.toThrow();
    expect(() => assertDiscoveryHash(CA_HASH)).not.toThrow();
    for (const bad of [
      `sha256:${'a'.repeat(63)}`,
      `sha256:${'a'.repeat(65)}`,
      `sha256:${'A'.repeat(64)}`,
      `sha256:${'g'.repeat(64)}`,
      `xsha256:${'a'.repeat(64)}`,
      `sha512:${'a'.repeat(64)}`,
      'a'.repeat(64),
    ]) {
      expect(() => assertDiscoveryHash(bad)).toThrow(HASH_ERROR);
    }
  });

  test('the discovery hash of a fixed CA is the sha256 openssl printed for its public key', () => {
    expect(discoveryTokenCaCertHash(CA_PEM)).toBe(CA_HASH);
  });
});

describe('kubeadm configurations', () => {
  const endpoint = { host: 'api.hopper-dev.internal', port: 6443 };
  const secrets = { bootstrapToken: 'abcdef.0123456789abcdef', certificateKey: '0123456789abcdef'.repeat(4) };

  test('the InitConfiguration names its token, keeps long lines whole, and registers with containerd', () => {
    const text = renderKubeadmConfig(dev, endpoint, secrets);
    const [init, , kubelet] = text.split('---\n').map((doc) => parse(doc));
    expect(init.bootstrapTokens[0].description).toBe('pre-generated by Pulumi for hopper-dev workers; renewed by renew-bootstrap-token.timer');
    // One line per value: the user-data substitutes placeholders line by line, and people read it.
    expect(text).toContain('\n    description: pre-generated by Pulumi for hopper-dev workers; renewed by renew-bootstrap-token.timer\n');
    expect(init.nodeRegistration.criSocket).toBe('unix:///run/containerd/containerd.sock');
    expect(kubelet.serverTLSBootstrap).toBe(true);
    expect(text.split('\n').filter((line) => line === '---')).toHaveLength(2);
  });

  test('a join configuration with a certificate key checks it; without one it has no controlPlane section', () => {
    const base = {
      endpoint,
      bootstrapToken: BOOTSTRAP_TOKEN_PLACEHOLDER,
      discoveryHash: CA_HASH,
      criSocket: 'unix:///run/containerd/containerd.sock',
      kubeletArgs: [{ name: 'cloud-provider', value: 'external' }],
    };
    expect(() => renderJoinConfiguration(dev, { ...base, certificateKey: 'not-hex' })).toThrow(
      'certificateKey is not 64 lower-case hex characters',
    );
    expect(() => renderJoinConfiguration(dev, { ...base, bootstrapToken: 'nope' })).toThrow('bootstrapToken does not match');
    expect(() => renderJoinConfiguration(getEnvironment('edge'), base)).toThrow('needs provider.kind "aws-kubeadm"');
    const plain = parse(renderJoinConfiguration(dev, base));
    expect(Object.keys(plain)).toEqual(['apiVersion', 'kind', 'discovery', 'nodeRegistration']);
    const cp = parse(renderJoinConfiguration(dev, { ...base, certificateKey: secrets.certificateKey }));
    expect(cp.controlPlane).toEqual({ certificateKey: secrets.certificateKey });
  });
});

describe('kubelet labels and taints', () => {
  const pool = (over: Partial<NodePool>): NodePool => ({ ...dev.nodePools[0], name: 'gpu', labels: {}, taints: [], ...over });
  const labels = (l: Record<string, string>) => kubeletNodeLabels(pool({ labels: l }));
  const RESTRICTED =
    'kubelets may only set kubelet.kubernetes.io/*, node.kubernetes.io/* and the well-known topology/os/arch labels in the kubernetes.io and k8s.io namespaces; use a prefix of your own';

  test.each([
    'kubernetes.io/hostname',
    'kubernetes.io/arch',
    'kubernetes.io/os',
    'node.kubernetes.io/instance-type',
    'topology.kubernetes.io/region',
    'topology.kubernetes.io/zone',
    'kubelet.kubernetes.io/anything',
    'node.kubernetes.io/anything',
    'x.kubelet.kubernetes.io/y',
    'team.node.kubernetes.io/y',
    // Not in the kubernetes.io namespace: no dot before "kubernetes.io".
    'notkubernetes.io/x',
    // A domain of your own that merely starts with kubernetes.io.
    'kubernetes.io.example.com/x',
    'k8s.io.example.com/x',
    // No prefix at all: a plain name that happens to read like a domain.
    'kubernetes.io',
    'example.com/team',
  ])('the kubelet may set %s', (key) => {
    expect(labels({ [key]: 'v' })).toBe(`node-pool=gpu,${key}=v`);
  });

  test.each(['kubernetes.io/role', 'k8s.io/x', 'example.k8s.io/x', 'foo.kubernetes.io/x', 'node.k8s.io/x', 'kubelet.k8s.io/x', 'xnode.kubernetes.io/y'])(
    'the kubelet may not set %s',
    (key) => {
      expect(() => labels({ [key]: 'v' })).toThrow(`node pool "gpu": labels["${key}"]: ${RESTRICTED}`);
    },
  );

  test('node-role labels are refused with the node-pool alternative named', () => {
    expect(() => labels({ 'node-role.kubernetes.io/worker': '' })).toThrow(
      'node pool "gpu": labels["node-role.kubernetes.io/worker"]: kubelets may not set node-role.kubernetes.io/* labels (NodeRestriction rejects them); select the pool with "node-pool=gpu" or a label of your own',
    );
  });

  test('label keys: [prefix/]name, name up to 63 characters, alphanumeric at both ends', () => {
    const name63 = `a${'-'.repeat(61)}b`;
    for (const key of ['a', 'ab', 'a_b', 'a.b', 'A9', name63, `example.com/${name63}`, 'a-b.c/d', '0/x']) {
      expect(labels({ [key]: '' })).toBe(`node-pool=gpu,${key}=`);
    }
    const error = 'the key is not a qualified name ([prefix/]name, name ≤ 63 alphanumerics, "-", "_", ".")';
    for (const key of ['', '-a', 'a-', '_a', `a${'b'.repeat(63)}`, 'a/b/c', '/a', 'a/', 'Example.com/a', '-x.com/a', 'x-.com/a', 'x..com/a', 'a b', 'a,b']) {
      expect(() => labels({ [key]: 'v' })).toThrow(`node pool "gpu": labels["${key}"]: ${error}`);
    }
    // A prefix is a DNS subdomain: at most 253 characters.
    const prefix253 = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
    expect(prefix253).toHaveLength(253);
    expect(labels({ [`${prefix253}/x`]: 'v' })).toBe(`node-pool=gpu,${prefix253}/x=v`);
    expect(() => labels({ [`e${prefix253}/x`]: 'v' })).toThrow(error);
  });

  test('label values: empty, or up to 63 characters, alphanumeric at both ends', () => {
    const value63 = `a${'.'.repeat(61)}b`;
    for (const value of ['', 'a', 'ab', 'A_b', 'a-b', value63]) {
      expect(labels({ team: value })).toBe(`node-pool=gpu,team=${value}`);
    }
    for (const value of ['-a', 'a-', '.a', `${value63}c`, 'a b', 'a,b', 'a=b']) {
      expect(() => labels({ team: value })).toThrow(
        `node pool "gpu": labels["team"]: the value "${value}" is not a label value (≤ 63 alphanumerics, "-", "_", ".")`,
      );
    }
  });

  test('labels are sorted by key after node-pool', () => {
    expect(labels({ b: '2', a: '1', 'c.io/z': '3' })).toBe('node-pool=gpu,a=1,b=2,c.io/z=3');
  });

  test('taints: values are checked like label values, a key with a prefix is accepted', () => {
    expect(kubeletTaints(pool({ taints: [{ key: 'example.com/gpu', value: 'true', effect: 'NoSchedule' }] }))).toBe('example.com/gpu=true:NoSchedule');
    expect(kubeletTaints(pool({ taints: [{ key: 'a', effect: 'PreferNoSchedule' }, { key: 'b', value: '', effect: 'NoExecute' }] }))).toBe(
      'a:PreferNoSchedule,b=:NoExecute',
    );
    expect(() => kubeletTaints(pool({ taints: [{ key: 'ok', effect: 'NoSchedule' }, { key: 'gpu', value: 'a b', effect: 'NoSchedule' }] }))).toThrow(
      'node pool "gpu": taints[1]: value "a b" is not a label value (≤ 63 alphanumerics, "-", "_", ".")',
    );
    expect(() => kubeletTaints(pool({ taints: [{ key: 'a/b/c', effect: 'NoSchedule' }] }))).toThrow(
      'node pool "gpu": taints[0]: key "a/b/c" is not a qualified name ([prefix/]name)',
    );
  });

  test('worker kubelet flags: external cloud provider, labels, and taints only when there are some', () => {
    expect(workerKubeletArgs(pool({ labels: { team: 'a' } }))).toEqual([
      { name: 'cloud-provider', value: 'external' },
      { name: 'node-labels', value: 'node-pool=gpu,team=a' },
    ]);
    expect(workerKubeletArgs(pool({ taints: [{ key: 'gpu', effect: 'NoSchedule' }] }))).toEqual([
      { name: 'cloud-provider', value: 'external' },
      { name: 'node-labels', value: 'node-pool=gpu' },
      { name: 'register-with-taints', value: 'gpu:NoSchedule' },
    ]);
  });
});
