/**
 * Exact findings of the guardrail rules p..r (pdb-missing to restart-policy), on hand-built manifests.
 * Expectations are written out from each rule's documented intent and the Kubernetes API (the
 * deprecated-API migration guide, IANA_SVC_NAME port names, PodDisruptionBudget semantics), never
 * computed by the code under test.
 */
import { enforcedLevel } from '../../guardrails/rules/pod-security';
import { isRemovedVersion } from '../../guardrails/rules/removed-api';
import { ALL_KINDS, expected, FILE, findingsOf, hpa, NS, pdb, POD_SPEC_PATH, ref, service, workload, WorkloadKind } from './hand-built';

const container = (name: string, extra: Record<string, unknown> = {}) => ({ name, image: 'example/app:1.0.0', ...extra });

describe('pdb-missing', () => {
  const R = 'pdb-missing';
  const flag = (object: string, count: number) =>
    expected(R, 'warning', object, 'spec.selector', `no PodDisruptionBudget selects its ${count} replicas, so a drain may evict them all at once`, 'add a PodDisruptionBudget with maxUnavailable: 1');
  const pods = { containers: [container('app')] };

  it('flags a Deployment and a StatefulSet of 2+ replicas without a budget', () => {
    expect(findingsOf(R, [workload('Deployment', 'web', pods, { replicas: 2 }), workload('StatefulSet', 'db', pods, { replicas: 3 })])).toEqual([
      flag(ref('Deployment', 'web'), 2),
      flag(ref('StatefulSet', 'db'), 3),
    ]);
  });

  it('exempts single replicas (explicit or defaulted), DaemonSets, ReplicaSets, Jobs and Pods', () => {
    expect(
      findingsOf(R, [
        workload('Deployment', 'one', pods, { replicas: 1 }),
        workload('Deployment', 'default', pods),
        workload('StatefulSet', 'zero', pods, { replicas: 0 }),
        workload('DaemonSet', 'agent', pods),
        workload('ReplicaSet', 'rs', pods, { replicas: 3 }),
        workload('Job', 'job', { ...pods, restartPolicy: 'Never' }),
        workload('Pod', 'pod', pods),
      ]),
    ).toEqual([]);
  });

  it('only counts apps/ Deployments (not a removed extensions/v1beta1 one: removed-api reports that)', () => {
    expect(findingsOf(R, [workload('Deployment', 'old', pods, { replicas: 3, apiVersion: 'extensions/v1beta1' })])).toEqual([]);
  });

  it('is satisfied by a budget selecting the pods, not by one selecting other pods', () => {
    const web = workload('Deployment', 'web', pods, { replicas: 2 });
    expect(findingsOf(R, [web, pdb('web', { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } })])).toEqual([]);
    expect(findingsOf(R, [web, pdb('other', { maxUnavailable: 1, selector: { matchLabels: { app: 'other' } } })])).toEqual([flag(ref('Deployment', 'web'), 2)]);
  });

  it("counts an HPA's minReplicas instead of spec.replicas", () => {
    expect(findingsOf(R, [workload('Deployment', 'web', pods, { replicas: 1 }), hpa('web', { kind: 'Deployment', name: 'web' }, 3)])).toEqual([flag(ref('Deployment', 'web'), 3)]);
    expect(findingsOf(R, [workload('Deployment', 'web', pods, { replicas: 5 }), hpa('web', { kind: 'Deployment', name: 'web' }, 1)])).toEqual([]);
  });
});

describe('pdb-unsatisfiable', () => {
  const R = 'pdb-unsatisfiable';
  const DRAIN = 'no pod may ever be evicted, so every node drain blocks';
  const FIX = 'use maxUnavailable: 1 (or minAvailable below the replica count)';
  const PDB = ref('PodDisruptionBudget', 'guard');
  const select = { matchLabels: { app: 'web' } };
  const pods = { containers: [container('app')] };
  const web = (replicas?: number) => workload('Deployment', 'web', pods, { replicas });

  it('refuses maxUnavailable 0 and "0%" (any number of zeros)', () => {
    expect(findingsOf(R, [pdb('guard', { maxUnavailable: 0, selector: select }), web(3)])).toEqual([expected(R, 'error', PDB, 'spec.maxUnavailable', `maxUnavailable 0: ${DRAIN}`, FIX)]);
    expect(findingsOf(R, [pdb('guard', { maxUnavailable: '0%', selector: select }), web(3)])).toEqual([expected(R, 'error', PDB, 'spec.maxUnavailable', `maxUnavailable "0%": ${DRAIN}`, FIX)]);
    expect(findingsOf(R, [pdb('guard', { maxUnavailable: '00%', selector: select }), web(3)])).toEqual([expected(R, 'error', PDB, 'spec.maxUnavailable', `maxUnavailable "00%": ${DRAIN}`, FIX)]);
  });

  it('accepts a maxUnavailable that allows evictions', () => {
    for (const maxUnavailable of [1, '10%', '100%', '50%', '0%1']) expect(findingsOf(R, [pdb('guard', { maxUnavailable, selector: select }), web(1)])).toEqual([]);
  });

  it('warns about a budget that sets neither field, and only then', () => {
    expect(findingsOf(R, [pdb('guard', { selector: select }), web(3)])).toEqual([
      expected(R, 'warning', PDB, 'spec', 'sets neither minAvailable nor maxUnavailable, so it says nothing about how many pods a drain may evict', 'set maxUnavailable: 1'),
    ]);
    expect(findingsOf(R, [pdb('guard', { maxUnavailable: 1, selector: select }), web(3)])).toEqual([]);
    expect(findingsOf(R, [pdb('guard', { minAvailable: 1, selector: select }), web(3)])).toEqual([]);
  });

  it('refuses minAvailable "100%", not a lower percentage', () => {
    expect(findingsOf(R, [pdb('guard', { minAvailable: '100%', selector: select }), web(3)])).toEqual([expected(R, 'error', PDB, 'spec.minAvailable', `minAvailable "100%": ${DRAIN}`, FIX)]);
    expect(findingsOf(R, [pdb('guard', { minAvailable: '99%', selector: select }), web(3)])).toEqual([]);
  });

  it('refuses a numeric minAvailable at or above the replicas of the selected workload', () => {
    const flagged = (min: number, total: number, workloads: string) =>
      expected(R, 'error', PDB, 'spec.minAvailable', `minAvailable ${min} >= ${total} replica(s) of ${workloads}: ${DRAIN}`, FIX);
    expect(findingsOf(R, [pdb('guard', { minAvailable: 2, selector: select }), web(2)])).toEqual([flagged(2, 2, ref('Deployment', 'web'))]);
    expect(findingsOf(R, [pdb('guard', { minAvailable: 3, selector: select }), web(2)])).toEqual([flagged(3, 2, ref('Deployment', 'web'))]);
    expect(findingsOf(R, [pdb('guard', { minAvailable: 1, selector: select }), web(2)])).toEqual([]);
    // spec.replicas unset is 1.
    expect(findingsOf(R, [pdb('guard', { minAvailable: 1, selector: select }), web()])).toEqual([flagged(1, 1, ref('Deployment', 'web'))]);
  });

  it('adds up the replicas of every selected workload', () => {
    const both = [
      workload('Deployment', 'a', pods, { replicas: 2, labels: { tier: 'x' } }),
      workload('StatefulSet', 'b', pods, { replicas: 1, labels: { tier: 'x' } }),
    ];
    const tier = { matchLabels: { tier: 'x' } };
    expect(findingsOf(R, [pdb('guard', { minAvailable: 3, selector: tier }), ...both])).toEqual([
      expected(R, 'error', PDB, 'spec.minAvailable', `minAvailable 3 >= 3 replica(s) of ${ref('Deployment', 'a')}, ${ref('StatefulSet', 'b')}: ${DRAIN}`, FIX),
    ]);
    expect(findingsOf(R, [pdb('guard', { minAvailable: 2, selector: tier }), ...both])).toEqual([]);
  });

  it("counts an HPA's minReplicas (1 when unset) rather than spec.replicas", () => {
    const scaled = [web(5), hpa('web', { kind: 'Deployment', name: 'web' }, 2)];
    expect(findingsOf(R, [pdb('guard', { minAvailable: 2, selector: select }), ...scaled])).toEqual([
      expected(R, 'error', PDB, 'spec.minAvailable', `minAvailable 2 >= 2 replica(s) of ${ref('Deployment', 'web')}: ${DRAIN}`, FIX),
    ]);
    expect(findingsOf(R, [pdb('guard', { minAvailable: 1, selector: select }), ...scaled])).toEqual([]);
    expect(findingsOf(R, [pdb('guard', { minAvailable: 1, selector: select }), web(5), hpa('web', { kind: 'Deployment', name: 'web' })])).toEqual([
      expected(R, 'error', PDB, 'spec.minAvailable', `minAvailable 1 >= 1 replica(s) of ${ref('Deployment', 'web')}: ${DRAIN}`, FIX),
    ]);
  });

  it('cannot count DaemonSets, Jobs or Pods, nor pods it does not select, nor zero replicas', () => {
    const d = { matchLabels: { app: 'agent' } };
    expect(findingsOf(R, [pdb('guard', { minAvailable: 100, selector: d }), workload('DaemonSet', 'agent', pods)])).toEqual([]);
    expect(findingsOf(R, [pdb('guard', { minAvailable: 100, selector: d }), workload('Pod', 'agent', pods)])).toEqual([]);
    expect(findingsOf(R, [pdb('guard', { minAvailable: 100, selector: d }), workload('Job', 'agent', { ...pods, restartPolicy: 'Never' })])).toEqual([]);
    // A DaemonSet among the selection makes the whole count unknown.
    expect(findingsOf(R, [pdb('guard', { minAvailable: 100, selector: { matchLabels: { tier: 'x' } } }), workload('Deployment', 'a', pods, { replicas: 1, labels: { tier: 'x' } }), workload('DaemonSet', 'b', pods, { labels: { tier: 'x' } })])).toEqual([]);
    expect(findingsOf(R, [pdb('guard', { minAvailable: 5, selector: { matchLabels: { app: 'nothing' } } }), web(1)])).toEqual([]);
    expect(findingsOf(R, [pdb('guard', { minAvailable: 1, selector: select }), web(0)])).toEqual([]);
    // Another namespace's pods are not this budget's.
    expect(findingsOf(R, [pdb('guard', { minAvailable: 1, selector: select }), workload('Deployment', 'web', pods, { replicas: 1, namespace: 'other' })])).toEqual([]);
  });

  it('leaves a budget without a selector to selector-matches-no-pod', () => {
    expect(findingsOf(R, [pdb('guard', { minAvailable: 1 }), web(1)])).toEqual([]);
    expect(findingsOf(R, [pdb('guard', { minAvailable: 1, selector: null }), web(1)])).toEqual([]);
  });
});

