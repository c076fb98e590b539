/**
 * The text, JSON and SARIF renderings of a report, and the rule table, with every expected line written
 * out by hand. SARIF fields follow the SARIF 2.1.0 spec (OASIS): `version`, `runs[].tool.driver`,
 * `reportingDescriptor` (id, shortDescription, help, defaultConfiguration.level), `invocations[]`
 * (executionSuccessful, toolExecutionNotifications), `result` (ruleId, ruleIndex, level, message.text,
 * locations[].physicalLocation.artifactLocation.uri / region.startLine, logicalLocations).
 */
import type { Finding } from '../../contracts/finding';
import { describeSkippedObjects, render, Report, rulesTable, summary } from '../../guardrails/output';
import type { RuleInfo } from '../../guardrails/rules/rule';

const ERROR: Finding = { rule: 'image-tag', severity: 'error', file: 'dist\\dev\\app.yaml', line: 7, object: 'Deployment/web/app', field: 'spec.template.spec.containers[0].image', problem: 'uses :latest', fix: 'pin a tag' };
const WARNING: Finding = { rule: 'probes', severity: 'warning', file: 'b.yaml', problem: 'has no probe', fix: 'add one' };

const RULE_A = { id: 'image-tag', severity: 'error', description: 'Images | pinned', remediation: 'Pin it.', equivalents: { kubeLinter: ['latest-tag'], kubeScore: ['container-image-tag', 'x'] } } as unknown as RuleInfo;
const RULE_B = { id: 'probes', severity: 'warning', description: 'Probes.', remediation: 'Add probes.', equivalents: { kubeLinter: [], kubeScore: [] }, differs: 'we a|b' } as unknown as RuleInfo;

function report(overrides: Partial<Report> = {}): Report {
  return { findings: [], inputErrors: [], skippedFiles: [], skippedObjects: [], exceptions: [], files: 0, documents: 0, kubernetesVersion: '1.34', ...overrides };
}

const skipped = (kind: string, apiVersion: string) => ({ file: 'f.yaml', object: `${kind}/x`, apiVersion, kind });

describe('summary', () => {
  it('pluralizes every count (0, 1, 2)', () => {
    expect(summary(report())).toBe('0 errors, 0 warnings in 0 objects of 0 files (Kubernetes 1.34)');
    expect(summary(report({ findings: [ERROR], documents: 1, files: 1 }))).toBe('1 error, 0 warnings from 1 rule in 1 object of 1 file (Kubernetes 1.34)');
    expect(summary(report({ findings: [WARNING], documents: 1, files: 1 }))).toBe('0 errors, 1 warning from 1 rule in 1 object of 1 file (Kubernetes 1.34)');
    expect(summary(report({ findings: [ERROR, ERROR, WARNING, WARNING], documents: 2, files: 2, kubernetesVersion: '1.20' }))).toBe(
      '2 errors, 2 warnings from 2 rules in 2 objects of 2 files (Kubernetes 1.20)',
    );
  });

  it('adds skipped files, unchecked custom resources and input errors, in that order', () => {
    const r = report({ skippedFiles: ['a: skipped'], skippedObjects: [skipped('Rollout', 'argoproj.io/v1alpha1')], inputErrors: ['x: bad'] });
    expect(summary(r)).toBe('0 errors, 0 warnings in 0 objects of 0 files (Kubernetes 1.34); 1 file skipped; 1 custom resource not schema-checked; 1 input error');
    const r2 = report({ skippedFiles: ['a', 'b'], skippedObjects: [skipped('A', 'x/v1'), skipped('A', 'x/v1')], inputErrors: ['x', 'y'] });
    expect(summary(r2)).toBe('0 errors, 0 warnings in 0 objects of 0 files (Kubernetes 1.34); 2 files skipped; 2 custom resources not schema-checked; 2 input errors');
  });
});

