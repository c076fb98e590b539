/**
 * NodeExporterDaemonSet edges: the exact DaemonSets, Services and PriorityClass (hostNetwork,
 * hostPID, :9100, read-only /proc /sys / at the --path.* flags, tolerate every taint), the Windows
 * agent only with Windows pools, and every refusal threshold from both sides. Hand-written values.
 */
import { Chart } from 'cdk8s';
import {
  MOUNT_POINTS_EXCLUDE,
  NODE_EXPORTER_IMAGE,
  NODE_EXPORTER_PORT,
  NodeExporterDaemonSet,
  NodeExporterDaemonSetProps,
  TOLERATE_EVERYTHING,
  WINDOWS_EXPORTER_IMAGE,
  WINDOWS_EXPORTER_PORT,
} from '../../constructs/node-exporter-daemonset';
import { linuxPools, synthObjects, testCluster } from '../util/synth';
import { findOne as find } from './support';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;
type Options = Partial<Omit<NodeExporterDaemonSetProps, 'cluster'>> & { linuxOnly?: boolean };

function synth(options: Options = {}): Obj[] {
  const { linuxOnly, ...props } = options;
  return synthObjects((chart: Chart) => {
    new NodeExporterDaemonSet(chart, 'exporters', { namespace: 'monitoring', cluster: testCluster(chart, linuxOnly ? linuxPools : undefined), ...props });
  });
}

function refusal(options: Options): string {
  try {
    synth(options);
  } catch (err) {
    expect((err as Error).name).toBe('ConstructError');
    return (err as Error).message;
  }
  throw new Error('expected a refusal, got none');
}


const EXCLUDE = '^/(dev|proc|sys|run/containerd/.+|var/lib/containerd/.+|var/lib/kubelet/.+|var/snap/microk8s/common/.+)($|/)';
const NE_LABELS = { app: 'node-exporter', 'app.kubernetes.io/name': 'node-exporter', 'app.kubernetes.io/component': 'node-agent' };
const WE_LABELS = { app: 'windows-exporter', 'app.kubernetes.io/name': 'windows-exporter', 'app.kubernetes.io/component': 'node-agent' };
const ARGS = [
  '--path.procfs=/host/proc',
  '--path.sysfs=/host/sys',
  '--path.rootfs=/host/root',
  '--path.udev.data=/host/root/run/udev/data',
  '--web.listen-address=:9100',
  `--collector.filesystem.mount-points-exclude=${EXCLUDE}`,
];

test('exported constants', () => {
  expect([NODE_EXPORTER_PORT, WINDOWS_EXPORTER_PORT]).toEqual([9100, 9182]);
  expect(TOLERATE_EVERYTHING).toEqual({ operator: 'Exists' });
  expect(MOUNT_POINTS_EXCLUDE).toBe(EXCLUDE);
  expect(NODE_EXPORTER_IMAGE).toMatch(/^quay\.io\/prometheus\/node-exporter:v\d+\.\d+\.\d+$/);
  expect(WINDOWS_EXPORTER_IMAGE).toMatch(/^ghcr\.io\/prometheus-community\/windows-exporter:\d+\.\d+\.\d+$/);
});

