/**
 * The cdk8s entry (`npx cdk8s synth`, see cdk8s.yaml): synthesizes every environment into
 * `dist/<env>/`, all of them or none: a refusal or a failed publish leaves `dist/` as it was.
 */
import { resolve } from 'path';
import { environments } from './environments';
import { PublishError } from './synth/publish';
import { synthesize } from './synth/synthesize';

try {
  // stderr: the cdk8s CLI captures the app's stdout.
  synthesize(environments, { distDir: resolve(__dirname, 'dist'), stagingDir: process.env.CDK8S_OUTDIR, log: (line) => console.error(line) });
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof PublishError && err.distState === 'interrupted') {
    console.error(`synthesis failed while publishing; dist/ is mid-publish and the next synthesis completes or undoes it:\n  ${message}`);
  } else {
    // Only errors thrown before the journal is committed, or undone after it, reach here.
    console.error(`synthesis refused, dist/ left untouched:\n  ${message}`);
  }
  process.exit(1);
}
