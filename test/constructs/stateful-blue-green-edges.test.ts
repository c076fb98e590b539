/**
 * StatefulBlueGreen edges: per slot a single-pod Recreate Deployment on its own claim, a clone via a
 * VolumeSnapshot of the other slot's claim, the flip rule (the live data must descend from the other
 * slot's), size comparisons across units, and exact refusals. Expected values are written by hand.
 */
import { App, Chart } from 'cdk8s';
import { DataSlotProps, SNAPSHOT_API, StatefulBlueGreen, StatefulBlueGreenProps } from '../../constructs/stateful-blue-green';
import type { Placement } from '../../constructs/platform';
import { BLUE_SLOT, GREEN_SLOT, perconaContainer, synthStatefulBlueGreen } from './stateful-fixtures';
import { refusal as constructRefusal, findOne as find } from './support';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;

const placement: Placement = { platform: { os: 'linux' }, nodeSelector: { 'kubernetes.io/os': 'linux' }, tolerations: [], eligibleNodes: 3, pools: ['p'] };

const container = perconaContainer;
const blue = BLUE_SLOT;
const green = GREEN_SLOT;
const synth = (overrides: Partial<StatefulBlueGreenProps> = {}): Obj[] => synthStatefulBlueGreen(placement, overrides);

const refusal = (overrides: Partial<StatefulBlueGreenProps>): string => constructRefusal(() => synth(overrides));

const LABELS = { app: 'percona', 'app.kubernetes.io/name': 'percona' };

test('the snapshot API version', () => {
  expect(SNAPSHOT_API).toBe('snapshot.storage.k8s.io/v1');
});

describe('blue live, green cloned from blue', () => {
  const objects = synth();

  test('objects in order', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Service/percona',
      'PersistentVolumeClaim/blue-claim',
      'Deployment/percona-blue',
      'VolumeSnapshot/snapshot-blue',
      'PersistentVolumeClaim/green-claim',
      'Deployment/percona-green',
    ]);
  });

  test('the live Service selects the active slot', () => {
    expect(find(objects, 'Service', 'percona')).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'percona', namespace: 'ns', labels: LABELS, annotations: { 'k8s-book-systems.io/live-slot': 'blue' } },
      spec: { type: 'ClusterIP', selector: { app: 'percona', slot: 'blue' }, ports: [{ name: 'mysql', port: 3306, targetPort: 'mysql', protocol: 'TCP' }] },
    });
  });

  test("the snapshot of blue's claim, labelled with its source slot", () => {
    expect(find(objects, 'VolumeSnapshot', 'snapshot-blue')).toEqual({
      apiVersion: 'snapshot.storage.k8s.io/v1',
      kind: 'VolumeSnapshot',
      metadata: { name: 'snapshot-blue', namespace: 'ns', labels: { ...LABELS, slot: 'blue' } },
      spec: { volumeSnapshotClassName: 'ebs-csi', source: { persistentVolumeClaimName: 'blue-claim' } },
    });
  });

  test('claims: ReadWriteOnce on the class; the clone restores from the snapshot', () => {
    expect(find(objects, 'PersistentVolumeClaim', 'blue-claim')).toEqual({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'blue-claim', namespace: 'ns', labels: { ...LABELS, slot: 'blue' } },
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', resources: { requests: { storage: '5Gi' } } },
    });
    expect(find(objects, 'PersistentVolumeClaim', 'green-claim').spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'gp3',
      resources: { requests: { storage: '5Gi' } },
      dataSource: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 'snapshot-blue' },
    });
  });

  test('each slot: one pod, Recreate, its claim mounted as data, 60s to stop', () => {
    for (const slot of ['blue', 'green']) {
      const d = find(objects, 'Deployment', `percona-${slot}`);
      expect(d.apiVersion).toBe('apps/v1');
      expect(d.metadata).toEqual({ name: `percona-${slot}`, namespace: 'ns', labels: { ...LABELS, slot } });
      const { template, ...spec } = d.spec;
      expect(spec).toEqual({ replicas: 1, revisionHistoryLimit: 5, selector: { matchLabels: { app: 'percona', slot } }, strategy: { type: 'Recreate' } });
      expect(template.metadata).toEqual({ labels: { ...LABELS, slot } });
      expect(template.spec.terminationGracePeriodSeconds).toBe(60);
      expect(template.spec.volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: `${slot}-claim` } });
      expect(template.spec.containers[0].volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/mysql' });
    }
  });
});

