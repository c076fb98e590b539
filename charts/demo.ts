import { Construct } from 'constructs';
import { HaWebApp } from '../constructs/ha-web-app';
import { DemoSettings } from '../environments';
import { smallNamespace, WorkloadChart, WorkloadContext } from './context';

/**
 * errm/kubegratulations publishes only `latest`, declares no non-root USER that we know of and
 * serves on :80, so it is declared as root with NET_BIND_SERVICE, which `restricted` refuses
 * (runAsNonRoot). The namespace enforces `baseline` (and still warns/audits `restricted`); move it to
 * `restricted` once the image is mirrored with a numeric non-root USER.
 */
export const demoNamespace = smallNamespace('demo', {
  podSecurity: 'baseline',
  podSecurityReason: 'errm/kubegratulations is not known to run as non-root and binds :80 (runs as root with NET_BIND_SERVICE only)',
});

/** Kubernetes on AWS, ch. 3: `demo`, 3 replicas, requests 100m/100Mi, exposed by a cloud load balancer. */
export class DemoChart extends WorkloadChart {
  constructor(scope: Construct, { cluster, settings }: WorkloadContext<DemoSettings>) {
    super(scope, 'demo');
    cluster.checkServiceType(`${this.node.path}/demo`, settings.serviceType);
    new HaWebApp(this, 'demo', {
      namespace: demoNamespace.name,
      name: 'demo',
      replicas: settings.replicas,
      // errm's images are published for linux/amd64 only.
      placement: cluster.place(`${this.node.path}/demo`, { os: 'linux', arch: 'amd64' }),
      container: {
        name: 'demo',
        image: 'errm/kubegratulations',
        floatingTagReason: 'errm/kubegratulations is published only as latest',
        ports: [{ name: 'http', containerPort: 80 }],
        resources: { requests: { cpu: '100m', memory: '100Mi' }, limits: { cpu: '200m', memory: '200Mi' } },
        readiness: { http: '/', port: 'http', periodSeconds: 5 },
        liveness: { tcp: true, port: 'http', periodSeconds: 10, failureThreshold: 6 },
        runtime: { runsAsRoot: true, capabilities: ['NET_BIND_SERVICE'], writableRootFilesystem: true },
      },
      service: {
        type: settings.serviceType,
        ports: [{ name: 'http', port: 80, nodePort: settings.nodePort }],
        // The AWS cloud-controller-manager provisions an NLB instead of a Classic ELB.
        annotations: settings.serviceType === 'LoadBalancer' ? { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' } : undefined,
      },
      networkPolicy: { ingressFrom: ['anywhere'] },
    });
  }
}
