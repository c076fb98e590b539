/**
 * Exact findings of the guardrail rules s..z (schema to unsafe-sysctls), on hand-built manifests.
 * Expectations are written out from each rule's documented intent and the Kubernetes API (the OpenAPI
 * schema's types and enums, headless Services, topology spread constraints, the kubelet's safe
 * sysctls), never computed by the code under test.
 */
import { readManifests } from '../../guardrails/manifest';
import { uncheckedObjects } from '../../guardrails/rules/schema';
import { ALL_KINDS, expected, findingsOf, NS, pdb, POD_SPEC_PATH, ref, service, workload } from './hand-built';

const container = (name: string, extra: Record<string, unknown> = {}) => ({ name, image: 'example/app:1.0.0', ...extra });
const pods = { containers: [container('app')] };

describe('schema', () => {
  const R = 'schema';
  const FIX = 'fix the field as the API reference describes it';
  const deployment = (spec: Record<string, unknown> = {}, templateSpec: Record<string, unknown> = { containers: [container('c')] }) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', namespace: NS },
    spec: { selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: templateSpec }, ...spec },
  });
  const D = ref('Deployment', 'd');
  const flagged = (object: unknown) => findingsOf(R, [object]).map((f) => [f.rule, f.severity, f.object, f.field, f.problem, f.fix]);
  const one = (object: string, field: string, problem: string, fix = FIX) => [R, 'error', object, field, problem, fix];

  it('accepts a well-formed object', () => {
    expect(findingsOf(R, [deployment()])).toEqual([]);
  });

  it('needs an apiVersion and a kind, naming the missing one (apiVersion first)', () => {
    const both = 'add both: every Kubernetes object needs them';
    expect(flagged({ apiVersion: 'v1', metadata: { name: 'x' } })).toEqual([one('(no kind)/x', 'kind', 'has no apiVersion/kind', both)]);
    expect(flagged({ kind: 'ConfigMap', metadata: { name: 'x' } })).toEqual([one('ConfigMap/x', 'apiVersion', 'has no apiVersion/kind', both)]);
    expect(flagged({ metadata: { name: 'x' } })).toEqual([one('(no kind)/x', 'apiVersion', 'has no apiVersion/kind', both)]);
  });

  it('needs a name or a generateName, on every kind of object', () => {
    expect(flagged({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} })).toEqual([one('ConfigMap/(unnamed)', 'metadata.name', 'has no metadata.name', 'name the object')]);
    expect(flagged({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'cm-' } })).toEqual([]);
    // Removed versions are left to removed-api, except for the name.
    expect(flagged({ apiVersion: 'extensions/v1beta1', kind: 'Deployment', metadata: {}, spec: { unknownField: 1 } })).toEqual([one('Deployment/(unnamed)', 'metadata.name', 'has no metadata.name', 'name the object')]);
    expect(flagged({ apiVersion: 'extensions/v1beta1', kind: 'Deployment', metadata: { name: 'old' }, spec: { unknownField: 1 } })).toEqual([]);
  });

  it('describes each kind of schema error in words, with the field path', () => {
    expect(flagged({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: { containers: [container('c')] } } } })).toEqual([one('Deployment/d', 'spec.selector', 'is required')]);
    expect(flagged({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'b' } })).toEqual([one('Binding/b', 'target', 'is required')]);
    expect(flagged(deployment({ replicas: 'two' }))).toEqual([one(D, 'spec.replicas', 'must be an integer')]);
    expect(flagged(deployment({ template: 'pods' }))).toEqual([one(D, 'spec.template', 'must be a mapping')]);
    expect(flagged(deployment({}, { containers: {} }))).toEqual([one(D, 'spec.template.spec.containers', 'must be a list')]);
    expect(flagged(deployment({}, { containers: [{ name: 'c', image: 5 }] }))).toEqual([one(D, 'spec.template.spec.containers[0].image', 'must be a string')]);
    expect(flagged(deployment({ paused: 'yes' }))).toEqual([one(D, 'spec.paused', 'must be a boolean')]);
    expect(flagged(deployment({ strategy: { type: 'BlueGreen' } }))).toEqual([one(D, 'spec.strategy.type', 'must be one of "Recreate", "RollingUpdate"')]);
    expect(flagged({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', creationTimestamp: 'yesterday' } })).toEqual([one('ConfigMap/c', 'metadata.creationTimestamp', 'must be a valid date-time')]);
    expect(flagged(deployment({ revisionHistoryLimit: 1.5 }))).toEqual([one(D, 'spec.revisionHistoryLimit', 'must be an integer'), one(D, 'spec.revisionHistoryLimit', 'must be a valid int32')]);
    // int-or-string: neither alternative fits.
    expect(flagged({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p' }, spec: { minAvailable: true } })).toEqual([
      one('PodDisruptionBudget/p', 'spec.minAvailable', 'must be a string'),
      one('PodDisruptionBudget/p', 'spec.minAvailable', 'must be an integer'),
      one('PodDisruptionBudget/p', 'spec.minAvailable', 'is invalid (oneOf)'),
    ]);
  });

  it('writes map keys that are not plain words in brackets (JSON Pointer ~1 and ~0 decoded)', () => {
    const labels = { 'app.kubernetes.io/name': 1, 'my-label': 2, 'a/b~c': 3, plain_word: 4 };
    expect(flagged({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels } })).toEqual([
      one('ConfigMap/c', 'metadata.labels["app.kubernetes.io/name"]', 'must be a string'),
      one('ConfigMap/c', 'metadata.labels.my-label', 'must be a string'),
      one('ConfigMap/c', 'metadata.labels["a/b~c"]', 'must be a string'),
      one('ConfigMap/c', 'metadata.labels.plain_word', 'must be a string'),
    ]);
  });

  it('refuses unknown fields, suggesting the closest known one', () => {
    expect(flagged(deployment({ replica: 2, zzzqqq: 1 }))).toEqual([
      one(D, 'spec.replica', 'is not a field of apps/v1 Deployment (the API server rejects unknown fields)', 'did you mean replicas?'),
      one(D, 'spec.zzzqqq', 'is not a field of apps/v1 Deployment (the API server rejects unknown fields)', 'remove it'),
    ]);
  });

  it('names unknown versions of built-in groups, and kinds that live in another version', () => {
    expect(flagged({ apiVersion: 'v2', kind: 'Pod', metadata: { name: 'x' } })).toEqual([one('Pod/x', 'apiVersion', 'v2 is not an API version of Kubernetes', 'did you mean v1?')]);
    expect(flagged({ apiVersion: 'foo.k8s.io/v1', kind: 'Pod', metadata: { name: 'x' } })).toEqual([
      one('Pod/x', 'apiVersion', 'foo.k8s.io/v1 is not an API version of Kubernetes (group foo.k8s.io serves no version known here)', 'fix the apiVersion'),
    ]);
    const [v2] = flagged({ apiVersion: 'apps/v2', kind: 'Deployment', metadata: { name: 'x' } });
    expect(v2.slice(0, 4)).toEqual([R, 'error', 'Deployment/x', 'apiVersion']);
    expect(v2[4]).toMatch(/^apps\/v2 is not an API version of Kubernetes \(group apps serves apps\/v1(, [^)]+)?\)$/);
    expect(v2[5]).toBe('did you mean apps/v1?');
    expect(flagged({ apiVersion: 'apps/v1', kind: 'ConfigMap', metadata: { name: 'x' } })).toEqual([one('ConfigMap/x', 'apiVersion', 'ConfigMap is not a kind of apps/v1', 'use v1')]);
    expect(flagged({ apiVersion: 'apps/v1', kind: 'Deploymnt', metadata: { name: 'x' } })).toEqual([one('Deploymnt/x', 'kind', 'Deploymnt is not a kind of apps/v1', 'did you mean Deployment?')]);
    expect(flagged({ apiVersion: 'apps/v1', kind: 'Qqqqqqqqqqq', metadata: { name: 'x' } })).toEqual([one('Qqqqqqqqqqq/x', 'kind', 'Qqqqqqqqqqq is not a kind of apps/v1', 'fix the kind or the apiVersion')]);
  });

  it('checks custom resources against their CustomResourceDefinition, and counts the others as not checked', () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { kind: 'Widget', plural: 'widgets', singular: 'widget' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }],
      },
    };
    const widget = (spec: unknown) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec });
    expect(findingsOf(R, [crd, widget({ size: 3 })])).toEqual([]);
    expect(findingsOf(R, [crd, widget({ size: 'big' })]).map((f) => [f.object, f.field, f.problem, f.fix])).toEqual([['Widget/w', 'spec.size', 'must be of type integer (CustomResourceDefinition of Widget)', FIX]]);
    expect(findingsOf(R, [widget({ size: 'big' })])).toEqual([]);
    const { manifests } = readManifests([widget({}), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, { apiVersion: 'apps/v9', kind: 'X', metadata: { name: 'x' } }, { kind: 'Y', metadata: { name: 'y' } }].map((object) => ({ file: 'f', object })));
    expect(uncheckedObjects(manifests).map((m) => m.ref)).toEqual(['Widget/w']);
    expect(uncheckedObjects(readManifests([crd, widget({})].map((object) => ({ file: 'f', object }))).manifests)).toEqual([]);
  });
});

