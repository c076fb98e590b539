/**
 * Which survivors the survivor notes explain. A note is a markdown table whose first cell names the
 * place: `file.ts:12`, `file.ts:12-14`, `file.ts:12, 15, :18` (a path prefix is allowed); every
 * surviving or uncovered mutant of a chunk's report must fall on a line some row names, in that
 * chunk's own note (reports/mutation/survivors/<chunk>.md) or, for the chunks measured first, in
 * reports/mutation/README.md.
 */
const fs = require('fs');
const path = require('path');

/** [basename, first line, last line] for every place the first cells of the note's table rows name. */
function documentedPlaces(markdown) {
  const places = [];
  for (const row of markdown.split('\n')) {
    if (!row.startsWith('| ') || /^\|\s*-{3}/.test(row)) continue;
    const cell = row.split('|')[1];
    let file;
    for (const m of cell.matchAll(/([\w./-]+\.ts):(\d+)(?:-(\d+))?((?:, :?\d+(?:-\d+)?)*)/g)) {
      file = path.basename(m[1]);
      places.push([file, Number(m[2]), Number(m[3] ?? m[2])]);
      for (const more of m[4].matchAll(/:?(\d+)(?:-(\d+))?/g)) places.push([file, Number(more[1]), Number(more[2] ?? more[1])]);
    }
  }
  return places;
}

/** `path:line mutator → replacement` of each survived or uncovered mutant no row of `markdown` names. */
function undocumentedSurvivors(report, markdown) {
  const places = documentedPlaces(markdown);
  const missing = [];
  for (const [file, { mutants }] of Object.entries(report.files)) {
    for (const m of mutants) {
      if (m.status !== 'Survived' && m.status !== 'NoCoverage') continue;
      const line = m.location.start.line;
      const base = path.basename(file);
      if (!places.some(([f, from, to]) => f === base && line >= from && line <= to)) missing.push(`${file}:${line} ${m.mutatorName} → ${m.replacement}`);
    }
  }
  return missing;
}

/** The note that explains a chunk's survivors. */
function noteOf(root, chunk) {
  const own = path.join(root, 'reports', 'mutation', 'survivors', `${chunk}.md`);
  return fs.existsSync(own) ? own : path.join(root, 'reports', 'mutation', 'README.md');
}

module.exports = { documentedPlaces, undocumentedSurvivors, noteOf };
