/**
 * The model packages' index: which API groups the API server serves itself (an unknown version or kind
 * there is a typo) and which are CRDs, which apiVersions and kinds exist — Kubernetes API facts written
 * out by hand (apps/v1 has exactly ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet).
 */
import { groupOf, isBuiltInGroup, isModelledVersion, kindsOf, modelOf, preloadValidators, versionsOfGroup, versionsOfKind } from '../../guardrails/models';

describe('groupOf', () => {
  it('is the part before the slash, or the core group', () => {
    expect(groupOf('apps/v1')).toBe('apps');
    expect(groupOf('networking.k8s.io/v1')).toBe('networking.k8s.io');
    expect(groupOf('v1')).toBe('');
    expect(groupOf('')).toBe('');
  });
});

describe('isBuiltInGroup', () => {
  it.each(['', 'apps', 'batch', 'autoscaling', 'policy', 'extensions', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'storage.k8s.io', 'node.k8s.io', 'admissionregistration.k8s.io', 'discovery.k8s.io'])(
    '%j is served by the API server',
    (group) => expect(isBuiltInGroup(group)).toBe(true),
  );
  it.each([
    'argoproj.io',
    'apps.example.com',
    'myapps',
    'appsx',
    'k8s.io',
    'example.k8s.io.evil.com',
    'gateway.networking.k8s.io',
    'snapshot.storage.k8s.io',
    'metrics.k8s.io',
    'custom.metrics.k8s.io',
    'external.metrics.k8s.io',
    'cluster.x-k8s.io',
    'x-k8s.io',
    'autoscaling.k8s.io',
    'policy.networking.k8s.io',
    'networking.x-k8s.io',
    'multicluster.k8s.io',
    'topology.node.k8s.io',
    'Apps',
  ])('%j is a CRD group', (group) => expect(isBuiltInGroup(group)).toBe(false));
});

describe('the model index', () => {
  it('knows the built-in and CRD versions of the packages', () => {
    for (const v of ['v1', 'apps/v1', 'batch/v1', 'networking.k8s.io/v1', 'argoproj.io/v1alpha1', 'gateway.networking.k8s.io/v1']) expect(isModelledVersion(v)).toBe(true);
    for (const v of ['apps/v2', 'example.com/v1', '_schemas', 'apps']) expect(isModelledVersion(v)).toBe(false);
    expect(versionsOfGroup('apps').sort()).toEqual(['apps/v1', 'apps/v1beta1', 'apps/v1beta2']);
    expect(versionsOfGroup('example.com')).toEqual([]);
  });

  it('lists the kinds of an apiVersion (not its sub-structures), sorted', () => {
    expect(kindsOf('apps/v1').filter((k) => !k.endsWith('List'))).toEqual(['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet']);
    expect(kindsOf('apps/v1')).toContain('DeploymentList');
    expect(kindsOf('apps/v1')).not.toContain('DeploymentSpec');
    expect(kindsOf('argoproj.io/v1alpha1')).toContain('Rollout');
    expect(kindsOf('example.com/v1')).toEqual([]);
    expect(kindsOf('apps/v1')).toBe(kindsOf('apps/v1'));
  });

  it('versionsOfKind lists built-in versions only', () => {
    expect(versionsOfKind('StatefulSet').sort()).toEqual(['apps/v1', 'apps/v1beta1', 'apps/v1beta2']);
    expect(versionsOfKind('Ingress').sort()).toEqual(['extensions/v1beta1', 'networking.k8s.io/v1', 'networking.k8s.io/v1beta1']);
    expect(versionsOfKind('Rollout')).toEqual([]);
    expect(versionsOfKind('Nope')).toEqual([]);
  });
});

describe('modelOf', () => {
  it('validates built-in kinds with their OpenAPI schema', () => {
    const model = modelOf('apps/v1', 'Deployment')!;
    expect(model).not.toBeNull();
    expect(() => model.validate({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a' }, spec: { selector: {}, template: {} } })).not.toThrow();
    let error: any;
    try {
      model.validate({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a' }, spec: { replicas: 'two', selector: {}, template: {} } });
    } catch (e) {
      error = e;
    }
    expect(error.message).toBe('invalid');
    expect(Array.isArray(error.errors)).toBe(true);
    expect(model.type).toBeDefined();
    expect(modelOf('apps/v1', 'Deployment')).toBe(model);
  });

  it('is null for unknown kinds, sub-structures, lowercase names and unknown versions', () => {
    expect(modelOf('apps/v1', 'Deploymnet')).toBeNull();
    expect(modelOf('apps/v1', 'DeploymentSpec')).toBeNull();
    expect(modelOf('apps/v1', 'deployment')).toBeNull();
    expect(modelOf('apps/v1', '../v1/Deployment')).toBeNull();
    expect(modelOf('example.com/v1', 'Deployment')).toBeNull();
  });

  it('CRD packages published as ES modules: only the unknown-field check until preloaded', async () => {
    // Jest cannot import ES modules (no --experimental-vm-modules), so only the side of preloading that
    // imports nothing is asserted here: built-in and unmodelled kinds need no preload.
    const rollout = modelOf('argoproj.io/v1alpha1', 'Rollout')!;
    expect(rollout).not.toBeNull();
    expect(() => rollout.validate({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'r' }, spec: { replicas: 'two' } })).not.toThrow();
    await expect(preloadValidators([{ apiVersion: 'apps/v1', kind: 'Deployment' }, { apiVersion: 'x.io/v1', kind: 'X' }, { apiVersion: 'argoproj.io/v1alpha1', kind: 'Nope' }])).resolves.toBeUndefined();
  });
});