describe('pod-security (the rule: namespace labels, modes, versions, messages)', () => {
  const R = 'pod-security';
  const L = 'pod-security.kubernetes.io';
  const namespace = (labels: Record<string, string>, name = NS) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
  const privileged = { containers: [container('c', { securityContext: { privileged: true } })] };
  const PRIVILEGED_PROBLEM = 'baseline: privileged: privileged (container "c" must not set securityContext.privileged=true)';
  const enforceFix = (fix: string) => `${fix}, or set the namespace's ${L}/enforce level to what the image needs and say why`;

  it('rejects a pod template below the enforced level, naming the field from the object root', () => {
    expect(findingsOf(R, [namespace({ [`${L}/enforce`]: 'baseline' }), workload('Deployment', 'web', privileged)])).toEqual([
      expected(
        R,
        'error',
        ref('Deployment', 'web'),
        'spec.template.spec.containers[0].securityContext.privileged',
        `${PRIVILEGED_PROBLEM}; namespace apps enforces baseline (v1.34), so the API server rejects these pods`,
        enforceFix('drop privileged: true'),
      ),
    ]);
  });

  it('judges every kind of pod template', () => {
    for (const kind of ALL_KINDS) {
      const spec = kind === 'Job' || kind === 'CronJob' ? { ...privileged, restartPolicy: 'Never' } : privileged;
      const [finding] = findingsOf(R, [namespace({ [`${L}/enforce`]: 'baseline' }), workload(kind, 'w', spec)]);
      expect(finding?.field).toBe(`${POD_SPEC_PATH[kind]}.containers[0].securityContext.privileged`);
    }
  });

  it('does not judge without a Namespace object, labels, a known level, or above privileged', () => {
    expect(findingsOf(R, [workload('Pod', 'p', privileged)])).toEqual([]);
    expect(findingsOf(R, [namespace({}), workload('Pod', 'p', privileged)])).toEqual([]);
    expect(findingsOf(R, [namespace({ [`${L}/enforce`]: 'strict' }), workload('Pod', 'p', privileged)])).toEqual([]);
    expect(findingsOf(R, [namespace({ [`${L}/enforce`]: 'privileged' }), workload('Pod', 'p', privileged)])).toEqual([]);
    expect(findingsOf(R, [namespace({ [`${L}/enforce`]: 'baseline' }, 'elsewhere'), workload('Pod', 'p', privileged)])).toEqual([]);
    // Only the core Namespace kind carries Pod Security labels.
    const custom = { ...namespace({ [`${L}/enforce`]: 'baseline' }), apiVersion: 'example.com/v1' };
    expect(findingsOf(R, [custom, workload('Pod', 'p', privileged)])).toEqual([]);
  });

  it('judges at the pinned <mode>-version, else at --kubernetes-version', () => {
    const at = (labels: Record<string, string>, kubernetesVersion?: string) =>
      findingsOf(R, [namespace(labels), workload('Pod', 'p', privileged)], kubernetesVersion ? { kubernetesVersion } : {}).map((f) => f.problem);
    expect(at({ [`${L}/enforce`]: 'baseline', [`${L}/enforce-version`]: 'v1.30' })).toEqual([`${PRIVILEGED_PROBLEM}; namespace apps enforces baseline (v1.30), so the API server rejects these pods`]);
    expect(at({ [`${L}/enforce`]: 'baseline', [`${L}/enforce-version`]: 'latest' }, '1.31')).toEqual([`${PRIVILEGED_PROBLEM}; namespace apps enforces baseline (v1.31), so the API server rejects these pods`]);
    expect(at({ [`${L}/enforce`]: 'baseline' }, 'v1.29.3')).toEqual([`${PRIVILEGED_PROBLEM}; namespace apps enforces baseline (v1.29), so the API server rejects these pods`]);
  });

  it('reports warn and audit levels as warnings, naming every mode at that level, and each control once', () => {
    const labels = { [`${L}/enforce`]: 'baseline', [`${L}/warn`]: 'restricted', [`${L}/audit`]: 'restricted', [`${L}/warn-version`]: 'v1.30', [`${L}/audit-version`]: 'v1.30' };
    const found = findingsOf(R, [namespace(labels), workload('Pod', 'p', { containers: [container('c', { securityContext: { privileged: true, runAsNonRoot: true, allowPrivilegeEscalation: false, seccompProfile: { type: 'RuntimeDefault' } } })] })]);
    expect(found).toEqual([
      expected(R, 'error', ref('Pod', 'p'), 'spec.containers[0].securityContext.privileged', `${PRIVILEGED_PROBLEM}; namespace apps enforces baseline (v1.34), so the API server rejects these pods`, enforceFix('drop privileged: true')),
      expected(
        R,
        'warning',
        ref('Pod', 'p'),
        'spec.containers[0].securityContext.capabilities',
        'restricted: capabilities_restricted: unrestricted capabilities (container "c" must set securityContext.capabilities.drop=["ALL"]); namespace apps warn/audit at restricted (v1.30)',
        `drop ALL capabilities and add none but NET_BIND_SERVICE, or set the namespace's ${L}/warn level to what the image needs and say why`,
      ),
    ]);
  });

  it('names only the modes at the level judged (audit alone, warn at another level)', () => {
    const labels = { [`${L}/warn`]: 'baseline', [`${L}/audit`]: 'restricted' };
    const found = findingsOf(R, [namespace(labels), workload('Pod', 'p', { containers: [container('c', { securityContext: { privileged: true, runAsNonRoot: true, allowPrivilegeEscalation: false, seccompProfile: { type: 'RuntimeDefault' } } })] })]);
    expect(found.map((f) => [f.severity, f.problem, f.fix])).toEqual([
      ['warning', `${PRIVILEGED_PROBLEM}; namespace apps warn at baseline (v1.34)`, `drop privileged: true, or set the namespace's ${L}/warn level to what the image needs and say why`],
      [
        'warning',
        'restricted: capabilities_restricted: unrestricted capabilities (container "c" must set securityContext.capabilities.drop=["ALL"]); namespace apps audit at restricted (v1.34)',
        `drop ALL capabilities and add none but NET_BIND_SERVICE, or set the namespace's ${L}/audit level to what the image needs and say why`,
      ],
    ]);
  });

  it('enforce and warn at one level: the enforced finding only', () => {
    const labels = { [`${L}/enforce`]: 'baseline', [`${L}/warn`]: 'baseline' };
    expect(findingsOf(R, [namespace(labels), workload('Pod', 'p', privileged)]).map((f) => [f.severity, f.problem])).toEqual([
      ['error', `${PRIVILEGED_PROBLEM}; namespace apps enforces baseline (v1.34), so the API server rejects these pods`],
    ]);
  });

  it("reads a Pod's own annotations and a workload's template annotations (not the workload's)", () => {
    const apparmor = { 'container.apparmor.security.beta.kubernetes.io/c': 'unconfined' };
    const ns = namespace({ [`${L}/enforce`]: 'baseline' });
    const pods = { containers: [container('c')] };
    // The control's own words are the standards' (tested apart); the rule frames them.
    const problem = expect.stringMatching(/^baseline: appArmorProfile: forbidden AppArmor profile \(.*\); namespace apps enforces baseline \(v1\.34\), so the API server rejects these pods$/);
    const fix = enforceFix('make the pod meet the control');
    expect(findingsOf(R, [ns, workload('Pod', 'p', pods, { podAnnotations: apparmor })])).toEqual([expected(R, 'error', ref('Pod', 'p'), 'spec', problem, fix)]);
    expect(findingsOf(R, [ns, workload('Deployment', 'd', pods, { podAnnotations: apparmor })])).toEqual([expected(R, 'error', ref('Deployment', 'd'), 'spec.template.spec', problem, fix)]);
    const onWorkload = workload('Deployment', 'd', pods);
    onWorkload.metadata.annotations = apparmor;
    expect(findingsOf(R, [ns, onWorkload])).toEqual([]);
  });

  it('gives each control its own fix', () => {
    const fixes = (level: string, spec: unknown) =>
      findingsOf(R, [namespace({ [`${L}/enforce`]: level }), workload('Pod', 'p', spec)]).map((f) => f.fix.replace(`, or set the namespace's ${L}/enforce level to what the image needs and say why`, ''));
    const hardened = { runAsNonRoot: true, allowPrivilegeEscalation: false, seccompProfile: { type: 'RuntimeDefault' }, capabilities: { drop: ['ALL'] } };
    const c = (securityContext: Record<string, unknown>, extra: Record<string, unknown> = {}) => container('c', { securityContext: { ...hardened, ...securityContext }, ...extra });
    expect(fixes('restricted', { containers: [c({ runAsNonRoot: undefined })] })).toEqual(['set securityContext.runAsNonRoot: true (and a numeric non-root runAsUser if the image has none)']);
    expect(fixes('restricted', { containers: [c({ runAsUser: 0 })] })).toEqual(['run as a non-zero UID']);
    expect(fixes('restricted', { containers: [c({ allowPrivilegeEscalation: true })] })).toEqual(['set securityContext.allowPrivilegeEscalation: false in every container']);
    expect(fixes('restricted', { containers: [c({ capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] } })] })).toEqual(['drop ALL capabilities and add none but NET_BIND_SERVICE']);
    expect(fixes('baseline', { containers: [container('c', { securityContext: { capabilities: { add: ['SYS_ADMIN'] } } })] })).toEqual(['add no capability beyond the default set']);
    expect(fixes('restricted', { containers: [c({ seccompProfile: undefined })] })).toEqual(['set securityContext.seccompProfile.type: RuntimeDefault']);
    expect(fixes('baseline', { containers: [container('c', { securityContext: { seccompProfile: { type: 'Unconfined' } } })] })).toEqual(['do not set seccompProfile Unconfined']);
    expect(fixes('baseline', { hostPID: true, containers: [container('c')] })).toEqual(['drop hostNetwork/hostPID/hostIPC']);
    expect(fixes('baseline', { volumes: [{ name: 'v', hostPath: { path: '/var' } }], containers: [container('c')] })).toEqual(['use an emptyDir, configMap, secret or PVC instead of hostPath']);
    expect(fixes('restricted', { volumes: [{ name: 'v', nfs: { server: 'nfs', path: '/' } }], containers: [c({})] })).toEqual([
      'use only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected or secret volumes',
    ]);
    expect(fixes('baseline', { containers: [container('c', { ports: [{ containerPort: 80, hostPort: 80 }] })] })).toEqual(['drop hostPort and reach the pod through a Service']);
    expect(fixes('baseline', { containers: [container('c', { securityContext: { windowsOptions: { hostProcess: true } } })] })).toEqual(['drop windowsOptions.hostProcess']);
  });

  it('enforcedLevel reads the enforce label, known levels only', () => {
    for (const level of ['privileged', 'baseline', 'restricted'] as const) expect(enforcedLevel(manifestOf(namespace({ [`${L}/enforce`]: level })))).toBe(level);
    expect(enforcedLevel(manifestOf(namespace({ [`${L}/enforce`]: 'strict' })))).toBeUndefined();
    expect(enforcedLevel(manifestOf(namespace({ [`${L}/warn`]: 'baseline' })))).toBeUndefined();
  });
});