describe('secret-literal-data', () => {
  const R = 'secret-literal-data';
  const FIX = 'create the Secret out of band (Pulumi secret or kubectl create secret) and keep only references in manifests';
  const secret = (body: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: NS }, ...body });

  it('refuses literal values in data and stringData, listing every key', () => {
    expect(findingsOf(R, [secret({ data: { password: 'cGFzcw==' } })])).toEqual([expected(R, 'error', ref('Secret', 's'), 'data', 'carries literal values (data.password)', FIX)]);
    expect(findingsOf(R, [secret({ stringData: { 'tls.crt': 'x' } })])).toEqual([expected(R, 'error', ref('Secret', 's'), 'stringData', 'carries literal values (stringData.tls.crt)', FIX)]);
    expect(findingsOf(R, [secret({ data: { a: 'x', b: 'y' }, stringData: { c: 'z' } })])).toEqual([expected(R, 'error', ref('Secret', 's'), 'data', 'carries literal values (data.a, data.b, stringData.c)', FIX)]);
  });

  it('accepts a Secret without values, and other kinds with data', () => {
    expect(findingsOf(R, [secret({}), secret({ data: {}, stringData: {} }), secret({ type: 'kubernetes.io/service-account-token' })])).toEqual([]);
    expect(findingsOf(R, [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } }])).toEqual([]);
    expect(findingsOf(R, [{ apiVersion: 'example.com/v1', kind: 'Secret', metadata: { name: 'c' }, data: { a: 'b' } }])).toEqual([]);
  });
});

