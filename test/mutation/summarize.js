#!/usr/bin/env node
/**
 * Scores of a Stryker JSON report per folder, and its survivors: `node test/mutation/summarize.js
 * [reports/mutation/mutation.json]`. Score = (killed + timeout) / every valid mutant: survived,
 * no-coverage and ignored ones (static mutants left out with MUTATION_STATIC=0) all count as not killed.
 * Runtime and compile errors (the mutant crashed a test file or does not type-check) are listed apart,
 * as Stryker's own score leaves them out.
 */
const fs = require('fs');
const path = require('path');

const file = process.argv[2] ?? path.join(__dirname, '..', '..', 'reports', 'mutation', 'mutation.json');
const report = JSON.parse(fs.readFileSync(file, 'utf8'));
const FOLDERS = ['synth/', 'guardrails/', 'policy/', 'review/', 'constructs/', 'infra/bootstrap/', 'edge/'];

const rows = new Map();
const survivors = [];
for (const [name, result] of Object.entries(report.files)) {
  const folder = FOLDERS.find((f) => name.startsWith(f)) ?? path.dirname(name) + '/';
  const row = rows.get(folder) ?? { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, Ignored: 0, RuntimeError: 0, CompileError: 0 };
  for (const m of result.mutants) {
    row[m.status] = (row[m.status] ?? 0) + 1;
    if (m.status === 'Survived' || m.status === 'NoCoverage' || m.status === 'Ignored') {
      const line = result.source.split('\n')[m.location.start.line - 1] ?? '';
      survivors.push({ where: `${name}:${m.location.start.line}`, status: m.status, mutator: m.mutatorName, replacement: (m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 80), code: line.trim().slice(0, 100), id: m.id });
    }
  }
  rows.set(folder, row);
}

const pct = (n, d) => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)}%`);
const lines = ['| folder | mutants | killed | timeout | survived | no coverage | ignored | score | errors (not scored) |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'];
const total = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, Ignored: 0, RuntimeError: 0, CompileError: 0 };
for (const folder of [...FOLDERS, ...[...rows.keys()].filter((f) => !FOLDERS.includes(f))]) {
  const r = rows.get(folder);
  if (!r) continue;
  const valid = r.Killed + r.Timeout + r.Survived + r.NoCoverage + r.Ignored;
  for (const k of Object.keys(total)) total[k] += r[k];
  lines.push(`| ${folder} | ${valid} | ${r.Killed} | ${r.Timeout} | ${r.Survived} | ${r.NoCoverage} | ${r.Ignored} | ${pct(r.Killed + r.Timeout, valid)} | ${r.RuntimeError + r.CompileError} |`);
}
const valid = total.Killed + total.Timeout + total.Survived + total.NoCoverage + total.Ignored;
lines.push(`| **all** | ${valid} | ${total.Killed} | ${total.Timeout} | ${total.Survived} | ${total.NoCoverage} | ${total.Ignored} | **${pct(total.Killed + total.Timeout, valid)}** | ${total.RuntimeError + total.CompileError} |`);
console.log(lines.join('\n'));
if (process.argv.includes('--survivors')) {
  console.log('\n| where | status | mutator | replacement | code |\n| --- | --- | --- | --- | --- |');
  for (const s of survivors) console.log(`| ${s.where} | ${s.status} | ${s.mutator} | \`${s.replacement.replace(/\|/g, '\\|').replace(/`/g, "'")}\` | \`${s.code.replace(/\|/g, '\\|').replace(/`/g, "'")}\` |`);
}
