import { errorsOf } from '../contracts/finding';
import { Chart } from 'cdk8s';
import {
  HostMount,
  NODE_EXPORTER_IMAGE,
  NodeExporterDaemonSet,
  NodeExporterDaemonSetProps,
  WINDOWS_EXPORTER_IMAGE,
} from '../constructs/node-exporter-daemonset';
import { Environment, getEnvironment } from '../environments';
import { NODE_AGENT_ANNOTATION } from '../guardrails/exceptions';
import { monitoringNamespace } from '../charts/node-exporter';
import { checkRendered } from '../synth/check';
import { renderEnvironment } from '../synth/render';
import { find, linuxPools, Manifest, synthObjects, testCluster, windowsPool } from './util/synth';

type Options = Partial<Omit<NodeExporterDaemonSetProps, 'cluster'>> & { pools?: typeof linuxPools };

function exporters(options: Options = {}): Manifest[] {
  const { pools, ...props } = options;
  return synthObjects((chart: Chart) => {
    new NodeExporterDaemonSet(chart, 'exporters', { namespace: 'monitoring', cluster: testCluster(chart, pools), ...props });
  });
}

function refusal(options: Options): string {
  try {
    exporters(options);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
}

const podSpec = (objects: Manifest[], name = 'node-exporter') => find(objects, 'DaemonSet', name).spec.template.spec;
const container = (objects: Manifest[], name = 'node-exporter') => podSpec(objects, name).containers[0];
const textfile: HostMount = { name: 'textfile', hostPath: '/var/lib/node_exporter', mountPath: '/host/textfile', reason: 'metrics written by cron jobs' };

describe('NodeExporterDaemonSet', () => {
  test("renders the book's DaemonSet: node-exporter, app: node-exporter, :9100 on the host", () => {
    const objects = exporters();
    const ds = find(objects, 'DaemonSet', 'node-exporter');
    expect(ds.metadata.namespace).toBe('monitoring');
    expect(ds.spec.selector.matchLabels).toEqual({ app: 'node-exporter' });
    expect(ds.spec.template.metadata.labels.app).toBe('node-exporter');
    const spec = podSpec(objects);
    expect(spec.hostNetwork).toBe(true);
    expect(spec.hostPID).toBe(true);
    expect(container(objects).ports).toEqual([{ name: 'metrics', containerPort: 9100, hostPort: 9100, protocol: 'TCP' }]);
    expect(container(objects).image).toBe(NODE_EXPORTER_IMAGE);
  });

  test('runs on every Linux node, control planes included, and never on Windows', () => {
    const spec = podSpec(exporters());
    expect(spec.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(spec.os).toEqual({ name: 'linux' });
    // Every taint (control planes, NoExecute pressure taints); the OS selector keeps it off Windows.
    expect(spec.tolerations).toEqual([{ operator: 'Exists' }]);
  });

  test('tolerates taints of pools added later (GPU, dedicated), since an agent belongs on every node', () => {
    const gpu = { ...linuxPools[0], name: 'gpu', taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' as const }] };
    const spec = podSpec(exporters({ pools: [...linuxPools, gpu] }));
    expect(spec.tolerations).toEqual([{ operator: 'Exists' }]);
  });

  test('mounts /proc, /sys and / read-only at the paths its flags name', () => {
    const objects = exporters();
    const c = container(objects);
    expect(c.volumeMounts).toEqual([
      { name: 'proc', mountPath: '/host/proc', readOnly: true },
      { name: 'sys', mountPath: '/host/sys', readOnly: true },
      { name: 'root', mountPath: '/host/root', readOnly: true, mountPropagation: 'HostToContainer' },
    ]);
    expect(podSpec(objects).volumes.map((v: Manifest) => v.hostPath.path)).toEqual(['/proc', '/sys', '/']);
    expect(c.args).toEqual(
      expect.arrayContaining(['--path.procfs=/host/proc', '--path.sysfs=/host/sys', '--path.rootfs=/host/root', '--path.udev.data=/host/root/run/udev/data']),
    );
    expect(c.args.some((a: string) => a.startsWith('--collector.filesystem.mount-points-exclude='))).toBe(true);
  });

  test('runs as nobody (65534) with a read-only root filesystem and no capabilities', () => {
    const c = container(exporters());
    expect(c.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 65534,
    });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/', port: 'metrics' });
    expect(c.livenessProbe.failureThreshold).toBeGreaterThan(c.readinessProbe.failureThreshold);
  });

  test('declares every host privilege with its reason in the node-agent exception', () => {
    const reason: string = find(exporters(), 'DaemonSet', 'node-exporter').metadata.annotations[NODE_AGENT_ANNOTATION];
    for (const privilege of ['hostNetwork:', 'hostPID:', 'hostPort 9100:', 'hostPath /proc (read-only):', 'hostPath /sys (read-only):', 'hostPath / (read-only):']) {
      expect(reason).toContain(privilege);
    }
  });

  test('a headless Service with scrape annotations selects the pods', () => {
    const svc = find(exporters(), 'Service', 'node-exporter');
    expect(svc.spec).toEqual({ clusterIP: 'None', selector: { app: 'node-exporter' }, ports: [{ name: 'metrics', port: 9100, targetPort: 'metrics', protocol: 'TCP' }] });
    expect(svc.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9100' });
  });

  test('renders its own PriorityClass, not system-node-critical', () => {
    const objects = exporters({ priority: 5000 });
    expect(find(objects, 'PriorityClass', 'node-exporter').value).toBe(5000);
    expect(podSpec(objects).priorityClassName).toBe('node-exporter');
    expect(find(exporters(), 'PriorityClass', 'node-exporter').value).toBe(1_000_000);
  });

  test('nodeSelector narrows the nodes (the book: monitoring: prometheus)', () => {
    expect(podSpec(exporters({ nodeSelector: { monitoring: 'prometheus' } })).nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', monitoring: 'prometheus' });
  });

  test('image, resources and extra args pass through', () => {
    const resources = { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } };
    const c = container(exporters({ image: 'quay.io/prometheus/node-exporter:v1.8.2', resources, extraArgs: ['--no-collector.wifi'] }));
    expect(c.image).toBe('quay.io/prometheus/node-exporter:v1.8.2');
    expect(c.resources).toEqual(resources);
    expect(c.args[c.args.length - 1]).toBe('--no-collector.wifi');
  });

  test('update strategy: RollingUpdate without surge (the host port is taken) or OnDelete', () => {
    expect(find(exporters(), 'DaemonSet', 'node-exporter').spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    expect(find(exporters({ updateStrategy: { type: 'RollingUpdate', maxUnavailable: '25%' } }), 'DaemonSet', 'node-exporter').spec.updateStrategy.rollingUpdate.maxUnavailable).toBe('25%');
    expect(find(exporters({ updateStrategy: { type: 'OnDelete' } }), 'DaemonSet', 'node-exporter').spec.updateStrategy).toEqual({ type: 'OnDelete' });
  });

  test('extra host mounts are read-only and listed in the exception', () => {
    const objects = exporters({ extraHostMounts: [textfile] });
    expect(container(objects).volumeMounts).toContainEqual({ name: 'textfile', mountPath: '/host/textfile', readOnly: true });
    expect(find(objects, 'DaemonSet', 'node-exporter').metadata.annotations[NODE_AGENT_ANNOTATION]).toContain('hostPath /var/lib/node_exporter (read-only): metrics written by cron jobs');
  });

  describe('windows-exporter', () => {
    test('is rendered only when the cluster has Windows pools', () => {
      expect(exporters({ pools: linuxPools }).filter((o) => o.metadata.name === 'windows-exporter')).toEqual([]);
      find(exporters({ pools: [...linuxPools, windowsPool] }), 'DaemonSet', 'windows-exporter');
    });

    test('is a HostProcess pod on the host network, on Windows nodes only, tolerating every taint', () => {
      const objects = exporters({ windows: { image: 'ghcr.io/prometheus-community/windows-exporter:0.30.5' } });
      const spec = podSpec(objects, 'windows-exporter');
      expect(spec.securityContext).toEqual({ windowsOptions: { hostProcess: true, runAsUserName: 'NT AUTHORITY\\system' } });
      expect(spec.hostNetwork).toBe(true);
      expect(spec.nodeSelector).toEqual({ 'kubernetes.io/os': 'windows' });
      expect(spec.tolerations).toEqual([{ operator: 'Exists' }]);
      expect(spec.containers[0].image).toBe('ghcr.io/prometheus-community/windows-exporter:0.30.5');
      expect(spec.containers[0].ports).toEqual([{ name: 'metrics', containerPort: 9182, hostPort: 9182, protocol: 'TCP' }]);
      expect(spec.initContainers[0].args.join(' ')).toContain('-LocalPort 9182');
      expect(find(objects, 'Service', 'windows-exporter').spec.ports[0].port).toBe(9182);
      expect(find(objects, 'DaemonSet', 'windows-exporter').metadata.annotations[NODE_AGENT_ANNOTATION]).toContain('hostProcess');
    });

    test('defaults to the pinned image and passes resources through', () => {
      const resources = { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } };
      const c = container(exporters({ windows: { resources } }), 'windows-exporter');
      expect(c.image).toBe(WINDOWS_EXPORTER_IMAGE);
      expect(c.resources).toEqual(resources);
    });
  });

  describe('refuses', () => {
    test('a moving or missing image tag', () => {
      expect(refusal({ image: 'quay.io/prometheus/node-exporter:latest' })).toMatch(/exporters: image: .*"latest"/);
      expect(refusal({ image: 'quay.io/prometheus/node-exporter' })).toMatch(/image: .* is not a pinned reference/);
      expect(refusal({ windows: { image: 'ghcr.io/prometheus-community/windows-exporter:latest' } })).toMatch(/windows\.image: /);
    });

    test('a writable host mount', () => {
      expect(refusal({ extraHostMounts: [{ ...textfile, readOnly: false }] })).toBe(
        'test/exporters: extraHostMounts[0].readOnly: host path /var/lib/node_exporter is mounted writable, so a compromised exporter could change the node. Fix: drop readOnly: false; an exporter only reads the host',
      );
    });

    test('host mounts with relative paths, no reason, or a taken name or path', () => {
      expect(refusal({ extraHostMounts: [{ ...textfile, hostPath: 'var/lib' }] })).toMatch(/extraHostMounts\[0\]: .* absolute paths/);
      expect(refusal({ extraHostMounts: [{ ...textfile, reason: ' ' }] })).toMatch(/extraHostMounts\[0\]\.reason: /);
      expect(refusal({ extraHostMounts: [{ ...textfile, mountPath: '/host/proc' }] })).toMatch(/extraHostMounts\[0\]: .* already in use/);
      expect(refusal({ extraHostMounts: [textfile, { ...textfile, mountPath: '/other' }] })).toMatch(/extraHostMounts\[1\]: volume "textfile"/);
    });

    test('a rolling update that can never replace a pod', () => {
      expect(refusal({ updateStrategy: { type: 'RollingUpdate', maxUnavailable: 0 } })).toMatch(/updateStrategy\.maxUnavailable: 0 is not a positive count/);
      expect(refusal({ updateStrategy: { type: 'RollingUpdate', maxUnavailable: '0%' } })).toMatch(/updateStrategy\.maxUnavailable: "0%"/);
    });

    test('a priority outside the user-defined range', () => {
      expect(refusal({ priority: 2_000_001_000 })).toMatch(/priority: 2000001000 is outside 1-1000000000/);
      expect(refusal({ priority: 0 })).toMatch(/priority: 0 /);
    });

    test('extra args that fight the mounts or the host port', () => {
      expect(refusal({ extraArgs: ['--path.rootfs=/'] })).toMatch(/extraArgs: "--path.rootfs=\/" overrides/);
      expect(refusal({ extraArgs: ['--web.listen-address=:9101'] })).toMatch(/extraArgs: /);
    });

    test('a nodeSelector that contradicts Linux', () => {
      expect(refusal({ nodeSelector: { 'kubernetes.io/os': 'windows' } })).toMatch(/scheduling\.nodeSelector\["kubernetes.io\/os"\]/);
    });
  });
});

describe('node-exporter chart', () => {
  const [dev, prod, edge] = ['dev', 'prod', 'edge'].map(getEnvironment);
  const rendered = new Map<string, ReturnType<typeof renderEnvironment>>();
  const render = (env: Environment) => rendered.get(env.name) ?? rendered.set(env.name, renderEnvironment(env)).get(env.name)!;
  const file = (env: Environment) => render(env).files.find((f) => f.name === 'node-exporter.yaml')!;

  test('windows-exporter exists in prod (Windows pool) and not in dev', () => {
    const names = (env: Environment) => file(env).objects.filter((o) => o.kind === 'DaemonSet').map((o) => (o.metadata as Manifest).name);
    expect(names(prod)).toEqual(['node-exporter', 'windows-exporter']);
    expect(names(dev)).toEqual(['node-exporter']);
  });

  test('the monitoring namespace is privileged, with its reason', () => {
    const ns = render(prod).files.find((f) => f.name === '00-namespaces.yaml')!.objects.find((o) => o.kind === 'Namespace' && (o.metadata as Manifest).name === 'monitoring') as Manifest;
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(ns.metadata.annotations['k8s-book-systems.io/pod-security-reason']).toMatch(/hostNetwork, hostPID/);
  });

  // 'm' = millicores; Mi/Gi = mebibytes. Enough for the quantities used here.
  const quantity = (q: string) => parseFloat(q) * (q.endsWith('m') ? 0.001 : q.endsWith('Gi') ? 1024 : 1);

  test.each([dev, prod, edge])('the monitoring quota has room for every exporter pod with all pools at max size in $name', (env) => {
    const controlPlanes = env.provider.kind === 'aws-kubeadm' ? env.provider.controlPlane.count : 0;
    const maxNodes = (os: string) => env.nodePools.filter((p) => p.os === os).reduce((n, p) => n + p.max, os === 'linux' ? controlPlanes : 0);
    const pods = file(env).objects.filter((o) => o.kind === 'DaemonSet').map((o) => {
      const spec = (o as Manifest).spec.template.spec;
      return { nodes: maxNodes(spec.os.name), resources: spec.containers[0].resources };
    });
    const q = monitoringNamespace.quota;
    const total = (get: (r: Manifest) => string) => pods.reduce((sum, p) => sum + p.nodes * quantity(get(p.resources)), 0);
    expect(pods.reduce((n, p) => n + p.nodes, 0)).toBeLessThanOrEqual(q.pods);
    expect(total((r) => r.requests.cpu)).toBeLessThanOrEqual(quantity(q.requestsCpu));
    expect(total((r) => r.limits.cpu)).toBeLessThanOrEqual(quantity(q.limitsCpu));
    expect(total((r) => r.requests.memory)).toBeLessThanOrEqual(quantity(q.requestsMemory));
    expect(total((r) => r.limits.memory)).toBeLessThanOrEqual(quantity(q.limitsMemory));
  });

  test.each([dev, prod, edge])('passes the guardrails in $name', (env) => {
    const found = checkRendered(render(env)).filter((f) => f.file.endsWith('/node-exporter.yaml'));
    expect(errorsOf(found)).toEqual([]);
    // What `kubectl apply` warns: the monitoring namespace enforces privileged but warns at restricted
    // (the hardening rules' warnings come on top: reported, not refused).
    expect(found.some((f) => f.rule === 'pod-security' && f.severity === 'warning')).toBe(true);
  });
});
