/**
 * Issue 11: each defect found by comparing dist/ with upstream, re-introduced into a copy of what
 * synthesis renders, is refused with its rule id; the committed environments pass.
 */
import { Finding } from '../contracts/finding';
import { checkEnvironment, Layers } from '../cross-layer/checks';
import { Environment } from '../environments';
import { dev } from '../environments/dev';
import { prod } from '../environments/prod';
import { checkTrafficMoves } from '../guardrails/traffic-move';
import { validateManifests } from '../guardrails/validate';
import { renderEnvironment } from '../synth/render';

type Files = NonNullable<Layers['files']>;
type Obj = Record<string, any>;

const rendered = { dev: renderEnvironment(dev), prod: renderEnvironment(prod) };

/** A deep copy of `files` with `edit` applied to the object `kind/name`. */
function broken(files: Files, kind: string, name: string, edit: (o: Obj) => void): Files {
  const copy = JSON.parse(JSON.stringify(files)) as { name: string; objects: Obj[] }[];
  const target = copy.flatMap((f) => f.objects).find((o) => o.kind === kind && o.metadata.name === name);
  if (!target) throw new Error(`no ${kind}/${name}`);
  edit(target);
  return copy;
}

/** Every error of the manifest rules and the cross-layer checks, as `rule object`. */
function errors(env: Environment, files: Files): string[] {
  const docs = files.flatMap((f) => f.objects.map((object) => ({ file: `dist/${env.name}/${f.name}`, object })));
  const all: Finding[] = [...checkEnvironment(env, { files }), ...validateManifests(docs, { kubernetesVersion: env.cluster.kubernetesVersion })];
  return all.filter((f) => f.severity === 'error' && f.rule !== 'node-ports').map((f) => `${f.rule} ${f.object ?? f.file}`);
}

const containerOf = (o: Obj, name: string) => [...o.spec.template.spec.containers, ...(o.spec.template.spec.initContainers ?? [])].find((c: Obj) => c.name === name);

describe('issue 11 defects, re-introduced, are refused with their rule id', () => {
  test('the committed dev and prod have none', () => {
    expect(errors(dev, rendered.dev.files)).toEqual([]);
    expect(errors(prod, rendered.prod.files)).toEqual([]);
  });

  test('1. demo pods running as root in a namespace enforcing restricted: pod-security', () => {
    const files = broken(rendered.dev.files, 'Namespace', 'demo', (ns) => (ns.metadata.labels['pod-security.kubernetes.io/enforce'] = 'restricted'));
    expect(errors(dev, files)).toEqual(['pod-security Deployment/demo/demo']);
  });

  test('2. plain flannel, which enforces no NetworkPolicy: policy-enforcement', () => {
    const files = broken(rendered.dev.files, 'DaemonSet', 'kube-flannel-ds', (ds) => {
      ds.spec.template.spec.containers = ds.spec.template.spec.containers.filter((c: Obj) => c.name !== 'kube-network-policies');
    });
    expect(errors(dev, files)).toEqual(['policy-enforcement environments/dev.ts']);
  });

  test('3. metrics-server with --kubelet-insecure-tls: kubelet-tls', () => {
    const files = broken(rendered.dev.files, 'Deployment', 'metrics-server', (d) => containerOf(d, 'metrics-server').args.push('--kubelet-insecure-tls'));
    expect(errors(dev, files)).toEqual(['kubelet-tls Deployment/kube-system/metrics-server']);
  });

  test('4. a CCM ClusterRole without tokenreviews/subjectaccessreviews create: delegated-auth', () => {
    const files = broken(rendered.dev.files, 'ClusterRole', 'system:cloud-controller-manager', (role) => {
      role.rules = role.rules.filter((r: Obj) => !['tokenreviews', 'subjectaccessreviews'].includes(r.resources[0]));
    });
    expect(errors(dev, files)).toEqual(['delegated-auth RoleBinding/kube-system/cloud-controller-manager:apiserver-authentication-reader']);
  });

  test('5. node-exporter tolerating only the control-plane taint, with a tainted GPU pool: node-agent-coverage', () => {
    const gpu = { ...dev.nodePools[0], name: 'gpu', taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' as const }] };
    const withGpu: Environment = { ...dev, nodePools: [...dev.nodePools, gpu] };
    const files = broken(renderEnvironment(withGpu).files, 'DaemonSet', 'node-exporter', (ds) => {
      ds.spec.template.spec.tolerations = [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }];
    });
    expect(errors(withGpu, files)).toEqual(['node-agent-coverage DaemonSet/monitoring/node-exporter']);
  });

  test('6. Windows flannel lagging the Linux one, kube-proxy of another release: addon-versions', () => {
    let files = broken(rendered.prod.files, 'DaemonSet', 'kube-flannel-ds-windows', (ds) => (ds.spec.template.spec.containers[0].image = 'sigwindowstools/flannel:v0.21.5-hostprocess'));
    files = broken(files, 'DaemonSet', 'kube-proxy-windows', (ds) => (ds.spec.template.spec.containers[0].image = 'sigwindowstools/kube-proxy:v1.33.1-calico-hostprocess'));
    expect(errors(prod, files)).toEqual(['addon-versions DaemonSet/kube-system/kube-flannel-ds-windows', 'addon-versions DaemonSet/kube-system/kube-proxy-windows']);
  });

  test('7. the one-step dev flip: blue-green-flip (test/blue-green-flip.test.ts runs it through synthesis)', () => {
    const flipped = renderEnvironment({ ...dev, workloads: { ...dev.workloads, versions: { ...(dev.workloads.versions as Obj), active: 'green' } as never } });
    const docs = (files: Files) => files.flatMap((f) => f.objects.map((object) => ({ file: f.name, object })));
    expect(checkTrafficMoves(docs(rendered.dev.files), docs(flipped.files)).map((f) => `${f.rule} ${f.object}`)).toEqual(['blue-green-flip Service/versions/ver']);
  });

  test('8. apod-api probes what Spring Boot serves, with a startup probe and room to start (asserted on the chart: no rule can know an image)', () => {
    const api = containerOf(
      rendered.dev.files.flatMap((f) => f.objects as Obj[]).find((o) => o.kind === 'Deployment' && o.metadata.name === 'apod-api')!,
      'api',
    );
    expect(api.startupProbe.httpGet).toEqual({ path: '/actuator/health', port: 'api' });
    expect(api.livenessProbe.httpGet.path).toBe('/actuator/health');
    expect(api.startupProbe.periodSeconds * api.startupProbe.failureThreshold).toBeGreaterThanOrEqual(180);
    expect(api.resources.limits.cpu).toBe('2');
  });
});
