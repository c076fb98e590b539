import { NODE_AGENT_ANNOTATION, nodeAgentReason } from '../exceptions';
import { asObject, asString, at, JsonObject, objects } from '../object';
import { checkTemplates, containersOf, describeContainer } from '../workload';
import { Rule } from './rule';

export type HostPrivilegeKind =
  | 'hostNetwork'
  | 'hostPID'
  | 'hostIPC'
  | 'hostPath'
  | 'hostPort'
  | 'privileged'
  | 'hostProcess'
  | 'allowPrivilegeEscalation';

export interface HostPrivilege {
  readonly kind: HostPrivilegeKind;
  /** e.g. `hostPath volume "proc" (/proc)`, `container "agent" hostPort 9100`. */
  readonly detail: string;
}

/**
 * What a node agent (a DaemonSet annotated as one, with a reason) may use: the host's network, process
 * table, files, ports and full privileges (HostProcess on Windows). Still refused even for them: hostIPC
 * and an explicit allowPrivilegeEscalation: true — none of flannel, kube-proxy or node-exporter needs them.
 */
const NODE_AGENT_MAY_USE: ReadonlySet<HostPrivilegeKind> = new Set(['hostNetwork', 'hostPID', 'hostPath', 'hostPort', 'privileged', 'hostProcess']);

/** Every host privilege a pod spec asks for explicitly (defaults that are off are not flagged). */
export function hostPrivileges(spec: JsonObject): HostPrivilege[] {
  const found: HostPrivilege[] = [];
  for (const flag of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (spec[flag] === true) found.push({ kind: flag, detail: flag });
  }
  if (at(spec, 'securityContext', 'windowsOptions', 'hostProcess') === true) found.push({ kind: 'hostProcess', detail: 'pod hostProcess' });
  for (const volume of objects(spec.volumes)) {
    const hostPath = asObject(volume.hostPath);
    if (hostPath) found.push({ kind: 'hostPath', detail: `hostPath volume "${asString(volume.name) ?? ''}" (${asString(hostPath.path) ?? '?'})` });
  }
  for (const container of containersOf(spec)) {
    const security = asObject(container.spec.securityContext) ?? {};
    if (security.privileged === true) found.push({ kind: 'privileged', detail: `${describeContainer(container)} privileged` });
    if (security.allowPrivilegeEscalation === true) {
      found.push({ kind: 'allowPrivilegeEscalation', detail: `${describeContainer(container)} allowPrivilegeEscalation: true` });
    }
    if (at(security, 'windowsOptions', 'hostProcess') === true) found.push({ kind: 'hostProcess', detail: `${describeContainer(container)} hostProcess` });
    for (const port of objects(container.spec.ports)) {
      if (typeof port.hostPort === 'number' && port.hostPort !== 0) {
        found.push({ kind: 'hostPort', detail: `${describeContainer(container)} hostPort ${port.hostPort}` });
      }
    }
  }
  return found;
}

/** Apps stay off the host: host namespaces, host files, host ports and privilege are for node agents. */
export const hostAccess: Rule = {
  id: 'host-access',
  severity: 'error',
  description: "Apps stay off the host: host namespaces, hostPath volumes, hostPorts, privileged and privilege escalation are for node agents (DaemonSets annotated with a reason).",
  remediation: "Remove the host access; a real node agent is a DaemonSet annotated with the node-agent annotation and a reason.",
  differs: "kube-linter's docker-sock and sensitive-host-mounts flag only some host paths, and flag node agents too; here every host path, port and namespace of an app is refused, and a node agent declares its exception with a reason.",
  equivalents: { kubeLinter: ['host-network', 'host-pid', 'host-ipc', 'privileged-container', 'privilege-escalation-container', 'sensitive-host-mounts', 'docker-sock'], kubeScore: ['container-security-context-privileged'] },
  check: ({ manifests }) =>
    checkTemplates(manifests, ({ spec }, manifest) => {
      const agent = nodeAgentReason(manifest) !== undefined;
      const refused = hostPrivileges(spec)
        .filter((privilege) => !(agent && NODE_AGENT_MAY_USE.has(privilege.kind)))
        .map((privilege) => privilege.detail);
      if (refused.length === 0) return [];
      return [
        agent
          ? { problem: `uses ${refused.join(', ')}, which even node agents may not`, fix: 'remove it' }
          : { problem: `uses ${refused.join(', ')}; apps must not touch the host`, fix: `remove it (a real node agent is a DaemonSet annotated ${NODE_AGENT_ANNOTATION}: "<reason>")` },
      ];
    }),
};
