import { tolerates } from '../constructs/platform';
import type { PodSpec } from '../constructs/k8s';
import { environments, Environment, Taint } from '../environments';
import { renderEnvironment } from '../synth/render';

interface NodeShape {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly taints: readonly Taint[];
}

/** The nodes an environment has: its worker pools, and kubeadm's tainted control planes. */
function nodesOf(env: Environment): NodeShape[] {
  const pools = env.nodePools.map((p) => ({
    name: p.name,
    labels: {
      ...p.labels,
      'kubernetes.io/os': p.os,
      'kubernetes.io/arch': p.arch,
      ...(p.windowsBuild ? { 'node.kubernetes.io/windows-build': p.windowsBuild } : {}),
    },
    taints: p.taints,
  }));
  if (env.provider.kind !== 'aws-kubeadm') return pools;
  const cp = env.provider.controlPlane;
  return [
    ...pools,
    {
      name: 'control-plane',
      labels: { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': cp.arch, 'node-role.kubernetes.io/control-plane': '' },
      taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
    },
  ];
}

function podSpecs(object: Record<string, any>): PodSpec[] {
  if (object.kind === 'CronJob') return [object.spec.jobTemplate.spec.template.spec];
  return object.spec?.template?.spec ? [object.spec.template.spec] : [];
}

describe.each(environments.map((e) => [e.name, e] as const))('%s', (_name, env) => {
  const nodes = nodesOf(env);
  const templates = renderEnvironment(env).files.flatMap((f) =>
    f.objects.flatMap((o: Record<string, any>) => podSpecs(o).map((spec) => ({ ref: `${f.name}: ${o.kind}/${o.metadata.name}`, spec }))),
  );

  test('there are pod templates to check', () => expect(templates.length).toBeGreaterThanOrEqual(5));

  test.each(templates.map((t) => [t.ref, t.spec] as const))('%s carries an OS constraint some node satisfies', (_ref, spec) => {
    const selector = spec.nodeSelector ?? {};
    expect(selector['kubernetes.io/os']).toBeDefined();
    expect(spec.os?.name).toBe(selector['kubernetes.io/os']);
    const fits = nodes.filter(
      (n) => Object.entries(selector).every(([k, v]) => n.labels[k] === v) && n.taints.every((t) => tolerates(spec.tolerations ?? [], t)),
    );
    expect(fits.map((n) => n.name)).not.toEqual([]);
  });
});
