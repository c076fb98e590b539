/**
 * HaWebApp edges: every refusal threshold from both sides, every default and optional prop, with
 * expected values written by hand from Kubernetes semantics (no construct helper computes them).
 */
import { App, Chart } from 'cdk8s';
import { HaWebApp, HaWebAppProps } from '../../constructs/ha-web-app';
import type { Placement } from '../../constructs/platform';
import { refusal as constructRefusal } from './support';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;

/** A Linux placement on `nodes` eligible nodes of pools a and b. */
const placement = (nodes = 3): Placement => ({
  platform: { os: 'linux' },
  nodeSelector: { 'kubernetes.io/os': 'linux' },
  tolerations: [],
  eligibleNodes: nodes,
  pools: ['pool-a', 'pool-b'],
});

const container = {
  name: 'web',
  image: 'nginxinc/nginx-unprivileged:1.27.3',
  ports: [{ name: 'http', containerPort: 8080 }],
  resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
  readiness: { http: '/ready', port: 'http' },
  liveness: { http: '/healthz', port: 'http' },
} as const;

const portless = { name: 'bot', image: 'buoyantio/emojivoto-web:v11', resources: container.resources } as const;

function synth(overrides: Partial<HaWebAppProps> = {}, nodes = 3): Obj[] {
  const app = new App({ outdir: 'unused' });
  const chart = new Chart(app, 'c');
  new HaWebApp(chart, 'web', {
    namespace: 'shop',
    name: 'web',
    placement: placement(nodes),
    container,
    service: { ports: [{ name: 'http', port: 80 }] },
    ...overrides,
  });
  return chart.toJson();
}

function get(objects: Obj[], kind: string): Obj {
  const found = objects.filter((o) => o.kind === kind);
  expect(found).toHaveLength(1);
  return found[0];
}

const refusal = (overrides: Partial<HaWebAppProps>, nodes = 3): string => constructRefusal(() => synth(overrides, nodes));

const LABELS = { app: 'web', 'app.kubernetes.io/name': 'web' };
const META = { name: 'web', namespace: 'shop', labels: LABELS };
const HA_FIX = 'use at least 2 replicas, or set nonHa: true to run a single pod on purpose';

describe('defaults', () => {
  const objects = synth();
  const d = get(objects, 'Deployment');

  test('exactly Deployment, Service and PDB, in that order', () => {
    expect(objects.map((o) => `${o.apiVersion} ${o.kind}`)).toEqual(['apps/v1 Deployment', 'v1 Service', 'policy/v1 PodDisruptionBudget']);
  });

  test('the Deployment: 2 replicas, 5 revisions, surge 1 / unavailable 0, selector {app}', () => {
    expect(d.metadata).toEqual(META);
    const { template, ...spec } = d.spec;
    expect(spec).toEqual({
      replicas: 2,
      revisionHistoryLimit: 5,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    });
    expect(template.metadata).toEqual({ labels: LABELS });
  });

  test('preferred hostname anti-affinity and preferred zone spread on the selector', () => {
    const pod = d.spec.template.spec;
    expect(pod.affinity).toEqual({
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' } }],
      },
    });
    expect(pod.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'web' } } },
    ]);
    expect(pod.serviceAccountName).toBeUndefined();
  });

  test('the Service and the PDB (maxUnavailable 1)', () => {
    expect(get(objects, 'Service')).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: META,
      spec: { type: 'ClusterIP', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
    });
    expect(get(objects, 'PodDisruptionBudget')).toEqual({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: META,
      spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } },
    });
  });
});

