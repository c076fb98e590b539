// Every refusal of validateEdge, asserted as the exact Finding a user reads (field, problem, fix),
// with hand-written expectations. The committed edge model is valid, so each test changes one thing
// and expects exactly the findings that change causes.
import { edge } from '../../environments/edge';
import { Environment, Microk8sCluster } from '../../environments/types';
import { EdgeModelError, assertValidEdge, validateEdge } from '../../edge/validate-edge';
import { edgeWith } from './helpers';

const FILE = 'environments/edge.ts';
const M = 'provider.microk8s';

function finding(field: string, problem: string, fix: string) {
  return { rule: 'edge-model', severity: 'error', file: FILE, field, problem, fix };
}

type Node = Microk8sCluster['nodes'][number];
const cp = (hostname: string, address: string): Node => ({ hostname, address, role: 'control-plane' });
const worker = (hostname: string, address: string): Node => ({ hostname, address, role: 'worker' });

/** `nodes` with the pool sized to match, so the only findings are the ones under test. */
function withNodes(nodes: readonly Node[], patch: Partial<Microk8sCluster> = {}): Environment {
  const n = nodes.length;
  return edgeWith({ ...patch, nodes }, { nodePools: edge.nodePools.map((p) => ({ ...p, min: n, desired: n, max: n })) });
}

describe('validateEdge: provider and pools', () => {
  test('a non-MicroK8s provider is one finding and nothing else is checked', () => {
    const env: Environment = {
      ...edge,
      provider: {
        kind: 'aws-kubeadm',
        network: { region: 'x', availabilityZones: [], vpcCidr: '', publicSubnetCidrs: [], privateSubnetCidrs: [], natGateways: 'single' },
        controlPlane: { count: 1, instanceType: 't4g.small', arch: 'arm64' },
      },
      nodePools: [],
    };
    expect(validateEdge(env)).toEqual([
      finding('provider.kind', 'is "aws-kubeadm", but the edge boot files are for MicroK8s', 'set provider to { kind: "microk8s", microk8s: {...} }'),
    ]);
  });

  test('the file named in findings defaults to environments/<name>.ts and can be given', () => {
    const env = { ...edge, nodePools: [] };
    expect(validateEdge(env).map((f) => f.file)).toEqual([FILE]);
    expect(validateEdge(env, 'x/y.ts').map((f) => f.file)).toEqual(['x/y.ts']);
  });

  test('no pool is refused', () => {
    expect(validateEdge({ ...edge, nodePools: [] })).toEqual([
      finding('nodePools', 'is empty', 'add one pool describing the boards (os: "linux", arch: "arm64")'),
    ]);
  });

  test('an amd64 Windows pool of the wrong size: arch, os and desired, each with its fix', () => {
    const env: Environment = { ...edge, nodePools: edge.nodePools.map((p) => ({ ...p, arch: 'amd64' as const, os: 'windows' as const, desired: 3 })) };
    expect(validateEdge(env)).toEqual([
      finding(
        'nodePools[0].arch',
        'is "amd64", but the edge cluster runs on Raspberry Pis (arm64; MicroK8s needs 64-bit Ubuntu)',
        'set arch: "arm64" (and keep only images that ship linux/arm64)',
      ),
      finding('nodePools[0].os', 'is "windows"', 'set os: "linux" (Ubuntu Server on the Pis)'),
      finding('nodePools[0].desired', `is 3, but ${M}.nodes lists 4 board(s)`, 'set min/desired/max to nodes.length (4)'),
    ]);
  });

  test('the second pool is named by its index', () => {
    const env: Environment = { ...edge, nodePools: [edge.nodePools[0], { ...edge.nodePools[0], name: 'b', desired: 5 }] };
    expect(validateEdge(env)).toEqual([
      finding('nodePools[1].desired', `is 5, but ${M}.nodes lists 4 board(s)`, 'set min/desired/max to nodes.length (4)'),
    ]);
  });
});

