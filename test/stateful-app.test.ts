import { errorsOf } from '../contracts/finding';
import { StatefulApp, StatefulAppProps } from '../constructs/stateful-app';
import { ContainerProps } from '../constructs/pod-template';
import { validateManifests } from '../guardrails/validate';
import { find, linuxPools, Manifest, synthObjects, testCluster } from './util/synth';

const minio: ContainerProps = {
  name: 'minio',
  image: 'minio/minio:RELEASE.2025-04-22T22-12-26Z',
  args: ['server', 'http://minio-{0...3}.minio.storage.svc.cluster.local/data'],
  ports: [{ name: 'minio', containerPort: 9000 }],
  env: [{ name: 'MINIO_ROOT_PASSWORD', valueFrom: { secretKeyRef: { name: 'minio-credentials', key: 'root-password' } } }],
  resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } },
  readiness: { http: '/minio/health/ready', port: 'minio', periodSeconds: 10 },
  liveness: { http: '/minio/health/live', port: 'minio', initialDelaySeconds: 120, periodSeconds: 20 },
  runtime: { runAsUser: 1000, fsGroup: 1000 },
  mounts: [{ volume: 'data', mountPath: '/data' }],
};

type Overrides = Partial<Omit<StatefulAppProps, 'placement'>>;

function build(overrides: Overrides = {}, pools = linuxPools): Manifest[] {
  return synthObjects((chart) => {
    const cluster = testCluster(chart, pools);
    new StatefulApp(chart, 'minio', {
      namespace: 'storage',
      name: 'minio',
      replicas: 4,
      container: minio,
      placement: cluster.place('test/minio', { os: 'linux' }),
      claims: [{ name: 'data', size: '10Gi', storageClassName: 'gp3' }],
      publishNotReadyAddresses: true,
      podManagementPolicy: 'Parallel',
      services: [{ name: 'minio-service', type: 'LoadBalancer', ports: [{ name: 'minio', port: 9000 }] }],
      ...overrides,
    });
  });
}

