/**
 * Where each kind keeps its pod template, which pods a selector reaches, replicas and containers —
 * asserted against the Kubernetes API shapes (apps/v1, batch/v1, v1) written out by hand.
 */
import { Manifest, readManifests } from '../../guardrails/manifest';
import { labelSelector, mapSelector } from '../../guardrails/selector';
import { checkTemplates, containersOf, describeContainer, indexTemplates, isLongRunning, podTemplateOf, replicasOf } from '../../guardrails/workload';

function manifest(object: object): Manifest {
  return readManifests([{ file: 'f.yaml', object }]).manifests[0];
}
const manifests = (...objects: object[]) => readManifests(objects.map((object) => ({ file: 'f.yaml', object }))).manifests;

const POD_SPEC = { containers: [{ name: 'c', image: 'i' }] };
const template = (labels: object = { app: 'a' }, spec: object = POD_SPEC) => ({ metadata: { labels }, spec });
const workload = (apiVersion: string, kind: string, spec: object, name = 'w', namespace?: string) => ({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) }, spec });

describe('podTemplateOf: built-in kinds', () => {
  it.each([
    ['apps/v1', 'Deployment'],
    ['apps/v1', 'StatefulSet'],
    ['apps/v1', 'DaemonSet'],
    ['apps/v1', 'ReplicaSet'],
    ['extensions/v1beta1', 'Deployment'],
    ['extensions/v1beta1', 'DaemonSet'],
    ['extensions/v1beta1', 'ReplicaSet'],
    ['apps/v1beta2', 'StatefulSet'],
    ['v1', 'ReplicationController'],
    ['batch/v1', 'Job'],
    ['apps.openshift.io/v1', 'DeploymentConfig'],
  ])('%s %s keeps it at spec.template', (apiVersion, kind) => {
    expect(podTemplateOf(manifest(workload(apiVersion, kind, { template: template({ app: 'x', n: 1 }) })))).toEqual({ labels: { app: 'x' }, spec: POD_SPEC, path: 'spec.template.spec' });
  });

  it('CronJob keeps it at spec.jobTemplate.spec.template', () => {
    expect(podTemplateOf(manifest(workload('batch/v1', 'CronJob', { jobTemplate: { spec: { template: template() } } })))).toEqual({
      labels: { app: 'a' },
      spec: POD_SPEC,
      path: 'spec.jobTemplate.spec.template.spec',
    });
  });

  it('a bare Pod is its own template', () => {
    expect(podTemplateOf(manifest({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { app: 'p', x: 2 } }, spec: POD_SPEC }))).toEqual({
      labels: { app: 'p' },
      spec: POD_SPEC,
      path: 'spec',
    });
    expect(podTemplateOf(manifest({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: POD_SPEC }))).toEqual({ labels: {}, spec: POD_SPEC, path: 'spec' });
    expect(podTemplateOf(manifest({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }))).toBeUndefined();
    expect(podTemplateOf(manifest({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: 'x' }))).toBeUndefined();
    // A Pod of another group is not a Pod.
    expect(podTemplateOf(manifest({ apiVersion: 'example.com/v1', kind: 'Pod', metadata: { name: 'p' }, spec: POD_SPEC }))).toBeUndefined();
  });

  it('kinds in the wrong group are not workloads', () => {
    expect(podTemplateOf(manifest(workload('batch/v1', 'Deployment', { template: template() })))).toBeUndefined();
    expect(podTemplateOf(manifest(workload('apps/v1', 'Job', { template: template() })))).toBeUndefined();
    expect(podTemplateOf(manifest(workload('v1', 'Deployment', { template: template() })))).toBeUndefined();
    expect(podTemplateOf(manifest(workload('apps/v1', 'ReplicationController', { template: template() })))).toBeUndefined();
    expect(podTemplateOf(manifest(workload('apps/v1', 'DeploymentConfig', { template: template() })))).toBeUndefined();
  });

  it('a CronJob without jobTemplate is an incomplete workload, not one with a template elsewhere', () => {
    expect(podTemplateOf(manifest(workload('batch/v1', 'CronJob', { template: template() })))).toEqual({ labels: {}, spec: {}, path: 'spec.jobTemplate.spec.template.spec' });
  });

  it('an incomplete workload still has pods: labels from the template, else the selector', () => {
    expect(podTemplateOf(manifest(workload('apps/v1', 'Deployment', { template: { metadata: { labels: { app: 't' } } } })))).toEqual({
      labels: { app: 't' },
      spec: {},
      path: 'spec.template.spec',
    });
    expect(podTemplateOf(manifest(workload('apps/v1', 'Deployment', { selector: { matchLabels: { app: 's' } } })))).toEqual({
      labels: { app: 's' },
      spec: {},
      path: 'spec.template.spec',
    });
    // ReplicationController: a plain map selector.
    expect(podTemplateOf(manifest(workload('v1', 'ReplicationController', { selector: { app: 'rc' } })))).toEqual({
      labels: { app: 'rc' },
      spec: {},
      path: 'spec.template.spec',
    });
    expect(podTemplateOf(manifest(workload('batch/v1', 'CronJob', { jobTemplate: { spec: { selector: { matchLabels: { app: 'cj' } } } } })))?.labels).toEqual({ app: 'cj' });
    // A template without labels has no labels, whatever the selector says.
    expect(podTemplateOf(manifest(workload('apps/v1', 'Deployment', { selector: { matchLabels: { app: 's' } }, template: { spec: POD_SPEC } })))?.labels).toEqual({});
  });

  it('objects of built-in groups are never searched for templates', () => {
    const nested = { template: template() };
    for (const apiVersion of ['v1', 'apps/v1', 'batch/v1', 'autoscaling/v2', 'policy/v1', 'extensions/v1beta1', 'networking.k8s.io/v1', 'x.k8s.io/v1']) {
      expect(podTemplateOf(manifest(workload(apiVersion, 'Thing', nested)))).toBeUndefined();
    }
  });
});

