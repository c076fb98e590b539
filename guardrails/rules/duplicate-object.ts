import { Manifest } from '../manifest';
import { asString, at } from '../object';
import { Rule, Violation } from './rule';

/** Kinds whose objects have no namespace: the same name in two namespaces is still one object. */
const CLUSTER_SCOPED = /^(Namespace|Node|PersistentVolume|StorageClass|ClusterRole|ClusterRoleBinding|CustomResourceDefinition|PriorityClass|RuntimeClass|IngressClass|APIService|ValidatingWebhookConfiguration|MutatingWebhookConfiguration|ValidatingAdmissionPolicy|ValidatingAdmissionPolicyBinding|CSIDriver|CSINode|VolumeAttachment|ClusterIssuer|GatewayClass)$/;

function identity(m: Manifest): string {
  const group = m.group === 'extensions' && /^(Deployment|DaemonSet|ReplicaSet)$/.test(m.kind) ? 'apps' : m.group;
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
