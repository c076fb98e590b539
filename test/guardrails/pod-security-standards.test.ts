/**
 * guardrails/pod-security/standards.ts, check by check, against hand-written expectations taken from
 * kubernetes/pod-security-admission `policy/check_*.go` (ForbiddenReason, ForbiddenDetail, the allowed
 * lists and each check's MinimumVersion) and `policy/helpers.go` (joinQuote, pluralize). The module's own
 * extension, the `field` a finding points at, is the check's "Restricted Fields" path of the first
 * offender (pod first, then containers in visitContainers order), relative to the pod spec.
 *
 * Every case asserts the whole result (level, control, field, problem) so that a changed string, list
 * entry, comparison or version gate in the module fails at least one of them.
 */
import { evaluatePodSecurity, NEWEST_MINOR, OLDEST_MINOR, parseMinor, PodSecurityLevel, PodSecurityViolation } from '../../guardrails/pod-security/standards';

type Spec = Record<string, unknown>;
const at = (minor: number, major = 1) => ({ major, minor });
const run = (level: PodSecurityLevel, minor: number, spec: Spec, annotations?: Record<string, string>, prefix?: string) =>
  evaluatePodSecurity(level, at(minor), annotations ? { spec, annotations } : { spec }, prefix);
const B = (control: string, field: string | undefined, problem: string): PodSecurityViolation => ({ level: 'baseline', control, field, problem });
const R = (control: string, field: string | undefined, problem: string): PodSecurityViolation => ({ level: 'restricted', control, field, problem });

/** A container that passes every restricted check (upstream's restricted "pass" minimum). */
const SAFE = { allowPrivilegeEscalation: false, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, capabilities: { drop: ['ALL'] } };
const safe = (name: string, securityContext: Spec = {}, extra: Spec = {}) => ({ name, image: 'x', securityContext: { ...SAFE, ...securityContext }, ...extra });
/** A container with no securityContext at all (baseline-clean). */
const bare = (name: string, extra: Spec = {}) => ({ name, image: 'x', ...extra });
const withSc = (name: string, securityContext: Spec, extra: Spec = {}) => ({ name, image: 'x', securityContext, ...extra });

describe('parseMinor', () => {
  test.each([
    ['v1.34', { major: 1, minor: 34 }],
    ['1.34', { major: 1, minor: 34 }],
    ['1.34.2', { major: 1, minor: 34 }],
    ['v1.3', { major: 1, minor: 3 }],
    ['12.345.6789', { major: 12, minor: 345 }],
    ['latest', undefined],
    [undefined, undefined],
    ['', undefined],
    ['1', undefined],
    ['1.', undefined],
    ['1.34.', undefined],
    ['1.34.2.1', undefined],
    ['x1.34', undefined],
    ['1.34x', undefined],
    ['vv1.34', undefined],
    ['1.3a', undefined],
    ['a.34', undefined],
    ['1.34-rc.1', undefined],
    ['1..34', undefined],
  ])('%s', (input, expected) => {
    expect(parseMinor(input)).toEqual(expected);
  });
});

describe('module bounds', () => {
  test('the implemented minors are 1.25 to 1.37 (upstream registry: newest check version is sysctls 1.37)', () => {
    expect(OLDEST_MINOR).toEqual({ major: 1, minor: 25 });
    expect(NEWEST_MINOR).toEqual({ major: 1, minor: 37 });
  });
});

/** Sysctls upstream allows (check_sysctls.go), by the minor that added them. */
const SYSCTLS_ADDED: ReadonlyArray<readonly [string, number]> = [
  ['kernel.shm_rmid_forced', 0],
  ['net.ipv4.ip_local_port_range', 0],
  ['net.ipv4.tcp_syncookies', 0],
  ['net.ipv4.ping_group_range', 0],
  ['net.ipv4.ip_unprivileged_port_start', 0],
  ['net.ipv4.ip_local_reserved_ports', 27],
  ['net.ipv4.tcp_keepalive_time', 29],
  ['net.ipv4.tcp_fin_timeout', 29],
  ['net.ipv4.tcp_keepalive_intvl', 29],
  ['net.ipv4.tcp_keepalive_probes', 29],
  ['net.ipv4.tcp_rmem', 32],
  ['net.ipv4.tcp_wmem', 32],
  ['net.ipv4.tcp_slow_start_after_idle', 37],
  ['net.ipv4.tcp_notsent_lowat', 37],
];
const sysctlPod = (...names: string[]) => ({ securityContext: { sysctls: names.map((name) => ({ name, value: '1' })) }, containers: [bare('a')] });
const forbiddenSysctls = (detail: string) => [B('sysctls', 'securityContext.sysctls', `forbidden sysctls (${detail})`)];

describe('sysctls (check_sysctls.go)', () => {
  const cases = SYSCTLS_ADDED.flatMap(([name, since]) => [
    ...(since > 25 ? [[`${name} is forbidden at 1.${since - 1}`, name, since - 1, forbiddenSysctls(name)] as const] : []),
    [`${name} is allowed at 1.${Math.max(since, 25)}`, name, Math.max(since, 25), []] as const,
    [`${name} is allowed at 1.37`, name, 37, []] as const,
  ]);
  test.each(cases)('%s', (_title, name, minor, expected) => {
    expect(run('baseline', minor, sysctlPod(name))).toEqual(expected);
  });

  test.each([25, 31, 37])('an unsafe sysctl is forbidden at 1.%i', (minor) => {
    expect(run('baseline', minor, sysctlPod('kernel.msgmax'))).toEqual(forbiddenSysctls('kernel.msgmax'));
  });

  test('forbidden sysctls are listed in the pod order, not sorted, allowed ones left out', () => {
    expect(run('baseline', 37, sysctlPod('vm.swappiness', 'kernel.shm_rmid_forced', 'kernel.msgmax'))).toEqual(forbiddenSysctls('vm.swappiness, kernel.msgmax'));
  });

  test('a sysctl without a name is the empty name, which is not allowed', () => {
    expect(run('baseline', 37, { securityContext: { sysctls: [{ value: '1' }] }, containers: [bare('a')] })).toEqual(forbiddenSysctls(''));
  });

  test('no pod securityContext, or no sysctls, is allowed', () => {
    expect(run('baseline', 37, { containers: [bare('a')] })).toEqual([]);
    expect(run('baseline', 37, { securityContext: {}, containers: [bare('a')] })).toEqual([]);
    expect(run('baseline', 37, { securityContext: { sysctls: [] }, containers: [bare('a')] })).toEqual([]);
  });

  test('the field is prefixed when the spec sits under a prefix', () => {
    expect(run('baseline', 37, sysctlPod('kernel.msgmax'), undefined, 'spec')).toEqual([B('sysctls', 'spec.securityContext.sysctls', 'forbidden sysctls (kernel.msgmax)')]);
  });
});

