/**
 * The Pod Security Standards (baseline, restricted) as Pod Security Admission evaluates them, per
 * Kubernetes minor: a pure function of a pod's metadata and spec. Control ids and semantics follow
 * kubernetes/pod-security-admission `policy/check_*.go`, including each check's version gates and the
 * checks a restricted one overrides; its conformance fixtures (`test/testdata/<level>/<version>`)
 * are the test oracle (test/fixtures/pod-security-admission/).
 */
import { asArray, asObject, asString, at, JsonObject, objects } from '../object';

export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';
/** A Kubernetes minor, e.g. `{ major: 1, minor: 34 }`. */
export interface KubernetesMinor {
  readonly major: number;
  readonly minor: number;
}

/** The oldest and newest minors whose checks this module implements. */
export const OLDEST_MINOR: KubernetesMinor = { major: 1, minor: 25 };
export const NEWEST_MINOR: KubernetesMinor = { major: 1, minor: 37 };

/** A control the pod fails. */
export interface PodSecurityViolation {
  /** The level the control belongs to. */
  readonly level: 'baseline' | 'restricted';
  /** Upstream check id: `runAsNonRoot`, `hostNamespaces`, `capabilities_restricted`... */
  readonly control: string;
  /** Path inside the pod spec (`containers[0].securityContext.runAsNonRoot`), where one field says it. */
  readonly field?: string;
  /** What PSA would say, e.g. `runAsNonRoot != true (container "app" must not set ...)`. */
  readonly problem: string;
}

/** The pod as PSA sees it: metadata (annotations) and spec. */
export interface PodInput {
  readonly annotations?: Readonly<Record<string, string>>;
  readonly spec: JsonObject;
}

interface VisitedContainer {
  readonly name: string;
  /** `spec.containers[0]` */
  readonly path: string;
  readonly spec: JsonObject;
}

type Result = { readonly problem: string; readonly field?: string } | undefined;

interface Check {
  readonly id: string;
  readonly level: 'baseline' | 'restricted';
  /** Minimum minor of each version of the check, newest last; the newest not above the cluster's applies. */
  readonly versions: ReadonlyArray<{ readonly since: number; readonly check: (pod: Pod) => Result; readonly overrides?: readonly string[] }>;
}

/** One pod being judged, with the accessors every check shares. */
class Pod {
  readonly containers: VisitedContainer[];
  /** `spec.` (or '' for paths relative to the pod spec), prefixed to every field. */
  readonly at: string;
  constructor(
    readonly annotations: Readonly<Record<string, string>>,
    readonly spec: JsonObject,
    prefix: string,
  ) {
    this.at = prefix ? `${prefix}.` : '';
    // As upstream's visitContainers: init containers, containers, ephemeral containers.
    this.containers = (['initContainers', 'containers', 'ephemeralContainers'] as const).flatMap((key) =>
      objects(spec[key]).map((c, i) => ({ name: asString(c.name) ?? `#${i}`, path: `${this.at}${key}[${i}]`, spec: c })),
    );
  }
  get podSecurity(): JsonObject | undefined {
    return asObject(this.spec.securityContext);
  }
  get windows(): boolean {
    return at(this.spec, 'os', 'name') === 'windows';
  }
  /** `hostUsers: false`: the pod runs in a user namespace (PSA relaxes some checks from 1.35). */
  get userNamespace(): boolean {
    return this.spec.hostUsers === false;
  }
}

const quote = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');
const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);
const containerList = (cs: readonly VisitedContainer[]) => `${plural(cs.length, 'container', 'containers')} ${quote(cs.map((c) => c.name))}`;
const security = (c: VisitedContainer) => asObject(c.spec.securityContext);
const fail = (reason: string, detail: string, field?: string): Result => ({ problem: `${reason} (${detail})`, field });
const firstField = (cs: readonly VisitedContainer[], suffix: string) => (cs.length ? `${cs[0].path}.${suffix}` : undefined);

