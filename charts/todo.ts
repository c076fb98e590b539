import { Construct } from 'constructs';
import { SEED_002_IMAGES } from '../contracts/versions';
import { refuse } from '../constructs/errors';
import { HaWebApp } from '../constructs/ha-web-app';
import type { Affinity } from '../constructs/k8s';
import { ContainerProps, Resources } from '../constructs/pod-template';
import { StatefulApp } from '../constructs/stateful-app';
import { Environment, TodoSettings } from '../environments';
import { smallNamespace, WorkloadChart, WorkloadContext } from './context';
import { tcpProbes } from './probes';

export const todoNamespace = smallNamespace('todo');

/** The Helm release name of the cookbook (`helm install . --name my-ch7-app`): every object is named after it. */
const RELEASE = 'my-ch7-app';
const APP = `${RELEASE}-node`;
const DATABASE = `${RELEASE}-mongodb`;

/**
 * The MongoDB credentials, created out of band exactly like petshop's connection string (never in
 * dist/ or git), under the name and keys of the cookbook's MongoDB chart:
 * `kubectl -n todo create secret generic my-ch7-app-mongodb --from-literal=mongodb-password="$(openssl rand -base64 24)" --from-literal=mongodb-root-password="$(openssl rand -base64 24)"`
 */
export const TODO_DATABASE_SECRET = DATABASE;

const { node: NODE_IMAGE, git: GIT_IMAGE, mongodb: MONGODB_IMAGE } = SEED_002_IMAGES;
const SAMPLE_APP = { repository: 'https://github.com/bitnami/sample-mean.git', revision: 'master' };
const DATABASE_USER = 'user';
const DATABASE_NAME = 'test_db';

// Bitnami images run as 1001 and need no privilege; HOME=/tmp gives npm a writable cache.
const BITNAMI = { runAsUser: 1001, fsGroup: 1001 } as const;
const secretEnv = (name: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: TODO_DATABASE_SECRET, key } } });
const INSTALL: Resources = { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } };

/** The cookbook's todo-prod affinity, from the environment: node affinity plus pod affinity to MongoDB's zone. */
function affinityOf(scope: Construct, env: Environment, settings: TodoSettings): Affinity | undefined {
  const { required, preferred } = settings.nodeAffinity;
  checkNodeTerms(scope, env, settings);
  const dbTerm = { labelSelector: { matchLabels: { app: 'mongodb', release: RELEASE } }, topologyKey: 'topology.kubernetes.io/zone' };
  const affinity: Affinity = {
    nodeAffinity:
      required.length || preferred.length
        ? {
            requiredDuringSchedulingIgnoredDuringExecution: required.length
              ? { nodeSelectorTerms: [{ matchExpressions: required.map((r) => ({ key: r.key, operator: 'In', values: [...r.values] })) }] }
              : undefined,
            preferredDuringSchedulingIgnoredDuringExecution: preferred.length
              ? preferred.map((p) => ({ weight: p.weight, preference: { matchExpressions: [{ key: p.requirement.key, operator: 'In', values: [...p.requirement.values] }] } }))
              : undefined,
          }
        : undefined,
    podAffinity:
      settings.databaseZoneAffinity === 'required'
        ? { requiredDuringSchedulingIgnoredDuringExecution: [dbTerm] }
        : settings.databaseZoneAffinity === 'preferred'
          ? { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: dbTerm }] }
          : undefined,
  };
  return affinity.nodeAffinity || affinity.podAffinity ? affinity : undefined;
}

/** Every label the nodes of a pool carry that the model knows: the pool's own labels and its zones. */
function nodeLabelValues(env: Environment, key: string): Set<string> {
  const values = new Set<string>();
  for (const pool of env.nodePools) if (pool.labels[key] !== undefined) values.add(pool.labels[key]);
  if (key === 'topology.kubernetes.io/zone' && env.provider.kind === 'aws-kubeadm') env.provider.network.availabilityZones.forEach((z) => values.add(z));
  return values;
}

/** A required node term no node satisfies leaves every pod Pending; a preferred one naming no node is a typo. */
function checkNodeTerms(scope: Construct, env: Environment, settings: TodoSettings): void {
  const check = (field: string, key: string, values: readonly string[]) => {
    const known = nodeLabelValues(env, key);
    if (!values.some((v) => known.has(v))) {
      refuse(
        scope,
        field,
        `no node of environment "${env.name}" carries ${key} in [${values.join(', ')}] (its nodes have ${[...known].join(', ') || 'no such label'}), so ${field.includes('required') ? 'no pod could ever schedule' : 'the preference matches nothing'}`,
        `use a label the node pools of environments/${env.name}.ts carry, or add it to a pool's labels`,
      );
    }
  };
  settings.nodeAffinity.required.forEach((r, i) => check(`nodeAffinity.required[${i}]`, r.key, r.values));
  settings.nodeAffinity.preferred.forEach((p, i) => check(`nodeAffinity.preferred[${i}]`, p.requirement.key, p.requirement.values));
  for (const [key, value] of Object.entries(settings.nodeSelector)) check(`nodeSelector["${key}"]`, key, [value]);
}

/**
 * DevOps Cookbook, ch. 7 (cookbook `chapter7/charts/node`, release `my-ch7-app`): the bitnami Node.js todo app that
 * clones bitnami's sample-mean at start, behind a LoadBalancer on 80 → 3000 and the HPA
 * `my-ch7-app-autoscaler`, backed by MongoDB as a StatefulSet on its own volume.
 */
