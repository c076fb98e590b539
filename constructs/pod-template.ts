import { IConstruct } from 'constructs';
import { refuse } from './errors';
import type {
  Affinity,
  Container,
  EnvVar,
  PodSpec,
  PodTemplateSpec,
  Probe,
  SecurityContext,
  Toleration,
  TopologySpreadConstraint,
  Volume,
  VolumeMount,
} from './k8s';
import { Placement } from './platform';

/**
 * How an image runs: what it needs from the kernel and the filesystem. The defaults are the
 * strictest profile (non-root, read-only root filesystem, no capabilities); images that need more
 * declare it here, so the manifest says exactly what the container is allowed and why it starts.
 */
export interface ImageRuntime {
  /**
   * The image's entrypoint runs as root (stock `nginx` starts its master process as root).
   * @default false — `runAsNonRoot: true`
   */
  readonly runsAsRoot?: boolean;
  /** Numeric UID to run as, for images whose USER is a name (runAsNonRoot needs a number). @default the image's USER */
  readonly runAsUser?: number;
  /** Capabilities kept after dropping ALL, e.g. `NET_BIND_SERVICE` to bind :80. @default none */
  readonly capabilities?: readonly string[];
  /** Paths the image writes; each gets its own emptyDir so the root filesystem stays read-only. @default ['/tmp'] */
  readonly writablePaths?: readonly string[];
  /** The image writes to paths not known in advance: leave the root filesystem writable. @default false */
  readonly writableRootFilesystem?: boolean;
  /**
   * Group owning mounted volumes (`fsGroup`), for images that run as a fixed non-root UID and write
   * to a persistent volume (bitnami images run as 1001). @default none
   */
  readonly fsGroup?: number;
}

export interface ContainerPort {
  /** IANA_SVC_NAME (≤ 15 chars, lowercase): probes and Services refer to ports by name. */
  readonly name: string;
  readonly containerPort: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
}

export type ProbeSpec =
  | {
      readonly http: string;
      /** Name of a port the container exposes. */
      readonly port: string;
      readonly initialDelaySeconds?: number;
      /** @default 10 */
      readonly periodSeconds?: number;
      /** @default 3 */
      readonly failureThreshold?: number;
      /** @default 1 */
      readonly timeoutSeconds?: number;
    }
  | {
      readonly tcp: true;
      readonly port: string;
      readonly initialDelaySeconds?: number;
      readonly periodSeconds?: number;
      readonly failureThreshold?: number;
      readonly timeoutSeconds?: number;
    };

export interface Resources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

export interface SecretMount {
  readonly secretName: string;
  readonly mountPath: string;
}

/** A mount of a volume the workload declares (a pod volume, or a StatefulSet's claim template). */
export interface VolumeMountProps {
  /** Name of the pod volume or volumeClaimTemplate. */
  readonly volume: string;
  readonly mountPath: string;
  /** Mount a subdirectory, e.g. to keep a database out of the `lost+found` of a fresh filesystem. @default the volume's root */
  readonly subPath?: string;
  /** @default false */
  readonly readOnly?: boolean;
}

/**
 * `Never` uses only an image already on the node: right where images are built or loaded into the
 * node by hand (minikube, kind), fatal anywhere else (the pod never starts). Placements from a
 * cluster that doesn't declare `localImages` refuse it.
 */
export type ImagePullPolicy = 'Always' | 'IfNotPresent' | 'Never';

