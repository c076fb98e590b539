import { Construct } from 'constructs';
import { HaWebApp } from '../constructs/ha-web-app';
import { HelloSettings } from '../environments';
import { smallNamespace, WorkloadChart, WorkloadContext } from './context';

export const helloNamespace = smallNamespace('hello', {
  podSecurity: 'baseline',
  podSecurityReason: 'the book image is nginx:alpine, whose master process starts as root and binds :80',
});

/**
 * Kubernetes on AWS, ch. 2: `hello`, built from `images/hello/v1` or `v2` on the developer's machine and loaded
 * into the local cluster's node (never pushed), so `imagePullPolicy: Never`; NodePort Service `hello` on 80.
 */
export class HelloChart extends WorkloadChart {
  constructor(scope: Construct, { cluster, settings }: WorkloadContext<HelloSettings>) {
    super(scope, 'hello');
    new HaWebApp(this, 'hello', {
      namespace: helloNamespace.name,
      name: 'hello',
      // `kubectl run hello` labelled its pods run=hello.
      selectorLabels: { run: 'hello' },
      placement: cluster.place(`${this.node.path}/hello`, { os: 'linux' }),
      container: {
        name: 'hello',
        image: `hello:${settings.tag}`,
        imagePullPolicy: 'Never',
        ports: [{ name: 'http', containerPort: 80 }],
        resources: { requests: { cpu: '50m', memory: '32Mi' }, limits: { cpu: '200m', memory: '64Mi' } },
        readiness: { http: '/', port: 'http', periodSeconds: 5 },
        liveness: { tcp: true, port: 'http', periodSeconds: 10, failureThreshold: 6 },
        // As the nginx chart: root master, CHOWN for its cache, SETUID/SETGID to drop workers, :80.
        runtime: { runsAsRoot: true, capabilities: ['CHOWN', 'SETGID', 'SETUID', 'NET_BIND_SERVICE'], writablePaths: ['/var/cache/nginx', '/var/run'] },
      },
      service: { type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: settings.nodePort }] },
      networkPolicy: { ingressFrom: ['anywhere'] },
    });
  }
}
