/**
 * Exact findings of the guardrail rules in guardrails/rules/[a-h]*.ts: anti-affinity, delegated-auth,
 * deployment-selector, drop-net-raw, duplicate-env-var, duplicate-object, env-var-secret, host-access,
 * hpa-cpu-requests and hpa-target, then cronjob-deadline, deployment-strategy, deprecated-service-account,
 * ephemeral-storage, hpa-fixed-replicas and hpa-min-replicas.
 * Manifests are written by hand; every expected rule id, severity, object, field, problem and fix is
 * written out from the rule's documented intent and from Kubernetes facts (API scope per upstream
 * discovery, label-selector semantics, the HPA's CPU-utilization defaults), never computed by the
 * helpers under test. Each rule runs alone (`includeOnly`), as `npm run validate -- --include-only` does.
 */
import { parseManifestFile } from '../../guardrails/load';
import { hostPrivileges } from '../../guardrails/rules/host-access';
import { RULES } from '../../guardrails/rules';
import { auditManifests, Finding } from '../../guardrails/validate';

const FILE = 'in-memory';

/** The findings of one rule on hand-built objects (each object one document of `file`). */
function run(rule: string, objects: unknown[], file = FILE): Finding[] {
  return auditManifests(objects.map((object) => ({ file, object })), { includeOnly: [rule] }).findings.filter((f) => f.rule === rule);
}

type Json = Record<string, any>;

const container = (name: string, extra: Json = {}): Json => ({ name, image: `example/${name}:1.0.0`, ...extra });

function pod(spec: Json, name = 'p', labels: Record<string, string> = { app: 'p' }): Json {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'web', labels }, spec };
}

function workload(kind: string, name: string, podSpec: Json, spec: Json = {}, apiVersion = 'apps/v1', metadata: Json = {}): Json {
  return {
    apiVersion,
    kind,
    metadata: { name, namespace: 'web', ...metadata },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: podSpec }, ...spec },
  };
}

const deployment = (name: string, podSpec: Json, spec: Json = { replicas: 2 }) => workload('Deployment', name, podSpec, spec);

// ---------------------------------------------------------------------------------------------------
describe('anti-affinity', () => {
  const rule = 'anti-affinity';
  const OWN = { matchLabels: { app: 'api' } };
  const finding = (object: string, replicas: number): Finding => ({
    rule,
    severity: 'warning',
    file: FILE,
    object,
    field: 'spec.template.spec.affinity',
    problem: `${replicas} replicas may all be scheduled on one node (no anti-affinity or spread on kubernetes.io/hostname selecting its own pods)`,
    fix: 'add preferred podAntiAffinity on kubernetes.io/hostname matching the pod labels',
  });
  const withAnti = (anti: Json, replicas = 2) => deployment('api', { containers: [container('api')], affinity: { podAntiAffinity: anti } }, { replicas });

  it('flags 2 or more replicas without spread, and names the count', () => {
    expect(run(rule, [deployment('api', { containers: [container('api')] })])).toEqual([finding('Deployment/web/api', 2)]);
    expect(run(rule, [deployment('api', { containers: [container('api')] }, { replicas: 3 })])).toEqual([finding('Deployment/web/api', 3)]);
  });

  it('leaves a single replica alone (explicit 1, or the API default of 1)', () => {
    expect(run(rule, [deployment('api', { containers: [container('api')] }, { replicas: 1 })])).toEqual([]);
    expect(run(rule, [deployment('api', { containers: [container('api')] }, {})])).toEqual([]);
    expect(run(rule, [deployment('api', { containers: [container('api')] }, { replicas: 0 })])).toEqual([]);
  });

  it('checks every scalable workload kind, not DaemonSets, Jobs or Pods', () => {
    expect(run(rule, [workload('StatefulSet', 'db', { containers: [container('db')] }, { replicas: 2 })])).toEqual([finding('StatefulSet/web/db', 2)]);
    expect(run(rule, [workload('ReplicaSet', 'rs', { containers: [container('rs')] }, { replicas: 2 })])).toEqual([finding('ReplicaSet/web/rs', 2)]);
    expect(run(rule, [workload('DaemonSet', 'agent', { containers: [container('agent')] }, { replicas: 2 })])).toEqual([]);
    expect(run(rule, [workload('Job', 'once', { containers: [container('once')], restartPolicy: 'Never' }, { parallelism: 3 }, 'batch/v1')])).toEqual([]);
    expect(run(rule, [pod({ containers: [container('p')] })])).toEqual([]);
  });

  it("uses the HPA's minReplicas as the floor instead of spec.replicas", () => {
    const hpa = (spec: Json) => ({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'api', namespace: 'web' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, maxReplicas: 9, ...spec },
    });
    const one = deployment('api', { containers: [container('api')] }, { replicas: 1 });
    const five = deployment('api', { containers: [container('api')] }, { replicas: 5 });
    expect(run(rule, [one, hpa({ minReplicas: 3 })])).toEqual([finding('Deployment/web/api', 3)]);
    expect(run(rule, [one, hpa({ minReplicas: 2 })])).toEqual([finding('Deployment/web/api', 2)]);
    expect(run(rule, [five, hpa({ minReplicas: 1 })])).toEqual([]);
    // No minReplicas on the HPA: spec.replicas is what is read.
    expect(run(rule, [five, hpa({})])).toEqual([finding('Deployment/web/api', 5)]);
    expect(run(rule, [one, hpa({})])).toEqual([]);
    // A minReplicas that is not a number (the schema rule reports it) sets no floor.
    expect(run(rule, [one, hpa({ minReplicas: '3' })])).toEqual([]);
    // Of two HPAs on one workload, the one with a minReplicas sets the floor.
    const second = { ...hpa({ minReplicas: 4 }), metadata: { name: 'api-2', namespace: 'web' } };
    expect(run(rule, [one, hpa({}), second])).toEqual([finding('Deployment/web/api', 4)]);
  });

  it('accepts required or preferred podAntiAffinity on the hostname selecting its own pods', () => {
    expect(run(rule, [withAnti({ requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: OWN }] })])).toEqual([]);
    expect(
      run(rule, [withAnti({ preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: OWN } }] })]),
    ).toEqual([]);
    expect(
      run(rule, [withAnti({ requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['api'] }] } }] })]),
    ).toEqual([]);
  });

  it('accepts a topologySpreadConstraint on the hostname selecting its own pods', () => {
    const spread = (constraint: Json) => deployment('api', { containers: [container('api')], topologySpreadConstraints: [constraint] });
    expect(run(rule, [spread({ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: OWN })])).toEqual([]);
    expect(run(rule, [spread({ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: OWN })])).toEqual([
      finding('Deployment/web/api', 2),
    ]);
  });

  it('does not count terms on another topology, without a selector, or selecting other pods', () => {
    const required = (term: unknown) => withAnti({ requiredDuringSchedulingIgnoredDuringExecution: [term] });
    expect(run(rule, [required({ topologyKey: 'topology.kubernetes.io/zone', labelSelector: OWN })])).toEqual([finding('Deployment/web/api', 2)]);
    expect(run(rule, [required({ topologyKey: 'kubernetes.io/hostname' })])).toEqual([finding('Deployment/web/api', 2)]);
    expect(run(rule, [required({ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'db' } } })])).toEqual([finding('Deployment/web/api', 2)]);
    expect(run(rule, [required({ labelSelector: OWN })])).toEqual([finding('Deployment/web/api', 2)]);
    // Entries that are not objects are ignored, not crashed on.
    expect(run(rule, [required('kubernetes.io/hostname')])).toEqual([finding('Deployment/web/api', 2)]);
    expect(run(rule, [required(null)])).toEqual([finding('Deployment/web/api', 2)]);
  });

  it('reads preferred terms from podAffinityTerm only, and ignores podAffinity', () => {
    const bare = withAnti({ preferredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: OWN }] });
    expect(run(rule, [bare])).toEqual([finding('Deployment/web/api', 2)]);
    const affinity = deployment('api', { containers: [container('api')], affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: OWN }] } } });
    expect(run(rule, [affinity])).toEqual([finding('Deployment/web/api', 2)]);
  });

  it("honours a term's namespaces: only pods there count, unless a namespaceSelector widens it", () => {
    const term = (extra: Json) => withAnti({ requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: OWN, ...extra }] });
    expect(run(rule, [term({ namespaces: ['other'] })])).toEqual([finding('Deployment/web/api', 2)]);
    expect(run(rule, [term({ namespaces: ['other', 'web'] })])).toEqual([]);
    expect(run(rule, [term({ namespaces: ['other'], namespaceSelector: {} })])).toEqual([]);
    expect(run(rule, [term({ namespaces: [] })])).toEqual([]);
  });

  it('any one spreading term among several is enough', () => {
    const mixed = withAnti({
      requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'topology.kubernetes.io/zone', labelSelector: OWN }],
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: OWN } }],
    });
    expect(run(rule, [mixed])).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------