describe('Linux node-exporter', () => {
  const objects = synth({ linuxOnly: true });
  const ds = find(objects, 'DaemonSet', 'node-exporter');
  const pod = ds.spec.template.spec;
  const c = pod.containers[0];

  test('a Linux-only cluster: PriorityClass, DaemonSet and Service, no Windows agent', () => {
    expect(objects.map((o) => `${o.apiVersion} ${o.kind}/${o.metadata.name}`)).toEqual([
      'scheduling.k8s.io/v1 PriorityClass/node-exporter',
      'apps/v1 DaemonSet/node-exporter',
      'v1 Service/node-exporter',
    ]);
  });

  test('the PriorityClass', () => {
    expect(objects[0]).toEqual({
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: 'node-exporter' },
      value: 1000000,
      globalDefault: false,
      preemptionPolicy: 'PreemptLowerPriority',
      description: 'Per-node metrics exporters: may preempt app pods so that no node goes unmonitored.',
    });
  });

  test('DaemonSet metadata declares every host privilege with its reason', () => {
    expect(ds.metadata).toEqual({
      name: 'node-exporter',
      namespace: 'monitoring',
      labels: NE_LABELS,
      annotations: {
        'guardrails.k8s-book-systems.io/node-agent': [
          "hostNetwork: report the node's own network interfaces and serve metrics on the node address",
          'hostPID: see every process of the node, not only its own',
          'hostPort 9100: one fixed scrape address per node',
          'hostPath /proc (read-only): kernel, CPU, memory and process statistics',
          'hostPath /sys (read-only): hardware, network interface and thermal statistics',
          'hostPath / (read-only): free space of the node filesystems, including ones mounted after the pod started',
        ].join('; '),
      },
    });
  });

  test('DaemonSet spec: no surge, one unavailable, selector {app}', () => {
    const { template, ...spec } = ds.spec;
    expect(spec).toEqual({
      selector: { matchLabels: { app: 'node-exporter' } },
      revisionHistoryLimit: 5,
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
    });
    expect(template.metadata).toEqual({ labels: NE_LABELS });
  });

  test('pod: host network and PID, priority class, every node of the OS whatever its taints', () => {
    expect(pod.hostNetwork).toBe(true);
    expect(pod.hostPID).toBe(true);
    expect(pod.priorityClassName).toBe('node-exporter');
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(pod.os).toEqual({ name: 'linux' });
  });

  test('container: the flags, the host port, probes on /, nobody', () => {
    expect(c.name).toBe('node-exporter');
    expect(c.image).toBe(NODE_EXPORTER_IMAGE);
    expect(c.args).toEqual(ARGS);
    expect(c.ports).toEqual([{ name: 'metrics', containerPort: 9100, hostPort: 9100, protocol: 'TCP' }]);
    expect(c.resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '250m', memory: '180Mi' } });
    expect(c.readinessProbe).toEqual({ httpGet: { path: '/', port: 'metrics' }, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3 });
    expect(c.livenessProbe).toEqual({ httpGet: { path: '/', port: 'metrics' }, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 6 });
    expect(c.securityContext.runAsUser).toBe(65534);
    expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
  });

  test('read-only host mounts of /proc, /sys and / at the flag paths', () => {
    expect(c.volumeMounts).toEqual([
      { name: 'proc', mountPath: '/host/proc', readOnly: true },
      { name: 'sys', mountPath: '/host/sys', readOnly: true },
      { name: 'root', mountPath: '/host/root', readOnly: true, mountPropagation: 'HostToContainer' },
    ]);
    expect(pod.volumes).toEqual([
      { name: 'proc', hostPath: { path: '/proc', type: 'Directory' } },
      { name: 'sys', hostPath: { path: '/sys', type: 'Directory' } },
      { name: 'root', hostPath: { path: '/', type: 'Directory' } },
    ]);
  });

  test('the headless Service Prometheus scrapes once per node', () => {
    expect(find(objects, 'Service', 'node-exporter')).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'node-exporter', namespace: 'monitoring', labels: NE_LABELS, annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9100' } },
      spec: { clusterIP: 'None', selector: { app: 'node-exporter' }, ports: [{ name: 'metrics', port: 9100, targetPort: 'metrics', protocol: 'TCP' }] },
    });
  });
});

