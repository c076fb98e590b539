import { Construct } from 'constructs';
import { AppNamespaceProps } from '../constructs/app-namespace';
import { SEED_002_IMAGES } from '../contracts/versions';
import { StatefulApp } from '../constructs/stateful-app';
import { MinioSettings } from '../environments';
import { smallNamespace, WorkloadChart, WorkloadContext } from './context';

const NAME = 'minio';

/** The namespace; Istio injection (a namespace LABEL) where the environment meshes MinIO with Istio. */
export function minioNamespace(settings: MinioSettings): AppNamespaceProps {
  return smallNamespace(NAME, { mesh: settings.mesh });
}

/**
 * MinIO's root credentials, created out of band (never in dist/ or git; the cookbook's literal pair
 * is not reproduced): `kubectl -n minio create secret generic minio-credentials --from-literal=root-user=... --from-literal=root-password="$(openssl rand -base64 24)"`
 */
export const MINIO_CREDENTIALS_SECRET = 'minio-credentials';


/**
 * DevOps Cookbook, ch. 7 (cookbook `chapter7/lb`, `chapter7/autoheal/minio`): distributed MinIO, a StatefulSet of
 * `replicas` pods each on its own volume, found by its peers through the headless Service `minio`;
 * the LoadBalancer `minio-service` on 9000; optionally Istio's `minio-gateway` and VirtualService `minio`.
 */
export class MinioChart extends WorkloadChart {
  constructor(scope: Construct, { env, cluster, settings }: WorkloadContext<MinioSettings>) {
    super(scope, 'minio');
    const who = `${this.node.path}/${NAME}`;
    cluster.checkServiceType(who, settings.serviceType);
    cluster.checkMesh(who, settings.mesh);
    const namespace = minioNamespace(settings).name;
    const n = settings.replicas;
    const secret = (name: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: MINIO_CREDENTIALS_SECRET, key } } });
    new StatefulApp(this, NAME, {
      namespace,
      name: NAME,
      replicas: n,
      placement: cluster.place(who, { os: 'linux' }),
      claims: [{ name: 'data', size: settings.volumeSize, storageClassName: env.cluster.storage.className }],
      // Every server waits for its peers' DNS names: publish them before the pods are ready, start all at once.
      publishNotReadyAddresses: true,
      podManagementPolicy: 'Parallel',
      terminationGracePeriodSeconds: 60,
      container: {
        name: NAME,
        image: SEED_002_IMAGES.minio,
        args: ['server', `http://${NAME}-{0...${n - 1}}.${NAME}.${namespace}.svc.${env.cluster.dnsDomain}/data`],
        env: [secret('MINIO_ROOT_USER', 'root-user'), secret('MINIO_ROOT_PASSWORD', 'root-password')],
        ports: [{ name: NAME, containerPort: 9000 }],
        resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
        // The cookbook's liveness (120 s to start, every 20 s), plus readiness on its own endpoint.
        liveness: { http: '/minio/health/live', port: NAME, initialDelaySeconds: 120, periodSeconds: 20 },
        readiness: { http: '/minio/health/ready', port: NAME, periodSeconds: 10 },
        // The image runs as root by default; MinIO needs no privilege, and writes its config under HOME.
        runtime: { runAsUser: 1000, fsGroup: 1000, writableRootFilesystem: true },
        mounts: [{ volume: 'data', mountPath: '/data' }],
      },
      services: [
        {
          name: 'minio-service',
          type: settings.serviceType,
          ports: [{ name: NAME, port: 9000, nodePort: settings.nodePort }],
          annotations: settings.serviceType === 'LoadBalancer' ? { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' } : undefined,
        },
      ],
      mesh: settings.mesh,
      istio: settings.istioHosts && { hosts: settings.istioHosts, name: NAME, gatewayName: 'minio-gateway' },
      networkPolicy: {
        ingressFrom: ['anywhere'],
        // The servers talk to each other (erasure sets span every pod).
        egressTo: [{ to: { podLabels: { app: NAME } }, ports: [{ port: 9000 }] }],
      },
    });
  }
}