/** Just enough of a Manifest for enforcedLevel, which reads only the object. */
function manifestOf(object: any): any {
  return { object, kind: object.kind, name: object.metadata.name };
}

describe('port-names', () => {
  const R = 'port-names';
  const withPorts = (...names: string[]) => ({ containers: [container('app', { ports: names.map((name, i) => ({ name, containerPort: 8080 + i })) })] });
  const invalid = (name: string, why: string, kind: WorkloadKind = 'Deployment', path = 'containers[0]', who = 'container "app"') =>
    expected(R, 'error', ref(kind, 'w'), `${POD_SPEC_PATH[kind]}.${path}.ports[0].name`, `${who} port name "${name}" ${why}`, 'rename the port');

  it('accepts IANA service names: up to 15 lowercase letters, digits and inner single hyphens, one letter at least', () => {
    for (const name of ['http', 'h', 'a1', '8-a', 'web-metrics', 'abcdefghijklmno', 'a-b-c-d']) expect(findingsOf(R, [workload('Deployment', 'w', withPorts(name))])).toEqual([]);
  });

  it('leaves unnamed container ports alone (a name is optional)', () => {
    expect(findingsOf(R, [workload('Deployment', 'w', { containers: [container('app', { ports: [{ containerPort: 80 }, { containerPort: 81 }] })] })])).toEqual([]);
    expect(findingsOf(R, [workload('Deployment', 'w', { containers: [container('app', { ports: [{ name: '', containerPort: 80 }, { name: '', containerPort: 81 }] })] })])).toEqual([]);
  });

  it('refuses each way a name breaks IANA_SVC_NAME, in every kind of pod template', () => {
    const cases: Array<[string, string]> = [
      ['abcdefghijklmnop', 'must be no more than 15 characters'],
      ['HTTP', "must contain only lowercase letters, digits and '-'"],
      ['web_metrics', "must contain only lowercase letters, digits and '-'"],
      ['8080', 'must contain at least one letter'],
      ['a--b', "must not contain consecutive '-'"],
      ['-http', "must not begin or end with '-'"],
      ['http-', "must not begin or end with '-'"],
    ];
    for (const [name, why] of cases) expect(findingsOf(R, [workload('Deployment', 'w', withPorts(name))])).toEqual([invalid(name, why)]);
    for (const kind of ALL_KINDS) expect(findingsOf(R, [workload(kind, 'w', { restartPolicy: 'Never', ...withPorts('HTTP') })])).toEqual([invalid('HTTP', "must contain only lowercase letters, digits and '-'", kind)]);
  });

  it('checks init containers too', () => {
    const spec = { initContainers: [container('init', { ports: [{ name: 'Admin', containerPort: 9000 }] })], containers: [container('app')] };
    expect(findingsOf(R, [workload('StatefulSet', 'w', spec)])).toEqual([invalid('Admin', "must contain only lowercase letters, digits and '-'", 'StatefulSet', 'initContainers[0]', 'init container "init"')]);
  });

  it('refuses a name used twice in one pod (one container, two containers, container and init container), not across pods', () => {
    const twice = (field: string, owners: string) => expected(R, 'error', ref('Deployment', 'w'), `spec.template.spec.${field}`, `port name "http" is used twice in the pod (${owners})`, 'give each port its own name');
    expect(findingsOf(R, [workload('Deployment', 'w', withPorts('http', 'http'))])).toEqual([twice('containers[0].ports[1].name', 'container "app" and container "app"')]);
    const spec = {
      containers: [container('a', { ports: [{ name: 'http', containerPort: 80 }] }), container('b', { ports: [{ name: 'http', containerPort: 81 }] })],
      initContainers: [container('i', { ports: [{ name: 'http', containerPort: 82 }] })],
    };
    expect(findingsOf(R, [workload('Deployment', 'w', spec)])).toEqual([
      twice('containers[1].ports[0].name', 'container "a" and container "b"'),
      twice('initContainers[0].ports[0].name', 'container "a" and init container "i"'),
    ]);
    expect(findingsOf(R, [workload('Deployment', 'w', withPorts('http')), workload('Deployment', 'v', withPorts('http'))])).toEqual([]);
  });

  describe('Service ports', () => {
    const SVC = ref('Service', 'svc');
    const svc = (ports: unknown[]) => service('svc', { app: 'w' }, ports);
    const at = (i: number, field: string, problem: string, fix: string) => expected(R, 'error', SVC, `spec.ports[${i}].${field}`, problem, fix);

    it('needs a name on each port only when there are several', () => {
      expect(findingsOf(R, [svc([{ port: 80 }])])).toEqual([]);
      expect(findingsOf(R, [svc([{ name: 'http', port: 80 }, { port: 443 }])])).toEqual([at(1, 'name', 'a Service with several ports must name each of them', 'name the port')]);
      expect(findingsOf(R, [svc([{ name: '', port: 80 }, { name: 'https', port: 443 }])])).toEqual([at(0, 'name', 'a Service with several ports must name each of them', 'name the port')]);
    });

    it('names are RFC 1123 labels of up to 63 characters (digits alone allowed)', () => {
      for (const name of ['a', '80', 'web-http', 'x'.repeat(63)]) expect(findingsOf(R, [svc([{ name, port: 80 }])])).toEqual([]);
      for (const name of ['HTTP', '-a', 'a-', 'a_b', 'x'.repeat(64)]) {
        expect(findingsOf(R, [svc([{ name, port: 80 }])])).toEqual([at(0, 'name', `port name "${name}" must be a lowercase RFC 1123 label`, 'rename the port')]);
      }
    });

    it('refuses a name used twice', () => {
      expect(findingsOf(R, [svc([{ name: 'http', port: 80 }, { name: 'http', port: 81 }])])).toEqual([at(1, 'name', 'port name "http" is used twice', 'give each port its own name')]);
    });

    it('refuses a port/protocol pair declared twice (protocol TCP by default), not the same port over UDP', () => {
      expect(findingsOf(R, [svc([{ name: 'a', port: 80 }, { name: 'b', port: 80, protocol: 'TCP' }])])).toEqual([at(1, 'port', 'port 80/TCP is declared twice', 'remove the duplicate')]);
      expect(findingsOf(R, [svc([{ name: 'a', port: 53, protocol: 'UDP' }, { name: 'b', port: 53, protocol: 'UDP' }])])).toEqual([at(1, 'port', 'port 53/UDP is declared twice', 'remove the duplicate')]);
      expect(findingsOf(R, [svc([{ name: 'a', port: 53 }, { name: 'b', port: 53, protocol: 'UDP' }])])).toEqual([]);
      // Ports without a number are the schema rule's to report.
      expect(findingsOf(R, [svc([{ name: 'a' }, { name: 'b' }])])).toEqual([]);
    });

    it('targetPort: a number 1-65535, digits, or a valid port name', () => {
      for (const targetPort of [1, 8080, 65535, '8080', 'http', 'web-80']) expect(findingsOf(R, [svc([{ port: 80, targetPort }])])).toEqual([]);
      for (const targetPort of [0, 65536, 80.5, -1]) {
        expect(findingsOf(R, [svc([{ port: 80, targetPort }])])).toEqual([at(0, 'targetPort', `targetPort ${targetPort} is not a port number (1–65535)`, 'give a container port number or name')]);
      }
      const names: Array<[string, string]> = [
        ['HTTP', "must contain only lowercase letters, digits and '-'"],
        ['8080-', 'must contain at least one letter'],
        ['-8080', 'must contain at least one letter'],
        ['http-', "must not begin or end with '-'"],
        ['a--b', "must not contain consecutive '-'"],
      ];
      for (const [targetPort, why] of names) {
        expect(findingsOf(R, [svc([{ port: 80, targetPort }])])).toEqual([at(0, 'targetPort', `targetPort "${targetPort}" ${why}`, 'name a container port, or give its number')]);
      }
    });
  });
});