describe('Windows exporter, with Windows pools', () => {
  const objects = synth();
  const ds = find(objects, 'DaemonSet', 'windows-exporter');
  const pod = ds.spec.template.spec;

  test('rendered after node-exporter', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'PriorityClass/node-exporter',
      'DaemonSet/node-exporter',
      'Service/node-exporter',
      'DaemonSet/windows-exporter',
      'Service/windows-exporter',
    ]);
  });

  test('metadata and reasons', () => {
    expect(ds.metadata).toEqual({
      name: 'windows-exporter',
      namespace: 'monitoring',
      labels: WE_LABELS,
      annotations: {
        'guardrails.k8s-book-systems.io/node-agent': [
          'hostProcess as NT AUTHORITY\\system: Windows has no read-only /proc; performance counters, WMI and services are read from the host itself',
          'hostNetwork: HostProcess pods always share the node network; serve metrics on the node address',
          'hostPort 9182: one fixed scrape address per node (the init container opens it in Windows Firewall)',
        ].join('; '),
      },
    });
    expect(ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    expect(ds.spec.selector).toEqual({ matchLabels: { app: 'windows-exporter' } });
  });

  test('pod: HostProcess as SYSTEM on the host network, no hostPID, no host mounts', () => {
    expect(pod.hostNetwork).toBe(true);
    expect('hostPID' in pod).toBe(false);
    expect(pod.volumes).toBeUndefined();
    expect(pod.priorityClassName).toBe('node-exporter');
    expect(pod.securityContext).toEqual({ windowsOptions: { hostProcess: true, runAsUserName: 'NT AUTHORITY\\system' } });
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'windows' });
    expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
  });

  test('container and firewall init container', () => {
    const c = pod.containers[0];
    expect(c.name).toBe('windows-exporter');
    expect(c.image).toBe(WINDOWS_EXPORTER_IMAGE);
    expect(c.args).toEqual(['--web.listen-address=:9182']);
    expect(c.ports).toEqual([{ name: 'metrics', containerPort: 9182, hostPort: 9182, protocol: 'TCP' }]);
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/health', port: 'metrics' });
    expect(c.livenessProbe).toEqual({ httpGet: { path: '/health', port: 'metrics' }, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 6 });
    expect(c.volumeMounts).toBeUndefined();
    expect(pod.initContainers).toEqual([
      {
        name: 'configure-firewall',
        image: WINDOWS_EXPORTER_IMAGE,
        command: ['powershell'],
        args: [
          '-NoProfile',
          '-Command',
          "if (-not (Get-NetFirewallRule -DisplayName 'windows-exporter' -ErrorAction SilentlyContinue)) { New-NetFirewallRule -DisplayName 'windows-exporter' -Direction Inbound -Profile Any -Action Allow -Protocol TCP -LocalPort 9182 }",
        ],
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
      },
    ]);
  });

  test('the Service on 9182', () => {
    expect(find(objects, 'Service', 'windows-exporter')).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'windows-exporter', namespace: 'monitoring', labels: WE_LABELS, annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9182' } },
      spec: { clusterIP: 'None', selector: { app: 'windows-exporter' }, ports: [{ name: 'metrics', port: 9182, targetPort: 'metrics', protocol: 'TCP' }] },
    });
  });

  test('windows image and resources of their own', () => {
    const res = { requests: { cpu: '200m', memory: '200Mi' }, limits: { cpu: '1', memory: '400Mi' } };
    const w = find(synth({ windows: { image: 'example/windows-exporter:1.0.0', resources: res } }), 'DaemonSet', 'windows-exporter').spec.template.spec;
    expect(w.containers[0].image).toBe('example/windows-exporter:1.0.0');
    expect(w.containers[0].resources).toEqual(res);
    expect(w.initContainers[0].image).toBe('example/windows-exporter:1.0.0');
    expect(w.initContainers[0].resources).toEqual(res);
    expect(refusal({ windows: { image: 'example/windows-exporter:latest' } })).toMatch(/^test\/exporters: windows\.image: /);
  });
});

