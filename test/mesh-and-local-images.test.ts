import { App, Chart } from 'cdk8s';
import { HaWebApp } from '../constructs/ha-web-app';
import { MixedArchCluster } from '../constructs/mixed-arch-cluster';
import { AppNamespace } from '../constructs/app-namespace';
import { find, linuxPools, webContainer } from './util/synth';

function cluster(props: { meshes?: ('istio' | 'linkerd')[]; localImages?: boolean } = {}) {
  const chart = new Chart(new App({ outdir: 'unused' }), 'c');
  return { chart, cluster: new MixedArchCluster(chart, 'cluster', { envName: 'local', nodePools: linuxPools, ...props }) };
}

describe('MixedArchCluster: meshes', () => {
  test('a mesh the environment installs is accepted, none always is', () => {
    const { cluster: c } = cluster({ meshes: ['linkerd'] });
    expect(() => c.checkMesh('charts/emojivoto', 'linkerd')).not.toThrow();
    expect(() => c.checkMesh('charts/emojivoto', 'none')).not.toThrow();
  });

  test('a mesh the environment does not install is refused, naming what it installs', () => {
    const { cluster: c } = cluster({ meshes: ['linkerd'] });
    expect(() => c.checkMesh('charts/minio', 'istio')).toThrow(/charts\/minio: mesh: environment "local" does not install istio \(installed: linkerd\)/);
    expect(() => cluster().cluster.checkMesh('charts/emojivoto', 'linkerd')).toThrow(/does not install linkerd \(installed: none\)/);
  });
});

describe('imagePullPolicy: Never', () => {
  const hello = (localImages: boolean) => {
    const { chart, cluster: c } = cluster({ localImages });
    new HaWebApp(chart, 'hello', {
      namespace: 'hello',
      name: 'hello',
      placement: c.place('hello', { os: 'linux' }),
      container: { ...webContainer, image: 'hello:v1', imagePullPolicy: 'Never' },
      service: { ports: [{ name: 'http', port: 80 }] },
    });
    return chart.toJson();
  };

  test('works where the cluster loads images into its nodes (minikube, kind)', () => {
    expect(find(hello(true), 'Deployment').spec.template.spec.containers[0].imagePullPolicy).toBe('Never');
  });

  test('is refused anywhere else', () => {
    expect(() => hello(false)).toThrow(/c\/hello: imagePullPolicy: "Never" runs only an image already loaded into the node/);
  });
});

describe('AppNamespace mesh', () => {
  const ns = (mesh: 'istio' | 'linkerd') => {
    const chart = new Chart(new App({ outdir: 'unused' }), 'n');
    new AppNamespace(chart, 'x', { name: 'x', podSecurity: 'restricted', mesh, quota: { requestsCpu: '1', requestsMemory: '1Gi', limitsCpu: '1', limitsMemory: '1Gi', pods: 1 }, containerDefaults: { cpu: '100m', memory: '64Mi' } });
    return find(chart.toJson(), 'Namespace').metadata;
  };
  test('Istio injection is a namespace LABEL', () => {
    expect(ns('istio').labels['istio-injection']).toBe('enabled');
  });
  test('Linkerd injection is a namespace ANNOTATION, never a label', () => {
    const meta = ns('linkerd');
    expect(meta.annotations['linkerd.io/inject']).toBe('enabled');
    expect(meta.labels['linkerd.io/inject']).toBeUndefined();
  });
});

describe('MixedArchCluster storage', () => {
  test('the EBS CSI driver is refused where there is no AWS cloud provider', () => {
    const chart = new Chart(new App({ outdir: 'unused' }), 's');
    expect(() => new MixedArchCluster(chart, 'cluster', { envName: 'edge', nodePools: linuxPools, storage: { kind: 'aws-ebs-csi', storageClassName: 'gp3', snapshotClassName: 'ebs-csi' } })).toThrow(
      /s\/cluster: storage: the EBS CSI driver provisions EBS volumes, but the cluster has no AWS cloud provider/,
    );
  });
});