describe('flips', () => {
  test('green live as the clone of blue (the flip)', () => {
    expect(find(synth({ active: 'green' }), 'Service', 'percona').spec.selector).toEqual({ app: 'percona', slot: 'green' });
  });

  test('blue live again while green is cloned from it (the rollback), and green live when blue is the clone', () => {
    const blueClone: DataSlotProps = { ...blue, claim: { ...blue.claim, name: 'blue-claim-2', cloneOf: { slot: 'green', snapshot: 'green-snap' } } };
    const greenPlain: DataSlotProps = { ...green, claim: { name: 'green-claim', size: '5Gi', mountPath: '/var/lib/mysql' } };
    const objects = synth({ slots: { blue: blueClone, green: greenPlain }, active: 'blue' });
    expect(find(objects, 'VolumeSnapshot', 'green-snap').spec.source).toEqual({ persistentVolumeClaimName: 'green-claim' });
    expect(find(objects, 'VolumeSnapshot', 'green-snap').metadata.labels.slot).toBe('green');
    expect(find(objects, 'PersistentVolumeClaim', 'blue-claim-2').spec.dataSource.name).toBe('green-snap');
    expect(find(synth({ slots: { blue: blueClone, green: greenPlain }, active: 'green' }), 'Service', 'percona').spec.selector.slot).toBe('green');
  });

  test('two unrelated volumes: the flip is refused', () => {
    const greenPlain: DataSlotProps = { ...green, claim: { name: 'green-claim', size: '5Gi', mountPath: '/var/lib/mysql' } };
    expect(refusal({ slots: { blue, green: greenPlain }, active: 'green' })).toBe(
      `c/db: active: slot green's claim "green-claim" is not cloned from a snapshot of slot blue's claim "blue-claim" (nor blue's from green's), so the live Service percona would switch to a database without blue's data. Fix: clone the target slot's claim first: slots.green.claim.cloneOf: { slot: 'blue' } under a new claim name, apply, wait for the restore, then flip active`,
    );
    expect(refusal({ slots: { blue, green: greenPlain }, active: 'blue' })).toMatch(/^c\/db: active: slot blue's claim "blue-claim" is not cloned from a snapshot of slot green's claim "green-claim" \(nor green's from blue's\)/);
  });

  test('a single slot needs no lineage', () => {
    expect(synth({ slots: { blue } }).map((o) => o.kind)).toEqual(['Service', 'PersistentVolumeClaim', 'Deployment']);
    expect(synth({ slots: { green: { ...green, claim: { ...green.claim, cloneOf: undefined } } }, active: 'green' }).map((o) => o.metadata.name)).toEqual(['percona', 'green-claim', 'percona-green']);
  });
});

describe('options', () => {
  test('app, labels, version, subPath, grace period, a snapshot name of its own', () => {
    const objects = synth({
      app: 'mysql',
      labels: { team: 'db' },
      terminationGracePeriodSeconds: 120,
      slots: { blue: { ...blue, version: '5.7', claim: { ...blue.claim, subPath: 'mysql' } }, green: { ...green, claim: { ...green.claim, cloneOf: { slot: 'blue', snapshot: 'snap-1' } } } },
    });
    const labels = { app: 'mysql', 'app.kubernetes.io/name': 'mysql', team: 'db' };
    const d = find(objects, 'Deployment', 'percona-blue');
    expect(d.spec.selector).toEqual({ matchLabels: { app: 'mysql', slot: 'blue' } });
    expect(d.spec.template.metadata.labels).toEqual({ ...labels, slot: 'blue', version: '5.7' });
    expect(find(objects, 'Deployment', 'percona-green').spec.template.metadata.labels).toEqual({ ...labels, slot: 'green' });
    expect(d.spec.template.spec.terminationGracePeriodSeconds).toBe(120);
    expect(d.spec.template.spec.containers[0].volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/mysql', subPath: 'mysql' });
    expect(find(objects, 'Service', 'percona').spec.selector).toEqual({ app: 'mysql', slot: 'blue' });
    expect(find(objects, 'PersistentVolumeClaim', 'green-claim').spec.dataSource.name).toBe('snap-1');
    expect(find(objects, 'VolumeSnapshot', 'snap-1').metadata.name).toBe('snap-1');
  });

  test('preview Services per slot', () => {
    const objects = synth({ preview: true });
    for (const slot of ['blue', 'green']) {
      expect(find(objects, 'Service', `percona-${slot}`)).toEqual({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: `percona-${slot}`, namespace: 'ns', labels: { ...LABELS, slot } },
        spec: { type: 'ClusterIP', selector: { app: 'percona', slot }, ports: [{ name: 'mysql', port: 3306, targetPort: 'mysql', protocol: 'TCP' }] },
      });
    }
    expect(synth({ preview: false }).filter((o) => o.kind === 'Service')).toHaveLength(1);
  });

  test('NetworkPolicy from ingressFrom only: no client policy', () => {
    const objects = synth({ ingressFrom: ['same-namespace'] });
    expect(objects.filter((o) => o.kind === 'NetworkPolicy').map((o) => o.metadata.name)).toEqual(['percona']);
    expect(find(objects, 'NetworkPolicy', 'percona')).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'percona', namespace: 'ns', labels: LABELS },
      spec: { podSelector: { matchLabels: { app: 'percona' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 'mysql', protocol: 'TCP' }] }] },
    });
  });

  test('clientPods: an egress policy for the clients and ingress from them', () => {
    const objects = synth({ clientPods: { app: 'loadgen' }, ingressFrom: ['cluster'] });
    expect(find(objects, 'NetworkPolicy', 'percona-clients')).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'percona-clients', namespace: 'ns', labels: LABELS },
      spec: {
        podSelector: { matchLabels: { app: 'loadgen' } },
        policyTypes: ['Egress'],
        egress: [{ to: [{ podSelector: { matchLabels: { app: 'percona' } } }], ports: [{ port: 3306, protocol: 'TCP' }] }],
      },
    });
    expect(find(objects, 'NetworkPolicy', 'percona').spec.ingress).toEqual([
      { from: [{ namespaceSelector: {} }, { podSelector: { matchLabels: { app: 'loadgen' } } }], ports: [{ port: 'mysql', protocol: 'TCP' }] },
    ]);
  });

  test('no policy by default; an empty peer list is refused', () => {
    expect(synth().some((o) => o.kind === 'NetworkPolicy')).toBe(false);
    expect(refusal({ ingressFrom: [] })).toBe('c/db: ingressFrom: no peer may reach the database, so its Service is dead. Fix: list who may connect, e.g. same-namespace');
  });

  test('construct properties', () => {
    const chart = new Chart(new App({ outdir: 'unused' }), 'c');
    const s = new StatefulBlueGreen(chart, 'x', { namespace: 'ns', name: 'x', app: 'y', slots: { blue }, active: 'blue', placement, storageClassName: 'gp3', service: { ports: [{ name: 'mysql', port: 3306 }] } });
    expect([s.serviceName, s.app]).toEqual(['x', 'y']);
  });
});