describe('probe-port', () => {
  const R = 'probe-port';
  const W = ref('Deployment', 'w');
  const ports = [{ name: 'http', containerPort: 8080 }];
  const withProbe = (probe: string, handler: unknown, p: unknown[] = ports) => ({ containers: [container('app', { ports: p, [probe]: handler })] });

  it('accepts probes on declared ports, by name or number (digits in a string count as a number)', () => {
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      for (const port of ['http', 8080, '8080']) {
        expect(findingsOf(R, [workload('Deployment', 'w', withProbe(probe, { httpGet: { path: '/', port } }))])).toEqual([]);
        expect(findingsOf(R, [workload('Deployment', 'w', withProbe(probe, { tcpSocket: { port } }))])).toEqual([]);
      }
    }
    expect(findingsOf(R, [workload('Deployment', 'w', withProbe('livenessProbe', { grpc: { port: 8080 } }))])).toEqual([]);
    expect(findingsOf(R, [workload('Deployment', 'w', withProbe('livenessProbe', { exec: { command: ['true'] } }))])).toEqual([]);
  });

  it('refuses a named port the container does not declare, for each probe and action', () => {
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      for (const action of ['httpGet', 'tcpSocket', 'grpc']) {
        expect(findingsOf(R, [workload('Deployment', 'w', withProbe(probe, { [action]: { port: 'metrics' } }))])).toEqual([
          expected(R, 'error', W, `spec.template.spec.containers[0].${probe}.${action}.port`, `container "app" ${probe} uses port "metrics", which the container does not declare`, 'name one of its ports, or add the port'),
        ]);
      }
    }
  });

  it('warns about an undeclared number, only when the container declares ports', () => {
    expect(findingsOf(R, [workload('Deployment', 'w', withProbe('readinessProbe', { tcpSocket: { port: 9090 } }))])).toEqual([
      expected(R, 'warning', W, 'spec.template.spec.containers[0].readinessProbe.tcpSocket.port', 'container "app" readinessProbe uses port 9090, which is not among its ports', 'declare the port or probe a declared one'),
    ]);
    expect(findingsOf(R, [workload('Deployment', 'w', withProbe('livenessProbe', { httpGet: { port: '9090' } }))])).toEqual([
      expected(R, 'warning', W, 'spec.template.spec.containers[0].livenessProbe.httpGet.port', 'container "app" livenessProbe uses port 9090, which is not among its ports', 'declare the port or probe a declared one'),
    ]);
    expect(findingsOf(R, [workload('Deployment', 'w', withProbe('livenessProbe', { httpGet: { port: 9090 } }, []))])).toEqual([]);
    expect(findingsOf(R, [workload('Deployment', 'w', { containers: [container('app', { livenessProbe: { httpGet: { port: 9090 } } })] })])).toEqual([]);
  });

  it('refuses a TCP or HTTP probe on a UDP-only port, by number or name', () => {
    const udp = [{ name: 'dns', containerPort: 53, protocol: 'UDP' }];
    expect(findingsOf(R, [workload('Deployment', 'w', withProbe('livenessProbe', { tcpSocket: { port: 53 } }, udp))])).toEqual([
      expected(R, 'error', W, 'spec.template.spec.containers[0].livenessProbe.tcpSocket.port', 'container "app" livenessProbe (tcpSocket) probes port 53, a UDP port, over TCP', 'probe a TCP port or use an exec probe'),
    ]);
    expect(findingsOf(R, [workload('Deployment', 'w', withProbe('readinessProbe', { httpGet: { port: 'dns' } }, udp))])).toEqual([
      expected(R, 'error', W, 'spec.template.spec.containers[0].readinessProbe.httpGet.port', 'container "app" readinessProbe (httpGet) probes port "dns", a UDP port, over TCP', 'probe a TCP port or use an exec probe'),
    ]);
    // The same number also served over TCP (explicitly or by default) is fine.
    for (const tcp of [{ containerPort: 53, protocol: 'TCP' }, { containerPort: 53 }]) {
      expect(findingsOf(R, [workload('Deployment', 'w', withProbe('livenessProbe', { tcpSocket: { port: 53 } }, [...udp, tcp]))])).toEqual([]);
    }
  });

  it('checks init (sidecar) containers and every kind of pod template', () => {
    const spec = { initContainers: [container('side', { restartPolicy: 'Always', ports, startupProbe: { httpGet: { port: 'admin' } } })], containers: [container('app')] };
    expect(findingsOf(R, [workload('Pod', 'p', spec)])).toEqual([
      expected(R, 'error', ref('Pod', 'p'), 'spec.initContainers[0].startupProbe.httpGet.port', 'init container "side" startupProbe uses port "admin", which the container does not declare', 'name one of its ports, or add the port'),
    ]);
    for (const kind of ALL_KINDS) {
      expect(findingsOf(R, [workload(kind, 'w', { restartPolicy: 'Never', ...withProbe('livenessProbe', { httpGet: { port: 'nope' } }) })]).map((f) => f.field)).toEqual([`${POD_SPEC_PATH[kind]}.containers[0].livenessProbe.httpGet.port`]);
    }
  });
});