describe('version clamping', () => {
  test.each([
    ['1.24 is judged as 1.25 (tcp_keepalive_time from 1.29 forbidden)', at(24), 'net.ipv4.tcp_keepalive_time', forbiddenSysctls('net.ipv4.tcp_keepalive_time')],
    ['1.0 is judged as 1.25', at(0), 'net.ipv4.ip_local_reserved_ports', forbiddenSysctls('net.ipv4.ip_local_reserved_ports')],
    ['1.38 is judged as 1.37 (tcp_notsent_lowat allowed)', at(38), 'net.ipv4.tcp_notsent_lowat', []],
    ['1.99 is judged as 1.37', at(99), 'net.ipv4.tcp_slow_start_after_idle', []],
    ['2.0 is judged as the newest', at(0, 2), 'net.ipv4.tcp_notsent_lowat', []],
    ['0.40 is judged as the newest', at(40, 0), 'net.ipv4.tcp_rmem', []],
    ['1.36 stays 1.36', at(36), 'net.ipv4.tcp_notsent_lowat', forbiddenSysctls('net.ipv4.tcp_notsent_lowat')],
  ])('%s', (_title, version, sysctl, expected) => {
    expect(evaluatePodSecurity('baseline', version, { spec: sysctlPod(sysctl) })).toEqual(expected);
  });
});

describe('levels', () => {
  /** Fails baseline (privileged) and restricted (no securityContext: runAsNonRoot, seccomp, capabilities, escalation). */
  const spec = { containers: [withSc('a', { privileged: true })] };
  test('privileged allows everything', () => {
    expect(run('privileged', 37, spec)).toEqual([]);
  });
  test('baseline reports only baseline checks', () => {
    expect(run('baseline', 37, spec)).toEqual([B('privileged', 'containers[0].securityContext.privileged', 'privileged (container "a" must not set securityContext.privileged=true)')]);
  });
  test('restricted reports baseline and restricted checks, in the registry order', () => {
    expect(run('restricted', 37, spec)).toEqual([
      B('privileged', 'containers[0].securityContext.privileged', 'privileged (container "a" must not set securityContext.privileged=true)'),
      R('allowPrivilegeEscalation', 'containers[0].securityContext.allowPrivilegeEscalation', 'allowPrivilegeEscalation != false (container "a" must set securityContext.allowPrivilegeEscalation=false)'),
      R('runAsNonRoot', 'securityContext.runAsNonRoot', 'runAsNonRoot != true (pod or container "a" must set securityContext.runAsNonRoot=true)'),
      R('seccompProfile_restricted', 'securityContext.seccompProfile.type', 'seccompProfile (pod or container "a" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")'),
      R('capabilities_restricted', 'containers[0].securityContext.capabilities', 'unrestricted capabilities (container "a" must set securityContext.capabilities.drop=["ALL"])'),
    ]);
  });
  test('a pod meeting restricted passes every level at every minor', () => {
    const good = { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, containers: [withSc('a', { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } })] };
    for (let minor = 25; minor <= 37; minor++) {
      expect(run('restricted', minor, good)).toEqual([]);
      expect(run('baseline', minor, good)).toEqual([]);
    }
  });
});

describe('privileged (check_privileged.go)', () => {
  test.each([
    ['privileged: true', { containers: [bare('a'), withSc('b', { privileged: true })] }, [B('privileged', 'containers[1].securityContext.privileged', 'privileged (container "b" must not set securityContext.privileged=true)')]],
    [
      'several containers, init first',
      { initContainers: [withSc('i', { privileged: true })], containers: [withSc('a', { privileged: true })], ephemeralContainers: [withSc('e', { privileged: true })] },
      [B('privileged', 'initContainers[0].securityContext.privileged', 'privileged (containers "i", "a", "e" must not set securityContext.privileged=true)')],
    ],
    ['ephemeral containers are visited', { containers: [bare('a')], ephemeralContainers: [bare('x'), withSc('e', { privileged: true })] }, [B('privileged', 'ephemeralContainers[1].securityContext.privileged', 'privileged (container "e" must not set securityContext.privileged=true)')]],
    ['privileged: false', { containers: [withSc('a', { privileged: false })] }, []],
    ['no securityContext', { containers: [bare('a')] }, []],
  ])('%s', (_title, spec, expected) => {
    expect(run('baseline', 37, spec)).toEqual(expected);
  });

  test('paths are prefixed, and an unnamed container is named by its index (local convention)', () => {
    expect(run('baseline', 37, { containers: [bare('a'), { image: 'x', securityContext: { privileged: true } }] }, undefined, 'spec')).toEqual([
      B('privileged', 'spec.containers[1].securityContext.privileged', 'privileged (container "#1" must not set securityContext.privileged=true)'),
    ]);
  });
});

describe('hostNamespaces (check_hostNamespaces.go)', () => {
  test.each([
    ['hostNetwork', { hostNetwork: true }, 'hostNetwork', 'hostNetwork=true'],
    ['hostPID', { hostPID: true }, 'hostPID', 'hostPID=true'],
    ['hostIPC', { hostIPC: true }, 'hostIPC', 'hostIPC=true'],
    ['all three, in upstream order', { hostIPC: true, hostPID: true, hostNetwork: true }, 'hostNetwork', 'hostNetwork=true, hostPID=true, hostIPC=true'],
    ['PID and IPC', { hostIPC: true, hostPID: true, hostNetwork: false }, 'hostPID', 'hostPID=true, hostIPC=true'],
  ])('%s', (_title, host, field, detail) => {
    expect(run('baseline', 25, { ...host, containers: [bare('a')] })).toEqual([B('hostNamespaces', field, `host namespaces (${detail})`)]);
  });
  test('false is allowed; the field is prefixed', () => {
    expect(run('baseline', 37, { hostNetwork: false, hostPID: false, hostIPC: false, containers: [bare('a')] })).toEqual([]);
    expect(run('baseline', 37, { hostIPC: true, containers: [bare('a')] }, undefined, 'spec')).toEqual([B('hostNamespaces', 'spec.hostIPC', 'host namespaces (hostIPC=true)')]);
  });
});

