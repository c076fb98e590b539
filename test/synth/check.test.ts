/**
 * synth/check.ts in-process, on hand-built rendered environments: the guardrails run at the
 * environment's Kubernetes version and name `dist/<env>/<file>`; a Service selector moving onto pods
 * the applied dist/<env>/ does not run is refused; an environment without dist/ or without changes is
 * not compared (nothing is read).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { stringify } from 'yaml';
import type { Environment } from '../../environments';
import { checkRendered, checkTrafficMovesFrom } from '../../synth/check';
import type { RenderedEnvironment } from '../../synth/render';

type Obj = Record<string, unknown>;

function rendered(name: string, kubernetesVersion: string, files: Record<string, { objects: Obj[]; content?: string }>): RenderedEnvironment {
  return {
    env: { name, cluster: { kubernetesVersion } } as unknown as Environment,
    files: Object.entries(files).map(([file, { objects, content }]) => ({ name: file, objects, content: content ?? objects.map((o) => `---\n${stringify(o)}`).join('') })),
    leftOut: [],
  };
}

const pdb: Obj = {
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } },
};

describe('checkRendered', () => {
  // unhealthyPodEvictionPolicy exists from Kubernetes 1.27 on: the rule asks for it only there.
  test('judges at the environment Kubernetes version, and names dist/<env>/<file> and the object', () => {
    const at = (version: string) => checkRendered(rendered('old', version, { 'pdb.yaml': { objects: [pdb] } })).filter((f) => f.rule === 'pdb-unhealthy-pod-eviction-policy');
    expect(at('1.26.3')).toEqual([]);
    const found = at('1.27.0');
    expect(found.map((f) => [f.file, f.object, f.field, f.severity])).toEqual([['dist/old/pdb.yaml', 'PodDisruptionBudget/shop/web', 'spec.unhealthyPodEvictionPolicy', 'warning']]);
  });
});

// ---- checkTrafficMovesFrom: a blue/green pair where only blue runs.

const deployment = (slot: string, replicas: number): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: `web-${slot}`, namespace: 'shop' },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web', slot } },
    template: { metadata: { labels: { app: 'web', slot } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27.3' }] } },
  },
});
const service = (slot: string): Obj => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { selector: { app: 'web', slot }, ports: [{ port: 80 }] },
});

/** dist/ with `dist/shop/` holding blue (2 replicas), green (0) and the Service on blue; returns dist/. */
function appliedDist(extra: Record<string, string> = {}): string {
  const dist = mkdtempSync(join(tmpdir(), 'traffic-'));
  mkdirSync(join(dist, 'shop'));
  writeFileSync(join(dist, 'shop', 'web.yaml'), [deployment('blue', 2), deployment('green', 0), service('blue')].map((o) => `---\n${stringify(o)}`).join(''));
  for (const [name, content] of Object.entries(extra)) writeFileSync(join(dist, 'shop', name), content);
  return dist;
}

describe('checkTrafficMovesFrom', () => {
  test('a Service moving onto a slot that runs 0 replicas is refused, naming the new file, the Service and its selector', () => {
    const dist = appliedDist();
    const next = rendered('shop', '1.34.2', { 'web.yaml': { objects: [deployment('blue', 2), deployment('green', 0), service('green')] } });
    const found = checkTrafficMovesFrom(dist, next);
    expect(found.map((f) => [f.rule, f.severity, f.file, f.object, f.field])).toEqual([['blue-green-flip', 'error', 'dist/shop/web.yaml', 'Service/shop/web', 'spec.selector']]);
    expect(found[0].problem).toContain('Deployment/shop/web-green runs 0 replicas');
  });

  test('moving onto a slot that already runs is allowed', () => {
    const dist = appliedDist();
    const next = rendered('shop', '1.34.2', { 'web.yaml': { objects: [deployment('blue', 2), deployment('green', 0), service('blue'), { ...service('blue'), metadata: { name: 'other', namespace: 'shop' } }] } });
    expect(checkTrafficMovesFrom(dist, next)).toEqual([]);
  });

  test('an environment without dist/<env>/ yet is not compared', () => {
    const dist = mkdtempSync(join(tmpdir(), 'traffic-'));
    const next = rendered('shop', '1.34.2', { 'web.yaml': { objects: [deployment('green', 0), service('green')] } });
    expect(checkTrafficMovesFrom(dist, next)).toEqual([]);
  });

  test('an environment whose files are all unchanged is not re-read: even an unreadable extra file in dist/<env>/ is never parsed', () => {
    const broken = 'key: [unclosed\n';
    const dist = appliedDist({ 'zz-broken.yaml': broken });
    const same = rendered('shop', '1.34.2', { 'web.yaml': { objects: [deployment('blue', 2), deployment('green', 0), service('blue')] } });
    expect(checkTrafficMovesFrom(dist, same)).toEqual([]);
    // The same dist/ is read (and refused by the loader) as soon as one file changed.
    const changed = rendered('shop', '1.34.2', { 'web.yaml': { objects: [deployment('blue', 3), deployment('green', 0), service('blue')] } });
    expect(() => checkTrafficMovesFrom(dist, changed)).toThrow(/zz-broken\.yaml/);
  });
});
