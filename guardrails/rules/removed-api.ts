import { atLeast } from '../versions';
import { Rule, Violation } from './rule';

interface Removal {
  /** Kubernetes minor version that stopped serving it. */
  readonly removedIn: string;
  /** Replacement apiVersion, or advice when there is none. */
  readonly use: string;
  /** Kind-specific replacements where the kinds of one old group went to different new groups. */
  readonly byKind?: Readonly<Record<string, { removedIn?: string; use: string }>>;
}

/**
 * API versions no longer served by current Kubernetes (the project pins 1.34), from the upstream
 * deprecated-API migration guide. Books from the 1.1x era use several of them.
 */
const REMOVED: Readonly<Record<string, Removal>> = {
  'extensions/v1beta1': {
    removedIn: '1.16',
    use: 'apps/v1',
    byKind: {
      Ingress: { removedIn: '1.22', use: 'networking.k8s.io/v1' },
      NetworkPolicy: { use: 'networking.k8s.io/v1' },
      // Served until 1.16 like the workloads (the deprecated-API migration guide), not until policy/v1beta1's 1.25.
      PodSecurityPolicy: { use: 'policy/v1beta1 (itself removed in 1.25: use Pod Security Admission namespace labels)' },
    },
  },
  'apps/v1beta1': { removedIn: '1.16', use: 'apps/v1' },
  'apps/v1beta2': { removedIn: '1.16', use: 'apps/v1' },
  'batch/v1beta1': { removedIn: '1.25', use: 'batch/v1' },
  'batch/v2alpha1': { removedIn: '1.21', use: 'batch/v1' },
  'autoscaling/v2beta1': { removedIn: '1.25', use: 'autoscaling/v2' },
  'autoscaling/v2beta2': { removedIn: '1.26', use: 'autoscaling/v2' },
  'policy/v1beta1': {
    removedIn: '1.25',
    use: 'policy/v1',
    byKind: { PodSecurityPolicy: { use: 'Pod Security Admission namespace labels (PodSecurityPolicy has no successor API)' } },
  },
  'networking.k8s.io/v1beta1': { removedIn: '1.22', use: 'networking.k8s.io/v1' },
  'rbac.authorization.k8s.io/v1beta1': { removedIn: '1.22', use: 'rbac.authorization.k8s.io/v1' },
  'rbac.authorization.k8s.io/v1alpha1': { removedIn: '1.22', use: 'rbac.authorization.k8s.io/v1' },
  'admissionregistration.k8s.io/v1beta1': { removedIn: '1.22', use: 'admissionregistration.k8s.io/v1' },
  'apiextensions.k8s.io/v1beta1': { removedIn: '1.22', use: 'apiextensions.k8s.io/v1' },
  'apiregistration.k8s.io/v1beta1': { removedIn: '1.22', use: 'apiregistration.k8s.io/v1' },
  'authentication.k8s.io/v1beta1': { removedIn: '1.22', use: 'authentication.k8s.io/v1' },
  'authorization.k8s.io/v1beta1': { removedIn: '1.22', use: 'authorization.k8s.io/v1' },
  'certificates.k8s.io/v1beta1': { removedIn: '1.22', use: 'certificates.k8s.io/v1' },
  'coordination.k8s.io/v1beta1': { removedIn: '1.22', use: 'coordination.k8s.io/v1' },
  'scheduling.k8s.io/v1beta1': { removedIn: '1.22', use: 'scheduling.k8s.io/v1' },
  'scheduling.k8s.io/v1alpha1': { removedIn: '1.22', use: 'scheduling.k8s.io/v1' },
  'storage.k8s.io/v1beta1': {
    removedIn: '1.22',
    use: 'storage.k8s.io/v1',
    byKind: { CSIStorageCapacity: { removedIn: '1.27', use: 'storage.k8s.io/v1' } },
  },
  'discovery.k8s.io/v1beta1': { removedIn: '1.25', use: 'discovery.k8s.io/v1' },
  'events.k8s.io/v1beta1': { removedIn: '1.25', use: 'events.k8s.io/v1' },
  'node.k8s.io/v1beta1': { removedIn: '1.25', use: 'node.k8s.io/v1' },
  'flowcontrol.apiserver.k8s.io/v1beta1': { removedIn: '1.26', use: 'flowcontrol.apiserver.k8s.io/v1' },
  'flowcontrol.apiserver.k8s.io/v1beta2': { removedIn: '1.29', use: 'flowcontrol.apiserver.k8s.io/v1' },
  'flowcontrol.apiserver.k8s.io/v1beta3': { removedIn: '1.32', use: 'flowcontrol.apiserver.k8s.io/v1' },
};

