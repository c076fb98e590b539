import { errorsOf, Finding, formatFinding } from '../contracts/finding';
import { checkEnvironments, Environment, sourceOf } from '../environments';
import { checkSynthesized } from '../cross-layer/checks';
import { checkRendered, checkTrafficMovesFrom } from './check';
import { publish, PublishError, writeStaging } from './publish';
import { renderEnvironments, RenderedEnvironment } from './render';

export interface SynthesisOptions {
  /** Where `dist/<env>/` folders go. */
  readonly distDir: string;
  /** Also write a plain copy here (the cdk8s CLI lists this folder). */
  readonly stagingDir?: string;
  /** Progress lines (left-out workloads, counts). */
  readonly log?: (line: string) => void;
}

/**
 * Renders every environment, applies the guardrails to all of them, and only when everything
 * passed replaces `dist/<env>/` for all of them at once (see synth/publish.ts). Any refusal throws
 * a PublishError with `distState: 'old'` before a single file of dist/ changes.
 */
export function synthesize(envs: readonly Environment[], options: SynthesisOptions): RenderedEnvironment[] {
  const log = options.log ?? (() => undefined);
  // tsx strips types: check the model itself, every problem at once, before a chart reads a value of it.
  const problems = checkEnvironments(envs.map(sourceOf));
  if (problems.length) throw new PublishError(`${problems.length} problem(s) in the environment model:\n  ${problems.map(formatFinding).join('\n  ')}`, 'old');
  const { rendered, refusals } = renderEnvironments(envs);
  if (refusals.length) throw new PublishError(`${refusals.length} refusal(s) while building the charts:\n  ${refusals.map(formatFinding).join('\n  ')}`, 'old');
  for (const r of rendered) {
    for (const { workload, reason } of r.leftOut) log(`${r.env.name}: leaving out ${workload}: ${reason}`);
  }
  // Cross-layer first: a manifest that disagrees with the infrastructure is refused before its own guardrails.
  const crossLayer = [
    ...rendered.flatMap(checkSynthesized),
    // Against what dist/ holds now (what was applied): a Service may not move onto pods not yet running.
    ...rendered.flatMap((r) => checkTrafficMovesFrom(options.distDir, r)),
  ];
  const manifestFindings = rendered.map((r) => ({ env: r.env.name, findings: checkRendered(r) }));
  const findings = [...crossLayer, ...manifestFindings.flatMap((m) => m.findings)];
  // Cross-layer warnings are few and only synthesis sees them: in full. The manifest rules' advisory
  // warnings (kube-linter/kube-score style) are counted per rule; `npm run validate` lists them.
  for (const warning of crossLayer.filter((f) => f.severity === 'warning')) log(formatFinding(warning));
  for (const { env, findings: found } of manifestFindings) {
    const summary = warningSummary(found);
    if (summary) log(`${env}: ${summary}; \`npm run validate -- dist/${env}/\` lists them`);
  }
  const errors = errorsOf(findings);
  if (errors.length) throw new PublishError(`${errors.length} guardrail finding(s):\n  ${errors.map(formatFinding).join('\n  ')}`, 'old');
  if (options.stagingDir) writeStaging(options.stagingDir, rendered);
  publish(options.distDir, rendered, { warn: (line) => log(`warning: ${line}`) });
  for (const r of rendered) {
    const count = r.files.reduce((n, f) => n + f.objects.length, 0);
    log(`${r.env.name}: ${count} objects in ${r.files.length} files → dist/${r.env.name}/`);
  }
  return rendered;
}

/** `N warning(s): rule-a 12, rule-b 3`, most frequent first; empty when there are none. */
export function warningSummary(findings: readonly Finding[]): string {
  const counts = new Map<string, number>();
  for (const f of findings) if (f.severity === 'warning') counts.set(f.rule, (counts.get(f.rule) ?? 0) + 1);
  if (counts.size === 0) return '';
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const byRule = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([rule, n]) => `${rule} ${n}`);
  return `${total} warning(s): ${byRule.join(', ')}`;
}
