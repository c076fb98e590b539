import { formatFinding, validateManifests, ValidateOptions } from '../../guardrails/validate';

/** A Deployment that passes every rule; tests break one thing at a time. */
function deployment(name: string, edit: (d: any) => void = () => undefined): any {
  const d = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'web' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          containers: [
            {
              name,
              image: 'example/app:1.0.0',
              ports: [{ name: 'http', containerPort: 8080 }],
              readinessProbe: { httpGet: { path: '/', port: 'http' } },
              resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi' } },
            },
          ],
        },
      },
    },
  };
  edit(d);
  return d;
}

function check(objects: unknown[], options?: ValidateOptions): string[] {
  // Fields are asserted separately; these lines pin the problem, the fix and the rule. Errors only: the
  // hardening warnings have their own fixtures (test/fixtures/rules).
  return validateManifests(objects.map((object) => ({ file: 'in-memory', object })), options)
    .filter((f) => f.severity === 'error')
    .map((f) => formatFinding({ ...f, field: undefined }));
}

function hpa(target: string, spec: object = {}, apiVersion = 'autoscaling/v2'): object {
  return { apiVersion, kind: 'HorizontalPodAutoscaler', metadata: { name: target, namespace: 'web' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target }, maxReplicas: 4, ...spec } };
}

describe('validateManifests on odd input', () => {
  it('reports non-objects and nameless objects, expands Lists, skips empty documents', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [null, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, 'oops'] };
    expect(check([null, undefined, 'text', [1], {}, list, { apiVersion: 'v1', kind: 'ConfigMap' }])).toEqual([
      'in-memory: a document is a string, not a Kubernetes object; remove it [schema]',
      'in-memory: a document is a sequence, not a Kubernetes object; remove it [schema]',
      'in-memory: (no kind)/(unnamed): has no apiVersion/kind; add both: every Kubernetes object needs them [schema]',
      'in-memory: a document is a string, not a Kubernetes object; remove it [schema]',
      'in-memory: ConfigMap/(unnamed): has no metadata.name; name the object [schema]',
    ]);
  });

  it('never crashes on wrongly typed fields', () => {
    const broken = [
      deployment('a', (d) => (d.spec = 'x')),
      deployment('b', (d) => Object.assign(d.spec.template.spec, { containers: 'nope', initContainers: [null, 3], volumes: [null, { hostPath: 7 }] })),
      deployment('c', (d) => Object.assign(d.spec, { selector: { matchExpressions: 'bad' } })),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { selector: 'x', ports: [null, { nodePort: 'x' }] } },
      { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p' }, spec: { minAvailable: 1, selector: 'x' } },
      hpa('a', { metrics: {} }),
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: 'x' },
    ];
    const findings = check(broken);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.filter((f) => f.includes('[schema]')).length).toBeGreaterThanOrEqual(5);
  });

  it('flags kinds a built-in API version does not have, and skips CRDs', () => {
    expect(check([{ apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'x' } }])).toEqual([
      'in-memory: Deploymnet/x: Deploymnet is not a kind of apps/v1; did you mean Deployment? [schema]',
    ]);
    expect(check([{ apiVersion: 'networking.istio.io/v1beta1', kind: 'VirtualService', metadata: { name: 'x' }, spec: 42 }])).toEqual([]);
  });
});