describe('names, labels and selectors', () => {
  test('a Service name of its own is what the Ingress and Istio route to', () => {
    const objects = synth({ service: { name: 'web-svc', ports: [{ name: 'http', port: 80 }] }, ingress: { className: 'nginx', host: 'a.example.com' }, mesh: 'istio', istio: { hosts: ['a.example.com'] } });
    expect(get(objects, 'Service').metadata.name).toBe('web-svc');
    expect(get(objects, 'Ingress').spec.rules[0].http.paths[0].backend).toEqual({ service: { name: 'web-svc', port: { name: 'http' } } });
    expect(get(objects, 'VirtualService').spec.http[0].route[0].destination).toEqual({ host: 'web-svc', port: { number: 80 } });
    expect(get(objects, 'Deployment').metadata.name).toBe('web');
  });

  test('custom selector labels: every selector uses them; the name label follows their app', () => {
    const objects = synth({ selectorLabels: { app: 'shop-front', tier: 'web' }, labels: { team: 'a' } });
    const labels = { app: 'shop-front', tier: 'web', 'app.kubernetes.io/name': 'shop-front', team: 'a' };
    const d = get(objects, 'Deployment');
    expect(d.metadata.labels).toEqual(labels);
    expect(d.spec.selector).toEqual({ matchLabels: { app: 'shop-front', tier: 'web' } });
    expect(d.spec.template.metadata.labels).toEqual(labels);
    expect(get(objects, 'Service').spec.selector).toEqual({ app: 'shop-front', tier: 'web' });
    expect(get(objects, 'PodDisruptionBudget').spec.selector).toEqual({ matchLabels: { app: 'shop-front', tier: 'web' } });
  });

  test('selector labels without app: the name label is the Deployment name', () => {
    const d = get(synth({ selectorLabels: { component: 'front' } }), 'Deployment');
    expect(d.metadata.labels).toEqual({ component: 'front', 'app.kubernetes.io/name': 'web' });
  });

  test('an extra label may set the app.kubernetes.io/name label', () => {
    const d = get(synth({ labels: { 'app.kubernetes.io/name': 'storefront' } }), 'Deployment');
    expect(d.metadata.labels).toEqual({ app: 'web', 'app.kubernetes.io/name': 'storefront' });
  });

  test('pod annotations and a floating-tag waiver', () => {
    const d = get(synth({ podAnnotations: { 'example.com/a': 'b' }, container: { ...container, image: 'nginx:latest', floatingTagReason: 'upstream publishes only latest' } }), 'Deployment');
    expect(d.spec.template.metadata.annotations).toEqual({ 'example.com/a': 'b' });
    expect(Object.values(d.metadata.annotations)).toEqual(['image-tag: upstream publishes only latest']);
  });

  test('linkerd mesh and pod annotations merge', () => {
    const d = get(synth({ mesh: 'linkerd', podAnnotations: { 'example.com/a': 'b' } }), 'Deployment');
    expect(d.spec.template.metadata.annotations).toEqual({ 'linkerd.io/inject': 'enabled', 'example.com/a': 'b' });
  });
});

describe('replicas', () => {
  test('2 is the HA floor: 2 accepted, 1 refused, 3 kept', () => {
    expect(get(synth({ replicas: 2 }), 'Deployment').spec.replicas).toBe(2);
    expect(get(synth({ replicas: 3 }), 'Deployment').spec.replicas).toBe(3);
    expect(refusal({ replicas: 1 })).toBe(`c/web: replicas: 1 replicas is not highly available. Fix: ${HA_FIX}`);
  });

  test('nonHa lowers the floor to 1, never to 0', () => {
    expect(get(synth({ replicas: 1, nonHa: true }), 'Deployment').spec.replicas).toBe(1);
    expect(refusal({ replicas: 0, nonHa: true })).toBe('c/web: replicas: 0 replicas is not highly available. Fix: use at least 1');
  });

  test('a fractional count is refused even above the floor', () => {
    expect(refusal({ replicas: 2.5 })).toBe(`c/web: replicas: 2.5 replicas is not highly available. Fix: ${HA_FIX}`);
  });
});

