/**
 * Invariants the model alone decides (no rendering needed), refused by the environment schema before
 * anything synthesizes: these cases moved here from the cross-layer tests when the schema took them over.
 */
import { formatFinding } from '../contracts/finding';
import { checkEnvironment } from '../environments/validate';
import { dev } from '../environments/dev';
import { edge } from '../environments/edge';
import { prod } from '../environments/prod';
import { validateEdge } from '../edge/validate-edge';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

function linesOf(env: Loose, edit: (e: Loose) => void): string[] {
  const copy = structuredClone(env) as Loose;
  edit(copy);
  return checkEnvironment(copy, `environments/${env.name}.ts`).map(formatFinding);
}

test('a pod CIDR inside the VPC is refused, naming both fields', () => {
  expect(linesOf(prod, (e) => (e.cluster.podCidr = '10.0.0.0/16'))).toEqual([
    expect.stringMatching(/^environments\/prod\.ts: cluster\.podCidr: 10\.0\.0\.0\/16 overlaps provider\.network\.vpcCidr 10\.0\.0\.0\/16 .*\[environment-schema\]$/),
  ]);
});

test('a service CIDR inside the VPC is refused', () => {
  expect(linesOf(dev, (e) => (e.cluster.serviceCidr = '10.0.16.0/24')).join('\n')).toMatch(/cluster\.serviceCidr.*10\.0\.16\.0\/24 overlaps|overlaps.*10\.0\.16\.0\/24/);
});

test('edge: the LAN plays the VPC part', () => {
  expect(linesOf(edge, (e) => (e.cluster.podCidr = '192.168.0.0/16')).join('\n')).toMatch(/cluster\.podCidr: 192\.168\.0\.0\/16 overlaps the LAN/);
});

test('a CIDR with host bits set is refused', () => {
  expect(linesOf(dev, (e) => (e.cluster.podCidr = '10.244.0.1/16'))).toEqual([
    expect.stringMatching(/^environments\/dev\.ts: cluster\.podCidr: "10\.244\.0\.1\/16" is not an IPv4 network/),
  ]);
});

test.each([2, 4])('kubeadm with %i control planes is refused (etcd needs an odd count)', (count) => {
  expect(linesOf(prod, (e) => (e.provider.controlPlane.count = count))).toEqual([
    expect.stringMatching(new RegExp(`^environments/prod\\.ts: provider\\.controlPlane\\.count: ${count} is even.*use an odd count`)),
  ]);
});

test('kubeadm with no control plane is refused', () => {
  expect(linesOf(prod, (e) => (e.provider.controlPlane.count = 0)).join('\n')).toMatch(/provider\.controlPlane\.count/);
});

test('MicroK8s ha with 2 control planes is refused by the edge model, explaining the quorum', () => {
  const m = structuredClone((edge.provider as Loose).microk8s);
  const found = validateEdge({ ...edge, provider: { kind: 'microk8s', microk8s: { ...m, nodes: m.nodes.slice(0, 2) } } } as Loose);
  expect(found.map(formatFinding)).toContainEqual(
    expect.stringMatching(/^environments\/edge\.ts: provider\.microk8s\.ha: is true, but only 2 control-plane node\(s\).*2 nodes are NOT HA.*; add control-plane nodes until there are at least 3, or set ha: false \[edge-model\]$/),
  );
});