describe('podTemplateOf: custom resources, found by shape', () => {
  it('finds spec.template of a Rollout-like kind', () => {
    expect(podTemplateOf(manifest(workload('argoproj.io/v1alpha1', 'Rollout', { replicas: 2, template: template({ app: 'r' }) })))).toEqual({
      labels: { app: 'r' },
      spec: POD_SPEC,
      path: 'spec.template.spec',
    });
  });

  it('searches groups that only resemble built-in ones', () => {
    for (const apiVersion of ['apps.example.com/v1', 'myapps/v1', 'batch2/v1', 'k8s.io.example.com/v1', 'examplek8s.io/v1']) {
      expect(podTemplateOf(manifest(workload(apiVersion, 'Thing', { template: template() })))?.path).toBe('spec.template.spec');
    }
  });

  it('finds nested templates breadth-first, up to four levels deep', () => {
    expect(podTemplateOf(manifest(workload('keda.sh/v1alpha1', 'ScaledJob', { jobTargetRef: { template: template() } })))?.path).toBe('spec.jobTargetRef.template.spec');
    expect(podTemplateOf(manifest(workload('x.io/v1', 'T', { a: { b: { template: template() } } })))?.path).toBe('spec.a.b.template.spec');
    expect(podTemplateOf(manifest(workload('x.io/v1', 'T', { a: { b: { c: { template: template() } } } })))).toBeUndefined();
    // Shallower wins over deeper, whatever the key order.
    expect(podTemplateOf(manifest(workload('x.io/v1', 'T', { a: { deep: template({ d: '1' }) }, shallow: template({ s: '1' }) })))?.path).toBe('spec.shallow.spec');
    // At one depth, the first key wins.
    expect(podTemplateOf(manifest(workload('x.io/v1', 'T', { one: template({ o: '1' }), two: template({ t: '1' }) })))?.labels).toEqual({ o: '1' });
  });

  it('a template at the top level of the object is found too', () => {
    expect(podTemplateOf(manifest({ apiVersion: 'x.io/v1', kind: 'T', metadata: { name: 'w' }, template: template() }))?.path).toBe('template.spec');
  });

  it("not the object's own spec, metadata or status", () => {
    expect(podTemplateOf(manifest(workload('monitoring.coreos.com/v1', 'Prometheus', POD_SPEC)))).toBeUndefined();
    expect(podTemplateOf(manifest({ apiVersion: 'x.io/v1', kind: 'T', metadata: { name: 'w', template: template() } }))).toBeUndefined();
    expect(podTemplateOf(manifest({ apiVersion: 'x.io/v1', kind: 'T', metadata: { name: 'w' }, status: { template: template() } }))).toBeUndefined();
  });

  it('needs a non-empty list of container objects', () => {
    expect(podTemplateOf(manifest(workload('x.io/v1', 'T', { template: template({}, { containers: [] }) })))).toBeUndefined();
    expect(podTemplateOf(manifest(workload('x.io/v1', 'T', { template: template({}, { containers: [null, 'c'] }) })))).toBeUndefined();
    expect(podTemplateOf(manifest(workload('x.io/v1', 'T', { template: template({}, { containers: { a: { name: 'a' } } }) })))).toBeUndefined();
    expect(podTemplateOf(manifest(workload('x.io/v1', 'T', { template: template({}, { containers: [{}] }) })))?.path).toBe('spec.template.spec');
  });

  it('reads each object once', () => {
    const m = manifest(workload('apps/v1', 'Deployment', { template: template() }));
    expect(podTemplateOf(m)).toBe(podTemplateOf(m));
    const none = manifest({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
    expect(podTemplateOf(none)).toBeUndefined();
    expect(podTemplateOf(none)).toBeUndefined();
  });
});

describe('isLongRunning', () => {
  const long = (object: object) => {
    const m = manifest(object);
    return isLongRunning(m, podTemplateOf(m)!);
  };
  it('Pods restart Always by default; other policies run to completion', () => {
    const pod = (spec: object) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec });
    expect(long(pod(POD_SPEC))).toBe(true);
    expect(long(pod({ ...POD_SPEC, restartPolicy: 'Always' }))).toBe(true);
    expect(long(pod({ ...POD_SPEC, restartPolicy: 'OnFailure' }))).toBe(false);
    expect(long(pod({ ...POD_SPEC, restartPolicy: 'Never' }))).toBe(false);
  });
  it('Jobs and CronJobs never; Deployments and custom kinds that restart Always do', () => {
    expect(long(workload('batch/v1', 'Job', { template: template() }))).toBe(false);
    expect(long(workload('batch/v1', 'CronJob', { jobTemplate: { spec: { template: template() } } }))).toBe(false);
    expect(long(workload('apps/v1', 'Deployment', { template: template() }))).toBe(true);
    expect(long(workload('argoproj.io/v1alpha1', 'Rollout', { template: template() }))).toBe(true);
    expect(long(workload('argoproj.io/v1alpha1', 'Rollout', { template: template({}, { ...POD_SPEC, restartPolicy: 'Never' }) }))).toBe(false);
    expect(long(workload('keda.sh/v1alpha1', 'ScaledJob', { jobTargetRef: { template: template() } }))).toBe(false);
    expect(long(workload('x.io/v1', 'JobRunner', { template: template() }))).toBe(true);
  });
});