describe('autoscaling', () => {
  const hpa = (a: Partial<NonNullable<HaWebAppProps['autoscaling']>>, extra: Partial<HaWebAppProps> = {}) =>
    synth({ autoscaling: { minReplicas: 2, maxReplicas: 5, cpuUtilization: 70, ...a }, ...extra });

  test('the HPA targets the Deployment, which leaves replicas to it', () => {
    const objects = hpa({});
    expect(objects.map((o) => o.kind)).toEqual(['Deployment', 'Service', 'PodDisruptionBudget', 'HorizontalPodAutoscaler']);
    expect('replicas' in get(objects, 'Deployment').spec).toBe(false);
    expect(get(objects, 'HorizontalPodAutoscaler')).toEqual({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: META,
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 2,
        maxReplicas: 5,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      },
    });
  });

  test('the HPA may have its own name', () => {
    const h = get(hpa({ name: 'web-autoscaler' }), 'HorizontalPodAutoscaler');
    expect(h.metadata.name).toBe('web-autoscaler');
    expect(h.spec.scaleTargetRef.name).toBe('web');
  });

  test('replicas next to autoscaling is refused', () => {
    expect(refusal({ replicas: 2, autoscaling: { minReplicas: 2, maxReplicas: 3, cpuUtilization: 50 } })).toBe(
      'c/web: replicas: replicas is set together with autoscaling, but the HPA owns the replica count. Fix: remove replicas and set autoscaling.minReplicas',
    );
  });

  test('minReplicas: 2 accepted, 1 refused, 1 with nonHa accepted, fractions refused', () => {
    expect(get(hpa({ minReplicas: 2 }), 'HorizontalPodAutoscaler').spec.minReplicas).toBe(2);
    expect(refusal({ autoscaling: { minReplicas: 1, maxReplicas: 3, cpuUtilization: 50 } })).toBe(`c/web: autoscaling.minReplicas: 1 is below 2. Fix: ${HA_FIX}`);
    expect(get(hpa({ minReplicas: 1 }, { nonHa: true }), 'HorizontalPodAutoscaler').spec.minReplicas).toBe(1);
    expect(refusal({ nonHa: true, autoscaling: { minReplicas: 0, maxReplicas: 3, cpuUtilization: 50 } })).toBe('c/web: autoscaling.minReplicas: 0 is below 1. Fix: use at least 1');
    expect(refusal({ autoscaling: { minReplicas: 2.5, maxReplicas: 3, cpuUtilization: 50 } })).toBe(`c/web: autoscaling.minReplicas: 2.5 is below 2. Fix: ${HA_FIX}`);
  });

  test('maxReplicas: equal to min accepted, below refused, fractions refused', () => {
    expect(get(hpa({ minReplicas: 3, maxReplicas: 3 }), 'HorizontalPodAutoscaler').spec.maxReplicas).toBe(3);
    expect(refusal({ autoscaling: { minReplicas: 3, maxReplicas: 2, cpuUtilization: 50 } })).toBe(
      'c/web: autoscaling.maxReplicas: 2 is below minReplicas 3. Fix: set maxReplicas >= minReplicas',
    );
    expect(refusal({ autoscaling: { minReplicas: 3, maxReplicas: 4.5, cpuUtilization: 50 } })).toBe(
      'c/web: autoscaling.maxReplicas: 4.5 is below minReplicas 3. Fix: set maxReplicas >= minReplicas',
    );
  });

  test('cpuUtilization: 1 and 100 accepted, 0 and 101 refused', () => {
    expect(get(hpa({ cpuUtilization: 1 }), 'HorizontalPodAutoscaler').spec.metrics[0].resource.target.averageUtilization).toBe(1);
    expect(get(hpa({ cpuUtilization: 100 }), 'HorizontalPodAutoscaler').spec.metrics[0].resource.target.averageUtilization).toBe(100);
    for (const bad of [0, 101]) {
      expect(refusal({ autoscaling: { minReplicas: 2, maxReplicas: 3, cpuUtilization: bad } })).toBe(
        `c/web: autoscaling.cpuUtilization: ${bad}% is not a utilization target. Fix: use a percentage between 1 and 100`,
      );
    }
  });

  test('the PDB floor is the HPA minimum, not its maximum', () => {
    expect(get(hpa({ minReplicas: 3, maxReplicas: 6 }, { disruptionBudget: { minAvailable: 2 } }), 'PodDisruptionBudget').spec).toEqual({ minAvailable: 2, selector: { matchLabels: { app: 'web' } } });
    expect(refusal({ autoscaling: { minReplicas: 3, maxReplicas: 6, cpuUtilization: 50 }, disruptionBudget: { minAvailable: 3 } })).toBe(
      'c/web: disruptionBudget.minAvailable: 3 of 3 pods must stay up, so no node can ever be drained. Fix: use maxUnavailable: 1 or minAvailable below 3',
    );
  });

  test('required anti-affinity reasons about the HPA maximum', () => {
    const ok = { hostnameSpread: 'required' as const, strategy: { type: 'RollingUpdate' as const, maxSurge: 0, maxUnavailable: 1 } };
    expect(get(hpa({ minReplicas: 2, maxReplicas: 3 }, ok), 'HorizontalPodAutoscaler').spec.maxReplicas).toBe(3);
    expect(refusal({ ...ok, autoscaling: { minReplicas: 2, maxReplicas: 4, cpuUtilization: 50 } })).toBe(
      "c/web: autoscaling.maxReplicas: 4 pods with required hostname anti-affinity can never all schedule on the 3 node(s) of pool(s) pool-a, pool-b. Fix: lower it to 3, use hostnameSpread: 'preferred', or grow the pool",
    );
    // The default surge with the maximum on every node.
    expect(refusal({ hostnameSpread: 'required', autoscaling: { minReplicas: 2, maxReplicas: 3, cpuUtilization: 50 } })).toMatch(/^c\/web: strategy\.maxSurge: with required hostname anti-affinity and 3 replicas/);
  });
});

