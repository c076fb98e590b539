/**
 * Kills the surviving mutants of constructs/[s-z]*.ts (reports/mutation/survivors/constructs-s-z.md):
 * Service annotations copied at construction, the refusal field prefixes of StatefulApp's headless
 * and client Services, the construct ids of several client Services, storage sizes with two decimals
 * and anchored at the start (StatefulApp and StatefulBlueGreen), a claim mounted by one of several
 * mounts, a portless StatefulApp, Istio routing to a client Service when there is none, and the list
 * of defined slots in StatefulBlueGreen's refusal (plus the version labels of its slots, an equivalent
 * mutant). Every construct is built inside test(), and every expected value is written by hand.
 */
import type { Slot } from '../../constructs/blue-green-service';
import type { Placement } from '../../constructs/platform';
import { renderService } from '../../constructs/serving';
import type { StatefulAppProps } from '../../constructs/stateful-app';
import type { StatefulBlueGreenProps } from '../../constructs/stateful-blue-green';
import { BLUE_SLOT, GREEN_SLOT, MINIO_CONTAINER, synthStatefulApp, synthStatefulBlueGreen } from './stateful-fixtures';
import { bareScope, findOne, refusal } from './support';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;

const placement: Placement = { platform: { os: 'linux' }, nodeSelector: { 'kubernetes.io/os': 'linux' }, tolerations: [], eligibleNodes: 3, pools: ['p1'] };

// ---------------------------------------------------------------------------------------- serving.ts

describe('serving.ts', () => {
  test('Service annotations are copied at construction: a later change by the caller does not reach the Service (line 99)', () => {
    const { chart, scope } = bareScope();
    const annotations: Record<string, string> = { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' };
    renderService(
      scope,
      'Service',
      { namespace: 'shop', name: 'web', labels: { app: 'web' }, selector: { app: 'web' }, containerPorts: [{ name: 'http', containerPort: 8080 }], field: 'service' },
      { type: 'LoadBalancer', ports: [{ name: 'http', port: 80 }], annotations },
    );
    annotations['added-later'] = 'x';
    const svc = findOne(chart.toJson(), 'Service', 'web');
    expect(svc.metadata.annotations).toStrictEqual({ 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' });
  });
});

// ----------------------------------------------------------------------------------- stateful-app.ts

const minio = MINIO_CONTAINER;
const statefulApp = (overrides: Partial<StatefulAppProps> = {}): Obj[] => synthStatefulApp(placement, overrides);

describe('stateful-app.ts', () => {
  test('a headless Service port targeting no container port is refused under the field headlessService (line 136)', () => {
    expect(refusal(() => statefulApp({ headlessService: { ports: [{ name: 'grpc', port: 9090 }] } }))).toBe(
      'c/minio: headlessService.ports[grpc].targetPort: "grpc" is not a container port name (api, console). Fix: target a named container port',
    );
  });

  test('a client Service port targeting no container port is refused under the field services[<index>] (line 168)', () => {
    const services = [
      { name: 'minio-service', ports: [{ name: 'api', port: 80, targetPort: 'api' }] },
      { name: 'minio-grpc', ports: [{ name: 'grpc', port: 9090 }] },
    ];
    expect(refusal(() => statefulApp({ services }))).toBe(
      'c/minio: services[1].ports[grpc].targetPort: "grpc" is not a container port name (api, console). Fix: target a named container port',
    );
  });

  test('two named client Services both render (each has its own construct id, line 168)', () => {
    const objects = statefulApp({
      services: [
        { name: 'minio-api', ports: [{ name: 'api', port: 80, targetPort: 'api' }] },
        { name: 'minio-console', ports: [{ name: 'console', port: 9001 }] },
      ],
    });
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toStrictEqual([
      'Service/minio',
      'StatefulSet/minio',
      'Service/minio-api',
      'Service/minio-console',
      'PodDisruptionBudget/minio',
    ]);
    expect(findOne(objects, 'Service', 'minio-api').spec.ports).toStrictEqual([{ name: 'api', port: 80, targetPort: 'api', protocol: 'TCP' }]);
    expect(findOne(objects, 'Service', 'minio-console').spec.ports).toStrictEqual([{ name: 'console', port: 9001, targetPort: 'console', protocol: 'TCP' }]);
  });

  test.each(['1.25Gi', '0.75Ti', '2.125G'])('a claim size with several decimals, %j, is a storage quantity (line 190)', (size) => {
    const objects = statefulApp({ claims: [{ name: 'data', size }] });
    expect(findOne(objects, 'StatefulSet', 'minio').spec.volumeClaimTemplates[0].spec.resources).toStrictEqual({ requests: { storage: size } });
  });

  test('a claim mounted by one of two mounts is mounted (line 193)', () => {
    const container = {
      ...minio,
      mounts: [
        { volume: 'data', mountPath: '/data' },
        { volume: 'logs', mountPath: '/var/log/minio' },
      ],
    };
    const objects = statefulApp({ container, claims: [{ name: 'data', size: '10Gi' }, { name: 'logs', size: '1Gi' }] });
    const ss = findOne(objects, 'StatefulSet', 'minio');
    expect(ss.spec.volumeClaimTemplates.map((t: Obj) => [t.metadata.name, t.spec.resources.requests.storage])).toStrictEqual([
      ['data', '10Gi'],
      ['logs', '1Gi'],
    ]);
    // /tmp is the container's default writable path (an emptyDir), mounted first.
    expect(ss.spec.template.spec.containers[0].volumeMounts).toStrictEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'data', mountPath: '/data' },
      { name: 'logs', mountPath: '/var/log/minio' },
    ]);
  });

  test('a container without ports gets no headless Service port: refused, not rendered with an empty port (line 130)', () => {
    const { ports: _ports, readiness: _r, liveness: _l, ...portless } = minio;
    expect(refusal(() => statefulApp({ container: portless }))).toBe('c/minio: headlessService.ports: the Service exposes no port. Fix: list at least one port');
  });

  test('Istio routed to a client Service when the app has none: refused naming only the headless Service (lines 203, 204)', () => {
    expect(refusal(() => statefulApp({ mesh: 'istio', headlessService: { name: 'minio-hl' }, istio: { hosts: ['s3.example.com'], service: 'minio-service' } }))).toBe(
      'c/minio: istio.service: "minio-service" is not a Service of this app. Fix: name minio-hl',
    );
  });
});

