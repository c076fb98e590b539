// The rendered boot files field by field, against hand-written expectations (parsed YAML, exact
// headers, modes, timeouts). Everything renders INSIDE a test: a render at module level runs before
// any mutant is active in the mutation run and could not kill one.
import { parse } from 'yaml';
import { edge } from '../../environments/edge';
import { EdgeNode, Environment } from '../../environments/types';
import { lanDomain, renderEdgeNodes, renderNetworkConfig, renderUserData } from '../../edge/render';
import { EdgeSecrets } from '../../edge/secrets';
import { EdgeModelError } from '../../edge/validate-edge';
import { edgeWith } from './helpers';

const TOKEN = '0123456789abcdef0123456789abcdef';
const WIFI_PW = 'correct horse battery';
const SECRETS: EdgeSecrets = { wifiPassword: WIFI_PW, joinToken: TOKEN, sshAuthorizedKeys: [] };
const GENERATED = 'Generated from environments/edge.ts by `npm run edge:nodes`; do not edit or commit (holds secrets).';

type File = { path: string; content: string; owner?: string; permissions?: string; append?: boolean };
const nodeAt = (i: number): EdgeNode => {
  if (edge.provider.kind !== 'microk8s') throw new Error('edge is not microk8s');
  return edge.provider.microk8s.nodes[i];
};
const files = (userData: string): File[] => parse(userData).write_files;
const fileAt = (userData: string, p: string): File => {
  const f = files(userData).find((x) => x.path === p);
  if (!f) throw new Error(`${p} not written`);
  return f;
};
/** The `readonly NAME=value` lines of a script header. */
const constants = (script: string): string[] => script.split('\n').filter((l) => /^readonly [A-Z_]+=/.test(l));

const HOSTS =
  '# edge cluster nodes (environments/edge.ts), so every board resolves the others by name\n' +
  '192.168.1.8 controlplane.edge.internal controlplane\n' +
  '192.168.1.9 controlplane1.edge.internal controlplane1\n' +
  '192.168.1.10 controlplane2.edge.internal controlplane2\n' +
  '192.168.1.11 worker1.edge.internal worker1\n';

