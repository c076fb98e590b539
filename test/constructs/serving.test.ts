/**
 * constructs/serving.ts: Services, PodDisruptionBudgets and NetworkPolicies written out by hand as
 * the API server reads them (ports by name and protocol, NodePort range 30000-32767, PDB policy/v1,
 * NetworkPolicy policyTypes and peers), and every refusal's exact text.
 */
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ContainerPort } from '../../constructs/pod-template';
import { refuseRepeatedServicePorts, renderDisruptionBudget, renderNetworkPolicy, renderService, ServiceOptions } from '../../constructs/serving';
import { refusal } from './support';

const owner = {
  namespace: 'shop',
  labels: { app: 'web', team: 'a' },
  selector: { app: 'web' },
};
const cports: ContainerPort[] = [
  { name: 'http', containerPort: 8080 },
  { name: 'dns', containerPort: 5353, protocol: 'UDP' },
];

function build(run: (scope: Construct) => void, app = new App({ outdir: 'unused' })): any[] {
  const chart = new Chart(app, 'test');
  run(new Construct(chart, 'web'));
  return chart.toJson();
}
const service = (svc: ServiceOptions, extra?: Parameters<typeof renderService>[4], app?: App) =>
  build((s) => renderService(s, 'Service', { ...owner, name: 'web', containerPorts: cports, field: 'service' }, svc, extra), app);
const refusedService = (svc: ServiceOptions, app?: App) => refusal(() => service(svc, undefined, app));

describe('refuseRepeatedServicePorts', () => {
  const check = (ports: Parameters<typeof refuseRepeatedServicePorts>[2]) => build((s) => refuseRepeatedServicePorts(s, 'service.ports', ports));
  test('distinct names and port/protocol pairs pass; one port number over TCP and UDP is two ports', () => {
    expect(() => check([{ name: 'dns-tcp', port: 53 }, { name: 'dns-udp', port: 53, protocol: 'UDP' }, { port: 80 }, { port: 81 }])).not.toThrow();
    expect(() => check([{ name: 'a', port: 53, protocol: 'UDP' }, { name: 'b', port: 53, protocol: 'TCP' }])).not.toThrow();
  });
  test.each(['HTTP', '-http', 'http-', 'web_http', 'a'.repeat(64), ''])('refuses the port name %j', (name) => {
    expect(refusal(() => check([{ name, port: 80 }]))).toBe(`test/web: service.ports[0].name: "${name}" is not a lowercase RFC 1123 label. Fix: use lowercase letters, digits and "-", e.g. "http"`);
  });
  test('the index of the offending port', () => {
    expect(refusal(() => check([{ name: 'ok', port: 1 }, { name: 'Bad', port: 2 }]))).toMatch(/^test\/web: service\.ports\[1\]\.name: "Bad"/);
  });
  test.each(['a', '9', 'a'.repeat(63), 'web-http'])('accepts the port name %j', (name) => {
    expect(() => check([{ name, port: 80 }])).not.toThrow();
  });
  test('refuses a repeated name', () => {
    expect(refusal(() => check([{ name: 'http', port: 80 }, { name: 'http', port: 81 }]))).toBe(
      'test/web: service.ports[http].name: port name "http" is used twice. Fix: give each Service port its own name',
    );
  });
  test('refuses a repeated port/protocol pair, TCP by default', () => {
    expect(refusal(() => check([{ name: 'a', port: 80 }, { name: 'b', port: 80, protocol: 'TCP' }]))).toBe(
      'test/web: service.ports[b].port: port 80/TCP is declared twice. Fix: remove the duplicate or pick another port',
    );
    expect(refusal(() => check([{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'UDP' }]))).toBe(
      'test/web: service.ports[1].port: port 53/UDP is declared twice. Fix: remove the duplicate or pick another port',
    );
    expect(refusal(() => check([{ port: 1 }, { port: 53, protocol: 'TCP' }, { port: 53 }]))).toMatch(/ports\[2\]\.port: port 53\/TCP is declared twice/);
  });
});

