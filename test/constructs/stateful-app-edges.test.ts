/**
 * StatefulApp edges: the StatefulSet's fixed fields (headless Service, retained claims, partition 0),
 * claim validation, replica and anti-affinity thresholds from both sides, optional Services and
 * Istio routing, with exact refusal messages. Expected values are written by hand.
 */
import { App, Chart } from 'cdk8s';
import { StatefulApp, StatefulAppProps } from '../../constructs/stateful-app';
import type { Placement } from '../../constructs/platform';
import { MINIO_CONTAINER, synthStatefulApp } from './stateful-fixtures';
import { refusal as constructRefusal, findOne } from './support';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;

const placement = (nodes = 3): Placement => ({ platform: { os: 'linux' }, nodeSelector: { 'kubernetes.io/os': 'linux' }, tolerations: [], eligibleNodes: nodes, pools: ['p1', 'p2'] });

const container = MINIO_CONTAINER;

const synth = (overrides: Partial<StatefulAppProps> = {}, nodes = 3): Obj[] => synthStatefulApp(placement(nodes), overrides);

const find = (objects: Obj[], kind: string, name = 'minio'): Obj => findOne(objects, kind, name);

const refusal = (overrides: Partial<StatefulAppProps>, nodes = 3): string => constructRefusal(() => synth(overrides, nodes));

const LABELS = { app: 'minio', 'app.kubernetes.io/name': 'minio' };
const META = { name: 'minio', namespace: 'ns', labels: LABELS };

describe('defaults', () => {
  const objects = synth();

  test('headless Service first, then StatefulSet and PDB', () => {
    expect(objects.map((o) => `${o.apiVersion} ${o.kind}/${o.metadata.name}`)).toEqual(['v1 Service/minio', 'apps/v1 StatefulSet/minio', 'policy/v1 PodDisruptionBudget/minio']);
  });

  test('the headless Service publishes every container port, only ready pods', () => {
    expect(find(objects, 'Service')).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: META,
      spec: {
        type: 'ClusterIP',
        clusterIP: 'None',
        selector: { app: 'minio' },
        ports: [
          { name: 'api', port: 9000, targetPort: 'api', protocol: 'TCP' },
          { name: 'console', port: 9001, targetPort: 'console', protocol: 'TCP' },
        ],
      },
    });
  });

  test('the StatefulSet: 2 replicas, OrderedReady, partition 0, claims retained', () => {
    const ss = find(objects, 'StatefulSet');
    expect(ss.metadata).toEqual(META);
    const { template, ...spec } = ss.spec;
    expect(spec).toEqual({
      serviceName: 'minio',
      replicas: 2,
      revisionHistoryLimit: 5,
      podManagementPolicy: 'OrderedReady',
      selector: { matchLabels: { app: 'minio' } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      volumeClaimTemplates: [{ metadata: { name: 'data', labels: LABELS }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } } }],
    });
    expect(template.metadata).toEqual({ labels: LABELS });
    expect(template.spec.terminationGracePeriodSeconds).toBe(30);
    expect(template.spec.containers[0].volumeMounts).toContainEqual({ name: 'data', mountPath: '/data' });
    expect(template.spec.volumes.map((v: Obj) => v.name)).not.toContain('data');
    expect(template.spec.affinity).toEqual({
      podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { app: 'minio' } }, topologyKey: 'kubernetes.io/hostname' } }] },
    });
    expect(template.spec.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'minio' } } },
    ]);
  });

  test('PDB maxUnavailable 1', () => {
    expect(find(objects, 'PodDisruptionBudget').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { app: 'minio' } } });
  });
});