describe('validateEdge: channel and Kubernetes version', () => {
  test.each(['latest/stable', 'x1.34/stable', '1.34/stablex', '2.1/stable', '1.x/stable'])('the unpinned channel %s: exact finding', (channel) => {
    expect(validateEdge(edgeWith({ channel }))).toEqual([
      finding(
        `${M}.channel`,
        `is "${channel}", which is not a pinned MicroK8s track (latest/... or a bare risk follows ` +
          'whatever Kubernetes minor ships next, and every board would drift on its own)',
        'pin a track, e.g. channel: "1.34/stable"',
      ),
    ]);
  });

  test.each(['1.34/stable', '1.34/candidate', '1.34/beta', '1.34/edge'])('the pinned channel %s is accepted', (channel) => {
    expect(validateEdge(edgeWith({ channel }))).toEqual([]);
  });

  test('a patch version of the channel minor agrees with it', () => {
    expect(validateEdge(edgeWith({}, { cluster: { ...edge.cluster, kubernetesVersion: '1.34.2' } }))).toEqual([]);
  });

  test.each(['1.33', '1.340', '1.3', '1.33.1'])('kubernetesVersion %s disagrees with channel 1.34/stable', (kv) => {
    expect(validateEdge(edgeWith({}, { cluster: { ...edge.cluster, kubernetesVersion: kv } }))).toEqual([
      finding(
        'cluster.kubernetesVersion',
        `is "${kv}", but ${M}.channel "1.34/stable" installs Kubernetes 1.34`,
        `make them agree (kubernetesVersion: "1.34" or channel: "<${kv} minor>/stable")`,
      ),
    ]);
  });

  test('a two-digit minor track is read whole', () => {
    expect(validateEdge(edgeWith({ channel: '1.29/stable' }, { cluster: { ...edge.cluster, kubernetesVersion: '1.29.3' } }))).toEqual([]);
  });
});

describe('validateEdge: nodes and HA', () => {
  test('no node: nodes is empty (and ha: true has no control plane)', () => {
    expect(validateEdge(withNodes([], { ha: false }))).toEqual([
      finding(`${M}.nodes`, 'is empty', 'list the boards; the first one is a control plane'),
    ]);
  });

  test('ha: true with 2 control planes (and workers): quorum arithmetic in the message', () => {
    const env = withNodes([cp('a', '192.168.1.20'), cp('b', '192.168.1.21'), worker('c', '192.168.1.22'), worker('d', '192.168.1.23')]);
    expect(validateEdge(env)).toEqual([
      finding(
        `${M}.ha`,
        'is true, but only 2 control-plane node(s) are listed. MicroK8s makes the dqlite datastore HA from 3 control-plane nodes: ' +
          'a Raft quorum is ⌊n/2⌋+1, so 2 voter(s) need 2 alive and survive 0 failure(s) (2 nodes are NOT HA: losing either one loses quorum)',
        'add control-plane nodes until there are at least 3, or set ha: false',
      ),
    ]);
  });

  test('ha: true with no control plane at all counts 0 voters but the arithmetic of 1', () => {
    const problems = validateEdge(withNodes([worker('a', '192.168.1.20'), worker('b', '192.168.1.21')]));
    expect(problems.map((p) => p.field)).toEqual([`${M}.nodes[0].role`, `${M}.ha`]);
    expect(problems[1].problem).toContain('only 0 control-plane node(s) are listed');
    expect(problems[1].problem).toContain('so 0 voter(s) need 1 alive and survive 0 failure(s)');
  });

  test('ha: true with 5 control planes is accepted; with 4 of them and a worker too', () => {
    const five = ['a', 'b', 'c', 'd', 'e'].map((h, i) => cp(h, `192.168.1.${20 + i}`));
    expect(validateEdge(withNodes(five))).toEqual([]);
    expect(validateEdge(withNodes([...five.slice(0, 4), worker('w', '192.168.1.30')]))).toEqual([]);
  });

  test('ha: false with 3 control planes: exact finding', () => {
    expect(validateEdge(edgeWith({ ha: false }))).toEqual([
      finding(`${M}.ha`, 'is false, but 3 control-plane nodes make MicroK8s HA automatically', 'set ha: true, or give the extra nodes role: "worker"'),
    ]);
  });

  test('ha: false with 1 or 2 control planes and workers is accepted', () => {
    expect(validateEdge(withNodes([cp('a', '192.168.1.20'), worker('b', '192.168.1.21'), worker('c', '192.168.1.22')], { ha: false }))).toEqual([]);
    expect(
      validateEdge(withNodes([cp('a', '192.168.1.20'), cp('b', '192.168.1.21'), worker('c', '192.168.1.22'), worker('d', '192.168.1.23')], { ha: false })),
    ).toEqual([]);
  });

  test('a worker first: exact finding', () => {
    const env = withNodes([worker('w', '192.168.1.20'), cp('a', '192.168.1.21')], { ha: false });
    expect(validateEdge(env)).toEqual([
      finding(`${M}.nodes[0].role`, 'is "worker", but the first node runs `microk8s add-node` and everyone joins it', 'put a control-plane node first'),
    ]);
  });
});