describe('delegated-auth', () => {
  const rule = 'delegated-auth';
  const FIX = 'grant create on tokenreviews and subjectaccessreviews in its ClusterRole (as the upstream chart does), or bind it to system:auth-delegator';
  const SA = { kind: 'ServiceAccount', name: 'ccm', namespace: 'kube-system' };
  const reader = (subjects: unknown[] = [SA], roleName = 'extension-apiserver-authentication-reader', kind = 'RoleBinding', name = 'ccm-auth-reader') => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    metadata: { name, namespace: 'kube-system' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName },
    subjects,
  });
  const clusterBinding = (role: string, subjects: unknown[] = [SA], name = `bind-${role}`) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects,
  });
  const clusterRole = (name: string, rules: unknown[], apiVersion = 'rbac.authorization.k8s.io/v1') => ({ apiVersion, kind: 'ClusterRole', metadata: { name }, rules });
  const TOKEN = { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] };
  const SAR = { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] };
  const NODES = { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] };
  const finding = (account: string, roles: string, missing: string, object = 'RoleBinding/kube-system/ccm-auth-reader'): Finding => ({
    rule,
    severity: 'error',
    file: FILE,
    object,
    field: 'subjects',
    problem: `ServiceAccount ${account} reads the client CA for delegated authentication, but its ClusterRoles (${roles}) do not allow create on ${missing}: every request to its secure port fails`,
    fix: FIX,
  });
  const BOTH = 'tokenreviews.authentication.k8s.io or subjectaccessreviews.authorization.k8s.io';

  it('flags an account whose ClusterRoles grant neither review', () => {
    expect(run(rule, [reader(), clusterBinding('ccm'), clusterRole('ccm', [NODES])])).toEqual([finding('kube-system/ccm', 'ccm', BOTH)]);
  });

  it('names only the review that is missing', () => {
    expect(run(rule, [reader(), clusterBinding('ccm'), clusterRole('ccm', [NODES, TOKEN])])).toEqual([finding('kube-system/ccm', 'ccm', 'subjectaccessreviews.authorization.k8s.io')]);
    expect(run(rule, [reader(), clusterBinding('ccm'), clusterRole('ccm', [SAR])])).toEqual([finding('kube-system/ccm', 'ccm', 'tokenreviews.authentication.k8s.io')]);
  });

  it('passes when the ClusterRoles grant create on both (in one role or across several)', () => {
    expect(run(rule, [reader(), clusterBinding('ccm'), clusterRole('ccm', [NODES, TOKEN, SAR])])).toEqual([]);
    expect(run(rule, [reader(), clusterBinding('a'), clusterBinding('b'), clusterRole('a', [TOKEN]), clusterRole('b', [SAR])])).toEqual([]);
    expect(
      run(rule, [reader(), clusterBinding('ccm'), clusterRole('ccm', [{ apiGroups: ['authentication.k8s.io', 'authorization.k8s.io'], resources: ['tokenreviews', 'subjectaccessreviews'], verbs: ['get', 'create'] }])]),
    ).toEqual([]);
  });

  it('accepts * in apiGroups, resources and verbs', () => {
    const role = (r: Json) => [reader(), clusterBinding('ccm'), clusterRole('ccm', [r])];
    expect(run(rule, role({ apiGroups: ['*'], resources: ['tokenreviews', 'subjectaccessreviews'], verbs: ['create'] }))).toEqual([]);
    expect(run(rule, [reader(), clusterBinding('ccm'), clusterRole('ccm', [{ ...TOKEN, resources: ['*'] }, { ...SAR, resources: ['*'] }])])).toEqual([]);
    expect(run(rule, [reader(), clusterBinding('ccm'), clusterRole('ccm', [{ ...TOKEN, verbs: ['*'] }, { ...SAR, verbs: ['*'] }])])).toEqual([]);
  });

  it('requires the create verb, the right group and the right resource', () => {
    const role = (...rules: Json[]) => run(rule, [reader(), clusterBinding('ccm'), clusterRole('ccm', rules)]);
    expect(role({ ...TOKEN, verbs: ['get', 'list'] }, SAR)).toEqual([finding('kube-system/ccm', 'ccm', 'tokenreviews.authentication.k8s.io')]);
    expect(role({ ...TOKEN, apiGroups: ['authorization.k8s.io'] }, SAR)).toEqual([finding('kube-system/ccm', 'ccm', 'tokenreviews.authentication.k8s.io')]);
    expect(role(TOKEN, { ...SAR, resources: ['localsubjectaccessreviews'] })).toEqual([finding('kube-system/ccm', 'ccm', 'subjectaccessreviews.authorization.k8s.io')]);
    // Malformed rules grant nothing.
    expect(role({ apiGroups: '*', resources: '*', verbs: '*' })).toEqual([finding('kube-system/ccm', 'ccm', BOTH)]);
  });

  it('passes an account bound to system:auth-delegator (a built-in not among the inputs)', () => {
    expect(run(rule, [reader(), clusterBinding('system:auth-delegator'), clusterBinding('ccm'), clusterRole('ccm', [NODES])])).toEqual([]);
    // Trusted by name even when a copy is among the inputs: the API server reconciles the built-in
    // system: roles (rbac.authorization.kubernetes.io/autoupdate) at every start.
    expect(run(rule, [reader(), clusterBinding('system:auth-delegator'), clusterRole('system:auth-delegator', [])])).toEqual([]);
  });

  it('does not judge when a bound ClusterRole is not among the inputs', () => {
    expect(run(rule, [reader(), clusterBinding('mystery')])).toEqual([]);
    expect(run(rule, [reader(), clusterBinding('ccm'), clusterBinding('mystery'), clusterRole('ccm', [NODES])])).toEqual([]);
    // A ClusterRole of another API group is not the RBAC one.
    expect(run(rule, [reader(), clusterBinding('ccm'), clusterRole('ccm', [NODES], 'example.com/v1')])).toEqual([]);
  });

  it('says "none" when no ClusterRole is bound to the account, and lists several', () => {
    expect(run(rule, [reader()])).toEqual([finding('kube-system/ccm', 'none', BOTH)]);
    const other = { kind: 'ServiceAccount', name: 'other', namespace: 'kube-system' };
    expect(run(rule, [reader(), clusterBinding('ccm', [other]), clusterRole('ccm', [TOKEN, SAR])])).toEqual([finding('kube-system/ccm', 'none', BOTH)]);
    expect(run(rule, [reader(), clusterBinding('a'), clusterBinding('b'), clusterRole('a', [NODES]), clusterRole('b', [NODES])])).toEqual([finding('kube-system/ccm', 'a, b', BOTH)]);
  });

  it("defaults a subject's namespace to its binding's", () => {
    const bare = { kind: 'ServiceAccount', name: 'ccm' };
    expect(run(rule, [reader([bare]), clusterBinding('ccm'), clusterRole('ccm', [NODES])])).toEqual([finding('kube-system/ccm', 'ccm', BOTH)]);
    expect(run(rule, [reader([bare]), clusterBinding('ccm'), clusterRole('ccm', [TOKEN, SAR])])).toEqual([]);
    // A ClusterRoleBinding names no namespace, so its bare subject is in "default", another account.
    expect(run(rule, [reader(), clusterBinding('ccm', [bare]), clusterRole('ccm', [TOKEN, SAR])])).toEqual([finding('kube-system/ccm', 'none', BOTH)]);
    expect(run(rule, [reader([{ kind: 'ServiceAccount', namespace: 'kube-system' }])])).toEqual([finding('kube-system/', 'none', BOTH)]);
  });

  it('checks each ServiceAccount subject, and only ServiceAccounts', () => {
    const two = [SA, { kind: 'ServiceAccount', name: 'csi', namespace: 'storage' }];
    expect(run(rule, [reader(two), clusterBinding('ccm'), clusterRole('ccm', [TOKEN, SAR])])).toEqual([finding('storage/csi', 'none', BOTH)]);
    expect(run(rule, [reader(two)])).toEqual([finding('kube-system/ccm', 'none', BOTH), finding('storage/csi', 'none', BOTH)]);
    expect(run(rule, [reader([{ kind: 'User', name: 'ccm' }, { kind: 'Group', name: 'system:masters' }])])).toEqual([]);
  });

  it('only RoleBindings to extension-apiserver-authentication-reader are the tell', () => {
    expect(run(rule, [reader([SA], 'some-other-role')])).toEqual([]);
    expect(run(rule, [reader([SA], 'extension-apiserver-authentication-reader', 'ClusterRoleBinding')])).toEqual([]);
    expect(run(rule, [{ ...reader(), apiVersion: 'example.com/v1' }])).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------
describe('deployment-selector', () => {
  const rule = 'deployment-selector';
  const spec = { containers: [container('web')] };
  const withSelector = (kind: string, selector: unknown, labels: Json = { app: 'web', tier: 'front' }, apiVersion = 'apps/v1') => {
    const w = workload(kind, 'web', spec, {}, apiVersion);
    w.spec.template.metadata.labels = labels;
    if (selector === undefined) delete w.spec.selector;
    else w.spec.selector = selector;
    return w;
  };
  const missing = (object: string, labels = 'app=web,tier=front'): Finding => ({
    rule,
    severity: 'error',
    file: FILE,
    object,
    field: 'spec.selector',
    problem: 'has no spec.selector',
    fix: `add matchLabels equal to the template labels (${labels}); selectors are immutable, so choose them once`,
  });
  const mismatch = (object: string, selector: string, labels = 'app=web,tier=front'): Finding => ({
    rule,
    severity: 'error',
    file: FILE,
    object,
    field: 'spec.selector',
    problem: `spec.selector ${selector} does not match the template labels ${labels}`,
    fix: 'make the template carry every selected label',
  });

  it('passes a selector the template labels satisfy', () => {
    expect(run(rule, [withSelector('Deployment', { matchLabels: { app: 'web' } })])).toEqual([]);
    expect(run(rule, [withSelector('Deployment', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] })])).toEqual([]);
  });

  it('flags a missing, null or empty selector', () => {
    expect(run(rule, [withSelector('Deployment', undefined)])).toEqual([missing('Deployment/web/web')]);
    expect(run(rule, [withSelector('Deployment', null)])).toEqual([missing('Deployment/web/web')]);
    expect(run(rule, [withSelector('Deployment', {})])).toEqual([missing('Deployment/web/web')]);
    expect(run(rule, [withSelector('Deployment', { matchLabels: {} })])).toEqual([missing('Deployment/web/web')]);
    expect(run(rule, [withSelector('Deployment', undefined, {})])).toEqual([missing('Deployment/web/web', '(none)')]);
  });

  it('flags a selector the template labels do not satisfy', () => {
    expect(run(rule, [withSelector('Deployment', { matchLabels: { app: 'api' } })])).toEqual([mismatch('Deployment/web/web', 'app=api')]);
    expect(run(rule, [withSelector('Deployment', { matchLabels: { app: 'web', tier: 'back' } })])).toEqual([mismatch('Deployment/web/web', 'app=web,tier=back')]);
    expect(run(rule, [withSelector('Deployment', { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] })])).toEqual([
      mismatch('Deployment/web/web', 'tier notin (front)'),
    ]);
    expect(run(rule, [withSelector('Deployment', { matchLabels: { app: 'web' } }, {})])).toEqual([mismatch('Deployment/web/web', 'app=web', '(none)')]);
  });

  it('checks Deployments, StatefulSets, DaemonSets and ReplicaSets of apps and extensions', () => {
    for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']) {
      expect(run(rule, [withSelector(kind, undefined)])).toEqual([missing(`${kind}/web/web`)]);
      expect(run(rule, [withSelector(kind, { matchLabels: { app: 'x' } })])).toEqual([mismatch(`${kind}/web/web`, 'app=x')]);
    }
    for (const kind of ['Deployment', 'DaemonSet', 'ReplicaSet']) {
      expect(run(rule, [withSelector(kind, undefined, undefined, 'extensions/v1beta1')])).toEqual([missing(`${kind}/web/web`)]);
    }
  });

  it('takes a plain map on ReplicationControllers and DeploymentConfigs, where an absent selector defaults to the labels', () => {
    const rc = withSelector('ReplicationController', { app: 'api' }, undefined, 'v1');
    expect(run(rule, [rc])).toEqual([mismatch('ReplicationController/web/web', 'app=api')]);
    expect(run(rule, [withSelector('ReplicationController', { app: 'web' }, undefined, 'v1')])).toEqual([]);
    expect(run(rule, [withSelector('ReplicationController', undefined, undefined, 'v1')])).toEqual([]);
    expect(run(rule, [withSelector('ReplicationController', {}, undefined, 'v1')])).toEqual([]);
    expect(run(rule, [withSelector('DeploymentConfig', { app: 'api', tier: 'front' }, undefined, 'apps.openshift.io/v1')])).toEqual([
      mismatch('DeploymentConfig/web/web', 'app=api,tier=front'),
    ]);
    expect(run(rule, [withSelector('DeploymentConfig', undefined, undefined, 'apps.openshift.io/v1')])).toEqual([]);
  });

  it('leaves other workloads alone: Jobs, Pods, custom kinds, look-alikes in other groups', () => {
    const job = withSelector('Job', undefined, undefined, 'batch/v1');
    job.spec.template.spec = { ...spec, restartPolicy: 'Never' };
    expect(run(rule, [job])).toEqual([]);
    expect(run(rule, [pod(spec)])).toEqual([]);
    expect(run(rule, [withSelector('Rollout', undefined, undefined, 'argoproj.io/v1alpha1')])).toEqual([]);
    expect(run(rule, [withSelector('ReplicationController', { app: 'api' }, undefined, 'example.com/v1')])).toEqual([]);
    expect(run(rule, [withSelector('DeploymentConfig', { app: 'api' }, undefined, 'example.com/v1')])).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------
describe('drop-net-raw', () => {
  const rule = 'drop-net-raw';
  const caps = (capabilities: unknown, name = 'app') => container(name, { securityContext: { capabilities } });
  const adds = (what: 'NET_RAW' | 'ALL capabilities', field = 'spec.containers[0]', who = 'container "app"'): Finding => ({
    rule,
    severity: 'warning',
    file: FILE,
    object: 'Pod/web/p',
    field: `${field}.securityContext.capabilities.add`,
    problem: `${who} adds ${what}`,
    fix: 'remove it and drop NET_RAW',
  });
  const keeps = (field = 'spec.containers[0]', who = 'container "app"', object = 'Pod/web/p'): Finding => ({
    rule,
    severity: 'warning',
    file: FILE,
    object,
    field: `${field}.securityContext.capabilities.drop`,
    problem: `${who} keeps NET_RAW`,
    fix: 'add NET_RAW (or ALL) to capabilities.drop',
  });
  const check = (capabilities: unknown) => run(rule, [pod({ containers: [caps(capabilities)] })]);

  it('skips containers that do not manage capabilities', () => {
    expect(run(rule, [pod({ containers: [container('app')] })])).toEqual([]);
    expect(run(rule, [pod({ containers: [container('app', { securityContext: { runAsNonRoot: true } })] })])).toEqual([]);
    expect(check(null)).toEqual([]);
  });

  it('flags adding NET_RAW or ALL, in any spelling', () => {
    expect(check({ add: ['NET_RAW'] })).toEqual([adds('NET_RAW')]);
    expect(check({ add: ['CAP_NET_RAW'] })).toEqual([adds('NET_RAW')]);
    expect(check({ add: ['net_raw'] })).toEqual([adds('NET_RAW')]);
    expect(check({ add: ['cap_net_raw'], drop: ['ALL'] })).toEqual([adds('NET_RAW')]);
    expect(check({ add: ['ALL'] })).toEqual([adds('ALL capabilities')]);
    expect(check({ add: ['all'], drop: ['NET_RAW'] })).toEqual([adds('ALL capabilities')]);
    expect(check({ add: ['NET_RAW', 'ALL'] })).toEqual([adds('ALL capabilities')]);
  });

  it('passes dropping NET_RAW or ALL, in any spelling', () => {
    for (const dropped of ['NET_RAW', 'CAP_NET_RAW', 'net_raw', 'ALL', 'all']) {
      expect(check({ drop: [dropped] })).toEqual([]);
      expect(check({ add: ['NET_BIND_SERVICE'], drop: ['CHOWN', dropped] })).toEqual([]);
    }
  });

  it('flags managing capabilities while keeping NET_RAW', () => {
    expect(check({})).toEqual([keeps()]);
    expect(check({ drop: ['CHOWN', 'SETUID'] })).toEqual([keeps()]);
    expect(check({ add: ['NET_ADMIN'] })).toEqual([keeps()]);
    // Only a leading CAP_ is the prefix; NET_CAP_RAW is not NET_RAW.
    expect(check({ drop: ['NET_CAP_RAW'] })).toEqual([keeps()]);
    expect(check({ drop: ['NET_RAWX', 'XALL'] })).toEqual([keeps()]);
  });

  it('skips a capabilities value that is not an object (the schema rule reports it)', () => {
    expect(check('NET_RAW')).toEqual([]);
    expect(check(true)).toEqual([]);
  });

  it('names init containers and the path of the container in its workload', () => {
    expect(run(rule, [pod({ containers: [container('app')], initContainers: [caps({ add: ['NET_RAW'] }, 'init')] })])).toEqual([
      adds('NET_RAW', 'spec.initContainers[0]', 'init container "init"'),
    ]);
    const d = deployment('api', { containers: [container('app', { securityContext: { capabilities: { drop: ['ALL'] } } }), caps({ drop: ['CHOWN'] }, 'side')] });
    expect(run(rule, [d])).toEqual([keeps('spec.template.spec.containers[1]', 'container "side"', 'Deployment/web/api')]);
  });
});

// ---------------------------------------------------------------------------------------------------
describe('duplicate-env-var', () => {
  const rule = 'duplicate-env-var';
  const env = (...entries: Json[]) => container('app', { env: entries });
  const dup = (name: string, field: string, who = 'container "app"', object = 'Pod/web/p'): Finding => ({
    rule,
    severity: 'error',
    file: FILE,
    object,
    field,
    problem: `${who} sets environment variable ${name} more than once`,
    fix: 'keep one entry per name',
  });

  it('flags every repeat of a name after the first', () => {
    expect(run(rule, [pod({ containers: [env({ name: 'A', value: '1' }, { name: 'B', value: '2' }, { name: 'A', value: '3' })] })])).toEqual([dup('A', 'spec.containers[0].env[2].name')]);
    expect(run(rule, [pod({ containers: [env({ name: 'A' }, { name: 'A' }, { name: 'A' })] })])).toEqual([
      dup('A', 'spec.containers[0].env[1].name'),
      dup('A', 'spec.containers[0].env[2].name'),
    ]);
  });

  it('names the entry by its position in env, malformed entries (the schema rule reports them) counted', () => {
    expect(run(rule, [pod({ containers: [env(null as never, 'PORT' as never, { name: 'A' }, { name: 'A' })] })])).toEqual([dup('A', 'spec.containers[0].env[3].name')]);
  });

  it('passes unique names (case matters), the same name in two containers, and nameless entries', () => {
    expect(run(rule, [pod({ containers: [env({ name: 'A' }, { name: 'a' }, { name: 'B' })] })])).toEqual([]);
    expect(run(rule, [pod({ containers: [env({ name: 'A' }), { ...env({ name: 'A' }), name: 'side' }] })])).toEqual([]);
    expect(run(rule, [pod({ containers: [env({ valueFrom: {} }, { valueFrom: {} }, { name: 5 }, { name: 5 })] })])).toEqual([]);
    expect(run(rule, [pod({ containers: [container('app')] })])).toEqual([]);
  });

  it('names init containers and the path in a workload', () => {
    expect(run(rule, [pod({ containers: [container('app')], initContainers: [{ ...env({ name: 'X' }, { name: 'X' }), name: 'init' }] })])).toEqual([
      dup('X', 'spec.initContainers[0].env[1].name', 'init container "init"'),
    ]);
    expect(run(rule, [deployment('api', { containers: [container('first'), env({ name: 'PORT' }, { name: 'PORT' })] })])).toEqual([
      dup('PORT', 'spec.template.spec.containers[1].env[1].name', 'container "app"', 'Deployment/web/api'),
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------
describe('duplicate-object', () => {
  const rule = 'duplicate-object';
  const FIX = 'rename one of them or delete the copy';
  const obj = (apiVersion: string, kind: string, name: string, namespace?: string): Json => ({ apiVersion, kind, metadata: namespace === undefined ? { name } : { name, namespace } });
  const same = (object: string, earlier: string, where = `earlier in ${FILE}`): Finding => ({
    rule,
    severity: 'error',
    file: FILE,
    object,
    field: 'metadata.name',
    problem: `is the same object as ${earlier} ${where}`,
    fix: FIX,
  });

  it('flags the second copy of group, kind, namespace and name', () => {
    expect(run(rule, [obj('v1', 'ConfigMap', 'settings', 'web'), obj('v1', 'ConfigMap', 'settings', 'web')])).toEqual([same('ConfigMap/web/settings', 'ConfigMap/web/settings')]);
    expect(run(rule, [obj('v1', 'ConfigMap', 'a', 'web'), obj('v1', 'ConfigMap', 'a', 'web'), obj('v1', 'ConfigMap', 'a', 'web')])).toEqual([
      same('ConfigMap/web/a', 'ConfigMap/web/a'),
      same('ConfigMap/web/a', 'ConfigMap/web/a'),
    ]);
  });

  it('treats an object without a namespace as in "default"', () => {
    expect(run(rule, [obj('v1', 'ConfigMap', 'settings'), obj('v1', 'ConfigMap', 'settings', 'default')])).toEqual([same('ConfigMap/default/settings', 'ConfigMap/settings')]);
  });

  it('tells apart different names, namespaces, kinds and API groups', () => {
    expect(run(rule, [obj('v1', 'ConfigMap', 'a', 'web'), obj('v1', 'ConfigMap', 'b', 'web')])).toEqual([]);
    expect(run(rule, [obj('v1', 'ConfigMap', 'a', 'web'), obj('v1', 'ConfigMap', 'a', 'api')])).toEqual([]);
    expect(run(rule, [obj('v1', 'ConfigMap', 'a', 'web'), obj('v1', 'Secret', 'a', 'web')])).toEqual([]);
    // core Event and events.k8s.io Event are stored apart.
    expect(run(rule, [obj('v1', 'Event', 'e', 'web'), obj('events.k8s.io/v1', 'Event', 'e', 'web')])).toEqual([]);
    // A custom kind that happens to share a built-in's name is another object.
    expect(run(rule, [obj('networking.k8s.io/v1', 'Ingress', 'i', 'web'), obj('example.com/v1', 'Ingress', 'i', 'web')])).toEqual([]);
    expect(run(rule, [obj('apps/v1', 'Deployment', 'd', 'web'), obj('example.com/v1', 'Deployment', 'd', 'web')])).toEqual([]);
  });

  it('the same group in two versions is the same object', () => {
    expect(run(rule, [obj('autoscaling/v1', 'HorizontalPodAutoscaler', 'h', 'web'), obj('autoscaling/v2', 'HorizontalPodAutoscaler', 'h', 'web')])).toEqual([
      same('HorizontalPodAutoscaler/web/h', 'HorizontalPodAutoscaler/web/h'),
    ]);
    expect(run(rule, [obj('networking.k8s.io/v1beta1', 'Ingress', 'i', 'web'), obj('networking.k8s.io/v1', 'Ingress', 'i', 'web')])).toEqual([same('Ingress/web/i', 'Ingress/web/i')]);
  });

  // Kubernetes 1.16 deprecations (kubernetes.io/blog/2019/07/18/api-deprecations-in-1-16): extensions/v1beta1
  // served these kinds over the same storage as their successors ("existing persisted data can be
  // retrieved/updated via the new version").
  it.each([
    ['Deployment', 'apps/v1'],
    ['DaemonSet', 'apps/v1'],
    ['ReplicaSet', 'apps/v1'],
    ['Ingress', 'networking.k8s.io/v1'],
    ['Ingress', 'networking.k8s.io/v1beta1'],
    ['NetworkPolicy', 'networking.k8s.io/v1'],
  ])('extensions/v1beta1 %s is the same object as %s', (kind, successor) => {
    expect(run(rule, [obj('extensions/v1beta1', kind, 'x', 'web'), obj(successor, kind, 'x', 'web')])).toEqual([same(`${kind}/web/x`, `${kind}/web/x`)]);
    expect(run(rule, [obj(successor, kind, 'x', 'web'), obj('extensions/v1beta1', kind, 'x', 'web')])).toEqual([same(`${kind}/web/x`, `${kind}/web/x`)]);
    expect(run(rule, [obj('extensions/v1beta1', kind, 'x', 'web'), obj(successor, kind, 'x', 'api')])).toEqual([]);
  });

  it('extensions/v1beta1 PodSecurityPolicy is the cluster-scoped policy/v1beta1 one', () => {
    expect(run(rule, [obj('extensions/v1beta1', 'PodSecurityPolicy', 'restricted'), obj('policy/v1beta1', 'PodSecurityPolicy', 'restricted')])).toEqual([
      same('PodSecurityPolicy/restricted', 'PodSecurityPolicy/restricted'),
    ]);
  });

  it('does not move kinds extensions never shared to another group', () => {
    expect(run(rule, [obj('extensions/v1beta1', 'StatefulSet', 'x', 'web'), obj('apps/v1', 'StatefulSet', 'x', 'web')])).toEqual([]);
    expect(run(rule, [obj('extensions/v1beta1', 'Widget', 'x', 'web'), obj('apps/v1', 'Widget', 'x', 'web')])).toEqual([]);
  });

  // Every kind upstream discovery (kubernetes/kubernetes api/discovery/*.json) lists as `namespaced: false`
  // that a manifest can create, plus cert-manager's ClusterIssuer and Gateway API's GatewayClass.
  it.each([
    ['v1', 'Namespace'],
    ['v1', 'Node'],
    ['v1', 'PersistentVolume'],
    ['v1', 'ComponentStatus'],
    ['storage.k8s.io/v1', 'StorageClass'],
    ['storage.k8s.io/v1beta1', 'VolumeAttributesClass'],
    ['storage.k8s.io/v1', 'CSIDriver'],
    ['storage.k8s.io/v1', 'CSINode'],
    ['storage.k8s.io/v1', 'VolumeAttachment'],
    ['rbac.authorization.k8s.io/v1', 'ClusterRole'],
    ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding'],
    ['apiextensions.k8s.io/v1', 'CustomResourceDefinition'],
    ['apiregistration.k8s.io/v1', 'APIService'],
    ['scheduling.k8s.io/v1', 'PriorityClass'],
    ['node.k8s.io/v1', 'RuntimeClass'],
    ['networking.k8s.io/v1', 'IngressClass'],
    ['networking.k8s.io/v1', 'IPAddress'],
    ['networking.k8s.io/v1', 'ServiceCIDR'],
    ['certificates.k8s.io/v1', 'CertificateSigningRequest'],
    ['certificates.k8s.io/v1beta1', 'ClusterTrustBundle'],
    ['flowcontrol.apiserver.k8s.io/v1', 'FlowSchema'],
    ['flowcontrol.apiserver.k8s.io/v1', 'PriorityLevelConfiguration'],
    ['admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration'],
    ['admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration'],
    ['admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicy'],
    ['admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicyBinding'],
    ['admissionregistration.k8s.io/v1beta1', 'MutatingAdmissionPolicy'],
    ['admissionregistration.k8s.io/v1beta1', 'MutatingAdmissionPolicyBinding'],
    ['policy/v1beta1', 'PodSecurityPolicy'],
    ['resource.k8s.io/v1', 'DeviceClass'],
    ['resource.k8s.io/v1', 'ResourceSlice'],
    ['storagemigration.k8s.io/v1beta1', 'StorageVersionMigration'],
    ['cert-manager.io/v1', 'ClusterIssuer'],
    ['gateway.networking.k8s.io/v1', 'GatewayClass'],
  ])('%s %s is cluster-scoped: a namespace written on it does not make another object', (apiVersion, kind) => {
    expect(run(rule, [obj(apiVersion, kind, 'x', 'a'), obj(apiVersion, kind, 'x', 'b')])).toEqual([same(`${kind}/b/x`, `${kind}/a/x`)]);
    expect(run(rule, [obj(apiVersion, kind, 'x'), obj(apiVersion, kind, 'x', 'b')])).toEqual([same(`${kind}/b/x`, `${kind}/x`)]);
    expect(run(rule, [obj(apiVersion, kind, 'x'), obj(apiVersion, kind, 'y')])).toEqual([]);
  });

  it.each([
    ['v1', 'ConfigMap'],
    ['v1', 'Service'],
    ['v1', 'ServiceAccount'],
    ['v1', 'PersistentVolumeClaim'],
    ['rbac.authorization.k8s.io/v1', 'Role'],
    ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
    ['networking.k8s.io/v1', 'Ingress'],
    ['networking.k8s.io/v1', 'NetworkPolicy'],
    ['policy/v1', 'PodDisruptionBudget'],
    ['coordination.k8s.io/v1', 'Lease'],
    ['storage.k8s.io/v1', 'CSIStorageCapacity'],
    ['resource.k8s.io/v1', 'ResourceClaim'],
    ['gateway.networking.k8s.io/v1', 'Gateway'],
    ['cert-manager.io/v1', 'Issuer'],
    // Custom kinds whose names contain a cluster-scoped kind's.
    ['example.com/v1', 'NodePool'],
    ['example.com/v1', 'MyNamespace'],
    ['example.com/v1', 'ClusterRoleBindingTemplate'],
  ])('%s %s is namespaced: the same name in two namespaces is two objects', (apiVersion, kind) => {
    expect(run(rule, [obj(apiVersion, kind, 'x', 'a'), obj(apiVersion, kind, 'x', 'b')])).toEqual([]);
    expect(run(rule, [obj(apiVersion, kind, 'x', 'a'), obj(apiVersion, kind, 'x', 'a')])).toEqual([same(`${kind}/a/x`, `${kind}/a/x`)]);
  });

  it('skips generateName objects and objects without a kind', () => {
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { generateName: 'migrate-', namespace: 'web' } };
    expect(run(rule, [job, job])).toEqual([]);
    expect(run(rule, [{ apiVersion: 'v1', metadata: { name: 'x' } }, { apiVersion: 'v1', metadata: { name: 'x' } }])).toEqual([]);
    expect(run(rule, [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 7 } }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 7 } }])).toEqual([]);
  });

  it('names the other file, and the line when the documents were read from YAML', () => {
    const docs = (file: string, ...objects: Json[]) => objects.map((object) => ({ file, object }));
    const findings = auditManifests([...docs('a.yaml', obj('v1', 'ConfigMap', 'c', 'web')), ...docs('b.yaml', obj('v1', 'ConfigMap', 'c', 'web'))], { includeOnly: [rule] }).findings;
    expect(findings).toEqual([{ rule, severity: 'error', file: 'b.yaml', object: 'ConfigMap/web/c', field: 'metadata.name', problem: 'is the same object as ConfigMap/web/c in a.yaml', fix: FIX }]);

    const text = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: c, namespace: web}', '---', '# copy', 'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: c', '  namespace: web', ''].join('\n');
    const loaded = parseManifestFile('dist/web.yaml', text).docs;
    expect(auditManifests(loaded, { includeOnly: [rule] }).findings).toEqual([
      { rule, severity: 'error', file: 'dist/web.yaml', line: 9, object: 'ConfigMap/web/c', field: 'metadata.name', problem: 'is the same object as ConfigMap/web/c earlier in dist/web.yaml:1', fix: FIX },
    ]);
    const other = parseManifestFile('dist/other.yaml', ['# first', 'apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: c, namespace: web}', ''].join('\n')).docs;
    expect(auditManifests([...other, ...docs('x.yaml', obj('v1', 'ConfigMap', 'c', 'web'))], { includeOnly: [rule] }).findings).toEqual([
      { rule, severity: 'error', file: 'x.yaml', object: 'ConfigMap/web/c', field: 'metadata.name', problem: 'is the same object as ConfigMap/web/c in dist/other.yaml:2', fix: FIX },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------
describe('env-var-secret', () => {
  const rule = 'env-var-secret';
  const env = (...entries: Json[]) => container('app', { env: entries });
  const literal = (name: string, field: string, who = 'container "app"', object = 'Pod/web/p'): Finding => ({
    rule,
    severity: 'warning',
    file: FILE,
    object,
    field,
    problem: `${who} sets ${name} to a literal value`,
    fix: 'take it from a Secret with valueFrom.secretKeyRef',
  });

  it('flags a literal value in a variable named like a secret, in any case', () => {
    expect(run(rule, [pod({ containers: [env({ name: 'DB_SECRET', value: 'hunter2' })] })])).toEqual([literal('DB_SECRET', 'spec.containers[0].env[0].value')]);
    expect(run(rule, [pod({ containers: [env({ name: 'PORT', value: '80' }, { name: 'client_secret', value: 'x' }, { name: 'SecretKey', value: 'y' })] })])).toEqual([
      literal('client_secret', 'spec.containers[0].env[1].value'),
      literal('SecretKey', 'spec.containers[0].env[2].value'),
    ]);
  });

  it('names the entry by its position in env, malformed entries (the schema rule reports them) counted', () => {
    expect(run(rule, [pod({ containers: [env(null as never, 7 as never, { name: 'X_SECRET', value: 'v' })] })])).toEqual([literal('X_SECRET', 'spec.containers[0].env[2].value')]);
  });

  it('passes references, empty or non-string values, and other names', () => {
    expect(run(rule, [pod({ containers: [env({ name: 'DB_SECRET', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } })] })])).toEqual([]);
    expect(run(rule, [pod({ containers: [env({ name: 'DB_SECRET', value: '' })] })])).toEqual([]);
    expect(run(rule, [pod({ containers: [env({ name: 'DB_SECRET', value: 5 })] })])).toEqual([]);
    expect(run(rule, [pod({ containers: [env({ name: 'PASSWORD', value: 'hunter2' }, { name: 'SECRE_T', value: 'x' })] })])).toEqual([]);
    expect(run(rule, [pod({ containers: [env({ value: 'secret' })] })])).toEqual([]);
  });

  it('names init containers and the path in a workload', () => {
    expect(run(rule, [pod({ containers: [container('app')], initContainers: [{ ...env({ name: 'SECRET', value: 's' }), name: 'init' }] })])).toEqual([
      literal('SECRET', 'spec.initContainers[0].env[0].value', 'init container "init"'),
    ]);
    expect(run(rule, [deployment('api', { containers: [container('a'), env({ name: 'X' }, { name: 'API_SECRET', value: 'k' })] })])).toEqual([
      literal('API_SECRET', 'spec.template.spec.containers[1].env[1].value', 'container "app"', 'Deployment/web/api'),
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------
describe('host-access', () => {
  const rule = 'host-access';
  const APP_FIX = 'remove it (a real node agent is a DaemonSet annotated guardrails.k8s-book-systems.io/node-agent: "<reason>")';
  const app = (uses: string, object = 'Pod/web/p', field = 'spec'): Finding => ({ rule, severity: 'error', file: FILE, object, field, problem: `uses ${uses}; apps must not touch the host`, fix: APP_FIX });
  const agentFinding = (uses: string, object = 'DaemonSet/web/agent'): Finding => ({
    rule,
    severity: 'error',
    file: FILE,
    object,
    field: 'spec.template.spec',
    problem: `uses ${uses}, which even node agents may not`,
    fix: 'remove it',
  });
  const agent = (podSpec: Json, apiVersion = 'apps/v1', reason = 'collects node metrics') =>
    workload('DaemonSet', 'agent', podSpec, {}, apiVersion, { annotations: { 'guardrails.k8s-book-systems.io/node-agent': reason } });
  const check = (spec: Json) => run(rule, [pod({ containers: [container('app')], ...spec })]);

  it('flags each host namespace set to true, and only true', () => {
    expect(check({ hostNetwork: true })).toEqual([app('hostNetwork')]);
    expect(check({ hostPID: true })).toEqual([app('hostPID')]);
    expect(check({ hostIPC: true })).toEqual([app('hostIPC')]);
    expect(check({ hostNetwork: false, hostPID: false, hostIPC: false })).toEqual([]);
    expect(check({ hostNetwork: 'true' })).toEqual([]);
    expect(check({})).toEqual([]);
  });

  it('flags Windows HostProcess at pod and container level', () => {
    expect(check({ securityContext: { windowsOptions: { hostProcess: true } } })).toEqual([app('pod hostProcess')]);
    expect(check({ securityContext: { windowsOptions: { hostProcess: false } } })).toEqual([]);
    expect(check({ securityContext: { windowsOptions: { hostProcess: 'true' } } })).toEqual([]);
    expect(run(rule, [pod({ containers: [container('app', { securityContext: { windowsOptions: { hostProcess: true } } })] })])).toEqual([app('container "app" hostProcess')]);
  });

  it('flags hostPath volumes with their name and path', () => {
    expect(check({ volumes: [{ name: 'data', emptyDir: {} }, { name: 'proc', hostPath: { path: '/proc' } }] })).toEqual([app('hostPath volume "proc" (/proc)')]);
    expect(check({ volumes: [{ name: 'sock', hostPath: {} }] })).toEqual([app('hostPath volume "sock" (?)')]);
    expect(check({ volumes: [{ hostPath: { path: '/var/run/docker.sock', type: 'Socket' } }] })).toEqual([app('hostPath volume "" (/var/run/docker.sock)')]);
    expect(check({ volumes: [{ name: 'x', hostPath: '/etc' }] })).toEqual([]);
  });

  it('flags privileged, privilege escalation and non-zero hostPorts per container', () => {
    const one = (extra: Json) => run(rule, [pod({ containers: [container('app', extra)] })]);
    expect(one({ securityContext: { privileged: true } })).toEqual([app('container "app" privileged')]);
    expect(one({ securityContext: { allowPrivilegeEscalation: true } })).toEqual([app('container "app" allowPrivilegeEscalation: true')]);
    expect(one({ securityContext: { privileged: false, allowPrivilegeEscalation: false } })).toEqual([]);
    expect(one({ securityContext: { privileged: 'true' } })).toEqual([]);
    expect(one({ securityContext: { allowPrivilegeEscalation: 'true' } })).toEqual([]);
    expect(one({ securityContext: { windowsOptions: { hostProcess: 'true' } } })).toEqual([]);
    expect(one({ ports: [{ containerPort: 8080 }, { containerPort: 9100, hostPort: 9100 }] })).toEqual([app('container "app" hostPort 9100')]);
    expect(one({ ports: [{ containerPort: 1, hostPort: 1 }] })).toEqual([app('container "app" hostPort 1')]);
    expect(one({ ports: [{ containerPort: 80, hostPort: 0 }] })).toEqual([]);
    expect(one({ ports: [{ containerPort: 80, hostPort: '80' }] })).toEqual([]);
  });

  it('lists every privilege in one finding, pod-level first, then per container', () => {
    const spec = {
      hostNetwork: true,
      hostPID: true,
      hostIPC: true,
      securityContext: { windowsOptions: { hostProcess: true } },
      volumes: [{ name: 'root', hostPath: { path: '/' } }],
      containers: [container('a', { securityContext: { privileged: true, allowPrivilegeEscalation: true, windowsOptions: { hostProcess: true } }, ports: [{ containerPort: 53, hostPort: 53 }] })],
      initContainers: [container('i', { securityContext: { privileged: true } })],
    };
    expect(run(rule, [deployment('api', spec)])).toEqual([
      app(
        'hostNetwork, hostPID, hostIPC, pod hostProcess, hostPath volume "root" (/), container "a" privileged, container "a" allowPrivilegeEscalation: true, container "a" hostProcess, container "a" hostPort 53, init container "i" privileged',
        'Deployment/web/api',
        'spec.template.spec',
      ),
    ]);
  });

  it('lets an annotated DaemonSet use what node agents need', () => {
    const needs = {
      hostNetwork: true,
      hostPID: true,
      securityContext: { windowsOptions: { hostProcess: true } },
      volumes: [{ name: 'proc', hostPath: { path: '/proc' } }],
      containers: [container('agent', { securityContext: { privileged: true, windowsOptions: { hostProcess: true } }, ports: [{ containerPort: 9100, hostPort: 9100 }] })],
    };
    expect(run(rule, [agent(needs)])).toEqual([]);
    expect(run(rule, [agent(needs, 'extensions/v1beta1')])).toEqual([]);
    for (const [key, value] of [['hostNetwork', true], ['hostPID', true]] as const) {
      expect(run(rule, [agent({ containers: [container('agent')], [key]: value })])).toEqual([]);
    }
    expect(run(rule, [agent({ containers: [container('agent')], securityContext: { windowsOptions: { hostProcess: true } } })])).toEqual([]);
    expect(run(rule, [agent({ containers: [container('agent', { securityContext: { windowsOptions: { hostProcess: true } } })] })])).toEqual([]);
    expect(run(rule, [agent({ containers: [container('agent', { securityContext: { privileged: true } })] })])).toEqual([]);
    expect(run(rule, [agent({ containers: [container('agent', { ports: [{ containerPort: 1, hostPort: 1 }] })] })])).toEqual([]);
    expect(run(rule, [agent({ containers: [container('agent')], volumes: [{ name: 'v', hostPath: { path: '/v' } }] })])).toEqual([]);
  });

  it('still refuses hostIPC and allowPrivilegeEscalation to node agents, listing only those', () => {
    expect(run(rule, [agent({ hostNetwork: true, hostIPC: true, containers: [container('agent')] })])).toEqual([agentFinding('hostIPC')]);
    expect(run(rule, [agent({ containers: [container('agent', { securityContext: { privileged: true, allowPrivilegeEscalation: true } })] })])).toEqual([
      agentFinding('container "agent" allowPrivilegeEscalation: true'),
    ]);
    expect(run(rule, [agent({ hostIPC: true, hostPID: true, containers: [container('agent', { securityContext: { allowPrivilegeEscalation: true } })] })])).toEqual([
      agentFinding('hostIPC, container "agent" allowPrivilegeEscalation: true'),
    ]);
  });

  it('the node-agent annotation counts only on a DaemonSet with a reason', () => {
    const annotated = workload('Deployment', 'api', { hostNetwork: true, containers: [container('api')] }, {}, 'apps/v1', { annotations: { 'guardrails.k8s-book-systems.io/node-agent': 'because' } });
    expect(run(rule, [annotated])).toEqual([app('hostNetwork', 'Deployment/web/api', 'spec.template.spec')]);
    expect(run(rule, [agent({ hostNetwork: true, containers: [container('agent')] }, 'apps/v1', '  ')])).toEqual([app('hostNetwork', 'DaemonSet/web/agent', 'spec.template.spec')]);
    const plain = workload('DaemonSet', 'agent', { hostNetwork: true, containers: [container('agent')] });
    expect(run(rule, [plain])).toEqual([app('hostNetwork', 'DaemonSet/web/agent', 'spec.template.spec')]);
  });

  it('reports the privileges a node agent uses in the audit exceptions', () => {
    const audit = auditManifests([{ file: FILE, object: agent({ hostNetwork: true, containers: [container('agent', { ports: [{ containerPort: 9100, hostPort: 9100 }] })] }) }], { includeOnly: [rule] });
    expect(audit.findings).toEqual([]);
    expect(audit.exceptions).toEqual([
      { file: FILE, object: 'DaemonSet/web/agent', rule: 'host-access', reason: 'collects node metrics', detail: 'node agent using hostNetwork, container "agent" hostPort 9100' },
    ]);
  });

  it('hostPrivileges names the kind of each privilege', () => {
    expect(
      hostPrivileges({
        hostNetwork: true,
        hostPID: true,
        hostIPC: true,
        securityContext: { windowsOptions: { hostProcess: true } },
        volumes: [{ name: 'v', hostPath: { path: '/v' } }],
        containers: [{ name: 'c', securityContext: { privileged: true, allowPrivilegeEscalation: true, windowsOptions: { hostProcess: true } }, ports: [{ hostPort: 2 }] }],
      }),
    ).toEqual([
      { kind: 'hostNetwork', detail: 'hostNetwork' },
      { kind: 'hostPID', detail: 'hostPID' },
      { kind: 'hostIPC', detail: 'hostIPC' },
      { kind: 'hostProcess', detail: 'pod hostProcess' },
      { kind: 'hostPath', detail: 'hostPath volume "v" (/v)' },
      { kind: 'privileged', detail: 'container "c" privileged' },
      { kind: 'allowPrivilegeEscalation', detail: 'container "c" allowPrivilegeEscalation: true' },
      { kind: 'hostProcess', detail: 'container "c" hostProcess' },
      { kind: 'hostPort', detail: 'container "c" hostPort 2' },
    ]);
    expect(hostPrivileges({})).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------
describe('hpa-cpu-requests', () => {
  const rule = 'hpa-cpu-requests';
  const CPU = { resources: { requests: { cpu: '100m' } } };
  const target = (...containers: Json[]) => deployment('api', { containers });
  const hpa = (spec: Json = {}, apiVersion = 'autoscaling/v2', ref: Json = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }) => ({
    apiVersion,
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'api', namespace: 'web' },
    spec: { scaleTargetRef: ref, minReplicas: 2, maxReplicas: 5, ...spec },
  });
  const lacking = (containers: string, ref = 'Deployment/web/api'): Finding => ({
    rule,
    severity: 'error',
    file: FILE,
    object: 'HorizontalPodAutoscaler/web/api',
    field: 'spec.metrics',
    problem: `scales ${ref} on CPU utilization but container(s) ${containers} set no CPU request`,
    fix: `add resources.requests.cpu to ${ref}`,
  });
  const resource = (name: string, target: Json) => ({ type: 'Resource', resource: { name, target } });
  const UTIL = { type: 'Utilization', averageUtilization: 70 };

  it('autoscaling/v1 scales on CPU utilization only', () => {
    expect(run(rule, [target(container('app')), hpa({ targetCPUUtilizationPercentage: 50 }, 'autoscaling/v1')])).toEqual([lacking('"app"')]);
    expect(run(rule, [target(container('app', CPU)), hpa({}, 'autoscaling/v1')])).toEqual([]);
    // v1 has no metrics; one written there anyway does not change what v1 scales on.
    expect(run(rule, [target(container('app')), hpa({ metrics: [resource('memory', UTIL)] }, 'autoscaling/v1')])).toEqual([lacking('"app"')]);
  });

  it('autoscaling/v2 without metrics defaults to CPU utilization', () => {
    expect(run(rule, [target(container('app')), hpa()])).toEqual([lacking('"app"')]);
    expect(run(rule, [target(container('app')), hpa({ metrics: [] })])).toEqual([lacking('"app"')]);
  });

  it('flags a CPU Utilization metric, not CPU values or other resources', () => {
    expect(run(rule, [target(container('app')), hpa({ metrics: [resource('cpu', UTIL)] })])).toEqual([lacking('"app"')]);
    expect(run(rule, [target(container('app')), hpa({ metrics: [resource('cpu', { type: 'AverageValue', averageValue: '500m' })] })])).toEqual([]);
    expect(run(rule, [target(container('app')), hpa({ metrics: [resource('memory', UTIL)] })])).toEqual([]);
    expect(run(rule, [target(container('app')), hpa({ metrics: [resource('memory', UTIL), resource('cpu', UTIL)] })])).toEqual([lacking('"app"')]);
    expect(run(rule, [target(container('app')), hpa({ metrics: [{ type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '10' } } }] })])).toEqual([]);
    // The source is read from the field its type names.
    expect(run(rule, [target(container('app')), hpa({ metrics: [{ type: 'Object', resource: { name: 'cpu', target: UTIL } }] })])).toEqual([]);
    expect(run(rule, [target(container('app')), hpa({ metrics: [{ type: 'ContainerResource', resource: { name: 'cpu', target: UTIL } }] })])).toEqual([]);
  });

  it('reads the v2beta1 targetAverageUtilization form', () => {
    expect(run(rule, [target(container('app')), hpa({ metrics: [{ type: 'Resource', resource: { name: 'cpu', targetAverageUtilization: 60 } }] }, 'autoscaling/v2beta1')])).toEqual([lacking('"app"')]);
    expect(run(rule, [target(container('app')), hpa({ metrics: [{ type: 'Resource', resource: { name: 'cpu', targetAverageValue: '500m' } }] }, 'autoscaling/v2beta1')])).toEqual([]);
  });

  it('a ContainerResource metric covers only its container', () => {
    const metric = (name: string) => ({ type: 'ContainerResource', containerResource: { name: 'cpu', container: name, target: UTIL } });
    expect(run(rule, [target(container('app'), container('side')), hpa({ metrics: [metric('side')] })])).toEqual([lacking('"side"')]);
    expect(run(rule, [target(container('app', CPU), container('side')), hpa({ metrics: [metric('app')] })])).toEqual([]);
    expect(run(rule, [target(container('app'), container('side')), hpa({ metrics: [{ type: 'ContainerResource', containerResource: { name: 'cpu', target: UTIL } }] })])).toEqual([]);
  });

  it('lists every uncovered container, ignoring init containers', () => {
    expect(run(rule, [target(container('app'), container('side'), container('ok', CPU)), hpa()])).toEqual([lacking('"app", "side"')]);
    expect(run(rule, [deployment('api', { containers: [container('app', CPU)], initContainers: [container('init')] }), hpa()])).toEqual([]);
  });

  it('leaves dangling references and template-less targets to hpa-target', () => {
    expect(run(rule, [hpa()])).toEqual([]);
    expect(run(rule, [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'api', namespace: 'web' } }, hpa({}, 'autoscaling/v2', { kind: 'ConfigMap', name: 'api' })])).toEqual([]);
    expect(run(rule, [workload('StatefulSet', 'db', { containers: [container('db')] }), hpa({}, 'autoscaling/v2', { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' })])).toEqual([
      lacking('"db"', 'StatefulSet/web/db'),
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------
describe('hpa-target', () => {
  const rule = 'hpa-target';
  const hpa = (ref: Json, namespace: string | null = 'web', apiVersion = 'autoscaling/v2') => ({
    apiVersion,
    kind: 'HorizontalPodAutoscaler',
    metadata: namespace === null ? { name: 'h' } : { name: 'h', namespace },
    spec: { scaleTargetRef: ref, minReplicas: 2, maxReplicas: 4 },
  });
  const at = (field: string, problem: string, fix: string, object = 'HorizontalPodAutoscaler/web/h'): Finding => ({ rule, severity: 'error', file: FILE, object, field, problem, fix });
  const api = deployment('api', { containers: [container('api')] });

  it('passes a reference to a scalable workload of its namespace', () => {
    expect(run(rule, [api, hpa({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' })])).toEqual([]);
    expect(run(rule, [api, hpa({ kind: 'Deployment', name: 'api' })])).toEqual([]);
    expect(run(rule, [workload('StatefulSet', 'db', { containers: [container('db')] }), hpa({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' }, 'web', 'autoscaling/v1')])).toEqual([]);
  });

  it('flags a reference to nothing among the manifests of its namespace', () => {
    expect(run(rule, [hpa({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' })])).toEqual([
      at('spec.scaleTargetRef', 'scaleTargetRef Deployment/api is not among the manifests in namespace "web"', 'fix the reference or add the workload'),
    ]);
    expect(run(rule, [api, hpa({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'api' })])).toEqual([
      at('spec.scaleTargetRef', 'scaleTargetRef StatefulSet/api is not among the manifests in namespace "web"', 'fix the reference or add the workload'),
    ]);
    expect(run(rule, [api, hpa({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, 'other')])).toEqual([
      at('spec.scaleTargetRef', 'scaleTargetRef Deployment/api is not among the manifests in namespace "other"', 'fix the reference or add the workload', 'HorizontalPodAutoscaler/other/h'),
    ]);
    expect(run(rule, [api, hpa({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, null)])).toEqual([
      at('spec.scaleTargetRef', 'scaleTargetRef Deployment/api is not among the manifests in namespace "default"', 'fix the reference or add the workload', 'HorizontalPodAutoscaler/h'),
    ]);
    expect(run(rule, [api, hpa({})])).toEqual([at('spec.scaleTargetRef', 'scaleTargetRef / is not among the manifests in namespace "web"', 'fix the reference or add the workload')]);
  });

  it('flags a scaleTargetRef apiVersion that differs from the target', () => {
    expect(run(rule, [api, hpa({ apiVersion: 'apps/v1beta1', kind: 'Deployment', name: 'api' })])).toEqual([
      at('spec.scaleTargetRef.apiVersion', 'scaleTargetRef names apps/v1beta1, but Deployment/web/api is apps/v1', 'use apiVersion apps/v1'),
    ]);
    expect(run(rule, [api, hpa({ apiVersion: 7, kind: 'Deployment', name: 'api' })])).toEqual([]);
  });

  it('flags a target that cannot be scaled: DaemonSets and kinds without pods', () => {
    const FIX = 'target a Deployment, StatefulSet or other workload with replicas';
    expect(run(rule, [workload('DaemonSet', 'agent', { containers: [container('agent')] }), hpa({ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent' })])).toEqual([
      at('spec.scaleTargetRef', 'DaemonSet/web/agent cannot be scaled', FIX),
    ]);
    expect(run(rule, [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'api', namespace: 'web' } }, hpa({ apiVersion: 'v1', kind: 'ConfigMap', name: 'api' })])).toEqual([
      at('spec.scaleTargetRef', 'ConfigMap/web/api cannot be scaled', FIX),
    ]);
  });

  it('only checks autoscaling HorizontalPodAutoscalers', () => {
    expect(run(rule, [hpa({ kind: 'Deployment', name: 'missing' }, 'web', 'example.com/v1')])).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------
describe('registry data of these rules', () => {
  const info = (id: string) => RULES.find((r) => r.id === id);
  // Severity: what the API server refuses or what breaks is an error; hardening advice is a warning.
  it.each([
    ['anti-affinity', 'warning', ['podAntiAffinity', 'kubernetes.io/hostname', 'topologySpreadConstraint', 'labelSelector']],
    ['delegated-auth', 'error', ['create', 'tokenreviews', 'authentication.k8s.io', 'subjectaccessreviews', 'authorization.k8s.io', 'system:auth-delegator']],
    ['deployment-selector', 'error', ['spec.selector.matchLabels', 'immutable']],
    ['drop-net-raw', 'warning', ['NET_RAW', 'ALL', 'securityContext.capabilities.drop']],
    ['duplicate-env-var', 'error', ['one entry per name']],
    ['duplicate-object', 'error', ['Rename', 'namespace', 'copy']],
    ['env-var-secret', 'warning', ['valueFrom.secretKeyRef', 'Secret']],
    ['host-access', 'error', ['DaemonSet', 'node-agent annotation', 'reason']],
    ['hpa-cpu-requests', 'error', ['resources.requests.cpu', 'scaleTargetRef']],
    ['hpa-target', 'error', ['scaleTargetRef', 'apiVersion, kind, name', 'add the workload']],
    ['cronjob-deadline', 'warning', ['spec.startingDeadlineSeconds']],
    ['deployment-strategy', 'warning', ['strategy.type: RollingUpdate']],
    ['deprecated-service-account', 'warning', ['serviceAccountName']],
    ['ephemeral-storage', 'warning', ['resources.requests', 'resources.limits', 'ephemeral-storage']],
    ['hpa-fixed-replicas', 'warning', ['Remove spec.replicas', 'HPA']],
    ['hpa-min-replicas', 'warning', ['spec.minReplicas', '2 or more']],
  ] as const)('%s is a %s whose remediation names what to change', (id, severity, terms) => {
    const rule = info(id);
    expect(rule?.id).toBe(id);
    expect(rule?.severity).toBe(severity);
    for (const term of terms) expect(rule?.remediation).toContain(term);
  });
});

// ---------------------------------------------------------------------------------------------------
// The other rule files of guardrails/rules/[a-h]*.ts.
describe('cronjob-deadline', () => {
  const rule = 'cronjob-deadline';
  const cron = (spec: Json = {}, apiVersion = 'batch/v1') => ({
    apiVersion,
    kind: 'CronJob',
    metadata: { name: 'nightly', namespace: 'web' },
    spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [container('job')] } } } }, ...spec },
  });
  const finding: Finding = {
    rule,
    severity: 'warning',
    file: FILE,
    object: 'CronJob/web/nightly',
    field: 'spec.startingDeadlineSeconds',
    problem: 'no startingDeadlineSeconds: after 100 missed schedules the CronJob never runs again',
    fix: 'set spec.startingDeadlineSeconds',
  };

  it('flags a batch CronJob without startingDeadlineSeconds, in any version', () => {
    expect(run(rule, [cron()])).toEqual([finding]);
    expect(run(rule, [cron({}, 'batch/v1beta1')])).toEqual([finding]);
  });

  it('passes any startingDeadlineSeconds, and ignores other kinds', () => {
    expect(run(rule, [cron({ startingDeadlineSeconds: 200 })])).toEqual([]);
    expect(run(rule, [cron({ startingDeadlineSeconds: 0 })])).toEqual([]);
    expect(run(rule, [cron({}, 'example.com/v1')])).toEqual([]);
    expect(run(rule, [workload('Job', 'once', { restartPolicy: 'Never', containers: [container('once')] }, {}, 'batch/v1')])).toEqual([]);
  });
});

describe('deployment-strategy', () => {
  const rule = 'deployment-strategy';
  const recreate = (name = 'api', type = 'Recreate', kind = 'Deployment') => workload(kind, name, { containers: [container(name)] }, { replicas: 2, strategy: { type } });
  const service = (name: string, selector: Json = { app: 'api' }, namespace = 'web') => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { selector, ports: [{ port: 80 }] } });
  const finding = (svc: string): Finding => ({
    rule,
    severity: 'warning',
    file: FILE,
    object: 'Deployment/web/api',
    field: 'spec.strategy.type',
    problem: `Recreate leaves ${svc} without endpoints during every rollout`,
    fix: 'use RollingUpdate',
  });

  it('flags Recreate on a Deployment behind a Service, naming the first Service', () => {
    expect(run(rule, [recreate(), service('api')])).toEqual([finding('Service/web/api')]);
    expect(run(rule, [service('front'), recreate(), service('api')])).toEqual([finding('Service/web/front')]);
  });

  it('passes RollingUpdate, no strategy, no Service selecting it, and other kinds', () => {
    expect(run(rule, [recreate('api', 'RollingUpdate'), service('api')])).toEqual([]);
    expect(run(rule, [deployment('api', { containers: [container('api')] }), service('api')])).toEqual([]);
    expect(run(rule, [recreate()])).toEqual([]);
    expect(run(rule, [recreate(), service('api', { app: 'other' })])).toEqual([]);
    expect(run(rule, [recreate(), service('api', { app: 'api' }, 'other')])).toEqual([]);
    expect(run(rule, [recreate('api', 'Recreate', 'StatefulSet'), service('api')])).toEqual([]);
  });
});

describe('deprecated-service-account', () => {
  const rule = 'deprecated-service-account';
  const d = (spec: Json) => deployment('api', { containers: [container('api')], ...spec });
  const at = (problem: string, fix: string, severity: 'error' | 'warning'): Finding => ({
    rule,
    severity,
    file: FILE,
    object: 'Deployment/web/api',
    field: 'spec.template.spec.serviceAccount',
    problem,
    fix,
  });

  it('warns on serviceAccount alone or equal to serviceAccountName', () => {
    expect(run(rule, [d({ serviceAccount: 'robot' })])).toEqual([at('uses the deprecated serviceAccount field', 'use serviceAccountName: robot', 'warning')]);
    expect(run(rule, [d({ serviceAccount: 'robot', serviceAccountName: 'robot' })])).toEqual([at('uses the deprecated serviceAccount field', 'use serviceAccountName: robot', 'warning')]);
  });

  it('refuses a serviceAccount that differs from serviceAccountName', () => {
    expect(run(rule, [d({ serviceAccount: 'robot', serviceAccountName: 'app' })])).toEqual([
      at('serviceAccount "robot" differs from serviceAccountName "app"', 'remove serviceAccount and keep serviceAccountName', 'error'),
    ]);
  });

  it('passes serviceAccountName alone and an empty serviceAccount', () => {
    expect(run(rule, [d({ serviceAccountName: 'app' })])).toEqual([]);
    expect(run(rule, [d({ serviceAccount: '', serviceAccountName: 'app' })])).toEqual([]);
    expect(run(rule, [d({})])).toEqual([]);
  });
});

describe('ephemeral-storage', () => {
  const rule = 'ephemeral-storage';
  const missing = (what: string, field = 'spec.containers[0].resources', who = 'container "app"'): Finding => ({
    rule,
    severity: 'warning',
    file: FILE,
    object: 'Pod/web/p',
    field,
    problem: `${who} has no ephemeral-storage ${what}`,
    fix: 'set requests and limits for ephemeral-storage',
  });
  const res = (resources: Json) => container('app', { resources });

  it('names whichever of requests and limits lacks ephemeral-storage', () => {
    expect(run(rule, [pod({ containers: [container('app')] })])).toEqual([missing('requests or limits')]);
    expect(run(rule, [pod({ containers: [res({ requests: { cpu: '1', memory: '1Gi' }, limits: { memory: '1Gi' } })] })])).toEqual([missing('requests or limits')]);
    expect(run(rule, [pod({ containers: [res({ requests: { 'ephemeral-storage': '1Gi' } })] })])).toEqual([missing('limits')]);
    expect(run(rule, [pod({ containers: [res({ limits: { 'ephemeral-storage': '2Gi' } })] })])).toEqual([missing('requests')]);
  });

  it('passes both, and checks init containers too', () => {
    const both = { requests: { 'ephemeral-storage': '1Gi' }, limits: { 'ephemeral-storage': '2Gi' } };
    expect(run(rule, [pod({ containers: [res(both)] })])).toEqual([]);
    expect(run(rule, [pod({ containers: [res(both)], initContainers: [container('init', { resources: { limits: { 'ephemeral-storage': '1Gi' } } })] })])).toEqual([
      missing('requests', 'spec.initContainers[0].resources', 'init container "init"'),
    ]);
  });
});

describe('hpa-fixed-replicas', () => {
  const rule = 'hpa-fixed-replicas';
  const hpa = (name = 'api', kind = 'Deployment', target = 'api') => ({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, namespace: 'web' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind, name: target }, minReplicas: 2, maxReplicas: 5 },
  });
  const finding = (object: string, by = 'HorizontalPodAutoscaler/web/api'): Finding => ({
    rule,
    severity: 'warning',
    file: FILE,
    object,
    field: 'spec.replicas',
    problem: `sets replicas although ${by} scales it; each apply resets the HPA's choice`,
    fix: 'remove spec.replicas',
  });

  it('flags spec.replicas on a workload an HPA scales, naming the first HPA', () => {
    expect(run(rule, [deployment('api', { containers: [container('api')] }, { replicas: 3 }), hpa()])).toEqual([finding('Deployment/web/api')]);
    expect(run(rule, [deployment('api', { containers: [container('api')] }, { replicas: 0 }), hpa('first'), hpa('second')])).toEqual([
      finding('Deployment/web/api', 'HorizontalPodAutoscaler/web/first'),
    ]);
    expect(run(rule, [workload('StatefulSet', 'db', { containers: [container('db')] }, { replicas: 2 }), hpa('api', 'StatefulSet', 'db')])).toEqual([finding('StatefulSet/web/db')]);
  });

  it('passes no replicas, no HPA, and DaemonSets', () => {
    expect(run(rule, [deployment('api', { containers: [container('api')] }, {}), hpa()])).toEqual([]);
    expect(run(rule, [deployment('api', { containers: [container('api')] }, { replicas: 3 })])).toEqual([]);
    expect(run(rule, [workload('DaemonSet', 'agent', { containers: [container('agent')] }, { replicas: 1 }), hpa('api', 'DaemonSet', 'agent')])).toEqual([]);
  });
});

describe('hpa-min-replicas', () => {
  const rule = 'hpa-min-replicas';
  const hpa = (spec: Json, apiVersion = 'autoscaling/v2') => ({
    apiVersion,
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'api', namespace: 'web' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, maxReplicas: 5, ...spec },
  });
  const finding = (problem: string): Finding => ({ rule, severity: 'warning', file: FILE, object: 'HorizontalPodAutoscaler/web/api', field: 'spec.minReplicas', problem, fix: 'set minReplicas: 2 or more' });

  it('flags the default of 1, an explicit 1 and 0', () => {
    expect(run(rule, [hpa({})])).toEqual([finding('minReplicas 1 (the default) lets it scale down to a single pod')]);
    expect(run(rule, [hpa({}, 'autoscaling/v1')])).toEqual([finding('minReplicas 1 (the default) lets it scale down to a single pod')]);
    expect(run(rule, [hpa({ minReplicas: 1 })])).toEqual([finding('minReplicas 1 lets it scale down to a single pod')]);
    expect(run(rule, [hpa({ minReplicas: 0 })])).toEqual([finding('minReplicas 0 lets it scale down to a single pod')]);
  });

  it('passes 2 or more, and ignores other groups', () => {
    expect(run(rule, [hpa({ minReplicas: 2 })])).toEqual([]);
    expect(run(rule, [hpa({ minReplicas: 3 })])).toEqual([]);
    expect(run(rule, [hpa({}, 'example.com/v1')])).toEqual([]);
  });
});
