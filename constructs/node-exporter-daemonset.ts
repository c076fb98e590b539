import { Manifest } from './manifest';
import { Construct } from 'constructs';
import { NODE_AGENT_ANNOTATION } from '../contracts/labels';
import { refuse } from './errors';
import type { Container, PodTemplateSpec, Toleration, Volume, VolumeMount } from './k8s';
import { MixedArchCluster } from './mixed-arch-cluster';
import { ContainerProps, renderContainer, renderPodTemplate, Resources, validateImage } from './pod-template';
import { NODE_EXPORTER, WINDOWS_EXPORTER } from '../contracts/versions';
import { Os, Placement } from './platform';

/** Multi-arch (amd64, arm64, ...) release of Prometheus node-exporter. */
export const NODE_EXPORTER_IMAGE = NODE_EXPORTER.image;
/** HostProcess build of windows_exporter: runs on every Windows build, since it shares the host's OS. */
export const WINDOWS_EXPORTER_IMAGE = WINDOWS_EXPORTER.image;
export const NODE_EXPORTER_PORT = 9100;
export const WINDOWS_EXPORTER_PORT = 9182;
/**
 * A node agent tolerates every taint, as the upstream charts do: control planes, a dedicated or GPU
 * pool added later, and nodes under NoExecute pressure taints all stay monitored.
 */
export const TOLERATE_EVERYTHING: Toleration = { operator: 'Exists' };
/** node-exporter's image runs as USER `nobody`; runAsNonRoot can only verify a numeric UID. */
const NOBODY = 65534;
/** Highest value a user-defined PriorityClass may take; larger ones are reserved for `system-*`. */
const MAX_USER_PRIORITY = 1_000_000_000;

/**
 * Filesystems the host mounts that say nothing about the node's disks (container layers, pod
 * volumes, kernel pseudo-filesystems), so they don't flood the filesystem collector.
 */
export const MOUNT_POINTS_EXCLUDE =
  '^/(dev|proc|sys|run/containerd/.+|var/lib/containerd/.+|var/lib/kubelet/.+|var/snap/microk8s/common/.+)($|/)';

/** A host directory the exporter reads. Host mounts are read-only: an exporter observes, never changes, the node. */
export interface HostMount {
  /** Volume name (DNS-1123 label). */
  readonly name: string;
  /** Absolute path on the node. */
  readonly hostPath: string;
  /** Where the container sees it. */
  readonly mountPath: string;
  /** Must stay true (the book's `readOnly: false` let a compromised exporter rewrite the node). @default true */
  readonly readOnly?: boolean;
  /** `HostToContainer` lets mounts made on the host later show up inside. @default 'None' */
  readonly propagation?: 'None' | 'HostToContainer';
  /** Why the exporter reads it; recorded in the node-agent exception. */
  readonly reason: string;
}

/** What every node-exporter reads: the host's /proc, /sys and filesystems, at the `--path.*` flags' paths. */
const DEFAULT_HOST_MOUNTS: readonly HostMount[] = [
  { name: 'proc', hostPath: '/proc', mountPath: '/host/proc', reason: 'kernel, CPU, memory and process statistics' },
  { name: 'sys', hostPath: '/sys', mountPath: '/host/sys', reason: 'hardware, network interface and thermal statistics' },
  {
    name: 'root',
    hostPath: '/',
    mountPath: '/host/root',
    propagation: 'HostToContainer',
    reason: 'free space of the node filesystems, including ones mounted after the pod started',
  },
];

export type DaemonSetStrategy =
  | { readonly type: 'RollingUpdate'; readonly maxUnavailable: number | string }
  | { readonly type: 'OnDelete' };

export interface WindowsExporterOptions {
  /** @default WINDOWS_EXPORTER_IMAGE */
  readonly image?: string;
  /** @default requests 100m/128Mi, limits 500m/256Mi */
  readonly resources?: Resources;
}

