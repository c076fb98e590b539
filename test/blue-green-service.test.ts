import { errorsOf } from '../contracts/finding';
import { Chart } from 'cdk8s';
import { BlueGreenService, BlueGreenServiceProps, LIVE_SLOT_ANNOTATION, SlotProps } from '../constructs/blue-green-service';
import { ContainerProps } from '../constructs/pod-template';
import { validateManifests } from '../guardrails/validate';
import { find, linuxPools, Manifest, synthObjects, testCluster } from './util/synth';

function container(tag: string, ports: ContainerProps['ports'] = [{ name: 'http', containerPort: 3000 }]): ContainerProps {
  return {
    name: 'version-server',
    image: `errm/versions:${tag}`,
    ports,
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '250m', memory: '128Mi' } },
    readiness: { http: '/', port: 'http', periodSeconds: 5 },
    liveness: { http: '/', port: 'http', periodSeconds: 10, failureThreshold: 6 },
  };
}

const slots: BlueGreenServiceProps['slots'] = {
  blue: { container: container('0.0.1'), version: '0.0.1' },
  green: { container: container('0.0.2'), version: '0.0.2' },
};

type Overrides = Partial<Omit<BlueGreenServiceProps, 'placement'>>;

function build(overrides: Overrides = {}): Manifest[] {
  return synthObjects((chart: Chart) => {
    new BlueGreenService(chart, 'ver', {
      namespace: 'versions',
      name: 'ver',
      active: 'blue',
      slots,
      placement: testCluster(chart, linuxPools).place('test/ver', { os: 'linux', arch: 'amd64' }),
      service: { ports: [{ name: 'http', port: 80 }] },
      ...overrides,
    });
  });
}

/** Every leaf that differs between two object lists, as `Kind/name path: before → after`. */
function leafDiff(before: Manifest[], after: Manifest[]): string[] {
  const key = (o: Manifest) => `${o.kind}/${o.metadata.name}`;
  expect(after.map(key)).toEqual(before.map(key));
  const out: string[] = [];
  const walk = (prefix: string, a: unknown, b: unknown) => {
    if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) walk(`${prefix}.${k}`, (a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]);
    } else if (a !== b) {
      out.push(`${prefix}: ${JSON.stringify(a)} → ${JSON.stringify(b)}`);
    }
  };
  before.forEach((o, i) => walk(key(o), o, after[i]));
  return out;
}

const guardrails = (objects: Manifest[]) => errorsOf(validateManifests(objects.map((object) => ({ file: 'test.yaml', object }))));

