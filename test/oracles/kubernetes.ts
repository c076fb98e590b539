/**
 * Independent oracles: Kubernetes semantics written down from the upstream API documentation, shaped
 * differently from the project's code on purpose, so a test that compares the two is not the code checking
 * itself. Keep them dumb and literal.
 */

export interface OracleTaint {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
}

export interface OracleToleration {
  readonly key?: string;
  readonly operator?: string;
  readonly value?: string;
  readonly effect?: string;
}

/**
 * k8s.io/api core/v1 Toleration.ToleratesTaint, as its doc comment states the rules:
 * 1. an empty effect matches every effect, otherwise the effects must be equal;
 * 2. an empty key (valid only with operator Exists) matches every key, otherwise the keys must be equal;
 * 3. operator Exists matches every value; Equal (also when the operator is empty) needs equal values,
 *    an absent value being the empty string; any other operator matches nothing.
 */
export function oracleTolerates(toleration: OracleToleration, taint: OracleTaint): boolean {
  const effect = toleration.effect ?? '';
  if (effect !== '' && effect !== taint.effect) return false;
  const key = toleration.key ?? '';
  if (key !== '' && key !== taint.key) return false;
  const operator = toleration.operator ?? '';
  if (operator === 'Exists') return true;
  if (operator === '' || operator === 'Equal') return (toleration.value ?? '') === (taint.value ?? '');
  return false;
}

/** A pod can be scheduled onto a node with `taints` when every NoSchedule/NoExecute taint is tolerated by some toleration. */
export function oracleSchedulable(tolerations: readonly OracleToleration[], taints: readonly OracleTaint[]): boolean {
  return taints.filter((t) => t.effect !== 'PreferNoSchedule').every((t) => tolerations.some((tol) => oracleTolerates(tol, t)));
}

export interface OracleRequirement {
  readonly key: string;
  readonly operator: string;
  readonly values: readonly string[];
}

/**
 * k8s.io/apimachinery labels.Requirement.Matches: In needs the key with a listed value; NotIn matches when
 * the key is absent or its value is not listed; Exists / DoesNotExist test the key only. A LabelSelector
 * matches when every matchLabels pair is present and every requirement matches (empty selector: everything).
 */
export function oracleSelects(matchLabels: Readonly<Record<string, string>>, requirements: readonly OracleRequirement[], labels: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(labels);
  for (const key of Object.keys(matchLabels)) {
    if (!keys.includes(key) || labels[key] !== matchLabels[key]) return false;
  }
  for (const r of requirements) {
    const present = keys.includes(key(r));
    const listed = present && (r.values ?? []).includes(labels[key(r)]);
    if (r.operator === 'In' && !listed) return false;
    if (r.operator === 'NotIn' && listed) return false;
    if (r.operator === 'Exists' && !present) return false;
    if (r.operator === 'DoesNotExist' && present) return false;
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(r.operator)) return false;
  }
  return true;
}
const key = (r: OracleRequirement) => r.key;

/**
 * Labels a kubelet may set on its own Node (`--node-labels`), per k8s.io/kubelet well-known labels and the
 * NodeRestriction admission plugin: a key in the kubernetes.io or k8s.io namespaces (the domain or any
 * subdomain) must be one of the kubelet labels, or sit in the kubelet.kubernetes.io / node.kubernetes.io
 * namespaces (or a subdomain of them); node-restriction.kubernetes.io is reserved. Other keys are free.
 */
export function oracleKubeletMaySet(labelKey: string): boolean {
  const slash = labelKey.indexOf('/');
  const namespace = slash < 0 ? '' : labelKey.slice(0, slash);
  const under = (domain: string) => namespace === domain || namespace.endsWith(`.${domain}`);
  if (!under('kubernetes.io') && !under('k8s.io')) return true;
  const kubeletLabels = [
    'kubernetes.io/hostname',
    'kubernetes.io/os',
    'kubernetes.io/arch',
    'topology.kubernetes.io/zone',
    'topology.kubernetes.io/region',
    'node.kubernetes.io/instance-type',
    // Deprecated spellings the kubelet still accepts.
    'beta.kubernetes.io/os',
    'beta.kubernetes.io/arch',
    'beta.kubernetes.io/instance-type',
    'failure-domain.beta.kubernetes.io/zone',
    'failure-domain.beta.kubernetes.io/region',
  ];
  if (kubeletLabels.includes(labelKey)) return true;
  return under('kubelet.kubernetes.io') || under('node.kubernetes.io');
}
