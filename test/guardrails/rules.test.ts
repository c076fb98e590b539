import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadYamlFile } from '../../guardrails/load';
import { README, withRuleTable } from '../../guardrails/readme';
import { RULES } from '../../guardrails/rules';
import { auditManifests } from '../../guardrails/validate';

/**
 * One fixture per rule, `test/fixtures/rules/<rule>.yaml`: every object named `fail…` (or annotated
 * `guardrails-test: fail`) must get at least one finding of that rule, and no other object any.
 * Only that rule runs, so a fixture needs no other rule satisfied.
 */
const DIR = 'test/fixtures/rules';

function isFailing(object: { metadata?: { name?: string; annotations?: Record<string, string> } }): boolean {
  return (object.metadata?.name ?? '').startsWith('fail') || object.metadata?.annotations?.['guardrails-test'] === 'fail';
}

/** Indexes (in the file) of the documents the rule flags: a finding's line falls inside its document. */
function flaggedDocuments(rule: string): { flagged: number[]; failing: number[]; total: number } {
  const docs = loadYamlFile(join(DIR, `${rule}.yaml`)).filter((d) => d.object);
  const findings = auditManifests(docs, { includeOnly: [rule] }).findings;
  expect(findings.every((f) => f.rule === rule)).toBe(true);
  const documentOf = (line: number) => docs.reduce((found, d, i) => ((d.line ?? 0) <= line ? i : found), -1);
  return {
    flagged: [...new Set(findings.map((f) => documentOf(f.line ?? 0)))].sort((a, b) => a - b),
    failing: docs.flatMap((d, i) => (isFailing(d.object as never) ? [i] : [])),
    total: docs.length,
  };
}

/** Rules whose fixtures live elsewhere: the project's first ones (test/fixtures/validate/<rule>) and pod-security's upstream PSA fixtures. */
const FIXTURES_ELSEWHERE: Readonly<Record<string, string>> = Object.fromEntries([
  ...['image-tag', 'resources', 'deployment-selector', 'node-port', 'secret-literal-data', 'os-constraint', 'host-access', 'pdb-unsatisfiable', 'hpa-cpu-requests'].map((id) => [id, `test/fixtures/validate/${id}`]),
  ['pod-security', 'test/fixtures/pod-security-admission'],
]);
const ELSEWHERE = new Set(Object.keys(FIXTURES_ELSEWHERE));

describe('every rule has a failing and a passing fixture', () => {
  it('has a fixture file for each rule of the registry, and no stray one', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, ''));
    const expected = RULES.map((r) => r.id).filter((id) => !ELSEWHERE.has(id));
    expect(files.sort()).toEqual(expected.sort());
    for (const path of Object.values(FIXTURES_ELSEWHERE)) expect(existsSync(path)).toBe(true);
  });

  it.each(RULES.map((r) => r.id).filter((id) => !ELSEWHERE.has(id)))('%s: flags every fail… object and no other', (rule) => {
    const { flagged, failing, total } = flaggedDocuments(rule);
    expect(failing.length).toBeGreaterThan(0);
    expect(total).toBeGreaterThan(failing.length);
    expect(flagged).toEqual(failing);
  });

  it('names the field and its line, without a trailing period', () => {
    const docs = loadYamlFile(join(DIR, 'schema.yaml'));
    const [first] = auditManifests(docs, { includeOnly: ['schema'] }).findings;
    expect(first).toEqual({
      rule: 'schema',
      severity: 'error',
      file: 'test/fixtures/rules/schema.yaml',
      line: 5,
      object: 'Deployment/fail-unknown-fields',
      field: 'spec.replica',
      problem: 'is not a field of apps/v1 Deployment (the API server rejects unknown fields)',
      fix: 'did you mean replicas?',
    });
  });
});

describe('rule data', () => {
  it.each(RULES.map((r) => [r.id, r] as const))('%s carries its description, remediation and equivalents', (_id, rule) => {
    expect(rule.id).toMatch(/^[a-z]+(-[a-z0-9]+)*$/);
    expect(['error', 'warning']).toContain(rule.severity);
    expect(rule.description.length).toBeGreaterThan(40);
    expect(rule.remediation.length).toBeGreaterThan(10);
    expect(Array.isArray(rule.equivalents.kubeLinter) && Array.isArray(rule.equivalents.kubeScore)).toBe(true);
  });

  it('ids are unique', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('guardrails/README.md', () => {
  it('has the rule table generated from the registry (regenerate: npx tsx guardrails/readme.ts)', () => {
    const readme = readFileSync(README, 'utf8');
    expect(withRuleTable(readme)).toBe(readme);
    for (const rule of RULES) expect(readme).toContain(`| \`${rule.id}\` |`);
  });
});