describe('probes-identical', () => {
  const R = 'probes-identical';
  const flag = (object: string, field: string, who: string) =>
    expected(R, 'warning', object, field, `${who} has the same readiness and liveness check`, 'make liveness cheaper and more lenient than readiness, or drop it');
  const probes = (readinessProbe: unknown, livenessProbe: unknown) => ({ containers: [container('app', { readinessProbe, livenessProbe })] });

  it('flags the same action whatever the timings, for each kind of action', () => {
    const actions = [{ httpGet: { path: '/healthz', port: 8080 } }, { tcpSocket: { port: 8080 } }, { exec: { command: ['check'] } }, { grpc: { port: 9000 } }];
    for (const action of actions) {
      expect(findingsOf(R, [workload('Deployment', 'w', probes({ ...action, periodSeconds: 5 }, { ...action, periodSeconds: 30, failureThreshold: 10 }))])).toEqual([
        flag(ref('Deployment', 'w'), 'spec.template.spec.containers[0].livenessProbe', 'container "app"'),
      ]);
    }
  });

  it('accepts different checks, and a container with one probe or none', () => {
    expect(findingsOf(R, [workload('Deployment', 'w', probes({ httpGet: { path: '/ready', port: 8080 } }, { httpGet: { path: '/live', port: 8080 } }))])).toEqual([]);
    expect(findingsOf(R, [workload('Deployment', 'w', probes({ httpGet: { path: '/ready', port: 8080 } }, undefined))])).toEqual([]);
    expect(findingsOf(R, [workload('Deployment', 'w', probes(undefined, { httpGet: { path: '/ready', port: 8080 } }))])).toEqual([]);
    expect(findingsOf(R, [workload('Deployment', 'w', probes({ periodSeconds: 5 }, { periodSeconds: 5 }))])).toEqual([]);
  });

  it('tells an HTTP check from a TCP check on the same port', () => {
    expect(findingsOf(R, [workload('Deployment', 'w', probes({ httpGet: { port: 8080 } }, { tcpSocket: { port: 8080 } }))])).toEqual([]);
    expect(findingsOf(R, [workload('Deployment', 'w', probes({ tcpSocket: { port: 8080 } }, { tcpSocket: { port: 8081 } }))])).toEqual([]);
    expect(findingsOf(R, [workload('Deployment', 'w', probes({ exec: { command: ['a'] } }, { exec: { command: ['b'] } }))])).toEqual([]);
  });

  it('checks init containers and every kind of pod template', () => {
    const same = { tcpSocket: { port: 80 } };
    expect(findingsOf(R, [workload('Pod', 'p', { containers: [container('app')], initContainers: [container('side', { restartPolicy: 'Always', readinessProbe: same, livenessProbe: same })] })])).toEqual([
      flag(ref('Pod', 'p'), 'spec.initContainers[0].livenessProbe', 'init container "side"'),
    ]);
    for (const kind of ALL_KINDS) expect(findingsOf(R, [workload(kind, 'w', probes(same, same))]).map((f) => f.field)).toEqual([`${POD_SPEC_PATH[kind]}.containers[0].livenessProbe`]);
  });
});