describe('StatefulApp', () => {
  const objects = build();
  const sts = find(objects, 'StatefulSet', 'minio');

  test('the headless Service comes first, is named like the StatefulSet, and publishes peers before they are ready', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Service/minio',
      'StatefulSet/minio',
      'Service/minio-service',
      'PodDisruptionBudget/minio',
    ]);
    const headless = find(objects, 'Service', 'minio').spec;
    expect(headless.clusterIP).toBe('None');
    expect(headless.publishNotReadyAddresses).toBe(true);
    expect(headless.ports).toEqual([{ name: 'minio', port: 9000, targetPort: 'minio', protocol: 'TCP' }]);
    expect(sts.spec.serviceName).toBe('minio');
  });

  test('one claim per pod from volumeClaimTemplates, kept when the StatefulSet goes', () => {
    expect(sts.spec.replicas).toBe(4);
    expect(sts.spec.podManagementPolicy).toBe('Parallel');
    expect(sts.spec.volumeClaimTemplates).toEqual([
      {
        metadata: { name: 'data', labels: { app: 'minio', 'app.kubernetes.io/name': 'minio' } },
        spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', resources: { requests: { storage: '10Gi' } } },
      },
    ]);
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    const c = sts.spec.template.spec.containers[0];
    expect(c.volumeMounts).toContainEqual({ name: 'data', mountPath: '/data' });
    // The claim template provides the volume: no pod volume of that name.
    expect((sts.spec.template.spec.volumes ?? []).map((v: { name: string }) => v.name)).not.toContain('data');
    expect(sts.spec.template.spec.securityContext.fsGroup).toBe(1000);
  });

  test('liveness and readiness on their own MinIO endpoints', () => {
    const c = sts.spec.template.spec.containers[0];
    expect(c.livenessProbe.httpGet).toEqual({ path: '/minio/health/live', port: 'minio' });
    expect(c.livenessProbe.initialDelaySeconds).toBe(120);
    expect(c.livenessProbe.periodSeconds).toBe(20);
    expect(c.readinessProbe.httpGet).toEqual({ path: '/minio/health/ready', port: 'minio' });
  });

  test('the client LoadBalancer Service selects the same pods', () => {
    const svc = find(objects, 'Service', 'minio-service').spec;
    expect(svc).toEqual({ type: 'LoadBalancer', selector: { app: 'minio' }, ports: [{ name: 'minio', port: 9000, targetPort: 'minio', protocol: 'TCP' }] });
  });

  test('Istio ingress: Gateway minio-gateway on the ingress gateway, VirtualService minio routing / to 9000', () => {
    const meshed = build({ mesh: 'istio', istio: { hosts: ['*'] } });
    const gw = find(meshed, 'Gateway', 'minio-gateway');
    expect(gw.apiVersion).toBe('networking.istio.io/v1');
    expect(gw.spec).toEqual({ selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] });
    expect(find(meshed, 'VirtualService', 'minio').spec).toEqual({
      hosts: ['*'],
      gateways: ['minio-gateway'],
      http: [{ match: [{ uri: { prefix: '/' } }], route: [{ destination: { host: 'minio', port: { number: 9000 } } }] }],
    });
  });

  test('Linkerd: the pods carry the inject annotation', () => {
    const tpl = find(build({ mesh: 'linkerd' }), 'StatefulSet').spec.template.metadata;
    expect(tpl.annotations).toEqual({ 'linkerd.io/inject': 'enabled' });
  });

  test('passes the guardrails', () => {
    expect(errorsOf(validateManifests(objects.map((object) => ({ file: 'test.yaml', object }))))).toEqual([]);
  });

  const refusals: [string, Overrides, RegExp][] = [
    ['no claim', { claims: [] }, /test\/minio: claims: a StatefulApp without a claim keeps no state/],
    ['a claim nobody mounts', { claims: [{ name: 'data', size: '10Gi' }, { name: 'logs', size: '1Gi' }] }, /claims\[logs\]: no container mounts claim "logs"/],
    ['a claim declared twice', { claims: [{ name: 'data', size: '10Gi' }, { name: 'data', size: '1Gi' }] }, /claims\[data\]: claim "data" is declared twice/],
    ['a size without a unit', { claims: [{ name: 'data', size: '10' }] }, /claims\[data\]\.size: "10" is not a storage quantity/],
    ['one replica without nonHa', { replicas: 1 }, /test\/minio: replicas: 1 replicas is not highly available/],
    ['required spread over too few nodes', { hostnameSpread: 'required', replicas: 7 }, /replicas: 7 pods with required hostname anti-affinity can never all schedule on the 6 node/],
    ['a client Service named like the headless one', { services: [{ name: 'minio', ports: [{ name: 'minio', port: 9000 }] }] }, /services\[0\]\.name: "minio" is the headless Service's name/],
    ['Istio routing outside the Istio mesh', { istio: { hosts: ['*'] } }, /test\/minio: istio: an Istio Gateway and VirtualService are set but the pods' mesh is "none"/],
    ['Istio routing to an unknown Service', { mesh: 'istio', istio: { hosts: ['*'], service: 'nope' } }, /istio\.service: "nope" is not a Service of this app/],
    ['a literal credential (the cookbook\'s minio123)', { container: { ...minio, env: [{ name: 'MINIO_SECRET_KEY', value: 'not-a-real-one' }] } }, /env\[MINIO_SECRET_KEY\]: MINIO_SECRET_KEY carries a literal value/],
    ['the Linkerd LABEL', { labels: { 'linkerd.io/inject': 'enabled' } }, /Linkerd reads linkerd\.io\/inject as an ANNOTATION/],
  ];
  test.each(refusals)('refuses %s', (_name, overrides, message) => {
    expect(() => build(overrides)).toThrow(message);
  });

  test('a single database pod is allowed when declared non-HA', () => {
    const one = find(build({ replicas: 1, nonHa: true, services: [] }), 'StatefulSet');
    expect(one.spec.replicas).toBe(1);
  });
});