export class TodoChart extends WorkloadChart {
  constructor(scope: Construct, { env, cluster, settings }: WorkloadContext<TodoSettings>) {
    super(scope, 'todo');
    const namespace = todoNamespace.name;
    cluster.checkServiceType(`${this.node.path}/${APP}`, settings.serviceType);
    const appLabels = { app: 'node', release: RELEASE };
    const dbLabels = { app: 'mongodb', release: RELEASE };
    // bitnami images are multi-arch (amd64 and arm64).
    const placement = (id: string) => cluster.place(`${this.node.path}/${id}`, { os: 'linux' });
    const appVolume = { volume: 'app', mountPath: '/app' };

    new StatefulApp(this, 'mongodb', {
      namespace,
      name: DATABASE,
      selectorLabels: dbLabels,
      // One standalone MongoDB owning its volume, as the cookbook's chart (replicaSet disabled).
      replicas: 1,
      nonHa: true,
      placement: placement('mongodb'),
      claims: [{ name: 'data', size: settings.databaseSize, storageClassName: env.cluster.storage.className }],
      headlessService: { name: DATABASE, ports: [{ name: 'mongodb', port: 27017 }] },
      hostnameSpread: 'none',
      zoneSpread: 'none',
      terminationGracePeriodSeconds: 60,
      container: {
        name: 'mongodb',
        image: MONGODB_IMAGE,
        env: [
          secretEnv('MONGODB_ROOT_PASSWORD', 'mongodb-root-password'),
          secretEnv('MONGODB_PASSWORD', 'mongodb-password'),
          { name: 'MONGODB_USERNAME', value: DATABASE_USER },
          { name: 'MONGODB_DATABASE', value: DATABASE_NAME },
          { name: 'MONGODB_SYSTEM_LOG_VERBOSITY', value: '0' },
          { name: 'MONGODB_DISABLE_SYSTEM_LOG', value: 'no' },
          { name: 'MONGODB_ENABLE_IPV6', value: 'no' },
          { name: 'MONGODB_ENABLE_DIRECTORY_PER_DB', value: 'no' },
        ],
        ports: [{ name: 'mongodb', containerPort: 27017 }],
        resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
        ...tcpProbes('mongodb', 10),
        // The image writes its config and logs under /opt/bitnami/mongodb at start.
        runtime: { ...BITNAMI, writableRootFilesystem: true },
        mounts: [{ volume: 'data', mountPath: '/bitnami/mongodb' }],
      },
      networkPolicy: { ingressFrom: [{ podLabels: appLabels }] },
    });

    const nodeContainer = (name: string, command: string, resources: Resources, extra: Partial<ContainerProps> = {}): ContainerProps => ({
      name,
      image: NODE_IMAGE,
      workingDir: '/app',
      command: ['/bin/bash', '-c', command],
      resources,
      runtime: BITNAMI,
      mounts: [appVolume],
      ...extra,
      env: [{ name: 'HOME', value: '/tmp' }, ...(extra.env ?? [])],
    });
    new HaWebApp(this, 'node', {
      namespace,
      name: APP,
      selectorLabels: appLabels,
      placement: placement('node'),
      autoscaling: { name: `${RELEASE}-autoscaler`, ...settings.autoscaling },
      scheduling: { nodeSelector: { ...settings.nodeSelector }, affinity: affinityOf(this, env, settings) },
      volumes: [
        { name: 'app', emptyDir: {} },
        { name: 'data', emptyDir: {} },
      ],
      initContainers: [
        {
          name: 'git-clone-repository',
          image: GIT_IMAGE,
          command: ['/bin/sh', '-c', `git clone ${SAMPLE_APP.repository} /app && cd /app && git checkout ${SAMPLE_APP.revision}`],
          resources: INSTALL,
          runtime: BITNAMI,
          env: [{ name: 'HOME', value: '/tmp' }],
          mounts: [appVolume],
        },
        nodeContainer('npm-install', 'npm install', INSTALL),
      ],
      container: nodeContainer(APP, 'npm start', { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } }, {
        env: [
          { name: 'DATABASE_HOST', value: DATABASE },
          { name: 'DATABASE_PORT', value: '27017' },
          { name: 'DATABASE_USER', value: DATABASE_USER },
          secretEnv('DATABASE_PASSWORD', 'mongodb-password'),
          { name: 'DATABASE_NAME', value: DATABASE_NAME },
          { name: 'DATABASE_CONNECTION_OPTIONS', value: '' },
          { name: 'DATA_FOLDER', value: '/app' },
        ],
        ports: [{ name: 'http', containerPort: 3000 }],
        // The cookbook's probes: the same page, but liveness waits longer and tolerates 6 misses.
        readiness: { http: '/', port: 'http', initialDelaySeconds: 10, periodSeconds: 5, timeoutSeconds: 3 },
        liveness: { http: '/', port: 'http', initialDelaySeconds: 60, timeoutSeconds: 5, failureThreshold: 6 },
        mounts: [appVolume, { volume: 'data', mountPath: '/app/data' }],
      }),
      service: {
        name: APP,
        type: settings.serviceType,
        ports: [{ name: 'http', port: 80, nodePort: settings.nodePort }],
        annotations: settings.serviceType === 'LoadBalancer' ? { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' } : undefined,
      },
      networkPolicy: {
        ingressFrom: ['anywhere'],
        egressTo: [
          { to: { podLabels: dbLabels }, ports: [{ port: 27017 }] },
          // git clone from GitHub and npm install from the registry, at every start.
          { to: 'anywhere', ports: [{ port: 443 }] },
        ],
      },
    });
  }
}