describe('hostPathVolumes (check_hostPathVolumes.go)', () => {
  test.each([
    ['one', [{ name: 'ok', emptyDir: {} }, { name: 'h', hostPath: { path: '/' } }], 'volumes[1].hostPath', 'hostPath volumes (volume "h")'],
    ['two', [{ name: 'h1', hostPath: { path: '/' } }, { name: 'c', configMap: { name: 'x' } }, { name: 'h2', hostPath: { path: '/var' } }], 'volumes[0].hostPath', 'hostPath volumes (volumes "h1", "h2")'],
    ['unnamed', [{ hostPath: { path: '/' } }], 'volumes[0].hostPath', 'hostPath volumes (volume "")'],
  ])('%s', (_title, volumes, field, problem) => {
    expect(run('baseline', 37, { volumes, containers: [bare('a')] })).toEqual([B('hostPathVolumes', field, problem)]);
  });
  test('hostPath: null is no hostPath; the field is prefixed', () => {
    expect(run('baseline', 37, { volumes: [{ name: 'n', hostPath: null, emptyDir: {} }], containers: [bare('a')] })).toEqual([]);
    expect(run('baseline', 37, { volumes: [{ name: 'h', hostPath: {} }], containers: [bare('a')] }, undefined, 'spec')).toEqual([B('hostPathVolumes', 'spec.volumes[0].hostPath', 'hostPath volumes (volume "h")')]);
  });
});

describe('hostPorts (check_hostPorts.go)', () => {
  const ports = (...p: Spec[]) => ({ ports: p });
  test.each([
    ['one container, one port', [bare('a', ports({ containerPort: 80 })), bare('b', ports({ containerPort: 80, hostPort: 8080 }))], 'containers[1].ports', 'container "b" uses hostPort 8080'],
    ['ports are sorted as strings, deduplicated', [bare('a', ports({ hostPort: 9000 }, { hostPort: 10000 })), bare('b', ports({ hostPort: 9000 }))], 'containers[0].ports', 'containers "a", "b" use hostPorts 10000, 9000'],
    ['one container, two ports', [bare('a', ports({ hostPort: 81 }, { hostPort: 80 }))], 'containers[0].ports', 'container "a" uses hostPorts 80, 81'],
    ['two containers, one port', [bare('a', ports({ hostPort: 80 })), bare('b', ports({ hostPort: 80 }))], 'containers[0].ports', 'containers "a", "b" use hostPort 80'],
  ])('%s', (_title, containers, field, detail) => {
    expect(run('baseline', 37, { containers })).toEqual([B('hostPorts', field, `hostPort (${detail})`)]);
  });
  test('hostPort 0 or unset is allowed', () => {
    expect(run('baseline', 37, { containers: [bare('a', ports({ containerPort: 80, hostPort: 0 }, { containerPort: 81 }))] })).toEqual([]);
  });
});

describe('windowsHostProcess (check_windowsHostProcess.go)', () => {
  const hp = (hostProcess: boolean) => ({ windowsOptions: { hostProcess } });
  test.each([
    ['pod', { securityContext: hp(true), containers: [bare('a')] }, 'securityContext.windowsOptions.hostProcess', 'pod'],
    ['container', { containers: [bare('a'), withSc('b', hp(true))] }, 'containers[1].securityContext.windowsOptions.hostProcess', 'container "b"'],
    ['pod and containers', { securityContext: hp(true), containers: [withSc('a', hp(true)), withSc('b', hp(true))] }, 'securityContext.windowsOptions.hostProcess', 'pod and containers "a", "b"'],
  ])('%s', (_title, spec, field, setters) => {
    expect(run('baseline', 37, spec)).toEqual([B('windowsHostProcess', field, `hostProcess (${setters} must not set securityContext.windowsOptions.hostProcess=true)`)]);
  });
  test('false is allowed; the pod field is prefixed', () => {
    expect(run('baseline', 37, { securityContext: hp(false), containers: [withSc('a', hp(false))] })).toEqual([]);
    expect(run('baseline', 37, { securityContext: hp(true), containers: [bare('a')] }, undefined, 'spec')).toEqual([
      B('windowsHostProcess', 'spec.securityContext.windowsOptions.hostProcess', 'hostProcess (pod must not set securityContext.windowsOptions.hostProcess=true)'),
    ]);
  });
});

/** check_capabilities_baseline.go capabilities_allowed_1_0. */
const BASELINE_CAPS = ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'];
const addCaps = (name: string, ...add: string[]) => withSc(name, { capabilities: { add } });

describe('capabilities_baseline (check_capabilities_baseline.go)', () => {
  test.each(BASELINE_CAPS)('%s may be added', (cap) => {
    expect(run('baseline', 37, { containers: [addCaps('a', cap)] })).toEqual([]);
  });
  test.each([
    ['NET_RAW', [addCaps('a', 'NET_RAW')], 'containers[0].securityContext.capabilities.add', 'container "a" must not include "NET_RAW"'],
    ['ALL', [addCaps('a', 'CHOWN', 'ALL')], 'containers[0].securityContext.capabilities.add', 'container "a" must not include "ALL"'],
    [
      'sorted and deduplicated across containers',
      [bare('x'), addCaps('a', 'SYS_ADMIN', 'KILL', 'NET_RAW'), addCaps('b', 'SYS_ADMIN')],
      'containers[1].securityContext.capabilities.add',
      'containers "a", "b" must not include "NET_RAW", "SYS_ADMIN"',
    ],
  ])('%s', (_title, containers, field, detail) => {
    expect(run('baseline', 37, { containers })).toEqual([B('capabilities_baseline', field, `non-default capabilities (${detail} in securityContext.capabilities.add)`)]);
  });
});