describe('validateEdge: hostnames', () => {
  const hostFinding = (i: number, hostname: string, suggestion: string) =>
    finding(
      `${M}.nodes[${i}].hostname`,
      `"${hostname}" is not an RFC 1123 label (lowercase a-z, 0-9 and "-", at most 63 characters, ` +
        'starting and ending with a letter or digit); it becomes the Kubernetes node name',
      `rename it, e.g. "${suggestion}"`,
    );

  test.each([
    ['--My__Host--', 'my-host'],
    ['Worker_2', 'worker-2'],
    ['-abc', 'abc'],
    ['abc-', 'abc'],
    ['a.b', 'a-b'],
    ['___', 'worker1'],
    ['', 'worker1'],
  ])('%j is refused with the suggestion %j', (hostname, suggestion) => {
    const env = withNodes([cp('a', '192.168.1.20'), worker(hostname, '192.168.1.21')], { ha: false });
    expect(validateEdge(env)).toEqual([hostFinding(1, hostname, suggestion)]);
  });

  test('63 characters is the longest label', () => {
    const ok = 'a'.repeat(63);
    const long = 'b'.repeat(64);
    expect(validateEdge(withNodes([cp(ok, '192.168.1.20'), worker(long, '192.168.1.21')], { ha: false }))).toEqual([hostFinding(1, long, long)]);
  });

  test.each(['a', '0', 'a-b', 'a--b', '1abc9', 'abcd'])('%j is a valid hostname', (hostname) => {
    expect(validateEdge(withNodes([cp(hostname, '192.168.1.20')], { ha: false }))).toEqual([]);
  });

  test('a duplicate hostname names the first owner', () => {
    const env = withNodes([cp('a', '192.168.1.20'), worker('b', '192.168.1.21'), worker('b', '192.168.1.22'), worker('a', '192.168.1.23')], { ha: false });
    expect(validateEdge(env)).toEqual([
      finding(`${M}.nodes[2].hostname`, '"b" is also nodes[1].hostname', 'give every board its own hostname'),
      finding(`${M}.nodes[3].hostname`, '"a" is also nodes[0].hostname', 'give every board its own hostname'),
    ]);
  });
});

