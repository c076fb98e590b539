import { Construct } from 'constructs';
import { BatchJob } from '../constructs/batch-job';
import { SEED_002_IMAGES } from '../contracts/versions';
import { refuse } from '../constructs/errors';
import { ContainerProps } from '../constructs/pod-template';
import { DataSlotProps, StatefulBlueGreen } from '../constructs/stateful-blue-green';
import { PerconaSettings } from '../environments';
import { smallNamespace, WorkloadChart, WorkloadContext } from './context';
import { tcpProbes } from './probes';

export const perconaNamespace = smallNamespace('percona');

/**
 * The root password, created out of band (the cookbook's literal MYSQL_ROOT_PASSWORD is not reproduced):
 * `kubectl -n percona create secret generic percona-credentials --from-literal=root-password="$(openssl rand -base64 24)"`
 */
export const PERCONA_CREDENTIALS_SECRET = 'percona-credentials';

const rootPassword = (name: string) => ({ name, valueFrom: { secretKeyRef: { name: PERCONA_CREDENTIALS_SECRET, key: 'root-password' } } });
// percona-server is published for linux/amd64 for sure; arm64 is not verified.
const platform = { os: 'linux', arch: 'amd64' } as const;
const LOADGEN = { 'app.kubernetes.io/name': 'sql-loadgen' };

function perconaServer(tag: string): ContainerProps {
  return {
    name: 'percona',
    image: `${SEED_002_IMAGES.perconaRepository}:${tag}`,
    env: [rootPassword('MYSQL_ROOT_PASSWORD')],
    ports: [{ name: 'mysql', containerPort: 3306 }],
    // The cookbook's limit of half a CPU; InnoDB's buffer pool needs the memory.
    resources: { requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '500m', memory: '2Gi' } },
    ...tcpProbes('mysql', 10),
    // Runs as mysql (1001); the entrypoint writes its socket and config outside the data volume.
    runtime: { runAsUser: 1001, fsGroup: 1001, writableRootFilesystem: true },
  };
}

/**
 * The cookbook's load generator writes through the live Service for 5 minutes. Its own script
 * (`MySQLLoadGenerate.sh <ip>`) takes no credentials, so it can only log in with the password baked
 * into it: the same load runs here with the image's mysql client, the password read from the Secret.
 */
const LOAD = [
  'mysql -h percona -uroot -e "CREATE DATABASE IF NOT EXISTS loadgen; CREATE TABLE IF NOT EXISTS loadgen.rows (id BIGINT AUTO_INCREMENT PRIMARY KEY, at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, payload VARCHAR(255))"',
  'end=$((SECONDS + 300))',
  'while [ "$SECONDS" -lt "$end" ]; do mysql -h percona -uroot -e "INSERT INTO loadgen.rows (payload) VALUES (REPEAT(\'x\', 200))" || exit 1; done',
].join('\n');

/**
 * DevOps Cookbook, ch. 7 (cookbook `chapter7/bluegreen`): percona in two slots, each on its own claim, green's
 * claim cloned from a VolumeSnapshot of blue's; the live Service `percona` (3306) selects `active`.
 */
export class PerconaChart extends WorkloadChart {
  constructor(scope: Construct, { env, cluster, settings }: WorkloadContext<PerconaSettings>) {
    super(scope, 'percona');
    const namespace = perconaNamespace.name;
    const { className, snapshotClassName } = env.cluster.storage;
    if (!snapshotClassName) {
      refuse(this, 'storage.snapshotClassName', `environment "${env.name}" names no VolumeSnapshotClass, so green's claim cannot be cloned from blue's`, "install snapshot-capable storage and set cluster.storage.snapshotClassName, or leave percona out with { omitted: '<why>' }");
    }
    const slot = (s: PerconaSettings['blue']): DataSlotProps | undefined =>
      s && {
        container: perconaServer(s.tag),
        version: s.tag,
        claim: { name: s.claim, size: s.size, mountPath: '/var/lib/mysql', subPath: 'mysql', cloneOf: s.cloneOf && { slot: s.cloneOf } },
      };
    new StatefulBlueGreen(this, 'percona', {
      namespace,
      name: 'percona',
      active: settings.active,
      slots: { blue: slot(settings.blue), green: slot(settings.green) },
      placement: cluster.place(`${this.node.path}/percona`, platform),
      storageClassName: className,
      volumeSnapshotClassName: snapshotClassName,
      service: { ports: [{ name: 'mysql', port: 3306 }] },
      preview: true,
      // Database clients may live in any namespace; the root password is the gate.
      ingressFrom: ['cluster'],
      // The load generator's egress to the database, when it runs.
      clientPods: settings.loadGenerator ? LOADGEN : undefined,
    });
    if (settings.loadGenerator) {
      new BatchJob(this, 'sql-loadgen', {
        namespace,
        name: 'sql-loadgen',
        placement: cluster.place(`${this.node.path}/sql-loadgen`, platform),
        container: {
          name: 'sql-loadgen',
          image: 'openebs/tests-mysql-client',
          floatingTagReason: 'openebs/tests-mysql-client is published only as latest',
          command: ['/bin/bash', '-c', LOAD],
          env: [rootPassword('MYSQL_PWD')],
          resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
          runtime: { runAsUser: 65534 },
        },
        backoffLimit: 2,
        activeDeadlineSeconds: 600,
      });
    }
  }
}