describe('capabilities_restricted (check_capabilities_restricted.go)', () => {
  const caps = (name: string, capabilities: Spec | undefined) => safe(name, { capabilities });
  const restrictedCaps = (field: string, detail: string) => [R('capabilities_restricted', field, `unrestricted capabilities (${detail})`)];
  test.each([
    ['drop ALL, add NET_BIND_SERVICE', [caps('a', { drop: ['ALL'], add: ['NET_BIND_SERVICE'] })], []],
    ['drop includes ALL among others', [caps('a', { drop: ['NET_RAW', 'ALL'] })], []],
    ['no capabilities', [caps('x', undefined), caps('a', undefined)], restrictedCaps('containers[0].securityContext.capabilities', 'containers "x", "a" must set securityContext.capabilities.drop=["ALL"]')],
    ['drop without ALL', [caps('a', { drop: ['NET_RAW'] })], restrictedCaps('containers[0].securityContext.capabilities', 'container "a" must set securityContext.capabilities.drop=["ALL"]')],
    [
      'adds a baseline capability',
      [caps('a', { drop: ['ALL'] }), caps('b', { drop: ['ALL'], add: ['NET_BIND_SERVICE', 'CHOWN', 'AUDIT_WRITE'] })],
      restrictedCaps('containers[1].securityContext.capabilities', 'container "b" must not include "AUDIT_WRITE", "CHOWN" in securityContext.capabilities.add'),
    ],
    [
      'both, missing drop first in the field',
      [caps('a', { drop: ['ALL'], add: ['SYS_ADMIN'] }), caps('b', { add: ['SYS_ADMIN'] })],
      restrictedCaps('containers[1].securityContext.capabilities', 'container "b" must set securityContext.capabilities.drop=["ALL"]; containers "a", "b" must not include "SYS_ADMIN" in securityContext.capabilities.add'),
    ],
  ])('%s', (_title, containers, expected) => {
    expect(run('restricted', 25, { containers })).toEqual(expected);
  });
  test('it overrides capabilities_baseline at restricted', () => {
    expect(run('restricted', 37, { containers: [caps('a', { drop: ['ALL'], add: ['NET_RAW'] })] })).toEqual(
      restrictedCaps('containers[0].securityContext.capabilities', 'container "a" must not include "NET_RAW" in securityContext.capabilities.add'),
    );
  });
  test('Windows pods are exempt (1.25+), but still judged by baseline', () => {
    expect(run('restricted', 25, { os: { name: 'windows' }, containers: [caps('a', undefined)] })).toEqual([]);
    expect(run('restricted', 25, { os: { name: 'linux' }, containers: [caps('a', undefined)] })).toEqual(
      restrictedCaps('containers[0].securityContext.capabilities', 'container "a" must set securityContext.capabilities.drop=["ALL"]'),
    );
  });
});

describe('appArmorProfile (check_appArmorProfile.go)', () => {
  const aa = (type: string) => ({ appArmorProfile: { type } });
  test.each(['RuntimeDefault', 'Localhost'])('type %s is allowed on the pod and containers', (type) => {
    expect(run('baseline', 37, { securityContext: aa(type), containers: [withSc('a', aa(type))] })).toEqual([]);
  });
  test.each(['', 'runtime/default', 'localhost/', 'localhost/foo'])('annotation value "%s" is allowed', (value) => {
    expect(run('baseline', 37, { containers: [bare('a')] }, { 'container.apparmor.security.beta.kubernetes.io/a': value })).toEqual([]);
  });
  test.each([
    // policy/check_appArmorProfile_test.go "unconfined pod", "unconfined container"
    ['unconfined pod', { securityContext: aa('Unconfined'), containers: [bare('a')] }, {}, 'securityContext.appArmorProfile.type', 'forbidden AppArmor profile (pod must not set AppArmor profile type to "Unconfined")'],
    ['unconfined container', { containers: [bare('a'), withSc('foo', aa('Unconfined'))] }, {}, 'containers[1].securityContext.appArmorProfile.type', 'forbidden AppArmor profile (container "foo" must not set AppArmor profile type to "Unconfined")'],
    [
      'pod and containers, same value',
      { securityContext: aa('Unconfined'), containers: [withSc('a', aa('Unconfined')), withSc('b', aa('Unconfined'))] },
      {},
      'securityContext.appArmorProfile.type',
      'forbidden AppArmor profile (pod and containers "a", "b" must not set AppArmor profile type to "Unconfined")',
    ],
    [
      'distinct values are sorted',
      { securityContext: aa('Unconfined'), containers: [withSc('a', aa('Bogus'))] },
      {},
      'securityContext.appArmorProfile.type',
      'forbidden AppArmor profiles (pod and container "a" must not set AppArmor profile type to "Bogus", "Unconfined")',
    ],
    // policy/check_appArmorProfile_test.go "multiple containers"
    [
      'annotations',
      { containers: [bare('a')] },
      {
        'container.apparmor.security.beta.kubernetes.io/f': 'unknown',
        'container.apparmor.security.beta.kubernetes.io/': 'bogus',
        'container.apparmor.security.beta.kubernetes.io/a': '',
        'container.apparmor.security.beta.kubernetes.io/b': 'runtime/default',
        'container.apparmor.security.beta.kubernetes.io/c': 'localhost/',
        'container.apparmor.security.beta.kubernetes.io/d': 'localhost/foo',
        'container.apparmor.security.beta.kubernetes.io/e': 'unconfined',
        'seccomp.security.alpha.kubernetes.io/pod': 'unconfined',
      },
      undefined,
      'forbidden AppArmor profiles (annotations must not set AppArmor profile type to "container.apparmor.security.beta.kubernetes.io/="bogus"", "container.apparmor.security.beta.kubernetes.io/e="unconfined"", "container.apparmor.security.beta.kubernetes.io/f="unknown"")',
    ],
    [
      'one annotation after the container',
      { containers: [withSc('a', aa('Unconfined'))] },
      { 'container.apparmor.security.beta.kubernetes.io/a': 'unconfined' },
      'containers[0].securityContext.appArmorProfile.type',
      'forbidden AppArmor profiles (container "a" and annotation must not set AppArmor profile type to "Unconfined", "container.apparmor.security.beta.kubernetes.io/a="unconfined"")',
    ],
  ])('%s', (_title, spec, annotations, field, problem) => {
    expect(run('baseline', 37, spec, annotations)).toEqual([B('appArmorProfile', field, problem)]);
  });
  test.each(['localhost', 'runtime/default2', 'unconfined', 'Localhost/foo'])('annotation value "%s" is forbidden (allowed: empty, runtime/default, localhost/*)', (value) => {
    expect(run('baseline', 37, { containers: [bare('a')] }, { 'container.apparmor.security.beta.kubernetes.io/a': value })).toEqual([
      B('appArmorProfile', undefined, `forbidden AppArmor profile (annotation must not set AppArmor profile type to "container.apparmor.security.beta.kubernetes.io/a="${value}"")`),
    ]);
  });
  test('the pod field is prefixed', () => {
    expect(run('baseline', 37, { securityContext: aa('Unconfined'), containers: [bare('a')] }, undefined, 'spec')).toEqual([
      B('appArmorProfile', 'spec.securityContext.appArmorProfile.type', 'forbidden AppArmor profile (pod must not set AppArmor profile type to "Unconfined")'),
    ]);
  });
});

