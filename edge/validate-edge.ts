import { formatIpv4, parseIpv4 } from '../contracts/cidr';
import { Finding, formatFinding } from '../contracts/finding';
import { Environment, Microk8sCluster } from '../environments/types';

/** A MicroK8s edge model that passed {@link validateEdge}. */
export interface ValidEdge {
  readonly env: Environment;
  readonly microk8s: Microk8sCluster;
}

/** Raised when the model is wrong; `message` lists every finding, one a line. */
export class EdgeModelError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly Finding[],
  ) {
    super(`${source}: the edge model has ${problems.length} problem(s):\n` + problems.map((p) => `  - ${formatFinding(p)}`).join('\n'));
    this.name = 'EdgeModelError';
  }
}

/** RFC 1123 label, lowercase (Kubernetes node names are lowercase). */
const HOSTNAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** A pinned MicroK8s track and risk, e.g. `1.34/stable`. */
const PINNED_CHANNEL = /^(1)\.(\d+)\/(stable|candidate|beta|edge)$/;
/** A day: a join token is a credential, it should not outlive the bootstrap. */
export const MAX_TOKEN_TTL_SECONDS = 86_400;

/** Quorum of a dqlite (Raft) voter set of `n`: ⌊n/2⌋+1. */
export function quorum(n: number): number {
  return Math.floor(n / 2) + 1;
}

/**
 * Checks the MicroK8s edge model (pure: no I/O). Returns every problem found; an empty list
 * means the per-node boot files can be rendered.
 */