describe('user-data', () => {
  test('worker1: every top-level key and write_files entry (paths, owners, modes, append), in order', () => {
    const doc = parse(renderUserData(edge, nodeAt(3), SECRETS));
    const anyText = expect.any(String);
    expect(doc).toEqual({
      hostname: 'worker1',
      fqdn: 'worker1.edge.internal',
      prefer_fqdn_over_hostname: false,
      manage_etc_hosts: true,
      ssh_pwauth: true,
      chpasswd: { expire: true, users: [{ name: 'ubuntu', password: 'ubuntu', type: 'text' }] },
      write_files: [
        { path: '/etc/cloud/templates/hosts.debian.tmpl', append: true, content: HOSTS },
        { path: '/usr/local/sbin/edge-cmdline-cgroups', owner: 'root:root', permissions: '0755', content: anyText },
        { path: '/usr/local/sbin/edge-install-microk8s', owner: 'root:root', permissions: '0755', content: anyText },
        { path: '/usr/local/sbin/edge-cluster-join', owner: 'root:root', permissions: '0755', content: anyText },
        { path: '/etc/edge-cluster/join-token', owner: 'root:root', permissions: '0600', content: `${TOKEN}\n` },
        { path: '/etc/systemd/system/edge-cluster-join.service', owner: 'root:root', permissions: '0644', content: anyText },
      ],
      runcmd: [['/usr/local/sbin/edge-cmdline-cgroups'], ['/usr/local/sbin/edge-install-microk8s'], ['systemctl', 'enable', 'edge-cluster-join.service']],
      power_state: {
        mode: 'reboot',
        delay: 'now',
        timeout: 300,
        condition: true,
        message: 'edge: rebooting once so cgroup_enable=memory cgroup_memory=1 is active; edge-cluster-join.service then joins the cluster',
      },
    });
  });

  test('the header comment names the node and its role; the first node registers the token', () => {
    const head = (i: number) => renderUserData(edge, nodeAt(i), SECRETS).split('\n').slice(0, 3);
    expect(head(0)).toEqual(['#cloud-config', '# controlplane (192.168.1.8), first control plane: registers the join token.', `# ${GENERATED}`]);
    expect(head(1)).toEqual(['#cloud-config', '# controlplane1 (192.168.1.9), control-plane: joins controlplane (192.168.1.8).', `# ${GENERATED}`]);
    expect(head(3)).toEqual(['#cloud-config', '# worker1 (192.168.1.11), worker: joins controlplane (192.168.1.8).', `# ${GENERATED}`]);
  });

  test('the embedded scripts: cgroup arguments, pinned channel and default user in their headers', () => {
    const ud = renderUserData(edge, nodeAt(1), SECRETS);
    expect(constants(fileAt(ud, '/usr/local/sbin/edge-cmdline-cgroups').content)).toEqual(["readonly KERNEL_ARGS='cgroup_enable=memory cgroup_memory=1'"]);
    expect(constants(fileAt(ud, '/usr/local/sbin/edge-install-microk8s').content)).toEqual(["readonly CHANNEL='1.34/stable'", "readonly DEFAULT_USER='ubuntu'"]);
  });

  test('join script constants per node: the first registers and enables dns, the others wait their turn (60 s apart)', () => {
    const join = (i: number) => constants(fileAt(renderUserData(edge, nodeAt(i), SECRETS), '/usr/local/sbin/edge-cluster-join').content);
    const common = ["readonly FIRST_ADDRESS='192.168.1.8'", 'readonly AGENT_PORT=25000', 'readonly TOKEN_TTL=3600'];
    // The body's own constants follow the header's.
    const body = ['readonly STATE_DIR=/var/lib/edge-cluster', 'readonly TOKEN_FILE=/etc/edge-cluster/join-token'];
    expect(join(0)).toEqual(["readonly ROLE='control-plane'", "readonly FIRST_NODE='yes'", ...common, 'readonly JOIN_DELAY=0', "readonly ADDONS=('dns')", ...body]);
    expect(join(1)).toEqual(["readonly ROLE='control-plane'", "readonly FIRST_NODE='no'", ...common, 'readonly JOIN_DELAY=0', 'readonly ADDONS=()', ...body]);
    expect(join(2)).toEqual(["readonly ROLE='control-plane'", "readonly FIRST_NODE='no'", ...common, 'readonly JOIN_DELAY=60', 'readonly ADDONS=()', ...body]);
    expect(join(3)).toEqual(["readonly ROLE='worker'", "readonly FIRST_NODE='no'", ...common, 'readonly JOIN_DELAY=120', 'readonly ADDONS=()', ...body]);
  });

  test('the join unit times out after the join delay + token TTL + 3 x 900 s waits + 600 s', () => {
    const timeout = (env: Environment, i: number) =>
      fileAt(renderUserData(env, nodeAt(i), SECRETS), '/etc/systemd/system/edge-cluster-join.service')
        .content.split('\n')
        .filter((l) => l.startsWith('TimeoutStartSec='));
    expect(timeout(edge, 0)).toEqual(['TimeoutStartSec=6900']);
    expect(timeout(edge, 1)).toEqual(['TimeoutStartSec=6900']);
    expect(timeout(edge, 2)).toEqual(['TimeoutStartSec=6960']);
    expect(timeout(edge, 3)).toEqual(['TimeoutStartSec=7020']);
    expect(timeout(edgeWith({ joinTokenTtlSeconds: 100 }), 3)).toEqual(['TimeoutStartSec=3520']);
    const unit = fileAt(renderUserData(edge, nodeAt(0), SECRETS), '/etc/systemd/system/edge-cluster-join.service').content;
    expect(unit).toContain('\nExecStart=/usr/local/sbin/edge-cluster-join\n');
  });

  test('SSH keys: no password login, the keys verbatim, no chpasswd', () => {
    const keys = ['ssh-ed25519 AAAAC3Nza me@laptop', 'ssh-rsa AAAAB3Nza you@desk'];
    const doc = parse(renderUserData(edge, nodeAt(0), { ...SECRETS, sshAuthorizedKeys: keys }));
    expect(doc.ssh_pwauth).toBe(false);
    expect(doc.ssh_authorized_keys).toEqual(keys);
    expect(doc).not.toHaveProperty('chpasswd');
  });

  test('the FQDN and /etc/hosts use <cluster name>.internal', () => {
    const env = { ...edge, cluster: { ...edge.cluster, name: 'pis' } };
    expect(lanDomain(env)).toBe('pis.internal');
    const ud = renderUserData(env, nodeAt(2), SECRETS);
    expect(parse(ud).fqdn).toBe('controlplane2.pis.internal');
    expect(fileAt(ud, '/etc/cloud/templates/hosts.debian.tmpl').content.split('\n')[3]).toBe('192.168.1.10 controlplane2.pis.internal controlplane2');
  });

  test('a node that is not in the model is refused by name', () => {
    expect(() => renderUserData(edge, { hostname: 'stranger', address: '192.168.1.50', role: 'worker' }, SECRETS)).toThrow(
      new Error('stranger is not in environments/edge.ts provider.microk8s.nodes'),
    );
  });

  test('an invalid model is refused before anything renders', () => {
    expect(() => renderUserData(edgeWith({ dnsServers: [] }), nodeAt(0), SECRETS)).toThrow(EdgeModelError);
    expect(() => renderNetworkConfig(edgeWith({ dnsServers: [] }), nodeAt(0), SECRETS)).toThrow(EdgeModelError);
  });
});