describe('rollout strategy', () => {
  const rolling = (maxSurge: number | string, maxUnavailable: number | string) => ({ strategy: { type: 'RollingUpdate' as const, maxSurge, maxUnavailable } });
  const BOTH_ZERO =
    'c/web: strategy: maxSurge and maxUnavailable are both 0, so a rollout can never replace a pod. Fix: set maxSurge: 1 (room for one extra pod) or maxUnavailable: 1 (the books use maxSurge 0, maxUnavailable 1)';
  const NEGATIVE = 'c/web: strategy: maxSurge and maxUnavailable cannot be negative. Fix: use 0 or more';

  test('surge 0 / unavailable 1 and surge 1 / unavailable 0 both roll', () => {
    expect(get(synth(rolling(0, 1)), 'Deployment').spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } });
    expect(get(synth(rolling('25%', '25%')), 'Deployment').spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
  });

  test('Recreate renders no rollingUpdate', () => {
    expect(get(synth({ strategy: { type: 'Recreate' } }), 'Deployment').spec.strategy).toEqual({ type: 'Recreate' });
  });

  test('both 0, as counts or percentages, is refused', () => {
    expect(refusal(rolling(0, 0))).toBe(BOTH_ZERO);
    expect(refusal(rolling('0%', '0%'))).toBe(BOTH_ZERO);
  });

  test('percentages that only round to 0 pods are accepted, as the API server and the Deployment controller do', () => {
    // 25% of 2 = 0.5: surge ceil → 1 (rolls).
    expect(get(synth({ replicas: 2, ...rolling('25%', 0) }), 'Deployment').spec.strategy.rollingUpdate).toEqual({ maxSurge: '25%', maxUnavailable: 0 });
    // Unavailable floor → 0 and surge 0: validation accepts it (only values written as 0 are refused), and
    // ResolveFenceposts then takes one pod down at a time, so the rollout finishes.
    expect(get(synth({ replicas: 2, ...rolling(0, '25%') }), 'Deployment').spec.strategy.rollingUpdate).toEqual({ maxSurge: 0, maxUnavailable: '25%' });
    expect(get(synth({ replicas: 2, ...rolling('0%', '1%') }), 'Deployment').spec.strategy.rollingUpdate).toEqual({ maxSurge: '0%', maxUnavailable: '1%' });
    expect(refusal(rolling(0, '0%'))).toBe(BOTH_ZERO);
    expect(refusal(rolling('00%', 0))).toBe(BOTH_ZERO);
    // 50% of 2 = 1 either way.
    expect(get(synth({ replicas: 2, ...rolling(0, '50%') }), 'Deployment').spec.strategy.rollingUpdate).toEqual({ maxSurge: 0, maxUnavailable: '50%' });
  });

  test('what else the API server refuses: a fraction of a pod, more than 100% unavailable', () => {
    expect(refusal(rolling(1.5, 0))).toBe("c/web: strategy.maxSurge: 1.5 is not a whole number of pods. Fix: use a count such as 1, or a percentage such as '25%'");
    expect(refusal(rolling(0, 0.5))).toBe("c/web: strategy.maxUnavailable: 0.5 is not a whole number of pods. Fix: use a count such as 1, or a percentage such as '25%'");
    expect(refusal(rolling(0, '101%'))).toBe("c/web: strategy.maxUnavailable: \"101%\" is more than 100%. Fix: use at most '100%'");
    expect(get(synth(rolling(0, '100%')), 'Deployment').spec.strategy.rollingUpdate).toEqual({ maxSurge: 0, maxUnavailable: '100%' });
    // Only a percentage is capped: a count above the replicas is valid (IsNotMoreThan100Percent).
    expect(get(synth(rolling(0, 101)), 'Deployment').spec.strategy.rollingUpdate).toEqual({ maxSurge: 0, maxUnavailable: 101 });
    // A percentage sign must end the string.
    expect(refusal(rolling('5%x', 0))).toBe(`c/web: strategy.maxSurge: "5%x" is not a percentage. Fix: use a count such as 1, or a percentage such as '25%'`);
    // maxSurge has no upper bound upstream.
    expect(get(synth(rolling('200%', 0)), 'Deployment').spec.strategy.rollingUpdate).toEqual({ maxSurge: '200%', maxUnavailable: 0 });
  });

  test('a negative surge or unavailability is refused on its own', () => {
    expect(refusal(rolling(-1, 1))).toBe(NEGATIVE);
    expect(refusal(rolling(1, -1))).toBe(NEGATIVE);
  });
});