/** What every container of this project declares. */
export interface ContainerProps {
  /** Container name. */
  readonly name: string;
  /** `repository:tag` (or a digest); never untagged or `latest` unless `floatingTagReason` says why. */
  readonly image: string;
  /**
   * Why this image may use a moving tag (its publisher ships only `latest`). Recorded as a
   * guardrail waiver on the workload, so reviewers see it; pin a digest to drop it.
   * @default none — moving tags are refused
   */
  readonly floatingTagReason?: string;
  readonly ports?: readonly ContainerPort[];
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly env?: readonly EnvVar[];
  readonly resources: Resources;
  readonly readiness?: ProbeSpec;
  readonly liveness?: ProbeSpec;
  readonly startup?: ProbeSpec;
  /** @default the strictest profile, see ImageRuntime */
  readonly runtime?: ImageRuntime;
  /** Secrets mounted read-only (the Secret itself is created outside dist/). */
  readonly secretMounts?: readonly SecretMount[];
  /** Mounts of the workload's own volumes (see PodTemplateProps.volumes and claim templates). @default none */
  readonly mounts?: readonly VolumeMountProps[];
  /** Working directory. @default the image's */
  readonly workingDir?: string;
  /** @default the cluster default (IfNotPresent for tagged images) */
  readonly imagePullPolicy?: ImagePullPolicy;
}

/** Scheduling passthrough, merged with the placement MixedArchCluster computed. */
export interface Scheduling {
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly affinity?: Affinity;
  readonly tolerations?: readonly Toleration[];
  readonly topologySpreadConstraints?: readonly TopologySpreadConstraint[];
}

export interface PodTemplateProps {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly container: ContainerProps;
  /** Containers run to completion, in order, before `container` starts. @default none */
  readonly initContainers?: readonly ContainerProps[];
  /** Pod volumes the containers' `mounts` name (emptyDir, persistentVolumeClaim...). @default none */
  readonly volumes?: readonly Volume[];
  /** Volumes provided outside the pod spec (a StatefulSet's volumeClaimTemplates) that mounts may name. @default none */
  readonly claimTemplates?: readonly string[];
  /** The pod's ServiceAccount. @default the namespace's `default` */
  readonly serviceAccountName?: string;
  readonly placement: Placement;
  readonly scheduling?: Scheduling;
  readonly restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  /** @default 30 */
  readonly terminationGracePeriodSeconds?: number;
}

// The distribution reference grammar (github.com/distribution/reference): an optional registry (the first
// component, when it holds a `.` or a `:port`, or is `localhost`), lowercase path components joined by
// `.`, `_`, `__` or dashes, then a tag, a digest, or both (`alpine:3.20@sha256:...`).
const REGISTRY_PART = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)';
const REGISTRY = `(?:${REGISTRY_PART}(?:\\.${REGISTRY_PART})+(?::[0-9]+)?|${REGISTRY_PART}:[0-9]+|localhost)`;
const PATH_PART = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const IMAGE_REF = new RegExp(`^(?:${REGISTRY}/)?${PATH_PART}(?:/${PATH_PART})*(?::\\w[\\w.-]{0,127}(?:@sha256:[a-f0-9]{64})?|@sha256:[a-f0-9]{64})$`);
/** The registry in front of an image's path, as the kubelet splits it. */
const REGISTRY_PREFIX = new RegExp(`^${REGISTRY}/`);

export const WAIVER_ANNOTATION = 'guardrails.k8s-book-systems.io/waive';

/** The workload annotations recording a container's declared exceptions to the guardrails. */
export function waiverAnnotations(container: ContainerProps): Record<string, string> | undefined {
  return container.floatingTagReason ? { [WAIVER_ANNOTATION]: `image-tag: ${container.floatingTagReason}` } : undefined;
}

export function validateImage(scope: IConstruct, field: string, image: string, floatingTagReason?: string): void {
  if (floatingTagReason !== undefined) {
    if (!floatingTagReason.trim()) refuse(scope, 'floatingTagReason', 'the reason is empty', 'say why the image cannot be pinned');
    // The waiver excuses a moving tag, not a malformed name, which the kubelet refuses to pull (InvalidImageName).
    if (!IMAGE_REF.test(image) && !IMAGE_REF.test(`${image}:latest`)) {
      refuse(scope, field, `image "${image}" is not a valid image reference`, 'use [registry[:port]/]repository, lowercase, optionally with :latest');
    }
    if (!/^[^:@]+(:latest)?$/.test(image.replace(REGISTRY_PREFIX, ''))) {
      refuse(scope, 'floatingTagReason', `image "${image}" is pinned, so it needs no floating-tag waiver`, 'drop floatingTagReason');
    }
    return;
  }
  if (!IMAGE_REF.test(image)) {
    refuse(scope, field, `image "${image}" is not a pinned reference`, 'use repository:tag with an explicit version tag, or a @sha256 digest');
  }
  if (image.endsWith(':latest')) {
    refuse(scope, field, `image "${image}" uses the moving "latest" tag`, 'pin a version tag so rollouts are explicit and repeatable');
  }
}