describe('describeSkippedObjects', () => {
  it('groups by kind and apiVersion, with a count above one', () => {
    expect(describeSkippedObjects([])).toBe('');
    expect(
      describeSkippedObjects([
        skipped('Rollout', 'argoproj.io/v1alpha1'),
        skipped('Certificate', 'cert-manager.io/v1'),
        skipped('Rollout', 'argoproj.io/v1alpha1'),
        skipped('Rollout', 'argoproj.io/v1alpha2'),
        skipped('Rollout', 'argoproj.io/v1alpha1'),
      ]),
    ).toBe('Rollout (argoproj.io/v1alpha1) ×3, Certificate (cert-manager.io/v1), Rollout (argoproj.io/v1alpha2)');
    expect(describeSkippedObjects([skipped('A', 'x/v1'), skipped('A', 'x/v1')])).toBe('A (x/v1) ×2');
  });
});

describe('render text', () => {
  it('prints findings, exceptions and the summary on stdout; skipped inputs and errors on stderr', () => {
    const r = report({
      findings: [ERROR, WARNING],
      exceptions: [{ file: 'ds.yaml', object: 'DaemonSet/kube-system/agent', rule: 'host-access', reason: 'collects node metrics', detail: 'node agent using hostPID' }],
      skippedFiles: ['Chart.yaml: a Helm chart, not a manifest'],
      skippedObjects: [skipped('Rollout', 'argoproj.io/v1alpha1'), skipped('Rollout', 'argoproj.io/v1alpha1')],
      inputErrors: ['bad.yaml:3: unexpected end'],
      files: 3,
      documents: 4,
    });
    const out = render('text', r, [RULE_A, RULE_B]);
    expect(out.stdout).toBe(
      [
        'dist\\dev\\app.yaml:7: Deployment/web/app: spec.template.spec.containers[0].image: uses :latest; pin a tag [image-tag]',
        'b.yaml: warning: has no probe; add one [probes]',
        'ds.yaml: DaemonSet/kube-system/agent: exception [host-access] node agent using hostPID: collects node metrics',
        '1 error, 1 warning from 2 rules in 4 objects of 3 files (Kubernetes 1.34); 1 file skipped; 2 custom resources not schema-checked; 1 input error',
        '',
      ].join('\n'),
    );
    expect(out.stderr).toBe(
      ['Chart.yaml: a Helm chart, not a manifest', 'not schema-checked (no CRD among the inputs): Rollout (argoproj.io/v1alpha1) ×2', 'bad.yaml:3: unexpected end', ''].join('\n'),
    );
  });

  it('prints only the summary for a clean run, and nothing on stderr', () => {
    expect(render('text', report({ files: 1, documents: 1 }), [])).toEqual({ stdout: '0 errors, 0 warnings in 1 object of 1 file (Kubernetes 1.34)\n', stderr: '' });
  });
});

describe('render json', () => {
  it('writes the whole report with counts, pretty-printed', () => {
    const r = report({
      findings: [ERROR, WARNING, WARNING],
      skippedFiles: ['s'],
      skippedObjects: [skipped('A', 'x/v1')],
      exceptions: [{ file: 'f', object: 'o', rule: 'r', reason: 'why', detail: 'd' }],
      inputErrors: ['e'],
      files: 5,
      documents: 6,
      kubernetesVersion: '1.29',
    });
    const out = render('json', r, [RULE_A]);
    expect(out.stderr).toBe('');
    expect(out.stdout.endsWith('}\n')).toBe(true);
    expect(out.stdout.startsWith('{\n  "kubernetesVersion": "1.29",\n  "findings": [\n')).toBe(true);
    expect(JSON.parse(out.stdout)).toEqual({
      kubernetesVersion: '1.29',
      findings: [ERROR, WARNING, WARNING],
      summary: { errors: 1, warnings: 2, objects: 6, files: 5 },
      skippedFiles: ['s'],
      skippedObjects: [{ file: 'f.yaml', object: 'A/x', apiVersion: 'x/v1', kind: 'A' }],
      exceptions: [{ file: 'f', object: 'o', rule: 'r', reason: 'why', detail: 'd' }],
      inputErrors: ['e'],
    });
    expect(Object.keys(JSON.parse(out.stdout))).toEqual(['kubernetesVersion', 'findings', 'summary', 'skippedFiles', 'skippedObjects', 'exceptions', 'inputErrors']);
  });
});

