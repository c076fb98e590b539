import { Finding, formatFinding } from '../contracts/finding';
import type { RuleInfo } from './rules/rule';

/** An object the schema rule could not check (a custom resource whose CRD is not among the inputs). */
export interface SkippedObject {
  readonly file: string;
  readonly object: string;
  readonly apiVersion: string;
  readonly kind: string;
}

/** An exception in use (for `--explain`): a node agent's host access or a waiver, with its reason. */
export interface ExceptionInUse {
  readonly file: string;
  readonly object: string;
  readonly rule: string;
  readonly reason: string;
  readonly detail: string;
}

/** Everything one run found, for any output format. */
export interface Report {
  readonly findings: ReadonlyArray<Finding>;
  /** Inputs that could not be used (`file[:line]: what`): exit status 2. */
  readonly inputErrors: ReadonlyArray<string>;
  /** Files that are not manifests (compose, Chart.yaml, kustomization...), one line each. */
  readonly skippedFiles: ReadonlyArray<string>;
  readonly skippedObjects: ReadonlyArray<SkippedObject>;
  readonly exceptions: ReadonlyArray<ExceptionInUse>;
  readonly files: number;
  readonly documents: number;
  readonly kubernetesVersion: string;
}

export interface Rendered {
  readonly stdout: string;
  readonly stderr: string;
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

/** `Rollout (argoproj.io/v1alpha1) ×3, Certificate (cert-manager.io/v1)`: skipped kinds with counts. */
export function describeSkippedObjects(skipped: ReadonlyArray<SkippedObject>): string {
  const byKind = new Map<string, number>();
  for (const s of skipped) byKind.set(`${s.kind} (${s.apiVersion})`, (byKind.get(`${s.kind} (${s.apiVersion})`) ?? 0) + 1);
  return [...byKind].map(([kind, n]) => (n > 1 ? `${kind} ×${n}` : kind)).join(', ');
}

export function summary(report: Report): string {
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  const warnings = report.findings.length - errors;
  const rules = new Set(report.findings.map((f) => f.rule)).size;
  const parts = [
    `${count(errors, 'error')}, ${count(warnings, 'warning')}${rules ? ` from ${count(rules, 'rule')}` : ''} in ${count(report.documents, 'object')} of ${count(report.files, 'file')} (Kubernetes ${report.kubernetesVersion})`,
  ];
  if (report.skippedFiles.length) parts.push(`${count(report.skippedFiles.length, 'file')} skipped`);
  if (report.skippedObjects.length) parts.push(`${count(report.skippedObjects.length, 'custom resource')} not schema-checked`);
  if (report.inputErrors.length) parts.push(count(report.inputErrors.length, 'input error'));
  return parts.join('; ');
}

function text(report: Report): Rendered {
  const out = report.findings.map(formatFinding);
  for (const e of report.exceptions) out.push(`${e.file}: ${e.object}: exception [${e.rule}] ${e.detail}: ${e.reason}`);
  out.push(summary(report));
  const err = [...report.skippedFiles];
  if (report.skippedObjects.length) {
    err.push(`not schema-checked (no CRD among the inputs): ${describeSkippedObjects(report.skippedObjects)}`);
  }
  err.push(...report.inputErrors);
  return { stdout: out.map((l) => `${l}\n`).join(''), stderr: err.map((l) => `${l}\n`).join('') };
}

function json(report: Report): Rendered {
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  const body = {
    kubernetesVersion: report.kubernetesVersion,
    findings: report.findings,
    summary: { errors, warnings: report.findings.length - errors, objects: report.documents, files: report.files },
    skippedFiles: report.skippedFiles,
    skippedObjects: report.skippedObjects,
    exceptions: report.exceptions,
    inputErrors: report.inputErrors,
  };
  return { stdout: `${JSON.stringify(body, null, 2)}\n`, stderr: '' };
}

/** SARIF 2.1.0, as GitHub code scanning and other SARIF viewers read it. */
function sarif(report: Report, rules: ReadonlyArray<RuleInfo>): Rendered {
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'guardrails',
            informationUri: 'https://github.com/k8s-book-systems/k8s-book-systems/blob/main/guardrails/README.md',
            rules: rules.map((r) => ({
              id: r.id,
              shortDescription: { text: r.description },
              help: { text: r.remediation },
              defaultConfiguration: { level: r.severity },
              properties: { kubeLinter: r.equivalents.kubeLinter, kubeScore: r.equivalents.kubeScore, ...(r.differs ? { differs: r.differs } : {}) },
            })),
          },
        },
        invocations: [
          {
            executionSuccessful: report.inputErrors.length === 0,
            toolExecutionNotifications: [
              ...report.inputErrors.map((message) => ({ level: 'error', message: { text: message } })),
              ...report.skippedFiles.map((message) => ({ level: 'note', message: { text: message } })),
            ],
          },
        ],
        results: report.findings.map((f) => ({
          ruleId: f.rule,
          ...(index.has(f.rule) ? { ruleIndex: index.get(f.rule) } : {}),
          level: f.severity,
          message: { text: `${f.field ? `${f.field}: ` : ''}${f.problem}; ${f.fix}` },
          locations: [
            {
              physicalLocation: { artifactLocation: { uri: f.file.replace(/\\/g, '/') }, ...(f.line ? { region: { startLine: f.line } } : {}) },
              ...(f.object ? { logicalLocations: [{ fullyQualifiedName: f.object, kind: 'resource' }] } : {}),
            },
          ],
        })),
      },
    ],
  };
  return { stdout: `${JSON.stringify(log, null, 2)}\n`, stderr: '' };
}

export function render(format: 'text' | 'json' | 'sarif', report: Report, rules: ReadonlyArray<RuleInfo>): Rendered {
  return format === 'json' ? json(report) : format === 'sarif' ? sarif(report, rules) : text(report);
}

/** The `--list-rules` table (also the rule table of guardrails/README.md). */
export function rulesTable(rules: ReadonlyArray<RuleInfo>): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const names = (list: ReadonlyArray<string>) => (list.length ? list.map((n) => `\`${n}\``).join(', ') : '—');
  const rows = rules.map(
    (r) => `| \`${r.id}\` | ${r.severity} | ${cell(r.description)}${r.differs ? ` *Differs:* ${cell(r.differs)}` : ''} | ${names(r.equivalents.kubeLinter)} | ${names(r.equivalents.kubeScore)} |`,
  );
  return ['| rule | severity | checks | kube-linter | kube-score |', '|----|----|----|----|----|', ...rows].join('\n');
}
