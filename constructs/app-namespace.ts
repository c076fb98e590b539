import { Manifest } from './manifest';
import { Construct } from 'constructs';
import { refuse } from './errors';
import { ISTIO_INJECTION_LABEL, LINKERD_INJECT_ANNOTATION, Mesh } from './mesh';

export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

export interface AppNamespaceProps {
  readonly name: string;
  /**
   * Pod Security Admission level enforced. Audit and warn always use `restricted`, so a namespace
   * relaxed for an image that needs root still reports what keeps it from the strictest level.
   */
  readonly podSecurity: PodSecurityLevel;
  /** Why the namespace is not `restricted` (recorded as an annotation). Required unless restricted. */
  readonly podSecurityReason?: string;
  /** ResourceQuota hard limits. */
  readonly quota: {
    readonly requestsCpu: string;
    readonly requestsMemory: string;
    readonly limitsCpu: string;
    readonly limitsMemory: string;
    readonly pods: number;
  };
  /** Default requests/limits for containers that declare none (a safety net; ours always declare). */
  readonly containerDefaults: {
    readonly cpu: string;
    readonly memory: string;
  };
  /**
   * Sidecar injection for the whole namespace: Istio reads the LABEL `istio-injection: enabled`,
   * Linkerd the ANNOTATION `linkerd.io/inject: enabled`. @default 'none'
   */
  readonly mesh?: Mesh;
  /**
   * Deny all ingress and egress except DNS, so each app must allow what it needs.
   * @default true
   */
  readonly defaultDeny?: boolean;
}

/**
 * A namespace ready for workloads: PSA labels, ResourceQuota, LimitRange and a default-deny
 * NetworkPolicy that still lets every pod resolve names through the cluster DNS.
 */
export class AppNamespace extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: AppNamespaceProps) {
    super(scope, id);
    if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(props.name)) {
      refuse(this, 'name', `"${props.name}" is not a DNS-1123 label`, 'use lowercase letters, digits and dashes');
    }
    if (props.podSecurity !== 'restricted' && !props.podSecurityReason) {
      refuse(this, 'podSecurityReason', `the namespace enforces "${props.podSecurity}" without saying why`, 'state which image needs what (e.g. "stock nginx runs as root")');
    }
    this.name = props.name;
    const labels: Record<string, string> = {
      'kubernetes.io/metadata.name': props.name,
      'pod-security.kubernetes.io/enforce': props.podSecurity,
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    };
    const annotations: Record<string, string> = {};
    if (props.podSecurityReason) annotations['k8s-book-systems.io/pod-security-reason'] = props.podSecurityReason;
    if (props.mesh === 'istio') labels[ISTIO_INJECTION_LABEL] = 'enabled';
    if (props.mesh === 'linkerd') annotations[LINKERD_INJECT_ANNOTATION] = 'enabled';
    new Manifest(this, 'Namespace', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: props.name, labels, annotations: Object.keys(annotations).length ? annotations : undefined },
    });
    const q = props.quota;
    new Manifest(this, 'ResourceQuota', {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'quota', namespace: props.name },
      spec: {
        hard: {
          'requests.cpu': q.requestsCpu,
          'requests.memory': q.requestsMemory,
          'limits.cpu': q.limitsCpu,
          'limits.memory': q.limitsMemory,
          pods: String(q.pods),
        },
      },
    });
    const d = props.containerDefaults;
    new Manifest(this, 'LimitRange', {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'container-defaults', namespace: props.name },
      spec: { limits: [{ type: 'Container', default: { cpu: d.cpu, memory: d.memory }, defaultRequest: { cpu: d.cpu, memory: d.memory } }] },
    });
    if (props.defaultDeny ?? true) {
      new Manifest(this, 'DefaultDeny', {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'default-deny', namespace: props.name },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      });
      new Manifest(this, 'AllowDns', {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'allow-dns', namespace: props.name },
        spec: {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [
            {
              to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
              ports: [
                { port: 53, protocol: 'UDP' },
                { port: 53, protocol: 'TCP' },
              ],
            },
          ],
        },
      });
    }
  }
}