export function validateEdge(env: Environment, file = `environments/${env.name}.ts`): Finding[] {
  const problems: Finding[] = [];
  const add = (field: string, problem: string, fix: string) => problems.push({ rule: 'edge-model', severity: 'error', file, field, problem, fix });

  if (env.provider.kind !== 'microk8s') {
    add(
      'provider.kind',
      `is "${env.provider.kind}", but the edge boot files are for MicroK8s`,
      'set provider to { kind: "microk8s", microk8s: {...} }',
    );
    return problems;
  }
  const m = env.provider.microk8s;
  const base = 'provider.microk8s';

  // The boards: one arm64 Linux pool that describes them all.
  if (env.nodePools.length === 0) {
    add('nodePools', 'is empty', 'add one pool describing the boards (os: "linux", arch: "arm64")');
  }
  env.nodePools.forEach((pool, i) => {
    if (pool.arch !== 'arm64') {
      add(
        `nodePools[${i}].arch`,
        `is "${pool.arch}", but the edge cluster runs on Raspberry Pis (arm64; MicroK8s needs 64-bit Ubuntu)`,
        'set arch: "arm64" (and keep only images that ship linux/arm64)',
      );
    }
    if (pool.os !== 'linux') {
      add(`nodePools[${i}].os`, `is "${pool.os}"`, `set os: "linux" (Ubuntu Server on the Pis)`);
    }
    if (pool.desired !== m.nodes.length) {
      add(
        `nodePools[${i}].desired`,
        `is ${pool.desired}, but ${base}.nodes lists ${m.nodes.length} board(s)`,
        `set min/desired/max to nodes.length (${m.nodes.length})`,
      );
    }
  });

  // Snap channel: pinned to a track, and matching cluster.kubernetesVersion.
  const channel = PINNED_CHANNEL.exec(m.channel);
  if (!channel) {
    add(
      `${base}.channel`,
      `is "${m.channel}", which is not a pinned MicroK8s track (latest/... or a bare risk follows ` +
        'whatever Kubernetes minor ships next, and every board would drift on its own)',
      'pin a track, e.g. channel: "1.34/stable"',
    );
  } else {
    const track = `${channel[1]}.${channel[2]}`;
    const kv = env.cluster.kubernetesVersion;
    if (kv !== track && !kv.startsWith(`${track}.`)) {
      add(
        'cluster.kubernetesVersion',
        `is "${kv}", but ${base}.channel "${m.channel}" installs Kubernetes ${track}`,
        `make them agree (kubernetesVersion: "${track}" or channel: "<${kv} minor>/stable")`,
      );
    }
  }

  // Nodes.
  if (m.nodes.length === 0) {
    add(`${base}.nodes`, 'is empty', 'list the boards; the first one is a control plane');
  } else if (m.nodes[0].role !== 'control-plane') {
    add(
      `${base}.nodes[0].role`,
      `is "${m.nodes[0].role}", but the first node runs \`microk8s add-node\` and everyone joins it`,
      'put a control-plane node first',
    );
  }
  const controlPlanes = m.nodes.filter((n) => n.role === 'control-plane').length;
  if (m.ha && controlPlanes < 3) {
    add(
      `${base}.ha`,
      `is true, but only ${controlPlanes} control-plane node(s) are listed. MicroK8s makes the dqlite ` +
        `datastore HA from 3 control-plane nodes: a Raft quorum is ⌊n/2⌋+1, so ${controlPlanes} voter(s) need ` +
        `${quorum(Math.max(controlPlanes, 1))} alive and survive ${Math.max(controlPlanes, 1) - quorum(Math.max(controlPlanes, 1))} failure(s) ` +
        '(2 nodes are NOT HA: losing either one loses quorum)',
      'add control-plane nodes until there are at least 3, or set ha: false',
    );
  }
  if (!m.ha && controlPlanes >= 3) {
    add(
      `${base}.ha`,
      `is false, but ${controlPlanes} control-plane nodes make MicroK8s HA automatically`,
      'set ha: true, or give the extra nodes role: "worker"',
    );
  }

  // LAN: gateway, prefix, DNS.
  const prefixOk = Number.isInteger(m.lanPrefixLength) && m.lanPrefixLength >= 8 && m.lanPrefixLength <= 30;
  if (!prefixOk) {
    add(`${base}.lanPrefixLength`, `is ${m.lanPrefixLength}`, `use the LAN's prefix length, 8..30 (e.g. 24)`);
  }
  const gateway = parseIpv4(m.gateway);
  if (gateway === undefined) {
    add(`${base}.gateway`, `is "${m.gateway}", not an IPv4 address`, `use the router's address, e.g. "192.168.1.1"`);
  }
  const mask = prefixOk ? (0xffffffff << (32 - m.lanPrefixLength)) >>> 0 : 0;
  const network = gateway !== undefined && prefixOk ? (gateway & mask) >>> 0 : undefined;
  const broadcast = network !== undefined ? (network | ~mask) >>> 0 : undefined;
  const lan = network !== undefined ? `${formatIpv4(network)}/${m.lanPrefixLength}` : undefined;

  if (m.dnsServers.length === 0) {
    add(`${base}.dnsServers`, 'is empty', 'list at least one resolver (e.g. the router)');
  }
  m.dnsServers.forEach((d, i) => {
    if (parseIpv4(d) === undefined) add(`${base}.dnsServers[${i}]`, `is "${d}", not an IPv4 address`, 'use a resolver address, e.g. "192.168.1.1"');
  });

  const seenHost = new Map<string, number>();
  const seenAddr = new Map<string, number>();
  m.nodes.forEach((node, i) => {
    const p = `${base}.nodes[${i}]`;
    if (!HOSTNAME.test(node.hostname)) {
      add(
        `${p}.hostname`,
        `"${node.hostname}" is not an RFC 1123 label (lowercase a-z, 0-9 and "-", at most 63 characters, ` +
          'starting and ending with a letter or digit); it becomes the Kubernetes node name',
        `rename it, e.g. "${node.hostname.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'worker1'}"`,
      );
    }
    const dupHost = seenHost.get(node.hostname);
    if (dupHost !== undefined) {
      add(`${p}.hostname`, `"${node.hostname}" is also nodes[${dupHost}].hostname`, `give every board its own hostname`);
    } else {
      seenHost.set(node.hostname, i);
    }

    const addr = parseIpv4(node.address);
    if (addr === undefined) {
      add(`${p}.address`, `"${node.address}" is not an IPv4 address`, `a static LAN address, e.g. "192.168.1.20"`);
      return;
    }
    const dupAddr = seenAddr.get(node.address);
    if (dupAddr !== undefined) {
      add(`${p}.address`, `${node.address} is also nodes[${dupAddr}].address`, `give every board its own address`);
    } else {
      seenAddr.set(node.address, i);
    }
    if (network !== undefined && broadcast !== undefined) {
      if (((addr & mask) >>> 0) !== network) {
        add(
          `${p}.address`,
          `${node.address} is outside the LAN ${lan} (gateway ${m.gateway}/${m.lanPrefixLength}), so the board ` +
            `could not reach its gateway`,
          `pick a free address inside ${lan}, or correct gateway/lanPrefixLength`,
        );
      } else if (addr === network || addr === broadcast) {
        add(`${p}.address`, `${node.address} is the network or broadcast address of ${lan}`, `pick a host address`);
      } else if (addr === gateway) {
        add(`${p}.address`, `${node.address} is the gateway`, `pick a free host address inside ${lan}`);
      }
    }
  });

  // Join token lifetime.
  if (!Number.isInteger(m.joinTokenTtlSeconds) || m.joinTokenTtlSeconds <= 0) {
    add(
      `${base}.joinTokenTtlSeconds`,
      `is ${m.joinTokenTtlSeconds}; the pre-generated join token must expire (a positive number of seconds; ` +
        'MicroK8s treats -1 as single-use, which cannot serve several joiners)',
      'e.g. 3600, long enough to power up every board',
    );
  } else if (m.joinTokenTtlSeconds > MAX_TOKEN_TTL_SECONDS) {
    add(
      `${base}.joinTokenTtlSeconds`,
      `is ${m.joinTokenTtlSeconds}; a join token admits any machine into the cluster, so keep it short-lived`,
      `at most ${MAX_TOKEN_TTL_SECONDS} (a day); re-issue one later with \`microk8s add-node\` if needed`,
    );
  }

  if (m.wifiSsid !== undefined) {
    const bytes = Buffer.byteLength(m.wifiSsid, 'utf8');
    if (bytes === 0 || bytes > 32) {
      add(`${base}.wifiSsid`, `is ${bytes} bytes; an SSID is 1..32 bytes`, `the network's name, or omit wifiSsid for Ethernet`);
    }
  }

  return problems;
}

/** Validates and narrows; throws {@link EdgeModelError} naming `source` (default `environments/<name>.ts`). */
export function assertValidEdge(env: Environment, source = `environments/${env.name}.ts`): ValidEdge {
  const problems = validateEdge(env);
  if (problems.length > 0 || env.provider.kind !== 'microk8s') throw new EdgeModelError(source, problems);
  return { env, microk8s: env.provider.microk8s };
}
