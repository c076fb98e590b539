/**
 * The shared helpers of the cluster add-ons (constructs/cluster/common.ts), on their own: kube-system,
 * the node-agent annotation the guardrails read, RBAC objects as rbac.authorization.k8s.io/v1 defines
 * them (a RoleBinding is namespaced, a ClusterRoleBinding is not), the DaemonSet rollout.
 */
import {
  ADDON_NAMESPACE,
  addonDaemonSet,
  AUTHENTICATION_READER,
  bind,
  clusterRole,
  linuxPlacement,
  nodeAgentAnnotations,
  serviceAccount,
} from '../../constructs/cluster/common';
import type { Placement } from '../../constructs/platform';
import { synthObjects } from '../util/synth';

const placement = (tolerations: Placement['tolerations']): Placement => ({
  platform: { os: 'linux', arch: 'arm64' },
  nodeSelector: { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'arm64' },
  tolerations,
  eligibleNodes: 3,
  pools: ['p'],
});

describe('cluster add-on helpers', () => {
  test('add-ons live in kube-system; the auth reader is the Role kube-apiserver publishes', () => {
    expect(ADDON_NAMESPACE).toBe('kube-system');
    expect(AUTHENTICATION_READER).toEqual({ kind: 'Role', name: 'extension-apiserver-authentication-reader' });
  });

  test('nodeAgentAnnotations: one "privilege: reason" per entry, joined by "; "', () => {
    expect(nodeAgentAnnotations({ hostNetwork: 'a', 'hostPath /x': 'b' })).toEqual({ 'guardrails.k8s-book-systems.io/node-agent': 'hostNetwork: a; hostPath /x: b' });
    expect(nodeAgentAnnotations({ privileged: 'why' })).toEqual({ 'guardrails.k8s-book-systems.io/node-agent': 'privileged: why' });
  });

  test('linuxPlacement: linux OS, a copy of the selector, tolerations only when there are some', () => {
    const p = placement([{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }]);
    const spec = linuxPlacement(p);
    expect(spec).toEqual({
      os: { name: 'linux' },
      nodeSelector: { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'arm64' },
      tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }],
    });
    expect(spec.nodeSelector).not.toBe(p.nodeSelector);
    expect(spec.tolerations).not.toBe(p.tolerations);
    expect(linuxPlacement(placement([]))).toEqual({ os: { name: 'linux' }, nodeSelector: { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'arm64' }, tolerations: undefined });
  });

  test('serviceAccount, clusterRole (resourceNames only when given) and both kinds of binding', () => {
    const labels = { app: 'x' };
    const objects = synthObjects((chart) => {
      serviceAccount(chart, 'sa', labels);
      clusterRole(chart, 'role', labels, [
        { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
        { apiGroups: ['g'], resources: ['r'], verbs: ['v'], resourceNames: ['n'] },
      ]);
      bind(chart, 'crb', labels, { kind: 'ClusterRole', name: 'role' }, 'sa');
      bind(chart, 'rb', labels, AUTHENTICATION_READER, 'sa');
    });
    expect(objects).toEqual([
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa', namespace: 'kube-system', labels } },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'role', labels },
        rules: [
          { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
          { apiGroups: ['g'], resources: ['r'], verbs: ['v'], resourceNames: ['n'] },
        ],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'crb', labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'role' },
        subjects: [{ kind: 'ServiceAccount', name: 'sa', namespace: 'kube-system' }],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'rb', namespace: 'kube-system', labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'extension-apiserver-authentication-reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'sa', namespace: 'kube-system' }],
      },
    ]);
    expect('resourceNames' in objects[1].rules[0]).toBe(false);
  });

  test('addonDaemonSet: selector defaults to the labels, or the one given; one node at a time', () => {
    const pod = { containers: [{ name: 'c', image: 'i' }] };
    const [plain, selected] = synthObjects((chart) => {
      addonDaemonSet(chart, 'a', { name: 'a', labels: { app: 'a', v: '1' }, privileges: { hostNetwork: 'why' }, pod });
      addonDaemonSet(chart, 'b', { name: 'b', labels: { app: 'b', v: '1' }, selector: { app: 'b' }, privileges: {}, pod });
    });
    expect(plain).toEqual({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'a', namespace: 'kube-system', labels: { app: 'a', v: '1' }, annotations: { 'guardrails.k8s-book-systems.io/node-agent': 'hostNetwork: why' } },
      spec: {
        selector: { matchLabels: { app: 'a', v: '1' } },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
        template: { metadata: { labels: { app: 'a', v: '1' } }, spec: pod },
      },
    });
    expect(selected.spec.selector).toEqual({ matchLabels: { app: 'b' } });
    expect(selected.spec.template.metadata.labels).toEqual({ app: 'b', v: '1' });
  });
});
