/**
 * Kills the surviving mutants of the constructs/[a-m]*.ts mutation run (reports/mutation/survivors/
 * constructs-a-m.md). Every construct is built inside test(), so Stryker's per-test coverage sees it.
 * Expected values are written by hand (or are upstream Kubernetes / robfig-cron facts).
 */
import { App, Chart } from 'cdk8s';
import { AppNamespace } from '../../constructs/app-namespace';
import { BlueGreenService, BlueGreenServiceProps, Slot, SlotProps } from '../../constructs/blue-green-service';
import { scheduleProblem } from '../../constructs/cron-job';
import { HaWebApp, HaWebAppProps } from '../../constructs/ha-web-app';
import { IstioIngress } from '../../constructs/istio-ingress';
import { Manifest } from '../../constructs/manifest';
import type { Mesh } from '../../constructs/mesh';
import { MixedArchCluster, MixedArchClusterProps } from '../../constructs/mixed-arch-cluster';
import type { NodePoolShape, Placement } from '../../constructs/platform';
import { bareScope, refusal } from './support';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;

const linux: Placement = { platform: { os: 'linux' }, nodeSelector: { 'kubernetes.io/os': 'linux' }, tolerations: [], eligibleNodes: 6, pools: ['p'] };
const RESOURCES = { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } };

describe('app-namespace.ts', () => {
  test('an empty reason on a restricted namespace records no annotation', () => {
    const { chart } = bareScope('unused');
    new AppNamespace(chart, 'ns', {
      name: 'shop',
      podSecurity: 'restricted',
      podSecurityReason: '',
      quota: { requestsCpu: '4', requestsMemory: '8Gi', limitsCpu: '8', limitsMemory: '16Gi', pods: 20 },
      containerDefaults: { cpu: '100m', memory: '128Mi' },
    });
    const ns = chart.toJson().find((o: Obj) => o.kind === 'Namespace');
    expect(ns).toStrictEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'shop',
        labels: {
          'kubernetes.io/metadata.name': 'shop',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
        },
      },
    });
  });
});

describe('blue-green-service.ts', () => {
  const container = (ports: string[]) => ({
    name: 'ver',
    image: 'example/ver:1.0.0',
    ports: ports.map((name, i) => ({ name, containerPort: 8080 + i })),
    resources: RESOURCES,
    readiness: { http: '/ready', port: ports[0] },
    liveness: { http: '/healthz', port: ports[0] },
  });
  const slot = (...ports: string[]): SlotProps => ({ container: container(ports) });
  const build = (overrides: Partial<BlueGreenServiceProps>) => () => {
    const chart = new Chart(new App({ outdir: 'unused' }), 'c');
    new BlueGreenService(chart, 'ver', {
      namespace: 'ns',
      name: 'ver',
      slots: { blue: slot('http'), green: slot('http') },
      active: 'blue',
      placement: linux,
      service: { ports: [{ name: 'http', port: 80 }] },
      ...overrides,
    });
    return chart.toJson();
  };

  test('slots disagreeing on port names: both lists, comma-separated', () => {
    expect(refusal(build({ slots: { blue: slot('http', 'metrics'), green: slot('http', 'metrics', 'admin') } }))).toBe(
      "c/ver: slots.green.container.ports: slot green exposes ports [admin, http, metrics] but the live slot blue exposes [http, metrics], so a switch would break the Service's named targetPorts. Fix: give both slots the same port names",
    );
  });

  test('a targetPort no slot exposes lists the slots’ ports, comma-separated', () => {
    const slots = { blue: slot('http', 'metrics'), green: slot('http', 'metrics') };
    expect(refusal(build({ slots, service: { ports: [{ name: 'web', port: 80, targetPort: 'grpc' }] } }))).toBe(
      'c/ver: service.ports[web].targetPort: "grpc" is not a port both slots expose (http, metrics). Fix: target a named container port of the slots',
    );
  });

  test('a slot without a version has no version key in its pod labels (the rendered object, key by key)', () => {
    const deployments = build({})().filter((o: Obj) => o.kind === 'Deployment');
    expect(deployments.map((d: Obj) => Object.keys(d.spec.template.metadata.labels))).toStrictEqual([
      ['app', 'app.kubernetes.io/name', 'slot'],
      ['app', 'app.kubernetes.io/name', 'slot'],
    ]);
  });

  test('an undefined live slot lists the defined ones, comma-separated (a value outside Slot, as from plain JS)', () => {
    expect(refusal(build({ active: 'red' as Slot }))).toBe('c/ver: active: slot "red" is live but not defined (defined: blue, green). Fix: define slots.red, or set active to a defined slot');
  });
});