function privileged(pod: Pod): Result {
  const bad = pod.containers.filter((c) => security(c)?.privileged === true);
  return bad.length ? fail('privileged', `${containerList(bad)} must not set securityContext.privileged=true`, firstField(bad, 'securityContext.privileged')) : undefined;
}

function hostNamespaces(pod: Pod): Result {
  const set = (['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((k) => pod.spec[k] === true);
  return set.length ? fail('host namespaces', `${set.map((k) => `${k}=true`).join(', ')}`, `${pod.at}${set[0]}`) : undefined;
}

function hostPathVolumes(pod: Pod): Result {
  const volumes = objects(pod.spec.volumes);
  const bad = volumes.filter((v) => asObject(v.hostPath));
  if (!bad.length) return undefined;
  return fail('hostPath volumes', `${plural(bad.length, 'volume', 'volumes')} ${quote(bad.map((v) => asString(v.name) ?? ''))}`, `${pod.at}volumes[${volumes.indexOf(bad[0])}].hostPath`);
}

function hostPorts(pod: Pod): Result {
  const ports = new Set<string>();
  const bad = pod.containers.filter((c) => {
    const used = objects(c.spec.ports).filter((p) => typeof p.hostPort === 'number' && p.hostPort !== 0);
    used.forEach((p) => ports.add(String(p.hostPort)));
    return used.length > 0;
  });
  return bad.length ? fail('hostPort', `${containerList(bad)} ${plural(bad.length, 'uses', 'use')} ${plural(ports.size, 'hostPort', 'hostPorts')} ${[...ports].sort().join(', ')}`, firstField(bad, 'ports')) : undefined;
}

function hostProcess(pod: Pod): Result {
  const bad = pod.containers.filter((c) => at(security(c), 'windowsOptions', 'hostProcess') === true);
  const podLevel = at(pod.podSecurity, 'windowsOptions', 'hostProcess') === true;
  if (!bad.length && !podLevel) return undefined;
  const setters = [...(podLevel ? ['pod'] : []), ...(bad.length ? [containerList(bad)] : [])];
  return fail('hostProcess', `${setters.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true`, podLevel ? `${pod.at}securityContext.windowsOptions.hostProcess` : firstField(bad, 'securityContext.windowsOptions.hostProcess'));
}

const BASELINE_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
const added = (c: VisitedContainer) => asArray(at(security(c), 'capabilities', 'add')).map(String);

function capabilitiesBaseline(pod: Pod): Result {
  const caps = new Set<string>();
  const bad = pod.containers.filter((c) => {
    const extra = added(c).filter((cap) => !BASELINE_CAPABILITIES.has(cap));
    extra.forEach((cap) => caps.add(cap));
    return extra.length > 0;
  });
  return bad.length ? fail('non-default capabilities', `${containerList(bad)} must not include ${quote([...caps].sort())} in securityContext.capabilities.add`, firstField(bad, 'securityContext.capabilities.add')) : undefined;
}

function capabilitiesRestricted(pod: Pod): Result {
  if (pod.windows) return undefined;
  const missingDropAll = pod.containers.filter((c) => !asArray(at(security(c), 'capabilities', 'drop')).includes('ALL'));
  const caps = new Set<string>();
  const adding = pod.containers.filter((c) => {
    const extra = added(c).filter((cap) => cap !== 'NET_BIND_SERVICE');
    extra.forEach((cap) => caps.add(cap));
    return extra.length > 0;
  });
  const details = [
    ...(missingDropAll.length ? [`${containerList(missingDropAll)} must set securityContext.capabilities.drop=["ALL"]`] : []),
    ...(adding.length ? [`${containerList(adding)} must not include ${quote([...caps].sort())} in securityContext.capabilities.add`] : []),
  ];
  return details.length ? fail('unrestricted capabilities', details.join('; '), firstField(missingDropAll.length ? missingDropAll : adding, 'securityContext.capabilities')) : undefined;
}

function appArmorProfile(pod: Pod): Result {
  const allowedType = (t: unknown) => t === 'RuntimeDefault' || t === 'Localhost';
  const setters: string[] = [];
  const values = new Set<string>();
  const podType = at(pod.podSecurity, 'appArmorProfile', 'type');
  if (podType !== undefined && !allowedType(podType)) {
    setters.push('pod');
    values.add(String(podType));
  }
  const bad = pod.containers.filter((c) => {
    const t = at(security(c), 'appArmorProfile', 'type');
    if (t !== undefined && !allowedType(t)) values.add(String(t));
    return t !== undefined && !allowedType(t);
  });
  if (bad.length) setters.push(containerList(bad));
  const annotations = Object.entries(pod.annotations).filter(
    ([k, v]) => k.startsWith('container.apparmor.security.beta.kubernetes.io/') && !(v === '' || v === 'runtime/default' || v.startsWith('localhost/')),
  );
  if (annotations.length) setters.push(plural(annotations.length, 'annotation', 'annotations'));
  // As upstream: the bad types (sorted), then the bad annotations as key="value" (sorted).
  const badValues = [...[...values].sort(), ...annotations.map(([k, v]) => `${k}=${JSON.stringify(v)}`).sort()];
  const field = podType !== undefined && !allowedType(podType) ? `${pod.at}securityContext.appArmorProfile.type` : firstField(bad, 'securityContext.appArmorProfile.type');
  return setters.length ? fail(plural(badValues.length, 'forbidden AppArmor profile', 'forbidden AppArmor profiles'), `${setters.join(' and ')} must not set AppArmor profile type to ${quote(badValues)}`, field) : undefined;
}

function seLinuxOptions(types: ReadonlySet<string>) {
  return (pod: Pod): Result => {
    const badTypes = new Set<string>();
    let setUser = false;
    let setRole = false;
    /** The first forbidden field of the options (`type`, `user`, `role`), or undefined when they are allowed. */
    const forbidden = (o: unknown): string | undefined => {
      const opts = asObject(o);
      if (!opts) return undefined;
      const type = asString(opts.type) ?? '';
      const fields: string[] = [];
      if (!types.has(type)) {
        badTypes.add(type);
        fields.push('type');
      }
      if (asString(opts.user)) {
        setUser = true;
        fields.push('user');
      }
      if (asString(opts.role)) {
        setRole = true;
        fields.push('role');
      }
      return fields[0];
    };
    const podField = forbidden(at(pod.podSecurity, 'seLinuxOptions'));
    const bad = pod.containers.map((c) => ({ c, field: forbidden(security(c)?.seLinuxOptions) })).filter((b) => b.field !== undefined);
    if (!podField && !bad.length) return undefined;
    const setters = [...(podField ? ['pod'] : []), ...(bad.length ? [containerList(bad.map((b) => b.c))] : [])];
    const data = [
      ...(badTypes.size ? [`${plural(badTypes.size, 'type', 'types')} ${quote([...badTypes].sort())}`] : []),
      ...(setUser ? ['user may not be set'] : []),
      ...(setRole ? ['role may not be set'] : []),
    ];
    const field = podField ? `${pod.at}securityContext.seLinuxOptions.${podField}` : `${bad[0].c.path}.securityContext.seLinuxOptions.${bad[0].field}`;
    return fail('seLinuxOptions', `${setters.join(' and ')} set forbidden securityContext.seLinuxOptions: ${data.join('; ')}`, field);
  };
}
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
const SELINUX_TYPES_1_31 = new Set([...SELINUX_TYPES, 'container_engine_t']);

function procMount(relaxForUserNamespace: boolean) {
  return (pod: Pod): Result => {
    if (relaxForUserNamespace && pod.userNamespace) return undefined;
    const bad = pod.containers.filter((c) => {
      const value = security(c)?.procMount;
      return value !== undefined && value !== 'Default';
    });
    return bad.length ? fail('procMount', `${containerList(bad)} must not set securityContext.procMount to ${quote([...new Set(bad.map((c) => String(security(c)?.procMount)))].sort())}`, firstField(bad, 'securityContext.procMount')) : undefined;
  };
}

const validSeccomp = (t: unknown) => t === 'RuntimeDefault' || t === 'Localhost';

function seccompBaseline(pod: Pod): Result {
  const podType = at(pod.podSecurity, 'seccompProfile', 'type');
  const setters: string[] = [];
  if (podType !== undefined && !validSeccomp(podType)) setters.push('pod');
  const bad = pod.containers.filter((c) => {
    const t = at(security(c), 'seccompProfile', 'type');
    return t !== undefined && !validSeccomp(t);
  });
  if (bad.length) setters.push(containerList(bad));
  const values = [...new Set([podType, ...pod.containers.map((c) => at(security(c), 'seccompProfile', 'type'))].filter((t) => t !== undefined && !validSeccomp(t)).map(String))].sort();
  return setters.length ? fail('seccompProfile', `${setters.join(' and ')} must not set securityContext.seccompProfile.type to ${quote(values)}`, setters[0] === 'pod' ? `${pod.at}securityContext.seccompProfile.type` : firstField(bad, 'securityContext.seccompProfile.type')) : undefined;
}

function seccompRestricted(pod: Pod): Result {
  if (pod.windows) return undefined;
  const explicit = seccompBaseline(pod);
  if (explicit) return explicit;
  if (validSeccomp(at(pod.podSecurity, 'seccompProfile', 'type'))) return undefined;
  const implicit = pod.containers.filter((c) => !validSeccomp(at(security(c), 'seccompProfile', 'type')));
  return implicit.length ? fail('seccompProfile', `pod or ${containerList(implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`, `${pod.at}securityContext.seccompProfile.type`) : undefined;
}

function sysctls(allowed: ReadonlySet<string>) {
  return (pod: Pod): Result => {
    const bad = objects(pod.podSecurity?.sysctls).map((s) => asString(s.name) ?? '').filter((name) => !allowed.has(name));
    return bad.length ? fail('forbidden sysctls', bad.join(', '), `${pod.at}securityContext.sysctls`) : undefined;
  };
}
const SYSCTLS = new Set(['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start']);
const SYSCTLS_1_27 = new Set([...SYSCTLS, 'net.ipv4.ip_local_reserved_ports']);
const SYSCTLS_1_29 = new Set([...SYSCTLS_1_27, 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes']);
const SYSCTLS_1_32 = new Set([...SYSCTLS_1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']);
const SYSCTLS_1_37 = new Set([...SYSCTLS_1_32, 'net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat']);

function hostProbesAndHostLifecycle(pod: Pod): Result {
  const hosts = new Set<string>();
  const hostOf = (handler: unknown) =>
    (['httpGet', 'tcpSocket'] as const).map((kind) => ({ kind, host: asString(at(handler, kind, 'host')) })).filter((h): h is { kind: 'httpGet' | 'tcpSocket'; host: string } => !!h.host);
  let field: string | undefined;
  const bad = pod.containers.filter((c) => {
    const handlers = [
      ...['livenessProbe', 'readinessProbe', 'startupProbe'].map((p) => [p, c.spec[p]] as const),
      ...['postStart', 'preStop'].map((h) => [`lifecycle.${h}`, at(c.spec, 'lifecycle', h)] as const),
    ];
    const found = handlers.flatMap(([path, handler]) => hostOf(handler).map((h) => ({ h, path: `${c.path}.${path}.${h.kind}.host` })));
    found.forEach(({ h }) => hosts.add(h.host));
    field ??= found[0]?.path;
    return found.length > 0;
  });
  // As upstream: the containers and the hosts are sets, listed sorted.
  const names = [...new Set(bad.map((c) => c.name))].sort();
  return bad.length ? fail('probe or lifecycle host', `${plural(names.length, 'container', 'containers')} ${quote(names)} ${plural(names.length, 'uses', 'use')} ${plural(hosts.size, 'probe or lifecycle host', 'probe or lifecycle hosts')} ${quote([...hosts].sort())}`, field) : undefined;
}

const ALLOWED_VOLUME_SOURCES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret'];

function restrictedVolumes(pod: Pod): Result {
  const volumes = objects(pod.spec.volumes);
  // A volume naming no source (or only null ones) is defaulted to emptyDir by the API server before admission.
  const bad = volumes.filter((v) => Object.keys(v).some((k) => k !== 'name' && v[k] !== null && v[k] !== undefined) && !ALLOWED_VOLUME_SOURCES.some((source) => asObject(v[source])));
  if (!bad.length) return undefined;
  const types = [...new Set(bad.map((v) => Object.keys(v).find((k) => k !== 'name' && asObject(v[k])) ?? 'unknown'))].sort();
  return fail('restricted volume types', `${plural(bad.length, 'volume', 'volumes')} ${quote(bad.map((v) => asString(v.name) ?? ''))} ${plural(bad.length, 'uses', 'use')} restricted volume ${plural(types.length, 'type', 'types')} ${quote(types)}`, `${pod.at}volumes[${volumes.indexOf(bad[0])}]`);
}

function allowPrivilegeEscalation(pod: Pod): Result {
  if (pod.windows) return undefined;
  const bad = pod.containers.filter((c) => security(c)?.allowPrivilegeEscalation !== false);
  return bad.length ? fail('allowPrivilegeEscalation != false', `${containerList(bad)} must set securityContext.allowPrivilegeEscalation=false`, firstField(bad, 'securityContext.allowPrivilegeEscalation')) : undefined;
}

function runAsNonRoot(relaxForUserNamespace: boolean) {
  return (pod: Pod): Result => {
    if (relaxForUserNamespace && pod.userNamespace) return undefined;
    const podValue = pod.podSecurity?.runAsNonRoot;
    const explicit = pod.containers.filter((c) => security(c)?.runAsNonRoot === false);
    const setters = [...(podValue === false ? ['pod'] : []), ...(explicit.length ? [containerList(explicit)] : [])];
    if (setters.length) {
      const field = podValue === false ? `${pod.at}securityContext.runAsNonRoot` : firstField(explicit, 'securityContext.runAsNonRoot');
      return fail('runAsNonRoot != true', `${setters.join(' and ')} must not set securityContext.runAsNonRoot=false`, field);
    }
    if (podValue === true) return undefined;
    const implicit = pod.containers.filter((c) => typeof security(c)?.runAsNonRoot !== 'boolean');
    return implicit.length ? fail('runAsNonRoot != true', `pod or ${containerList(implicit)} must set securityContext.runAsNonRoot=true`, `${pod.at}securityContext.runAsNonRoot`) : undefined;
  };
}

function runAsUser(relaxForUserNamespace: boolean) {
  return (pod: Pod): Result => {
    if (relaxForUserNamespace && pod.userNamespace) return undefined;
    const podRoot = pod.podSecurity?.runAsUser === 0;
    const bad = pod.containers.filter((c) => security(c)?.runAsUser === 0);
    if (!podRoot && !bad.length) return undefined;
    const setters = [...(podRoot ? ['pod'] : []), ...(bad.length ? [containerList(bad)] : [])];
    return fail('runAsUser=0', `${setters.join(' and ')} must not set runAsUser=0`, podRoot ? `${pod.at}securityContext.runAsUser` : firstField(bad, 'securityContext.runAsUser'));
  };
}

/** Every check of both levels, as upstream's registry holds them (only versions ≥ OLDEST_MINOR). */
const CHECKS: readonly Check[] = [
  { id: 'privileged', level: 'baseline', versions: [{ since: 0, check: privileged }] },
  { id: 'hostNamespaces', level: 'baseline', versions: [{ since: 0, check: hostNamespaces }] },
  { id: 'hostPathVolumes', level: 'baseline', versions: [{ since: 0, check: hostPathVolumes }] },
  { id: 'hostPorts', level: 'baseline', versions: [{ since: 0, check: hostPorts }] },
  { id: 'windowsHostProcess', level: 'baseline', versions: [{ since: 0, check: hostProcess }] },
  { id: 'capabilities_baseline', level: 'baseline', versions: [{ since: 0, check: capabilitiesBaseline }] },
  { id: 'appArmorProfile', level: 'baseline', versions: [{ since: 0, check: appArmorProfile }] },
  { id: 'seLinuxOptions', level: 'baseline', versions: [{ since: 0, check: seLinuxOptions(SELINUX_TYPES) }, { since: 31, check: seLinuxOptions(SELINUX_TYPES_1_31) }] },
  { id: 'procMount', level: 'baseline', versions: [{ since: 0, check: procMount(false) }, { since: 35, check: procMount(true) }] },
  { id: 'seccompProfile_baseline', level: 'baseline', versions: [{ since: 19, check: seccompBaseline }] },
  {
    id: 'sysctls',
    level: 'baseline',
    versions: [
      { since: 0, check: sysctls(SYSCTLS) },
      { since: 27, check: sysctls(SYSCTLS_1_27) },
      { since: 29, check: sysctls(SYSCTLS_1_29) },
      { since: 32, check: sysctls(SYSCTLS_1_32) },
      { since: 37, check: sysctls(SYSCTLS_1_37) },
    ],
  },
  { id: 'hostProbesAndHostLifecycle', level: 'baseline', versions: [{ since: 34, check: hostProbesAndHostLifecycle }] },
  { id: 'restrictedVolumes', level: 'restricted', versions: [{ since: 0, check: restrictedVolumes, overrides: ['hostPathVolumes'] }] },
  { id: 'allowPrivilegeEscalation', level: 'restricted', versions: [{ since: 8, check: allowPrivilegeEscalation }] },
  { id: 'runAsNonRoot', level: 'restricted', versions: [{ since: 0, check: runAsNonRoot(false) }, { since: 35, check: runAsNonRoot(true) }] },
  { id: 'runAsUser', level: 'restricted', versions: [{ since: 23, check: runAsUser(false) }, { since: 35, check: runAsUser(true) }] },
  { id: 'seccompProfile_restricted', level: 'restricted', versions: [{ since: 19, check: seccompRestricted, overrides: ['seccompProfile_baseline'] }] },
  { id: 'capabilities_restricted', level: 'restricted', versions: [{ since: 22, check: capabilitiesRestricted, overrides: ['capabilities_baseline'] }] },
  { id: 'procMount_restricted', level: 'restricted', versions: [{ since: 35, check: procMount(false), overrides: ['procMount'] }] },
];

/** `v1.34`, `1.34`, `1.34.2` → { 1, 34 }; `latest` or unreadable → undefined. */
export function parseMinor(version: string | undefined): KubernetesMinor | undefined {
  const m = /^v?(\d+)\.(\d+)(\.\d+)?$/.exec(version ?? '');
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

/** The versions PSA evaluates at: newer minors than we know are judged as the newest we know. */
function clamp(version: KubernetesMinor): number {
  if (version.major !== 1) return NEWEST_MINOR.minor;
  return Math.min(Math.max(version.minor, OLDEST_MINOR.minor), NEWEST_MINOR.minor);
}

/**
 * Every control of `level` the pod fails at Kubernetes `version`. `privileged` allows everything;
 * `restricted` includes `baseline`, minus the baseline checks a restricted one overrides.
 */
export function evaluatePodSecurity(level: PodSecurityLevel, version: KubernetesMinor, pod: PodInput, prefix = ''): PodSecurityViolation[] {
  if (level === 'privileged') return [];
  const minor = clamp(version);
  const applicable = CHECKS.filter((c) => level === 'restricted' || c.level === 'baseline')
    .map((c) => ({ check: c, version: [...c.versions].reverse().find((v) => v.since <= minor) }))
    .filter((c): c is { check: Check; version: Check['versions'][number] } => c.version !== undefined);
  const overridden = new Set(applicable.flatMap((c) => c.version.overrides ?? []));
  const subject = new Pod(pod.annotations ?? {}, pod.spec, prefix);
  return applicable
    .filter((c) => !overridden.has(c.check.id))
    .flatMap(({ check, version: v }) => {
      const result = v.check(subject);
      return result ? [{ level: check.level, control: check.id, field: result.field, problem: result.problem }] : [];
    });
}
