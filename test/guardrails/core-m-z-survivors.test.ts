/**
 * Tests for the mutants that survived the Stryker run over guardrails/[m-z]*.ts (see
 * reports/mutation/survivors/guardrails-core-m-z.md): group tables, the ES-module validator preload,
 * the README script, YAML line lookup, derived pod labels. Every expected value is written by hand.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { readManifests } from '../../guardrails/manifest';
import { isBuiltInGroup } from '../../guardrails/models';
import { mapSelector } from '../../guardrails/selector';
import { checkTrafficMoves } from '../../guardrails/traffic-move';
import { auditManifests } from '../../guardrails/validate';
import { indexTemplates, podTemplateOf } from '../../guardrails/workload';
import { locateLine, parseYamlDocuments, YamlError } from '../../guardrails/yaml';
import { thrown } from '../util/thrown';
import { findingsOf } from './hand-built';

const ROOT = join(__dirname, '..', '..');

describe('isBuiltInGroup: each anchor of the group tables', () => {
  it.each([
    // Served by the API server: they end in .k8s.io and are none of the CRD groups under k8s.io.
    'a.x-k8s.io.k8s.io',
    'a.gateway.networking.k8s.io',
    'gateway.networking.k8s.io.k8s.io',
    'a.snapshot.storage.k8s.io',
    'snapshot.storage.k8s.io.k8s.io',
    'a.metrics.k8s.io',
    'metrics.k8s.io.k8s.io',
    'a.custom.metrics.k8s.io',
    'custom.metrics.k8s.io.k8s.io',
    'a.external.metrics.k8s.io',
    'external.metrics.k8s.io.k8s.io',
    'a.autoscaling.k8s.io',
    'autoscaling.k8s.io.x.k8s.io',
    'a.networking.x.k8s.io',
    'networking.x.k8s.io.k8s.io',
  ])('%j is built in', (group) => expect(isBuiltInGroup(group)).toBe(true));

  it.each([
    // A DNS-subdomain group has no underscore or capital: these are not the API server's.
    'a_b.k8s.io',
    'Example.k8s.io',
    // networking.<more than one character>k8s.io is a CRD group (multicluster, ...).
    'networking.ab.k8s.io',
  ])('%j is not built in', (group) => expect(isBuiltInGroup(group)).toBe(false));
});

describe('preloadValidators', () => {
  it('imports the schema module of each modelled CRD kind, and nothing for built-in or unknown kinds', async () => {
    // pathToFileURL is only called by preloadValidators, once per validator module it imports.
    const urls = jest.fn(jest.requireActual('node:url').pathToFileURL);
    let preload: typeof import('../../guardrails/models').preloadValidators = async () => undefined;
    jest.isolateModules(() => {
      jest.doMock('node:url', () => ({ ...jest.requireActual('node:url'), pathToFileURL: urls }));
      preload = require('../../guardrails/models').preloadValidators;
    });
    jest.dontMock('node:url');
    await preload([
      { apiVersion: 'apps/v1', kind: 'Deployment' },
      { apiVersion: 'x.io/v1', kind: 'X' },
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Nope' },
    ]);
    expect(urls).not.toHaveBeenCalled();
    // Jest cannot import ES modules (no --experimental-vm-modules): the import itself may reject here.
    await preload([
      { apiVersion: 'apps/v1', kind: 'Deployment' },
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout' },
    ]).catch(() => undefined);
    expect(urls.mock.calls.map(([path]) => relative(ROOT, path as string))).toEqual([
      'node_modules/@kubernetes-models/argo-rollouts/_schemas/ComGithubArgoprojArgoRolloutsPkgApisRolloutsV1alpha1Rollout.js',
    ]);
  });
});

describe('readme.ts as a script', () => {
  const BEGIN = '<!-- rules:begin (generated from guardrails/rules: npx tsx guardrails/readme.ts) -->';
  const END = '<!-- rules:end -->';

  it('writes nothing when imported', () => {
    const writeFileSync = jest.fn();
    jest.isolateModules(() => {
      jest.doMock('node:fs', () => ({ ...jest.requireActual('node:fs'), writeFileSync }));
      require('../../guardrails/readme');
    });
    jest.dontMock('node:fs');
    expect(writeFileSync).not.toHaveBeenCalled();
  });

  it('rewrites guardrails/README.md of the working directory when run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'readme-'));
    try {
      mkdirSync(join(dir, 'guardrails'));
      writeFileSync(join(dir, 'guardrails', 'README.md'), `intro\n${BEGIN}\nstale table\n${END}\nrest\n`);
      execFileSync(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'guardrails', 'readme.ts')], { cwd: dir, stdio: 'pipe' });
      const written = readFileSync(join(dir, 'guardrails', 'README.md'), 'utf8');
      expect(written.startsWith(`intro\n${BEGIN}\n| rule | severity |`)).toBe(true);
      expect(written.endsWith(`\n${END}\nrest\n`)).toBe(true);
      expect(written).not.toContain('stale table');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Manifest.lineOf without a field', () => {
  it('is the line where the object starts, even when a key spells the mutated fallback', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nStryker was here!: x\nmetadata:\n  name: c\n';
    const [m] = readManifests([{ file: 'c.yaml', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, source: { text, index: 0 } }]).manifests;
    expect(m.lineOf(undefined)).toBe(1);
    expect(m.lineOf('metadata.name')).toBe(5);
  });
});

describe('network-policy through the relations', () => {
  it('a workload no NetworkPolicy selects misses both directions', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api', namespace: 'apps' },
      spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'example/api:1.0.0' }] } } },
    };
    expect(findingsOf('network-policy', [deployment]).map((f) => [f.object, f.problem, f.fix])).toEqual([
      ['Deployment/apps/api', 'no NetworkPolicy selects its pods for Ingress or Egress', 'add a NetworkPolicy with policyTypes Ingress, Egress selecting them'],
    ]);
  });
});

describe('checkTrafficMoves: core-group workloads', () => {
  it('a ReplicationController at 0 replicas runs no pod (only a bare Pod counts as one)', () => {
    const service = (slot: string) => ({ file: 'svc.yaml', object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { slot } } } });
    const rc = {
      file: 'w.yaml',
      object: { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'green', namespace: 'shop' }, spec: { replicas: 0, template: { metadata: { labels: { slot: 'green' } }, spec: { containers: [] } } } },
    };
    expect(checkTrafficMoves([service('blue'), rc], [service('green')]).map((f) => f.problem)).toEqual([
      'moves from slot=blue to slot=green, which selects no running pod in the applied manifests (ReplicationController/shop/green runs 0 replicas); applied together, the Service has no endpoint until the new pods are ready',
    ]);
  });
});

describe('waivers naming an unknown rule', () => {
  it('suggests no unwaivable rule', () => {
    const WAIVE = 'guardrails.k8s-book-systems.io/waive';
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'web', annotations: { [WAIVE]: 'schemaa: typo of schema, which cannot be waived' } } };
    const findings = auditManifests([{ file: 'in.yaml', object: cm }]).findings.filter((f) => f.rule === 'exception');
    expect(findings.map((f) => [f.problem, f.fix])).toEqual([['waiver names unknown rule "schemaa"', 'use a rule id from `npm run validate -- --list-rules`']]);
  });
});

describe('podTemplateOf and derived labels of custom kinds', () => {
  const template = (labels: object) => ({ metadata: { labels }, spec: { containers: [{ name: 'c', image: 'i' }] } });
  const custom = (apiVersion: string, spec: object) => readManifests([{ file: 'f.yaml', object: { apiVersion, kind: 'Thing', metadata: { name: 'r', namespace: 'ns' }, spec } }]).manifests;

  it('a group that merely contains .k8s.io is searched for a template', () => {
    const [m] = custom('foo.k8s.io.example.com/v1', { template: template({ app: 'r' }) });
    expect(podTemplateOf(m)).toEqual({ labels: { app: 'r' }, spec: { containers: [{ name: 'c', image: 'i' }] }, path: 'spec.template.spec' });
  });

  it('labels more than ten levels deep (through lists) are not pods', () => {
    let deep: unknown = { metadata: { labels: { deep: 'yes' } } };
    for (let i = 0; i < 11; i++) deep = [deep];
    const ms = custom('example.com/v1', { template: template({ app: 'r' }), canary: { metadata: { labels: { canary: 'yes' } } }, deep });
    const names = (labels: object) => indexTemplates(ms).matching('ns', mapSelector(labels)).map((t) => t.manifest.name);
    expect(names({ canary: 'yes' })).toEqual(['r']);
    expect(names({ deep: 'yes' })).toEqual([]);
  });

  it('labels inside a metadata field are not read as another pod template', () => {
    const ms = custom('example.com/v1', { template: template({ app: 'r' }), x: { metadata: { metadata: { labels: { inner: 'yes' } } } } });
    expect(indexTemplates(ms).matching('ns', mapSelector({ inner: 'yes' }))).toEqual([]);
    expect(indexTemplates(ms).matching('ns', mapSelector({ app: 'r' })).map((t) => t.manifest.name)).toEqual(['r']);
  });
});

describe('YAML lines', () => {
  it('counts a newline at offset 0', () => {
    expect(parseYamlDocuments('\na: 1\n')[0].line).toBe(2);
    expect(locateLine('\na: 1\nb: 2\n', 0, 'b')).toBe(3);
  });

  it('starts an anchored collection at its anchor', () => {
    expect(parseYamlDocuments('&x\na: 1\n')[0].line).toBe(1);
    expect(parseYamlDocuments('# c\n&x\n- 1\n')[0].line).toBe(2);
  });

  it('finds an alias in a list', () => {
    expect(locateLine('a: &x 1\nl:\n- 1\n- *x\n', 0, 'l[1]')).toBe(4);
  });

  it('locates fields in documents nested up to the parse depth', () => {
    const text = `a:\n  b: ${'['.repeat(150)}${']'.repeat(150)}\nc: 1\n`;
    expect(parseYamlDocuments(text)).toHaveLength(1);
    expect(locateLine(text, 0, 'c')).toBe(3);
  });

  it('gives line 1 when there is no such document', () => {
    expect(locateLine('', 0, 'a.b')).toBe(1);
    expect(locateLine('a: 1\n', 3, 'a')).toBe(1);
  });

  it('stops at the deepest existing node', () => {
    // x is missing under a: c (a key of the root) must not be found from there.
    expect(locateLine('a:\n  b: 1\nc: 2\n', 0, 'a.x.c')).toBe(1);
    // A list has no keys: l.x stops at l, though x is an item.
    expect(locateLine('l:\n- x\n- y\n', 0, 'l.x')).toBe(1);
  });

  it('matches only scalar keys', () => {
    // A complex key (a flow sequence) never names a field, whatever the quoted step says.
    const text = '? [k]\n:\n  a: 1\n';
    expect(locateLine(text, 0, `["${text}"].a`)).toBe(1);
  });

  it('counts nodes only when an anchor can expand them', () => {
    // 1,000,001 items and no alias: large, but no alias bomb.
    const [doc] = parseYamlDocuments(`[${'0,'.repeat(1_000_000)}0]`);
    expect((doc.value as unknown[]).length).toBe(1_000_001);
  });

  it('refuses an alias inside its own anchor', () => {
    const error = thrown(YamlError, () => parseYamlDocuments('a: &x [*x]\n'));
    expect(error.message).toBe('a document expands to more than 1000000 nodes through YAML aliases (an alias bomb?); write the values out');
    expect(error.line).toBeUndefined();
  });
});