function renderProbe(scope: IConstruct, field: string, spec: ProbeSpec, ports: readonly ContainerPort[]): Probe {
  if (!ports.some((p) => p.name === spec.port)) {
    refuse(
      scope,
      field,
      `probe port "${spec.port}" is not a port the container exposes (${ports.map((p) => p.name).join(', ') || 'none'})`,
      'name one of the container ports',
    );
  }
  if (ports.find((p) => p.name === spec.port)?.protocol === 'UDP') {
    // The kubelet probes over TCP (httpGet, tcpSocket): a UDP-only port never answers, so the probe always fails.
    refuse(scope, field, `probe port "${spec.port}" is a UDP port, but probes connect over TCP`, 'probe a TCP port of the container');
  }
  const timing = {
    initialDelaySeconds: spec.initialDelaySeconds,
    periodSeconds: spec.periodSeconds ?? 10,
    timeoutSeconds: spec.timeoutSeconds ?? 1,
    failureThreshold: spec.failureThreshold ?? 3,
  };
  return 'http' in spec ? { httpGet: { path: spec.http, port: spec.port }, ...timing } : { tcpSocket: { port: spec.port }, ...timing };
}

/**
 * Extra labels merged over the selector labels, refusing any that would change a selector label:
 * the selector would then match no pod.
 */
export function labelsWithSelector(
  scope: IConstruct,
  selector: Readonly<Record<string, string>>,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  for (const [key, value] of Object.entries(extra)) {
    if (key in selector && selector[key] !== value) {
      refuse(scope, `labels["${key}"]`, `"${value}" overrides the selector label ${key}=${selector[key]}, so the selectors would match no pod`, `drop ${key} from labels`);
    }
  }
  return { ...extra, ...selector };
}

/** A long-running container that serves must say when it is ready and when it is stuck. */
export function requireServingProbes(scope: IConstruct, container: ContainerProps): void {
  if (!container.ports?.length) return;
  if (!container.readiness) {
    refuse(scope, 'readiness', `container "${container.name}" serves ports but has no readiness probe, so it gets traffic before it can answer`, 'add readiness: { http: <path> | tcp: true, port: <port name> }');
  }
  if (!container.liveness) {
    refuse(scope, 'liveness', `container "${container.name}" has no liveness probe, so a hung process is never restarted`, 'add liveness on another endpoint or with a higher failureThreshold than readiness');
  }
}

