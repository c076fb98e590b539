import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Environment } from '../environments';
import { dev } from '../environments/dev';
import { edge } from '../environments/edge';
import { prod } from '../environments/prod';
import { checkEnvironment as findingsOf, checkSynthesized, Layers } from '../cross-layer/checks';
import { errorsOf, formatFinding } from '../contracts/finding';
import { overlap, parseIpv4Network } from '../contracts/cidr';
import { FirewallRule, securityGroupRules } from '../infra/firewall';
import { renderEnvironment } from '../synth/render';
import { synthesize } from '../synth/synthesize';

const rendered = { dev: renderEnvironment(dev), prod: renderEnvironment(prod), edge: renderEnvironment(edge) };

type Files = NonNullable<Layers['files']>;
type Obj = Record<string, any>;

/** A deep copy of `files` with `edit` applied to the object named `kind/name`. */
function editObject(files: Files, kind: string, name: string, edit: (o: Obj) => void): Files {
  const copy = JSON.parse(JSON.stringify(files)) as { name: string; objects: Obj[] }[];
  const target = copy.flatMap((f) => f.objects).find((o) => o.kind === kind && o.metadata.name === name);
  if (!target) throw new Error(`no ${kind}/${name}`);
  edit(target);
  return copy;
}

/** The cross-layer findings of `env`, one line each as synthesis prints them (policy-enforcement has its own test file). */
function checkEnvironment(env: Environment, layers?: Layers): string[] {
  return findingsOf(env, layers)
    .filter((f) => f.rule !== 'policy-enforcement')
    .map(formatFinding);
}

describe('the committed environments', () => {
  test.each(['dev', 'prod', 'edge'] as const)('%s passes every cross-layer check against its rendered manifests and plan', (name) => {
    // Only warnings remain: prod's Windows pods under flannel's unenforced policies (test/policy-enforcement.test.ts).
    expect(errorsOf(checkSynthesized(rendered[name]))).toEqual([]);
    expect(checkSynthesized(rendered[name]).every((f) => f.rule === 'policy-enforcement')).toBe(true);
  });

  test('the model-only checks pass too', () => {
    for (const env of [dev, prod, edge]) expect(checkEnvironment(env)).toEqual([]);
  });
});

describe('IPv4 CIDRs', () => {
  test('parses networks and refuses host bits or malformed input', () => {
    expect(parseIpv4Network('10.96.0.0/12')).toEqual({ cidr: '10.96.0.0/12', first: 0x0a600000, last: 0x0a6fffff });
    expect(parseIpv4Network('0.0.0.0/0')).toEqual({ cidr: '0.0.0.0/0', first: 0, last: 0xffffffff });
    for (const bad of ['10.0.0.1/16', '10.0.0.0/33', '10.0.0/8', '256.0.0.0/8', '10.0.0.0']) expect(parseIpv4Network(bad)).toBeUndefined();
  });

  test('overlap names the shared addresses, adjacent networks share none', () => {
    const net = (c: string) => parseIpv4Network(c)!;
    expect(overlap(net('10.0.0.0/16'), net('10.0.32.0/20'))).toBe('10.0.32.0-10.0.47.255');
    expect(overlap(net('10.0.0.0/20'), net('10.0.16.0/20'))).toBeUndefined();
    expect(overlap(net('10.96.0.0/12'), net('10.244.0.0/16'))).toBeUndefined();
  });
});