describe('refusals', () => {
  test('an undefined active slot', () => {
    expect(refusal({ slots: { blue }, active: 'green' })).toBe('c/db: active: slot "green" is live but not defined (defined: blue). Fix: define slots.green, or set active to a defined slot');
    expect(refusal({ slots: {}, active: 'green' })).toBe('c/db: active: slot "green" is live but not defined (defined: none). Fix: define slots.green, or set active to a defined slot');
  });

  test('a size without a unit, on either slot', () => {
    expect(refusal({ slots: { blue: { ...blue, claim: { ...blue.claim, size: '5GB' } }, green } })).toBe(`c/db: slots.blue.claim.size: "5GB" is not a storage quantity. Fix: use a size with a unit, e.g. '5Gi'`);
    expect(refusal({ slots: { blue, green: { ...green, claim: { ...green.claim, size: '5' } } } })).toBe(`c/db: slots.green.claim.size: "5" is not a storage quantity. Fix: use a size with a unit, e.g. '5Gi'`);
  });

  test('a clone of itself', () => {
    expect(refusal({ slots: { blue, green: { ...green, claim: { ...green.claim, cloneOf: { slot: 'green' } } } } })).toBe(
      "c/db: slots.green.claim.cloneOf.slot: slot green's claim cannot be cloned from a snapshot of itself. Fix: clone it from blue, or drop cloneOf for a new volume",
    );
    expect(refusal({ slots: { blue: { ...blue, claim: { ...blue.claim, cloneOf: { slot: 'blue' } } } } })).toBe(
      "c/db: slots.blue.claim.cloneOf.slot: slot blue's claim cannot be cloned from a snapshot of itself. Fix: clone it from green, or drop cloneOf for a new volume",
    );
  });

  test('a clone of an undefined slot', () => {
    expect(refusal({ slots: { green }, active: 'green' })).toBe(
      "c/db: slots.green.claim.cloneOf.slot: slot green's claim is cloned from slot blue, which is not defined, so there is no volume to snapshot. Fix: define slots.blue",
    );
  });

  test('a clone without a VolumeSnapshotClass', () => {
    expect(refusal({ volumeSnapshotClassName: undefined })).toBe(
      "c/db: volumeSnapshotClassName: slot green's claim is cloned from a snapshot, but no VolumeSnapshotClass is named. Fix: name the storage driver's VolumeSnapshotClass (e.g. 'ebs-csi')",
    );
    expect(synth({ slots: { blue }, volumeSnapshotClassName: undefined }).map((o) => o.kind)).toEqual(['Service', 'PersistentVolumeClaim', 'Deployment']);
  });

  test('a clone smaller than its source, compared in bytes across units', () => {
    const sized = (size: string) => ({ slots: { blue, green: { ...green, claim: { ...green.claim, size } } } });
    expect(refusal(sized('4Gi'))).toBe(
      "c/db: slots.green.claim.size: 4Gi is smaller than the 5Gi of the snapshot's source claim blue-claim, and a restore cannot shrink a volume. Fix: request at least 5Gi",
    );
    // 5Gi = 5368709120 bytes: 5369M is larger, 5368M smaller; 5120Mi is equal.
    expect(find(synth(sized('5369M')), 'PersistentVolumeClaim', 'green-claim').spec.resources.requests.storage).toBe('5369M');
    expect(find(synth(sized('5120Mi')), 'PersistentVolumeClaim', 'green-claim').spec.resources.requests.storage).toBe('5120Mi');
    expect(find(synth(sized('5.5Gi')), 'PersistentVolumeClaim', 'green-claim').spec.resources.requests.storage).toBe('5.5Gi');
    expect(refusal(sized('5368M'))).toMatch(/^c\/db: slots\.green\.claim\.size: 5368M is smaller than the 5Gi/);
    expect(refusal(sized('5242879Ki'))).toMatch(/^c\/db: slots\.green\.claim\.size: 5242879Ki is smaller/);
    expect(find(synth(sized('1Ti')), 'PersistentVolumeClaim', 'green-claim').spec.resources.requests.storage).toBe('1Ti');
    expect(refusal(sized('5k'))).toMatch(/5k is smaller/);
  });

  test('all units are ordered: each unit below the next', () => {
    const source = (size: string, clone: string) => ({ slots: { blue: { ...blue, claim: { ...blue.claim, size } }, green: { ...green, claim: { ...green.claim, size: clone } } } });
    const chain = ['1k', '1Ki', '1M', '1Mi', '1G', '1Gi', '1T', '1Ti', '1P', '1Pi', '1E', '1Ei'];
    for (let i = 1; i < chain.length; i++) {
      expect(refusal(source(chain[i], chain[i - 1]))).toMatch(new RegExp(`^c/db: slots\\.green\\.claim\\.size: ${chain[i - 1]} is smaller than the ${chain[i]} `));
      expect(find(synth(source(chain[i - 1], chain[i])), 'PersistentVolumeClaim', 'green-claim').spec.resources.requests.storage).toBe(chain[i]);
    }
  });

  test('slots exposing different port names', () => {
    expect(refusal({ slots: { blue, green: { ...green, container: container('8.0.35', 'sql') } } })).toBe(
      "c/db: slots.green.container.ports: slot green exposes ports [sql] but the live slot blue exposes [mysql], so a switch would break the Service's named targetPorts. Fix: give both slots the same port names",
    );
  });

  test('a slot without probes, at the slot path', () => {
    expect(refusal({ slots: { blue, green: { ...green, container: { ...container('8.0.35'), liveness: undefined } } } })).toMatch(/^c\/db\/green: liveness: container "percona" has no liveness probe/);
  });
});

