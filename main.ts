/**
 * The cdk8s entry (`npx cdk8s synth`, see cdk8s.yaml): synthesizes every environment into
 * `dist/<env>/`, or refuses the whole run and leaves `dist/` untouched.
 */
import { resolve } from 'path';
import { environments } from './environments';
import { synthesize } from './synth/synthesize';

try {
  // stderr: the cdk8s CLI captures the app's stdout.
  synthesize(environments, { distDir: resolve(__dirname, 'dist'), stagingDir: process.env.CDK8S_OUTDIR, log: (line) => console.error(line) });
} catch (err) {
  console.error(`synthesis refused, dist/ left untouched:\n  ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