describe('readiness-probe', () => {
  const R = 'readiness-probe';
  const FIX = 'add one so traffic and rollouts wait until it is ready';
  const svc = (name = 'web', ports: unknown[] = [{ port: 80, targetPort: 8080 }], selector = { app: 'web' }) => service(name, selector, ports);
  const bare = { containers: [container('app', { ports: [{ name: 'http', containerPort: 8080 }] })] };

  it('flags long-running pods behind a Service without any readiness probe', () => {
    for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Pod'] as const) {
      expect(findingsOf(R, [svc(), workload(kind, 'web', bare)])).toEqual([
        expected(R, 'error', ref(kind, 'web'), `${POD_SPEC_PATH[kind]}.containers[0].readinessProbe`, `${ref('Service', 'web')} sends traffic to container "app", which has no readinessProbe`, FIX),
      ]);
    }
  });

  it('names every Service sending traffic', () => {
    expect(findingsOf(R, [svc('a'), svc('b'), workload('Deployment', 'web', bare)]).map((f) => f.problem)).toEqual([
      `${ref('Service', 'a')}, ${ref('Service', 'b')} sends traffic to container "app", which has no readinessProbe`,
    ]);
  });

  it('exempts Jobs, CronJobs, Pods that do not restart, pods no Service selects, and pods with one probe', () => {
    expect(findingsOf(R, [svc(), workload('Job', 'web', { ...bare, restartPolicy: 'Never' }), workload('CronJob', 'web', { ...bare, restartPolicy: 'OnFailure' })])).toEqual([]);
    expect(findingsOf(R, [svc(), workload('Pod', 'web', { ...bare, restartPolicy: 'Never' })])).toEqual([]);
    expect(findingsOf(R, [svc('web', undefined, { app: 'other' }), workload('Deployment', 'web', bare)])).toEqual([]);
    expect(findingsOf(R, [svc(), workload('Deployment', 'web', bare, { namespace: 'other' })])).toEqual([]);
    const one = { containers: [container('app'), container('side', { readinessProbe: { tcpSocket: { port: 9000 } } })] };
    expect(findingsOf(R, [svc(), workload('Deployment', 'web', one)])).toEqual([]);
    const sidecar = { containers: [container('app')], initContainers: [container('side', { restartPolicy: 'Always', readinessProbe: { tcpSocket: { port: 9000 } } })] };
    expect(findingsOf(R, [svc(), workload('Deployment', 'web', sidecar)])).toEqual([]);
  });

  it('names the container serving the targetPort (by number or name, the port when no targetPort), else the first', () => {
    const two = {
      containers: [container('side', { ports: [{ name: 'admin', containerPort: 9000 }] }), container('app', { ports: [{ name: 'http', containerPort: 8080 }] })],
      initContainers: [container('init', { ports: [{ name: 'web', containerPort: 7000 }] })],
    };
    const field = (ports: unknown[]) => findingsOf(R, [svc('web', ports), workload('Deployment', 'web', two)]).map((f) => [f.field, f.problem.replace(/.* sends traffic to /, '')]);
    expect(field([{ port: 80, targetPort: 8080 }])).toEqual([['spec.template.spec.containers[1].readinessProbe', 'container "app", which has no readinessProbe']]);
    expect(field([{ port: 80, targetPort: 'http' }])).toEqual([['spec.template.spec.containers[1].readinessProbe', 'container "app", which has no readinessProbe']]);
    expect(field([{ port: 8080 }])).toEqual([['spec.template.spec.containers[1].readinessProbe', 'container "app", which has no readinessProbe']]);
    expect(field([{ port: 80, targetPort: 9000 }])).toEqual([['spec.template.spec.containers[0].readinessProbe', 'container "side", which has no readinessProbe']]);
    expect(field([{ port: 80, targetPort: 1234 }])).toEqual([['spec.template.spec.containers[0].readinessProbe', 'container "side", which has no readinessProbe']]);
    // Init containers never serve the Service's traffic.
    expect(field([{ port: 80, targetPort: 'web' }])).toEqual([['spec.template.spec.containers[0].readinessProbe', 'container "side", which has no readinessProbe']]);
  });

  it('has nothing to name in a pod without containers', () => {
    expect(findingsOf(R, [svc(), workload('Deployment', 'web', { containers: [] })])).toEqual([]);
  });
});

