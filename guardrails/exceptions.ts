import { NODE_AGENT_ANNOTATION, WAIVE_ANNOTATION } from '../contracts/labels';
import { isKind, Manifest } from './manifest';
import type { Problem } from './rules/rule';
import { asObject, asString, at } from './object';

/**
 * Exceptions are explicit, explained and per object — never blanket:
 * - node agent: a DaemonSet annotated `guardrails.k8s-book-systems.io/node-agent: "<reason>"` may use
 *   the host privileges a node agent needs (see host-access); every other rule still applies to it.
 * - waiver: `guardrails.k8s-book-systems.io/waive: "<rule-id>: <reason>"` (one per line) silences one
 *   rule for one object. schema, removed-api and exception can't be waived (the object would not apply,
 *   or the mechanism would waive itself). A waiver without a reason, for an unknown rule, or that
 *   silences nothing is itself a finding, so waivers don't outlive the problem they excuse.
 * `npm run validate -- --explain` lists every exception in use with its reason.
 */
export { NODE_AGENT_ANNOTATION, WAIVE_ANNOTATION };

/** What the API server refuses can't be waived (the object would not apply), nor can the mechanism itself. */
export const UNWAIVABLE: ReadonlySet<string> = new Set(['schema', 'removed-api', 'object-name', 'labels', 'duplicate-object', 'restart-policy', 'exception']);

function annotation(m: Manifest, key: string): string | undefined {
  const annotations = asObject(at(m.object, 'metadata', 'annotations'));
  return annotations && key in annotations ? (asString(annotations[key]) ?? '') : undefined;
}

/** The reason a DaemonSet is a node agent, or undefined when it is not one (or the claim is invalid). */
export function nodeAgentReason(m: Manifest): string | undefined {
  const reason = annotation(m, NODE_AGENT_ANNOTATION)?.trim();
  return reason && isKind(m, ['apps', 'extensions'], 'DaemonSet') ? reason : undefined;
}

interface Waiver {
  readonly rule: string;
  readonly reason: string;
}

/** Parses the waive annotation; entries that don't parse come back as problems. */
export function waiversOf(m: Manifest): { waivers: Waiver[]; problems: Problem[] } {
  const waivers: Waiver[] = [];
  const problems: Problem[] = [];
  const field = `metadata.annotations["${WAIVE_ANNOTATION}"]`;
  const value = annotation(m, WAIVE_ANNOTATION);
  for (const line of (value ?? '').split('\n').map((l) => l.trim()).filter(Boolean)) {
    const match = /^([a-z-]+)\s*:\s*(.*)$/.exec(line);
    if (!match || !match[2].trim()) problems.push({ field, problem: `waiver "${line}" is not of the form "<rule-id>: <reason>"`, fix: 'write the rule id, a colon and the reason' });
    else waivers.push({ rule: match[1], reason: match[2].trim() });
  }
  if (value !== undefined && waivers.length === 0 && problems.length === 0) problems.push({ field, problem: `${WAIVE_ANNOTATION} is empty`, fix: 'write "<rule-id>: <reason>" or remove it' });
  return { waivers, problems };
}

/** Misused node-agent annotations (wrong kind, no reason). */
export function nodeAgentProblems(m: Manifest): Problem[] {
  const value = annotation(m, NODE_AGENT_ANNOTATION);
  if (value === undefined) return [];
  const field = `metadata.annotations["${NODE_AGENT_ANNOTATION}"]`;
  if (!isKind(m, ['apps', 'extensions'], 'DaemonSet')) {
    return [{ field, problem: `${NODE_AGENT_ANNOTATION} only applies to DaemonSets (one pod per node)`, fix: 'remove it and drop the host access instead' }];
  }
  return value.trim() ? [] : [{ field, problem: `${NODE_AGENT_ANNOTATION} has no reason saying why this agent needs the host`, fix: 'write one' }];
}