const CPU = /^([0-9]+(?:\.[0-9]+)?)(m?)$/;
const MEMORY = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E|m)?$/;
const MEMORY_UNITS: Record<string, number> = { '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };

/** A CPU or memory quantity in cores / bytes, or undefined when it is not a quantity. */
function quantity(kind: 'cpu' | 'memory', text: string): number | undefined {
  const m = (kind === 'cpu' ? CPU : MEMORY).exec(text);
  if (!m) return undefined;
  return kind === 'cpu' ? Number(m[1]) / (m[2] ? 1000 : 1) : Number(m[1]) * MEMORY_UNITS[m[2] ?? ''];
}

function checkResources(scope: IConstruct, resources: Resources): void {
  for (const kind of ['cpu', 'memory'] as const) {
    const request = quantity(kind, resources.requests[kind]);
    const limit = quantity(kind, resources.limits[kind]);
    for (const [field, value, text] of [['requests', request, resources.requests[kind]], ['limits', limit, resources.limits[kind]]] as const) {
      if (value === undefined || value <= 0) {
        refuse(scope, `resources.${field}.${kind}`, `"${text}" is not a positive ${kind} quantity`, kind === 'cpu' ? "use cores ('0.5') or millicores ('500m')" : "use bytes with a unit, e.g. '128Mi'");
      }
    }
    if (request! > limit!) {
      refuse(scope, `resources.requests.${kind}`, `request ${resources.requests[kind]} exceeds limit ${resources.limits[kind]}; the API server rejects the pod`, 'lower the request or raise the limit');
    }
  }
}

/** A DNS-1123 label, as the API server requires of a volume name: alphanumeric at both ends, at most 63 characters. */
function volumeNameFor(path: string): string {
  return (
    path
      .replace(/^[^a-z0-9]+/i, '')
      .replace(/[^a-z0-9]+/gi, '-')
      .toLowerCase()
      .slice(0, 63)
      .replace(/-+$/, '') || 'root'
  );
}

function securityOf(runtime: ImageRuntime): SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'], add: runtime.capabilities?.length ? [...runtime.capabilities] : undefined },
    readOnlyRootFilesystem: !runtime.writableRootFilesystem,
    runAsNonRoot: !runtime.runsAsRoot,
    runAsUser: runtime.runAsUser,
  };
}

// Names of variables that carry credentials by convention (MYSQL_ROOT_PASSWORD, MINIO_SECRET_KEY,
// MINIO_ROOT_USER, DATABASE_PASSWORD, AWS_SECRET_ACCESS_KEY, API_TOKEN...).
const CREDENTIAL_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|ACCESS_KEY|PRIVATE_KEY|CREDENTIAL|ROOT_USER|_PWD$)/i;

/** A credential written into a manifest is in git and in every `kubectl get -o yaml`: refuse it. */
export function refuseLiteralCredentials(scope: IConstruct, env: readonly EnvVar[] | undefined): void {
  for (const v of env ?? []) {
    if (v.value !== undefined && CREDENTIAL_NAME.test(v.name)) {
      refuse(
        scope,
        `env[${v.name}]`,
        `${v.name} carries a literal value, so the credential would sit in dist/ and in git`,
        `read it from a Secret created out of band: { name: '${v.name}', valueFrom: { secretKeyRef: { name: '<secret>', key: '<key>' } } }`,
      );
    }
  }
}

/** What the pod offers a container to mount: its volumes' names, and whether local images are allowed. */
export interface ContainerContext {
  readonly os: Placement['platform']['os'];
  /** Names a container's `mounts` may refer to. @default none */
  readonly volumes?: ReadonlySet<string>;
  /** The cluster loads images into its nodes by hand (`imagePullPolicy: Never` works). @default false */
  readonly localImages?: boolean;
}