describe('container mounts and UDP ports', () => {
  const udp = (tag: string) => ({ ...container(tag), ports: [{ name: 'mysql', containerPort: 3306 }, { name: 'disco', containerPort: 4567, protocol: 'UDP' as const }] });

  test("the slot's own mounts are kept beside the data mount", () => {
    const own = { ...container('5.7.43'), mounts: [{ volume: 'data', mountPath: '/etc/mysql/conf.d', subPath: 'conf' }] };
    const mounts = find(synth({ slots: { blue: { ...blue, container: own } } }), 'Deployment', 'percona-blue').spec.template.spec.containers[0].volumeMounts;
    expect(mounts).toContainEqual({ name: 'data', mountPath: '/etc/mysql/conf.d', subPath: 'conf' });
    expect(mounts).toContainEqual({ name: 'data', mountPath: '/var/lib/mysql' });
  });

  test('policies keep each port protocol', () => {
    const objects = synth({ slots: { blue: { ...blue, container: udp('5.7.43') }, green: { ...green, container: udp('8.0.35') } }, clientPods: { app: 'loadgen' } });
    expect(find(objects, 'NetworkPolicy', 'percona-clients').spec.egress[0].ports).toEqual([{ port: 3306, protocol: 'TCP' }, { port: 4567, protocol: 'UDP' }]);
    expect(find(objects, 'NetworkPolicy', 'percona').spec.ingress[0].ports).toEqual([{ port: 'mysql', protocol: 'TCP' }, { port: 'disco', protocol: 'UDP' }]);
  });
});
