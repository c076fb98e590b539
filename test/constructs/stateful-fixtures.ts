/**
 * The stateful fixtures of the construct tests: the cookbook's MinIO StatefulApp and the books' percona
 * StatefulBlueGreen, each built into a fresh chart with per-test overrides. Kept apart from support.ts so
 * the tests that do not build them do not load those modules.
 */
import { App, Chart } from 'cdk8s';
import type { Placement } from '../../constructs/platform';
import { StatefulApp, StatefulAppProps } from '../../constructs/stateful-app';
import { DataSlotProps, StatefulBlueGreen, StatefulBlueGreenProps } from '../../constructs/stateful-blue-green';
import { RESOURCES } from './support';

/** The cookbook's MinIO container: API and console ports, `data` mounted at /data. */
export const MINIO_CONTAINER = {
  name: 'minio',
  image: 'minio/minio:RELEASE.2024-01-01T00-00-00Z',
  ports: [
    { name: 'api', containerPort: 9000 },
    { name: 'console', containerPort: 9001 },
  ],
  mounts: [{ volume: 'data', mountPath: '/data' }],
  resources: RESOURCES,
  readiness: { http: '/minio/health/ready', port: 'api' },
  liveness: { http: '/minio/health/live', port: 'api' },
};

/** The objects of a StatefulApp `c/minio` (namespace `ns`, one 10Gi `data` claim) with `overrides`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function synthStatefulApp(placement: Placement, overrides: Partial<StatefulAppProps> = {}): any[] {
  const chart = new Chart(new App({ outdir: 'unused' }), 'c');
  new StatefulApp(chart, 'minio', { namespace: 'ns', name: 'minio', placement, container: MINIO_CONTAINER, claims: [{ name: 'data', size: '10Gi' }], ...overrides });
  return chart.toJson();
}

/** The books' percona container at `tag`, serving MySQL on 3306 as `portName` with TCP probes. */
export const perconaContainer = (tag: string, portName = 'mysql') => ({
  name: 'percona',
  image: `percona:${tag}`,
  ports: [{ name: portName, containerPort: 3306 }],
  resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
  readiness: { tcp: true as const, port: portName },
  liveness: { tcp: true as const, port: portName, failureThreshold: 6 },
});

/** Percona 5.7 on a 5Gi claim (blue) and 8.0 on a clone of it (green). */
export const BLUE_SLOT: DataSlotProps = { container: perconaContainer('5.7.43'), claim: { name: 'blue-claim', size: '5Gi', mountPath: '/var/lib/mysql' } };
export const GREEN_SLOT: DataSlotProps = {
  container: perconaContainer('8.0.35'),
  claim: { name: 'green-claim', size: '5Gi', mountPath: '/var/lib/mysql', cloneOf: { slot: 'blue' } },
};

/** The objects of a StatefulBlueGreen `c/db` (percona, blue live, gp3 and ebs-csi) with `overrides`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function synthStatefulBlueGreen(placement: Placement, overrides: Partial<StatefulBlueGreenProps> = {}): any[] {
  const chart = new Chart(new App({ outdir: 'unused' }), 'c');
  new StatefulBlueGreen(chart, 'db', {
    namespace: 'ns',
    name: 'percona',
    slots: { blue: BLUE_SLOT, green: GREEN_SLOT },
    active: 'blue',
    placement,
    storageClassName: 'gp3',
    volumeSnapshotClassName: 'ebs-csi',
    service: { ports: [{ name: 'mysql', port: 3306 }] },
    ...overrides,
  });
  return chart.toJson();
}