describe('options', () => {
  test('claim storage class and access mode', () => {
    const ss = find(synth({ claims: [{ name: 'data', size: '1.5Ti', storageClassName: 'gp3', accessMode: 'ReadWriteOncePod' }] }), 'StatefulSet');
    expect(ss.spec.volumeClaimTemplates[0].spec).toEqual({ accessModes: ['ReadWriteOncePod'], storageClassName: 'gp3', resources: { requests: { storage: '1.5Ti' } } });
  });

  test('a named headless Service with its own ports, publishing not-ready pods; Parallel start', () => {
    const objects = synth({ headlessService: { name: 'minio-hl', ports: [{ name: 'api', port: 9000 }] }, publishNotReadyAddresses: true, podManagementPolicy: 'Parallel', terminationGracePeriodSeconds: 120 });
    const svc = find(objects, 'Service', 'minio-hl');
    expect(svc.spec).toEqual({ type: 'ClusterIP', clusterIP: 'None', publishNotReadyAddresses: true, selector: { app: 'minio' }, ports: [{ name: 'api', port: 9000, targetPort: 'api', protocol: 'TCP' }] });
    const ss = find(objects, 'StatefulSet');
    expect(ss.spec.serviceName).toBe('minio-hl');
    expect(ss.spec.podManagementPolicy).toBe('Parallel');
    expect(ss.spec.template.spec.terminationGracePeriodSeconds).toBe(120);
  });

  test('publishNotReadyAddresses: false renders nothing', () => {
    expect('publishNotReadyAddresses' in find(synth({ publishNotReadyAddresses: false }), 'Service').spec).toBe(false);
  });

  test('custom selector labels, extra labels, mesh annotation', () => {
    const objects = synth({ selectorLabels: { app: 'store', tier: 'data' }, labels: { team: 't' }, mesh: 'linkerd' });
    const labels = { app: 'store', tier: 'data', 'app.kubernetes.io/name': 'store', team: 't' };
    const ss = find(objects, 'StatefulSet');
    expect(ss.metadata.labels).toEqual(labels);
    expect(ss.spec.selector).toEqual({ matchLabels: { app: 'store', tier: 'data' } });
    expect(ss.spec.volumeClaimTemplates[0].metadata.labels).toEqual(labels);
    expect(ss.spec.template.metadata.annotations).toEqual({ 'linkerd.io/inject': 'enabled' });
    expect(find(objects, 'Service').spec.selector).toEqual({ app: 'store', tier: 'data' });
  });

  test('selector labels without app: the name label is the StatefulSet name', () => {
    expect(find(synth({ selectorLabels: { component: 'db' } }), 'StatefulSet').metadata.labels).toEqual({ component: 'db', 'app.kubernetes.io/name': 'minio' });
  });

  test('a client Service besides the headless one, default and own name', () => {
    const objects = synth({ headlessService: { name: 'minio-hl' }, services: [{ ports: [{ name: 'api', port: 80, targetPort: 'api' }] }, { name: 'minio-console', ports: [{ name: 'console', port: 9001 }] }] });
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Service/minio-hl', 'StatefulSet/minio', 'Service/minio', 'Service/minio-console', 'PodDisruptionBudget/minio']);
    expect(find(objects, 'Service', 'minio').spec).toEqual({ type: 'ClusterIP', selector: { app: 'minio' }, ports: [{ name: 'api', port: 80, targetPort: 'api', protocol: 'TCP' }] });
  });

  test('spreads: required, none, and caller constraints after the zone one', () => {
    const own = { maxSkew: 1, topologyKey: 'example.com/rack', whenUnsatisfiable: 'DoNotSchedule' as const, labelSelector: { matchLabels: { app: 'minio' } } };
    const spec = find(synth({ hostnameSpread: 'required', zoneSpread: 'required', scheduling: { topologySpreadConstraints: [own] } }), 'StatefulSet').spec.template.spec;
    expect(spec.affinity).toEqual({ podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'minio' } }, topologyKey: 'kubernetes.io/hostname' }] } });
    expect(spec.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'minio' } } },
      own,
    ]);
    const none = find(synth({ hostnameSpread: 'none', zoneSpread: 'none' }), 'StatefulSet').spec.template.spec;
    expect(none.affinity).toBeUndefined();
    expect(none.topologySpreadConstraints).toBeUndefined();
  });

  test('NetworkPolicy only when asked', () => {
    expect(synth().some((o) => o.kind === 'NetworkPolicy')).toBe(false);
    const np = find(synth({ networkPolicy: { ingressFrom: ['same-namespace'] } }), 'NetworkPolicy');
    expect(np.spec.ingress).toEqual([{ from: [{ podSelector: {} }], ports: [{ port: 'api', protocol: 'TCP' }, { port: 'console', protocol: 'TCP' }] }]);
  });

  test('construct properties', () => {
    const chart = new Chart(new App({ outdir: 'unused' }), 'c');
    const a = new StatefulApp(chart, 'a', { namespace: 'ns', name: 'a', placement: placement(), container, claims: [{ name: 'data', size: '1Gi' }], headlessService: { name: 'a-hl' } });
    expect([a.statefulSetName, a.headlessServiceName, a.selectorLabels]).toEqual(['a', 'a-hl', { app: 'a' }]);
  });
});