// ---------------------------------------------------------------------------- stateful-blue-green.ts

const blue = BLUE_SLOT;
const green = GREEN_SLOT;
const blueGreen = (overrides: Partial<StatefulBlueGreenProps> = {}): Obj[] => synthStatefulBlueGreen(placement, overrides);

describe('stateful-blue-green.ts', () => {
  test('an undefined live slot lists every defined slot, comma-separated (line 101)', () => {
    // Needs an active value outside Slot (plain JS, or a cast): within the type, a missing live slot leaves at most one defined.
    expect(refusal(() => blueGreen({ active: 'red' as Slot }))).toBe(
      'c/db: active: slot "red" is live but not defined (defined: blue, green). Fix: define slots.red, or set active to a defined slot',
    );
  });

  test('a slot without a version has no version label; a versioned slot has it (line 190, equivalent: checked with toStrictEqual)', () => {
    const objects = blueGreen({ slots: { blue: { ...blue, version: '5.7' }, green } });
    const labels = { app: 'percona', 'app.kubernetes.io/name': 'percona' };
    expect(findOne(objects, 'Deployment', 'percona-blue').spec.template.metadata.labels).toStrictEqual({ ...labels, slot: 'blue', version: '5.7' });
    expect(findOne(objects, 'Deployment', 'percona-green').spec.template.metadata.labels).toStrictEqual({ ...labels, slot: 'green' });
  });

  test('a claim size must start with its number: "x10Gi" is refused (line 78)', () => {
    const slots = { blue: { ...blue, claim: { ...blue.claim, size: 'x10Gi' } } };
    expect(refusal(() => blueGreen({ slots }))).toBe(`c/db: slots.blue.claim.size: "x10Gi" is not a storage quantity. Fix: use a size with a unit, e.g. '5Gi'`);
  });

  test('sizes with two decimals are quantities and compare exactly: 1.25Gi cloned into 1280Mi (line 78)', () => {
    const slots = { blue: { ...blue, claim: { ...blue.claim, size: '1.25Gi' } }, green: { ...green, claim: { ...green.claim, size: '1280Mi' } } };
    const objects = blueGreen({ slots });
    expect(findOne(objects, 'PersistentVolumeClaim', 'blue-claim').spec.resources).toStrictEqual({ requests: { storage: '1.25Gi' } });
    expect(findOne(objects, 'PersistentVolumeClaim', 'green-claim').spec.resources).toStrictEqual({ requests: { storage: '1280Mi' } });
  });

  test('a clone smaller than 1.25Gi is refused (1279Mi), reading both decimals of the source size (line 78)', () => {
    const slots = { blue: { ...blue, claim: { ...blue.claim, size: '1.25Gi' } }, green: { ...green, claim: { ...green.claim, size: '1279Mi' } } };
    expect(refusal(() => blueGreen({ slots }))).toBe(
      'c/db: slots.green.claim.size: 1279Mi is smaller than the 1.25Gi of the snapshot\'s source claim blue-claim, and a restore cannot shrink a volume. Fix: request at least 1.25Gi',
    );
  });
});

describe('stateful-app.ts claims outside the type', () => {
  test('a claim without a name (plain JS) on a container without mounts is refused at the claim, not rendered (line 193)', () => {
    // The API server refuses a volumeClaimTemplate without metadata.name; the claim check stops it first.
    const { mounts: _mounts, ...unmounted } = minio;
    const message = refusal(() => statefulApp({ container: unmounted, claims: [{ size: '10Gi' } as unknown as StatefulAppProps['claims'][number]] }));
    expect(message.startsWith('c/minio: claims[undefined]: no container mounts claim')).toBe(true);
  });
});