describe('network-config', () => {
  test('Wi-Fi: static address on wlan0, Ethernet only for maintenance (no routes, no DNS)', () => {
    const text = renderNetworkConfig(edge, nodeAt(1), SECRETS);
    expect(text.split('\n')[0]).toBe(`# network-config for controlplane1 (192.168.1.9). ${GENERATED}`);
    expect(parse(text)).toEqual({
      version: 2,
      ethernets: { eth0: { dhcp4: true, optional: true, 'dhcp4-overrides': { 'use-routes': false, 'use-dns': false } } },
      wifis: {
        wlan0: {
          dhcp4: false,
          addresses: ['192.168.1.9/24'],
          routes: [{ to: 'default', via: '192.168.1.1' }],
          nameservers: { addresses: ['192.168.1.1', '1.1.1.1'] },
          'access-points': { homelab: { password: WIFI_PW } },
        },
      },
    });
  });

  test('Ethernet only: the static address, route and resolvers on eth0', () => {
    const env = edgeWith({ wifiSsid: undefined, gateway: '10.0.0.1', lanPrefixLength: 16, dnsServers: ['10.0.0.53'], nodes: [{ hostname: 'pi', address: '10.0.7.7', role: 'control-plane' }], ha: false }, {
      nodePools: edge.nodePools.map((p) => ({ ...p, min: 1, desired: 1, max: 1 })),
    });
    const node: EdgeNode = { hostname: 'pi', address: '10.0.7.7', role: 'control-plane' };
    expect(parse(renderNetworkConfig(env, node, { joinToken: TOKEN, sshAuthorizedKeys: [] }))).toEqual({
      version: 2,
      ethernets: { eth0: { dhcp4: false, addresses: ['10.0.7.7/16'], routes: [{ to: 'default', via: '10.0.0.1' }], nameservers: { addresses: ['10.0.0.53'] } } },
    });
  });

  test('an SSID without a password is refused with where to put it', () => {
    expect(() => renderNetworkConfig(edge, nodeAt(0), { joinToken: TOKEN, sshAuthorizedKeys: [] })).toThrow(
      new Error('no Wi-Fi password for SSID "homelab" (edge.secrets.json "wifiPassword" or EDGE_WIFI_PASSWORD)'),
    );
  });
});

describe('renderEdgeNodes', () => {
  test('one entry per board in model order; only the first is first', () => {
    const nodes = renderEdgeNodes(edge, SECRETS);
    expect(nodes.map((n) => [n.hostname, n.address, n.role, n.first])).toEqual([
      ['controlplane', '192.168.1.8', 'control-plane', true],
      ['controlplane1', '192.168.1.9', 'control-plane', false],
      ['controlplane2', '192.168.1.10', 'control-plane', false],
      ['worker1', '192.168.1.11', 'worker', false],
    ]);
    expect(nodes.map((n) => parse(n.userData).hostname)).toEqual(['controlplane', 'controlplane1', 'controlplane2', 'worker1']);
    expect(nodes.map((n) => parse(n.networkConfig).wifis.wlan0.addresses[0])).toEqual(['192.168.1.8/24', '192.168.1.9/24', '192.168.1.10/24', '192.168.1.11/24']);
  });
});
