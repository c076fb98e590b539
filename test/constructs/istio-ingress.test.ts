/**
 * constructs/istio-ingress.ts: an Istio Gateway (networking.istio.io/v1) on the shared ingress gateway
 * (selector istio: ingressgateway, server port 80 named http, protocol HTTP) and a VirtualService
 * routing the prefix / to one Service port, written out by hand.
 */
import { IstioIngress, IstioIngressProps, ISTIO_NETWORKING_API } from '../../constructs/istio-ingress';
import { bareScope, refusal } from './support';

function build(overrides: Partial<IstioIngressProps> = {}): { objects: any[]; ingress: IstioIngress } {
  const { chart } = bareScope('unused');
  const ingress = new IstioIngress(chart, 'minio', { namespace: 'minio', name: 'minio', hosts: ['*'], serviceName: 'minio-svc', servicePort: 9000, ...overrides });
  return { objects: chart.toJson(), ingress };
}

test('the API version', () => {
  expect(ISTIO_NETWORKING_API).toBe('networking.istio.io/v1');
});

test('the Gateway and the VirtualService, field by field', () => {
  const { objects, ingress } = build({ hosts: ['minio.example.com', '*.example.org'], labels: { app: 'minio' } });
  expect(ingress.gatewayName).toBe('minio-gateway');
  expect(objects).toEqual([
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'Gateway',
      metadata: { name: 'minio-gateway', namespace: 'minio', labels: { app: 'minio' } },
      spec: {
        selector: { istio: 'ingressgateway' },
        servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['minio.example.com', '*.example.org'] }],
      },
    },
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'minio', namespace: 'minio', labels: { app: 'minio' } },
      spec: {
        hosts: ['minio.example.com', '*.example.org'],
        gateways: ['minio-gateway'],
        http: [{ match: [{ uri: { prefix: '/' } }], route: [{ destination: { host: 'minio-svc', port: { number: 9000 } } }] }],
      },
    },
  ]);
});

test('an explicit gateway name; no labels', () => {
  const { objects, ingress } = build({ gatewayName: 'shared-gw' });
  expect(ingress.gatewayName).toBe('shared-gw');
  expect(objects[0].metadata).toEqual({ name: 'shared-gw', namespace: 'minio' });
  expect(objects[1].metadata).toEqual({ name: 'minio', namespace: 'minio' });
  expect(objects[1].spec.gateways).toEqual(['shared-gw']);
});

test.each(['*', 'a', 'minio.example.com', '*.example.com', 'a-b.c-d.e', 'x1.y2'])('accepts the host %j', (host) => {
  expect(build({ hosts: [host] }).objects[0].spec.servers[0].hosts).toEqual([host]);
});

test.each(['http://minio', 'Minio.example.com', '-a.example.com', 'a-.example.com', 'a..b', 'example.com.', '**', '*.', 'a.*.com', 'a_b', ' a', 'a '])(
  'refuses the host %j',
  (host) => {
    expect(refusal(() => build({ hosts: ['ok.example.com', host] }))).toBe(
      `test/minio: hosts: "${host}" is not a hostname. Fix: use a DNS name such as 'minio.example.com', a wildcard '*.example.com', or '*'`,
    );
  },
);

test('refuses no host', () => {
  expect(refusal(() => build({ hosts: [] }))).toBe(`test/minio: hosts: a Gateway needs at least one host. Fix: list the hostnames, or '*' for any`);
});

test.each([1, 65535, 80])('accepts the service port %d', (servicePort) => {
  expect(build({ servicePort }).objects[1].spec.http[0].route[0].destination.port).toEqual({ number: servicePort });
});

test.each([0, 65536, -1, 80.5])('refuses the service port %d', (servicePort) => {
  expect(refusal(() => build({ servicePort }))).toBe(`test/minio: servicePort: ${servicePort} is not a port number. Fix: use the Service port (1-65535)`);
});