/** Builds a container: ports, probes, resources, security and the mounts it needs. */
export function renderContainer(
  scope: IConstruct,
  props: ContainerProps,
  context: ContainerContext | Placement['platform']['os'],
): { container: Container; volumes: Volume[] } {
  const ctx: ContainerContext = typeof context === 'string' ? { os: context } : context;
  const os = ctx.os;
  validateImage(scope, 'image', props.image, props.floatingTagReason);
  checkResources(scope, props.resources);
  refuseLiteralCredentials(scope, props.env);
  if (props.imagePullPolicy === 'Never' && !ctx.localImages) {
    refuse(
      scope,
      'imagePullPolicy',
      `"Never" runs only an image already loaded into the node, and this cluster pulls its images from registries, so the pod would never start`,
      'push the image to a registry and drop imagePullPolicy; Never belongs to local clusters (minikube, kind) only',
    );
  }
  const ports = props.ports ?? [];
  const names = new Set<string>();
  for (const p of ports) {
    // IANA_SVC_NAME as the API server checks it (RFC 6335): no leading, trailing or consecutive dashes.
    if (!/^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/.test(p.name) || !/[a-z]/.test(p.name) || p.name.includes('--')) {
      refuse(scope, 'ports.name', `port name "${p.name}" is not a valid IANA service name`, 'use 1-15 lowercase letters, digits and single dashes, with at least one letter');
    }
    if (names.has(p.name)) refuse(scope, 'ports.name', `port name "${p.name}" is used twice`, 'give every port its own name');
    names.add(p.name);
  }
  if (props.readiness && props.liveness && JSON.stringify(props.readiness) === JSON.stringify(props.liveness)) {
    refuse(
      scope,
      'liveness',
      'liveness is identical to readiness, so a slow pod is restarted at the moment it is taken out of rotation',
      'probe a different endpoint, or give liveness a higher failureThreshold than readiness',
    );
  }
  const mounts: VolumeMount[] = [];
  const volumes: Volume[] = [];
  const runtime = props.runtime ?? {};
  if (os === 'linux' && !runtime.writableRootFilesystem) {
    for (const path of runtime.writablePaths ?? ['/tmp']) {
      const name = volumeNameFor(path);
      mounts.push({ name, mountPath: path });
      volumes.push({ name, emptyDir: {} });
    }
  }
  for (const secret of props.secretMounts ?? []) {
    mounts.push({ name: secret.secretName, mountPath: secret.mountPath, readOnly: true });
    volumes.push({ name: secret.secretName, secret: { secretName: secret.secretName } });
  }
  for (const m of props.mounts ?? []) {
    if (!ctx.volumes?.has(m.volume)) {
      refuse(scope, `mounts[${m.volume}]`, `container "${props.name}" mounts "${m.volume}", which is not a volume of the pod (${[...(ctx.volumes ?? [])].join(', ') || 'none'})`, 'declare the volume (volumes or a claim template) or fix the name');
    }
    mounts.push({ name: m.volume, mountPath: m.mountPath, subPath: m.subPath, readOnly: m.readOnly || undefined });
  }
  const container: Container = {
    name: props.name,
    image: props.image,
    imagePullPolicy: props.imagePullPolicy,
    workingDir: props.workingDir,
    command: props.command ? [...props.command] : undefined,
    args: props.args ? [...props.args] : undefined,
    env: props.env?.length ? [...props.env] : undefined,
    ports: ports.length ? ports.map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol ?? 'TCP' })) : undefined,
    resources: {
      requests: { cpu: props.resources.requests.cpu, memory: props.resources.requests.memory },
      limits: { cpu: props.resources.limits.cpu, memory: props.resources.limits.memory },
    },
    startupProbe: props.startup && renderProbe(scope, 'startup.port', props.startup, ports),
    readinessProbe: props.readiness && renderProbe(scope, 'readiness.port', props.readiness, ports),
    livenessProbe: props.liveness && renderProbe(scope, 'liveness.port', props.liveness, ports),
    // Windows containers reject the Linux-only security fields; their isolation is the host build.
    securityContext: os === 'linux' ? securityOf(runtime) : undefined,
    volumeMounts: mounts.length ? mounts : undefined,
  };
  return { container, volumes };
}

function mergeNodeSelector(scope: IConstruct, placement: Placement, extra: Readonly<Record<string, string>> = {}) {
  for (const [key, value] of Object.entries(extra)) {
    if (key in placement.nodeSelector && placement.nodeSelector[key] !== value) {
      refuse(
        scope,
        `scheduling.nodeSelector["${key}"]`,
        `"${value}" contradicts the platform placement "${placement.nodeSelector[key]}", so the pod could never schedule`,
        'drop the key; the platform (OS/arch) comes from MixedArchCluster',
      );
    }
  }
  return { ...placement.nodeSelector, ...extra };
}

function validateAffinityWeights(scope: IConstruct, affinity: Affinity | undefined): void {
  const weights = [
    ...(affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []),
  ].map((t) => t.weight);
  for (const w of weights) {
    if (!Number.isInteger(w) || w < 1 || w > 100) {
      refuse(scope, 'scheduling.affinity.preferred[].weight', `weight ${w} is outside 1-100`, 'use an integer weight from 1 to 100');
    }
  }
}

