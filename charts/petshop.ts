import { Construct } from 'constructs';
import { HaWebApp } from '../constructs/ha-web-app';
import { PetshopSettings } from '../environments';
import { smallNamespace, WorkloadChart, WorkloadContext } from './context';
import { tcpProbes } from './probes';
import { WINDOWS_SERVER_2019, windowsStartup } from './windows';

export const petshopNamespace = smallNamespace('petshop', {
  podSecurity: 'baseline',
  podSecurityReason: 'all Petshop pods are Windows pods, which the restricted profile does not cover',
  quota: { requestsCpu: '8', requestsMemory: '16Gi', limitsCpu: '16', limitsMemory: '32Gi', pods: 20 },
});

/**
 * The Secret holding `connectionStrings.config`. Its value never enters dist/ or git: Pulumi creates
 * it from the `petshopConnectionString` secret config, or an operator runs
 * `kubectl create secret generic petshop-connection-string-secret -n petshop --from-file=connectionStrings.config`.
 */
export const PETSHOP_CONNECTION_SECRET = 'petshop-connection-string-secret';

const windowsProbes = (port: string) => ({ startup: windowsStartup(port), ...tcpProbes(port, 10) });

/** Kubernetes in a Month of Lunches, ch. 18: Petshop, all on Windows Server 2019 — db, web (30002), webservice (30003). */
export class PetshopChart extends WorkloadChart {
  constructor(scope: Construct, { cluster, settings }: WorkloadContext<PetshopSettings>) {
    super(scope, 'petshop');
    const namespace = petshopNamespace.name;
    const placement = cluster.place(this.node.path, WINDOWS_SERVER_2019);
    const labels = (component: string) => ({ app: 'petshop', component });
    const frontEnds = [{ podLabels: labels('web') }, { podLabels: labels('webservice') }];
    new HaWebApp(this, 'petshop-db', {
      namespace,
      name: 'petshop-db',
      selectorLabels: labels('db'),
      // One SQL Server instance holding its own data: two would be two databases.
      nonHa: true,
      replicas: 1,
      strategy: { type: 'Recreate' },
      placement,
      container: {
        name: 'db',
        image: 'sixeyed/petshop-db:1809',
        ports: [{ name: 'mssql', containerPort: 1433 }],
        resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } },
        ...windowsProbes('mssql'),
      },
      service: { name: 'petshop-db', ports: [{ name: 'mssql', port: 1433 }] },
      networkPolicy: { ingressFrom: frontEnds },
    });
    for (const [component, nodePort] of [
      ['web', settings.webNodePort],
      ['webservice', settings.webserviceNodePort],
    ] as const) {
      const name = `petshop-${component}`;
      new HaWebApp(this, name, {
        namespace,
        name,
        selectorLabels: labels(component),
        placement,
        container: {
          name: component,
          image: `sixeyed/${name}:1809`,
          ports: [{ name: 'http', containerPort: 80 }],
          resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
          secretMounts: [{ secretName: PETSHOP_CONNECTION_SECRET, mountPath: `/${name}/config` }],
          ...windowsProbes('http'),
        },
        service: { name, type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort }] },
        networkPolicy: { ingressFrom: ['anywhere'], egressTo: [{ to: { podLabels: labels('db') }, ports: [{ port: 1433 }] }] },
      });
    }
  }
}
