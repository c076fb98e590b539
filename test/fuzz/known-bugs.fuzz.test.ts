/**
 * The minimal counterexamples the construct fuzz tests found (shrunk by fast-check, then trimmed by
 * hand). Each is `test.failing`: it passes while the construct bug exists, and FAILS once the construct
 * is fixed — then turn it into a plain `test` and drop the matching `knownBugs` entry of the fuzz test.
 */
import { App, Chart } from 'cdk8s';
import { BlueGreenService } from '../../constructs/blue-green-service';
import { HaWebApp, HaWebAppProps } from '../../constructs/ha-web-app';
import { MixedArchCluster } from '../../constructs/mixed-arch-cluster';
import type { ContainerProps } from '../../constructs/pod-template';
import { linuxPools, Manifest } from '../util/synth';
import { checkOutcome } from './harness';

const container: ContainerProps = {
  name: 'web',
  image: 'nginxinc/nginx-unprivileged:1.27.3',
  ports: [{ name: 'http', containerPort: 8080 }],
  resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
  readiness: { http: '/ready', port: 'http' },
  liveness: { http: '/healthz', port: 'http' },
};
const { readiness: _readiness, ...withoutReadiness } = container;

function haWebApp(overrides: Partial<HaWebAppProps>): () => Manifest[] {
  return () => {
    const app = new App({ outdir: 'unused' });
    const cluster = new MixedArchCluster(new Chart(app, 'cluster'), 'cluster', { envName: 'fuzz', nodePools: linuxPools });
    const chart = new Chart(app, 'test');
    new HaWebApp(chart, 'web', { namespace: 'shop', name: 'web', container, placement: cluster.place('test/web', { os: 'linux' }), service: { ports: [{ name: 'http', port: 80 }] }, ...overrides });
    return chart.toJson();
  };
}

function blueGreen(overrides: { labels?: Record<string, string>; green?: ContainerProps }): () => Manifest[] {
  return () => {
    const app = new App({ outdir: 'unused' });
    const cluster = new MixedArchCluster(new Chart(app, 'cluster'), 'cluster', { envName: 'fuzz', nodePools: linuxPools });
    const chart = new Chart(app, 'test');
    new BlueGreenService(chart, 'ver', {
      namespace: 'versions',
      name: 'ver',
      labels: overrides.labels,
      slots: { blue: { container }, green: { container: overrides.green ?? container } },
      active: 'blue',
      placement: cluster.place('test/ver', { os: 'linux' }),
      service: { ports: [{ name: 'http', port: 80 }] },
    });
    return chart.toJson();
  };
}

describe('construct bugs found by the fuzz tests (expected to fail until fixed)', () => {
  // Output: [readiness-probe] Deployment/shop/web: container "web" serves port 8080 but has no readinessProbe.
  test.failing('HaWebApp without a readiness probe is refused', () => {
    checkOutcome(haWebApp({ container: withoutReadiness }));
  });

  // Output: [deployment-selector] spec.selector app=web does not match the template labels app=other,...;
  // [selector-matches-no-pod] on the Service and the PDB.
  test.failing("HaWebApp whose labels override a selector label (labels: { app: 'other' }) is refused or keeps the selector label", () => {
    checkOutcome(haWebApp({ labels: { app: 'other' } }));
  });

  // Output: [node-port] nodePort 30080 is already used by Service/shop/web — the API server rejects it too.
  test.failing('HaWebApp NodePort Service with two ports on the same nodePort is refused', () => {
    checkOutcome(
      haWebApp({
        service: {
          type: 'NodePort',
          ports: [
            { name: 'http', port: 80, nodePort: 30080 },
            { name: 'http-alt', port: 8080, targetPort: 'http', nodePort: 30080 },
          ],
        },
      }),
    );
  });

  // Output: [readiness-probe] Deployment/versions/ver-green: container "web" serves port 8080 but has no readinessProbe.
  test.failing('BlueGreenService slot without a readiness probe is refused', () => {
    checkOutcome(blueGreen({ green: withoutReadiness }));
  });

  // Output: [deployment-selector] on ver-blue and ver-green, [selector-matches-no-pod] on Service/versions/ver.
  test.failing("BlueGreenService whose labels override the app label (labels: { app: 'other' }) is refused or keeps it", () => {
    checkOutcome(blueGreen({ labels: { app: 'other' } }));
  });

  // Output: [schema] DaemonSet/kube-system/kube-flannel-ds-windows and kube-proxy-windows:
  // .../nodeSelectorTerms/0/matchExpressions/0/values/0 must be string (the build is undefined).
  test.failing('MixedArchCluster with a Windows pool lacking windowsBuild is refused', () => {
    checkOutcome(() => {
      const chart = new Chart(new App({ outdir: 'unused' }), 'cluster');
      new MixedArchCluster(chart, 'cluster', {
        envName: 'fuzz',
        nodePools: [{ name: 'windows', os: 'windows', arch: 'amd64', min: 2, taints: [] }],
        networking: 'flannel',
        podCidr: '10.244.0.0/16',
        serviceCidr: '10.96.0.0/12',
        kubernetesVersion: '1.34.2',
      });
      return chart.toJson();
    });
  });
});