describe('refusals', () => {
  test('flannel Network rendered differently from kubeadm podSubnet is refused naming both sides', () => {
    const files = editObject(rendered.prod.files, 'ConfigMap', 'kube-flannel-cfg', (cm) => {
      cm.data['net-conf.json'] = JSON.stringify({ ...JSON.parse(cm.data['net-conf.json']), Network: '10.245.0.0/16' });
    });
    expect(checkEnvironment(prod, { files })).toEqual([
      'dist/prod/01-cluster.yaml: ConfigMap/kube-system/kube-flannel-cfg: data["net-conf.json"].Network: flannel Network 10.245.0.0/16 ' +
        'differs from kubeadm networking.podSubnet 10.244.0.0/16 (environments/prod.ts cluster.podCidr); nodes would get pod subnets outside the ' +
        'cluster CIDR and cross-node pod traffic would not route; render net-conf.json with renderFlannelNetConf(env.cluster.podCidr) and re-run npm run synth [pod-cidr]',
    ]);
  });

  test('a kubeadm cluster without any flannel net-conf.json is refused', () => {
    const files = rendered.dev.files.map((f) => ({ ...f, objects: f.objects.filter((o) => (o as Obj).metadata.name !== 'kube-flannel-cfg') }));
    expect(checkEnvironment(dev, { files })).toEqual([
      expect.stringMatching(/^environments\/dev\.ts: cluster\.podCidr: kubeadm \(podSubnet 10\.244\.0\.0\/16\) installs no pod network, but the manifests carry no flannel net-conf\.json; .*\[pod-cidr\]$/),
    ]);
  });

  test('workloads whose platform no pool serves are refused, naming the workload and why each pool fails', () => {
    const found = checkEnvironment({ ...prod, nodePools: prod.nodePools.filter((p) => p.os !== 'windows') }, { files: rendered.prod.files });
    expect(found.map((f) => f.replace(/: spec\.template\.spec: needs .*/, ''))).toEqual([
      'dist/prod/01-cluster.yaml: DaemonSet/kube-system/kube-flannel-ds-windows',
      'dist/prod/01-cluster.yaml: DaemonSet/kube-system/kube-proxy-windows',
      'dist/prod/node-exporter.yaml: DaemonSet/monitoring/windows-exporter',
      'dist/prod/numbers.yaml: Deployment/numbers/numbers-api',
      'dist/prod/petshop.yaml: Deployment/petshop/petshop-db',
      'dist/prod/petshop.yaml: Deployment/petshop/petshop-web',
      'dist/prod/petshop.yaml: Deployment/petshop/petshop-webservice',
    ]);
    expect(found[3]).toBe(
      'dist/prod/numbers.yaml: Deployment/numbers/numbers-api: spec.template.spec: needs kubernetes.io/arch=amd64, kubernetes.io/os=windows, ' +
        'node.kubernetes.io/windows-build=10.0.17763, tolerating os=windows:NoSchedule, but no node of environments/prod.ts serves it: ' +
        'pool linux-amd64 (kubernetes.io/os=linux, not windows; no label node.kubernetes.io/windows-build), ' +
        'pool linux-arm64 (kubernetes.io/arch=arm64, not amd64; kubernetes.io/os=linux, not windows; no label node.kubernetes.io/windows-build), ' +
        'control planes (kubernetes.io/os=linux, not windows; no label node.kubernetes.io/windows-build; taint node-role.kubernetes.io/control-plane:NoSchedule not tolerated); ' +
        "add a node pool with those labels and taints to environments/prod.ts, adjust the workload's selector/tolerations, or leave it out there with { omitted: '<why>' } [placement]",
    );
  });

  test('a pool taint the workloads do not tolerate is refused; DaemonSets tolerating the control-plane taint still run there', () => {
    const tainted: Environment = { ...dev, nodePools: [{ ...dev.nodePools[0], taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }] };
    const found = checkEnvironment(tainted, { files: rendered.dev.files });
    expect(found).toContain(
      'dist/dev/nginx.yaml: Deployment/web/nginx-deployment: spec.template.spec: needs kubernetes.io/os=linux, no tolerations, but no node of ' +
        'environments/dev.ts serves it: pool linux-amd64 (taint dedicated=gpu:NoSchedule not tolerated), control planes (taint ' +
        "node-role.kubernetes.io/control-plane:NoSchedule not tolerated); add a node pool with those labels and taints to environments/dev.ts, adjust the workload's selector/tolerations, or leave it out there with { omitted: '<why>' } [placement]",
    );
    // node-exporter, flannel and the cloud-controller-manager tolerate the control-plane taint.
    expect(found.filter((f) => /DaemonSet/.test(f))).toEqual([]);
    // Every other pod template is refused, once: derived from the render, not a count of today's workloads.
    const podTemplates = rendered.dev.files.flatMap((f) =>
      (f.objects as Array<{ kind: string; metadata: { name: string; namespace?: string } }>)
        .filter((o) => ['Deployment', 'StatefulSet', 'Job', 'CronJob', 'ReplicaSet'].includes(o.kind))
        .map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`),
    );
    expect(podTemplates.length).toBeGreaterThan(5);
    expect(found.map((f) => / (\w+\/[\w.-]+\/[\w.-]+): /.exec(f)?.[1]).sort()).toEqual(podTemplates.sort());
  });

  test('a PreferNoSchedule taint only steers, it does not refuse', () => {
    const preferred: Environment = { ...dev, nodePools: [{ ...dev.nodePools[0], taints: [{ key: 'dedicated', value: 'gpu', effect: 'PreferNoSchedule' }] }] };
    expect(checkEnvironment(preferred, { files: rendered.dev.files })).toEqual([]);
  });

  test('a RuntimeClass the environment does not render is refused', () => {
    const files = editObject(rendered.prod.files, 'Deployment', 'numbers-api', (d) => (d.spec.template.spec.runtimeClassName = 'windows-10.0.20348'));
    expect(checkEnvironment(prod, { files })).toEqual([
      'dist/prod/numbers.yaml: Deployment/numbers/numbers-api: spec.template.spec.runtimeClassName: names RuntimeClass "windows-10.0.20348", which the environment does not render; add a node pool of that platform, or drop runtimeClassName [placement]',
    ]);
  });

  test('required hostname anti-affinity: replicas beyond the eligible nodes are refused', () => {
    const shrunk: Environment = { ...dev, nodePools: [{ ...dev.nodePools[0], min: 1 }] };
    expect(checkEnvironment(shrunk, { files: rendered.dev.files })).toEqual([
      'dist/dev/01-cluster.yaml: Deployment/kube-system/metrics-server: spec.replicas: wants 2 replicas, one per node (required podAntiAffinity on ' +
        'kubernetes.io/hostname), but environments/dev.ts guarantees only 1 eligible node(s) (pool linux-amd64: 1; excluded: control planes (taint ' +
        "node-role.kubernetes.io/control-plane:NoSchedule not tolerated)); 1 pod(s) would stay Pending; lower the replicas to 1, raise the eligible pools' min, or make the anti-affinity preferred [anti-affinity]",
      expect.stringMatching(/^dist\/dev\/nginx\.yaml: Deployment\/web\/nginx-deployment: spec\.replicas: wants 2 replicas/),
    ]);
  });

  test('required hostname anti-affinity: a surge rollout with no node to surge onto is refused', () => {
    const files = editObject(rendered.dev.files, 'Deployment', 'nginx-deployment', (d) => (d.spec.strategy.rollingUpdate = { maxSurge: 1, maxUnavailable: 0 }));
    expect(checkEnvironment(dev, { files })).toEqual([
      'dist/dev/nginx.yaml: Deployment/web/nginx-deployment: spec.strategy.rollingUpdate: rolls out with maxSurge 1 and maxUnavailable 0, so it needs 3 nodes ' +
        'for one pod per node, but environments/dev.ts guarantees 2 (pool linux-amd64: 2; excluded: control planes (taint node-role.kubernetes.io/control-plane:NoSchedule ' +
        "not tolerated)); every rollout would stall; set maxSurge: 0 and maxUnavailable: 1, or raise the eligible pools' min [anti-affinity]",
    ]);
  });

  /** The model's firewall with the NodePort rule of the nodes group edited. */
  function firewallWith(env: Environment, edit: (rule: FirewallRule) => FirewallRule): FirewallRule[] {
    return securityGroupRules(env).map((r) => (r.group === 'nodes' && r.purpose === 'node-ports' ? edit(r) : r));
  }

  test("a nodePort outside the nodes security group's VPC range is refused", () => {
    const firewall = firewallWith(prod, (r) => ({ ...r, port: { ...r.port, to: 30001 } }));
    expect(checkEnvironment(prod, { files: rendered.prod.files, firewall })).toEqual([
      'dist/prod/petshop.yaml: Service/petshop/petshop-web: spec.ports[0].nodePort: port http uses nodePort 30002, but the nodes security group admits ' +
        'from the VPC 10.0.0.0/16 only: node-ports: 30000-30001 from 10.0.0.0/16; open 30002 from the VPC on the nodes ' +
        'security group (infra/firewall.ts), or pick a nodePort inside the open range [node-ports]',
      expect.stringContaining('Service/petshop/petshop-webservice: spec.ports[0].nodePort: port http uses nodePort 30003'),
    ]);
  });

  test('a NodePort rule from a CIDR narrower than the VPC does not count', () => {
    const firewall = firewallWith(dev, (r) => ({ ...r, peer: { cidr: '10.0.0.0/20' } }));
    expect(checkEnvironment(dev, { files: rendered.dev.files, firewall })).toEqual([
      expect.stringContaining(
        'Service/apod/apod-web: spec.ports[0].nodePort: port web uses nodePort 30000, but the nodes security group admits from the VPC 10.0.0.0/16 only: node-ports: 30000-32767 from 10.0.0.0/20;',
      ),
    ]);
  });

  test('an unset nodePort needs the whole default range open', () => {
    const files = editObject(rendered.dev.files, 'Service', 'apod-web', (s) => delete s.spec.ports[0].nodePort);
    const firewall = firewallWith(dev, (r) => ({ ...r, port: { ...r.port, to: 32000 } }));
    expect(checkEnvironment(dev, { files, firewall })).toEqual([expect.stringContaining('gets any node port in 30000-32767, but the nodes security group')]);
    expect(checkEnvironment(dev, { files })).toEqual([]);
  });

  test('NodePorts with no CIDR rule on the nodes group are refused', () => {
    const firewall = securityGroupRules(dev).filter((r) => r.purpose !== 'node-ports');
    expect(checkEnvironment(dev, { files: rendered.dev.files, firewall })).toEqual([
      expect.stringContaining('admits from the VPC 10.0.0.0/16 only: no CIDR ingress rule on the nodes group;'),
    ]);
  });

  test('synthesis derives the infrastructure side from the model: it reads no dist/infra plan', () => {
    expect(checkSynthesized({ env: dev, files: rendered.dev.files })).toEqual([]);
  });
});

test('synthesis refuses overlapping pod and VPC ranges before writing anything', () => {
  const dist = mkdtempSync(join(tmpdir(), 'dist-'));
  expect(() => synthesize([{ ...dev, cluster: { ...dev.cluster, podCidr: '10.0.0.0/16' } }], { distDir: dist })).toThrow(
    /environments\/dev\.ts: cluster\.podCidr: 10\.0\.0\.0\/16 overlaps provider\.network\.vpcCidr 10\.0\.0\.0\/16.*\[environment-schema\]/,
  );
});
