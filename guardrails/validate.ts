import { nodeAgentProblems, nodeAgentReason, UNWAIVABLE, waiversOf } from './exceptions';
import { indexByName, Manifest, ManifestDoc, readManifests } from './manifest';
import { RULES } from './rules';
import { hostPrivileges } from './rules/host-access';
import { RuleId, ValidateOptions } from './rules/rule';
import { indexTemplates, podTemplateOf } from './workload';

export type { ManifestDoc } from './manifest';
export type { RuleId, ValidateOptions } from './rules/rule';

export interface Finding {
  readonly file: string;
  /** `Kind/namespace/name`, or `Kind/name` for objects without a namespace. */
  readonly object: string;
  readonly rule: RuleId;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

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

/** `<file>: <object>: [<rule>] <message>` — the one-line form the CLI prints and synthesis errors use. */
export function formatFinding(f: Finding): string {
  return `${f.file}: ${f.object}: [${f.rule}] ${f.message}`;
}

/**
 * Checks Kubernetes objects against the project's guardrails (SPEC §5). Pure: takes parsed documents
 * (any shape; null documents are skipped, `kind: List` is expanded) and returns the findings in input
 * order — empty means clean. Used by `npm run validate` and by synthesis on in-memory objects.
 */
export function validateManifests(docs: ReadonlyArray<ManifestDoc>, options: ValidateOptions = {}): Finding[] {
  const { manifests, nonObjects } = readManifests(docs);
  const context = {
    manifests,
    templates: indexTemplates(manifests),
    lookup: indexByName(manifests),
    options: { requireOsConstraint: options.requireOsConstraint ?? true },
  };
  const found: { index: number; order: number; finding: Finding }[] = nonObjects.map(({ index, file, value }) => ({
    index,
    order: 0,
    finding: { file, object: '(document)', rule: 'schema', message: `is a ${Array.isArray(value) ? 'sequence' : typeof value}, not a Kubernetes object; remove it` },
  }));
  const add = (m: Manifest, order: number, rule: RuleId, message: string) =>
    found.push({ index: m.index, order, finding: { file: m.file, object: m.ref, rule, message } });

  const waivers = new Map(manifests.map((m) => [m, waiversOf(m)]));
  const usedWaivers = new Set<string>();
  RULES.forEach((rule, order) => {
    for (const { manifest, message } of rule.check(context)) {
      const waiver = waivers.get(manifest)?.waivers.find((w) => w.rule === rule.id);
      if (waiver && !UNWAIVABLE.has(rule.id)) usedWaivers.add(`${manifest.index}\n${rule.id}`);
      else add(manifest, order, rule.id, message);
    }
  });

  // Misused exceptions are findings too, reported last for their object.
  const exceptionOrder = RULES.length;
  const enabled = (rule: string) => rule !== 'os-constraint' || context.options.requireOsConstraint;
  for (const m of manifests) {
    for (const message of nodeAgentProblems(m)) add(m, exceptionOrder, 'exception', message);
    const { waivers: list, problems } = waivers.get(m) ?? { waivers: [], problems: [] };
    for (const message of problems) add(m, exceptionOrder, 'exception', message);
    for (const { rule } of list) {
      if (!RULE_IDS.has(rule)) add(m, exceptionOrder, 'exception', `waiver names unknown rule "${rule}"; use one of ${[...RULE_IDS].join(', ')}`);
      else if (UNWAIVABLE.has(rule)) add(m, exceptionOrder, 'exception', `rule ${rule} cannot be waived; fix the object`);
      else if (enabled(rule) && !usedWaivers.has(`${m.index}\n${rule}`)) add(m, exceptionOrder, 'exception', `waiver for ${rule} silences nothing; remove it`);
    }
  }
  return found.sort((a, b) => a.index - b.index || a.order - b.order).map((f) => f.finding);
}

/** The exceptions the given objects claim (node agents and waivers), for review with `--explain`. */
export function listExceptions(docs: ReadonlyArray<ManifestDoc>): GuardrailException[] {
  return readManifests(docs).manifests.flatMap((m): GuardrailException[] => {
    const base = { file: m.file, object: m.ref };
    const agentReason = nodeAgentReason(m);
    const template = podTemplateOf(m);
    const agent: GuardrailException[] =
      agentReason && template
        ? [{ ...base, rule: 'host-access', reason: agentReason, detail: `node agent using ${hostPrivileges(template.spec).map((p) => p.detail).join(', ') || 'no host privileges'}` }]
        : [];
    const waived = waiversOf(m).waivers
      .filter((w) => RULE_IDS.has(w.rule) && !UNWAIVABLE.has(w.rule))
      .map((w): GuardrailException => ({ ...base, rule: w.rule as RuleId, reason: w.reason, detail: 'waived' }));
    return [...agent, ...waived];
  });
}
