import { Construct } from 'constructs';
import { HaWebApp } from '../constructs/ha-web-app';
import { NginxSettings } from '../environments';
import { smallNamespace, WorkloadChart, WorkloadContext } from './context';

export const nginxNamespace = smallNamespace('web', {
  podSecurity: 'baseline',
  podSecurityReason: 'stock nginx (1.14.2, 1.16.1) starts its master process as root and binds :80',
});

/** MicroK8s, ch. 5 and 13: `nginx-deployment`, `app: nginx`, one pod per node, rolled 1.14.2 → 1.16.1. */
export class NginxChart extends WorkloadChart {
  constructor(scope: Construct, { cluster, settings }: WorkloadContext<NginxSettings>) {
    super(scope, 'nginx');
    new HaWebApp(this, 'nginx', {
      namespace: nginxNamespace.name,
      name: 'nginx-deployment',
      selectorLabels: { app: 'nginx' },
      replicas: settings.replicas,
      strategy: { type: 'RollingUpdate', maxSurge: settings.maxSurge, maxUnavailable: settings.maxUnavailable },
      hostnameSpread: settings.antiAffinity,
      placement: cluster.place(`${this.node.path}/nginx`, { os: 'linux' }),
      container: {
        name: 'nginx',
        image: settings.image,
        ports: [{ name: 'http', containerPort: 80 }],
        resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
        readiness: { http: '/', port: 'http', periodSeconds: 5 },
        liveness: { tcp: true, port: 'http', periodSeconds: 10, failureThreshold: 6 },
        // The master needs root, CHOWN for its cache dirs, SETUID/SETGID to drop workers to `nginx`.
        runtime: {
          runsAsRoot: true,
          capabilities: ['CHOWN', 'SETGID', 'SETUID', 'NET_BIND_SERVICE'],
          writablePaths: ['/var/cache/nginx', '/var/run'],
        },
      },
      service: { name: 'nginx', ports: [{ name: 'http', port: 80 }] },
      networkPolicy: { ingressFrom: ['cluster'] },
    });
  }
}