describe('render sarif (SARIF 2.1.0)', () => {
  it('describes the tool, its rules, the invocation and each result', () => {
    const noObject: Finding = { rule: 'unknown-rule', severity: 'error', file: 'c.yaml', problem: 'p', fix: 'f' };
    const r = report({ findings: [ERROR, WARNING, noObject], inputErrors: ['bad.yaml: broken'], skippedFiles: ['Chart.yaml: skipped'] });
    const out = render('sarif', r, [RULE_A, RULE_B]);
    expect(out.stderr).toBe('');
    expect(out.stdout.endsWith('}\n')).toBe(true);
    expect(out.stdout.startsWith('{\n  "$schema"')).toBe(true);
    expect(JSON.parse(out.stdout)).toEqual({
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: 'guardrails',
              informationUri: 'https://github.com/k8s-book-systems/k8s-book-systems/blob/main/guardrails/README.md',
              rules: [
                {
                  id: 'image-tag',
                  shortDescription: { text: 'Images | pinned' },
                  help: { text: 'Pin it.' },
                  defaultConfiguration: { level: 'error' },
                  properties: { kubeLinter: ['latest-tag'], kubeScore: ['container-image-tag', 'x'] },
                },
                {
                  id: 'probes',
                  shortDescription: { text: 'Probes.' },
                  help: { text: 'Add probes.' },
                  defaultConfiguration: { level: 'warning' },
                  properties: { kubeLinter: [], kubeScore: [], differs: 'we a|b' },
                },
              ],
            },
          },
          invocations: [
            {
              executionSuccessful: false,
              toolExecutionNotifications: [
                { level: 'error', message: { text: 'bad.yaml: broken' } },
                { level: 'note', message: { text: 'Chart.yaml: skipped' } },
              ],
            },
          ],
          results: [
            {
              ruleId: 'image-tag',
              ruleIndex: 0,
              level: 'error',
              message: { text: 'spec.template.spec.containers[0].image: uses :latest; pin a tag' },
              locations: [
                {
                  physicalLocation: { artifactLocation: { uri: 'dist/dev/app.yaml' }, region: { startLine: 7 } },
                  logicalLocations: [{ fullyQualifiedName: 'Deployment/web/app', kind: 'resource' }],
                },
              ],
            },
            {
              ruleId: 'probes',
              ruleIndex: 1,
              level: 'warning',
              message: { text: 'has no probe; add one' },
              locations: [{ physicalLocation: { artifactLocation: { uri: 'b.yaml' } } }],
            },
            {
              ruleId: 'unknown-rule',
              level: 'error',
              message: { text: 'p; f' },
              locations: [{ physicalLocation: { artifactLocation: { uri: 'c.yaml' } } }],
            },
          ],
        },
      ],
    });
  });

  it('marks a run without input errors successful', () => {
    const log = JSON.parse(render('sarif', report(), []).stdout);
    expect(log.runs[0].invocations).toEqual([{ executionSuccessful: true, toolExecutionNotifications: [] }]);
    expect(log.runs[0].results).toEqual([]);
    expect(log.runs[0].tool.driver.rules).toEqual([]);
  });
});

describe('rulesTable', () => {
  it('is a Markdown table with escaped pipes, code-quoted equivalents and — for none', () => {
    expect(rulesTable([RULE_A, RULE_B])).toBe(
      [
        '| rule | severity | checks | kube-linter | kube-score |',
        '|----|----|----|----|----|',
        '| `image-tag` | error | Images \\| pinned | `latest-tag` | `container-image-tag`, `x` |',
        '| `probes` | warning | Probes. *Differs:* we a\\|b | — | — |',
      ].join('\n'),
    );
  });
  it('has only the header without rules', () => {
    expect(rulesTable([])).toBe('| rule | severity | checks | kube-linter | kube-score |\n|----|----|----|----|----|');
  });
});