describe('containersOf / describeContainer', () => {
  const spec = { containers: [{ name: 'app' }, { image: 'x' }, null], initContainers: [{ name: 'init' }, 'junk', { image: 'y' }] };
  it('lists containers then init containers, with their paths', () => {
    expect(containersOf(spec)).toEqual([
      { name: 'app', init: false, spec: { name: 'app' }, path: 'containers[0]' },
      { name: '#1', init: false, spec: { image: 'x' }, path: 'containers[1]' },
      { name: 'init', init: true, spec: { name: 'init' }, path: 'initContainers[0]' },
      { name: '#1', init: true, spec: { image: 'y' }, path: 'initContainers[1]' },
    ]);
    expect(containersOf(spec, { includeInit: true })).toHaveLength(4);
    expect(containersOf(spec, { includeInit: false }).map((c) => c.path)).toEqual(['containers[0]', 'containers[1]']);
    expect(containersOf({})).toEqual([]);
  });
  it('names containers as messages do', () => {
    expect(describeContainer({ name: 'app', init: false, spec: {}, path: '' })).toBe('container "app"');
    expect(describeContainer({ name: 'init', init: true, spec: {}, path: '' })).toBe('init container "init"');
  });
});

/** `{ a: { b: leaf } }` for ['a', 'b']. */
const nest = (keys: string[], leaf: object): object => keys.reduceRight((inner: object, key) => ({ [key]: inner }), leaf);

