/**
 * The review heuristics one decision at a time, with the expected lines written by hand from what each
 * change does when applied (kubectl/HPA/controller behaviour), on minimal hand-built trees.
 */
import { diffTrees } from '../../review/diffTrees';
import type { KubeObject, Manifest, Tree } from '../../review/model';

const tree = (...objects: KubeObject[]): Tree => ({
  manifests: objects.map((object): Manifest => ({ env: 'prod', file: 'app.yaml', object })),
  resources: [],
});
const risks = (a: KubeObject[], b: KubeObject[]) => diffTrees(tree(...a), tree(...b)).sections.flatMap((s) => s.risks.map((r) => r.text));

const deployment = (name: string, spec: Record<string, unknown>, namespace = 'web'): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace }, spec });
const hpa = (target: Record<string, string>, namespace = 'web'): KubeObject => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace },
  spec: { scaleTargetRef: target },
});
const webTarget = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };

describe('hpa: a manifest replica count fights the HPA that owns it', () => {
  test('a changed count under an HPA is flagged with old and new values', () => {
    expect(risks([deployment('web', { replicas: 3 }), hpa(webTarget)], [deployment('web', { replicas: 4 }), hpa(webTarget)])).toEqual([
      'Deployment web/web: spec.replicas 3 → 4, but HPA web/web owns replicas — apply resets the live count; drop spec.replicas',
    ]);
  });

  test.each([
    ['another namespace', hpa(webTarget, 'other')],
    ['another name', hpa({ ...webTarget, name: 'api' })],
    ['another kind', hpa({ ...webTarget, kind: 'StatefulSet' })],
    ['another API group', hpa({ ...webTarget, apiVersion: 'example.com/v1' })],
  ])('an HPA of %s does not own the count', (_what, other) => {
    expect(risks([deployment('web', { replicas: 3 }), other], [deployment('web', { replicas: 4 }), other])).toEqual([]);
  });

  test('without an HPA a replica change is not a risk', () => {
    expect(risks([deployment('web', { replicas: 3 })], [deployment('web', { replicas: 4 })])).toEqual([]);
  });
});

const service = (selector: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'ver', namespace: 'web' }, spec: { selector } });
const pods = (name: string, labels: Record<string, string>, replicas = 2) => deployment(name, { replicas, template: { metadata: { labels } } });

describe('traffic: a selector change is one line when it is a blue/green flip', () => {
  test.each([
    ['the slot key', { app: 'ver', slot: 'a' }, { app: 'ver', slot: 'b' }, 'traffic switch a → b on Service web/ver'],
    ['a prefixed slot key', { app: 'ver', 'example.com/slot': 'one' }, { app: 'ver', 'example.com/slot': 'two' }, 'traffic switch one → two on Service web/ver'],
    ['blue/green values under any key', { app: 'ver', color: 'green' }, { app: 'ver', color: 'blue' }, 'traffic switch green → blue on Service web/ver'],
  ])('%s', (_what, before, after, line) => {
    expect(risks([service(before), pods('a', before), pods('b', after)], [service(after), pods('a', before), pods('b', after)])).toEqual([line]);
  });

  test.each([
    ['two labels change', { app: 'ver', slot: 'blue' }, { app: 'web', slot: 'green' }],
    ['a label is added', { app: 'ver' }, { app: 'ver', slot: 'green' }],
    ['one non-slot label changes to non-slot values', { app: 'ver', tier: 'web' }, { app: 'ver', tier: 'api' }],
    ['a slot-like key ends in "slot" without a prefix separator', { app: 'ver', timeslot: 'am' }, { app: 'ver', timeslot: 'pm' }],
  ])('not a flip: %s', (_what, before, after) => {
    const lines = risks([service(before), pods('a', before), pods('b', after)], [service(after), pods('a', before), pods('b', after)]);
    expect(lines).toEqual([`Service web/ver: selector ${JSON.stringify(before)} → ${JSON.stringify(after)} — traffic moves to different pods`]);
  });

  test('moving onto pods that were not running before (scaled up in the same change) says so', () => {
    const green = { app: 'ver', slot: 'green' };
    const blue = { app: 'ver', slot: 'blue' };
    expect(risks([service(blue), pods('blue', blue), pods('green', green, 0)], [service(green), pods('blue', blue), pods('green', green, 2)])).toEqual([
      'Service web/ver moves onto pods that were not running before this change: a one-step switch with no endpoint while they start (synthesis refuses it: blue-green-flip); scale them up in a change of their own first',
      'traffic switch blue → green on Service web/ver',
    ]);
  });

  test('pods of another namespace, or a template without labels, are no endpoints', () => {
    const green = { app: 'ver', slot: 'green' };
    const elsewhere = deployment('green', { replicas: 2, template: { metadata: { labels: green } } }, 'other');
    expect(risks([service({ app: 'ver', slot: 'blue' }), elsewhere], [service(green), elsewhere])).toContain(
      `Service web/ver selects no workload in this tree (${JSON.stringify(green)}): no endpoints after apply`,
    );
    expect(risks([service({ x: 'a' }), deployment('bare', { replicas: 1, template: {} })], [service({}), deployment('bare', { replicas: 1, template: {} })])).toContain(
      'Service web/ver selects no workload in this tree ({}): no endpoints after apply',
    );
  });

  test('a Service change that leaves the selector alone is no traffic risk', () => {
    const before = { ...service({ app: 'ver' }), metadata: { name: 'ver', namespace: 'web', labels: { a: '1' } } };
    expect(risks([before, pods('a', { app: 'ver' })], [service({ app: 'ver' }), pods('a', { app: 'ver' })])).toEqual([]);
  });
});

