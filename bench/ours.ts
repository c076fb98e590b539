/**
 * Contender "ours" (see ours-app.ts): writes OUTDIR/ours.yaml.
 *   node --import tsx bench/ours.ts N OUTDIR      (as users run the project)
 *   node <bundle of this file> N OUTDIR           (prebuilt; the harness bundles it with esbuild)
 */
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { oursYaml } from './ours-app';
import { parseArgs, reportRssOnExit } from './spec';

reportRssOnExit();
const { n, outDir } = parseArgs();
const text = oursYaml(n);
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'ours.yaml'), text);
