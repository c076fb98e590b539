/**
 * BlueGreenService edges: two slots selected by {app, slot}, the live Service on the active slot,
 * slot replica rules on both sides of each threshold, and exact refusals (path, field, fix).
 * Expected values are written by hand from the blue/green contract.
 */
import { App, Chart } from 'cdk8s';
import { BlueGreenService, BlueGreenServiceProps, LIVE_SLOT_ANNOTATION, liveServicePorts, SLOTS, SlotProps } from '../../constructs/blue-green-service';
import type { Placement } from '../../constructs/platform';
import { refusal as constructRefusal, findOne as find } from './support';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;

const placement: Placement = { platform: { os: 'linux' }, nodeSelector: { 'kubernetes.io/os': 'linux' }, tolerations: [], eligibleNodes: 6, pools: ['p'] };

const container = (tag: string, ports: { name: string; containerPort: number; protocol?: 'TCP' | 'UDP' }[] = [{ name: 'http', containerPort: 8080 }]) => ({
  name: 'ver',
  image: `example/ver:${tag}`,
  ports,
  resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
  readiness: { http: '/ready', port: ports.some((p) => p.name === 'http') ? 'http' : ports[0].name },
  liveness: { http: '/healthz', port: ports.some((p) => p.name === 'http') ? 'http' : ports[0].name },
});

const blue: SlotProps = { container: container('1.0.0') };
const green: SlotProps = { container: container('2.0.0') };

function synth(overrides: Partial<BlueGreenServiceProps> = {}): Obj[] {
  const app = new App({ outdir: 'unused' });
  const chart = new Chart(app, 'c');
  new BlueGreenService(chart, 'ver', {
    namespace: 'ns',
    name: 'ver',
    slots: { blue, green },
    active: 'blue',
    placement,
    service: { ports: [{ name: 'http', port: 80 }] },
    ...overrides,
  });
  return chart.toJson();
}


const refusal = (overrides: Partial<BlueGreenServiceProps>): string => constructRefusal(() => synth(overrides));

const LABELS = { app: 'ver', 'app.kubernetes.io/name': 'ver' };
const PORTS = [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }];

test('the constants: two slots and the live-slot annotation key', () => {
  expect(SLOTS).toEqual(['blue', 'green']);
  expect(LIVE_SLOT_ANNOTATION).toBe('k8s-book-systems.io/live-slot');
});

describe('selector routing (default)', () => {
  const objects = synth();

  test('objects: live Service, then per slot Deployment and PDB', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Service/ver',
      'Deployment/ver-blue',
      'PodDisruptionBudget/ver-blue',
      'Deployment/ver-green',
      'PodDisruptionBudget/ver-green',
    ]);
  });

  test('the live Service selects {app, slot: active} and names the live slot', () => {
    expect(find(objects, 'Service', 'ver')).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'ver', namespace: 'ns', labels: LABELS, annotations: { 'k8s-book-systems.io/live-slot': 'blue' } },
      spec: { type: 'ClusterIP', selector: { app: 'ver', slot: 'blue' }, ports: PORTS },
    });
  });

  test('each slot: a Deployment of 2, surge 1 / unavailable 0, selector {app, slot}', () => {
    for (const slot of ['blue', 'green']) {
      const d = find(objects, 'Deployment', `ver-${slot}`);
      const selector = { app: 'ver', slot };
      expect(d.apiVersion).toBe('apps/v1');
      expect(d.metadata).toEqual({ name: `ver-${slot}`, namespace: 'ns', labels: { ...LABELS, slot } });
      const { template, ...spec } = d.spec;
      expect(spec).toEqual({ replicas: 2, revisionHistoryLimit: 5, selector: { matchLabels: selector }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } });
      expect(template.metadata).toEqual({ labels: { ...LABELS, slot } });
      expect(template.spec.affinity).toEqual({
        podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: { matchLabels: selector }, topologyKey: 'kubernetes.io/hostname' } }] },
      });
      expect(template.spec.topologySpreadConstraints).toEqual([{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector } }]);
      expect(template.spec.containers[0].image).toBe(slot === 'blue' ? 'example/ver:1.0.0' : 'example/ver:2.0.0');
      expect(find(objects, 'PodDisruptionBudget', `ver-${slot}`)).toEqual({
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: `ver-${slot}`, namespace: 'ns', labels: { ...LABELS, slot } },
        spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
      });
    }
  });

  test('flipping active to green changes only the live selector and annotation', () => {
    const flipped = synth({ active: 'green' });
    const live = find(flipped, 'Service', 'ver');
    expect(live.spec.selector).toEqual({ app: 'ver', slot: 'green' });
    expect(live.metadata.annotations).toEqual({ 'k8s-book-systems.io/live-slot': 'green' });
    expect(flipped.filter((o) => o.metadata.name !== 'ver')).toEqual(objects.filter((o) => o.metadata.name !== 'ver'));
  });
});