describe('selector-matches-no-pod', () => {
  const R = 'selector-matches-no-pod';
  const web = workload('Deployment', 'web', pods, { labels: { app: 'web', tier: 'front' } });

  it('accepts selectors that match a pod template of the namespace (any kind)', () => {
    for (const kind of ALL_KINDS) {
      const w = workload(kind, 'web', { ...pods, restartPolicy: 'Never' });
      expect(findingsOf(R, [service('web', { app: 'web' }), pdb('web', { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } }), w])).toEqual([]);
    }
  });

  it('refuses a Service selector that matches nothing in its namespace', () => {
    const FIX = 'fix the selector or the pod labels';
    expect(findingsOf(R, [service('web', { app: 'wbe' }), web])).toEqual([expected(R, 'error', ref('Service', 'web'), 'spec.selector', 'selector app=wbe matches no pod template in namespace "apps"', FIX)]);
    expect(findingsOf(R, [service('web', { app: 'web', tier: 'back' }), web]).map((f) => f.problem)).toEqual(['selector app=web,tier=back matches no pod template in namespace "apps"']);
    const other = { ...service('web', { app: 'web' }), metadata: { name: 'web' } };
    expect(findingsOf(R, [other, web])).toEqual([expected(R, 'error', 'Service/web', 'spec.selector', 'selector app=web matches no pod template in namespace "default"', FIX)]);
  });

  it('accepts a Service without a selector (endpoints managed elsewhere)', () => {
    expect(findingsOf(R, [service('ext', undefined), service('empty', {}), service('name', undefined, [], { type: 'ExternalName', externalName: 'example.com' })])).toEqual([]);
  });

  it('refuses a PodDisruptionBudget without a selector or matching nothing', () => {
    const P = ref('PodDisruptionBudget', 'guard');
    for (const spec of [{ maxUnavailable: 1 }, { maxUnavailable: 1, selector: null }]) {
      expect(findingsOf(R, [pdb('guard', spec), web])).toEqual([expected(R, 'error', P, 'spec.selector', 'has no spec.selector, so it protects no pod', 'select the pods of the workload it guards')]);
    }
    expect(findingsOf(R, [pdb('guard', { maxUnavailable: 1, selector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['back', 'db'] }] } }), web])).toEqual([
      expected(R, 'error', P, 'spec.selector', 'selector tier in (back,db) matches no pod template in namespace "apps"', 'fix the selector or the pod labels'),
    ]);
    expect(findingsOf(R, [pdb('guard', { maxUnavailable: 1, selector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] } }), web])).toEqual([]);
    // An empty selector selects every pod of the namespace: it matches when there is one.
    expect(findingsOf(R, [pdb('guard', { maxUnavailable: 1, selector: {} }), web])).toEqual([]);
    expect(findingsOf(R, [pdb('guard', { maxUnavailable: 1, selector: {} })])).toEqual([expected(R, 'error', P, 'spec.selector', 'selector (empty) matches no pod template in namespace "apps"', 'fix the selector or the pod labels')]);
  });

  it('refuses a NetworkPolicy podSelector matching nothing; an empty one selects the whole namespace', () => {
    const policy = (podSelector: unknown) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'np', namespace: NS }, spec: { podSelector } });
    expect(findingsOf(R, [policy({ matchLabels: { app: 'db' } }), web])).toEqual([
      expected(R, 'error', ref('NetworkPolicy', 'np'), 'spec.podSelector', 'podSelector app=db matches no pod template in namespace "apps"', 'fix the podSelector or the pod labels'),
    ]);
    expect(findingsOf(R, [policy({ matchLabels: { app: 'web' } }), web])).toEqual([]);
    expect(findingsOf(R, [policy({})])).toEqual([]);
  });

  it('ignores other kinds with selectors', () => {
    expect(findingsOf(R, [workload('Deployment', 'lonely', pods, { labels: { app: 'x' } }), { apiVersion: 'example.com/v1', kind: 'Service', metadata: { name: 's' }, spec: { selector: { app: 'nothing' } } }])).toEqual([]);
  });
});

