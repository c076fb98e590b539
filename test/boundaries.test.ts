/**
 * Each limit the project enforces, tested on both sides of its edge. The limits come from upstream facts
 * (Kubernetes, WPA2, MicroK8s), written here by hand, never read from the code under test.
 */
import { Chart } from 'cdk8s';
import { NodeExporterDaemonSet } from '../constructs/node-exporter-daemonset';
import { loadEdgeSecrets } from '../edge/secrets';
import { validateEdge } from '../edge/validate-edge';
import { NodePool } from '../environments';
import { dev } from '../environments/dev';
import { kubeletNodeLabels } from '../infra/bootstrap';
import { edgeWith } from './edge/helpers';
import { oracleKubeletMaySet } from './oracles/kubernetes';
import { find, synthObjects, testCluster } from './util/synth';

function outcome(fn: () => unknown): string {
  try {
    fn();
    return 'accepted';
  } catch (err) {
    return `refused: ${(err as Error).message}`;
  }
}

describe('PriorityClass value: user-defined classes may go up to 1000000000 (HighestUserDefinablePriority)', () => {
  const exporters = (priority: number) =>
    synthObjects((chart: Chart) => {
      new NodeExporterDaemonSet(chart, 'exporters', { namespace: 'monitoring', cluster: testCluster(chart), priority });
    });

  test.each([[1], [1_000_000], [1_000_000_000]])('%d is accepted and rendered as the class value', (priority) => {
    expect(find(exporters(priority), 'PriorityClass', 'node-exporter').value).toBe(priority);
  });

  test.each([[0], [-1], [1_000_000_001], [2_000_000_000], [1.5], [Number.NaN]])('%d is refused, naming the field', (priority) => {
    expect(outcome(() => exporters(priority))).toMatch(/^refused: .*priority: .* is outside 1-1000000000/);
  });
});

describe('Wi-Fi passphrase: WPA2-PSK takes 8..63 printable ASCII characters, or 64 hex digits', () => {
  const TOKEN = 'f00dfeedf00dfeedf00dfeedf00dfeed';
  const load = (password: string) => () => loadEdgeSecrets({ file: '/nonexistent/edge.secrets.json', env: { EDGE_WIFI_PASSWORD: password, EDGE_JOIN_TOKEN: TOKEN }, wifiSsid: 'homelab' });

  test.each([
    ['8 characters', 'a'.repeat(8)],
    ['63 characters', 'b'.repeat(63)],
    ['spaces and punctuation', 'correct horse ~!@#'],
    ['64 hex digits (a raw PSK)', '0123456789abcdefABCDEF'.padEnd(64, '0')],
  ])('accepted: %s', (_what, password) => {
    expect(load(password)().wifiPassword).toBe(password);
  });

  test.each([
    ['7 characters', 'c'.repeat(7)],
    ['64 characters that are not all hex', 'g'.repeat(64)],
    ['65 hex digits', 'a'.repeat(65)],
    ['a non-ASCII character', 'pässword-long'],
    ['a control character', 'tab\there-long'],
  ])('refused: %s', (_what, password) => {
    expect(outcome(load(password))).toMatch(/^refused: the Wi-Fi password is invalid: WPA2 needs 8\.\.63 printable ASCII characters/);
  });
});

test('an empty Wi-Fi passphrase counts as a missing one', () => {
  expect(outcome(() => loadEdgeSecrets({ file: '/nonexistent/edge.secrets.json', env: { EDGE_WIFI_PASSWORD: '', EDGE_JOIN_TOKEN: 'f00dfeedf00dfeedf00dfeedf00dfeed' }, wifiSsid: 'homelab' }))).toMatch(
    /^refused: the Wi-Fi password for SSID "homelab" .* is missing/,
  );
});

describe('edge join token lifetime: positive whole seconds, at most a day', () => {
  const ttlProblems = (joinTokenTtlSeconds: number) =>
    validateEdge(edgeWith({ joinTokenTtlSeconds })).filter((f) => f.field?.endsWith('joinTokenTtlSeconds')).map((f) => `${f.problem}; ${f.fix}`);

  test.each([[1], [3600], [86_400]])('%d s is accepted', (ttl) => {
    expect(ttlProblems(ttl)).toEqual([]);
  });

  test.each([[0], [-1], [1.5]])('%d s is refused: the token must expire', (ttl) => {
    expect(ttlProblems(ttl)).toEqual([expect.stringContaining('the pre-generated join token must expire')]);
  });

  test.each([[86_401], [604_800]])('%d s is refused: longer than a day', (ttl) => {
    expect(ttlProblems(ttl)).toEqual([expect.stringContaining('keep it short-lived; at most 86400')]);
  });
});

describe('kubelet --node-labels: what NodeRestriction lets a kubelet set on its own Node', () => {
  const pool = (labels: Record<string, string>): NodePool => ({ ...dev.nodePools[0], name: 'gpu', labels });
  const accepted = (key: string) => outcome(() => kubeletNodeLabels(pool({ [key]: 'x' }))) === 'accepted';

  // Deprecated beta spellings the kubelet still accepts; the project refuses them on purpose (use the GA labels).
  const STRICTER = new Set(['beta.kubernetes.io/os', 'beta.kubernetes.io/arch', 'beta.kubernetes.io/instance-type', 'failure-domain.beta.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/region']);

  test.each([
    'team',
    'example.com/team',
    'kubernetes.io.example.com/x',
    'node.kubernetes.io/lifecycle',
    'gpu.node.kubernetes.io/model',
    'kubelet.kubernetes.io/x',
    'topology.kubernetes.io/zone',
    'kubernetes.io/hostname',
    'kubernetes.io/role',
    'node-role.kubernetes.io/worker',
    'node-restriction.kubernetes.io/dedicated',
    'example.kubernetes.io/x',
    'kubernetes.io/x',
    'k8s.io/x',
    'sub.k8s.io/x',
    'mynode.kubernetes.io/x',
    ...STRICTER,
  ])('%s: refused exactly when the kubelet would refuse it', (key) => {
    expect(accepted(key)).toBe(oracleKubeletMaySet(key) && !STRICTER.has(key));
  });

  test('the oracle itself: hand-checked upstream facts', () => {
    expect([oracleKubeletMaySet('node-role.kubernetes.io/worker'), oracleKubeletMaySet('node.kubernetes.io/x'), oracleKubeletMaySet('example.com/x')]).toEqual([false, true, true]);
  });
});