describe('removed-api', () => {
  const R = 'removed-api';
  const object = (apiVersion: string, kind: string) => ({ apiVersion, kind, metadata: { name: 'x', namespace: NS } });
  const removed = (apiVersion: string, kind: string, version: string, use: string) =>
    expected(R, 'error', ref(kind, 'x'), 'apiVersion', `uses ${apiVersion}, removed in Kubernetes ${version}`, `use ${use}`);

  /** The Kubernetes deprecated-API migration guide: apiVersion, a kind served there, release that removed it, replacement. */
  const GUIDE: Array<[string, string, string, string]> = [
    ['extensions/v1beta1', 'Deployment', '1.16', 'apps/v1'],
    ['extensions/v1beta1', 'DaemonSet', '1.16', 'apps/v1'],
    ['extensions/v1beta1', 'ReplicaSet', '1.16', 'apps/v1'],
    ['extensions/v1beta1', 'NetworkPolicy', '1.16', 'networking.k8s.io/v1'],
    ['extensions/v1beta1', 'PodSecurityPolicy', '1.16', 'policy/v1beta1 (itself removed in 1.25: use Pod Security Admission namespace labels)'],
    ['extensions/v1beta1', 'Ingress', '1.22', 'networking.k8s.io/v1'],
    ['apps/v1beta1', 'Deployment', '1.16', 'apps/v1'],
    ['apps/v1beta1', 'StatefulSet', '1.16', 'apps/v1'],
    ['apps/v1beta2', 'DaemonSet', '1.16', 'apps/v1'],
    ['apps/v1beta2', 'ReplicaSet', '1.16', 'apps/v1'],
    ['batch/v2alpha1', 'CronJob', '1.21', 'batch/v1'],
    ['networking.k8s.io/v1beta1', 'Ingress', '1.22', 'networking.k8s.io/v1'],
    ['networking.k8s.io/v1beta1', 'IngressClass', '1.22', 'networking.k8s.io/v1'],
    ['rbac.authorization.k8s.io/v1beta1', 'ClusterRole', '1.22', 'rbac.authorization.k8s.io/v1'],
    ['rbac.authorization.k8s.io/v1alpha1', 'RoleBinding', '1.22', 'rbac.authorization.k8s.io/v1'],
    ['admissionregistration.k8s.io/v1beta1', 'ValidatingWebhookConfiguration', '1.22', 'admissionregistration.k8s.io/v1'],
    ['apiextensions.k8s.io/v1beta1', 'CustomResourceDefinition', '1.22', 'apiextensions.k8s.io/v1'],
    ['apiregistration.k8s.io/v1beta1', 'APIService', '1.22', 'apiregistration.k8s.io/v1'],
    ['authentication.k8s.io/v1beta1', 'TokenReview', '1.22', 'authentication.k8s.io/v1'],
    ['authorization.k8s.io/v1beta1', 'SubjectAccessReview', '1.22', 'authorization.k8s.io/v1'],
    ['certificates.k8s.io/v1beta1', 'CertificateSigningRequest', '1.22', 'certificates.k8s.io/v1'],
    ['coordination.k8s.io/v1beta1', 'Lease', '1.22', 'coordination.k8s.io/v1'],
    ['scheduling.k8s.io/v1beta1', 'PriorityClass', '1.22', 'scheduling.k8s.io/v1'],
    ['scheduling.k8s.io/v1alpha1', 'PriorityClass', '1.22', 'scheduling.k8s.io/v1'],
    ['storage.k8s.io/v1beta1', 'StorageClass', '1.22', 'storage.k8s.io/v1'],
    ['storage.k8s.io/v1beta1', 'CSIDriver', '1.22', 'storage.k8s.io/v1'],
    ['storage.k8s.io/v1beta1', 'CSIStorageCapacity', '1.27', 'storage.k8s.io/v1'],
    ['batch/v1beta1', 'CronJob', '1.25', 'batch/v1'],
    ['discovery.k8s.io/v1beta1', 'EndpointSlice', '1.25', 'discovery.k8s.io/v1'],
    ['events.k8s.io/v1beta1', 'Event', '1.25', 'events.k8s.io/v1'],
    ['autoscaling/v2beta1', 'HorizontalPodAutoscaler', '1.25', 'autoscaling/v2'],
    ['policy/v1beta1', 'PodDisruptionBudget', '1.25', 'policy/v1'],
    ['policy/v1beta1', 'PodSecurityPolicy', '1.25', 'Pod Security Admission namespace labels (PodSecurityPolicy has no successor API)'],
    ['node.k8s.io/v1beta1', 'RuntimeClass', '1.25', 'node.k8s.io/v1'],
    ['autoscaling/v2beta2', 'HorizontalPodAutoscaler', '1.26', 'autoscaling/v2'],
    ['flowcontrol.apiserver.k8s.io/v1beta1', 'FlowSchema', '1.26', 'flowcontrol.apiserver.k8s.io/v1'],
    ['flowcontrol.apiserver.k8s.io/v1beta2', 'PriorityLevelConfiguration', '1.29', 'flowcontrol.apiserver.k8s.io/v1'],
    ['flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema', '1.32', 'flowcontrol.apiserver.k8s.io/v1'],
  ];

  const minus = (version: string) => `1.${Number(version.split('.')[1]) - 1}`;

  it.each(GUIDE)('%s %s: removed in %s, use %s', (apiVersion, kind, version, use) => {
    expect(isRemovedVersion(apiVersion)).toBe(true);
    expect(findingsOf(R, [object(apiVersion, kind)])).toEqual([removed(apiVersion, kind, version, use)]);
    expect(findingsOf(R, [object(apiVersion, kind)], { kubernetesVersion: version })).toEqual([removed(apiVersion, kind, version, use)]);
    if (version !== '1.16') expect(findingsOf(R, [object(apiVersion, kind)], { kubernetesVersion: minus(version) })).toEqual([]);
  });

  it('passes served versions', () => {
    for (const [apiVersion, kind] of [['apps/v1', 'Deployment'], ['v1', 'Service'], ['batch/v1', 'CronJob'], ['policy/v1', 'PodDisruptionBudget'], ['autoscaling/v2', 'HorizontalPodAutoscaler'], ['networking.k8s.io/v1', 'Ingress']]) {
      expect(isRemovedVersion(apiVersion)).toBe(false);
      expect(findingsOf(R, [object(apiVersion, kind)])).toEqual([]);
    }
  });

  /** Versions that appeared after 1.16: release that first served them, and what the older server serves. */
  const INTRODUCED: Array<[string, string, string, string]> = [
    ['networking.k8s.io/v1', 'Ingress', '1.19', 'networking.k8s.io/v1beta1'],
    ['networking.k8s.io/v1', 'IngressClass', '1.19', 'networking.k8s.io/v1beta1'],
    ['batch/v1', 'CronJob', '1.21', 'batch/v1beta1'],
    ['policy/v1', 'PodDisruptionBudget', '1.21', 'policy/v1beta1'],
    ['discovery.k8s.io/v1', 'EndpointSlice', '1.21', 'discovery.k8s.io/v1beta1'],
    ['autoscaling/v2', 'HorizontalPodAutoscaler', '1.23', 'autoscaling/v2beta2'],
    ['flowcontrol.apiserver.k8s.io/v1', 'FlowSchema', '1.29', 'flowcontrol.apiserver.k8s.io/v1beta3'],
    ['flowcontrol.apiserver.k8s.io/v1', 'PriorityLevelConfiguration', '1.29', 'flowcontrol.apiserver.k8s.io/v1beta3'],
    ['admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicy', '1.30', 'admissionregistration.k8s.io/v1beta1'],
    ['admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicyBinding', '1.30', 'admissionregistration.k8s.io/v1beta1'],
  ];

  it.each(INTRODUCED)('%s %s: served from %s; older servers get %s', (apiVersion, kind, since, use) => {
    const older = minus(since);
    expect(findingsOf(R, [object(apiVersion, kind)], { kubernetesVersion: older })).toEqual([
      expected(R, 'error', ref(kind, 'x'), 'apiVersion', `${apiVersion} ${kind} is served from Kubernetes ${since}, not by ${older}`, `use ${use} (or check against a newer --kubernetes-version)`),
    ]);
    expect(findingsOf(R, [object(apiVersion, kind)], { kubernetesVersion: since })).toEqual([]);
  });

  it('other kinds of a group whose newer version came late are not affected', () => {
    expect(findingsOf(R, [object('batch/v1', 'Job')], { kubernetesVersion: '1.16' })).toEqual([]);
    expect(findingsOf(R, [object('networking.k8s.io/v1', 'NetworkPolicy')], { kubernetesVersion: '1.16' })).toEqual([]);
  });
});

describe('replicas', () => {
  const R = 'replicas';
  const pods = { containers: [container('app')] };
  const svc = (name = 'web') => service(name, { app: 'web' });

  it('warns about a Deployment behind a Service with one replica (explicit or defaulted)', () => {
    const flag = expected(R, 'warning', ref('Deployment', 'web'), 'spec.replicas', `1 replica behind ${ref('Service', 'web')}: one failure or rollout takes it down`, 'run at least 2 replicas');
    expect(findingsOf(R, [svc(), workload('Deployment', 'web', pods, { replicas: 1 })])).toEqual([flag]);
    expect(findingsOf(R, [svc(), workload('Deployment', 'web', pods)])).toEqual([flag]);
  });

  it('names the first Service', () => {
    expect(findingsOf(R, [svc('a'), svc('b'), workload('Deployment', 'web', pods, { replicas: 1 })]).map((f) => f.problem)).toEqual([`1 replica behind ${ref('Service', 'a')}: one failure or rollout takes it down`]);
  });

  it('accepts 2+ replicas, 0 (an idle slot), no Service, an HPA, and kinds other than Deployment', () => {
    expect(findingsOf(R, [svc(), workload('Deployment', 'web', pods, { replicas: 2 })])).toEqual([]);
    expect(findingsOf(R, [svc(), workload('Deployment', 'web', pods, { replicas: 0 })])).toEqual([]);
    expect(findingsOf(R, [workload('Deployment', 'web', pods, { replicas: 1 })])).toEqual([]);
    expect(findingsOf(R, [svc(), workload('Deployment', 'web', pods, { replicas: 1 }), hpa('web', { kind: 'Deployment', name: 'web' }, 1)])).toEqual([]);
    expect(findingsOf(R, [svc(), workload('StatefulSet', 'web', pods, { replicas: 1 }), workload('ReplicaSet', 'web', pods, { replicas: 1 })])).toEqual([]);
    expect(findingsOf(R, [svc(), workload('Deployment', 'web', pods, { replicas: 1, apiVersion: 'extensions/v1beta1' })])).toEqual([]);
  });
});

describe('resources', () => {
  const R = 'resources';
  const FIX = 'set CPU and memory requests and limits';
  const full = { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: 1, memory: '128Mi' } };
  const lacks = (kind: WorkloadKind, path: string, who: string, missing: string) =>
    expected(R, 'error', ref(kind, 'w'), `${POD_SPEC_PATH[kind]}.${path}.resources`, `${who} lacks ${missing}`, FIX);

  it('accepts requests and limits for cpu and memory, as strings or numbers', () => {
    expect(findingsOf(R, [workload('Deployment', 'w', { containers: [container('app', { resources: full })] })])).toEqual([]);
  });

  it('lists everything missing, in every kind of pod template', () => {
    for (const kind of ALL_KINDS) {
      expect(findingsOf(R, [workload(kind, 'w', { restartPolicy: 'Never', containers: [container('app')] })])).toEqual([
        lacks(kind, 'containers[0]', 'container "app"', 'resources.requests.cpu, resources.requests.memory, resources.limits.cpu, resources.limits.memory'),
      ]);
    }
  });

  it('names each missing value alone; an empty string or null is missing', () => {
    const without = (section: 'requests' | 'limits', key: 'cpu' | 'memory', value?: unknown) => ({
      ...full,
      [section]: { ...full[section], [key]: value },
    });
    for (const section of ['requests', 'limits'] as const) {
      for (const key of ['cpu', 'memory'] as const) {
        for (const value of [undefined, '', null]) {
          expect(findingsOf(R, [workload('Deployment', 'w', { containers: [container('app', { resources: without(section, key, value) })] })])).toEqual([
            lacks('Deployment', 'containers[0]', 'container "app"', `resources.${section}.${key}`),
          ]);
        }
      }
    }
  });

  it('checks init containers too', () => {
    expect(findingsOf(R, [workload('Deployment', 'w', { initContainers: [container('init', { resources: { requests: full.requests } })], containers: [container('app', { resources: full })] })])).toEqual([
      lacks('Deployment', 'initContainers[0]', 'init container "init"', 'resources.limits.cpu, resources.limits.memory'),
    ]);
  });
});