describe('ssh-port', () => {
  const R = 'ssh-port';
  const FIX = 'use kubectl exec instead of an SSH server';

  it('warns about TCP port 22 (TCP by default) in every kind of pod template', () => {
    for (const kind of ALL_KINDS) {
      expect(findingsOf(R, [workload(kind, 'w', { restartPolicy: 'Never', containers: [container('app', { ports: [{ containerPort: 8080 }, { containerPort: 22 }] })] })])).toEqual([
        expected(R, 'warning', ref(kind, 'w'), `${POD_SPEC_PATH[kind]}.containers[0].ports[1].containerPort`, 'container "app" exposes port 22 (SSH)', FIX),
      ]);
    }
    expect(findingsOf(R, [workload('Pod', 'w', { containers: [container('app', { ports: [{ containerPort: 22, protocol: 'TCP' }] })] })]).map((f) => f.field)).toEqual(['spec.containers[0].ports[0].containerPort']);
  });

  it('checks init containers too', () => {
    expect(findingsOf(R, [workload('Pod', 'w', { containers: [container('app')], initContainers: [container('init', { ports: [{ containerPort: 22 }] })] })])).toEqual([
      expected(R, 'warning', ref('Pod', 'w'), 'spec.initContainers[0].ports[0].containerPort', 'init container "init" exposes port 22 (SSH)', FIX),
    ]);
  });

  it('accepts other ports and port 22 over UDP or SCTP', () => {
    expect(findingsOf(R, [workload('Pod', 'w', { containers: [container('app', { ports: [{ containerPort: 2222 }, { containerPort: 21 }, { containerPort: 22, protocol: 'UDP' }, { containerPort: 22, protocol: 'SCTP' }] })] })])).toEqual([]);
  });
});

