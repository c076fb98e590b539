import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { dev } from '../environments/dev';
import { prod } from '../environments/prod';
import { Environment, isOmitted, VersionsSettings } from '../environments';
import { checkTrafficMoves } from '../guardrails/traffic-move';
import { synthesize } from '../synth/synthesize';
import { renderEnvironment } from '../synth/render';
import { diffTrees } from '../review/diffTrees';
import { loadTree } from '../review/load';

function withVersions(env: Environment, change: Partial<VersionsSettings>): Environment {
  const settings = env.workloads.versions;
  if (isOmitted(settings)) throw new Error('no versions');
  return { ...env, workloads: { ...env.workloads, versions: { ...settings, ...change } } };
}

/** A scratch dist/ holding the committed `dist/<env>/`: the state the cluster runs. */
function committedDist(env: Environment): string {
  const dir = mkdtempSync(join(tmpdir(), 'flip-'));
  cpSync(join(__dirname, '..', 'dist', env.name), join(dir, env.name), { recursive: true });
  return dir;
}

const synth = (env: Environment, distDir: string) => synthesize([env], { distDir });
const liveSlot = (distDir: string) => /live-slot: (\w+)/.exec(readFileSync(join(distDir, 'dev', 'versions.yaml'), 'utf8'))?.[1];

describe('the dev blue/green flip (scaleIdleToZero): refused in one change, accepted in two', () => {
  // dev as committed, whichever slot is live there; parked, as the README's dev flow starts.
  const parked = withVersions(dev, { scaleIdleToZero: true });
  const settings = parked.workloads.versions as VersionsSettings;
  const live = settings.active;
  const idle = live === 'blue' ? 'green' : 'blue';
  let distDir: string;
  beforeEach(() => {
    distDir = committedDist(dev);
    synth(parked, distDir); // the applied state: dev parked
  });
  afterEach(() => rmSync(distDir, { recursive: true, force: true }));

  test('flipping active alone is refused: the idle slot runs 0 replicas in the applied dist/dev/', () => {
    expect(() => synth(withVersions(parked, { active: idle }), distDir)).toThrow(
      `dist/dev/versions.yaml: Service/versions/ver: spec.selector: moves from app=ver,slot=${live} to app=ver,slot=${idle}, which selects no running pod in the applied manifests (Deployment/versions/ver-${idle} runs 0 replicas); applied together, the Service has no endpoint until the new pods are ready; switch in two changes`,
    );
    expect(liveSlot(distDir)).toBe(live);
  });

  test('warm up the idle slot, then flip, then park the old slot: each step is accepted', () => {
    const warm = withVersions(parked, { scaleIdleToZero: false });
    const flipped = withVersions(warm, { active: idle });
    synth(warm, distDir);
    expect(liveSlot(distDir)).toBe(live);
    synth(flipped, distDir);
    expect(liveSlot(distDir)).toBe(idle);
    synth(withVersions(flipped, { scaleIdleToZero: true }), distDir);
    expect(liveSlot(distDir)).toBe(idle);
  });

  test('prod keeps both slots running, so its flip is one change', () => {
    const dir = committedDist(prod);
    try {
      expect(() => synthesize([withVersions(prod, { active: 'green' })], { distDir: dir })).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('checkTrafficMoves', () => {
  const svc = (slot: string) => ({ file: 's.yaml', object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ver', namespace: 'v' }, spec: { selector: { app: 'ver', slot } } } });
  const deploy = (slot: string, replicas: number) => ({
    file: 'd.yaml',
    object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `ver-${slot}`, namespace: 'v' }, spec: { replicas, template: { metadata: { labels: { app: 'ver', slot } }, spec: { containers: [] } } } },
  });

  test('a selector moving onto running pods, or not moving, is fine', () => {
    expect(checkTrafficMoves([svc('blue'), deploy('blue', 2), deploy('green', 2)], [svc('green'), deploy('blue', 2), deploy('green', 2)])).toEqual([]);
    expect(checkTrafficMoves([svc('blue'), deploy('blue', 2)], [svc('blue'), deploy('blue', 3)])).toEqual([]);
  });

  test('a selector moving onto pods that do not exist yet is refused with the rule id', () => {
    const found = checkTrafficMoves([svc('blue'), deploy('blue', 2)], [svc('green'), deploy('green', 2)]);
    expect(found.map((f) => [f.rule, f.severity, f.object])).toEqual([['blue-green-flip', 'error', 'Service/v/ver']]);
    expect(found[0].problem).toContain('(no workload matches it)');
  });
});

describe('the PR diff (npm run diff) says which kind of switch it is', () => {
  /** The risks `npm run diff` lists between two renders of dev. */
  function risks(before: Environment, after: Environment): string[] {
    const root = mkdtempSync(join(tmpdir(), 'flip-diff-'));
    try {
      for (const [side, env] of [['a', before], ['b', after]] as const) {
        mkdirSync(join(root, side, 'dev'), { recursive: true });
        for (const f of renderEnvironment(env).files) writeFileSync(join(root, side, 'dev', f.name), f.content);
      }
      return diffTrees(loadTree(join(root, 'a')), loadTree(join(root, 'b'))).sections.flatMap((s) => s.risks.map((r) => r.text));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }

  test('a one-step flip onto the idle slot at 0 replicas: flagged as the refused kind', () => {
    expect(risks(dev, withVersions(dev, { active: 'green' }))).toContain(
      'Service versions/ver moves onto pods that were not running before this change: a one-step switch with no endpoint while they start (synthesis refuses it: blue-green-flip); scale them up in a change of their own first',
    );
  });

  test('the second step of the two-phase switch reads as the one-line traffic switch alone', () => {
    const warm = withVersions(dev, { scaleIdleToZero: false });
    expect(risks(warm, withVersions(warm, { active: 'green' }))).toEqual(['traffic switch blue → green on Service versions/ver']);
  });
});
