import { Manifest } from '../manifest';
import { asString, at, stringMap } from '../object';
import { evaluatePodSecurity, KubernetesMinor, NEWEST_MINOR, parseMinor, PodSecurityLevel, PodSecurityViolation } from '../pod-security/standards';
import { checkTemplates } from '../workload';
import { Problem, Rule } from './rule';

const LABEL = 'pod-security.kubernetes.io';
const LEVELS: readonly PodSecurityLevel[] = ['privileged', 'baseline', 'restricted'];
type Mode = 'enforce' | 'warn' | 'audit';

/** What to change for each control, in the pod. */
const FIXES: Readonly<Record<string, string>> = {
  runAsNonRoot: 'set securityContext.runAsNonRoot: true (and a numeric non-root runAsUser if the image has none)',
  runAsUser: 'run as a non-zero UID',
  allowPrivilegeEscalation: 'set securityContext.allowPrivilegeEscalation: false in every container',
  capabilities_restricted: 'drop ALL capabilities and add none but NET_BIND_SERVICE',
  capabilities_baseline: 'add no capability beyond the default set',
  seccompProfile_restricted: 'set securityContext.seccompProfile.type: RuntimeDefault',
  seccompProfile_baseline: 'do not set seccompProfile Unconfined',
  hostNamespaces: 'drop hostNetwork/hostPID/hostIPC',
  hostPathVolumes: 'use an emptyDir, configMap, secret or PVC instead of hostPath',
  restrictedVolumes: 'use only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected or secret volumes',
  hostPorts: 'drop hostPort and reach the pod through a Service',
  privileged: 'drop privileged: true',
  windowsHostProcess: 'drop windowsOptions.hostProcess',
};

/** A namespace's Pod Security labels: the level and version of each mode. */
interface NamespacePolicy {
  readonly name: string;
  readonly modes: ReadonlyArray<{ readonly mode: Mode; readonly level: PodSecurityLevel; readonly version: KubernetesMinor }>;
}

function policyOf(namespace: Manifest | undefined, clusterVersion: KubernetesMinor): NamespacePolicy | undefined {
  if (!namespace) return undefined;
  const labels = stringMap(at(namespace.object, 'metadata', 'labels'));
  const modes = (['enforce', 'warn', 'audit'] as const).flatMap((mode) => {
    const level = labels[`${LABEL}/${mode}`] as PodSecurityLevel | undefined;
    if (!level || !LEVELS.includes(level)) return [];
    // `latest` (or no version label) is the cluster's own version.
    return [{ mode, level, version: parseMinor(labels[`${LABEL}/${mode}-version`]) ?? clusterVersion }];
  });
  return { name: namespace.name, modes };
}

const describe = (v: PodSecurityViolation) => `${v.level}: ${v.control}`;
const versionOf = (v: KubernetesMinor) => `v${v.major}.${v.minor}`;

/**
 * Pod Security Admission, simulated: every pod template is judged against its namespace's
 * `pod-security.kubernetes.io/enforce` level (an error: the API server rejects the pods, so the
 * workload never runs) and its `warn`/`audit` levels (warnings, as `kubectl apply` prints them), at
 * the cluster's Kubernetes version unless the namespace pins `<mode>-version`.
 */
export const podSecurity: Rule = {
  id: 'pod-security',
  severity: 'error',
  description:
    "A pod template must meet the Pod Security Standards level its namespace enforces (pod-security.kubernetes.io/enforce), or the API server rejects its pods; warn/audit levels are reported as warnings.",
  remediation: 'Make the pod meet the level (the finding names the control), or relax the namespace level with a reason when the image truly needs it.',
  equivalents: {
    kubeLinter: ['run-as-non-root', 'privilege-escalation-container', 'privileged-container', 'host-network', 'host-pid', 'host-ipc', 'unsafe-sysctls', 'docker-sock'],
    kubeScore: ['container-security-context-user-group-id', 'container-security-context-privileged', 'container-seccomp-profile'],
  },
  differs: 'Judged per namespace level and Kubernetes version as PSA does (not one fixed profile); a namespace absent from the input is not judged (PSA defaults to privileged).',
  check: ({ manifests, options }) => {
    const clusterVersion = parseMinor(options.kubernetesVersion) ?? NEWEST_MINOR;
    const namespaces = new Map(manifests.filter((m) => m.kind === 'Namespace' && m.group === '').map((m) => [m.name, m]));
    const policies = new Map<string, NamespacePolicy | undefined>();
    const policy = (name: string) => {
      if (!policies.has(name)) policies.set(name, policyOf(namespaces.get(name), clusterVersion));
      return policies.get(name);
    };
    return checkTemplates(manifests, (template, manifest) => {
      const ns = policy(manifest.namespace);
      if (!ns) return [];
      // The pod's metadata sits beside its spec: the template's, or the Pod's own (path 'spec': metadataPath is []).
      const metadataPath = template.path.split('.').slice(0, -1);
      const pod = { annotations: stringMap(at(manifest.object, ...metadataPath, 'metadata', 'annotations')), spec: template.spec };
      const problems: Problem[] = [];
      const reported = new Set<string>();
      const enforce = ns.modes.find((m) => m.mode === 'enforce');
      for (const mode of [enforce, ...ns.modes.filter((m) => m.mode !== 'enforce')]) {
        if (!mode) continue;
        const also = ns.modes.filter((m) => m.mode !== 'enforce' && m.mode !== mode.mode && m.level === mode.level).map((m) => m.mode);
        for (const v of evaluatePodSecurity(mode.level, mode.version, pod)) {
          if (reported.has(v.control)) continue;
          reported.add(v.control);
          const enforced = mode.mode === 'enforce';
          const modes = [mode.mode, ...(enforced ? [] : also)].join('/');
          problems.push({
            field: v.field,
            severity: enforced ? 'error' : 'warning',
            problem: `${describe(v)}: ${v.problem}; namespace ${ns.name} ${enforced ? 'enforces' : `${modes} at`} ${mode.level} (${versionOf(mode.version)})${enforced ? ', so the API server rejects these pods' : ''}`,
            fix: `${FIXES[v.control] ?? 'make the pod meet the control'}, or set the namespace's ${LABEL}/${mode.mode} level to what the image needs and say why`,
          });
        }
      }
      return problems;
    });
  },
};

/** The namespaces' enforce level as read by the rule, for tests and `--explain`. */
export function enforcedLevel(namespace: Manifest): PodSecurityLevel | undefined {
  const level = asString(at(namespace.object, 'metadata', 'labels', `${LABEL}/enforce`));
  return LEVELS.find((l) => l === level);
}