const withContainers = (containers: unknown[], extra: Record<string, unknown> = {}) => deployment('web', { template: { spec: { containers } }, ...extra });

describe('rollout: template changes replace the pods', () => {
  test('an image change names old and new; with several containers, which one', () => {
    expect(risks([withContainers([{ name: 'web', image: 'a:1' }])], [withContainers([{ name: 'web', image: 'a:2' }])])).toEqual(['rollout of Deployment web/web: a:1 → a:2']);
    expect(risks([withContainers([{ name: 'web', image: 'a:1' }, { name: 'side', image: 's:1' }])], [withContainers([{ name: 'web', image: 'a:1' }, { name: 'side', image: 's:2' }])])).toEqual([
      'rollout of Deployment web/web [side]: s:1 → s:2',
    ]);
  });

  test('an init container image counts too', () => {
    const pod = (image: string) => deployment('web', { template: { spec: { initContainers: [{ name: 'init', image }], containers: [{ name: 'web', image: 'a:1' }] } } });
    expect(risks([pod('i:1')], [pod('i:2')])).toEqual(['rollout of Deployment web/web [init]: i:1 → i:2']);
  });

  test('other template edits: the first path and how many more; OnDelete says pods change only as they are deleted', () => {
    const pod = (env: string, args: string[], strategy?: string) =>
      deployment('web', { ...(strategy ? { updateStrategy: { type: strategy } } : {}), template: { spec: { containers: [{ name: 'web', image: 'a:1', env: [{ name: 'X', value: env }], args }] } } });
    expect(risks([pod('1', ['a'])], [pod('2', ['b'])])).toEqual(['rollout of Deployment web/web: pod template changed (spec.template.spec.containers[web].env[X].value and 1 more)']);
    expect(risks([pod('1', ['a'], 'OnDelete')], [pod('2', ['a'], 'OnDelete')])).toEqual([
      'rollout of Deployment web/web: pod template changed (spec.template.spec.containers[web].env[X].value) (OnDelete: only as pods are deleted)',
    ]);
  });

  test('changes outside the template roll nothing', () => {
    expect(risks([withContainers([{ name: 'web', image: 'a:1' }], { minReadySeconds: 1 })], [withContainers([{ name: 'web', image: 'a:1' }], { minReadySeconds: 5 })])).toEqual([]);
  });

  test('a CronJob rolls its next jobs; a Job template is immutable instead', () => {
    const cron = (image: string): KubeObject => ({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c', namespace: 'b' }, spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image }] } } } } } });
    const job = (image: string): KubeObject => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'b' }, spec: { template: { spec: { containers: [{ name: 'j', image }] } } } });
    expect(risks([cron('c:1')], [cron('c:2')])).toEqual(['rollout of CronJob b/c: c:1 → c:2']);
    expect(risks([job('j:1')], [job('j:2')])).toEqual(['Job b/j: spec.template is immutable — will fail on apply; delete and recreate (kubectl delete job.batch/j -n b, then apply)']);
  });
});

describe('immutable fields', () => {
  test('a Secret marked immutable cannot change its data; an unmarked one can', () => {
    const secret = (value: string, immutable?: boolean): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'a' }, ...(immutable === undefined ? {} : { immutable }), data: { k: value } });
    expect(risks([secret('YQ==', true)], [secret('Yg==', true)])).toEqual(['Secret a/s: data is immutable — will fail on apply; delete and recreate (kubectl delete secret/s -n a, then apply)']);
    expect(risks([secret('YQ==')], [secret('Yg==')])).toEqual([]);
    expect(risks([secret('YQ==', false)], [secret('Yg==', false)])).toEqual([]);
  });

  test('several immutable paths at once are listed in one line', () => {
    const sts = (serviceName: string, podManagementPolicy: string): KubeObject => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'd' }, spec: { serviceName, podManagementPolicy } });
    expect(risks([sts('a', 'OrderedReady')], [sts('b', 'Parallel')])).toEqual([
      'StatefulSet d/db: spec.serviceName, spec.podManagementPolicy are immutable — will fail on apply; delete and recreate (kubectl delete statefulset.apps/db -n d, then apply)',
    ]);
  });

  test('a selector change of a Deployment fails on apply, and the rollout line is left out', () => {
    const d = (app: string, image: string) => deployment('web', { selector: { matchLabels: { app } }, template: { metadata: { labels: { app } }, spec: { containers: [{ name: 'web', image }] } } });
    expect(risks([d('a', 'x:1')], [d('b', 'x:2')])).toEqual(['Deployment web/web: spec.selector is immutable — will fail on apply; delete and recreate (kubectl delete deployment.apps/web -n web, then apply)']);
  });
});
