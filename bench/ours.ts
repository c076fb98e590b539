/**
 * Contender "ours" (see ours-app.ts): writes OUTDIR/ours.yaml, streamed in chunks of about 1 MB.
 *   node synth/launch.js bench/ours.ts N OUTDIR   (as users run the project: the cached bundle of `npm run synth`)
 *   node --import tsx bench/ours.ts N OUTDIR      (through tsx)
 *   node <bundle of this file> N OUTDIR           (prebuilt; the harness bundles it with esbuild)
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'fs';
import { join } from 'path';
import { writeOurs } from './ours-app';
import { parseArgs, reportRssOnExit } from './spec';

reportRssOnExit();
const { n, outDir } = parseArgs();
mkdirSync(outDir, { recursive: true });
const fd = openSync(join(outDir, 'ours.yaml'), 'w');
let pending = '';
writeOurs(n, (yaml) => {
  pending += yaml;
  if (pending.length >= 1 << 20) {
    writeSync(fd, pending);
    pending = '';
  }
});
writeSync(fd, pending);
closeSync(fd);