describe('cron-job.ts', () => {
  test('a step must be decimal digits only (robfig/cron parses it with strconv.Atoi)', () => {
    for (const step of ['1e1', '0x5', '5.0', '+5']) {
      expect(scheduleProblem(`*/${step} * * * *`)).toBe(`minute "*/${step}" has an invalid step`);
    }
    expect(scheduleProblem('*/5 * * * *')).toBeUndefined();
  });

  test('TZ= is a time zone only as the schedule’s prefix; elsewhere it is a sixth field', () => {
    expect(scheduleProblem('0 0 * * * TZ=UTC')).toBe('it has 6 field(s), not the 5 of minute hour day-of-month month day-of-week');
    expect(scheduleProblem('0 0 * * * CRON_TZ=UTC')).toBe('it has 6 field(s), not the 5 of minute hour day-of-month month day-of-week');
    expect(scheduleProblem(' TZ=UTC 0 0 * * *')).toBe('a time zone inside the schedule is not supported');
  });
});

describe('ha-web-app.ts', () => {
  const container = { name: 'web', image: 'nginxinc/nginx-unprivileged:1.27.3', resources: RESOURCES } as const;
  const placement: Placement = { ...linux, eligibleNodes: 3, pools: ['pool-a', 'pool-b'] };
  const props = (overrides: Partial<HaWebAppProps>): HaWebAppProps => ({ namespace: 'shop', name: 'web', placement, container, ...overrides });

  test('Istio routing with no Service at all is refused as a missing port, not a crash', () => {
    const msg = refusal(() => new HaWebApp(new Chart(new App({ outdir: 'unused' }), 'c'), 'web', props({ mesh: 'istio', istio: { hosts: ['*'] } })));
    expect(msg).toMatch(/^c\/web: istio\.port: .* is not a Service port name\. Fix: name one of service\.ports$/);
  });

  test('the Ingress keeps the annotations given at construction', () => {
    const chart = new Chart(new App({ outdir: 'unused' }), 'c');
    const annotations: Record<string, string> = { 'nginx.ingress.kubernetes.io/proxy-body-size': '8m' };
    const served = { ...container, ports: [{ name: 'http', containerPort: 8080 }], readiness: { http: '/ready', port: 'http' }, liveness: { http: '/healthz', port: 'http' } } as const;
    new HaWebApp(chart, 'web', props({ container: served, service: { ports: [{ name: 'http', port: 80 }] }, ingress: { className: 'nginx', host: 'shop.example.com', annotations } }));
    annotations['added-later'] = 'x';
    const ingress = chart.toJson().find((o: Obj) => o.kind === 'Ingress');
    expect(ingress.metadata.annotations).toStrictEqual({ 'nginx.ingress.kubernetes.io/proxy-body-size': '8m' });
  });

  test('maxSurge and maxUnavailable strings must be percentages (the API server accepts only ^[0-9]+%$)', () => {
    const rolling = (maxSurge: number | string, maxUnavailable: number | string) => () =>
      new HaWebApp(new Chart(new App({ outdir: 'unused' }), 'c'), 'web', props({ strategy: { type: 'RollingUpdate', maxSurge, maxUnavailable } }));
    const FIX = "Fix: use a count such as 1, or a percentage such as '25%'";
    for (const bad of ['-10%', '%0', '50', '5.5%', '25 %', '%']) {
      expect(refusal(rolling(bad, 1))).toBe(`c/web: strategy.maxSurge: "${bad}" is not a percentage. ${FIX}`);
      expect(refusal(rolling(1, bad))).toBe(`c/web: strategy.maxUnavailable: "${bad}" is not a percentage. ${FIX}`);
    }
    for (const good of ['0%', '05%', '25%', '100%', '150%']) expect(() => rolling(good, 1)()).not.toThrow();
  });
});

describe('istio-ingress.ts', () => {
  test('the Gateway and VirtualService keep the labels given at construction', () => {
    const { chart } = bareScope('unused');
    const labels: Record<string, string> = { team: 'storage' };
    new IstioIngress(chart, 'minio', { namespace: 'minio', name: 'minio', hosts: ['*'], serviceName: 'minio', servicePort: 9000, labels });
    labels['added-later'] = 'x';
    const objects = chart.toJson();
    expect(objects.map((o: Obj) => [o.kind, o.metadata.labels])).toStrictEqual([
      ['Gateway', { team: 'storage' }],
      ['VirtualService', { team: 'storage' }],
    ]);
  });
});

