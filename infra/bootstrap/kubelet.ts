import { NODE_POOL_LABEL } from '../../contracts/labels';
import { NodePool } from '../../environments';

/** A kubelet flag in kubeadm v1beta4's form (`extraArgs` became a list of name/value pairs). */
export interface KubeletArg {
  readonly name: string;
  readonly value: string;
}

/** Every pool's nodes carry `node-pool=<name>`, so workloads and autoscaling can target a pool. */
export { NODE_POOL_LABEL };

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const PREFIX = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

// NodeRestriction lets a kubelet set only these labels in the kubernetes.io / k8s.io namespaces; any other
// makes the kubelet refuse to start.
const KUBELET_ALLOWED_LABELS = new Set([
  'kubernetes.io/hostname',
  'kubernetes.io/arch',
  'kubernetes.io/os',
  'node.kubernetes.io/instance-type',
  'topology.kubernetes.io/region',
  'topology.kubernetes.io/zone',
]);
const KUBELET_ALLOWED_NAMESPACES = ['kubelet.kubernetes.io', 'node.kubernetes.io'];

function isQualifiedName(key: string): boolean {
  const parts = key.split('/');
  if (parts.length === 1) return NAME.test(key);
  return parts.length === 2 && PREFIX.test(parts[0]) && NAME.test(parts[1]);
}

function checkLabel(pool: NodePool, key: string, value: string): void {
  const field = `node pool "${pool.name}": labels["${key}"]`;
  if (key.startsWith('node-role.kubernetes.io/')) {
    throw new Error(
      `${field}: kubelets may not set node-role.kubernetes.io/* labels (NodeRestriction rejects them); ` +
        `select the pool with "${NODE_POOL_LABEL}=${pool.name}" or a label of your own`,
    );
  }
  if (key === NODE_POOL_LABEL) {
    throw new Error(`${field}: "${NODE_POOL_LABEL}" is set from the pool name; remove it from labels`);
  }
  if (!isQualifiedName(key)) {
    throw new Error(`${field}: the key is not a qualified name ([prefix/]name, name ≤ 63 alphanumerics, "-", "_", ".")`);
  }
  if (!VALUE.test(value)) {
    throw new Error(`${field}: the value "${value}" is not a label value (≤ 63 alphanumerics, "-", "_", ".")`);
  }
  const prefix = key.includes('/') ? key.split('/')[0] : '';
  const restricted = /(^|\.)(kubernetes\.io|k8s\.io)$/.test(prefix);
  const allowed =
    KUBELET_ALLOWED_LABELS.has(key) || KUBELET_ALLOWED_NAMESPACES.some((ns) => prefix === ns || prefix.endsWith(`.${ns}`));
  if (restricted && !allowed) {
    throw new Error(
      `${field}: kubelets may only set ${KUBELET_ALLOWED_NAMESPACES.map((ns) => `${ns}/*`).join(', ')} and ` +
        'the well-known topology/os/arch labels in the kubernetes.io and k8s.io namespaces; use a prefix of your own',
    );
  }
}

/** `--node-labels`: `node-pool=<name>` then the pool's labels by key. */
export function kubeletNodeLabels(pool: NodePool): string {
  const keys = Object.keys(pool.labels).sort();
  keys.forEach((key) => checkLabel(pool, key, pool.labels[key]));
  return [`${NODE_POOL_LABEL}=${pool.name}`, ...keys.map((key) => `${key}=${pool.labels[key]}`)].join(',');
}

/** `--register-with-taints`: `key[=value]:Effect`, comma-separated; empty when the pool has none. */
export function kubeletTaints(pool: NodePool): string {
  return pool.taints
    .map((taint, i) => {
      const field = `node pool "${pool.name}": taints[${i}]`;
      if (!isQualifiedName(taint.key)) {
        throw new Error(`${field}: key "${taint.key}" is not a qualified name ([prefix/]name)`);
      }
      if (taint.value !== undefined && !VALUE.test(taint.value)) {
        throw new Error(`${field}: value "${taint.value}" is not a label value (≤ 63 alphanumerics, "-", "_", ".")`);
      }
      return `${taint.key}${taint.value === undefined ? '' : `=${taint.value}`}:${taint.effect}`;
    })
    .join(',');
}

/** The kubelet must leave node addresses and the provider ID to the AWS cloud-controller-manager. */
export const CLOUD_PROVIDER_EXTERNAL: KubeletArg = { name: 'cloud-provider', value: 'external' };

/** The kubelet flags a worker of `pool` runs with, Linux and Windows alike. */
export function workerKubeletArgs(pool: NodePool): KubeletArg[] {
  const taints = kubeletTaints(pool);
  return [
    CLOUD_PROVIDER_EXTERNAL,
    { name: 'node-labels', value: kubeletNodeLabels(pool) },
    ...(taints ? [{ name: 'register-with-taints', value: taints }] : []),
  ];
}
