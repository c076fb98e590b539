import type { PodSpec } from '../constructs/k8s';
import { environments } from '../environments';
import { nodeGroupsOf } from '../cross-layer/nodes';
import { renderEnvironment } from '../synth/render';
import { oracleSchedulable } from './oracles/kubernetes';

function podSpecs(object: Record<string, any>): PodSpec[] {
  if (object.kind === 'CronJob') return [object.spec.jobTemplate.spec.template.spec];
  return object.spec?.template?.spec ? [object.spec.template.spec] : [];
}

describe.each(environments.map((e) => [e.name, e] as const))('%s', (_name, env) => {
  // The node groups are derived from the model; the matching below is this test's own (upstream toleration rules).
  const nodes = nodeGroupsOf(env);
  const templates = renderEnvironment(env).files.flatMap((f) =>
    f.objects.flatMap((o: Record<string, any>) => podSpecs(o).map((spec) => ({ ref: `${f.name}: ${o.kind}/${o.metadata.name}`, spec }))),
  );

  test('there are pod templates to check', () => expect(templates.length).toBeGreaterThanOrEqual(5));

  test.each(templates.map((t) => [t.ref, t.spec] as const))('%s carries an OS constraint some node satisfies', (_ref, spec) => {
    const selector = spec.nodeSelector ?? {};
    expect(selector['kubernetes.io/os']).toBeDefined();
    expect(spec.os?.name).toBe(selector['kubernetes.io/os']);
    const fits = nodes.filter(
      (n) => Object.entries(selector).every(([k, v]) => n.labels[k] === v) && oracleSchedulable(spec.tolerations ?? [], n.taints),
    );
    expect(fits.map((n) => n.name)).not.toEqual([]);
  });
});