describe('restart-policy', () => {
  const R = 'restart-policy';
  const pods = (restartPolicy?: string) => ({ restartPolicy, containers: [container('app')] });

  it("refuses a Job's or CronJob's pods without OnFailure or Never", () => {
    for (const kind of ['Job', 'CronJob'] as const) {
      const field = `${POD_SPEC_PATH[kind]}.restartPolicy`;
      expect(findingsOf(R, [workload(kind, 'w', pods())])).toEqual([expected(R, 'error', ref(kind, 'w'), field, `a ${kind}'s pods need a restartPolicy (the default Always is refused)`, 'set restartPolicy: OnFailure or Never')]);
      expect(findingsOf(R, [workload(kind, 'w', pods('Always'))])).toEqual([expected(R, 'error', ref(kind, 'w'), field, `restartPolicy Always is not allowed for a ${kind}`, 'set restartPolicy: OnFailure or Never')]);
      expect(findingsOf(R, [workload(kind, 'w', pods('OnFailure'))])).toEqual([]);
      expect(findingsOf(R, [workload(kind, 'w', pods('Never'))])).toEqual([]);
    }
  });

  it('refuses anything but Always in controllers that keep pods running', () => {
    const kinds: Array<[WorkloadKind, string?]> = [['Deployment'], ['StatefulSet'], ['DaemonSet'], ['ReplicaSet'], ['ReplicationController'], ['Deployment', 'extensions/v1beta1'], ['DaemonSet', 'apps/v1beta2']];
    for (const [kind, apiVersion] of kinds) {
      for (const policy of ['Never', 'OnFailure']) {
        expect(findingsOf(R, [workload(kind, 'w', pods(policy), { apiVersion })])).toEqual([
          expected(R, 'error', ref(kind, 'w'), `${POD_SPEC_PATH[kind]}.restartPolicy`, `restartPolicy ${policy} is not allowed for a ${kind} (only Always)`, 'remove restartPolicy'),
        ]);
      }
      expect(findingsOf(R, [workload(kind, 'w', pods('Always'), { apiVersion })])).toEqual([]);
      expect(findingsOf(R, [workload(kind, 'w', pods(), { apiVersion })])).toEqual([]);
    }
  });

  it('lets a bare Pod use any policy', () => {
    for (const policy of [undefined, 'Always', 'OnFailure', 'Never']) expect(findingsOf(R, [workload('Pod', 'w', pods(policy))])).toEqual([]);
  });
});

describe('run-as-non-root', () => {
  const R = 'run-as-non-root';
  const run = (podContext: Record<string, unknown> | undefined, containerContext: Record<string, unknown> | undefined, kind: WorkloadKind = 'Deployment', extra: Record<string, unknown> = {}) =>
    findingsOf(R, [workload(kind, 'w', { restartPolicy: 'Never', securityContext: podContext, containers: [container('app', { securityContext: containerContext })], ...extra })]);
  const at = (field: string, problem: string, fix: string, kind: WorkloadKind = 'Deployment', path = 'containers[0]') =>
    expected(R, 'warning', ref(kind, 'w'), `${POD_SPEC_PATH[kind]}.${path}.securityContext.${field}`, problem, fix);
  const mayRunAsRoot = (kind: WorkloadKind = 'Deployment') => at('runAsNonRoot', 'container "app" may run as root', 'set runAsNonRoot: true and a non-zero runAsUser', kind);

  it('warns about a container that may run as root, in every kind of pod template', () => {
    for (const kind of ALL_KINDS) expect(run(undefined, undefined, kind)).toEqual([mayRunAsRoot(kind)]);
    expect(run({ runAsUser: 0 }, undefined)).toEqual([mayRunAsRoot()]);
    expect(run({ runAsNonRoot: 'true' }, undefined)).toEqual([mayRunAsRoot()]);
    expect(run(undefined, { runAsUser: '1000' })).toEqual([mayRunAsRoot()]);
  });

  it('accepts a non-zero runAsUser or runAsNonRoot: true, pod- or container-level', () => {
    for (const ok of [{ runAsUser: 1 }, { runAsUser: 1000 }, { runAsNonRoot: true }, { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000 }]) {
      expect(run(ok, undefined)).toEqual([]);
      expect(run(undefined, ok)).toEqual([]);
    }
  });

  it("lets the container's setting override the pod's", () => {
    expect(run({ runAsNonRoot: true }, { runAsNonRoot: false })).toEqual([mayRunAsRoot()]);
    expect(run({ runAsUser: 0 }, { runAsUser: 1000 })).toEqual([]);
    expect(run({ runAsUser: 1000 }, { runAsUser: 0 })).toEqual([mayRunAsRoot()]);
    expect(run({ runAsGroup: 0, runAsUser: 1000 }, { runAsGroup: 1000 })).toEqual([]);
  });

  it('refuses runAsNonRoot with runAsUser 0 (the kubelet will not start it)', () => {
    expect(run({ runAsNonRoot: true }, { runAsUser: 0 })).toEqual([at('runAsUser', 'container "app" sets runAsNonRoot but runAsUser 0, so it cannot start', 'set a non-zero runAsUser')]);
  });

  it('warns about group 0 as well, pod- or container-level', () => {
    const group0 = at('runAsGroup', 'container "app" runs with group 0 (root)', 'set a non-zero runAsGroup');
    expect(run({ runAsGroup: 0, runAsUser: 1000 }, undefined)).toEqual([group0]);
    expect(run(undefined, { runAsGroup: 0, runAsNonRoot: true })).toEqual([group0]);
    expect(run(undefined, { runAsGroup: 0 })).toEqual([group0, mayRunAsRoot()]);
    expect(run(undefined, { runAsGroup: 0, runAsNonRoot: true, runAsUser: 0 })).toEqual([group0, at('runAsUser', 'container "app" sets runAsNonRoot but runAsUser 0, so it cannot start', 'set a non-zero runAsUser')]);
  });

  it('checks init containers too', () => {
    expect(findingsOf(R, [workload('Pod', 'w', { securityContext: { runAsNonRoot: true }, containers: [container('app')], initContainers: [container('init', { securityContext: { runAsNonRoot: false } })] })])).toEqual([
      at('runAsNonRoot', 'init container "init" may run as root', 'set runAsNonRoot: true and a non-zero runAsUser', 'Pod', 'initContainers[0]'),
    ]);
  });

  it('exempts Windows pods (os.name windows, or pod-level windowsOptions), not Linux ones', () => {
    expect(run(undefined, undefined, 'Deployment', { os: { name: 'windows' } })).toEqual([]);
    expect(run({ windowsOptions: { runAsUserName: 'ContainerUser' } }, undefined)).toEqual([]);
    expect(run(undefined, undefined, 'Deployment', { os: { name: 'linux' } })).toEqual([mayRunAsRoot()]);
  });
});

test('findings name the in-memory file', () => {
  expect(findingsOf('replicas', [service('web', { app: 'web' }), workload('Deployment', 'web', { containers: [container('app')] })])[0]?.file).toBe(FILE);
});
