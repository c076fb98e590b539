import { Construct } from 'constructs';
import { HaWebApp } from '../constructs/ha-web-app';
import { NumbersSettings } from '../environments';
import { smallNamespace, WorkloadChart, WorkloadContext } from './context';
import { tcpProbes } from './probes';
import { WINDOWS_SERVER_2019, windowsStartup } from './windows';

export const numbersNamespace = smallNamespace('numbers', {
  podSecurity: 'baseline',
  podSecurityReason: 'numbers-api is a Windows pod (restricted has no Windows profile) and numbers-web runs as root on :80',
});

/** Kubernetes in a Month of Lunches, ch. 18: the hybrid app — a Windows API behind ClusterIP, a Linux website on NodePort 30001. */
export class NumbersChart extends WorkloadChart {
  constructor(scope: Construct, { cluster, settings }: WorkloadContext<NumbersSettings>) {
    super(scope, 'numbers');
    const namespace = numbersNamespace.name;
    const web = { app: 'numbers', component: 'web' };
    const api = { app: 'numbers', component: 'api' };
    new HaWebApp(this, 'numbers-api', {
      namespace,
      name: 'numbers-api',
      selectorLabels: api,
      placement: cluster.place(`${this.node.path}/numbers-api`, WINDOWS_SERVER_2019),
      container: {
        name: 'api',
        image: 'kiamol/ch03-numbers-api:windows',
        ports: [{ name: 'http', containerPort: 80 }],
        resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
        startup: windowsStartup('http'),
        ...tcpProbes('http'),
      },
      service: { ports: [{ name: 'http', port: 80 }] },
      networkPolicy: { ingressFrom: [{ podLabels: web }] },
    });
    new HaWebApp(this, 'numbers-web', {
      namespace,
      name: 'numbers-web',
      selectorLabels: web,
      // The book's Linux image; amd64 is the build known to exist.
      placement: cluster.place(`${this.node.path}/numbers-web`, { os: 'linux', arch: 'amd64' }),
      container: {
        name: 'web',
        image: 'kiamol/ch03-numbers-web',
        floatingTagReason: 'kiamol/ch03-numbers-web is published only as latest',
        ports: [{ name: 'http', containerPort: 80 }],
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
        runtime: { runsAsRoot: true, capabilities: ['NET_BIND_SERVICE'], writableRootFilesystem: true },
        ...tcpProbes('http'),
      },
      service: { type: 'NodePort', ports: [{ name: 'http', port: 8090, nodePort: settings.webNodePort }] },
      networkPolicy: { ingressFrom: ['anywhere'], egressTo: [{ to: { podLabels: api }, ports: [{ port: 80 }] }] },
    });
  }
}
