/**
 * The minimal counterexamples the construct fuzz tests found (shrunk by fast-check, then trimmed by
 * hand): each once synthesized output the guardrails rejected; now each is refused, naming the field.
 */
import { App, Chart } from 'cdk8s';
import { BlueGreenService } from '../../constructs/blue-green-service';
import { HaWebApp, HaWebAppProps } from '../../constructs/ha-web-app';
import { MixedArchCluster } from '../../constructs/mixed-arch-cluster';
import type { ContainerProps } from '../../constructs/pod-template';
import { linuxPools, Manifest, webContainer } from '../util/synth';

const container: ContainerProps = webContainer;
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

describe('construct bugs the fuzz tests found are refused', () => {
  // Output: [readiness-probe] Deployment/shop/web: container "web" serves port 8080 but has no readinessProbe.
  test('HaWebApp without a readiness probe is refused', () => {
    expect(haWebApp({ container: withoutReadiness })).toThrow(/test\/web: readiness: container "web" serves ports but has no readiness probe/);
  });

  // Output: [deployment-selector] spec.selector app=web does not match the template labels app=other,...;
  // [selector-matches-no-pod] on the Service and the PDB.
  test("HaWebApp whose labels override a selector label (labels: { app: 'other' }) is refused", () => {
    expect(haWebApp({ labels: { app: 'other' } })).toThrow(/test\/web: labels\["app"\]: "other" overrides the selector label app=web/);
  });

  // Output: [node-port] nodePort 30080 is already used by Service/shop/web — the API server rejects it too.
  test('HaWebApp NodePort Service with two ports on the same nodePort is refused', () => {
    expect(
      haWebApp({
        service: {
          type: 'NodePort',
          ports: [
            { name: 'http', port: 80, nodePort: 30080 },
            { name: 'http-alt', port: 8080, targetPort: 'http', nodePort: 30080 },
          ],
        },
      }),
    ).toThrow(/service\.ports\[http-alt\]\.nodePort: nodePort 30080 is already used by test\/web service\.ports\[http\]\.nodePort/);
  });

  // Output: [port-names] Service/shop/web: port name "a_b" must be a lowercase RFC 1123 label (FUZZ_SEED=738448127, 1000 runs).
  test('HaWebApp Service port named "a_b" is refused', () => {
    expect(haWebApp({ service: { ports: [{ name: 'a_b', port: 80, targetPort: 'http' }] } })).toThrow(/test\/web: service\.ports\[0\]\.name: "a_b" is not a lowercase RFC 1123 label/);
  });

  // Output: [readiness-probe] Deployment/versions/ver-green: container "web" serves port 8080 but has no readinessProbe.
  test('BlueGreenService slot without a readiness probe is refused', () => {
    expect(blueGreen({ green: withoutReadiness })).toThrow(/test\/ver\/green: readiness: container "web" serves ports but has no readiness probe/);
  });

  // Output: [deployment-selector] on ver-blue and ver-green, [selector-matches-no-pod] on Service/versions/ver.
  test("BlueGreenService whose labels override the app label (labels: { app: 'other' }) is refused", () => {
    expect(blueGreen({ labels: { app: 'other' } })).toThrow(/test\/ver: labels\["app"\]: "other" overrides the selector label app=ver/);
  });

  // Output: [schema] DaemonSet/kube-system/kube-flannel-ds-windows and kube-proxy-windows:
  // .../nodeSelectorTerms/0/matchExpressions/0/values/0 must be string (the build is undefined).
  test('MixedArchCluster with a Windows pool lacking windowsBuild is refused', () => {
    expect(() => {
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
    }).toThrow(/cluster\/cluster: nodePools\[0\]\.windowsBuild: Windows pool "windows" has no build/);
  });
});