describe('seLinuxOptions (check_seLinuxOptions.go)', () => {
  const se = (seLinuxOptions: Spec) => ({ seLinuxOptions });
  test.each([
    ['', 25],
    ['container_t', 25],
    ['container_init_t', 25],
    ['container_kvm_t', 25],
    ['container_engine_t', 31],
    ['container_engine_t', 37],
  ])('type "%s" is allowed at 1.%i', (type, minor) => {
    expect(run('baseline', minor, { securityContext: se({ type, level: 's0:c1' }), containers: [withSc('a', se({ type }))] })).toEqual([]);
  });
  test('container_engine_t is forbidden at 1.30 (allowed from 1.31)', () => {
    expect(run('baseline', 30, { containers: [withSc('a', se({ type: 'container_engine_t' }))] })).toEqual([
      B('seLinuxOptions', 'containers[0].securityContext.seLinuxOptions.type', 'seLinuxOptions (container "a" set forbidden securityContext.seLinuxOptions: type "container_engine_t")'),
    ]);
  });
  test.each([
    // policy/check_seLinuxOptions_test.go
    [
      'invalid pod and containers',
      { securityContext: se({ type: 'foo', user: 'a', role: 'b' }), containers: [bare('d'), withSc('e', se({ type: 'bar' })), withSc('f', se({ user: 'u' })), withSc('g', se({ role: 'r' }))] },
      'securityContext.seLinuxOptions.type',
      'pod and containers "e", "f", "g" set forbidden securityContext.seLinuxOptions: types "bar", "foo"; user may not be set; role may not be set',
    ],
    ['invalid pod', { securityContext: se({ type: 'foo', user: 'a', role: 'b' }), containers: [bare('a')] }, 'securityContext.seLinuxOptions.type', 'pod set forbidden securityContext.seLinuxOptions: type "foo"; user may not be set; role may not be set'],
    [
      'invalid containers',
      { containers: [withSc('d', se({})), withSc('e', se({ user: 'u', type: 'bar' })), withSc('f', se({ role: 'r' })), withSc('g', se({ type: 'bar' }))] },
      'containers[1].securityContext.seLinuxOptions.type',
      'containers "e", "f", "g" set forbidden securityContext.seLinuxOptions: type "bar"; user may not be set; role may not be set',
    ],
    ['bad type', { securityContext: se({ type: 'bad' }), containers: [bare('a')] }, 'securityContext.seLinuxOptions.type', 'pod set forbidden securityContext.seLinuxOptions: type "bad"'],
    ['bad user', { securityContext: se({ user: 'bad' }), containers: [bare('a')] }, 'securityContext.seLinuxOptions.user', 'pod set forbidden securityContext.seLinuxOptions: user may not be set'],
    ['bad role', { securityContext: se({ role: 'bad' }), containers: [bare('a')] }, 'securityContext.seLinuxOptions.role', 'pod set forbidden securityContext.seLinuxOptions: role may not be set'],
    ['container user and role', { containers: [withSc('a', se({ role: 'r', user: 'u' }))] }, 'containers[0].securityContext.seLinuxOptions.user', 'container "a" set forbidden securityContext.seLinuxOptions: user may not be set; role may not be set'],
    ['container role', { containers: [withSc('a', se({ role: 'r', user: '' }))] }, 'containers[0].securityContext.seLinuxOptions.role', 'container "a" set forbidden securityContext.seLinuxOptions: role may not be set'],
  ])('%s', (_title, spec, field, detail) => {
    expect(run('baseline', 37, spec)).toEqual([B('seLinuxOptions', field, `seLinuxOptions (${detail})`)]);
  });
  test('the pod field is prefixed', () => {
    expect(run('baseline', 37, { securityContext: se({ user: 'x' }), containers: [bare('a')] }, undefined, 'spec')).toEqual([
      B('seLinuxOptions', 'spec.securityContext.seLinuxOptions.user', 'seLinuxOptions (pod set forbidden securityContext.seLinuxOptions: user may not be set)'),
    ]);
  });
});

describe('procMount (check_procMount_baseline.go, check_procMount_restricted.go)', () => {
  const pm = (procMount: string) => ({ procMount });
  const unmasked = { containers: [bare('x'), withSc('a', pm('Unmasked')), withSc('b', pm('Default')), withSc('c', pm('Unmasked'))] };
  const detail = 'procMount (containers "a", "c" must not set securityContext.procMount to "Unmasked")';
  const field = 'containers[1].securityContext.procMount';
  test.each([
    ['baseline 1.34, user namespace: not relaxed yet', 'baseline', 34, false, [B('procMount', field, detail)]],
    ['baseline 1.35, user namespace: relaxed', 'baseline', 35, false, []],
    ['baseline 1.35, hostUsers: true', 'baseline', 35, true, [B('procMount', field, detail)]],
    ['baseline 1.35, hostUsers unset', 'baseline', 35, undefined, [B('procMount', field, detail)]],
    ['restricted 1.34: the baseline check', 'restricted', 34, false, [B('procMount', field, detail)]],
    ['restricted 1.35, user namespace: procMount_restricted overrides', 'restricted', 35, false, [R('procMount_restricted', field, detail)]],
    ['restricted 1.37, host users', 'restricted', 37, undefined, [R('procMount_restricted', field, detail)]],
  ] as const)('%s', (_title, level, minor, hostUsers, expected) => {
    const spec = { ...unmasked, hostUsers, securityContext: { runAsNonRoot: true, seccompProfile: { type: 'Localhost' } }, containers: unmasked.containers.map((c) => ({ ...c, securityContext: { ...SAFE, ...(c as { securityContext?: Spec }).securityContext } })) };
    expect(run(level, minor, spec)).toEqual(expected);
  });
  test('distinct values are sorted', () => {
    expect(run('baseline', 37, { containers: [withSc('a', pm('Unmasked')), withSc('b', pm('Other'))] })).toEqual([
      B('procMount', 'containers[0].securityContext.procMount', 'procMount (containers "a", "b" must not set securityContext.procMount to "Other", "Unmasked")'),
    ]);
  });
});