describe('indexTemplates', () => {
  const ms = manifests(
    workload('apps/v1', 'Deployment', { template: template({ app: 'web', tier: 'front' }) }, 'web', 'shop'),
    workload('apps/v1', 'Deployment', { template: template({ app: 'api' }) }, 'api', 'shop'),
    workload('apps/v1', 'Deployment', { template: template({ app: 'web' }) }, 'other-web', 'other'),
    workload('apps/v1', 'Deployment', { template: template({}) }, 'bare', 'shop'),
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop', labels: { app: 'web' } } },
  );
  const names = (namespace: string, selector: ReturnType<typeof mapSelector>) => indexTemplates(ms).matching(namespace, selector).map((t) => t.manifest.name);

  it('matches within the namespace only', () => {
    expect(names('shop', mapSelector({ app: 'web' }))).toEqual(['web']);
    expect(names('other', mapSelector({ app: 'web' }))).toEqual(['other-web']);
    expect(names('none', mapSelector({ app: 'web' }))).toEqual([]);
    expect(names('shop', mapSelector({ app: 'web', tier: 'front' }))).toEqual(['web']);
    expect(names('shop', mapSelector({ tier: 'front', app: 'api' }))).toEqual([]);
    expect(names('shop', mapSelector({ app: 'db' }))).toEqual([]);
  });

  it('a selector without matchLabels is tested against every template of the namespace', () => {
    expect(names('shop', labelSelector({}))).toEqual(['web', 'api', 'bare']);
    expect(names('shop', labelSelector({ matchExpressions: [{ key: 'app', operator: 'In', values: ['api', 'web'] }] }))).toEqual(['web', 'api']);
    expect(names('shop', labelSelector({ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }))).toEqual(['bare']);
    expect(names('nowhere', labelSelector({}))).toEqual([]);
  });

  it('returns the templates themselves', () => {
    const [found] = indexTemplates(ms).matching('shop', mapSelector({ app: 'api' }));
    expect(found.manifest).toBe(ms[1]);
    expect(found.template).toBe(podTemplateOf(ms[1]));
  });

  it("indexes the other label sets of a custom workload's pods (Argo canary steps, experiments)", () => {
    const rollout = workload(
      'argoproj.io/v1alpha1',
      'Rollout',
      {
        template: template({ app: 'r' }),
        strategy: { canary: { steps: [{ experiment: { templates: [{ name: 'x', metadata: { labels: { role: 'exp' } } }, { metadata: { labels: {} } }] } }] } },
        deep: nest(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'], { metadata: { labels: { depth: '10' } } }),
        deeper: nest(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'], { metadata: { labels: { depth: '11' } } }),
      },
      'r',
      'ns',
    );
    const deployment = workload('apps/v1', 'Deployment', { template: template({ app: 'd' }), x: { metadata: { labels: { role: 'exp' } } } }, 'd', 'ns');
    const index = indexTemplates(manifests(rollout, deployment));
    const match = (labels: object) => index.matching('ns', mapSelector(labels)).map((t) => `${t.manifest.name} ${JSON.stringify(t.template.labels)} ${t.template.path}`);
    expect(match({ app: 'r' })).toEqual(['r {"app":"r"} spec.template.spec']);
    expect(match({ role: 'exp' })).toEqual(['r {"role":"exp"} spec.template.spec']);
    expect(match({ depth: '10' })).toEqual(['r {"depth":"10"} spec.template.spec']);
    expect(match({ depth: '11' })).toEqual([]);
    expect(index.matching('ns', labelSelector({})).map((t) => t.manifest.name)).toEqual(['r', 'r', 'r', 'd']);
  });
});

describe('replicasOf', () => {
  it.each([
    ['apps/v1', 'Deployment'],
    ['apps/v1', 'StatefulSet'],
    ['apps/v1', 'ReplicaSet'],
    ['extensions/v1beta1', 'Deployment'],
    ['v1', 'ReplicationController'],
    ['argoproj.io/v1alpha1', 'Rollout'],
  ])('%s %s: spec.replicas, else the API default 1', (apiVersion, kind) => {
    expect(replicasOf(manifest(workload(apiVersion, kind, { replicas: 3, template: template() })))).toBe(3);
    expect(replicasOf(manifest(workload(apiVersion, kind, { replicas: 0, template: template() })))).toBe(0);
    expect(replicasOf(manifest(workload(apiVersion, kind, { template: template() })))).toBe(1);
    expect(replicasOf(manifest(workload(apiVersion, kind, { replicas: '3' })))).toBe(1);
  });

  it('is undefined for DaemonSets, Jobs, Pods and kinds in other groups', () => {
    // A stray replicas field does not make a DaemonSet or a Job scalable (the API server drops it).
    expect(replicasOf(manifest(workload('apps/v1', 'DaemonSet', { replicas: 3, template: template() })))).toBeUndefined();
    expect(replicasOf(manifest(workload('batch/v1', 'Job', { replicas: 3, template: template() })))).toBeUndefined();
    expect(replicasOf(manifest(workload('apps.openshift.io/v1', 'DeploymentConfig', { replicas: 3, template: template() })))).toBe(3);
    expect(replicasOf(manifest(workload('batch/v1', 'Job', { template: template() })))).toBeUndefined();
    expect(replicasOf(manifest({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: POD_SPEC }))).toBeUndefined();
    expect(replicasOf(manifest(workload('batch/v1', 'Deployment', { template: template() })))).toBeUndefined();
    expect(replicasOf(manifest(workload('apps/v1', 'ReplicationController', { template: template() })))).toBeUndefined();
    expect(replicasOf(manifest(workload('example.com/v1', 'Rollout', {})))).toBeUndefined();
  });

  it('other custom workloads: a replica count and a template at spec.template', () => {
    expect(replicasOf(manifest(workload('apps.kruise.io/v1alpha1', 'CloneSet', { replicas: 4, template: template() })))).toBe(4);
    expect(replicasOf(manifest(workload('apps.kruise.io/v1alpha1', 'CloneSet', { template: template() })))).toBeUndefined();
    expect(replicasOf(manifest(workload('keda.sh/v1alpha1', 'ScaledJob', { replicas: 4, jobTargetRef: { template: template() } })))).toBeUndefined();
    expect(replicasOf(manifest(workload('x.io/v1', 'T', { replicas: 4 })))).toBeUndefined();
  });
});

describe('checkTemplates', () => {
  it('runs the check on every template and names fields from the object root', () => {
    const ms = manifests(
      workload('apps/v1', 'Deployment', { template: template() }, 'd'),
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } },
      workload('batch/v1', 'CronJob', { jobTemplate: { spec: { template: template() } } }, 'cj'),
    );
    const seen: string[] = [];
    const violations = checkTemplates(ms, (t, m) => {
      seen.push(`${m.name} ${t.path}`);
      return [
        { problem: 'p', fix: 'f', field: 'containers[0].image' },
        { problem: 'q', fix: 'g', severity: 'warning' },
      ];
    });
    expect(seen).toEqual(['d spec.template.spec', 'cj spec.jobTemplate.spec.template.spec']);
    expect(violations).toEqual([
      { manifest: ms[0], problem: 'p', fix: 'f', field: 'spec.template.spec.containers[0].image' },
      { manifest: ms[0], problem: 'q', fix: 'g', severity: 'warning', field: 'spec.template.spec' },
      { manifest: ms[2], problem: 'p', fix: 'f', field: 'spec.jobTemplate.spec.template.spec.containers[0].image' },
      { manifest: ms[2], problem: 'q', fix: 'g', severity: 'warning', field: 'spec.jobTemplate.spec.template.spec' },
    ]);
  });
});
