import { Manifest } from '../manifest';
import { asString, at } from '../object';
import { Rule, Violation } from './rule';

/**
 * Kinds whose objects have no namespace: the same name in two namespaces is still one object. The
 * built-in kinds are those upstream discovery lists with `namespaced: false` (kubernetes/kubernetes
 * api/discovery); ClusterIssuer and GatewayClass are cluster-scoped CRDs of cert-manager and Gateway API.
 */
const CLUSTER_SCOPED = /^(Namespace|Node|PersistentVolume|ComponentStatus|StorageClass|VolumeAttributesClass|CSIDriver|CSINode|VolumeAttachment|ClusterRole|ClusterRoleBinding|CustomResourceDefinition|APIService|PriorityClass|RuntimeClass|IngressClass|IPAddress|ServiceCIDR|CertificateSigningRequest|ClusterTrustBundle|FlowSchema|PriorityLevelConfiguration|ValidatingWebhookConfiguration|MutatingWebhookConfiguration|ValidatingAdmissionPolicy|ValidatingAdmissionPolicyBinding|MutatingAdmissionPolicy|MutatingAdmissionPolicyBinding|PodSecurityPolicy|DeviceClass|ResourceSlice|StorageVersionMigration|ClusterIssuer|GatewayClass)$/;

/**
 * Kinds extensions/v1beta1 also served, by the group that serves them now: the same stored object under
 * two names ("existing persisted data can be retrieved/updated via the new version").
 */
const EXTENSIONS_SUCCESSOR: ReadonlyMap<string, string> = new Map([
  ['Deployment', 'apps'],
  ['DaemonSet', 'apps'],
  ['ReplicaSet', 'apps'],
  ['Ingress', 'networking.k8s.io'],
  ['NetworkPolicy', 'networking.k8s.io'],
  ['PodSecurityPolicy', 'policy'],
]);

function identity(m: Manifest): string {
  const group = (m.group === 'extensions' ? EXTENSIONS_SUCCESSOR.get(m.kind) : undefined) ?? m.group;
  return `${group}\n${m.kind}\n${CLUSTER_SCOPED.test(m.kind) ? '' : m.namespace}\n${m.name}`;
}

/** Two documents that are the same object: the second apply overwrites the first, so one of them never takes effect. */
export const duplicateObject: Rule = {
  id: 'duplicate-object',
  severity: 'error',
  description:
    'Two documents in one cluster (one DIR argument) are the same object (group, kind, namespace, name): applied together, the later one silently replaces the earlier.',
  remediation: 'Rename one of them, move it to another namespace, or delete the copy.',
  equivalents: { kubeLinter: [], kubeScore: [] },
  check: ({ manifests }) => {
    const first = new Map<string, Manifest>();
    return manifests.flatMap((manifest): Violation[] => {
      if (!manifest.kind || !asString(at(manifest.object, 'metadata', 'name'))) return []; // generateName: a new object each time
      const key = identity(manifest);
      const earlier = first.get(key);
      if (!earlier) {
        first.set(key, manifest);
        return [];
      }
      const where = earlier.file === manifest.file ? `earlier in ${earlier.file}` : `in ${earlier.file}`;
      return [{ manifest, field: 'metadata.name', problem: `is the same object as ${earlier.ref} ${where}${earlier.lineOf() ? `:${earlier.lineOf()}` : ''}`, fix: 'rename one of them or delete the copy' }];
    });
  },
};