describe('seccompProfile_baseline (check_seccompProfile_baseline.go)', () => {
  const sp = (type: string) => ({ seccompProfile: { type } });
  test.each(['RuntimeDefault', 'Localhost'])('%s is allowed', (type) => {
    expect(run('baseline', 37, { securityContext: sp(type), containers: [withSc('a', sp(type))] })).toEqual([]);
  });
  test.each([
    ['pod', { securityContext: sp('Unconfined'), containers: [bare('a')] }, 'securityContext.seccompProfile.type', 'pod must not set securityContext.seccompProfile.type to "Unconfined"'],
    ['container', { containers: [bare('x'), withSc('a', sp('Unconfined'))] }, 'containers[1].securityContext.seccompProfile.type', 'container "a" must not set securityContext.seccompProfile.type to "Unconfined"'],
    [
      'pod and containers, values sorted and deduplicated',
      { securityContext: sp('Unconfined'), containers: [withSc('a', sp('Unconfined')), withSc('b', sp('Bogus')), withSc('c', sp('Localhost'))] },
      'securityContext.seccompProfile.type',
      'pod and containers "a", "b" must not set securityContext.seccompProfile.type to "Bogus", "Unconfined"',
    ],
  ])('%s', (_title, spec, field, detail) => {
    expect(run('baseline', 37, spec)).toEqual([B('seccompProfile_baseline', field, `seccompProfile (${detail})`)]);
  });
  test('no profile is allowed at baseline', () => {
    expect(run('baseline', 25, { containers: [bare('a')] })).toEqual([]);
  });
});

