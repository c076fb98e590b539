import { ApodSettings, Environment, Microk8sCluster } from '../environments';
import { edge } from '../environments/edge';
import { renderEnvironment } from '../synth/render';

const microk8s = (edge.provider as { microk8s: Microk8sCluster }).microk8s;

test('dist/edge: nginx spread over the boards, node-exporter, batch; no flannel, CCM or LoadBalancer', () => {
  const r = renderEnvironment(edge);
  const objects = r.files.flatMap((f) => f.objects) as { kind: string; metadata: { name: string }; spec?: { type?: string } }[];
  const names = objects.map((o) => `${o.kind}/${o.metadata.name}`);
  expect(names).toEqual(expect.arrayContaining(['Deployment/nginx-deployment', 'DaemonSet/node-exporter']));
  expect(names.filter((n) => /flannel|cloud-controller|metrics-server/.test(n))).toEqual([]);
  expect(objects.filter((o) => o.kind === 'Service' && o.spec?.type === 'LoadBalancer')).toEqual([]);
  const nginx = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'nginx-deployment') as unknown as { spec: { replicas: number } };
  expect(nginx.spec.replicas).toBeLessThanOrEqual(microk8s.nodes.length);
});

test('edge refuses calling 2 nodes HA', () => {
  const twoNodes: Environment = { ...edge, provider: { kind: 'microk8s', microk8s: { ...microk8s, nodes: microk8s.nodes.slice(0, 2) } } };
  expect(() => renderEnvironment(twoNodes)).toThrow(/environments\/edge\.ts.*HA/s);
});

test('a workload whose image is not known to run on arm64 is refused on edge, not silently scheduled', () => {
  const withApod: Environment = { ...edge, workloads: { ...edge.workloads, apod: { replicas: 2, webNodePort: 30000 } as ApodSettings } };
  expect(() => renderEnvironment(withApod)).toThrow(/environments\/edge\.ts: workloads\.apod: no node pool of environment "edge" can run linux\/amd64/);
});

test('edge refuses a LoadBalancer Service: nothing on a LAN would provision it', () => {
  const withDemo: Environment = { ...edge, workloads: { ...edge.workloads, demo: { replicas: 3, serviceType: 'LoadBalancer' } } };
  expect(() => renderEnvironment(withDemo)).toThrow(/environments\/edge\.ts: workloads\.demo\.serviceType: environment "edge" has no cloud provider, so a LoadBalancer Service would stay <pending> forever/);
});