describe('validateEdge: LAN', () => {
  const prefixFinding = (n: number) => finding(`${M}.lanPrefixLength`, `is ${n}`, "use the LAN's prefix length, 8..30 (e.g. 24)");

  test.each([7, 31, 24.5, 0, -24])('lanPrefixLength %p is refused, and addresses are then not checked against a LAN', (n) => {
    // 192.168.1.1 is the gateway: with no valid LAN it is not reported as such.
    const env = withNodes([cp('a', '192.168.1.1'), worker('b', '10.0.0.5')], { ha: false, lanPrefixLength: n });
    expect(validateEdge(env)).toEqual([prefixFinding(n)]);
  });

  test.each([8, 30])('lanPrefixLength %p is accepted', (n) => {
    const env = withNodes([cp('a', '192.168.1.2')], { ha: false, lanPrefixLength: n });
    expect(validateEdge(env)).toEqual([]);
  });

  test('a gateway that is not an IPv4 address: one finding, addresses not checked against a LAN', () => {
    expect(validateEdge(edgeWith({ gateway: 'router.lan' }))).toEqual([
      finding(`${M}.gateway`, 'is "router.lan", not an IPv4 address', 'use the router\'s address, e.g. "192.168.1.1"'),
    ]);
  });

  test('the network and broadcast addresses of the LAN are refused; the hosts next to them are not', () => {
    const env = withNodes([cp('a', '192.168.1.0'), worker('b', '192.168.1.255'), worker('c', '192.168.1.254'), worker('d', '192.168.1.2')], { ha: false });
    expect(validateEdge(env)).toEqual([
      finding(`${M}.nodes[0].address`, '192.168.1.0 is the network or broadcast address of 192.168.1.0/24', 'pick a host address'),
      finding(`${M}.nodes[1].address`, '192.168.1.255 is the network or broadcast address of 192.168.1.0/24', 'pick a host address'),
    ]);
  });

  test('a /16 LAN: network from the gateway, broadcast x.y.255.255', () => {
    const env = withNodes([cp('a', '10.20.255.255'), worker('b', '10.20.1.255'), worker('c', '10.21.0.1')], {
      ha: false,
      gateway: '10.20.0.1',
      lanPrefixLength: 16,
      dnsServers: ['10.20.0.1'],
    });
    expect(validateEdge(env)).toEqual([
      finding(`${M}.nodes[0].address`, '10.20.255.255 is the network or broadcast address of 10.20.0.0/16', 'pick a host address'),
      finding(
        `${M}.nodes[2].address`,
        '10.21.0.1 is outside the LAN 10.20.0.0/16 (gateway 10.20.0.1/16), so the board could not reach its gateway',
        'pick a free address inside 10.20.0.0/16, or correct gateway/lanPrefixLength',
      ),
    ]);
  });

  test('the gateway address and an off-LAN address: exact findings', () => {
    const env = withNodes([cp('a', '192.168.1.1'), worker('b', '192.168.2.5')], { ha: false });
    expect(validateEdge(env)).toEqual([
      finding(`${M}.nodes[0].address`, '192.168.1.1 is the gateway', 'pick a free host address inside 192.168.1.0/24'),
      finding(
        `${M}.nodes[1].address`,
        '192.168.2.5 is outside the LAN 192.168.1.0/24 (gateway 192.168.1.1/24), so the board could not reach its gateway',
        'pick a free address inside 192.168.1.0/24, or correct gateway/lanPrefixLength',
      ),
    ]);
  });

  test('an address that is not IPv4 is refused once, and is not then compared with the others', () => {
    const env = withNodes([cp('a', 'pi.local'), worker('b', 'pi.local'), worker('c', '192.168.1.21'), worker('d', '192.168.1.21')], { ha: false });
    expect(validateEdge(env)).toEqual([
      finding(`${M}.nodes[0].address`, '"pi.local" is not an IPv4 address', 'a static LAN address, e.g. "192.168.1.20"'),
      finding(`${M}.nodes[1].address`, '"pi.local" is not an IPv4 address', 'a static LAN address, e.g. "192.168.1.20"'),
      finding(`${M}.nodes[3].address`, '192.168.1.21 is also nodes[2].address', 'give every board its own address'),
    ]);
  });

  test('no DNS server, and DNS servers that are not addresses', () => {
    expect(validateEdge(edgeWith({ dnsServers: [] }))).toEqual([
      finding(`${M}.dnsServers`, 'is empty', 'list at least one resolver (e.g. the router)'),
    ]);
    expect(validateEdge(edgeWith({ dnsServers: ['1.1.1.1', 'dns.google', '300.1.1.1'] }))).toEqual([
      finding(`${M}.dnsServers[1]`, 'is "dns.google", not an IPv4 address', 'use a resolver address, e.g. "192.168.1.1"'),
      finding(`${M}.dnsServers[2]`, 'is "300.1.1.1", not an IPv4 address', 'use a resolver address, e.g. "192.168.1.1"'),
    ]);
  });
});

