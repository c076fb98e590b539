import { BlueGreenService } from '../constructs/blue-green-service';
import { HaWebApp } from '../constructs/ha-web-app';
import { ContainerProps } from '../constructs/pod-template';
import { linuxPools, synthObjects, testCluster, webContainer } from './util/synth';

/**
 * The API server rejects a Service whose ports repeat a name, or a port with the same protocol
 * (`spec.ports[1].name: Duplicate value`); the constructs refuse both at construction (found by the
 * HaWebApp and BlueGreenService fuzzers once the validator checked port names).
 */
const twice = { ports: [{ name: 'http', port: 80 }, { name: 'http', port: 80 }] };

function haWebApp(service: { ports: { name: string; port: number; targetPort?: string }[] }) {
  return synthObjects((chart) => {
    new HaWebApp(chart, 'web', {
      namespace: 'shop',
      name: 'web',
      placement: testCluster(chart, linuxPools).place('test/web', { os: 'linux' }),
      container: webContainer,
      service,
    });
  });
}

const slot: ContainerProps = {
  name: 'version-server',
  image: 'errm/versions:0.0.1',
  ports: [{ name: 'http', containerPort: 3000 }, { name: 'metrics', containerPort: 9100 }],
  resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '250m', memory: '128Mi' } },
  readiness: { http: '/', port: 'http' },
  liveness: { http: '/', port: 'http', failureThreshold: 6 },
};

function blueGreen(service: { ports: { name: string; port: number; targetPort?: string }[] }) {
  return synthObjects((chart) => {
    new BlueGreenService(chart, 'ver', {
      namespace: 'versions',
      name: 'ver',
      active: 'blue',
      slots: { blue: { container: slot, version: '0.0.1' }, green: { container: slot, version: '0.0.1' } },
      placement: testCluster(chart, linuxPools).place('test/ver', { os: 'linux', arch: 'amd64' }),
      service,
    });
  });
}

test('HaWebApp refuses a Service port name used twice', () => {
  expect(() => haWebApp(twice)).toThrow('test/web: service.ports[http].name: port name "http" is used twice. Fix: give each Service port its own name');
});

test('HaWebApp refuses the same port number twice under different names', () => {
  expect(() => haWebApp({ ports: [{ name: 'http', port: 80 }, { name: 'web', port: 80, targetPort: 'http' }] })).toThrow('service.ports[web].port: port 80/TCP is declared twice');
});

test('BlueGreenService refuses repeated live Service ports', () => {
  expect(() => blueGreen({ ports: [{ name: 'metrics', port: 80, targetPort: 'http' }, { name: 'metrics', port: 81, targetPort: 'metrics' }] })).toThrow(
    'service.ports[metrics].name: port name "metrics" is used twice',
  );
  expect(() => blueGreen({ ports: [{ name: 'http', port: 80 }, { name: 'metrics', port: 80 }] })).toThrow('port 80/TCP is declared twice');
});

test('distinct names and ports are fine', () => {
  const objects = blueGreen({ ports: [{ name: 'http', port: 80 }, { name: 'metrics', port: 9100 }] });
  const live = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'ver')!;
  expect(live.spec.ports.map((p: { name: string; port: number }) => `${p.name}:${p.port}`)).toEqual(['http:80', 'metrics:9100']);
  expect(haWebApp({ ports: [{ name: 'http', port: 80 }] }).some((o) => o.kind === 'Service')).toBe(true);
});
