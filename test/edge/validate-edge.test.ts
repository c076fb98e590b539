import { edge } from '../../environments/edge';
import { EdgeModelError, assertValidEdge, quorum, validateEdge } from '../../edge/validate-edge';
import { edgeWith } from './helpers';

function refusal(env: Parameters<typeof assertValidEdge>[0]): string {
  try {
    assertValidEdge(env);
  } catch (err) {
    expect(err).toBeInstanceOf(EdgeModelError);
    return (err as Error).message;
  }
  throw new Error('expected the model to be refused');
}

describe('validateEdge', () => {
  test('the committed edge model is valid', () => {
    expect(validateEdge(edge)).toEqual([]);
  });

  test('quorum is floor(n/2)+1', () => {
    expect([1, 2, 3, 4, 5].map(quorum)).toEqual([1, 2, 2, 3, 3]);
  });

  test('refuses "2 nodes HA" and explains the dqlite quorum', () => {
    const msg = refusal(
      edgeWith({
        ha: true,
        nodes: [
          { hostname: 'controlplane', address: '192.168.1.8', role: 'control-plane' },
          { hostname: 'controlplane1', address: '192.168.1.9', role: 'control-plane' },
        ],
      }, { nodePools: edge.nodePools.map((p) => ({ ...p, min: 2, desired: 2, max: 2 })) }),
    );
    expect(msg).toContain('environments/edge.ts: provider.microk8s.ha');
    expect(msg).toContain('⌊n/2⌋+1');
    expect(msg).toContain('2 nodes are NOT HA');
    expect(msg).toMatch(/; add control-plane nodes until there are at least 3, or set ha: false/);
  });

  test.each(['latest/stable', 'stable', '1.34', 'latest/edge', '1.34-strict/stable'])('refuses the unpinned channel %s', (channel) => {
    const msg = refusal(edgeWith({ channel }));
    expect(msg).toContain('environments/edge.ts: provider.microk8s.channel');
    expect(msg).toContain('; pin a track, e.g. channel: "1.34/stable"');
  });

  test('refuses a channel that disagrees with cluster.kubernetesVersion', () => {
    expect(refusal(edgeWith({ channel: '1.33/stable' }))).toContain('cluster.kubernetesVersion');
  });

  test('refuses a non-arm64 pool', () => {
    const msg = refusal({ ...edge, nodePools: edge.nodePools.map((p) => ({ ...p, arch: 'amd64' as const })) });
    expect(msg).toContain('environments/edge.ts: nodePools[0].arch');
    expect(msg).toContain('; set arch: "arm64"');
  });

  test('refuses a non-microk8s provider', () => {
    const msg = refusal({
      ...edge,
      provider: {
        kind: 'aws-kubeadm',
        network: { region: 'x', availabilityZones: [], vpcCidr: '', publicSubnetCidrs: [], privateSubnetCidrs: [], natGateways: 'single' },
        controlPlane: { count: 1, instanceType: 't4g.small', arch: 'arm64' },
      },
    });
    expect(msg).toContain('provider.kind');
  });

  test('refuses a worker first, bad and duplicate hostnames, duplicate and off-LAN addresses, a bad TTL', () => {
    const problems = validateEdge(
      edgeWith({
        ha: false,
        joinTokenTtlSeconds: 0,
        nodes: [
          { hostname: 'worker1', address: '192.168.1.11', role: 'worker' },
          { hostname: 'Worker_2', address: '192.168.2.12', role: 'control-plane' },
          { hostname: 'worker1', address: '192.168.1.11', role: 'worker' },
          { hostname: 'worker3', address: '192.168.1.1', role: 'worker' },
        ],
      }),
    );
    const text = problems.map((p) => `${p.field}: ${p.problem}`).join('\n');
    expect(text).toContain('provider.microk8s.nodes[0].role: is "worker"');
    expect(text).toContain('provider.microk8s.nodes[1].hostname: "Worker_2" is not an RFC 1123 label');
    expect(text).toContain('provider.microk8s.nodes[1].address: 192.168.2.12 is outside the LAN 192.168.1.0/24');
    expect(text).toContain('provider.microk8s.nodes[2].hostname: "worker1" is also nodes[0].hostname');
    expect(text).toContain('provider.microk8s.nodes[2].address: 192.168.1.11 is also nodes[0].address');
    expect(text).toContain('provider.microk8s.nodes[3].address: 192.168.1.1 is the gateway');
    expect(text).toContain('provider.microk8s.joinTokenTtlSeconds: is 0');
    for (const p of problems) expect(p.fix).not.toBe('');
  });

  test('ha: false with 3 control planes is refused (MicroK8s would be HA anyway)', () => {
    expect(refusal(edgeWith({ ha: false }))).toContain('make MicroK8s HA automatically');
  });
});