describe('validateEdge: join token and Wi-Fi', () => {
  test.each([0, -1, 1.5])('joinTokenTtlSeconds %p must be a positive whole number', (ttl) => {
    expect(validateEdge(edgeWith({ joinTokenTtlSeconds: ttl }))).toEqual([
      finding(
        `${M}.joinTokenTtlSeconds`,
        `is ${ttl}; the pre-generated join token must expire (a positive number of seconds; ` +
          'MicroK8s treats -1 as single-use, which cannot serve several joiners)',
        'e.g. 3600, long enough to power up every board',
      ),
    ]);
  });

  test('joinTokenTtlSeconds: 1 and a day are accepted, a day and a second is not', () => {
    expect(validateEdge(edgeWith({ joinTokenTtlSeconds: 1 }))).toEqual([]);
    expect(validateEdge(edgeWith({ joinTokenTtlSeconds: 86_400 }))).toEqual([]);
    expect(validateEdge(edgeWith({ joinTokenTtlSeconds: 86_401 }))).toEqual([
      finding(
        `${M}.joinTokenTtlSeconds`,
        'is 86401; a join token admits any machine into the cluster, so keep it short-lived',
        'at most 86400 (a day); re-issue one later with `microk8s add-node` if needed',
      ),
    ]);
  });

  test.each([
    ['', 0],
    ['x'.repeat(33), 33],
    ['é'.repeat(17), 34],
  ])('the SSID %j (%p bytes) is refused', (wifiSsid, bytes) => {
    expect(validateEdge(edgeWith({ wifiSsid }))).toEqual([
      finding(`${M}.wifiSsid`, `is ${bytes} bytes; an SSID is 1..32 bytes`, "the network's name, or omit wifiSsid for Ethernet"),
    ]);
  });

  test('SSIDs of 1 and 32 bytes, and none at all, are accepted', () => {
    expect(validateEdge(edgeWith({ wifiSsid: 'x' }))).toEqual([]);
    expect(validateEdge(edgeWith({ wifiSsid: 'é'.repeat(16) }))).toEqual([]);
    expect(validateEdge(edgeWith({ wifiSsid: 'y'.repeat(32) }))).toEqual([]);
    expect(validateEdge(edgeWith({ wifiSsid: undefined }))).toEqual([]);
  });
});

describe('assertValidEdge', () => {
  test('the error lists every finding under the source, one a line', () => {
    let caught: unknown;
    try {
      assertValidEdge(edgeWith({ dnsServers: [], joinTokenTtlSeconds: 0 }));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(EdgeModelError);
    const err = caught as EdgeModelError;
    expect(err.name).toBe('EdgeModelError');
    expect(err.source).toBe(FILE);
    expect(err.problems.map((p) => p.field)).toEqual([`${M}.dnsServers`, `${M}.joinTokenTtlSeconds`]);
    expect(err.message).toBe(
      'environments/edge.ts: the edge model has 2 problem(s):\n' +
        '  - environments/edge.ts: provider.microk8s.dnsServers: is empty; list at least one resolver (e.g. the router) [edge-model]\n' +
        '  - environments/edge.ts: provider.microk8s.joinTokenTtlSeconds: is 0; the pre-generated join token must expire ' +
        '(a positive number of seconds; MicroK8s treats -1 as single-use, which cannot serve several joiners); ' +
        'e.g. 3600, long enough to power up every board [edge-model]',
    );
  });

  test('a given source names the error; a valid model is narrowed to its MicroK8s settings', () => {
    expect(() => assertValidEdge(edgeWith({ dnsServers: [] }), 'edge.model.json')).toThrow(/^edge\.model\.json: the edge model has 1 problem\(s\):\n {2}- /);
    const valid = assertValidEdge(edge);
    expect(valid.env).toBe(edge);
    expect(valid.microk8s.channel).toBe('1.34/stable');
  });
});