export interface NodeExporterDaemonSetProps {
  readonly namespace: string;
  /** The node pools decide where agents go: node-exporter on every Linux node, windows-exporter on every Windows node. */
  readonly cluster: MixedArchCluster;
  /** @default NODE_EXPORTER_IMAGE */
  readonly image?: string;
  /** @default requests 50m/64Mi, limits 250m/180Mi */
  readonly resources?: Resources;
  /** Restricts the agents to labelled nodes (the book: `monitoring: prometheus`). @default {} — every node */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /**
   * No surge: a second pod on the node could not bind the host port.
   * @default RollingUpdate with maxUnavailable 1
   */
  readonly updateStrategy?: DaemonSetStrategy;
  /** Host directories read besides /proc, /sys and / (e.g. a textfile collector directory). @default none */
  readonly extraHostMounts?: readonly HostMount[];
  /** Collector flags added to the defaults, e.g. `--no-collector.wifi`. @default none */
  readonly extraArgs?: readonly string[];
  /**
   * Value of the PriorityClass `node-exporter` rendered for both agents, so a full node preempts an
   * app pod rather than go unmonitored. Not `system-node-critical`: that is for what keeps a node
   * working (CNI, kube-proxy) and is limited to kube-system where the API server restricts it.
   * @default 1000000
   */
  readonly priority?: number;
  /** windows-exporter, rendered only when the cluster has Windows pools. @default WindowsExporterOptions defaults */
  readonly windows?: WindowsExporterOptions;
}

/** What one per-node agent needs beyond a normal pod, with the reason for each host privilege. */
interface AgentSpec {
  readonly name: string;
  readonly container: ContainerProps;
  readonly placement: Placement;
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly port: number;
  readonly hostPID: boolean;
  readonly hostMounts: readonly HostMount[];
  readonly reasons: readonly string[];
  /** Finishes the pod spec (Windows: HostProcess security context and its init container). */
  readonly finish?: (template: PodTemplateSpec) => void;
}

/**
 * Prometheus node-exporter on every Linux node, control planes included, and windows-exporter on
 * every Windows node when the cluster has any. Each is a DaemonSet on the host network with a
 * headless Service for Prometheus to discover; every host privilege it takes is declared in the
 * node-agent exception annotation with its reason. Host mounts are read-only, always.
 */
export class NodeExporterDaemonSet extends Construct {
  constructor(scope: Construct, id: string, props: NodeExporterDaemonSetProps) {
    super(scope, id);
    const image = props.image ?? NODE_EXPORTER_IMAGE;
    validateImage(this, 'image', image);
    const strategy = this.checkStrategy(props.updateStrategy ?? { type: 'RollingUpdate', maxUnavailable: 1 });
    const priority = this.checkPriority(props.priority ?? 1_000_000);
    const hostMounts = [...DEFAULT_HOST_MOUNTS, ...this.checkExtraHostMounts(props.extraHostMounts ?? [])];
    const args = [
      '--path.procfs=/host/proc',
      '--path.sysfs=/host/sys',
      '--path.rootfs=/host/root',
      // udev's device properties (disk models, serials) live under the host's /run; read them through the root mount.
      '--path.udev.data=/host/root/run/udev/data',
      `--web.listen-address=:${NODE_EXPORTER_PORT}`,
      `--collector.filesystem.mount-points-exclude=${MOUNT_POINTS_EXCLUDE}`,
      ...this.checkExtraArgs(props.extraArgs ?? []),
    ];

    new Manifest(this, 'PriorityClass', {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: 'node-exporter' },
      value: priority,
      globalDefault: false,
      preemptionPolicy: 'PreemptLowerPriority',
      description: 'Per-node metrics exporters: may preempt app pods so that no node goes unmonitored.',
    });