describe('replicas and anti-affinity', () => {
  test('2 accepted, 1 refused, 1 with nonHa accepted, 0 with nonHa refused, fractions refused', () => {
    expect(find(synth({ replicas: 3 }), 'StatefulSet').spec.replicas).toBe(3);
    expect(refusal({ replicas: 1 })).toBe('c/minio: replicas: 1 replicas is not highly available. Fix: use at least 2 replicas, or set nonHa: true for one pod owning its data');
    expect(find(synth({ replicas: 1, nonHa: true }), 'StatefulSet').spec.replicas).toBe(1);
    expect(refusal({ replicas: 0, nonHa: true })).toBe('c/minio: replicas: 0 replicas is not highly available. Fix: use at least 1');
    expect(refusal({ replicas: 2.5 })).toBe('c/minio: replicas: 2.5 replicas is not highly available. Fix: use at least 2 replicas, or set nonHa: true for one pod owning its data');
  });

  test('required hostname anti-affinity: nodes replicas fit, nodes + 1 refused; preferred never refused', () => {
    expect(find(synth({ hostnameSpread: 'required', replicas: 3 }), 'StatefulSet').spec.replicas).toBe(3);
    expect(refusal({ hostnameSpread: 'required', replicas: 4 })).toBe(
      "c/minio: replicas: 4 pods with required hostname anti-affinity can never all schedule on the 3 node(s) of pool(s) p1, p2. Fix: lower it to 3, use hostnameSpread: 'preferred', or grow the pool",
    );
    expect(find(synth({ replicas: 4 }), 'StatefulSet').spec.replicas).toBe(4);
  });

  test('the PDB floor is the replica count', () => {
    expect(find(synth({ replicas: 3, disruptionBudget: { minAvailable: 2 } }), 'PodDisruptionBudget').spec.minAvailable).toBe(2);
    expect(refusal({ replicas: 3, disruptionBudget: { minAvailable: 3 } })).toMatch(/^c\/minio: disruptionBudget\.minAvailable: 3 of 3 pods must stay up/);
  });
});