describe('options', () => {
  test('app, labels and version: app in every selector, labels and version never', () => {
    const objects = synth({ app: 'versioned', labels: { team: 'x' }, slots: { blue: { ...blue, version: '0.0.1' }, green } });
    expect(find(objects, 'Service', 'ver').spec.selector).toEqual({ app: 'versioned', slot: 'blue' });
    const d = find(objects, 'Deployment', 'ver-blue');
    expect(d.metadata.labels).toEqual({ app: 'versioned', 'app.kubernetes.io/name': 'versioned', team: 'x', slot: 'blue' });
    expect(d.spec.selector).toEqual({ matchLabels: { app: 'versioned', slot: 'blue' } });
    expect(d.spec.template.metadata.labels).toEqual({ app: 'versioned', 'app.kubernetes.io/name': 'versioned', team: 'x', slot: 'blue', version: '0.0.1' });
    expect(find(objects, 'Deployment', 'ver-green').spec.template.metadata.labels).toEqual({ app: 'versioned', 'app.kubernetes.io/name': 'versioned', team: 'x', slot: 'green' });
  });

  test('a first release may define only the active slot', () => {
    const objects = synth({ slots: { green }, active: 'green' });
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Service/ver', 'Deployment/ver-green', 'PodDisruptionBudget/ver-green']);
  });

  test('preview Services pinned to their slot', () => {
    const objects = synth({ preview: true });
    for (const slot of ['blue', 'green']) {
      expect(find(objects, 'Service', `ver-${slot}`)).toEqual({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: `ver-${slot}`, namespace: 'ns', labels: { ...LABELS, slot } },
        spec: { type: 'ClusterIP', selector: { app: 'ver', slot }, ports: PORTS },
      });
    }
    expect(synth({ preview: false }).filter((o) => o.kind === 'Service')).toHaveLength(1);
  });

  test('replicas: the construct default, a shared count, a per-slot count', () => {
    const reps = (objects: Obj[]) => ['blue', 'green'].map((s) => find(objects, 'Deployment', `ver-${s}`).spec.replicas);
    expect(reps(synth({ replicas: 3 }))).toEqual([3, 3]);
    expect(reps(synth({ replicas: 3, slots: { blue, green: { ...green, replicas: 4 } } }))).toEqual([3, 4]);
    expect(reps(synth({ scaleIdleToZero: true }))).toEqual([2, 0]);
    expect(reps(synth({ scaleIdleToZero: false }))).toEqual([2, 2]);
    expect(reps(synth({ scaleIdleToZero: true, active: 'green' }))).toEqual([0, 2]);
  });

  test('the idle slot may run 0 or 1 pod; only the live slot must be HA', () => {
    const reps = (objects: Obj[]) => ['blue', 'green'].map((s) => find(objects, 'Deployment', `ver-${s}`).spec.replicas);
    expect(reps(synth({ slots: { blue, green: { ...green, replicas: 1 } } }))).toEqual([2, 1]);
    expect(reps(synth({ slots: { blue, green: { ...green, replicas: 0 } } }))).toEqual([2, 0]);
  });

  test('nonHa: the live slot may run 1 pod but never 0', () => {
    const reps = (objects: Obj[]) => ['blue', 'green'].map((s) => find(objects, 'Deployment', `ver-${s}`).spec.replicas);
    expect(reps(synth({ nonHa: true, replicas: 1 }))).toEqual([1, 1]);
    expect(refusal({ nonHa: true, replicas: 0 })).toBe(
      'c/ver: replicas: the live slot blue runs no pod, so the live Service has no endpoint. Fix: use at least 1 replica',
    );
  });

  test('ports: a custom targetPort, a UDP protocol, slot port order is irrelevant', () => {
    const ports = [
      { name: 'http', containerPort: 8080 },
      { name: 'dns', containerPort: 5353, protocol: 'UDP' as const },
    ];
    const objects = synth({
      slots: { blue: { container: container('1.0.0', ports) }, green: { container: container('2.0.0', [ports[1], ports[0]]) } },
      service: { ports: [{ name: 'web', port: 80, targetPort: 'http' }, { name: 'dns', port: 53 }] },
    });
    expect(find(objects, 'Service', 'ver').spec.ports).toEqual([
      { name: 'web', port: 80, targetPort: 'http', protocol: 'TCP' },
      { name: 'dns', port: 53, targetPort: 'dns', protocol: 'UDP' },
    ]);
  });
});

