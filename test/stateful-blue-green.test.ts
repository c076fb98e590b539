import { errorsOf } from '../contracts/finding';
import { LIVE_SLOT_ANNOTATION } from '../constructs/blue-green-service';
import { ContainerProps } from '../constructs/pod-template';
import { DataSlotProps, StatefulBlueGreen, StatefulBlueGreenProps } from '../constructs/stateful-blue-green';
import { validateManifests } from '../guardrails/validate';
import { find, linuxPools, Manifest, synthObjects, testCluster } from './util/synth';

const percona = (tag: string): ContainerProps => ({
  name: 'percona',
  image: `percona/percona-server:${tag}`,
  ports: [{ name: 'mysql', containerPort: 3306 }],
  env: [{ name: 'MYSQL_ROOT_PASSWORD', valueFrom: { secretKeyRef: { name: 'percona-root', key: 'password' } } }],
  resources: { requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '500m', memory: '1Gi' } },
  readiness: { tcp: true, port: 'mysql', periodSeconds: 5 },
  liveness: { tcp: true, port: 'mysql', periodSeconds: 10, failureThreshold: 6 },
  runtime: { runAsUser: 1001, fsGroup: 1001, writablePaths: ['/tmp', '/var/run/mysqld'] },
});

const blue: DataSlotProps = { container: percona('8.0.40-31'), claim: { name: 'demo-vol1-claim', size: '5Gi', mountPath: '/var/lib/mysql', subPath: 'mysql' } };
const green: DataSlotProps = {
  container: percona('8.0.41-32'),
  claim: { name: 'demo-snap-vol-claim', size: '5Gi', mountPath: '/var/lib/mysql', subPath: 'mysql', cloneOf: { slot: 'blue' } },
};

type Overrides = Partial<Omit<StatefulBlueGreenProps, 'placement'>>;

function build(overrides: Overrides = {}): Manifest[] {
  return synthObjects((chart) => {
    new StatefulBlueGreen(chart, 'percona', {
      namespace: 'percona',
      name: 'percona',
      active: 'blue',
      slots: { blue, green },
      placement: testCluster(chart, linuxPools).place('test/percona', { os: 'linux' }),
      storageClassName: 'gp3',
      volumeSnapshotClassName: 'ebs-csi',
      service: { ports: [{ name: 'mysql', port: 3306 }] },
      ...overrides,
    });
  });
}

const key = (o: Manifest) => `${o.kind}/${o.metadata.name}`;