describe('manifest.ts', () => {
  test('metadata drops an empty list but keeps a non-empty one (finalizers)', () => {
    const chart = new Chart(new App({ outdir: 'unused' }), 'test');
    const kept = new Manifest(chart, 'kept', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kept', finalizers: ['example.com/keep'] } });
    const dropped = new Manifest(chart, 'dropped', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dropped', finalizers: [] } });
    expect(kept.toJson()).toStrictEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { finalizers: ['example.com/keep'], name: 'kept' } });
    expect(dropped.toJson()).toStrictEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dropped' } });
  });

  test('keys in any insertion order come out sorted; null and undefined dropped; a key named "undefined" kept', () => {
    const chart = new Chart(new App({ outdir: 'unused' }), 'test');
    const data = { z: '1', b: '2', undefined: '3', a: '4', y: null as unknown as string, c: undefined as unknown as string, m: '5', d: '6', aa: '7', B: '8' };
    const m = new Manifest(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'conf' }, data, binaryData: {} });
    expect(JSON.stringify(m.toJson())).toBe(
      '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"conf"},"binaryData":{},"data":{"B":"8","a":"4","aa":"7","b":"2","d":"6","m":"5","undefined":"3","z":"1"}}',
    );
  });
});

describe('mixed-arch-cluster.ts', () => {
  const amd: NodePoolShape = { name: 'linux-amd64', os: 'linux', arch: 'amd64', min: 3, taints: [] };
  const win: NodePoolShape = { name: 'windows-2019', os: 'windows', arch: 'amd64', windowsBuild: '10.0.17763', min: 2, taints: [{ key: 'os', value: 'windows', effect: 'NoSchedule' }] };
  const build = (props: Partial<MixedArchClusterProps>) => () => {
    const chart = new Chart(new App({ outdir: 'unused' }), 'c');
    const cluster = new MixedArchCluster(chart, 'cluster', { envName: 'dev', nodePools: [amd, win], ...props });
    return { cluster, objects: chart.toJson() as Obj[] };
  };
  const flannel = { networking: 'flannel' as const, podCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/12' };
  const images = (objects: Obj[]): string[] => objects.flatMap((o) => (o.spec?.template?.spec?.containers ?? []).map((c: Obj) => c.image));

  test('a mesh check lists every installed mesh, comma-separated (a value outside Mesh, as from plain JS)', () => {
    const { cluster } = build({ meshes: ['linkerd', 'istio'] })();
    expect(refusal(() => cluster.checkMesh('ns/w', 'consul' as Mesh))).toBe(
      "ns/w: mesh: environment \"dev\" does not install consul (installed: istio, linkerd), so the pods would run without a proxy and the mesh's objects would have no controller. Fix: add 'consul' to the environment's meshes, choose one of them, or use mesh: 'none'",
    );
  });

  test('a Linux RuntimeClass selects OS and arch only (the rendered object, key by key)', () => {
    const runtimeClasses = build({})().objects.filter((o) => o.kind === 'RuntimeClass');
    expect(runtimeClasses.map((o) => Object.keys(o.scheduling.nodeSelector))).toStrictEqual([
      ['kubernetes.io/arch', 'kubernetes.io/os'],
      ['kubernetes.io/arch', 'kubernetes.io/os', 'node.kubernetes.io/windows-build'],
    ]);
  });

  test('a Windows build must be exactly 10.0.<build>', () => {
    expect(refusal(build({ nodePools: [amd, { ...win, windowsBuild: 'x10.0.17763' }] }))).toBe(
      "c/cluster: nodePools[1].windowsBuild: Windows pool \"windows-2019\" has no build (got x10.0.17763), so Windows images cannot be matched to it. Fix: set windowsBuild, e.g. '10.0.17763' for Server 2019",
    );
  });

  test('the Windows kube-proxy version: major.minor.patch, any number of digits, nothing after', () => {
    expect(refusal(build({ ...flannel, kubernetesVersion: '1.34.2x' }))).toBe(
      'c/cluster: kubernetesVersion: "1.34.2x" has no patch, but the Windows kube-proxy image is tagged per release. Fix: use the full version, e.g. 1.34.2',
    );
    for (const version of ['1.34.12', '11.27.3']) {
      const tagged = images(build({ ...flannel, kubernetesVersion: version })().objects).filter((i) => i.includes('kube-proxy'));
      expect(tagged).toHaveLength(1);
      expect(tagged[0].endsWith(`/kube-proxy-windows:v${version}-hostprocess`)).toBe(true);
    }
  });

  test('an add-on with no pool to run on is refused under its own construct path', () => {
    const onlyWindows = { nodePools: [win] };
    const CERTS = { nodeNamePattern: '^ip-[0-9-]+$', nodeIpPrefixes: ['10.0.0.0/16'] };
    expect(refusal(build({ ...onlyWindows, kubeletServingCertificates: CERTS }))).toMatch(/^c\/cluster\/kubelet-csr-approver: platform: no node pool of environment "dev" can run /);
    const storage = { kind: 'aws-ebs-csi' as const, storageClassName: 'gp3', snapshotClassName: 'ebs' };
    expect(refusal(build({ ...onlyWindows, cloudProvider: 'aws', kubernetesVersion: '1.34', storage }))).toMatch(/^c\/cluster\/snapshot-controller: platform: no node pool of environment "dev" can run /);
  });
});
