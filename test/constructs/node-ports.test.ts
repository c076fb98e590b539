/** constructs/node-ports.ts: the NodePort range 30000-32767 (kube-apiserver --service-node-port-range default), one owner per port per App. */
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { reserveNodePort } from '../../constructs/node-ports';
import { refusal } from './support';

function scopes(): { a: Construct; b: Construct; app: App } {
  const app = new App({ outdir: 'unused' });
  const chart = new Chart(app, 'env');
  return { app, a: new Construct(chart, 'a'), b: new Construct(chart, 'b') };
}

test.each([30000, 30001, 32766, 32767])('accepts %d', (port) => {
  expect(() => reserveNodePort(scopes().a, 'service.ports[http].nodePort', port)).not.toThrow();
});

test.each([29999, 32768, 0, -30000, 30000.5, Number.NaN])('refuses %d', (port) => {
  expect(refusal(() => reserveNodePort(scopes().a, 'service.ports[http].nodePort', port))).toBe(
    `env/a: service.ports[http].nodePort: nodePort ${port} is outside 30000-32767. Fix: pick a port in 30000-32767`,
  );
});

test('a port is owned once per App: the second claim names the first owner', () => {
  const { a, b } = scopes();
  reserveNodePort(a, 'service.ports[http].nodePort', 30080);
  reserveNodePort(a, 'service.ports[https].nodePort', 30443);
  expect(refusal(() => reserveNodePort(b, 'services[0].ports[web].nodePort', 30080))).toBe(
    'env/b: services[0].ports[web].nodePort: nodePort 30080 is already used by env/a service.ports[http].nodePort. Fix: give every NodePort Service port its own nodePort',
  );
  expect(refusal(() => reserveNodePort(a, 'x', 30443))).toBe('env/a: x: nodePort 30443 is already used by env/a service.ports[https].nodePort. Fix: give every NodePort Service port its own nodePort');
});

test('another App (another environment) may use the same port', () => {
  reserveNodePort(scopes().a, 'f', 31000);
  expect(() => reserveNodePort(scopes().b, 'f', 31000)).not.toThrow();
});

test('constructs of two charts of one App share the registry', () => {
  const app = new App({ outdir: 'unused' });
  reserveNodePort(new Construct(new Chart(app, 'one'), 'x'), 'f', 31001);
  expect(refusal(() => reserveNodePort(new Construct(new Chart(app, 'two'), 'y'), 'g', 31001))).toMatch(/^two\/y: g: nodePort 31001 is already used by one\/x f\./);
});
