#!/usr/bin/env node
/**
 * `npm run mutation [-- chunk...]`: Stryker over the mutation scope one chunk at a time, each with its own
 * incremental file (reports/mutation/incremental/<chunk>.json, committed: it is that chunk's full report,
 * and lets the next run retest only what changed; rewritten compact after the run, test/mutation/report.js),
 * then merges them into Stryker's default report path,
 * reports/mutation/mutation.json, and prints the per-folder scores (test/mutation/summarize.js; give it a
 * chunk's incremental file to list that chunk's survivors).
 *
 * Why chunks: the whole scope takes over an hour on a 2-core machine, and Stryker writes its results only
 * when a run ends; a chunk that is interrupted loses only itself, and a rerun reuses every unchanged
 * result of the chunks already done.
 *
 *   npm run mutation                     every chunk, then the merged report
 *   npm run mutation -- policy review    those chunks, then the merged report (others as last run)
 *   npm run mutation -- --list           the chunks and their globs
 *   npm run mutation -- --merge-only     only merge and summarize
 *   MUTATION_FORCE=1 npm run mutation -- synth              rerun every mutant of synth/
 *   MUTATION_RETEST_SURVIVORS=1 npm run mutation -- synth   retest only synth/'s survivors (and what changed)
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const root = path.join(__dirname, '..', '..');
const out = path.join(root, 'reports', 'mutation');

const { CHUNKS, read, write } = require('./report');

function configFor(name) {
  const base = JSON.parse(fs.readFileSync(path.join(root, 'stryker.config.json'), 'utf8'));
  delete base.$schema;
  const cfg = {
    ...base,
    mutate: CHUNKS[name],
    incrementalFile: `reports/mutation/incremental/${name}.json`,
    // The incremental file is the chunk's report; the merged one is written once every chunk has run.
    reporters: base.reporters.filter((r) => r !== 'json'),
  };
  // Static mutants (module-level code: constants, regexes, tables) run by default, against every test
  // file importing the mutated file (jest-by-file); MUTATION_STATIC=0 leaves them out for a quick look.
  if (process.env.MUTATION_STATIC === '0') cfg.ignoreStatic = true;
  // MUTATION_FORCE=1: rerun every mutant instead of reusing the incremental file's results.
  if (process.env.MUTATION_FORCE === '1') cfg.force = true;
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'stryker-chunk-')), `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(cfg, null, 2));
  return file;
}

/**
 * MUTATION_RETEST_SURVIVORS=1: forget the chunk's survived and uncovered results, so the run tests those
 * mutants again against today's tests and reuses every other result. Stryker's incremental mode reuses a
 * static mutant's survival while the tests that ran it are unchanged, so a new test file that kills it
 * would otherwise not count until a forced full run (tens of minutes per chunk here).
 */
function retestSurvivors(name) {
  const file = path.join(out, 'incremental', `${name}.json`);
  if (!fs.existsSync(file)) return;
  const report = read(file);
  let dropped = 0;
  for (const f of Object.values(report.files)) {
    const kept = f.mutants.filter((m) => m.status !== 'Survived' && m.status !== 'NoCoverage');
    dropped += f.mutants.length - kept.length;
    f.mutants = kept;
  }
  write(file, report);
  console.log(`== ${name}: ${dropped} survived or uncovered mutants will be tested again`);
}

function merge() {
  const reportOf = (n) => path.join(out, 'incremental', `${n}.json`);
  const reports = Object.keys(CHUNKS).map(reportOf).filter((f) => fs.existsSync(f));
  const missing = Object.keys(CHUNKS).filter((n) => !fs.existsSync(reportOf(n)));
  if (reports.length === 0) throw new Error('no chunk report in reports/mutation/incremental/; run `npm run mutation` first');
  const r = spawnSync(process.execPath, [path.join(__dirname, 'merge.js'), path.join(out, 'mutation.json'), ...reports], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  if (missing.length) console.error(`not in the merged report (never run): ${missing.join(', ')}`);
  spawnSync(process.execPath, [path.join(__dirname, 'summarize.js')], { stdio: 'inherit' });
}

const args = process.argv.slice(2);
if (args.includes('--list')) {
  for (const [n, globs] of Object.entries(CHUNKS)) console.log(`${n.padEnd(26)} ${globs.join(' ')}`);
  process.exit(0);
}
if (!args.includes('--merge-only')) {
  const unknown = args.filter((a) => !CHUNKS[a]);
  if (unknown.length) {
    console.error(`unknown chunk ${unknown.join(', ')}; the chunks are: ${Object.keys(CHUNKS).join(', ')}`);
    process.exit(2);
  }
  const stryker = path.join(root, 'node_modules', '.bin', 'stryker');
  for (const name of args.length ? args : Object.keys(CHUNKS)) {
    const started = Date.now();
    console.log(`\n== mutation chunk ${name}: ${CHUNKS[name].join(' ')}`);
    if (process.env.MUTATION_RETEST_SURVIVORS === '1') retestSurvivors(name);
    const r = spawnSync(stryker, ['run', configFor(name)], { cwd: root, stdio: 'inherit' });
    console.log(`== chunk ${name}: exit ${r.status} after ${Math.round((Date.now() - started) / 1000)} s`);
    if (r.status !== 0) process.exit(r.status ?? 1);
    const incremental = path.join(out, 'incremental', `${name}.json`);
    write(incremental, read(incremental));
  }
}
merge();