describe('required hostname anti-affinity', () => {
  const required = (replicas: number, maxSurge: number | string, maxUnavailable: number | string) => ({
    hostnameSpread: 'required' as const,
    replicas,
    strategy: { type: 'RollingUpdate' as const, maxSurge, maxUnavailable },
  });
  const SURGE = (n: number) =>
    `c/web: strategy.maxSurge: with required hostname anti-affinity and ${n} replicas on the ${n} node(s) of pool(s) pool-a, pool-b, the surge pod has no free node, so every rollout hangs. Fix: use maxSurge: 0 and maxUnavailable: 1 (as the books do), or fewer replicas than nodes`;

  test('renders a required term on the hostname', () => {
    const d = get(synth(required(3, 0, 1)), 'Deployment');
    expect(d.spec.template.spec.affinity).toEqual({
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' }] },
    });
  });

  test('replicas = nodes fits, nodes + 1 is refused', () => {
    expect(get(synth(required(3, 0, 1)), 'Deployment').spec.replicas).toBe(3);
    expect(refusal(required(4, 0, 1))).toBe(
      "c/web: replicas: 4 pods with required hostname anti-affinity can never all schedule on the 3 node(s) of pool(s) pool-a, pool-b. Fix: lower it to 3, use hostnameSpread: 'preferred', or grow the pool",
    );
  });

  test('a surge pod needs a free node: refused at replicas = nodes, accepted below', () => {
    expect(refusal(required(3, 1, 0))).toBe(SURGE(3));
    expect(get(synth(required(2, 1, 0)), 'Deployment').spec.replicas).toBe(2);
    // 1% of 3 rounds up to one surge pod; 0% is none.
    expect(refusal(required(3, '1%', 0))).toBe(SURGE(3));
    expect(get(synth(required(3, '0%', 1)), 'Deployment').spec.replicas).toBe(3);
  });

  test('Recreate surges nothing, so replicas = nodes is fine', () => {
    expect(get(synth({ hostnameSpread: 'required', replicas: 3, strategy: { type: 'Recreate' } }), 'Deployment').spec.strategy).toEqual({ type: 'Recreate' });
  });

  test('preferred and none never refuse above the node count', () => {
    expect(get(synth({ replicas: 9 }), 'Deployment').spec.replicas).toBe(9);
    const none = get(synth({ hostnameSpread: 'none', replicas: 9 }), 'Deployment');
    expect(none.spec.replicas).toBe(9);
    expect(none.spec.template.spec.affinity).toBeUndefined();
  });
});