function join<T>(first: readonly T[] | undefined, second: readonly T[] | undefined): T[] | undefined {
  return first || second ? [...(first ?? []), ...(second ?? [])] : undefined;
}

/**
 * The scheduling passthrough's affinity plus the construct's own spread terms (pod anti-affinity
 * only): the term lists concatenate, the construct's first; node and pod affinity pass through.
 */
function withSpread(user: Affinity | undefined, spread: Pick<Affinity, 'podAntiAffinity'> | undefined): Affinity | undefined {
  const own = spread?.podAntiAffinity;
  if (!own) return user;
  const theirs = user?.podAntiAffinity;
  return {
    ...user,
    podAntiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: join(own.requiredDuringSchedulingIgnoredDuringExecution, theirs?.requiredDuringSchedulingIgnoredDuringExecution),
      preferredDuringSchedulingIgnoredDuringExecution: join(own.preferredDuringSchedulingIgnoredDuringExecution, theirs?.preferredDuringSchedulingIgnoredDuringExecution),
    },
  };
}

function uniqueTolerations(all: readonly Toleration[]): Toleration[] | undefined {
  const seen = new Map(all.map((t) => [JSON.stringify(t), t]));
  return seen.size ? [...seen.values()] : undefined;
}

/** Builds a pod template carrying its platform constraints, security defaults and probes. */
/** `spread` is the construct's own pod anti-affinity (hostname spreading), merged with the passthrough. */
export function renderPodTemplate(scope: IConstruct, props: PodTemplateProps, spread?: Pick<Affinity, 'podAntiAffinity'>): PodTemplateSpec {
  const os = props.placement.platform.os;
  const podVolumes = props.volumes ?? [];
  const ctx: ContainerContext = {
    os,
    volumes: new Set([...podVolumes.map((v) => v.name), ...(props.claimTemplates ?? [])]),
    localImages: props.placement.localImages,
  };
  const { container, volumes: ownVolumes } = renderContainer(scope, props.container, ctx);
  const inits = (props.initContainers ?? []).map((init) => renderContainer(scope, init, ctx));
  // Containers of one pod share their emptyDirs by name (/tmp of each gets one emptyDir "tmp").
  const volumes = [...new Map([...podVolumes, ...ownVolumes, ...inits.flatMap((i) => i.volumes)].map((v) => [v.name, v])).values()];
  const sched = props.scheduling ?? {};
  const mergedAffinity = withSpread(sched.affinity, spread);
  validateAffinityWeights(scope, mergedAffinity);
  const runtime = props.container.runtime ?? {};
  const spec: PodSpec = {
    os: { name: os },
    runtimeClassName: props.placement.runtimeClassName,
    nodeSelector: mergeNodeSelector(scope, props.placement, sched.nodeSelector),
    tolerations: uniqueTolerations([...props.placement.tolerations, ...(sched.tolerations ?? [])]),
    affinity: mergedAffinity,
    topologySpreadConstraints: sched.topologySpreadConstraints?.length ? [...sched.topologySpreadConstraints] : undefined,
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    restartPolicy: props.restartPolicy,
    serviceAccountName: props.serviceAccountName,
    terminationGracePeriodSeconds: props.terminationGracePeriodSeconds ?? 30,
    securityContext:
      os === 'linux'
        ? { runAsNonRoot: !runtime.runsAsRoot, fsGroup: runtime.fsGroup, seccompProfile: { type: 'RuntimeDefault' } }
        : undefined,
    initContainers: inits.length ? inits.map((i) => i.container) : undefined,
    containers: [container],
    volumes: volumes.length ? volumes : undefined,
  };
  return {
    metadata: { labels: { ...props.labels }, annotations: props.annotations && Object.keys(props.annotations).length ? { ...props.annotations } : undefined },
    spec,
  };
}
