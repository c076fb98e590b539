import type { Finding, Severity } from '../contracts/finding';
import { nodeAgentProblems, nodeAgentReason, UNWAIVABLE, WAIVE_ANNOTATION, waiversOf } from './exceptions';
import { indexByName, Manifest, ManifestDoc, readManifests } from './manifest';
import { RULES } from './rules';
import { hostPrivileges } from './rules/host-access';
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
 * Checks Kubernetes objects against the project's guardrails (SPEC §5). Pure: takes parsed documents
 * (any shape; null documents are skipped, `kind: List` is expanded) and returns the findings in input
 * order — empty means clean. Used by `npm run validate` and by synthesis on in-memory objects.
 */
export function validateManifests(docs: ReadonlyArray<ManifestDoc>, options: ValidateOptions = {}): Finding[] {
  return auditManifests(docs, options).findings;
}

/** validateManifests plus the exceptions that were used (node agents, waivers that silenced a finding). */
export function auditManifests(
  docs: ReadonlyArray<ManifestDoc>,
  options: ValidateOptions = {},
): { findings: Finding[]; exceptions: GuardrailException[] } {
  const { manifests, nonObjects } = readManifests(docs);
  const context = {
    manifests,
    templates: indexTemplates(manifests),
    lookup: indexByName(manifests),
    options: { ...options, requireOsConstraint: options.requireOsConstraint ?? true },
  };
  const found: { index: number; order: number; finding: Finding }[] = nonObjects.map(({ index, file, value }) => ({
    index,
    order: 0,
    finding: { file, rule: 'schema', severity: 'error', problem: `a document is a ${Array.isArray(value) ? 'sequence' : typeof value}, not a Kubernetes object`, fix: 'remove it' },
  }));
  const add = (m: Manifest, order: number, rule: RuleId, problem: Problem) =>
    found.push({
      index: m.index,
      order,
      finding: { rule, severity: problem.severity ?? SEVERITY.get(rule) ?? 'error', file: m.file, object: m.ref, field: problem.field, problem: problem.problem, fix: problem.fix },
    });

  const waivers = new Map(manifests.map((m) => [m, waiversOf(m)]));
  const used = new Map<string, GuardrailException>();
  RULES.forEach((rule, order) => {
    for (const violation of rule.check(context)) {
      const { manifest } = violation;
      const waiver = UNWAIVABLE.has(rule.id) ? undefined : waivers.get(manifest)?.waivers.find((w) => w.rule === rule.id);
      if (!waiver) add(manifest, order, rule.id, violation);
      else used.set(`${manifest.index}\n${rule.id}`, { file: manifest.file, object: manifest.ref, rule: rule.id, reason: waiver.reason, detail: 'waived' });
    }
  });

  // Misused exceptions are findings too, reported last for their object.
  const exceptionOrder = RULES.length;
  const enabled = (rule: string) => rule !== 'os-constraint' || context.options.requireOsConstraint;
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
      else if (!RULE_IDS.has(rule)) add(m, exceptionOrder, 'exception', { field, problem: `waiver names unknown rule "${rule}"`, fix: `use one of ${[...RULE_IDS].filter((id) => !UNWAIVABLE.has(id)).join(', ')}` });
      else if (UNWAIVABLE.has(rule)) add(m, exceptionOrder, 'exception', { field, problem: `rule ${rule} cannot be waived`, fix: 'fix the object' });
      else if (enabled(rule)) add(m, exceptionOrder, 'exception', { field, problem: `waiver for ${rule} silences nothing`, fix: 'remove it' });
    }
  }
  const findings = found.sort((a, b) => a.index - b.index || a.order - b.order).map((f) => f.finding);
  return { findings, exceptions };
}