describe('istio-weighted routing', () => {
  const objects = synth({ routing: 'istio-weighted', active: 'green' });

  test('the live Service selects both slots and carries no annotation', () => {
    expect(find(objects, 'Service', 'ver')).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'ver', namespace: 'ns', labels: LABELS },
      spec: { type: 'ClusterIP', selector: { app: 'ver' }, ports: PORTS },
    });
  });

  test('a DestinationRule subset per slot and a VirtualService weighting the active one 100', () => {
    expect(find(objects, 'DestinationRule', 'ver')).toEqual({
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'DestinationRule',
      metadata: { name: 'ver', namespace: 'ns', labels: LABELS },
      spec: { host: 'ver', subsets: [{ name: 'blue', labels: { slot: 'blue' } }, { name: 'green', labels: { slot: 'green' } }] },
    });
    expect(find(objects, 'VirtualService', 'ver')).toEqual({
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'VirtualService',
      metadata: { name: 'ver', namespace: 'ns', labels: LABELS, annotations: { 'k8s-book-systems.io/live-slot': 'green' } },
      spec: {
        hosts: ['ver'],
        http: [{ route: [{ destination: { host: 'ver', subset: 'blue' }, weight: 0 }, { destination: { host: 'ver', subset: 'green' }, weight: 100 }] }],
      },
    });
  });

  test('selector routing renders neither', () => {
    expect(synth({ routing: 'selector' }).filter((o) => o.kind === 'DestinationRule' || o.kind === 'VirtualService')).toEqual([]);
  });
});

describe('NetworkPolicy', () => {
  test('both slots, the active slot ports, from the peers', () => {
    const np = find(synth({ ingressFrom: ['cluster', { podLabels: { role: 'client' } }] }), 'NetworkPolicy', 'ver');
    expect(np).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'ver', namespace: 'ns', labels: LABELS },
      spec: {
        podSelector: { matchLabels: { app: 'ver' } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ namespaceSelector: {} }, { podSelector: { matchLabels: { role: 'client' } } }], ports: [{ port: 'http', protocol: 'TCP' }] }],
      },
    });
  });

  test('none without ingressFrom; an empty list is refused', () => {
    expect(synth().some((o) => o.kind === 'NetworkPolicy')).toBe(false);
    expect(refusal({ ingressFrom: [] })).toBe('c/ver: ingressFrom: no peer may reach the app, so its Service is dead. Fix: list who may connect, e.g. cluster');
  });
});

