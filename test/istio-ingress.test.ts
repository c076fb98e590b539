import { IstioIngress, IstioIngressProps } from '../constructs/istio-ingress';
import { istioSchemaErrors } from './util/istio-schema';
import { find, Manifest, synthObjects } from './util/synth';

function build(overrides: Partial<IstioIngressProps> = {}): Manifest[] {
  return synthObjects((chart) => {
    new IstioIngress(chart, 'minio', { namespace: 'minio', name: 'minio', hosts: ['*'], serviceName: 'minio', servicePort: 9000, ...overrides });
  });
}

describe('IstioIngress', () => {
  test('the Gateway and VirtualService match the Istio CRD schemas (@kubernetes-models/istio)', () => {
    const objects = build({ hosts: ['*', 'minio.example.com'] });
    // The second, broken copy shows the oracle can fail.
    const broken = JSON.parse(JSON.stringify(find(objects, 'VirtualService')));
    broken.spec.http[0].route[0].destination.port.number = 'nine-thousand';
    const errors = istioSchemaErrors([...objects, broken]);
    expect(errors.slice(0, 2)).toEqual(['', '']);
    expect(errors[2]).toMatch(/number/);
  });

  test('the cookbook names: Gateway minio-gateway, VirtualService minio bound to it in its own namespace', () => {
    const objects = build();
    expect(find(objects, 'Gateway').metadata).toMatchObject({ name: 'minio-gateway', namespace: 'minio' });
    expect(find(objects, 'VirtualService').spec.gateways).toEqual(['minio-gateway']);
  });

  test.each([
    ['no host', { hosts: [] }, /hosts: a Gateway needs at least one host/],
    ['a malformed host', { hosts: ['http://minio'] }, /hosts: "http:\/\/minio" is not a hostname/],
    ['a port out of range', { servicePort: 0 }, /servicePort: 0 is not a port number/],
  ])('refuses %s', (_name, overrides, message) => {
    expect(() => build(overrides as Partial<IstioIngressProps>)).toThrow(message);
  });
});
