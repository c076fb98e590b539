import { Rule } from './rule';

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
      PodSecurityPolicy: { removedIn: '1.25', use: 'Pod Security Admission namespace labels (PodSecurityPolicy has no successor API)' },
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

/** The apiVersion must still be served: `kubectl apply` of a removed one fails with "no matches for kind". */
export const removedApi: Rule = {
  id: 'removed-api',
  severity: 'error',
  description: "The apiVersion must still be served by current Kubernetes: kubectl apply of a removed one fails with \"no matches for kind\".",
  remediation: "Move the object to the served apiVersion the finding names.",
  equivalents: { kubeLinter: ['no-extensions-v1beta'], kubeScore: ['stable-version'] },
  check: ({ manifests }) =>
    manifests.flatMap((manifest) => {
      const removal = REMOVED[manifest.apiVersion];
      if (!removal) return [];
      const override = removal.byKind?.[manifest.kind];
      const removedIn = override?.removedIn ?? removal.removedIn;
      const use = override?.use ?? removal.use;
      return [{ manifest, field: 'apiVersion', problem: `uses ${manifest.apiVersion}, removed in Kubernetes ${removedIn}`, fix: `use ${use}` }];
    }),
};
