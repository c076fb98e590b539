/**
 * The risk rules (review/rules/*) case by case, beyond heuristics.test.ts: each decision of a rule
 * gets an input on both sides of it, with the expected risk line written by hand.
 */
import { diffTrees } from '../../review/diffTrees';
import { diffValues } from '../../review/fieldDiff';
import { objectId, objectLabel } from '../../review/identity';
import { trafficRisks } from '../../review/rules/traffic';
import type { KubeObject, Manifest, Tree } from '../../review/model';

const tree = (...objects: KubeObject[]): Tree => ({
  manifests: objects.map((object): Manifest => ({ env: 'prod', file: 'app.yaml', object })),
  resources: [],
});
const risks = (a: KubeObject[], b: KubeObject[]) => diffTrees(tree(...a), tree(...b)).sections.flatMap((s) => s.risks.map((r) => `${r.rule}: ${r.text}`));

const o = (apiVersion: string, kind: string, name: string, namespace: string | undefined, body: Record<string, unknown>): KubeObject => ({
  apiVersion,
  kind,
  metadata: namespace === undefined ? { name } : { name, namespace },
  ...body,
});

describe('immutable', () => {
  const fail = (label: string, paths: string, del: string, verb = 'is') =>
    `immutable: ${label}: ${paths} ${verb} immutable — will fail on apply; delete and recreate (${del}, then apply)`;

  test.each([
    ['ReplicaSet', 'apps/v1', 'replicaset.apps'],
    ['DaemonSet', 'apps/v1', 'daemonset.apps'],
    ['StatefulSet', 'apps/v1', 'statefulset.apps'],
    ['Job', 'batch/v1', 'job.batch'],
  ])('%s selector', (kind, apiVersion, resource) => {
    const w = (app: string) => o(apiVersion, kind, 'w', 'n', { spec: { selector: { matchLabels: { app } } } });
    expect(risks([w('a')], [w('b')])).toStrictEqual([fail(`${kind} n/w`, 'spec.selector', `kubectl delete ${resource}/w -n n`)]);
  });

  test('a Deployment of another API group has no immutable rule', () => {
    const w = (app: string) => o('extensions.example.com/v1', 'Deployment', 'w', 'n', { spec: { selector: { app } } });
    expect(risks([w('a')], [w('b')])).toStrictEqual([]);
  });

  test('StatefulSet volumeClaimTemplates; Job completionMode', () => {
    const sts = (size: string) => o('apps/v1', 'StatefulSet', 'db', 'd', { spec: { volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { resources: { requests: { storage: size } } } }] } });
    expect(risks([sts('1Gi')], [sts('2Gi')])).toStrictEqual([fail('StatefulSet d/db', 'spec.volumeClaimTemplates', 'kubectl delete statefulset.apps/db -n d')]);
    const job = (completionMode: string) => o('batch/v1', 'Job', 'j', 'b', { spec: { completionMode } });
    expect(risks([job('NonIndexed')], [job('Indexed')])).toStrictEqual([fail('Job b/j', 'spec.completionMode', 'kubectl delete job.batch/j -n b')]);
  });

  test('Service clusterIP and clusterIPs; other Service fields are mutable', () => {
    const svc = (spec: Record<string, unknown>) => o('v1', 'Service', 's', 'n', { spec });
    expect(risks([svc({ clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1'] })], [svc({ clusterIP: '10.0.0.2', clusterIPs: ['10.0.0.2'] })])).toStrictEqual([
      fail('Service n/s', 'spec.clusterIP, spec.clusterIPs', 'kubectl delete service/s -n n', 'are'),
    ]);
    expect(risks([svc({ type: 'ClusterIP' })], [svc({ type: 'NodePort' })])).toStrictEqual([]);
  });

  test('a PVC may change its storage request only; limits are spec too', () => {
    const pvc = (resources: Record<string, unknown>) => o('v1', 'PersistentVolumeClaim', 'data', 'db', { spec: { resources } });
    expect(risks([pvc({ requests: { storage: '1Gi' } })], [pvc({ requests: { storage: '5Gi' } })])).toStrictEqual([]);
    expect(risks([pvc({ limits: { storage: '1Gi' } })], [pvc({ limits: { storage: '5Gi' } })])).toStrictEqual([fail('PersistentVolumeClaim db/data', 'spec', 'kubectl delete persistentvolumeclaim/data -n db')]);
    expect(risks([pvc({ requests: { storage: '1Gi' } })], [{ ...pvc({ requests: { storage: '5Gi' } }), metadata: { name: 'data', namespace: 'db', labels: { a: 'b' } } }])).toStrictEqual([]);
  });

  test('(Cluster)RoleBinding roleRef', () => {
    const rb = (kind: string, role: string) => o('rbac.authorization.k8s.io/v1', kind, 'rb', kind === 'RoleBinding' ? 'n' : undefined, { roleRef: { kind: 'ClusterRole', name: role } });
    expect(risks([rb('RoleBinding', 'view')], [rb('RoleBinding', 'edit')])).toStrictEqual([fail('RoleBinding n/rb', 'roleRef', 'kubectl delete rolebinding.rbac.authorization.k8s.io/rb -n n')]);
    expect(risks([rb('ClusterRoleBinding', 'view')], [rb('ClusterRoleBinding', 'edit')])).toStrictEqual([
      fail('ClusterRoleBinding rb', 'roleRef', 'kubectl delete clusterrolebinding.rbac.authorization.k8s.io/rb'),
    ]);
  });

  test('StorageClass provisioner, parameters, reclaimPolicy, volumeBindingMode (in rule order); allowVolumeExpansion is mutable', () => {
    const sc = (body: Record<string, unknown>) => o('storage.k8s.io/v1', 'StorageClass', 'gp3', undefined, body);
    const before = sc({ volumeBindingMode: 'Immediate', reclaimPolicy: 'Delete', parameters: { type: 'gp2' }, provisioner: 'a' });
    const after = sc({ volumeBindingMode: 'WaitForFirstConsumer', reclaimPolicy: 'Retain', parameters: { type: 'gp3' }, provisioner: 'b' });
    expect(risks([before], [after])).toStrictEqual([
      fail('StorageClass gp3', 'provisioner, parameters, reclaimPolicy, volumeBindingMode', 'kubectl delete storageclass.storage.k8s.io/gp3', 'are'),
    ]);
    expect(risks([sc({ allowVolumeExpansion: false })], [sc({ allowVolumeExpansion: true })])).toStrictEqual([]);
  });

  test('a ConfigMap marked immutable: binaryData, stringData and the flag itself; its labels stay mutable', () => {
    const cm = (body: Record<string, unknown>, labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n', labels }, immutable: true, ...body });
    const del = 'kubectl delete configmap/c -n n';
    expect(risks([cm({ binaryData: { k: 'YQ==' } })], [cm({ binaryData: { k: 'Yg==' } })])).toStrictEqual([fail('ConfigMap n/c', 'binaryData', del)]);
    expect(risks([cm({ stringData: { k: 'a' } })], [cm({ stringData: { k: 'b' } })])).toStrictEqual([fail('ConfigMap n/c', 'stringData', del)]);
    expect(risks([cm({})], [cm({ immutable: false })])).toStrictEqual([fail('ConfigMap n/c', 'immutable', del)]);
    expect(risks([cm({ data: { k: 'a' } })], [cm({ data: { k: 'a' } }, { x: 'y' })])).toStrictEqual([]);
    // Marked immutable only in the new tree: the live object is still mutable.
    const plain = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' }, data: { k: 'a' } };
    expect(risks([plain], [{ ...plain, immutable: true, data: { k: 'b' } }])).toStrictEqual([]);
  });
});

describe('hpa', () => {
  const dep = (spec: Record<string, unknown>) => o('apps/v1', 'Deployment', 'app', 'web', { spec });
  /** `namespace` null: cluster-scoped. */
  const hpa = (target: Record<string, string>, namespace: string | null = 'web', name = 'scaler', kind = 'HorizontalPodAutoscaler') =>
    o('autoscaling/v2', kind, name, namespace ?? undefined, { spec: { scaleTargetRef: target } });

  test('a replica count added under an HPA: "(none) → n"', () => {
    const h = hpa({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'app' });
    expect(risks([dep({}), h], [dep({ replicas: 2 }), h])).toStrictEqual([
      'hpa: Deployment web/app: spec.replicas (none) → 2, but HPA web/scaler owns replicas — apply resets the live count; drop spec.replicas',
    ]);
  });

  test('a replica count dropped under an HPA is an hpa risk, listed after what fails on apply', () => {
    const h = hpa({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'app' });
    const gone = o('v1', 'ConfigMap', 'c', 'web', {});
    expect(risks([dep({ replicas: 3 }), h, gone], [dep({}), h])).toStrictEqual([
      'prune: ConfigMap web/c removed — kubectl apply will not delete it: prune or delete by hand (kubectl delete configmap/c -n web)',
      'hpa: Deployment web/app: spec.replicas dropped (HPA web/scaler owns replicas) — client-side kubectl apply scales it to 1 once; run kubectl apply edit-last-applied first or apply --server-side',
    ]);
  });

  test('only an object of kind HorizontalPodAutoscaler owns replicas', () => {
    const h = hpa({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'app' }, 'web', 'scaler', 'VerticalPodAutoscaler');
    expect(risks([dep({ replicas: 1 }), h], [dep({ replicas: 2 }), h])).toStrictEqual([]);
  });

  test('a core-group target without apiVersion in scaleTargetRef matches a core-group workload', () => {
    const rc = (replicas: number) => o('v1', 'ReplicationController', 'app', 'web', { spec: { replicas } });
    const h = hpa({ kind: 'ReplicationController', name: 'app' });
    expect(risks([rc(1), h], [rc(2), h])).toStrictEqual([
      'hpa: ReplicationController web/app: spec.replicas 1 → 2, but HPA web/scaler owns replicas — apply resets the live count; drop spec.replicas',
    ]);
    // Without apiVersion the target is in the core group, not apps.
    const hApps = hpa({ kind: 'Deployment', name: 'app' });
    expect(risks([dep({ replicas: 1 }), hApps], [dep({ replicas: 2 }), hApps])).toStrictEqual([]);
  });

  test('a cluster-scoped target names the HPA without a namespace', () => {
    const h = hpa({ apiVersion: 'example.com/v1', kind: 'Scaled', name: 'app' }, null);
    const s = (replicas: number) => o('example.com/v1', 'Scaled', 'app', undefined, { spec: { replicas } });
    expect(risks([s(1), h], [s(2), h])).toStrictEqual([
      'hpa: Scaled (example.com) app: spec.replicas 1 → 2, but HPA scaler owns replicas — apply resets the live count; drop spec.replicas',
    ]);
  });

  test('only a change of spec.replicas itself counts', () => {
    const h = hpa({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'app' });
    expect(risks([dep({ replicas: 2, minReadySeconds: 1 }), h], [dep({ replicas: 2, minReadySeconds: 2 }), h])).toStrictEqual([]);
  });

  test('the HPA of the new tree decides: one removed in the same change owns nothing', () => {
    const h = hpa({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'app' });
    expect(risks([dep({ replicas: 1 }), h], [dep({ replicas: 2 })])).toStrictEqual([
      'prune: HorizontalPodAutoscaler web/scaler removed — kubectl apply will not delete it: prune or delete by hand (kubectl delete horizontalpodautoscaler.autoscaling/scaler -n web)',
    ]);
  });
});

describe('rollout', () => {
  const pod = (spec: Record<string, unknown>) => ({ template: { spec } });
  const w = (kind: string, spec: Record<string, unknown>, extra: Record<string, unknown> = {}) => o('apps/v1', kind, 'w', 'n', { spec: { ...pod(spec), ...extra } });
  const c = (image: string, name = 'c') => ({ name, image });

  test.each(['StatefulSet', 'DaemonSet', 'ReplicaSet'])('a %s rolls its pods', (kind) => {
    expect(risks([w(kind, { containers: [c('a:1')] })], [w(kind, { containers: [c('a:2')] })])).toStrictEqual([`rollout: rollout of ${kind} n/w: a:1 → a:2`]);
  });

  test('a kind without a pod template (or of another group) rolls nothing', () => {
    const other = (image: string) => o('example.com/v1', 'Deployment', 'w', 'n', { spec: pod({ containers: [c(image)] }) });
    expect(risks([other('a:1')], [other('a:2')])).toStrictEqual([]);
    const cm = (image: string) => o('v1', 'ConfigMap', 'w', 'n', { spec: pod({ containers: [c(image)] }) });
    expect(risks([cm('a:1')], [cm('a:2')])).toStrictEqual([]);
  });

  test('OnDelete (StatefulSet/DaemonSet updateStrategy) is said on image lines too', () => {
    expect(risks([w('DaemonSet', { containers: [c('a:1')] }, { updateStrategy: { type: 'OnDelete' } })], [w('DaemonSet', { containers: [c('a:2')] }, { updateStrategy: { type: 'OnDelete' } })])).toStrictEqual([
      'rollout: rollout of DaemonSet n/w: a:1 → a:2 (OnDelete: only as pods are deleted)',
    ]);
    expect(risks([w('DaemonSet', { containers: [c('a:1')] }, { updateStrategy: { type: 'RollingUpdate' } })], [w('DaemonSet', { containers: [c('a:2')] }, { updateStrategy: { type: 'RollingUpdate' } })])).toStrictEqual([
      'rollout: rollout of DaemonSet n/w: a:1 → a:2',
    ]);
  });

  test('two image changes: two lines, each naming its container; init and main containers count together', () => {
    expect(
      risks(
        [w('Deployment', { initContainers: [c('i:1', 'init')], containers: [c('a:1', 'web')] })],
        [w('Deployment', { initContainers: [c('i:2', 'init')], containers: [c('a:2', 'web')] })],
      ),
    ).toStrictEqual(['rollout: rollout of Deployment n/w [init]: i:1 → i:2', 'rollout: rollout of Deployment n/w [web]: a:1 → a:2']);
  });

  test('containers without unique names are named by index', () => {
    const unnamed = (image: string) => w('Deployment', { containers: [{ image: 'x:1' }, { image }] });
    expect(risks([unnamed('a:1')], [unnamed('a:2')])).toStrictEqual(['rollout: rollout of Deployment n/w [[1]]: a:1 → a:2']);
  });

  test.each([
    ['an image added where there was none', { containers: [{ name: 'c' }] }, { containers: [c('a:1')] }, 'spec.template.spec.containers[c].image'],
    ['another container field', { containers: [{ ...c('a:1'), imagePullPolicy: 'Always' }] }, { containers: [{ ...c('a:1'), imagePullPolicy: 'Never' }] }, 'spec.template.spec.containers[c].imagePullPolicy'],
    ['an image of something that is not a container list', { volumes: [{ name: 'v', image: 'a:1' }] }, { volumes: [{ name: 'v', image: 'a:2' }] }, 'spec.template.spec.volumes[v].image'],
    ['a field deeper than a container image', { containers: [{ name: 'c', image: { ref: 'a:1' } }] }, { containers: [{ name: 'c', image: { ref: 'a:2' } }] }, 'spec.template.spec.containers[c].image.ref'],
  ])('%s: "pod template changed" with its path', (_what, before, after, path) => {
    expect(risks([w('Deployment', before)], [w('Deployment', after)])).toStrictEqual([`rollout: rollout of Deployment n/w: pod template changed (${path})`]);
  });

  test('container images under the template metadata are not container images', () => {
    const meta = (image: string) => o('apps/v1', 'Deployment', 'w', 'n', { spec: { template: { metadata: { containers: [{ name: 'c', image }] } } } });
    expect(risks([meta('a:1')], [meta('a:2')])).toStrictEqual(['rollout: rollout of Deployment n/w: pod template changed (spec.template.metadata.containers[c].image)']);
  });

  test('an image line plus other template changes: only the image line', () => {
    const d = (image: string, env: string) => w('Deployment', { containers: [{ ...c(image), env: [{ name: 'E', value: env }] }] });
    expect(risks([d('a:1', 'x')], [d('a:2', 'y')])).toStrictEqual(['rollout: rollout of Deployment n/w: a:1 → a:2']);
  });

  test('three template edits: the first path and "2 more"', () => {
    const d = (v: string) => w('Deployment', { containers: [c('a:1')], hostname: v, subdomain: v, priority: v === 'x' ? 1 : 2 });
    expect(risks([d('x')], [d('y')])).toStrictEqual(['rollout: rollout of Deployment n/w: pod template changed (spec.template.spec.hostname and 2 more)']);
  });
});

describe('traffic and selector', () => {
  const svc = (selector: Record<string, string> | undefined, namespace = 'web', apiVersion = 'v1', kind = 'Service') =>
    o(apiVersion, kind, 'ver', namespace, { spec: selector === undefined ? {} : { selector } });
  const pods = (name: string, labels: Record<string, string>, replicas?: number, namespace = 'web') =>
    o('apps/v1', 'Deployment', name, namespace, { spec: { ...(replicas === undefined ? {} : { replicas }), template: { metadata: { labels } } } });
  const blue = { app: 'ver', slot: 'blue' };
  const green = { app: 'ver', slot: 'green' };

  test('a flip onto running pods is one line', () => {
    expect(risks([svc(blue), pods('b', blue, 1), pods('g', green, 1)], [svc(green), pods('b', blue, 1), pods('g', green, 1)])).toStrictEqual(['traffic: traffic switch blue → green on Service web/ver']);
  });

  test('replicas left to the default (1) count as running, before and after', () => {
    expect(risks([svc(blue), pods('b', blue), pods('g', green)], [svc(green), pods('b', blue), pods('g', green)])).toStrictEqual(['traffic: traffic switch blue → green on Service web/ver']);
  });

  test('one of several matching workloads running is enough', () => {
    const g2 = { ...green, tier: 'x' };
    expect(risks([svc(blue), pods('g', green, 0), pods('g2', g2, 3)], [svc(green), pods('g', green, 0), pods('g2', g2, 3)])).toStrictEqual(['traffic: traffic switch blue → green on Service web/ver']);
  });

  test('a selector on a Service of another group, or another kind, is not traffic', () => {
    expect(risks([svc(blue, 'web', 'example.com/v1'), pods('g', green)], [svc(green, 'web', 'example.com/v1'), pods('g', green)])).toStrictEqual([]);
    expect(risks([svc(blue, 'web', 'v1', 'Endpoints'), pods('g', green)], [svc(green, 'web', 'v1', 'Endpoints'), pods('g', green)])).toStrictEqual([]);
  });

  // ServiceSpec.selector: "If empty or not present, the service is assumed to have an external process
  // managing its endpoints, which Kubernetes will not modify" — no pod is an endpoint any more.
  test('a selector removed: spelled out, and it selects nothing (Kubernetes manages no endpoints for it)', () => {
    expect(risks([svc({ app: 'ver' }), pods('a', { app: 'ver' })], [svc(undefined), pods('a', { app: 'ver' })])).toStrictEqual([
      'selector: Service web/ver: selector {"app":"ver"} → {} — traffic moves to different pods',
      'selector: Service web/ver selects no workload in this tree ({}): no endpoints after apply',
    ]);
  });

  test('blue/green values flip under any key, but not to or from another value', () => {
    const c = (color: string) => ({ app: 'ver', color });
    expect(risks([svc(c('blue')), pods('a', c('green'), 1)], [svc(c('green')), pods('a', c('green'), 1)])).toStrictEqual(['traffic: traffic switch blue → green on Service web/ver']);
    expect(risks([svc(c('blue')), pods('a', c('red'), 1)], [svc(c('red')), pods('a', c('red'), 1)])).toStrictEqual([
      'selector: Service web/ver: selector {"app":"ver","color":"blue"} → {"app":"ver","color":"red"} — traffic moves to different pods',
    ]);
    expect(risks([svc(c('red')), pods('a', c('blue'), 1)], [svc(c('blue')), pods('a', c('blue'), 1)])).toStrictEqual([
      'selector: Service web/ver: selector {"app":"ver","color":"red"} → {"app":"ver","color":"blue"} — traffic moves to different pods',
    ]);
  });

  test('label order in the YAML does not matter: a flip written slot-first is still one line', () => {
    const sel = (slot: string) => ({ slot, app: 'ver' });
    expect(risks([svc(sel('blue')), pods('g', green, 1)], [svc(sel('green')), pods('g', green, 1)])).toStrictEqual(['traffic: traffic switch blue → green on Service web/ver']);
  });

  test('two labels change, the slot first among them: spelled out, not a flip', () => {
    const before = { 'app/slot': 'blue', tier: 'a' };
    const after = { 'app/slot': 'green', tier: 'b' };
    expect(risks([svc(before), pods('g', after, 1)], [svc(after), pods('g', after, 1)])).toStrictEqual([
      'selector: Service web/ver: selector {"app/slot":"blue","tier":"a"} → {"app/slot":"green","tier":"b"} — traffic moves to different pods',
    ]);
  });

  test('a slot key renamed (same values) is not a flip', () => {
    expect(risks([svc({ slot: 'blue' }), pods('a', { color: 'blue' }, 1)], [svc({ color: 'blue' }), pods('a', { color: 'blue' }, 1)])).toStrictEqual([
      'selector: Service web/ver: selector {"slot":"blue"} → {"color":"blue"} — traffic moves to different pods',
    ]);
  });

  test('the selector must match every label; workloads of the namespace only; cluster-wide pods never', () => {
    expect(risks([svc(blue), pods('g', { slot: 'green' }, 1)], [svc(green), pods('g', { slot: 'green' }, 1)])).toContain(
      'selector: Service web/ver selects no workload in this tree ({"app":"ver","slot":"green"}): no endpoints after apply',
    );
    const clusterWide = o('apps/v1', 'Deployment', 'g', undefined, { spec: { replicas: 1, template: { metadata: { labels: green } } } });
    expect(risks([svc(blue), clusterWide], [svc(green), clusterWide])).toContain(
      'selector: Service web/ver selects no workload in this tree ({"app":"ver","slot":"green"}): no endpoints after apply',
    );
  });

  test('a Service without a namespace matches workloads without one', () => {
    const s = (selector: Record<string, string>) => o('v1', 'Service', 'ver', undefined, { spec: { selector } });
    const p = (labels: Record<string, string>) => o('apps/v1', 'Deployment', 'g', undefined, { spec: { replicas: 1, template: { metadata: { labels } } } });
    expect(risks([s(blue), p(green)], [s(green), p(green)])).toStrictEqual(['traffic: traffic switch blue → green on Service ver']);
  });

  test('selected pods all at 0: "scaled to 0"; the cold-start line is not added on top', () => {
    expect(risks([svc(blue), pods('b', blue, 1), pods('g', green, 0)], [svc(green), pods('b', blue, 1), pods('g', green, 0)])).toStrictEqual([
      'selector: Service web/ver now selects workloads scaled to 0 replicas: scale them up before switching traffic',
      'traffic: traffic switch blue → green on Service web/ver',
    ]);
  });

  test('pods that did not exist in the old tree are cold', () => {
    expect(risks([svc(blue), pods('b', blue, 1)], [svc(green), pods('b', blue, 1), pods('g', green, 2)])).toStrictEqual([
      'selector: Service web/ver moves onto pods that were not running before this change: a one-step switch with no endpoint while they start (synthesis refuses it: blue-green-flip); scale them up in a change of their own first',
      'traffic: traffic switch blue → green on Service web/ver',
    ]);
  });

  test('without the old tree (a caller that has none) no cold-start line is guessed', () => {
    const old = svc(blue);
    const now = svc(green);
    const id = objectId(now);
    const change = { id, label: objectLabel(id), old, new: now, fields: diffValues(old, now) };
    expect(trafficRisks(change, { objects: [now, pods('g', green, 2)] }).map((r) => r.text)).toStrictEqual(['traffic switch blue → green on Service web/ver']);
    expect(trafficRisks(change, { objects: [now, pods('g', green, 2)], before: [] }).map((r) => r.rule)).toStrictEqual(['traffic', 'selector']);
  });
});