describe('BlueGreenService', () => {
  test('a Deployment and a PDB per slot, selecting app and slot; the live Service selects the active slot', () => {
    const objects = build({ replicas: 3 });
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Service/ver',
      'Deployment/ver-blue',
      'PodDisruptionBudget/ver-blue',
      'Deployment/ver-green',
      'PodDisruptionBudget/ver-green',
    ]);
    for (const [slot, version] of [['blue', '0.0.1'], ['green', '0.0.2']]) {
      const deployment = find(objects, 'Deployment', `ver-${slot}`);
      expect(deployment.spec.replicas).toBe(3);
      expect(deployment.spec.selector).toEqual({ matchLabels: { app: 'ver', slot } });
      expect(deployment.spec.template.metadata.labels).toEqual({ app: 'ver', 'app.kubernetes.io/name': 'ver', slot, version });
      expect(deployment.spec.template.spec.containers[0].image).toBe(`errm/versions:${version}`);
      expect(deployment.spec.template.spec.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' });
      expect(deployment.spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector).toEqual({ matchLabels: { app: 'ver', slot } });
      expect(find(objects, 'PodDisruptionBudget', `ver-${slot}`).spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { app: 'ver', slot } } });
    }
    const live = find(objects, 'Service', 'ver');
    expect(live.metadata.annotations).toEqual({ [LIVE_SLOT_ANNOTATION]: 'blue' });
    expect(live.metadata.labels).not.toHaveProperty('slot');
    expect(live.spec).toEqual({ type: 'ClusterIP', selector: { app: 'ver', slot: 'blue' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] });
    expect(guardrails(objects)).toEqual([]);
  });

  test('defaults to 2 replicas, no preview, no NetworkPolicy, no version label', () => {
    const objects = build({ slots: { blue: { container: container('0.0.1') }, green: { container: container('0.0.2') } } });
    expect(find(objects, 'Deployment', 'ver-green').spec.replicas).toBe(2);
    expect(find(objects, 'Deployment', 'ver-blue').spec.template.metadata.labels).not.toHaveProperty('version');
    expect(objects.filter((o) => o.kind === 'Service')).toHaveLength(1);
    expect(objects.some((o) => o.kind === 'NetworkPolicy')).toBe(false);
  });

  test('flipping active changes only the live Service selector and its live-slot annotation', () => {
    const props: Overrides = { preview: true, ingressFrom: ['cluster'] };
    expect(leafDiff(build({ ...props, active: 'blue' }), build({ ...props, active: 'green' }))).toEqual([
      `Service/ver.metadata.annotations.${LIVE_SLOT_ANNOTATION}: "blue" → "green"`,
      'Service/ver.spec.selector.slot: "blue" → "green"',
    ]);
  });

  test('a first release may define only the live slot', () => {
    const objects = build({ slots: { blue: slots.blue }, preview: true });
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Service/ver', 'Deployment/ver-blue', 'PodDisruptionBudget/ver-blue', 'Service/ver-blue']);
  });

  test('app labels every pod when it differs from the Service name', () => {
    const objects = build({ name: 'versions', app: 'ver' });
    expect(find(objects, 'Deployment', 'versions-green').spec.selector.matchLabels).toEqual({ app: 'ver', slot: 'green' });
    expect(find(objects, 'Service', 'versions').spec.selector).toEqual({ app: 'ver', slot: 'blue' });
  });

  describe('preview', () => {
    test('a Service per slot, pinned to its slot, so the idle one previews and a switch leaves them alone', () => {
      const objects = build({ preview: true });
      for (const slot of ['blue', 'green']) {
        const svc = find(objects, 'Service', `ver-${slot}`);
        expect(svc.spec.selector).toEqual({ app: 'ver', slot });
        expect(svc.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
        expect(svc.metadata.annotations).toBeUndefined();
      }
    });
  });

  describe('scaleIdleToZero', () => {
    test('the idle slot runs 0 replicas; its PDB stays maxUnavailable 1 and the guardrails accept it', () => {
      const objects = build({ scaleIdleToZero: true, replicas: 3, preview: true });
      expect(find(objects, 'Deployment', 'ver-blue').spec.replicas).toBe(3);
      expect(find(objects, 'Deployment', 'ver-green').spec.replicas).toBe(0);
      // Over zero pods, maxUnavailable 1 has nothing to evict, so it blocks no drain.
      expect(find(objects, 'PodDisruptionBudget', 'ver-green').spec.maxUnavailable).toBe(1);
      expect(guardrails(objects)).toEqual([]);
    });

    test('so a flip also moves replicas: a two-step change (warm up the idle slot first)', () => {
      const props: Overrides = { scaleIdleToZero: true, replicas: 3 };
      expect(leafDiff(build(props), build({ ...props, active: 'green' }))).toEqual([
        `Service/ver.metadata.annotations.${LIVE_SLOT_ANNOTATION}: "blue" → "green"`,
        'Service/ver.spec.selector.slot: "blue" → "green"',
        'Deployment/ver-blue.spec.replicas: 3 → 0',
        'Deployment/ver-green.spec.replicas: 0 → 3',
      ]);
    });
  });

  describe('istio-weighted routing', () => {
    test('the live Service selects both slots; a DestinationRule subset per slot; weights 100/0', () => {
      const objects = build({ routing: 'istio-weighted' });
      const live = find(objects, 'Service', 'ver');
      expect(live.spec.selector).toEqual({ app: 'ver' });
      expect(live.metadata.annotations).toBeUndefined();
      expect(find(objects, 'DestinationRule', 'ver').spec).toEqual({
        host: 'ver',
        subsets: [
          { name: 'blue', labels: { slot: 'blue' } },
          { name: 'green', labels: { slot: 'green' } },
        ],
      });
      const vs = find(objects, 'VirtualService', 'ver');
      expect(vs.metadata.annotations).toEqual({ [LIVE_SLOT_ANNOTATION]: 'blue' });
      expect(vs.spec).toEqual({
        hosts: ['ver'],
        http: [
          {
            route: [
              { destination: { host: 'ver', subset: 'blue' }, weight: 100 },
              { destination: { host: 'ver', subset: 'green' }, weight: 0 },
            ],
          },
        ],
      });
    });

    test('flipping moves the weights 100/0 → 0/100 and the annotation, not a selector', () => {
      expect(leafDiff(build({ routing: 'istio-weighted' }), build({ routing: 'istio-weighted', active: 'green' }))).toEqual([
        `VirtualService/ver.metadata.annotations.${LIVE_SLOT_ANNOTATION}: "blue" → "green"`,
        'VirtualService/ver.spec.http.0.route.0.weight: 100 → 0',
        'VirtualService/ver.spec.http.0.route.1.weight: 0 → 100',
      ]);
    });
  });

  describe('ingressFrom', () => {
    test('one NetworkPolicy over both slots, to the named container ports', () => {
      const objects = build({ ingressFrom: ['cluster', { podLabels: { app: 'client' }, namespace: 'web' }, { cidr: '10.0.0.0/16' }] });
      expect(find(objects, 'NetworkPolicy', 'ver').spec).toEqual({
        podSelector: { matchLabels: { app: 'ver' } },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              { namespaceSelector: {} },
              { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'web' } }, podSelector: { matchLabels: { app: 'client' } } },
              { ipBlock: { cidr: '10.0.0.0/16' } },
            ],
            ports: [{ port: 'http', protocol: 'TCP' }],
          },
        ],
      });
    });

    test('refuses an empty peer list', () => {
      expect(() => build({ ingressFrom: [] })).toThrow('test/ver: ingressFrom: no peer may reach the app, so its Service is dead. Fix: list who may connect, e.g. cluster');
    });
  });

  describe('refusals', () => {
    test('the active slot must be defined', () => {
      expect(() => build({ active: 'green', slots: { blue: slots.blue } })).toThrow(
        'test/ver: active: slot "green" is live but not defined (defined: blue). Fix: define slots.green, or set active to a defined slot',
      );
    });

    test('both slots must expose the same port names', () => {
      const green: SlotProps = { container: container('0.0.2', [{ name: 'web', containerPort: 3000 }, { name: 'http', containerPort: 3001 }]) };
      expect(() => build({ slots: { blue: slots.blue, green } })).toThrow(
        'test/ver: slots.green.container.ports: slot green exposes ports [http, web] but the live slot blue exposes [http], so a switch would break the Service\'s named targetPorts. Fix: give both slots the same port names',
      );
    });

    test('the live Service must target a port the slots expose', () => {
      expect(() => build({ service: { ports: [{ name: 'http', port: 80, targetPort: 'web' }] } })).toThrow(
        'test/ver: service.ports[http].targetPort: "web" is not a port both slots expose (http). Fix: target a named container port of the slots',
      );
      expect(() => build({ service: { ports: [] } })).toThrow('test/ver: service.ports: the live Service exposes no port');
    });

    test('the active slot needs 2 replicas unless explicitly non-HA', () => {
      expect(() => build({ replicas: 1 })).toThrow(
        'test/ver: replicas: the live slot blue runs 1 replica(s), which is not highly available. Fix: use at least 2 replicas, or set nonHa: true to run a single pod on purpose',
      );
      expect(() => build({ slots: { blue: { ...slots.blue!, replicas: 1 }, green: slots.green } })).toThrow('test/ver: slots.blue.replicas: the live slot blue runs 1 replica(s)');
      expect(find(build({ replicas: 1, nonHa: true }), 'Deployment', 'ver-blue').spec.replicas).toBe(1);
      expect(() => build({ replicas: 0, nonHa: true })).toThrow('test/ver: replicas: the live slot blue runs no pod, so the live Service has no endpoint');
    });

    test('the idle slot may run fewer (it is checked when it becomes live)', () => {
      const objects = build({ slots: { blue: slots.blue, green: { ...slots.green!, replicas: 1 } } });
      expect(find(objects, 'Deployment', 'ver-green').spec.replicas).toBe(1);
      expect(() => build({ active: 'green', slots: { blue: slots.blue, green: { ...slots.green!, replicas: 1 } } })).toThrow('test/ver: slots.green.replicas');
    });

    test('a replica count must be a whole number', () => {
      expect(() => build({ replicas: 2.5 })).toThrow('test/ver: replicas: 2.5 is not a replica count. Fix: use a whole number');
    });

    test('pod template refusals name the slot', () => {
      expect(() => build({ slots: { blue: slots.blue, green: { container: container('latest') } } })).toThrow('test/ver/green: image: image "errm/versions:latest" uses the moving "latest" tag');
    });
  });
});
