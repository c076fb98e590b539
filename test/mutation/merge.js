#!/usr/bin/env node
/**
 * Merges Stryker JSON reports of runs over disjoint files into one, written compact and one mutant per
 * line (test/mutation/report.js): `node test/mutation/merge.js OUT IN...`.
 */
const report = require('./report');

const [out, ...inputs] = process.argv.slice(2);
if (!out || inputs.length === 0) throw new Error('usage: merge.js OUT IN...');
report.write(out, report.merge(inputs.map(report.read)));
