/**
 * Contender "floor": the fastest this output can be produced in Node with a mainstream writer. A
 * tiny script that builds the same plain objects ours produces (TEMPLATE_JSON holds ours' objects
 * for app `web-0000`, written by the harness from ours' own output; each app is a fresh deep copy
 * with its name substituted) and serializes them with `js-yaml` dump or `yaml` stringify.
 *   node floor.js N OUTDIR js-yaml|yaml TEMPLATE_JSON
 */
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { floorObjects, floorYaml, Json } from './floor-lib';
import { parseArgs, reportRssOnExit } from './spec';

reportRssOnExit();
const { n, outDir, rest } = parseArgs();
const [writer, templateFile] = rest;
if ((writer !== 'js-yaml' && writer !== 'yaml') || !templateFile) {
  console.error('usage: floor N OUTDIR js-yaml|yaml TEMPLATE_JSON');
  process.exit(2);
}
const template = JSON.parse(readFileSync(templateFile, 'utf8')) as Json[];
const text = floorYaml(floorObjects(template, n), writer);
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, `floor-${writer}.yaml`), text);
