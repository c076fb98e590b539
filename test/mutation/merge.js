#!/usr/bin/env node
/**
 * Merges Stryker JSON reports of runs over disjoint folders into one (`files` and `testFiles` are keyed by
 * path): `node test/mutation/merge.js OUT IN...`. Used when the scope is run one area at a time.
 */
const fs = require('fs');

const [out, ...inputs] = process.argv.slice(2);
if (!out || inputs.length === 0) throw new Error('usage: merge.js OUT IN...');
const reports = inputs.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')));
const merged = { ...reports[0], files: {}, testFiles: {} };
for (const r of reports) {
  for (const [name, file] of Object.entries(r.files)) {
    if (merged.files[name]) throw new Error(`${name} is in two reports; merge runs over disjoint files only`);
    merged.files[name] = file;
  }
  for (const [name, file] of Object.entries(r.testFiles ?? {})) {
    const seen = merged.testFiles[name];
    merged.testFiles[name] = seen ? { ...seen, tests: [...new Map([...seen.tests, ...file.tests].map((t) => [t.id, t])).values()] } : file;
  }
}
fs.writeFileSync(out, JSON.stringify(merged));