describe('rules in detail', () => {
  it('reads image tags past a registry port and accepts digests', () => {
    const images = (image: string) => check([deployment('w', (d) => (d.spec.template.spec.containers[0].image = image))]);
    expect(images('registry:5000/team/app')).toEqual([
      'in-memory: Deployment/web/w: container "w" uses image "registry:5000/team/app" without a tag (that means :latest); pin a version tag [image-tag]',
    ]);
    expect(images('registry:5000/team/app:2.1')).toEqual([]);
    expect(images('app:latest@sha256:' + 'a'.repeat(64))).toEqual([]);
  });

  it('checks CPU requests of the containers an HPA scales on', () => {
    const noCpu = deployment('w', (d) => delete d.spec.template.spec.containers[0].resources.requests.cpu);
    const cpu = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } };
    const memory = { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 70 } } };
    const hpaFinding = 'in-memory: HorizontalPodAutoscaler/web/w: scales Deployment/web/w on CPU utilization but container(s) "w" set no CPU request; add resources.requests.cpu to Deployment/web/w [hpa-cpu-requests]';
    expect(check([noCpu, hpa('w', { metrics: [cpu] })])).toContain(hpaFinding);
    expect(check([noCpu, hpa('w')])).toContain(hpaFinding); // v2 without metrics defaults to 80% CPU
    expect(check([noCpu, hpa('w', { targetCPUUtilizationPercentage: 50 }, 'autoscaling/v1')])).toContain(hpaFinding);
    expect(check([noCpu, hpa('w', { metrics: [memory] })]).filter((f) => f.includes('hpa-cpu-requests'))).toEqual([]);
    const sidecar = { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'other', target: { type: 'Utilization', averageUtilization: 70 } } };
    expect(check([noCpu, hpa('w', { metrics: [sidecar] })]).filter((f) => f.includes('hpa-cpu-requests'))).toEqual([]);
  });

  it('makes the OS constraint optional, and then ignores waivers for it', () => {
    const unconstrained = deployment('w', (d) => {
      delete d.spec.template.spec.nodeSelector;
      d.metadata.annotations = { 'guardrails.k8s-book-systems.io/waive': 'os-constraint: single-OS dev cluster' };
    });
    expect(check([deployment('w', (d) => delete d.spec.template.spec.nodeSelector)], { requireOsConstraint: false })).toEqual([]);
    expect(check([unconstrained], { requireOsConstraint: false })).toEqual([]);
    expect(check([unconstrained])).toEqual([]);
  });

  it('relaxes host access for annotated DaemonSets only, and only for node-level privileges', () => {
    const agent = (annotated: boolean) =>
      deployment('agent', (d) => {
        d.kind = 'DaemonSet';
        delete d.spec.replicas;
        if (annotated) d.metadata.annotations = { 'guardrails.k8s-book-systems.io/node-agent': 'routes pod traffic on the host' };
        Object.assign(d.spec.template.spec, { hostNetwork: true, volumes: [{ name: 'run', hostPath: { path: '/run/flannel' } }] });
        d.spec.template.spec.containers[0].securityContext = { privileged: true, allowPrivilegeEscalation: true };
      });
    expect(check([agent(true)])).toEqual([
      'in-memory: DaemonSet/web/agent: uses container "agent" allowPrivilegeEscalation: true, which even node agents may not; remove it [host-access]',
    ]);
    expect(check([agent(false)])).toEqual([
      'in-memory: DaemonSet/web/agent: uses hostNetwork, hostPath volume "run" (/run/flannel), container "agent" privileged, container "agent" allowPrivilegeEscalation: true; apps must not touch the host; remove it (a real node agent is a DaemonSet annotated guardrails.k8s-book-systems.io/node-agent: "<reason>") [host-access]',
    ]);
  });

  it('relates objects without a namespace to the default namespace', () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'w' }, spec: { selector: { app: 'w' }, ports: [{ port: 80 }] } };
    expect(check([deployment('w', (d) => (d.metadata.namespace = 'default')), service])).toEqual([]);
  });

  it('counts replicas for PDBs only where the count is fixed', () => {
    const pdb = (selector: object) => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p', namespace: 'web' }, spec: { minAvailable: 1, selector: { matchLabels: selector } } });
    const daemonSet = deployment('ds', (d) => {
      d.kind = 'DaemonSet';
      delete d.spec.replicas;
    });
    expect(check([daemonSet, pdb({ app: 'ds' })])).toEqual([]);
    expect(check([deployment('idle', (d) => (d.spec.replicas = 0)), pdb({ app: 'idle' })])).toEqual([]);
    expect(check([deployment('one', (d) => delete d.spec.replicas), pdb({ app: 'one' })])).toEqual([
      'in-memory: PodDisruptionBudget/web/p: minAvailable 1 >= 1 replica(s) of Deployment/web/one: no pod may ever be evicted, so every node drain blocks; use maxUnavailable: 1 (or minAvailable below the replica count) [pdb-unsatisfiable]',
    ]);
  });

  it('names the replacement of removed APIs per kind', () => {
    const ingress = { apiVersion: 'extensions/v1beta1', kind: 'Ingress', metadata: { name: 'i' }, spec: {} };
    expect(check([ingress])).toEqual(['in-memory: Ingress/i: uses extensions/v1beta1, removed in Kubernetes 1.22; use networking.k8s.io/v1 [removed-api]']);
  });

  it('reports a missing controller selector', () => {
    expect(check([deployment('w', (d) => delete d.spec.selector)])).toContain(
      'in-memory: Deployment/web/w: has no spec.selector; add matchLabels equal to the template labels (app=w); selectors are immutable, so choose them once [deployment-selector]',
    );
  });
});

describe('performance', () => {
  it('validates ~4000 objects well within the synthesis budget', () => {
    const objects = Array.from({ length: 1000 }, (_, i) => {
      const name = `app-${i}`;
      return [
        deployment(name, (d) => delete d.spec.replicas),
        { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'web' }, spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 'http' }] } },
        { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace: 'web' }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: name } } } },
        hpa(name, { minReplicas: 2 }),
      ];
    }).flat();
    check(objects.slice(0, 4)); // load the schema modules once, as a warm synthesis would have
    // CPU time, not wall time: the suite shares 2 cores with other jobs. Measured ~100–300 ms warm.
    const start = process.cpuUsage();
    expect(check(objects)).toEqual([]);
    const used = process.cpuUsage(start);
    expect((used.user + used.system) / 1000).toBeLessThan(1500);
  });
});