describe('zone spread and scheduling', () => {
  test('required zone spread does not schedule unevenly; none drops the constraint', () => {
    expect(get(synth({ zoneSpread: 'required' }), 'Deployment').spec.template.spec.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } },
    ]);
    expect(get(synth({ zoneSpread: 'none' }), 'Deployment').spec.template.spec.topologySpreadConstraints).toBeUndefined();
  });

  test("the caller's spread constraints come after the zone one", () => {
    const own = { maxSkew: 2, topologyKey: 'example.com/rack', whenUnsatisfiable: 'ScheduleAnyway' as const, labelSelector: { matchLabels: { app: 'web' } } };
    const tsc = get(synth({ scheduling: { topologySpreadConstraints: [own] } }), 'Deployment').spec.template.spec.topologySpreadConstraints;
    expect(tsc.map((t: Obj) => t.topologyKey)).toEqual(['topology.kubernetes.io/zone', 'example.com/rack']);
    expect(get(synth({ zoneSpread: 'none', scheduling: { topologySpreadConstraints: [own] } }), 'Deployment').spec.template.spec.topologySpreadConstraints).toEqual([own]);
  });
});

describe('PodDisruptionBudget', () => {
  test('minAvailable one below the replicas is accepted, equal is refused', () => {
    expect(get(synth({ replicas: 3, disruptionBudget: { minAvailable: 2 } }), 'PodDisruptionBudget').spec).toEqual({ minAvailable: 2, selector: { matchLabels: { app: 'web' } } });
    expect(refusal({ replicas: 3, disruptionBudget: { minAvailable: 3 } })).toBe(
      'c/web: disruptionBudget.minAvailable: 3 of 3 pods must stay up, so no node can ever be drained. Fix: use maxUnavailable: 1 or minAvailable below 3',
    );
  });

  test('maxUnavailable 2 is kept', () => {
    expect(get(synth({ replicas: 4, disruptionBudget: { maxUnavailable: 2 } }), 'PodDisruptionBudget').spec).toEqual({ maxUnavailable: 2, selector: { matchLabels: { app: 'web' } } });
  });
});

describe('Service', () => {
  test('a container serving ports needs a Service', () => {
    expect(refusal({ service: undefined })).toBe('c/web: service: container "web" serves ports but no Service exposes them. Fix: add service: { ports: [...] }');
  });

  test('a pod serving nothing has no Service and no probes to require', () => {
    const objects = synth({ service: undefined, container: portless });
    expect(objects.map((o) => o.kind)).toEqual(['Deployment', 'PodDisruptionBudget']);
  });

  test('NodePort range 30000-32767: both ends accepted, one outside each end refused', () => {
    for (const nodePort of [30000, 32767]) {
      expect(get(synth({ service: { type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort }] } }), 'Service').spec).toEqual({
        type: 'NodePort',
        selector: { app: 'web' },
        ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', nodePort }],
      });
    }
    for (const nodePort of [29999, 32768]) {
      expect(refusal({ service: { type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort }] } })).toMatch(
        new RegExp(`^c/web: service\\.ports\\[http\\]\\.nodePort: nodePort ${nodePort} is outside 30000-32767`),
      );
    }
  });
});

describe('ServiceAccount', () => {
  test('named like the Deployment, token not mounted, rendered before the Deployment', () => {
    const objects = synth({ serviceAccount: true });
    expect(objects.map((o) => o.kind)).toEqual(['ServiceAccount', 'Deployment', 'Service', 'PodDisruptionBudget']);
    expect(objects[0]).toEqual({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: META, automountServiceAccountToken: false });
    expect(objects[1].spec.template.spec.serviceAccountName).toBe('web');
  });

  test('serviceAccount: false renders none', () => {
    const objects = synth({ serviceAccount: false });
    expect(objects.some((o) => o.kind === 'ServiceAccount')).toBe(false);
    expect(get(objects, 'Deployment').spec.template.spec.serviceAccountName).toBeUndefined();
  });
});