describe('seccompProfile_restricted (check_seccompProfile_restricted.go)', () => {
  const sp = (type: string) => ({ seccompProfile: { type } });
  const podSc = (sc: Spec) => ({ runAsNonRoot: true, ...sc });
  const noSeccomp = (name: string) => withSc(name, { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
  test.each([
    ['pod RuntimeDefault covers containers', { securityContext: podSc(sp('RuntimeDefault')), containers: [noSeccomp('a')] }, []],
    ['pod Localhost covers containers', { securityContext: podSc(sp('Localhost')), containers: [noSeccomp('a')] }, []],
    ['every container sets it', { securityContext: podSc({}), containers: [noSeccomp('a'), safe('b')].map((c, i) => ({ ...c, securityContext: { ...c.securityContext, ...sp(i ? 'Localhost' : 'RuntimeDefault') } })) }, []],
    [
      'implicit: containers without a profile',
      { securityContext: podSc({}), containers: [noSeccomp('a'), safe('b'), noSeccomp('c')] },
      [R('seccompProfile_restricted', 'securityContext.seccompProfile.type', 'seccompProfile (pod or containers "a", "c" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")')],
    ],
    [
      'explicit before implicit',
      { securityContext: podSc({}), containers: [noSeccomp('a'), safe('b', sp('Unconfined'))] },
      [R('seccompProfile_restricted', 'containers[1].securityContext.seccompProfile.type', 'seccompProfile (container "b" must not set securityContext.seccompProfile.type to "Unconfined")')],
    ],
    [
      'an unconfined pod with good containers',
      { securityContext: podSc(sp('Unconfined')), containers: [safe('a')] },
      [R('seccompProfile_restricted', 'securityContext.seccompProfile.type', 'seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")')],
    ],
    ['Windows pods are exempt', { os: { name: 'windows' }, securityContext: podSc(sp('Unconfined')), containers: [noSeccomp('a')] }, []],
  ])('%s', (_title, spec, expected) => {
    expect(run('restricted', 37, spec)).toEqual(expected);
  });
  test('the implicit field is prefixed', () => {
    expect(run('restricted', 37, { securityContext: podSc({}), containers: [noSeccomp('a')] }, undefined, 'spec')).toEqual([
      R('seccompProfile_restricted', 'spec.securityContext.seccompProfile.type', 'seccompProfile (pod or container "a" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")'),
    ]);
  });
});

describe('hostProbesAndHostLifecycle (check_hostProbesAndhostLifecycle.go)', () => {
  const probe = (kind: 'httpGet' | 'tcpSocket', host: string) => ({ [kind]: { host, port: 80 } });
  const ctr = (name: string, extra: Spec) => bare(name, extra);
  test.each([
    ['livenessProbe.httpGet', { livenessProbe: probe('httpGet', 'invalid.host') }, 'livenessProbe.httpGet.host'],
    ['livenessProbe.tcpSocket', { livenessProbe: probe('tcpSocket', 'invalid.host') }, 'livenessProbe.tcpSocket.host'],
    ['readinessProbe.httpGet', { readinessProbe: probe('httpGet', 'invalid.host') }, 'readinessProbe.httpGet.host'],
    ['readinessProbe.tcpSocket', { readinessProbe: probe('tcpSocket', 'invalid.host') }, 'readinessProbe.tcpSocket.host'],
    ['startupProbe.httpGet', { startupProbe: probe('httpGet', 'invalid.host') }, 'startupProbe.httpGet.host'],
    ['startupProbe.tcpSocket', { startupProbe: probe('tcpSocket', 'invalid.host') }, 'startupProbe.tcpSocket.host'],
    ['lifecycle.postStart.httpGet', { lifecycle: { postStart: probe('httpGet', 'invalid.host') } }, 'lifecycle.postStart.httpGet.host'],
    ['lifecycle.postStart.tcpSocket', { lifecycle: { postStart: probe('tcpSocket', 'invalid.host') } }, 'lifecycle.postStart.tcpSocket.host'],
    ['lifecycle.preStop.httpGet', { lifecycle: { preStop: probe('httpGet', 'invalid.host') } }, 'lifecycle.preStop.httpGet.host'],
    ['lifecycle.preStop.tcpSocket', { lifecycle: { preStop: probe('tcpSocket', 'invalid.host') } }, 'lifecycle.preStop.tcpSocket.host'],
  ])('%s host is forbidden from 1.34, not at 1.33', (_title, extra, field) => {
    const spec = { containers: [ctr('ok', { livenessProbe: probe('httpGet', '') }), ctr('a', extra)] };
    expect(run('baseline', 33, spec)).toEqual([]);
    expect(run('baseline', 34, spec)).toEqual([B('hostProbesAndHostLifecycle', `containers[1].${field}`, 'probe or lifecycle host (container "a" uses probe or lifecycle host "invalid.host")')]);
  });
  test.each([
    [
      // policy/check_hostProbesAndhostLifecycle_test.go "invalid pod with local host IP as probe host"
      'several hosts in one container, sorted',
      { containers: [ctr('a', { livenessProbe: probe('httpGet', 'localhost'), readinessProbe: probe('tcpSocket', '127.0.0.1'), startupProbe: probe('httpGet', '::1') })] },
      'containers[0].livenessProbe.httpGet.host',
      'container "a" uses probe or lifecycle hosts "127.0.0.1", "::1", "localhost"',
    ],
    [
      // "multiple containers with multiple invalid hosts"; names and hosts are sets, listed sorted
      'several containers, names sorted',
      { initContainers: [ctr('invalid2', { lifecycle: { preStop: probe('httpGet', 'b.com') } })], containers: [ctr('invalid1', { readinessProbe: probe('tcpSocket', 'a.com') })] },
      'initContainers[0].lifecycle.preStop.httpGet.host',
      'containers "invalid1", "invalid2" use probe or lifecycle hosts "a.com", "b.com"',
    ],
    [
      'two containers, one host',
      { containers: [ctr('b', { livenessProbe: probe('tcpSocket', 'a.com') }), ctr('a', { lifecycle: { postStart: probe('tcpSocket', 'a.com') } })] },
      'containers[0].livenessProbe.tcpSocket.host',
      'containers "a", "b" use probe or lifecycle host "a.com"',
    ],
    ['httpGet before tcpSocket', { containers: [ctr('a', { readinessProbe: { httpGet: { host: 'h' }, tcpSocket: { host: 'h' } } })] }, 'containers[0].readinessProbe.httpGet.host', 'container "a" uses probe or lifecycle host "h"'],
  ])('%s', (_title, spec, field, detail) => {
    expect(run('baseline', 37, spec)).toEqual([B('hostProbesAndHostLifecycle', field, `probe or lifecycle host (${detail})`)]);
  });
  test('empty hosts and handlers without host are allowed', () => {
    expect(run('baseline', 37, { containers: [ctr('a', { livenessProbe: { httpGet: { port: 80 }, tcpSocket: { host: '' } }, lifecycle: { preStop: { exec: { command: ['x'] } } } })] })).toEqual([]);
  });
  test('the field is prefixed', () => {
    expect(run('baseline', 34, { containers: [ctr('a', { startupProbe: probe('tcpSocket', 'h') })] }, undefined, 'spec')).toEqual([
      B('hostProbesAndHostLifecycle', 'spec.containers[0].startupProbe.tcpSocket.host', 'probe or lifecycle host (container "a" uses probe or lifecycle host "h")'),
    ]);
  });
});

/** check_restrictedVolumes.go: the allowed sources, and the restricted ones it names. */
const ALLOWED_VOLUMES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret'];
const RESTRICTED_VOLUMES = ['hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos'];

describe('restrictedVolumes (check_restrictedVolumes.go)', () => {
  const restrictedPod = (volumes: Spec[]) => ({ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, volumes, containers: [safe('a')] });
  const refused = (field: string, detail: string) => [R('restrictedVolumes', field, `restricted volume types (${detail})`)];
  test.each(ALLOWED_VOLUMES)('%s is allowed', (source) => {
    expect(run('restricted', 37, restrictedPod([{ name: 'v', [source]: {} }]))).toEqual([]);
  });
  test.each(RESTRICTED_VOLUMES)('%s is restricted', (source) => {
    expect(run('restricted', 37, restrictedPod([{ name: 'ok', secret: { secretName: 's' } }, { name: 'v', [source]: {} }]))).toEqual(refused('volumes[1]', `volume "v" uses restricted volume type "${source}"`));
  });
  test.each([
    ['a volume naming no source is defaulted to emptyDir', [{ name: 'v' }], []],
    ['a volume with only null sources is defaulted to emptyDir (SetDefaults_Volume)', [{ name: 'v', nfs: null, hostPath: null }], []],
    ['an allowed source next to a null one', [{ name: 'v', nfs: null, emptyDir: {} }], []],
    ['a source that is not an object is of unknown type', [{ name: 'v', nfs: 'x' }], refused('volumes[0]', 'volume "v" uses restricted volume type "unknown"')],
    // "uses"/"use" counts volumes, "type"/"types" counts distinct types (upstream pluralize calls)
    ['two volumes, one type', [{ name: 'a', nfs: {} }, { name: 'b', nfs: {} }], refused('volumes[0]', 'volumes "a", "b" use restricted volume type "nfs"')],
    ['two volumes, two types, sorted', [{ name: 'b', nfs: {} }, { name: 'a', hostPath: {} }], refused('volumes[0]', 'volumes "b", "a" use restricted volume types "hostPath", "nfs"')],
    ['the type is the first non-null source', [{ name: 'a', iscsi: null, nfs: {} }], refused('volumes[0]', 'volume "a" uses restricted volume type "nfs"')],
    ['unnamed', [{ emptyDir: null, rbd: {} }], refused('volumes[0]', 'volume "" uses restricted volume type "rbd"')],
  ])('%s', (_title, volumes, expected) => {
    expect(run('restricted', 37, restrictedPod(volumes))).toEqual(expected);
  });
  test('it overrides hostPathVolumes at restricted; the field is prefixed', () => {
    expect(run('restricted', 25, restrictedPod([{ name: 'h', hostPath: { path: '/' } }]), undefined, 'spec')).toEqual(refused('spec.volumes[0]', 'volume "h" uses restricted volume type "hostPath"'));
  });
});

describe('allowPrivilegeEscalation (check_allowPrivilegeEscalation.go)', () => {
  const pod = (containers: Spec[], extra: Spec = {}) => ({ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, containers, ...extra });
  test.each([
    ['false is allowed', pod([safe('a')]), []],
    ['true', pod([safe('x'), safe('a', { allowPrivilegeEscalation: true })]), [R('allowPrivilegeEscalation', 'containers[1].securityContext.allowPrivilegeEscalation', 'allowPrivilegeEscalation != false (container "a" must set securityContext.allowPrivilegeEscalation=false)')]],
    [
      'unset, two containers',
      pod([safe('a', { allowPrivilegeEscalation: undefined }), safe('b', { allowPrivilegeEscalation: undefined })]),
      [R('allowPrivilegeEscalation', 'containers[0].securityContext.allowPrivilegeEscalation', 'allowPrivilegeEscalation != false (containers "a", "b" must set securityContext.allowPrivilegeEscalation=false)')],
    ],
    ['Windows pods are exempt', pod([safe('a', { allowPrivilegeEscalation: true })], { os: { name: 'windows' } }), []],
  ])('%s', (_title, spec, expected) => {
    expect(run('restricted', 25, spec)).toEqual(expected);
  });
});

describe('runAsNonRoot (check_runAsNonRoot.go)', () => {
  const pod = (podNonRoot: boolean | undefined, containers: Spec[], extra: Spec = {}) => ({ securityContext: { runAsNonRoot: podNonRoot, seccompProfile: { type: 'RuntimeDefault' } }, containers, ...extra });
  const nonRoot = (name: string, value: boolean | undefined) => safe(name, { runAsNonRoot: value });
  const failing = (field: string, detail: string) => [R('runAsNonRoot', field, `runAsNonRoot != true (${detail})`)];
  test.each([
    ['pod true covers containers', pod(true, [nonRoot('a', undefined)]), []],
    ['containers true, pod unset', pod(undefined, [nonRoot('a', true), nonRoot('b', true)]), []],
    ['pod false', pod(false, [nonRoot('a', true)]), failing('securityContext.runAsNonRoot', 'pod must not set securityContext.runAsNonRoot=false')],
    ['pod true, container false', pod(true, [nonRoot('x', undefined), nonRoot('a', false)]), failing('containers[1].securityContext.runAsNonRoot', 'container "a" must not set securityContext.runAsNonRoot=false')],
    ['pod and containers false', pod(false, [nonRoot('a', false), nonRoot('b', false)]), failing('securityContext.runAsNonRoot', 'pod and containers "a", "b" must not set securityContext.runAsNonRoot=false')],
    ['explicit before implicit', pod(undefined, [nonRoot('a', undefined), nonRoot('b', false)]), failing('containers[1].securityContext.runAsNonRoot', 'container "b" must not set securityContext.runAsNonRoot=false')],
    ['implicit', pod(undefined, [nonRoot('a', undefined), nonRoot('b', true), nonRoot('c', undefined)]), failing('securityContext.runAsNonRoot', 'pod or containers "a", "c" must set securityContext.runAsNonRoot=true')],
    ['no securityContext at all', { containers: [{ name: 'a', image: 'x' }] }, failing('securityContext.runAsNonRoot', 'pod or container "a" must set securityContext.runAsNonRoot=true')],
  ])('%s', (_title, spec, expected) => {
    expect(run('restricted', 37, spec).filter((v) => v.control === 'runAsNonRoot')).toEqual(expected);
  });
  test.each([
    [34, false, true],
    [35, false, false],
    [35, true, true],
    [37, undefined, true],
  ])('at 1.%i with hostUsers %s, a pod with runAsNonRoot false fails: %s', (minor, hostUsers, fails) => {
    const spec = pod(false, [nonRoot('a', undefined)], { hostUsers });
    expect(run('restricted', minor, spec)).toEqual(fails ? failing('securityContext.runAsNonRoot', 'pod must not set securityContext.runAsNonRoot=false') : []);
  });
  test('the pod field is prefixed', () => {
    expect(run('restricted', 37, pod(false, [nonRoot('a', true)]), undefined, 'spec')).toEqual(failing('spec.securityContext.runAsNonRoot', 'pod must not set securityContext.runAsNonRoot=false'));
    expect(run('restricted', 37, pod(undefined, [nonRoot('a', undefined)]), undefined, 'spec')).toEqual(failing('spec.securityContext.runAsNonRoot', 'pod or container "a" must set securityContext.runAsNonRoot=true'));
  });
});

describe('runAsUser (check_runAsUser.go)', () => {
  const pod = (runAsUser: number | undefined, containers: Spec[], extra: Spec = {}) => ({ securityContext: { runAsNonRoot: true, runAsUser, seccompProfile: { type: 'RuntimeDefault' } }, containers, ...extra });
  const user = (name: string, runAsUser: number | undefined) => safe(name, { runAsUser });
  const failing = (field: string, setters: string) => [R('runAsUser', field, `runAsUser=0 (${setters} must not set runAsUser=0)`)];
  test.each([
    ['non-zero is allowed', pod(1000, [user('a', 1)]), []],
    ['pod 0', pod(0, [user('a', 1000)]), failing('securityContext.runAsUser', 'pod')],
    ['container 0', pod(undefined, [user('x', undefined), user('a', 0)]), failing('containers[1].securityContext.runAsUser', 'container "a"')],
    ['pod and containers 0', pod(0, [user('a', 0), user('b', 0)]), failing('securityContext.runAsUser', 'pod and containers "a", "b"')],
  ])('%s', (_title, spec, expected) => {
    expect(run('restricted', 25, spec)).toEqual(expected);
  });
  test.each([
    [34, false, true],
    [35, false, false],
    [35, true, true],
    [36, undefined, true],
  ])('at 1.%i with hostUsers %s, a root pod fails: %s', (minor, hostUsers, fails) => {
    expect(run('restricted', minor, pod(0, [user('a', undefined)], { hostUsers }))).toEqual(fails ? failing('securityContext.runAsUser', 'pod') : []);
  });
  test('the pod field is prefixed', () => {
    expect(run('restricted', 37, pod(0, [user('a', undefined)]), undefined, 'spec')).toEqual(failing('spec.securityContext.runAsUser', 'pod'));
  });
  test('runAsUser is restricted only', () => {
    expect(run('baseline', 37, pod(0, [user('a', 0)]))).toEqual([]);
  });
});

describe('container visiting (visitor.go: init, regular, ephemeral containers)', () => {
  test('names and paths in upstream order across the three lists', () => {
    const spec = {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      ephemeralContainers: [safe('e', { allowPrivilegeEscalation: true })],
      containers: [safe('c0'), safe('c1', { allowPrivilegeEscalation: true })],
      initContainers: [safe('i', { allowPrivilegeEscalation: true })],
    };
    expect(run('restricted', 37, spec)).toEqual([
      R('allowPrivilegeEscalation', 'initContainers[0].securityContext.allowPrivilegeEscalation', 'allowPrivilegeEscalation != false (containers "i", "c1", "e" must set securityContext.allowPrivilegeEscalation=false)'),
    ]);
  });
});