/**
 * API versions that appeared after 1.16, the oldest version `--kubernetes-version` accepts: checking
 * against an older server, they are not served yet.
 */
const INTRODUCED: Readonly<Record<string, { since: string; use: string }>> = {
  'networking.k8s.io/v1/Ingress': { since: '1.19', use: 'networking.k8s.io/v1beta1' },
  'networking.k8s.io/v1/IngressClass': { since: '1.19', use: 'networking.k8s.io/v1beta1' },
  'batch/v1/CronJob': { since: '1.21', use: 'batch/v1beta1' },
  'policy/v1/PodDisruptionBudget': { since: '1.21', use: 'policy/v1beta1' },
  'discovery.k8s.io/v1/EndpointSlice': { since: '1.21', use: 'discovery.k8s.io/v1beta1' },
  'autoscaling/v2/HorizontalPodAutoscaler': { since: '1.23', use: 'autoscaling/v2beta2' },
  'flowcontrol.apiserver.k8s.io/v1/FlowSchema': { since: '1.29', use: 'flowcontrol.apiserver.k8s.io/v1beta3' },
  'flowcontrol.apiserver.k8s.io/v1/PriorityLevelConfiguration': { since: '1.29', use: 'flowcontrol.apiserver.k8s.io/v1beta3' },
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy': { since: '1.30', use: 'admissionregistration.k8s.io/v1beta1' },
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding': { since: '1.30', use: 'admissionregistration.k8s.io/v1beta1' },
};

/** True for API versions some Kubernetes release stopped serving (the schema rule leaves them to this one). */
export function isRemovedVersion(apiVersion: string): boolean {
  return apiVersion in REMOVED;
}

/** The apiVersion must be served by the selected Kubernetes version: `kubectl apply` fails with "no matches for kind". */
export const removedApi: Rule = {
  id: 'removed-api',
  severity: 'error',
  description:
    'The apiVersion must be served by the Kubernetes version checked against (--kubernetes-version): removed versions (extensions/v1beta1, batch/v1beta1, autoscaling/v2beta*, policy/v1beta1 ...) and versions newer than that server fail with "no matches for kind".',
  remediation: 'Use the apiVersion the message names.',
  equivalents: { kubeLinter: ['no-extensions-v1beta'], kubeScore: ['stable-version'] },
  differs: "kube-score's stable-version also flags beta versions that are still served; this rule flags what the selected server does not serve, so a served beta passes.",
  check: ({ manifests, options }) =>
    manifests.flatMap((manifest): Violation[] => {
      const version = options.kubernetesVersion;
      const introduced = INTRODUCED[`${manifest.apiVersion}/${manifest.kind}`];
      if (introduced && !atLeast(version, introduced.since)) {
        return [{ manifest, field: 'apiVersion', problem: `${manifest.apiVersion} ${manifest.kind} is served from Kubernetes ${introduced.since}, not by ${version}`, fix: `use ${introduced.use} (or check against a newer --kubernetes-version)` }];
      }
      const removal = REMOVED[manifest.apiVersion];
      if (!removal) return [];
      const override = removal.byKind?.[manifest.kind];
      const removedIn = override?.removedIn ?? removal.removedIn;
      if (!atLeast(version, removedIn)) return [];
      const use = override?.use ?? removal.use;
      return [{ manifest, field: 'apiVersion', problem: `uses ${manifest.apiVersion}, removed in Kubernetes ${removedIn}`, fix: `use ${use}` }];
    }),
};