describe('renderService', () => {
  test('a ClusterIP Service selecting the owner pods, ports targeting container ports by name', () => {
    const [svc] = service({ ports: [{ name: 'http', port: 80 }, { name: 'dns', port: 53 }, { name: 'web', port: 8080, targetPort: 'http' }] });
    expect(svc).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'shop', labels: { app: 'web', team: 'a' } },
      spec: {
        type: 'ClusterIP',
        selector: { app: 'web' },
        ports: [
          { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
          { name: 'dns', port: 53, targetPort: 'dns', protocol: 'UDP' },
          { name: 'web', port: 8080, targetPort: 'http', protocol: 'TCP' },
        ],
      },
    });
  });

  test('name, annotations, headless extra spec', () => {
    const [svc] = service(
      { name: 'web-headless', ports: [{ name: 'http', port: 80 }], annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' } },
      { clusterIP: 'None', publishNotReadyAddresses: true },
    );
    expect(svc.metadata).toEqual({
      name: 'web-headless',
      namespace: 'shop',
      labels: { app: 'web', team: 'a' },
      annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' },
    });
    expect(svc.spec).toEqual({
      type: 'ClusterIP',
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      selector: { app: 'web' },
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    });
  });

  test('a NodePort Service with explicit node ports', () => {
    const [svc] = service({ type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: 30080 }] });
    expect(svc.spec).toEqual({ type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', nodePort: 30080 }] });
  });

  test('a LoadBalancer Service', () => {
    expect(service({ type: 'LoadBalancer', ports: [{ name: 'http', port: 80 }] })[0].spec.type).toBe('LoadBalancer');
  });

  test('refuses a Service without ports', () => {
    expect(refusedService({ ports: [] })).toBe('test/web: service.ports: the Service exposes no port. Fix: list at least one port');
  });

  test('refuses a target that is no container port, listing them (or none)', () => {
    expect(refusedService({ ports: [{ name: 'metrics', port: 9090 }] })).toBe(
      'test/web: service.ports[metrics].targetPort: "metrics" is not a container port name (http, dns). Fix: target a named container port',
    );
    expect(refusal(() => build((s) => renderService(s, 'Service', { ...owner, name: 'web', containerPorts: [], field: 'services[1]' }, { ports: [{ name: 'http', port: 80, targetPort: 'web' }] })))).toBe(
      'test/web: services[1].ports[http].targetPort: "web" is not a container port name (none). Fix: target a named container port',
    );
  });

  test('refuses a NodePort Service port without a nodePort', () => {
    expect(refusedService({ type: 'NodePort', ports: [{ name: 'http', port: 80 }] })).toBe(
      'test/web: service.ports[http].nodePort: a NodePort Service needs an explicit nodePort (firewall rules and bookmarks depend on it). Fix: pick a free port in 30000-32767',
    );
  });

  test('refuses a nodePort out of range or reused in the environment', () => {
    expect(refusedService({ type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: 8080 }] })).toBe(
      'test/web: service.ports[http].nodePort: nodePort 8080 is outside 30000-32767. Fix: pick a port in 30000-32767',
    );
    const app = new App({ outdir: 'unused' });
    service({ type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: 30080 }] }, undefined, app);
    const chart = new Chart(app, 'other');
    expect(refusal(() => renderService(new Construct(chart, 'api'), 'Service', { ...owner, name: 'api', containerPorts: cports, field: 'service' }, { type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: 30080 }] }))).toBe(
      'other/api: service.ports[http].nodePort: nodePort 30080 is already used by test/web service.ports[http].nodePort. Fix: give every NodePort Service port its own nodePort',
    );
  });

  test.each(['ClusterIP', 'LoadBalancer', undefined] as const)('refuses a fixed nodePort on a %s Service', (type) => {
    expect(refusedService({ type, ports: [{ name: 'http', port: 80, nodePort: 30080 }] })).toBe(
      `test/web: service.ports[http].nodePort: a ${type ?? 'ClusterIP'} Service does not take a fixed nodePort here. Fix: set service.type: 'NodePort' or drop nodePort`,
    );
  });

  test('refuses Service ports repeating a port/protocol', () => {
    expect(refusedService({ ports: [{ name: 'a', port: 80, targetPort: 'http' }, { name: 'b', port: 80, targetPort: 'http' }] })).toBe(
      'test/web: service.ports[b].port: port 80/TCP is declared twice. Fix: remove the duplicate or pick another port',
    );
    // The protocol comes from the container port: 53/UDP and 53/TCP are two ports.
    expect(() => service({ ports: [{ name: 'dns', port: 53 }, { name: 'dns-tcp', port: 53, targetPort: 'http' }] })).not.toThrow();
  });
});

