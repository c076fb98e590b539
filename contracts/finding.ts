/**
 * The one shape of every refusal the project makes — manifest rules (`npm run validate`), cross-layer
 * checks, edge-model checks, the environment schema, construct refusals — so they all read alike and
 * every output format (text, JSON, SARIF) renders the same data.
 */

/** `error` refuses synthesis and fails `npm run validate`; `warning` is reported only. */
export type Severity = 'error' | 'warning';

export interface Finding {
  /** Stable rule or check id (`image-tag`, `pod-security`, `cidr-overlap`...): used in waivers and CI logs. */
  readonly rule: string;
  readonly severity: Severity;
  /** The file the user edits or reads: `dist/dev/nginx.yaml`, `environments/dev.ts`. */
  readonly file: string;
  /** 1-based line in `file`, where known. */
  readonly line?: number;
  /** The object concerned: `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects. */
  readonly object?: string;
  /** Path of the offending field: `spec.template.spec.containers[0].image`, `workloads.nginx.replicas`. */
  readonly field?: string;
  /** What is wrong, without a trailing period. */
  readonly problem: string;
  /** What to do about it, in the imperative. */
  readonly fix: string;
}

/** `<file>[:<line>]: [<object>: ][<field>: ]<problem>; <fix> [<rule>]` — one line per finding. */
export function formatFinding(f: Finding): string {
  const where = f.line === undefined ? f.file : `${f.file}:${f.line}`;
  const object = f.object ? `${f.object}: ` : '';
  const field = f.field ? `${f.field}: ` : '';
  const severity = f.severity === 'warning' ? 'warning: ' : '';
  return `${where}: ${severity}${object}${field}${f.problem}; ${f.fix} [${f.rule}]`;
}

/** Only the findings that refuse (severity `error`). */
export function errorsOf(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.severity === 'error');
}

/** Thrown when findings refuse an operation; the message lists every finding, one per line. */
export class FindingsError extends Error {
  constructor(
    readonly findings: readonly Finding[],
    summary = `${findings.length} finding(s)`,
  ) {
    super(`${summary}:\n  ${findings.map(formatFinding).join('\n  ')}`);
    this.name = 'FindingsError';
  }
}
