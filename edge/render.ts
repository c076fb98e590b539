import { stringifyYaml } from '../contracts/yaml';
import { EdgeNode, Environment } from '../environments/types';
import { EdgeSecrets } from './secrets';
import { PATHS, UNIT_NAME, cmdlineScript, installScript, joinScript, joinUnit } from './scripts';
import { assertValidEdge } from './validate-edge';

/** The default user of Ubuntu Server's Raspberry Pi images (cloud-init's `default`). */
export const DEFAULT_USER = 'ubuntu';
/** What the book (MicroK8s, ch. 5) appends to /boot/firmware/cmdline.txt. */
export const KERNEL_ARGS = ['cgroup_enable=memory', 'cgroup_memory=1'] as const;
/** Addons the manifests in dist/edge/ rely on (CoreDNS for Service names); enabled on the first node only. */
export const ADDONS = ['dns'] as const;
/** Seconds between two joiners' first attempts: dqlite admits one new member at a time. */
export const JOIN_STAGGER_SECONDS = 60;
/** Interfaces on Ubuntu's Pi images (their cmdline.txt carries net.ifnames=0). */
export const ETHERNET = 'eth0';
export const WIFI = 'wlan0';

export interface NodeBootFiles {
  readonly hostname: string;
  readonly address: string;
  readonly role: EdgeNode['role'];
  readonly first: boolean;
  /** `#cloud-config` for the boot partition's `user-data`. */
  readonly userData: string;
  /** Netplan v2 for the boot partition's `network-config`. */
  readonly networkConfig: string;
}

const GENERATED = 'Generated from environments/edge.ts by `npm run edge:nodes`; do not edit or commit (holds secrets).';

/** The LAN domain for the nodes' FQDNs: `<hostname>.<cluster>.internal` (`.internal` is reserved for private use). */
export function lanDomain(env: Environment): string {
  return `${env.cluster.name}.internal`;
}

/** cloud-init reads user-data and network-config with PyYAML (YAML 1.1): every string is written so it reads back as itself. */
function yamlDoc(value: unknown): string {
  return stringifyYaml(value);
}

/** Netplan v2 (cloud-init network-config version 2): static address on Wi-Fi if the model has an SSID, else on Ethernet. */
export function renderNetworkConfig(env: Environment, node: EdgeNode, secrets: EdgeSecrets): string {
  const { microk8s: m } = assertValidEdge(env);
  const staticIf = {
    dhcp4: false,
    addresses: [`${node.address}/${m.lanPrefixLength}`],
    routes: [{ to: 'default', via: m.gateway }],
    nameservers: { addresses: [...m.dnsServers] },
  };
  let doc: Record<string, unknown>;
  if (m.wifiSsid !== undefined) {
    if (secrets.wifiPassword === undefined) {
      throw new Error(`no Wi-Fi password for SSID "${m.wifiSsid}" (edge.secrets.json "wifiPassword" or EDGE_WIFI_PASSWORD)`);
    }
    doc = {
      version: 2,
      ethernets: {
        // A cable still gives a maintenance address, but never the default route or DNS:
        // the cluster address stays the static Wi-Fi one.
        [ETHERNET]: {
          dhcp4: true,
          optional: true,
          'dhcp4-overrides': { 'use-routes': false, 'use-dns': false },
        },
      },
      wifis: {
        [WIFI]: {
          ...staticIf,
          'access-points': { [m.wifiSsid]: { password: secrets.wifiPassword } },
        },
      },
    };
  } else {
    doc = { version: 2, ethernets: { [ETHERNET]: staticIf } };
  }
  return `# network-config for ${node.hostname} (${node.address}). ${GENERATED}\n` + yamlDoc(doc);
}

/** `#cloud-config` for one board. */
export function renderUserData(env: Environment, node: EdgeNode, secrets: EdgeSecrets): string {
  const { microk8s: m } = assertValidEdge(env);
  const index = m.nodes.findIndex((n) => n.hostname === node.hostname);
  if (index < 0) throw new Error(`${node.hostname} is not in environments/edge.ts provider.microk8s.nodes`);
  const first = m.nodes[0];
  const domain = lanDomain(env);
  const joinDelay = index === 0 ? 0 : (index - 1) * JOIN_STAGGER_SECONDS;
  const unitTimeout = joinDelay + m.joinTokenTtlSeconds + 3 * 900 + 600;

  const hostsBlock = [
    `# edge cluster nodes (environments/edge.ts), so every board resolves the others by name`,
    ...m.nodes.map((n) => `${n.address} ${n.hostname}.${domain} ${n.hostname}`),
    '',
  ].join('\n');

  const login =
    secrets.sshAuthorizedKeys.length > 0
      ? { ssh_pwauth: false, ssh_authorized_keys: [...secrets.sshAuthorizedKeys] }
      : {
          // No keys given: the stock image's login (ubuntu/ubuntu, changed at the first login).
          ssh_pwauth: true,
          chpasswd: { expire: true, users: [{ name: DEFAULT_USER, password: DEFAULT_USER, type: 'text' }] },
        };

  const doc = {
    hostname: node.hostname,
    fqdn: `${node.hostname}.${domain}`,
    prefer_fqdn_over_hostname: false,
    // cloud-init rewrites /etc/hosts from its template on every boot; the template gets the nodes.
    manage_etc_hosts: true,
    ...login,
    write_files: [
      { path: PATHS.hostsTemplate, append: true, content: hostsBlock },
      { path: PATHS.cmdlineScript, owner: 'root:root', permissions: '0755', content: cmdlineScript(KERNEL_ARGS) },
      { path: PATHS.installScript, owner: 'root:root', permissions: '0755', content: installScript(m.channel, DEFAULT_USER) },
      {
        path: PATHS.joinScript,
        owner: 'root:root',
        permissions: '0755',
        content: joinScript({
          role: node.role,
          firstNode: index === 0,
          firstAddress: first.address,
          tokenTtlSeconds: m.joinTokenTtlSeconds,
          joinDelaySeconds: joinDelay,
          addons: index === 0 ? ADDONS : [],
        }),
      },
      { path: PATHS.tokenFile, owner: 'root:root', permissions: '0600', content: `${secrets.joinToken}\n` },
      { path: PATHS.joinUnit, owner: 'root:root', permissions: '0644', content: joinUnit(unitTimeout) },
    ],
    // First boot only (cloud-init runs these once per instance), then one reboot.
    runcmd: [[PATHS.cmdlineScript], [PATHS.installScript], ['systemctl', 'enable', UNIT_NAME]],
    power_state: {
      mode: 'reboot',
      delay: 'now',
      timeout: 300,
      condition: true,
      message: `edge: rebooting once so ${KERNEL_ARGS.join(' ')} is active; ${UNIT_NAME} then joins the cluster`,
    },
  };

  const role = index === 0 ? 'first control plane: registers the join token' : `${node.role}: joins ${first.hostname} (${first.address})`;
  return `#cloud-config\n# ${node.hostname} (${node.address}), ${role}.\n# ${GENERATED}\n` + yamlDoc(doc);
}

/** Every board's boot files, in the model's order. Validates the model first. */
export function renderEdgeNodes(env: Environment, secrets: EdgeSecrets): NodeBootFiles[] {
  const { microk8s: m } = assertValidEdge(env);
  return m.nodes.map((node, i) => ({
    hostname: node.hostname,
    address: node.address,
    role: node.role,
    first: i === 0,
    userData: renderUserData(env, node, secrets),
    networkConfig: renderNetworkConfig(env, node, secrets),
  }));
}
