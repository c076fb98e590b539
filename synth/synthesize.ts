import { errorsOf, formatFinding } from '../contracts/finding';
import { checkEnvironments, Environment, sourceOf } from '../environments';
import { checkSynthesized } from '../cross-layer/checks';
import { checkRendered, checkTrafficMovesFrom } from './check';
import { checkEnvironmentNames, publish, PublishError, writeStaging } from './publish';
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
  const names = checkEnvironmentNames(envs.map((e) => e.name));
  if (names.length) throw new PublishError(names.join('\n  '), 'old');
  const { rendered, refusals } = renderEnvironments(envs);
  if (refusals.length) throw new PublishError(`${refusals.length} refusal(s) while building the charts:\n  ${refusals.map(formatFinding).join('\n  ')}`, 'old');
  for (const r of rendered) {
    for (const { workload, reason } of r.leftOut) log(`${r.env.name}: leaving out ${workload}: ${reason}`);
  }
  // Cross-layer first: a manifest that disagrees with the infrastructure is refused before its own guardrails.
  const findings = [
    ...rendered.flatMap(checkSynthesized),
    ...rendered.flatMap(checkRendered),
    // Against what dist/ holds now (what was applied): a Service may not move onto pods not yet running.
    ...rendered.flatMap((r) => checkTrafficMovesFrom(options.distDir, r)),
  ];
  for (const warning of findings.filter((f) => f.severity === 'warning')) log(`warning: ${formatFinding(warning)}`);
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