describe('refusals', () => {
  test('an undefined active slot, naming the defined ones', () => {
    expect(refusal({ slots: { blue }, active: 'green' })).toBe(
      'c/ver: active: slot "green" is live but not defined (defined: blue). Fix: define slots.green, or set active to a defined slot',
    );
    expect(refusal({ slots: {}, active: 'blue' })).toBe('c/ver: active: slot "blue" is live but not defined (defined: none). Fix: define slots.blue, or set active to a defined slot');
  });

  test('slots with different port names, whichever is live', () => {
    const other = { container: container('2.0.0', [{ name: 'web', containerPort: 8080 }]) };
    expect(refusal({ slots: { blue, green: other } })).toBe(
      "c/ver: slots.green.container.ports: slot green exposes ports [web] but the live slot blue exposes [http], so a switch would break the Service's named targetPorts. Fix: give both slots the same port names",
    );
    expect(refusal({ slots: { blue: other, green }, active: 'green' })).toBe(
      "c/ver: slots.blue.container.ports: slot blue exposes ports [web] but the live slot green exposes [http], so a switch would break the Service's named targetPorts. Fix: give both slots the same port names",
    );
    const extra = { container: container('2.0.0', [{ name: 'http', containerPort: 8080 }, { name: 'admin', containerPort: 9000 }]) };
    expect(refusal({ slots: { blue, green: extra } })).toBe(
      "c/ver: slots.green.container.ports: slot green exposes ports [admin, http] but the live slot blue exposes [http], so a switch would break the Service's named targetPorts. Fix: give both slots the same port names",
    );
  });

  test('no live port, or a target no slot exposes', () => {
    expect(refusal({ service: { ports: [] } })).toBe('c/ver: service.ports: the live Service exposes no port. Fix: list at least one port');
    expect(refusal({ service: { ports: [{ name: 'grpc', port: 81 }] } })).toBe(
      'c/ver: service.ports[grpc].targetPort: "grpc" is not a port both slots expose (http). Fix: target a named container port of the slots',
    );
    expect(refusal({ service: { ports: [{ name: 'web', port: 81, targetPort: 'admin' }] } })).toBe(
      'c/ver: service.ports[web].targetPort: "admin" is not a port both slots expose (http). Fix: target a named container port of the slots',
    );
  });

  test('a target on slots that expose no port names none', () => {
    const bare = { container: { name: 'w', image: 'example/w:1.0.0', resources: container('x').resources } };
    expect(refusal({ slots: { blue: bare, green: bare }, service: { ports: [{ name: 'http', port: 80 }] } })).toBe(
      'c/ver: service.ports[http].targetPort: "http" is not a port both slots expose (none). Fix: target a named container port of the slots',
    );
  });

  test('the same Service port twice', () => {
    expect(refusal({ service: { ports: [{ name: 'http', port: 80 }, { name: 'alt', port: 80, targetPort: 'http' }] } })).toBe(
      'c/ver: service.ports[alt].port: port 80/TCP is declared twice. Fix: remove the duplicate or pick another port',
    );
  });

  test('replica counts: the field names where the count came from', () => {
    expect(refusal({ replicas: 1 })).toBe(
      'c/ver: replicas: the live slot blue runs 1 replica(s), which is not highly available. Fix: use at least 2 replicas, or set nonHa: true to run a single pod on purpose',
    );
    expect(refusal({ slots: { blue: { ...blue, replicas: 1 }, green } })).toBe(
      'c/ver: slots.blue.replicas: the live slot blue runs 1 replica(s), which is not highly available. Fix: use at least 2 replicas, or set nonHa: true to run a single pod on purpose',
    );
    expect(refusal({ slots: { blue, green: { ...green, replicas: -1 } } })).toBe('c/ver: slots.green.replicas: -1 is not a replica count. Fix: use a whole number');
    expect(refusal({ replicas: 2.5 })).toBe('c/ver: replicas: 2.5 is not a replica count. Fix: use a whole number');
    expect(refusal({ replicas: 0 })).toMatch(/^c\/ver: replicas: the live slot blue runs 0 replica\(s\), which is not highly available/);
  });

  test('a slot without probes is refused at the slot path', () => {
    const noProbe = { container: { ...container('2.0.0'), readiness: undefined } };
    expect(refusal({ slots: { blue, green: noProbe } })).toMatch(/^c\/ver\/green: readiness: container "ver" serves ports but has no readiness probe/);
  });
});

test('liveServicePorts returns the rendered ports of the live slot', () => {
  expect(liveServicePorts(new Chart(new App({ outdir: 'unused' }), 'x'), 'green', { green: { container: container('1') } }, [{ name: 'http', port: 80 }])).toEqual(PORTS);
});

test('construct properties: serviceName and app', () => {
  const chart = new Chart(new App({ outdir: 'unused' }), 'c');
  const bg = new BlueGreenService(chart, 'x', { namespace: 'ns', name: 'x', app: 'y', slots: { blue }, active: 'blue', placement, service: { ports: [{ name: 'http', port: 80 }] } });
  expect([bg.serviceName, bg.app]).toEqual(['x', 'y']);
});

test('the NetworkPolicy keeps each port protocol', () => {
  const ports = [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 5353, protocol: 'UDP' as const }];
  const np = find(synth({ slots: { blue: { container: container('1', ports) }, green: { container: container('2', ports) } }, ingressFrom: ['same-namespace'] }), 'NetworkPolicy', 'ver');
  expect(np.spec.ingress[0].ports).toEqual([{ port: 'http', protocol: 'TCP' }, { port: 'dns', protocol: 'UDP' }]);
});