describe('statefulset-service-name', () => {
  const R = 'statefulset-service-name';
  const db = (serviceName?: string, labels: Record<string, string> = { app: 'db' }) => {
    const s = workload('StatefulSet', 'db', pods, { labels });
    if (serviceName !== undefined) s.spec.serviceName = serviceName;
    return s;
  };
  const headless = (selector: Record<string, string> | undefined = { app: 'db' }, name = 'db') => service(name, selector, [{ port: 5432 }], { clusterIP: 'None' });
  const S = ref('StatefulSet', 'db');

  it('accepts a headless Service selecting its pods, or one without a selector, or no serviceName', () => {
    expect(findingsOf(R, [db('db'), headless()])).toEqual([]);
    expect(findingsOf(R, [db('db'), headless(undefined)])).toEqual([]);
    expect(findingsOf(R, [db(), db('')])).toEqual([]);
  });

  it('refuses a serviceName naming no Service of its namespace', () => {
    const missing = expected(R, 'error', S, 'spec.serviceName', 'Service "db" is not among the manifests in namespace "apps"', 'add the headless Service or fix serviceName');
    expect(findingsOf(R, [db('db')])).toEqual([missing]);
    expect(findingsOf(R, [db('db'), { ...headless(), metadata: { name: 'db', namespace: 'other' } }])).toEqual([missing]);
    expect(findingsOf(R, [db('db'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'db', namespace: NS } }])).toEqual([missing]);
  });

  it('refuses a Service that is not headless', () => {
    const notHeadless = expected(R, 'error', S, 'spec.serviceName', 'Service "db" is not headless, so the pods get no stable DNS names', `set clusterIP: None on ${ref('Service', 'db')}`);
    expect(findingsOf(R, [db('db'), service('db', { app: 'db' })])).toEqual([notHeadless]);
    expect(findingsOf(R, [db('db'), service('db', { app: 'db' }, [{ port: 80 }], { clusterIP: '10.0.0.10' })])).toEqual([notHeadless]);
  });

  it("refuses a headless Service that selects other pods", () => {
    expect(findingsOf(R, [db('db'), headless({ app: 'cache' })])).toEqual([
      expected(R, 'error', S, 'spec.serviceName', `Service "db" selects app=cache, not this StatefulSet's pods (app=db), so they get no DNS records`, `make ${ref('Service', 'db')}'s selector match the pod labels`),
    ]);
    expect(findingsOf(R, [db('db', {}), headless({ app: 'cache' })]).map((f) => f.problem)).toEqual([`Service "db" selects app=cache, not this StatefulSet's pods ((none)), so they get no DNS records`]);
  });

  it('only checks apps/ StatefulSets', () => {
    const deployment = workload('Deployment', 'db', pods);
    deployment.spec.serviceName = 'db';
    expect(findingsOf(R, [deployment])).toEqual([]);
    expect(findingsOf(R, [{ ...db('db'), apiVersion: 'example.com/v1' }])).toEqual([]);
  });
});

describe('topology-spread', () => {
  const R = 'topology-spread';
  const valid = { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'w' } } };
  const withConstraints = (...constraints: unknown[]) => workload('Deployment', 'w', { ...pods, topologySpreadConstraints: constraints });
  const at = (i: number, field: string, problem: string, fix: string) => expected(R, 'error', ref('Deployment', 'w'), `spec.template.spec.topologySpreadConstraints[${i}].${field}`, problem, fix);

  it('accepts complete constraints, minDomains ≥ 1 with DoNotSchedule', () => {
    expect(findingsOf(R, [withConstraints(valid, { ...valid, maxSkew: 2, whenUnsatisfiable: 'ScheduleAnyway' }, { ...valid, minDomains: 1 }, { ...valid, minDomains: 3 })])).toEqual([]);
  });

  it('needs maxSkew of at least 1', () => {
    const fix = 'set maxSkew: 1';
    expect(findingsOf(R, [withConstraints({ ...valid, maxSkew: 0 })])).toEqual([at(0, 'maxSkew', 'maxSkew 0 must be an integer of at least 1', fix)]);
    expect(findingsOf(R, [withConstraints({ ...valid, maxSkew: '1' })])).toEqual([at(0, 'maxSkew', 'maxSkew "1" must be an integer of at least 1', fix)]);
    expect(findingsOf(R, [withConstraints({ ...valid, maxSkew: undefined })])).toEqual([at(0, 'maxSkew', 'maxSkew undefined must be an integer of at least 1', fix)]);
  });

  it('needs a topologyKey', () => {
    for (const topologyKey of [undefined, '']) {
      expect(findingsOf(R, [withConstraints(valid, { ...valid, topologyKey })])).toEqual([at(1, 'topologyKey', 'has no topologyKey', 'set topologyKey, e.g. topology.kubernetes.io/zone')]);
    }
  });

  it('needs whenUnsatisfiable DoNotSchedule or ScheduleAnyway', () => {
    expect(findingsOf(R, [withConstraints({ ...valid, whenUnsatisfiable: 'Never' })])).toEqual([at(0, 'whenUnsatisfiable', 'whenUnsatisfiable "Never" must be DoNotSchedule or ScheduleAnyway', 'set one of them')]);
    expect(findingsOf(R, [withConstraints({ ...valid, whenUnsatisfiable: undefined })])).toEqual([at(0, 'whenUnsatisfiable', 'whenUnsatisfiable undefined must be DoNotSchedule or ScheduleAnyway', 'set one of them')]);
  });

  it('needs minDomains ≥ 1, and only with DoNotSchedule', () => {
    const fix = 'fix minDomains or remove it';
    expect(findingsOf(R, [withConstraints({ ...valid, minDomains: 0 })])).toEqual([at(0, 'minDomains', 'minDomains 0 must be at least 1 and needs whenUnsatisfiable: DoNotSchedule', fix)]);
    expect(findingsOf(R, [withConstraints({ ...valid, minDomains: '2' })])).toEqual([at(0, 'minDomains', 'minDomains "2" must be at least 1 and needs whenUnsatisfiable: DoNotSchedule', fix)]);
    expect(findingsOf(R, [withConstraints({ ...valid, minDomains: 2, whenUnsatisfiable: 'ScheduleAnyway' })])).toEqual([at(0, 'minDomains', 'minDomains 2 must be at least 1 and needs whenUnsatisfiable: DoNotSchedule', fix)]);
  });

  it('needs a labelSelector', () => {
    expect(findingsOf(R, [withConstraints({ ...valid, labelSelector: undefined })])).toEqual([at(0, 'labelSelector', 'has no labelSelector, so it counts no pods and spreads nothing', 'select the pods of this workload')]);
  });

  it('reports every problem of a constraint, in every kind of pod template', () => {
    expect(findingsOf(R, [withConstraints({ minDomains: 1 })]).map((f) => f.field?.replace('spec.template.spec.topologySpreadConstraints[0].', ''))).toEqual(['maxSkew', 'topologyKey', 'whenUnsatisfiable', 'minDomains', 'labelSelector']);
    for (const kind of ALL_KINDS) {
      expect(findingsOf(R, [workload(kind, 'w', { ...pods, restartPolicy: 'Never', topologySpreadConstraints: [{ ...valid, maxSkew: 0 }] })]).map((f) => f.field)).toEqual([`${POD_SPEC_PATH[kind]}.topologySpreadConstraints[0].maxSkew`]);
    }
  });
});