describe('claims', () => {
  test('none is refused', () => {
    expect(refusal({ claims: [] })).toBe('c/minio: claims: a StatefulApp without a claim keeps no state. Fix: add a claim (e.g. { name: "data", size: "10Gi" }), or use HaWebApp');
  });

  test('the same name twice is refused', () => {
    expect(refusal({ claims: [{ name: 'data', size: '1Gi' }, { name: 'data', size: '2Gi' }] })).toBe('c/minio: claims[data]: claim "data" is declared twice. Fix: give every claim its own name');
  });

  test('sizes: decimal and binary units accepted, unitless and wrong units refused', () => {
    for (const size of ['10Gi', '1.5Ti', '500M', '1k', '3Ei', '2E']) {
      expect(find(synth({ claims: [{ name: 'data', size }] }), 'StatefulSet').spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe(size);
    }
    for (const size of ['10', '10GB', 'Gi', '1.Gi', ' 10Gi', '10Gi ', '10gi']) {
      expect(refusal({ claims: [{ name: 'data', size }] })).toBe(`c/minio: claims[data].size: "${size}" is not a storage quantity. Fix: use a size with a unit, e.g. '10Gi'`);
    }
  });

  test('an unmounted claim is refused', () => {
    expect(refusal({ claims: [{ name: 'data', size: '1Gi' }, { name: 'logs', size: '1Gi' }] })).toBe(
      "c/minio: claims[logs]: no container mounts claim \"logs\", so its volume is provisioned for nothing. Fix: mount it: container.mounts: [{ volume: 'logs', mountPath: '/data' }]",
    );
  });
});

describe('client Services', () => {
  test('one named like the headless Service is refused, by index', () => {
    expect(refusal({ services: [{ name: 'other', ports: [{ name: 'api', port: 80, targetPort: 'api' }] }, { ports: [{ name: 'api', port: 80, targetPort: 'api' }] }] })).toBe(
      'c/minio: services[1].name: "minio" is the headless Service\'s name. Fix: give the client Service its own name (the cookbook uses minio-service)',
    );
  });
});

describe('Istio', () => {
  const istioProps = (istio: StatefulAppProps['istio'], extra: Partial<StatefulAppProps> = {}): Partial<StatefulAppProps> => ({ mesh: 'istio', istio, ...extra });

  test('default: the headless Service first port, VirtualService named like the app', () => {
    const objects = synth(istioProps({ hosts: ['s3.example.com'] }));
    const vs = find(objects, 'VirtualService', 'minio');
    expect(vs.spec.http[0].route[0].destination).toEqual({ host: 'minio', port: { number: 9000 } });
    expect(vs.spec.gateways).toEqual(['minio-gateway']);
  });

  test('a client Service, a named port, own names', () => {
    const objects = synth(
      istioProps(
        { hosts: ['console.example.com'], name: 'console', gatewayName: 'console-gw', service: 'minio-service', port: 'ui' },
        { services: [{ name: 'minio-service', ports: [{ name: 'web', port: 80, targetPort: 'api' }, { name: 'ui', port: 81, targetPort: 'console' }] }] },
      ),
    );
    const vs = find(objects, 'VirtualService', 'console');
    expect(vs.spec.http[0].route[0].destination).toEqual({ host: 'minio-service', port: { number: 81 } });
    expect(vs.spec.gateways).toEqual(['console-gw']);
  });

  test('a named port of the headless Service', () => {
    const vs = find(synth(istioProps({ hosts: ['a.example.com'], port: 'console' })), 'VirtualService', 'minio');
    expect(vs.spec.http[0].route[0].destination).toEqual({ host: 'minio', port: { number: 9001 } });
  });

  test('an unknown Service or port is refused, listing the choices', () => {
    expect(refusal(istioProps({ hosts: ['a.example.com'], service: 'nope' }, { services: [{ name: 'minio-service', ports: [{ name: 'web', port: 80, targetPort: 'api' }] }] }))).toBe(
      'c/minio: istio.service: "nope" is not a Service of this app. Fix: name minio or minio-service',
    );
    expect(refusal(istioProps({ hosts: ['a.example.com'], port: 'grpc' }))).toBe('c/minio: istio.port: "grpc" is not a port of Service minio. Fix: name one of api, console');
  });
});

describe('Istio to an unnamed client Service', () => {
  test('a client Service without a name is the app name, routable and listed', () => {
    const services = [{ ports: [{ name: 'web', port: 80, targetPort: 'api' }] }];
    const vs = find(synth({ mesh: 'istio', headlessService: { name: 'minio-hl' }, services, istio: { hosts: ['a.example.com'], service: 'minio' } }), 'VirtualService', 'minio');
    expect(vs.spec.http[0].route[0].destination).toEqual({ host: 'minio', port: { number: 80 } });
    expect(refusal({ mesh: 'istio', headlessService: { name: 'minio-hl' }, services, istio: { hosts: ['a.example.com'], service: 'nope' } })).toBe(
      'c/minio: istio.service: "nope" is not a Service of this app. Fix: name minio-hl or minio',
    );
  });
});