describe('Ingress', () => {
  test('sends the host to the first Service port through the class', () => {
    const objects = synth({ service: { ports: [{ name: 'http', port: 80 }, { name: 'admin', port: 81, targetPort: 'http' }] }, ingress: { className: 'nginx', host: 'shop.example.com' } });
    expect(get(objects, 'Ingress')).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: META,
      spec: {
        ingressClassName: 'nginx',
        rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } }] } }],
      },
    });
  });

  test('carries its annotations', () => {
    const ing = get(synth({ ingress: { className: 'traefik', host: 'a.example.com', annotations: { 'example.com/x': 'y' } } }), 'Ingress');
    expect(ing.metadata).toEqual({ ...META, annotations: { 'example.com/x': 'y' } });
  });

  test('needs a Service', () => {
    expect(refusal({ service: undefined, container: portless, ingress: { className: 'nginx', host: 'a.example.com' } })).toBe(
      'c/web: ingress: an Ingress needs a Service to send traffic to. Fix: add service: { ports: [...] }',
    );
  });
});

describe('Istio', () => {
  const ports = { ports: [{ name: 'http', port: 80 }, { name: 'alt', port: 8081, targetPort: 'http' }] };

  test('routes / to the first Service port by default, to a named one when asked', () => {
    const first = synth({ mesh: 'istio', service: ports, istio: { hosts: ['a.example.com'] } });
    expect(get(first, 'VirtualService').spec.http[0].route[0].destination).toEqual({ host: 'web', port: { number: 80 } });
    const named = synth({ mesh: 'istio', service: ports, istio: { hosts: ['a.example.com'], port: 'alt', gatewayName: 'shop-gw' } });
    expect(get(named, 'VirtualService').spec.http[0].route[0].destination).toEqual({ host: 'web', port: { number: 8081 } });
    expect(get(named, 'VirtualService').spec.gateways).toEqual(['shop-gw']);
    expect(get(named, 'Gateway').metadata.name).toBe('shop-gw');
  });

  test('an unknown port name is refused', () => {
    expect(refusal({ mesh: 'istio', service: ports, istio: { hosts: ['a.example.com'], port: 'grpc' } })).toBe(
      'c/web: istio.port: "grpc" is not a Service port name. Fix: name one of service.ports',
    );
  });

  test('no Istio objects without istio', () => {
    expect(synth({ mesh: 'istio' }).map((o) => o.kind)).toEqual(['Deployment', 'Service', 'PodDisruptionBudget']);
  });
});

describe('NetworkPolicy', () => {
  test('rendered only when asked, on the selector and container ports', () => {
    const objects = synth({ networkPolicy: { ingressFrom: ['same-namespace'] } });
    expect(objects.map((o) => o.kind)).toEqual(['Deployment', 'Service', 'PodDisruptionBudget', 'NetworkPolicy']);
    const np = get(objects, 'NetworkPolicy');
    expect(np.metadata).toEqual(META);
    expect(np.spec.podSelector).toEqual({ matchLabels: { app: 'web' } });
    expect(np.spec.ingress).toEqual([{ from: [{ podSelector: {} }], ports: [{ port: 'http', protocol: 'TCP' }] }]);
  });
});

describe('construct properties', () => {
  test('deploymentName, serviceName and selectorLabels', () => {
    const app = new App({ outdir: 'unused' });
    const chart = new Chart(app, 'c');
    const a = new HaWebApp(chart, 'a', { namespace: 'shop', name: 'a', placement: placement(), container, service: { ports: [{ name: 'http', port: 80 }] } });
    const b = new HaWebApp(chart, 'b', { namespace: 'shop', name: 'b', placement: placement(), container, selectorLabels: { app: 'bee' }, service: { name: 'b-svc', ports: [{ name: 'http', port: 80 }] } });
    expect([a.deploymentName, a.serviceName, a.selectorLabels]).toEqual(['a', 'a', { app: 'a' }]);
    expect([b.deploymentName, b.serviceName, b.selectorLabels]).toEqual(['b', 'b-svc', { app: 'bee' }]);
  });
});
