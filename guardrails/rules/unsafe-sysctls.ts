import { asString, at, objects } from '../object';
import { checkTemplates } from '../workload';
import { Rule } from './rule';

/** kube-linter's default list: sysctls that are namespaced but not isolated, or that can starve the node. */
const UNSAFE = ['kernel.msg', 'kernel.sem', 'kernel.shm', 'fs.mqueue.', 'net.'];
/** The safe set the kubelet allows without --allowed-unsafe-sysctls (1.29). */
const SAFE = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);

export const unsafeSysctls: Rule = {
  id: 'unsafe-sysctls',
  severity: 'warning',
  description: 'A pod sets a sysctl outside the kubelet’s safe set: the kubelet refuses the pod (SysctlForbidden) unless the node allows it, and then it can affect every pod on the node.',
  remediation: 'Remove the sysctl, or use one of the safe ones.',
  equivalents: { kubeLinter: ['unsafe-sysctls'], kubeScore: [] },
  differs: "kube-linter flags every net.* sysctl; the kubelet's safe ones (net.ipv4.ip_local_port_range, tcp_syncookies, ping_group_range ...) pass here.",
  check: ({ manifests }) =>
    checkTemplates(manifests, ({ spec }) =>
      objects(at(spec, 'securityContext', 'sysctls')).flatMap((sysctl, i) => {
        const name = asString(sysctl.name) ?? '';
        if (SAFE.has(name) || !UNSAFE.some((prefix) => name.startsWith(prefix))) return [];
        return [{ field: `securityContext.sysctls[${i}].name`, problem: `sets unsafe sysctl ${name}`, fix: 'remove it or use a safe sysctl' }];
      }),
    ),
};