    this.renderAgent(props, strategy, {
      name: 'node-exporter',
      port: NODE_EXPORTER_PORT,
      placement: agentPlacement(props.cluster, 'linux'),
      nodeSelector: props.nodeSelector ?? {},
      hostPID: true,
      hostMounts,
      reasons: [
        "hostNetwork: report the node's own network interfaces and serve metrics on the node address",
        'hostPID: see every process of the node, not only its own',
        `hostPort ${NODE_EXPORTER_PORT}: one fixed scrape address per node`,
        ...hostMounts.map((m) => `hostPath ${m.hostPath} (read-only): ${m.reason}`),
      ],
      container: {
        name: 'node-exporter',
        image,
        args,
        ports: [{ name: 'metrics', containerPort: NODE_EXPORTER_PORT }],
        resources: props.resources ?? { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '250m', memory: '180Mi' } },
        // `/` is the cheap landing page; `/metrics` would run every collector on each probe.
        readiness: { http: '/', port: 'metrics', periodSeconds: 10 },
        liveness: { http: '/', port: 'metrics', periodSeconds: 10, failureThreshold: 6 },
        runtime: { runAsUser: NOBODY, writablePaths: [] },
      },
    });
    if (props.cluster.nodePools.some((p) => p.os === 'windows')) this.renderWindowsExporter(props, strategy);
  }

  private renderWindowsExporter(props: NodeExporterDaemonSetProps, strategy: DaemonSetStrategy): void {
    const image = props.windows?.image ?? WINDOWS_EXPORTER_IMAGE;
    validateImage(this, 'windows.image', image);
    const resources = props.windows?.resources ?? { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } };
    this.renderAgent(props, strategy, {
      name: 'windows-exporter',
      port: WINDOWS_EXPORTER_PORT,
      placement: agentPlacement(props.cluster, 'windows'),
      nodeSelector: props.nodeSelector ?? {},
      hostPID: false,
      hostMounts: [],
      reasons: [
        'hostProcess as NT AUTHORITY\\system: Windows has no read-only /proc; performance counters, WMI and services are read from the host itself',
        'hostNetwork: HostProcess pods always share the node network; serve metrics on the node address',
        `hostPort ${WINDOWS_EXPORTER_PORT}: one fixed scrape address per node (the init container opens it in Windows Firewall)`,
      ],
      container: {
        name: 'windows-exporter',
        image,
        args: [`--web.listen-address=:${WINDOWS_EXPORTER_PORT}`],
        ports: [{ name: 'metrics', containerPort: WINDOWS_EXPORTER_PORT }],
        resources,
        readiness: { http: '/health', port: 'metrics', periodSeconds: 10 },
        liveness: { http: '/health', port: 'metrics', periodSeconds: 10, failureThreshold: 6 },
      },
      finish: (template) => {
        const spec = template.spec!;
        spec.securityContext = { windowsOptions: { hostProcess: true, runAsUserName: 'NT AUTHORITY\\system' } };
        // Idempotent: the init container runs again on every pod restart.
        const rule = `'windows-exporter'`;
        const { container } = renderContainer(
          this,
          {
            name: 'configure-firewall',
            image,
            command: ['powershell'],
            args: [
              '-NoProfile',
              '-Command',
              `if (-not (Get-NetFirewallRule -DisplayName ${rule} -ErrorAction SilentlyContinue)) { New-NetFirewallRule -DisplayName ${rule} -Direction Inbound -Profile Any -Action Allow -Protocol TCP -LocalPort ${WINDOWS_EXPORTER_PORT} }`,
            ],
            resources,
          },
          'windows',
        );
        spec.initContainers = [container];
      },
    });
  }

  /** One agent: its DaemonSet and the headless Service Prometheus discovers its pods through. */
  private renderAgent(props: NodeExporterDaemonSetProps, strategy: DaemonSetStrategy, agent: AgentSpec): void {
    const selector = { app: agent.name };
    const labels = { ...selector, 'app.kubernetes.io/name': agent.name, 'app.kubernetes.io/component': 'node-agent' };
    const template = renderPodTemplate(this, {
      labels,
      container: agent.container,
      placement: agent.placement,
      scheduling: { nodeSelector: agent.nodeSelector },
    });
    const spec = template.spec!;
    spec.hostNetwork = true;
    spec.hostPID = agent.hostPID || undefined;
    spec.priorityClassName = 'node-exporter';
    const container: Container = spec.containers[0];
    container.ports = container.ports?.map((p) => ({ ...p, hostPort: p.containerPort }));
    const { mounts, volumes } = renderHostMounts(agent.hostMounts);
    if (mounts.length) {
      container.volumeMounts = [...(container.volumeMounts ?? []), ...mounts];
      spec.volumes = [...(spec.volumes ?? []), ...volumes];
    }
    agent.finish?.(template);

    new Manifest(this, `${agent.name}-DaemonSet`, {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: {
        name: agent.name,
        namespace: props.namespace,
        labels,
        annotations: { [NODE_AGENT_ANNOTATION]: agent.reasons.join('; ') },
      },
      spec: {
        selector: { matchLabels: selector },
        revisionHistoryLimit: 5,
        updateStrategy:
          strategy.type === 'OnDelete' ? { type: 'OnDelete' } : { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: strategy.maxUnavailable, maxSurge: 0 } },
        template,
      },
    });
    new Manifest(this, `${agent.name}-Service`, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: agent.name,
        namespace: props.namespace,
        labels,
        // On the Service only (not the pods too), so a Prometheus with both discovery jobs scrapes each node once.
        annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(agent.port) },
      },
      spec: {
        clusterIP: 'None',
        selector,
        ports: [{ name: 'metrics', port: agent.port, targetPort: 'metrics', protocol: 'TCP' }],
      },
    });
  }

  private checkStrategy(strategy: DaemonSetStrategy): DaemonSetStrategy {
    if (strategy.type === 'RollingUpdate') {
      const value = strategy.maxUnavailable;
      const zero = typeof value === 'number' ? !(Number.isInteger(value) && value >= 1) : !/^([1-9]\d?|100)%$/.test(value);
      if (zero) {
        refuse(
          this,
          'updateStrategy.maxUnavailable',
          `${JSON.stringify(value)} is not a positive count or percentage; with no surge possible (the host port is taken) the rollout could never replace a pod`,
          "use maxUnavailable: 1, or type: 'OnDelete' to replace pods by hand",
        );
      }
    }
    return strategy;
  }

  private checkPriority(priority: number): number {
    if (!Number.isInteger(priority) || priority < 1 || priority > MAX_USER_PRIORITY) {
      refuse(
        this,
        'priority',
        `${priority} is outside 1-${MAX_USER_PRIORITY}, the range of user-defined PriorityClasses (higher values are the system-* classes, which belong to kube-system)`,
        'use a positive integer up to 1000000000; the default 1000000 outranks every app',
      );
    }
    return priority;
  }

  private checkExtraHostMounts(extra: readonly HostMount[]): readonly HostMount[] {
    const names = new Set(DEFAULT_HOST_MOUNTS.map((m) => m.name));
    const paths = new Set(DEFAULT_HOST_MOUNTS.map((m) => m.mountPath));
    extra.forEach((m, i) => {
      const field = `extraHostMounts[${i}]`;
      if (m.readOnly === false) {
        refuse(this, `${field}.readOnly`, `host path ${m.hostPath} is mounted writable, so a compromised exporter could change the node`, 'drop readOnly: false; an exporter only reads the host');
      }
      if (!m.hostPath.startsWith('/') || !m.mountPath.startsWith('/')) {
        refuse(this, field, `"${m.hostPath}" -> "${m.mountPath}" is not a pair of absolute paths`, 'use absolute paths on both sides');
      }
      if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(m.name)) {
        refuse(this, `${field}.name`, `"${m.name}" is not a valid volume name`, 'use a DNS-1123 label: lowercase letters, digits and dashes');
      }
      if (!m.reason.trim()) refuse(this, `${field}.reason`, `host path ${m.hostPath} is mounted without a reason`, 'say what the exporter reads there');
      if (names.has(m.name) || paths.has(m.mountPath)) {
        refuse(this, field, `volume "${m.name}" at ${m.mountPath} repeats a volume name or mount path already in use`, 'pick another name and mount path');
      }
      names.add(m.name);
      paths.add(m.mountPath);
    });
    return extra;
  }

  private checkExtraArgs(args: readonly string[]): readonly string[] {
    for (const arg of args) {
      if (/^--(path\.(procfs|sysfs|rootfs|udev\.data)|web\.listen-address)(=|$)/.test(arg)) {
        refuse(this, 'extraArgs', `"${arg}" overrides a flag that must match the host mounts and the host port`, 'drop it; the construct sets the paths and the listen address');
      }
    }
    return args;
  }
}

function renderHostMounts(mounts: readonly HostMount[]): { mounts: VolumeMount[]; volumes: Volume[] } {
  return {
    mounts: mounts.map((m) => ({ name: m.name, mountPath: m.mountPath, readOnly: true, mountPropagation: m.propagation })),
    volumes: mounts.map((m) => ({ name: m.name, hostPath: { path: m.hostPath, type: 'Directory' } })),
  };
}

/**
 * A node agent follows nodes, not images: it goes to every node of its OS (any arch; any Windows
 * build, since a HostProcess container shares the host's OS), whatever its taints.
 */
function agentPlacement(cluster: MixedArchCluster, os: Os): Placement {
  const pools = cluster.nodePools.filter((p) => p.os === os);
  return {
    platform: { os },
    nodeSelector: { 'kubernetes.io/os': os },
    tolerations: [TOLERATE_EVERYTHING],
    eligibleNodes: pools.reduce((n, p) => n + p.min, 0),
    pools: pools.map((p) => p.name),
  };
}