describe('options', () => {
  test('image, resources and node selector', () => {
    const res = { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } };
    const objects = synth({ image: 'quay.io/prometheus/node-exporter:v1.8.2', resources: res, nodeSelector: { monitoring: 'prometheus' } });
    const pod = find(objects, 'DaemonSet', 'node-exporter').spec.template.spec;
    expect(pod.containers[0].image).toBe('quay.io/prometheus/node-exporter:v1.8.2');
    expect(pod.containers[0].resources).toEqual(res);
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', monitoring: 'prometheus' });
    expect(find(objects, 'DaemonSet', 'windows-exporter').spec.template.spec.nodeSelector).toEqual({ 'kubernetes.io/os': 'windows', monitoring: 'prometheus' });
    expect(refusal({ image: 'node-exporter' })).toMatch(/^test\/exporters: image: /);
  });

  test('OnDelete and percentage strategies apply to both agents', () => {
    const onDelete = synth({ updateStrategy: { type: 'OnDelete' } });
    for (const name of ['node-exporter', 'windows-exporter']) expect(find(onDelete, 'DaemonSet', name).spec.updateStrategy).toEqual({ type: 'OnDelete' });
    for (const pct of ['1%', '9%', '10%', '99%', '100%']) {
      expect(find(synth({ updateStrategy: { type: 'RollingUpdate', maxUnavailable: pct } }), 'DaemonSet', 'windows-exporter').spec.updateStrategy).toEqual({
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: pct, maxSurge: 0 },
      });
    }
    expect(find(synth({ updateStrategy: { type: 'RollingUpdate', maxUnavailable: 2 } }), 'DaemonSet', 'node-exporter').spec.updateStrategy.rollingUpdate).toEqual({ maxUnavailable: 2, maxSurge: 0 });
  });

  test('priority: 1 and 1000000000 accepted', () => {
    expect(find(synth({ priority: 1 }), 'PriorityClass', 'node-exporter').value).toBe(1);
    expect(find(synth({ priority: 1_000_000_000 }), 'PriorityClass', 'node-exporter').value).toBe(1_000_000_000);
  });

  test('an extra host mount: read-only, after the defaults, named in the reasons', () => {
    const objects = synth({ linuxOnly: true, extraHostMounts: [{ name: 'textfile', hostPath: '/var/lib/node_exporter', mountPath: '/host/textfile', reason: 'metrics written by cron jobs', readOnly: true }] });
    const ds = find(objects, 'DaemonSet', 'node-exporter');
    const pod = ds.spec.template.spec;
    expect(pod.containers[0].volumeMounts[3]).toEqual({ name: 'textfile', mountPath: '/host/textfile', readOnly: true });
    expect(pod.volumes[3]).toEqual({ name: 'textfile', hostPath: { path: '/var/lib/node_exporter', type: 'Directory' } });
    expect(ds.metadata.annotations['guardrails.k8s-book-systems.io/node-agent'].split('; ').pop()).toBe('hostPath /var/lib/node_exporter (read-only): metrics written by cron jobs');
  });

  test('extra args after the defaults; flags merely starting like a fixed one pass', () => {
    const args = ['--no-collector.wifi', '--path.procfsx=/x', '--web.listen-addresses=:1', '--collector.textfile.directory=/host/textfile'];
    expect(find(synth({ extraArgs: args }), 'DaemonSet', 'node-exporter').spec.template.spec.containers[0].args).toEqual([...ARGS, ...args]);
  });
});