describe('unsafe-sysctls', () => {
  const R = 'unsafe-sysctls';
  const withSysctls = (kind: (typeof ALL_KINDS)[number], ...names: Array<string | undefined>) =>
    workload(kind, 'w', { ...pods, restartPolicy: 'Never', securityContext: { sysctls: names.map((name) => ({ name, value: '1' })) } });

  /** The kubelet's safe sysctls (allowed without --allowed-unsafe-sysctls), as of 1.29. */
  const SAFE = [
    'kernel.shm_rmid_forced',
    'net.ipv4.ip_local_port_range',
    'net.ipv4.tcp_syncookies',
    'net.ipv4.ping_group_range',
    'net.ipv4.ip_unprivileged_port_start',
    'net.ipv4.ip_local_reserved_ports',
    'net.ipv4.tcp_keepalive_time',
    'net.ipv4.tcp_fin_timeout',
    'net.ipv4.tcp_keepalive_intvl',
    'net.ipv4.tcp_keepalive_probes',
  ];

  it.each(SAFE)('accepts the safe sysctl %s', (name) => {
    expect(findingsOf(R, [withSysctls('Deployment', name)])).toEqual([]);
  });

  it('warns about the namespaced unsafe families (IPC and network), wherever the pod is', () => {
    const unsafe = ['kernel.msgmax', 'kernel.sem', 'kernel.shmmax', 'fs.mqueue.msg_max', 'net.core.somaxconn', 'net.ipv4.tcp_rmem'];
    for (const kind of ALL_KINDS) {
      expect(findingsOf(R, [withSysctls(kind, 'kernel.shm_rmid_forced', ...unsafe)])).toEqual(
        unsafe.map((name, i) => expected(R, 'warning', ref(kind, 'w'), `${POD_SPEC_PATH[kind]}.securityContext.sysctls[${i + 1}].name`, `sets unsafe sysctl ${name}`, 'remove it or use a safe sysctl')),
      );
    }
  });

  it('leaves other sysctls and nameless entries alone', () => {
    expect(findingsOf(R, [withSysctls('Pod', 'vm.swappiness', 'fs.mqueue', 'kernel.hostname', 'netfilter.x', undefined)])).toEqual([]);
  });
});
