import { Construct } from 'constructs';
import type { PodSpec } from '../k8s';
import type { Placement } from '../platform';
import { Manifest } from '../manifest';
import { NODE_AGENT_ANNOTATION } from '../../contracts/labels';

/** Cluster add-ons live where kubeadm and the upstream manifests put them. */
export const ADDON_NAMESPACE = 'kube-system';

export interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  readonly resourceNames?: readonly string[];
}

/**
 * The node-agent exception the guardrails accept for a DaemonSet: one reason per host privilege,
 * so a reviewer sees what each one is for.
 */
export function nodeAgentAnnotations(reasons: Readonly<Record<string, string>>): Record<string, string> {
  return { [NODE_AGENT_ANNOTATION]: Object.entries(reasons).map(([privilege, why]) => `${privilege}: ${why}`).join('; ') };
}

/** The placement part of a Linux add-on's pod spec: OS, node selector and the tolerations its pool needs. */
export function linuxPlacement(placement: Placement): Pick<PodSpec, 'os' | 'nodeSelector' | 'tolerations'> {
  return {
    os: { name: 'linux' },
    nodeSelector: { ...placement.nodeSelector },
    tolerations: placement.tolerations.length ? [...placement.tolerations] : undefined,
  };
}

export function serviceAccount(scope: Construct, name: string, labels: Readonly<Record<string, string>>): void {
  new Manifest(scope, `ServiceAccount-${name}`, {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name, namespace: ADDON_NAMESPACE, labels: { ...labels } },
  });
}

export function clusterRole(scope: Construct, name: string, labels: Readonly<Record<string, string>>, rules: readonly PolicyRule[]): void {
  new Manifest(scope, `ClusterRole-${name}`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name, labels: { ...labels } },
    rules: rules.map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs], resourceNames: r.resourceNames && [...r.resourceNames] })),
  });
}

/**
 * Binds `role` (a ClusterRole, or a Role of kube-system when `namespaced`) to the add-on's
 * ServiceAccount `subject`.
 */
export function bind(
  scope: Construct,
  name: string,
  labels: Readonly<Record<string, string>>,
  role: { readonly kind: 'ClusterRole' | 'Role'; readonly name: string },
  subject: string,
): void {
  const namespaced = role.kind === 'Role';
  new Manifest(scope, `${namespaced ? 'RoleBinding' : 'ClusterRoleBinding'}-${name}`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: namespaced ? 'RoleBinding' : 'ClusterRoleBinding',
    metadata: { name, namespace: namespaced ? ADDON_NAMESPACE : undefined, labels: { ...labels } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: role.kind, name: role.name },
    subjects: [{ kind: 'ServiceAccount', name: subject, namespace: ADDON_NAMESPACE }],
  });
}

/** Lets an aggregated API server read the client-CA ConfigMap kube-apiserver publishes. */
export const AUTHENTICATION_READER = { kind: 'Role', name: 'extension-apiserver-authentication-reader' } as const;

export interface AddonDaemonSetProps {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** @default labels */
  readonly selector?: Readonly<Record<string, string>>;
  /** One reason per host privilege the pods take (see nodeAgentAnnotations). */
  readonly privileges: Readonly<Record<string, string>>;
  readonly pod: PodSpec;
}

/**
 * A node agent of the cluster, in kube-system, rolled one node at a time: it holds host ports,
 * devices or the node network, so a surge pod could not start beside the old one.
 */
export function addonDaemonSet(scope: Construct, id: string, props: AddonDaemonSetProps): void {
  new Manifest(scope, id, {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: props.name, namespace: ADDON_NAMESPACE, labels: { ...props.labels }, annotations: nodeAgentAnnotations(props.privileges) },
    spec: {
      selector: { matchLabels: { ...(props.selector ?? props.labels) } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      template: { metadata: { labels: { ...props.labels } }, spec: props.pod },
    },
  });
}
