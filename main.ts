/**
 * The cdk8s entry: renders every environment in memory, refuses the whole run on any error, and
 * only then replaces `dist/<env>/`. `npx cdk8s synth` runs it (see cdk8s.yaml).
 */
import { resolve } from 'path';
import { environments } from './environments';
import { checkRendered } from './synth/check';
import { publish, writeStaging } from './synth/publish';
import { renderEnvironment } from './synth/render';

function main(): void {
  const distDir = resolve(__dirname, 'dist');
  const rendered = environments.map(renderEnvironment);
  for (const r of rendered) {
    for (const { workload, reason } of r.leftOut) console.error(`${r.env.name}: leaving out ${workload}: ${reason}`);
  }
  const findings = rendered.flatMap(checkRendered);
  if (findings.length) throw new Error(`${findings.length} guardrail finding(s):\n  ${findings.join('\n  ')}`);
  if (process.env.CDK8S_OUTDIR) writeStaging(process.env.CDK8S_OUTDIR, rendered);
  publish(distDir, rendered);
  for (const r of rendered) {
    const count = r.files.reduce((n, f) => n + f.objects.length, 0);
    console.error(`${r.env.name}: ${count} objects in ${r.files.length} files → dist/${r.env.name}/`);
  }
}

try {
  main();
} catch (err) {
  console.error(`synthesis refused, dist/ left untouched:\n  ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
