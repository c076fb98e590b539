import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';
import { validateManifests } from '../guardrails/validate';
import { evaluatePodSecurity, parseMinor } from '../guardrails/pod-security/standards';

const FIXTURES = join(__dirname, 'fixtures/pod-security-admission/testdata');

/** The upstream fixtures as [level, version, expectation, file]. */
const fixtures = readdirSync(FIXTURES).flatMap((level) =>
  readdirSync(join(FIXTURES, level)).flatMap((version) =>
    (['pass', 'fail'] as const).flatMap((expect) =>
      readdirSync(join(FIXTURES, level, version, expect)).map((file) => ({ level, version, expect, file, path: join(FIXTURES, level, version, expect, file) })),
    ),
  ),
);

/** Baseline fixture families a restricted control judges instead (restricted fixtures reuse them). */
const OVERRIDDEN_BY: Record<string, string[]> = {
  capabilities_baseline: ['capabilities_restricted'],
  seccompprofile_baseline: ['seccompprofile_restricted'],
  hostpathvolumes: ['restrictedvolumes'],
  procmount: ['procmount', 'procmount_restricted'],
};

/** A fixture pod in a namespace that enforces the fixture's level at the fixture's version. */
function findings(level: string, version: string, pod: unknown) {
  const namespace = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'psa', labels: { 'pod-security.kubernetes.io/enforce': level, 'pod-security.kubernetes.io/enforce-version': version } },
  };
  const inNamespace = { ...(pod as object), metadata: { ...(pod as { metadata: object }).metadata, namespace: 'psa' } };
  return validateManifests([
    { file: 'ns.yaml', object: namespace },
    { file: 'pod.yaml', object: inNamespace },
  ]).filter((f) => f.rule === 'pod-security');
}

describe('Pod Security Admission conformance fixtures (kubernetes/pod-security-admission test/testdata)', () => {
  test('are vendored for the cluster version, both levels, pass and fail', () => {
    for (const level of ['baseline', 'restricted']) {
      expect(fixtures.filter((f) => f.level === level && f.version === 'v1.34' && f.expect === 'pass').length).toBeGreaterThan(5);
      expect(fixtures.filter((f) => f.level === level && f.version === 'v1.34' && f.expect === 'fail').length).toBeGreaterThan(20);
    }
  });

  const cases = fixtures.map((f) => [`${f.level}/${f.version}/${f.expect}/${f.file}`, f] as const);
  test.each(cases)('%s', (_name, f) => {
    const found = findings(f.level, f.version, parse(readFileSync(f.path, 'utf8')));
    if (f.expect === 'pass') expect(found).toEqual([]);
    else {
      // The fixture is named after the control it breaks; at restricted, some baseline controls are
      // judged by the restricted control that overrides them (as upstream's registry does).
      const family = f.file.replace(/\d+\.yaml$/, '');
      const expected = f.level === 'restricted' ? (OVERRIDDEN_BY[family] ?? [family]) : [family];
      const controls = found.map((x) => /^(baseline|restricted): (\w+):/.exec(x.problem)?.[2]?.toLowerCase());
      expect(found.every((x) => x.severity === 'error')).toBe(true);
      expect(controls.some((c) => c !== undefined && expected.includes(c))).toBe(true);
    }
  });
});

describe('pod-security rule', () => {
  const ns = (labels: Record<string, string>) => ({ file: 'ns.yaml', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo', labels } } });
  const rootDeployment = {
    file: 'demo.yaml',
    object: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'demo', namespace: 'demo' },
      spec: {
        selector: { matchLabels: { app: 'demo' } },
        template: {
          metadata: { labels: { app: 'demo' } },
          spec: {
            securityContext: { runAsNonRoot: false, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{ name: 'demo', image: 'errm/kubegratulations:1', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] }, runAsNonRoot: false } }],
          },
        },
      },
    },
  };

  test('the demo of issue 11: root pods in a namespace enforcing restricted are refused, naming the control', () => {
    const found = validateManifests([ns({ 'pod-security.kubernetes.io/enforce': 'restricted' }), rootDeployment], { kubernetesVersion: '1.34.2' }).filter((f) => f.rule === 'pod-security');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      severity: 'error',
      object: 'Deployment/demo/demo',
      field: 'spec.template.spec.securityContext.runAsNonRoot',
    });
    expect(found[0].problem).toMatch(/^restricted: runAsNonRoot: runAsNonRoot != true \(pod and container "demo" must not set securityContext.runAsNonRoot=false\); namespace demo enforces restricted \(v1.34\), so the API server rejects these pods$/);
  });

  test('a baseline namespace admits them, and its warn/audit restricted labels report warnings', () => {
    const found = validateManifests(
      [ns({ 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/audit': 'restricted' }), rootDeployment],
      { kubernetesVersion: '1.34.2' },
    ).filter((f) => f.rule === 'pod-security');
    expect(found.map((f) => [f.severity, f.problem.split(';')[1].trim()])).toEqual([['warning', 'namespace demo warn/audit at restricted (v1.34)']]);
  });

  test('a namespace without labels, or absent from the input, is not judged (PSA defaults to privileged)', () => {
    expect(validateManifests([ns({}), rootDeployment]).filter((f) => f.rule === 'pod-security')).toEqual([]);
    expect(validateManifests([rootDeployment]).filter((f) => f.rule === 'pod-security')).toEqual([]);
  });

  test('judges at the version: probe hosts are a baseline control from 1.34, not before', () => {
    const spec = { containers: [{ name: 'c', image: 'x', livenessProbe: { httpGet: { host: 'example.com', port: 80 } } }] };
    expect(evaluatePodSecurity('baseline', parseMinor('1.33')!, { spec }).map((v) => v.control)).toEqual([]);
    expect(evaluatePodSecurity('baseline', parseMinor('1.34')!, { spec }).map((v) => v.control)).toEqual(['hostProbesAndHostLifecycle']);
  });
});