describe('refusals', () => {
  const STRATEGY_FIX = "use maxUnavailable: 1, or type: 'OnDelete' to replace pods by hand";

  test('maxUnavailable that could never replace a pod', () => {
    expect(refusal({ updateStrategy: { type: 'RollingUpdate', maxUnavailable: 0 } })).toBe(
      `test/exporters: updateStrategy.maxUnavailable: 0 is not a positive count or percentage; with no surge possible (the host port is taken) the rollout could never replace a pod. Fix: ${STRATEGY_FIX}`,
    );
    expect(refusal({ updateStrategy: { type: 'RollingUpdate', maxUnavailable: '0%' } })).toBe(
      `test/exporters: updateStrategy.maxUnavailable: "0%" is not a positive count or percentage; with no surge possible (the host port is taken) the rollout could never replace a pod. Fix: ${STRATEGY_FIX}`,
    );
    for (const bad of [1.5, -1]) expect(refusal({ updateStrategy: { type: 'RollingUpdate', maxUnavailable: bad } })).toMatch(new RegExp(`^test/exporters: updateStrategy\\.maxUnavailable: ${bad} is not`));
    for (const bad of ['101%', '05%', '10', '%', '1%x', 'x1%', '1000%']) {
      expect(refusal({ updateStrategy: { type: 'RollingUpdate', maxUnavailable: bad } })).toMatch(/^test\/exporters: updateStrategy\.maxUnavailable: "/);
    }
  });

  test('priority outside 1-1000000000', () => {
    for (const bad of [0, 1_000_000_001, 1.5]) {
      expect(refusal({ priority: bad })).toBe(
        `test/exporters: priority: ${bad} is outside 1-1000000000, the range of user-defined PriorityClasses (higher values are the system-* classes, which belong to kube-system). Fix: use a positive integer up to 1000000000; the default 1000000 outranks every app`,
      );
    }
  });

  const mount = { name: 'textfile', hostPath: '/var/lib/node_exporter', mountPath: '/host/textfile', reason: 'metrics written by cron jobs' };

  test('a writable host mount', () => {
    expect(refusal({ extraHostMounts: [{ ...mount, readOnly: false }] })).toBe(
      'test/exporters: extraHostMounts[0].readOnly: host path /var/lib/node_exporter is mounted writable, so a compromised exporter could change the node. Fix: drop readOnly: false; an exporter only reads the host',
    );
  });

  test('relative paths on either side', () => {
    expect(refusal({ extraHostMounts: [{ ...mount, hostPath: 'var/lib/x' }] })).toBe(
      'test/exporters: extraHostMounts[0]: "var/lib/x" -> "/host/textfile" is not a pair of absolute paths. Fix: use absolute paths on both sides',
    );
    expect(refusal({ extraHostMounts: [{ ...mount, mountPath: 'host/textfile' }] })).toBe(
      'test/exporters: extraHostMounts[0]: "/var/lib/node_exporter" -> "host/textfile" is not a pair of absolute paths. Fix: use absolute paths on both sides',
    );
  });

  test('volume names: DNS-1123 labels of at most 63 characters', () => {
    for (const name of ['a', 'a-1', 'a'.repeat(63)]) {
      expect(find(synth({ linuxOnly: true, extraHostMounts: [{ ...mount, name }] }), 'DaemonSet', 'node-exporter').spec.template.spec.volumes[3].name).toBe(name);
    }
    for (const name of ['Text', '-a', 'a-', 'a_b', 'a'.repeat(64), 'x.y']) {
      expect(refusal({ extraHostMounts: [{ ...mount, name }] })).toBe(
        `test/exporters: extraHostMounts[0].name: "${name}" is not a valid volume name. Fix: use a DNS-1123 label: lowercase letters, digits and dashes`,
      );
    }
  });

  test('a mount without a reason', () => {
    expect(refusal({ extraHostMounts: [{ ...mount, reason: '  ' }] })).toBe(
      'test/exporters: extraHostMounts[0].reason: host path /var/lib/node_exporter is mounted without a reason. Fix: say what the exporter reads there',
    );
  });

  test('a repeated name or mount path, default or extra, by index', () => {
    const repeat = (m: typeof mount, i = 0) =>
      `test/exporters: extraHostMounts[${i}]: volume "${m.name}" at ${m.mountPath} repeats a volume name or mount path already in use. Fix: pick another name and mount path`;
    expect(refusal({ extraHostMounts: [{ ...mount, name: 'proc' }] })).toBe(repeat({ ...mount, name: 'proc' }));
    expect(refusal({ extraHostMounts: [{ ...mount, mountPath: '/host/root' }] })).toBe(repeat({ ...mount, mountPath: '/host/root' }));
    const second = { ...mount, name: 'textfile', mountPath: '/host/other' };
    expect(refusal({ extraHostMounts: [mount, second] })).toBe(repeat(second, 1));
    const third = { ...mount, name: 'other', mountPath: '/host/textfile' };
    expect(refusal({ extraHostMounts: [mount, third] })).toBe(repeat(third, 1));
  });

  test('an extra arg overriding a fixed flag', () => {
    for (const arg of ['--path.procfs=/proc', '--path.sysfs=/sys', '--path.rootfs=/', '--path.udev.data=/run/udev/data', '--web.listen-address=:9200', '--path.rootfs']) {
      expect(refusal({ extraArgs: ['--no-collector.wifi', arg] })).toBe(
        `test/exporters: extraArgs: "${arg}" overrides a flag that must match the host mounts and the host port. Fix: drop it; the construct sets the paths and the listen address`,
      );
    }
  });
});
