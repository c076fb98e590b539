import { mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Environment, Microk8sCluster } from '../environments';
import { dev } from '../environments/dev';
import { edge } from '../environments/edge';
import { synthesize } from '../synth/synthesize';

function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const env of readdirSync(dir)) for (const f of readdirSync(join(dir, env))) out[`${env}/${f}`] = readFileSync(join(dir, env, f), 'utf8');
  return out;
}

function previousDist(): string {
  const dist = mkdtempSync(join(tmpdir(), 'dist-'));
  for (const env of ['dev', 'edge', 'infra']) {
    mkdirSync(join(dist, env));
    writeFileSync(join(dist, env, 'previous.yaml'), `# committed ${env}\n`);
  }
  return dist;
}

const twoNodeHa: Environment = {
  ...edge,
  provider: { kind: 'microk8s', microk8s: { ...(edge.provider as { microk8s: Microk8sCluster }).microk8s, nodes: (edge.provider as { microk8s: Microk8sCluster }).microk8s.nodes.slice(0, 2) } },
};

test('a refused synthesis leaves the previous dist/ untouched, even when other environments rendered', () => {
  const dist = previousDist();
  const before = snapshotTree(dist);
  expect(() => synthesize([dev, twoNodeHa], { distDir: dist })).toThrow(/HA/);
  expect(snapshotTree(dist)).toEqual(before);
  expect(readdirSync(dist).sort()).toEqual(['dev', 'edge', 'infra']);
});

test('a successful synthesis replaces only the environments it rendered, leaving dist/infra alone', () => {
  const dist = previousDist();
  synthesize([dev], { distDir: dist });
  const after = snapshotTree(dist);
  expect(after['dev/previous.yaml']).toBeUndefined();
  expect(after['dev/nginx.yaml']).toContain('name: nginx-deployment');
  expect(after['edge/previous.yaml']).toBe('# committed edge\n');
  expect(after['infra/previous.yaml']).toBe('# committed infra\n');
  // No staging leftovers beside the published trees.
  expect(readdirSync(dist).sort()).toEqual(['dev', 'edge', 'infra']);
});
