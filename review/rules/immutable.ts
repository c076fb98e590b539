/**
 * Fields the API server refuses to update: `kubectl apply` fails and the object must be deleted
 * and recreated (with the downtime or data handling that implies).
 */
import { formatPath, isUnder } from '../fieldDiff';
import { kubectlDelete } from '../identity';
import type { FieldChange, KubeObject, Risk } from '../model';
import type { ObjectChange } from './context';

interface ImmutableRule {
  readonly paths: readonly (readonly string[])[];
  /** Sub-paths that stay mutable (a PVC may grow its storage request). */
  readonly except?: readonly (readonly string[])[];
  /** Only when the old object says so (Secrets and ConfigMaps marked `immutable: true`). */
  readonly when?: (old: KubeObject) => boolean;
}

const workloadSelector: ImmutableRule = { paths: [['spec', 'selector']] };
const markedImmutable: ImmutableRule = {
  paths: [['data'], ['binaryData'], ['stringData'], ['immutable']],
  when: (old) => old.immutable === true,
};

/** Keyed by `group|kind`. */
const RULES: Readonly<Record<string, ImmutableRule>> = {
  'apps|Deployment': workloadSelector,
  'apps|ReplicaSet': workloadSelector,
  'apps|DaemonSet': workloadSelector,
  'apps|StatefulSet': {
    paths: [['spec', 'selector'], ['spec', 'serviceName'], ['spec', 'volumeClaimTemplates'], ['spec', 'podManagementPolicy']],
  },
  'batch|Job': { paths: [['spec', 'selector'], ['spec', 'template'], ['spec', 'completionMode']] },
  '|Service': { paths: [['spec', 'clusterIP'], ['spec', 'clusterIPs']] },
  '|PersistentVolumeClaim': { paths: [['spec']], except: [['spec', 'resources', 'requests']] },
  '|Secret': markedImmutable,
  '|ConfigMap': markedImmutable,
  'rbac.authorization.k8s.io|RoleBinding': { paths: [['roleRef']] },
  'rbac.authorization.k8s.io|ClusterRoleBinding': { paths: [['roleRef']] },
  'storage.k8s.io|StorageClass': {
    paths: [['provisioner'], ['parameters'], ['reclaimPolicy'], ['volumeBindingMode']],
  },
};

/** The rule's paths that the change touches, in rule order. */
function touched(rule: ImmutableRule, fields: readonly FieldChange[]): string[] {
  const live = fields.filter((f) => !(rule.except ?? []).some((prefix) => isUnder(f.path, prefix)));
  return rule.paths.filter((prefix) => live.some((f) => isUnder(f.path, prefix))).map((prefix) => formatPath(prefix.map((key) => ({ key }))));
}

export function immutableRisks(change: ObjectChange): Risk[] {
  const rule = RULES[`${change.id.group}|${change.id.kind}`];
  if (!rule || (rule.when && !rule.when(change.old))) return [];
  const paths = touched(rule, change.fields);
  if (paths.length === 0) return [];
  const verb = paths.length === 1 ? 'is' : 'are';
  return [
    {
      rule: 'immutable',
      text: `${change.label}: ${paths.join(', ')} ${verb} immutable — will fail on apply; delete and recreate (${kubectlDelete(change.id)}, then apply)`,
    },
  ];
}
