import { Construct } from 'constructs';
import { HaWebApp } from '../constructs/ha-web-app';
import { ContainerProps } from '../constructs/pod-template';
import { ApodSettings } from '../environments';
import { smallNamespace, WorkloadChart, WorkloadContext } from './context';
import { tcpProbes } from './probes';

export const apodNamespace = smallNamespace('apod', {
  podSecurity: 'baseline',
  podSecurityReason: 'the kiamol ch14 images run as root and bind :80',
  // apod-api's JVM may burst to 2 CPUs while it starts, one surge pod included.
  quota: { requestsCpu: '4', requestsMemory: '8Gi', limitsCpu: '12', limitsMemory: '16Gi', pods: 50 },
});

// The kiamol images publish linux/amd64 for sure; arm64 is not verified, so pin amd64.
const platform = { os: 'linux', arch: 'amd64' } as const;
// The kiamol images run as root on :80 and write where they like; drop everything else.
const runtime = { runsAsRoot: true, capabilities: ['NET_BIND_SERVICE'], writableRootFilesystem: true } as const;

// Docker Hub holds only `latest` for these; pin digests (`crane digest <image>`) when you mirror them.
const LATEST_ONLY = 'the kiamol ch14 images are published only as latest';

function component(name: string, image: string, port: string, resources: ContainerProps['resources']): ContainerProps {
  return {
    name,
    image,
    floatingTagReason: LATEST_ONLY,
    ports: [{ name: port, containerPort: 80 }],
    resources,
    ...tcpProbes(port),
    runtime,
  };
}

/**
 * kiamol/ch14-image-of-the-day is Spring Boot 2.3 with the actuator, exposing `health,info,prometheus`
 * (its application.properties); `/actuator/health` answers without calling NASA, unlike `/image`.
 * A JVM start takes tens of seconds on a throttled CPU: the startup probe allows 3 minutes before
 * liveness takes over, and the CPU limit (2) leaves the JIT and class loading room to start.
 */
const apodApi: ContainerProps = {
  ...component('api', 'kiamol/ch14-image-of-the-day', 'api', {
    requests: { cpu: '250m', memory: '256Mi' },
    limits: { cpu: '2', memory: '512Mi' },
  }),
  startup: { http: '/actuator/health', port: 'api', periodSeconds: 5, failureThreshold: 36 },
  readiness: { http: '/actuator/health', port: 'api', periodSeconds: 5, timeoutSeconds: 2 },
  liveness: { http: '/actuator/health', port: 'api', periodSeconds: 10, failureThreshold: 6, timeoutSeconds: 2 },
};

/** Kubernetes in a Month of Lunches, ch. 18: APOD, three components; the web calls the others by Service name. */
export class ApodChart extends WorkloadChart {
  constructor(scope: Construct, { cluster, settings }: WorkloadContext<ApodSettings>) {
    super(scope, 'apod');
    const namespace = apodNamespace.name;
    const placement = cluster.place(`${this.node.path}`, platform);
    const small = { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '250m', memory: '128Mi' } };
    const web = { podLabels: { app: 'apod-web' } };
    new HaWebApp(this, 'apod-api', {
      namespace,
      name: 'apod-api',
      replicas: settings.replicas,
      placement,
      container: apodApi,
      service: { ports: [{ name: 'api', port: 80 }] },
      // The API fetches NASA's picture of the day over HTTPS.
      networkPolicy: { ingressFrom: [web], egressTo: [{ to: 'anywhere', ports: [{ port: 443 }] }] },
    });
    new HaWebApp(this, 'apod-log', {
      namespace,
      name: 'apod-log',
      replicas: settings.replicas,
      placement,
      container: component('api', 'kiamol/ch14-access-log', 'api', small),
      service: { ports: [{ name: 'api', port: 80 }] },
      networkPolicy: { ingressFrom: [web] },
    });
    new HaWebApp(this, 'apod-web', {
      namespace,
      name: 'apod-web',
      replicas: settings.replicas,
      placement,
      container: component('web', 'kiamol/ch14-image-gallery', 'web', small),
      service: { type: 'NodePort', ports: [{ name: 'web', port: 8016, nodePort: settings.webNodePort }] },
      networkPolicy: {
        ingressFrom: ['anywhere'],
        egressTo: [
          { to: { podLabels: { app: 'apod-api' } }, ports: [{ port: 80 }] },
          { to: { podLabels: { app: 'apod-log' } }, ports: [{ port: 80 }] },
        ],
      },
    });
  }
}
