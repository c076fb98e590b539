import type { Finding, Severity } from '../contracts/finding';
import { nodeAgentProblems, nodeAgentReason, UNWAIVABLE, WAIVE_ANNOTATION, waiversOf } from './exceptions';
import { indexByName, Manifest, ManifestDoc, readManifests } from './manifest';
import { RULES } from './rules';
import { closest } from './known-fields';
import { hostPrivileges } from './rules/host-access';
import { uncheckedObjects } from './rules/schema';
import { NEWEST_SUPPORTED } from './versions';
import { Problem, RuleId, ValidateOptions } from './rules/rule';
import { indexTemplates, podTemplateOf } from './workload';

export type { ManifestDoc } from './manifest';
export type { RuleId, ValidateOptions } from './rules/rule';

export type { Finding } from '../contracts/finding';
export { formatFinding } from '../contracts/finding';

/** An exception in use, for `--explain`: a node agent's host access or a rule waiver, with its reason. */
export interface GuardrailException {
  readonly file: string;
  readonly object: string;
  readonly rule: RuleId;
  readonly reason: string;
  /** What is excepted: the host privileges a node agent uses, or "waived". */
  readonly detail: string;
}

const RULE_IDS: ReadonlySet<string> = new Set([...RULES.map((r) => r.id), 'exception']);
const SEVERITY: ReadonlyMap<string, Severity> = new Map(RULES.map((r) => [r.id, r.severity]));

/**
 * Checks Kubernetes objects against the project's guardrails. Pure: takes parsed documents
 * (any shape; null documents are skipped, `kind: List` is expanded) and returns the findings in input
 * order — empty means clean. Used by `npm run validate` and by synthesis on in-memory objects.
 */
export function validateManifests(docs: ReadonlyArray<ManifestDoc>, options: ValidateOptions = {}): Finding[] {
  return auditManifests(docs, options).findings;
}

/** A custom resource whose shape could not be checked: no CRD among the inputs, no model package. */
export interface UncheckedObject {
  readonly file: string;
  readonly object: string;
  readonly apiVersion: string;
  readonly kind: string;
}

export interface Audit {
  readonly findings: Finding[];
  readonly exceptions: GuardrailException[];
  readonly skipped: UncheckedObject[];
  /** Kubernetes objects checked (List items counted one by one). */
  readonly objects: number;
}

/** Whether a rule runs under these options (`exception` always does). */
export function isEnabled(rule: string, options: ValidateOptions): boolean {
  if (rule === 'os-constraint' && options.requireOsConstraint === false) return false;
  if (rule === 'exception') return true;
  if (options.exclude?.includes(rule)) return false;
  return !options.includeOnly?.length || options.includeOnly.includes(rule);
}

/** validateManifests plus the exceptions that were used (node agents, waivers that silenced a finding). */
export function auditManifests(docs: ReadonlyArray<ManifestDoc>, options: ValidateOptions = {}): Audit {
  const { manifests, nonObjects } = readManifests(docs);
  const context = {
    manifests,
    templates: indexTemplates(manifests),
    lookup: indexByName(manifests),
    options: {
      requireOsConstraint: options.requireOsConstraint ?? true,
      kubernetesVersion: options.kubernetesVersion ?? NEWEST_SUPPORTED,
      exclude: options.exclude ?? [],
      includeOnly: options.includeOnly ?? [],
    },
  };
  const enabled = (rule: string) => isEnabled(rule, context.options);
  const found: { index: number; order: number; finding: Finding }[] = enabled('schema')
    ? nonObjects.map(({ index, file, line, value }) => ({
        index,
        order: 0,
        finding: { file, line, rule: 'schema', severity: 'error', problem: `a document is a ${Array.isArray(value) ? 'sequence' : typeof value}, not a Kubernetes object`, fix: 'remove it' },
      }))
    : [];
  // Lines are looked up once the findings are in document order (see ParsedDocument.locate).
  const located = new Map<Finding, Manifest>();
  const add = (m: Manifest, order: number, rule: RuleId, problem: Problem) => {
    const finding: Finding = {
      rule,
      severity: problem.severity ?? SEVERITY.get(rule) ?? 'error',
      file: m.file,
      object: m.ref,
      field: problem.field,
      problem: problem.problem,
      fix: problem.fix,
    };
    located.set(finding, m);
    found.push({ index: m.index, order, finding });
  };

  const waivers = new Map(manifests.map((m) => [m, waiversOf(m)]));
  const used = new Map<string, GuardrailException>();
  RULES.forEach((rule, order) => {
    if (!enabled(rule.id)) return;
    for (const violation of rule.check(context)) {
      const { manifest } = violation;
      const waiver = UNWAIVABLE.has(rule.id) ? undefined : waivers.get(manifest)?.waivers.find((w) => w.rule === rule.id);
      if (!waiver) add(manifest, order, rule.id, violation);
      else used.set(`${manifest.index}\n${rule.id}`, { file: manifest.file, object: manifest.ref, rule: rule.id, reason: waiver.reason, detail: 'waived' });
    }
  });

  // Misused exceptions are findings too, reported last for their object.
  const exceptionOrder = RULES.length;
  const exceptions: GuardrailException[] = [];
  for (const m of manifests) {
    for (const problem of nodeAgentProblems(m)) add(m, exceptionOrder, 'exception', problem);
    const agentReason = nodeAgentReason(m);
    const template = podTemplateOf(m);
    if (agentReason && template) {
      const privileges = hostPrivileges(template.spec).map((p) => p.detail).join(', ') || 'no host privileges';
      exceptions.push({ file: m.file, object: m.ref, rule: 'host-access', reason: agentReason, detail: `node agent using ${privileges}` });
    }
    const { waivers: list, problems } = waivers.get(m) ?? { waivers: [], problems: [] };
    for (const problem of problems) add(m, exceptionOrder, 'exception', problem);
    const field = `metadata.annotations["${WAIVE_ANNOTATION}"]`;
    for (const { rule } of list) {
      const use = used.get(`${m.index}\n${rule}`);
      if (use) exceptions.push(use);
      else if (!RULE_IDS.has(rule)) {
        const suggestion = closest(rule, [...RULE_IDS].filter((id) => !UNWAIVABLE.has(id)));
        add(m, exceptionOrder, 'exception', { field, problem: `waiver names unknown rule "${rule}"`, fix: `${suggestion ? `did you mean ${suggestion}? ` : ''}use a rule id from \`npm run validate -- --list-rules\`` });
      }
      else if (UNWAIVABLE.has(rule)) add(m, exceptionOrder, 'exception', { field, problem: `rule ${rule} cannot be waived`, fix: 'fix the object' });
      else if (enabled(rule)) add(m, exceptionOrder, 'exception', { field, problem: `waiver for ${rule} silences nothing`, fix: 'remove it' });
    }
  }
  const findings = found
    .sort((a, b) => a.index - b.index || a.order - b.order)
    .map(({ finding }) => {
      const m = located.get(finding);
      const line = m?.lineOf(finding.field);
      if (line === undefined) return finding;
      const { rule, severity, file, ...rest } = finding;
      return { rule, severity, file, line, ...rest };
    });
  const skipped = enabled('schema') ? uncheckedObjects(manifests).map((m) => ({ file: m.file, object: m.ref, apiVersion: m.apiVersion, kind: m.kind })) : [];
  return { findings, exceptions, skipped, objects: manifests.length };
}
