import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { environments, isOmitted } from '../environments';
import { renderEnvironment } from '../synth/render';
import { goldenTest } from './util/golden';
import { schemaError } from './util/schema';

const rendered = environments.map(renderEnvironment);
const dist = join(__dirname, '..', 'dist');

describe.each(rendered.map((r) => [r.env.name, r] as const))('environment %s', (name, r) => {
  test('every object validates against the Kubernetes 1.27 schemas', () => {
    const errors = r.files.flatMap((f) =>
      f.objects.map((o) => [f.name, `${o.kind}/${(o.metadata as { name: string }).name}`, schemaError(o as never)]).filter(([, , e]) => e),
    );
    expect(errors).toEqual([]);
    expect(r.files.reduce((n, f) => n + f.objects.length, 0)).toBeGreaterThan(5);
  });

  goldenTest('the committed dist/ is exactly what the code synthesizes', () => {
    const committed = readdirSync(join(dist, name)).sort();
    expect(committed).toEqual(r.files.map((f) => f.name));
    for (const f of r.files) expect(readFileSync(join(dist, name, f.name), 'utf8')).toBe(f.content);
  });

  test('namespaces are applied first and every namespaced object uses a declared namespace', () => {
    expect(r.files[0].name).toBe('00-namespaces.yaml');
    const declared = new Set(r.files[0].objects.filter((o) => o.kind === 'Namespace').map((o) => (o.metadata as { name: string }).name));
    const used = r.files.flatMap((f) => f.objects.map((o) => (o.metadata as { namespace?: string }).namespace)).filter((ns): ns is string => !!ns);
    for (const ns of used) expect(declared.has(ns) || ns === 'kube-system').toBe(true);
  });

  test('names are explicit: no hash suffixes', () => {
    const names = r.files.flatMap((f) => f.objects.map((o) => (o.metadata as { name: string }).name));
    for (const n of names) expect(n).not.toMatch(/-c8[0-9a-f]{6}$|-[0-9a-f]{8}$/);
  });
});

test('rendering is deterministic: two renders are byte-identical', () => {
  const again = environments.map(renderEnvironment);
  expect(again.map((r) => r.files.map((f) => f.content))).toEqual(rendered.map((r) => r.files.map((f) => f.content)));
});

test('each environment leaves out exactly the workloads it marks { omitted }, and says why', () => {
  for (const r of rendered) {
    const omitted = Object.entries(r.env.workloads)
      .filter(([, settings]) => isOmitted(settings))
      .map(([workload, settings]) => ({ workload, reason: (settings as { omitted: string }).omitted }));
    expect(r.leftOut.map((l) => l.workload).sort()).toEqual(omitted.map((o) => o.workload).sort());
    for (const o of omitted) expect(r.leftOut.find((l) => l.workload === o.workload)?.reason).toBe(o.reason);
  }
  expect(rendered.some((r) => r.leftOut.length > 0)).toBe(true);
});