describe('StatefulBlueGreen', () => {
  const objects = build();

  test('live Service percona:3306 selects the active slot; each slot a claim and one Recreate pod', () => {
    expect(objects.map(key)).toEqual([
      'Service/percona',
      'PersistentVolumeClaim/demo-vol1-claim',
      'Deployment/percona-blue',
      'VolumeSnapshot/snapshot-blue',
      'PersistentVolumeClaim/demo-snap-vol-claim',
      'Deployment/percona-green',
    ]);
    const live = find(objects, 'Service', 'percona');
    expect(live.spec.selector).toEqual({ app: 'percona', slot: 'blue' });
    expect(live.spec.ports).toEqual([{ name: 'mysql', port: 3306, targetPort: 'mysql', protocol: 'TCP' }]);
    expect(live.metadata.annotations).toEqual({ [LIVE_SLOT_ANNOTATION]: 'blue' });
    for (const slot of ['blue', 'green']) {
      const d = find(objects, 'Deployment', `percona-${slot}`);
      expect(d.spec.replicas).toBe(1);
      expect(d.spec.strategy).toEqual({ type: 'Recreate' });
      expect(d.spec.selector.matchLabels).toEqual({ app: 'percona', slot });
    }
  });

  test("green's claim is restored from a snapshot.storage.k8s.io/v1 VolumeSnapshot of blue's claim", () => {
    expect(find(objects, 'VolumeSnapshot', 'snapshot-blue')).toMatchObject({
      apiVersion: 'snapshot.storage.k8s.io/v1',
      spec: { volumeSnapshotClassName: 'ebs-csi', source: { persistentVolumeClaimName: 'demo-vol1-claim' } },
    });
    expect(find(objects, 'PersistentVolumeClaim', 'demo-snap-vol-claim').spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'gp3',
      resources: { requests: { storage: '5Gi' } },
      dataSource: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 'snapshot-blue' },
    });
    expect(find(objects, 'PersistentVolumeClaim', 'demo-vol1-claim').spec.dataSource).toBeUndefined();
  });

  test('each slot mounts its own claim, in a subdirectory (no lost+found in the data directory)', () => {
    for (const [slot, claim] of [['blue', 'demo-vol1-claim'], ['green', 'demo-snap-vol-claim']]) {
      const pod = find(objects, 'Deployment', `percona-${slot}`).spec.template.spec;
      expect(pod.volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: claim } });
      expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/mysql', subPath: 'mysql' });
    }
  });

  test('flipping active changes only the live Service selector and its annotation', () => {
    const flipped = build({ active: 'green' });
    expect(flipped.map(key)).toEqual(objects.map(key));
    const changed = objects.flatMap((o, i) => (JSON.stringify(o) === JSON.stringify(flipped[i]) ? [] : [key(o)]));
    expect(changed).toEqual(['Service/percona']);
    const live = find(flipped, 'Service', 'percona');
    expect(live.spec.selector).toEqual({ app: 'percona', slot: 'green' });
    expect(live.metadata.annotations).toEqual({ [LIVE_SLOT_ANNOTATION]: 'green' });
  });

  test('rolling back to the slot the live data was cloned from is allowed', () => {
    expect(() => build({ active: 'blue' })).not.toThrow();
  });

  test('the first release: blue alone on a new volume', () => {
    expect(build({ slots: { blue } }).map(key)).toEqual(['Service/percona', 'PersistentVolumeClaim/demo-vol1-claim', 'Deployment/percona-blue']);
  });

  test('preview Services and a NetworkPolicy on the database port', () => {
    const more = build({ preview: true, ingressFrom: [{ podLabels: { app: 'sql-loadgen' } }] });
    expect(find(more, 'Service', 'percona-green').spec.selector).toEqual({ app: 'percona', slot: 'green' });
    expect(find(more, 'NetworkPolicy', 'percona').spec.ingress[0].ports).toEqual([{ port: 'mysql', protocol: 'TCP' }]);
  });

  test('passes the guardrails', () => {
    expect(errorsOf(validateManifests(objects.map((object) => ({ file: 'test.yaml', object }))))).toEqual([]);
  });

  const fresh = (slot: DataSlotProps): DataSlotProps => ({ ...slot, claim: { ...slot.claim, cloneOf: undefined } });
  const refusals: [string, Overrides, RegExp][] = [
    [
      'a flip to a slot whose claim is not cloned from the live slot',
      { active: 'green', slots: { blue, green: fresh(green) } },
      /test\/percona: active: slot green's claim "demo-snap-vol-claim" is not cloned from a snapshot of slot blue's claim "demo-vol1-claim".*without blue's data/,
    ],
    ['two unrelated volumes even without a flip', { slots: { blue, green: fresh(green) } }, /active: slot blue's claim "demo-vol1-claim" is not cloned from a snapshot of slot green's/],
    ['a live slot that is not defined', { active: 'green', slots: { blue } }, /active: slot "green" is live but not defined \(defined: blue\)/],
    ['a clone of itself', { slots: { blue, green: { ...green, claim: { ...green.claim, cloneOf: { slot: 'green' } } } } }, /slots\.green\.claim\.cloneOf\.slot: slot green's claim cannot be cloned from a snapshot of itself/],
    ['a clone of an undefined slot', { active: 'green', slots: { green } }, /slots\.green\.claim\.cloneOf\.slot: slot green's claim is cloned from slot blue, which is not defined/],
    ['a clone without a VolumeSnapshotClass', { volumeSnapshotClassName: undefined }, /volumeSnapshotClassName: slot green's claim is cloned from a snapshot, but no VolumeSnapshotClass is named/],
    ['a clone smaller than its source', { slots: { blue, green: { ...green, claim: { ...green.claim, size: '4Gi' } } } }, /slots\.green\.claim\.size: 4Gi is smaller than the 5Gi of the snapshot's source claim demo-vol1-claim/],
    ['slots with different port names', { slots: { blue, green: { ...green, container: { ...green.container, ports: [{ name: 'sql', containerPort: 3306 }], readiness: { tcp: true, port: 'sql' }, liveness: { tcp: true, port: 'sql', failureThreshold: 6 } } } } }, /slots\.green\.container\.ports: slot green exposes ports \[sql\]/],
    ["the cookbook's literal MYSQL_ROOT_PASSWORD", { slots: { blue: { ...blue, container: { ...blue.container, env: [{ name: 'MYSQL_ROOT_PASSWORD', value: 'k8sDem0' }] } } } }, /blue: env\[MYSQL_ROOT_PASSWORD\]: MYSQL_ROOT_PASSWORD carries a literal value/],
  ];
  test.each(refusals)('refuses %s', (_name, overrides, message) => {
    expect(() => build(overrides)).toThrow(message);
  });
});
