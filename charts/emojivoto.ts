import { Construct } from 'constructs';
import { AppNamespaceProps } from '../constructs/app-namespace';
import { SEED_002_IMAGES } from '../contracts/versions';
import { HaWebApp } from '../constructs/ha-web-app';
import { ContainerProps } from '../constructs/pod-template';
import { EmojivotoSettings } from '../environments';
import { smallNamespace, WorkloadChart, WorkloadContext } from './context';
import { tcpProbes } from './probes';

const NAMESPACE = 'emojivoto';

/** The namespace; Linkerd injection is the namespace ANNOTATION (the cookbook labelled it, which Linkerd ignores). */
export function emojivotoNamespace(settings: EmojivotoSettings): AppNamespaceProps {
  return smallNamespace(NAMESPACE, { mesh: settings.mesh });
}

const image = SEED_002_IMAGES.emojivoto;
// linux/amd64 is the platform these images are known to ship.
const platform = { os: 'linux', arch: 'amd64' } as const;
// Go binaries serving from the image: nothing to write, no privilege, any UID.
const runtime = { runAsUser: 65534 } as const;
const GRPC_PORT = 8080;

function grpcService(name: 'emoji-svc' | 'voting-svc'): ContainerProps {
  return {
    name,
    image: image(name),
    env: [{ name: 'GRPC_PORT', value: String(GRPC_PORT) }],
    ports: [{ name: 'grpc', containerPort: GRPC_PORT }],
    resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '250m', memory: '128Mi' } },
    ...tcpProbes('grpc'),
    runtime,
  };
}

/**
 * DevOps Cookbook, ch. 7 (cookbook `chapter7/linkerd/emojivoto.yml`): emoji-svc and voting-svc (gRPC on 8080),
 * web-svc (HTTP 80 → 8080) behind an Ingress, and the vote-bot, each with its own ServiceAccount,
 * meshed by Linkerd through the `linkerd.io/inject: enabled` annotation.
 */
export class EmojivotoChart extends WorkloadChart {
  constructor(scope: Construct, { cluster, settings }: WorkloadContext<EmojivotoSettings>) {
    super(scope, 'emojivoto');
    cluster.checkMesh(`${this.node.path}/web`, settings.mesh);
    const namespace = NAMESPACE;
    const place = (id: string) => cluster.place(`${this.node.path}/${id}`, platform);
    const common = { namespace, replicas: settings.replicas, mesh: settings.mesh, serviceAccount: true } as const;
    const web = { podLabels: { app: 'web-svc' } };
    for (const [id, app] of [
      ['emoji', 'emoji-svc'],
      ['voting', 'voting-svc'],
    ] as const) {
      new HaWebApp(this, id, {
        ...common,
        name: id,
        selectorLabels: { app },
        placement: place(id),
        container: grpcService(app),
        service: { name: app, ports: [{ name: 'grpc', port: GRPC_PORT }] },
        networkPolicy: { ingressFrom: [web] },
      });
    }
    new HaWebApp(this, 'web', {
      ...common,
      name: 'web',
      selectorLabels: { app: 'web-svc' },
      placement: place('web'),
      container: {
        name: 'web-svc',
        image: image('web'),
        env: [
          { name: 'WEB_PORT', value: '8080' },
          { name: 'EMOJISVC_HOST', value: `emoji-svc.${namespace}:${GRPC_PORT}` },
          { name: 'VOTINGSVC_HOST', value: `voting-svc.${namespace}:${GRPC_PORT}` },
          { name: 'INDEX_BUNDLE', value: 'dist/index_bundle.js' },
        ],
        ports: [{ name: 'http', containerPort: 8080 }],
        resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '250m', memory: '128Mi' } },
        readiness: { http: '/', port: 'http', periodSeconds: 5 },
        liveness: { tcp: true, port: 'http', periodSeconds: 10, failureThreshold: 6 },
        runtime,
      },
      // ClusterIP behind the Ingress: one way in (the cookbook's LoadBalancer was a second).
      service: { name: 'web-svc', ports: [{ name: 'http', port: 80 }] },
      ingress: {
        className: settings.ingress.className,
        host: settings.ingress.host,
        // ingress-nginx sends to the Service address, so the meshed proxy (not nginx) picks the pod.
        annotations: settings.mesh === 'linkerd' && settings.ingress.className === 'nginx' ? { 'nginx.ingress.kubernetes.io/service-upstream': 'true' } : undefined,
      },
      networkPolicy: {
        ingressFrom: ['cluster'],
        egressTo: [
          { to: { podLabels: { app: 'emoji-svc' } }, ports: [{ port: GRPC_PORT }] },
          { to: { podLabels: { app: 'voting-svc' } }, ports: [{ port: GRPC_PORT }] },
        ],
      },
    });
    new HaWebApp(this, 'vote-bot', {
      ...common,
      name: 'vote-bot',
      // One bot is the demo's load; two would double it.
      replicas: 1,
      nonHa: true,
      placement: place('vote-bot'),
      container: {
        name: 'vote-bot',
        image: image('web'),
        command: ['emojivoto-vote-bot'],
        env: [{ name: 'WEB_HOST', value: `web-svc.${namespace}:80` }],
        resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
        runtime,
      },
      networkPolicy: { ingressFrom: ['same-namespace'], egressTo: [{ to: web, ports: [{ port: 8080 }] }] },
    });
  }
}
