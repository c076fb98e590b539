import { App } from 'cdk8s';
import { ClusterChart } from '../charts/cluster';
import { FLANNEL, KUBE_NETWORK_POLICIES, METRICS_SERVER, NODE_EXPORTER, windowsFlannelImage, windowsKubeProxyImage } from '../contracts/versions';
import { getEnvironment } from '../environments';
import { find, Manifest } from './util/synth';

const prod = getEnvironment('prod');
const objects: Manifest[] = new ClusterChart(new App({ outdir: 'unused' }), prod).toJson();
const images = (name: string) => {
  const spec = find(objects, 'DaemonSet', name).spec.template.spec;
  return [...(spec.initContainers ?? []), ...spec.containers].map((c: Manifest) => c.image as string);
};
const tag = (image: string) => image.slice(image.lastIndexOf(':') + 1);

describe('the one versions table', () => {
  test('the Windows flannel runs the same flannel release as the Linux one', () => {
    const linux = images('kube-flannel-ds').filter((i) => i.includes('/flannel:'));
    const [windows] = images('kube-flannel-ds-windows');
    expect(linux.map(tag)).toEqual([FLANNEL.version, FLANNEL.version]);
    // Oracle: the version written out, not read back from the table.
    expect(tag(windows)).toBe('v0.28.9-hostprocess');
    expect(tag(windows).split('-')[0]).toBe(tag(linux[0]));
    expect(windows).toBe(windowsFlannelImage());
  });

  test("the Windows kube-proxy is the cluster's exact Kubernetes release", () => {
    const [proxy] = images('kube-proxy-windows');
    expect(tag(proxy)).toBe(`v${prod.cluster.kubernetesVersion}-hostprocess`);
    expect(proxy).toBe(windowsKubeProxyImage(prod.cluster.kubernetesVersion));
  });

  test('flannel runs the kube-network-policies release its own chart pins', () => {
    expect(images('kube-flannel-ds')).toContain('registry.k8s.io/networking/kube-network-policies:v1.0.0');
    expect(KUBE_NETWORK_POLICIES.image.endsWith(`:${KUBE_NETWORK_POLICIES.version}`)).toBe(true);
  });

  test('every image of the table is tagged with its version', () => {
    for (const entry of [FLANNEL, METRICS_SERVER, NODE_EXPORTER]) expect(entry.image.endsWith(`:${entry.version}`)).toBe(true);
  });
});