describe('renderDisruptionBudget', () => {
  const pdb = (budget: Parameters<typeof renderDisruptionBudget>[2], floor: number) => build((s) => renderDisruptionBudget(s, { ...owner, name: 'web' }, budget, floor));
  test('maxUnavailable 1', () => {
    expect(pdb({ maxUnavailable: 1 }, 3)).toEqual([
      {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: 'web', namespace: 'shop', labels: { app: 'web', team: 'a' } },
        spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } },
      },
    ]);
  });
  test('minAvailable just below the floor', () => {
    expect(pdb({ minAvailable: 2 }, 3)[0].spec).toEqual({ minAvailable: 2, selector: { matchLabels: { app: 'web' } } });
  });
  test('refuses minAvailable at or above the floor', () => {
    expect(refusal(() => pdb({ minAvailable: 3 }, 3))).toBe(
      'test/web: disruptionBudget.minAvailable: 3 of 3 pods must stay up, so no node can ever be drained. Fix: use maxUnavailable: 1 or minAvailable below 3',
    );
    expect(refusal(() => pdb({ minAvailable: 4 }, 3))).toMatch(/^test\/web: disruptionBudget.minAvailable: 4 of 3 pods/);
  });
  test('refuses maxUnavailable below 1', () => {
    expect(refusal(() => pdb({ maxUnavailable: 0 }, 3))).toBe(
      'test/web: disruptionBudget.maxUnavailable: 0 blocks every voluntary eviction, so no node can ever be drained. Fix: use maxUnavailable: 1',
    );
  });
});

describe('renderNetworkPolicy', () => {
  const np = (opts: Parameters<typeof renderNetworkPolicy>[2], mesh?: Parameters<typeof renderNetworkPolicy>[3]) =>
    build((s) => renderNetworkPolicy(s, { ...owner, name: 'web', containerPorts: cports }, opts, mesh))[0];

  test('ingress only: the container ports by name and protocol', () => {
    expect(np({ ingressFrom: ['same-namespace', 'cluster'] })).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'web', namespace: 'shop', labels: { app: 'web', team: 'a' } },
      spec: {
        podSelector: { matchLabels: { app: 'web' } },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [{ podSelector: {} }, { namespaceSelector: {} }],
            ports: [
              { port: 'http', protocol: 'TCP' },
              { port: 'dns', protocol: 'UDP' },
            ],
          },
        ],
      },
    });
  });

  test('egress rules render their peers and ports, TCP by default', () => {
    const spec = np({
      ingressFrom: ['anywhere'],
      egressTo: [
        { to: { cidr: '10.0.0.0/8' }, ports: [{ port: 5432 }, { port: 53, protocol: 'UDP' }] },
        { to: { podLabels: { app: 'db' }, namespace: 'data' }, ports: [{ port: 3306, protocol: 'TCP' }] },
      ],
    }).spec;
    expect(spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(spec.ingress[0].from).toEqual([{ ipBlock: { cidr: '0.0.0.0/0' } }]);
    expect(spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ port: 5432, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] },
      {
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'data' } }, podSelector: { matchLabels: { app: 'db' } } }],
        ports: [{ port: 3306, protocol: 'TCP' }],
      },
    ]);
  });

  test('an empty egress list still declares Egress: the pods may open no connection', () => {
    const spec = np({ ingressFrom: ['same-namespace'], egressTo: [] }).spec;
    expect(spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(spec.egress).toEqual([]);
  });

  test('meshed pods may reach their control plane: istiod on 15012, Linkerd on 8080/8086/8090', () => {
    expect(np({ ingressFrom: ['same-namespace'] }, 'istio').spec).toEqual({
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 'http', protocol: 'TCP' }, { port: 'dns', protocol: 'UDP' }] }],
      egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } } }], ports: [{ port: 15012, protocol: 'TCP' }] }],
    });
    expect(np({ ingressFrom: ['same-namespace'], egressTo: [{ to: 'cluster', ports: [{ port: 443 }] }] }, 'linkerd').spec.egress).toEqual([
      { to: [{ namespaceSelector: {} }], ports: [{ port: 443, protocol: 'TCP' }] },
      {
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'linkerd' } } }],
        ports: [
          { port: 8080, protocol: 'TCP' },
          { port: 8086, protocol: 'TCP' },
          { port: 8090, protocol: 'TCP' },
        ],
      },
    ]);
    expect(np({ ingressFrom: ['same-namespace'] }, 'none').spec.policyTypes).toEqual(['Ingress']);
  });

  test('refuses a policy nobody may reach', () => {
    expect(refusal(() => np({ ingressFrom: [] }))).toBe(
      'test/web: networkPolicy.ingressFrom: no peer may reach the app, so its Service is dead. Fix: list who may connect, e.g. same-namespace',
    );
  });
});
