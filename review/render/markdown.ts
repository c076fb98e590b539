/**
 * A PR-comment body: a summary table, then per environment its risk lines as bullets and the
 * object-level changes folded in a <details> block (they can be long; the risks must not be).
 */
import { countSection, noChangesLine, type Report, type Section } from '../model';
import { countsText, entryLines } from './lines';

const HEADING = '## Generated changes (dist/)';

/** Risk lines are prose with names in them; keep GitHub from reading `_`, `*`, `<`... as markup. */
function escape(text: string): string {
  return text.replace(/[\\`*_[\]<>|~#]/g, (c) => `\\${c}`);
}

/** A code fence longer than any backtick run inside, so values can't end it early. */
function fenced(lines: readonly string[]): string[] {
  const longest = Math.max(2, ...lines.map((line) => Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length))));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}text`, ...lines, fence];
}

function table(sections: readonly Section[]): string[] {
  return [
    '| Environment | Added | Removed | Changed | Risks |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...sections.map((section) => {
      const c = countSection(section);
      return `| ${escape(section.title)} | ${c.added} | ${c.removed} | ${c.changed} | ${c.risks} |`;
    }),
  ];
}

function sectionBlock(section: Section): string[] {
  const summary = countsText({ ...countSection(section), risks: 0 });
  return [
    `### ${escape(section.title)}`,
    '',
    ...(section.risks.length > 0 ? [...section.risks.map((risk) => `- ${escape(risk.text)}`), ''] : []),
    `<details><summary>${summary}</summary>`,
    '',
    ...fenced(section.entries.flatMap(entryLines)),
    '',
    '</details>',
    '',
  ];
}

export function renderMarkdown(report: Report): string {
  const notes = report.notes.flatMap((note) => [`> note: ${escape(note)}`, '']);
  if (report.sections.length === 0) return [HEADING, '', ...notes, noChangesLine(report), ''].join('\n');
  return [HEADING, '', ...table(report.sections), '', ...notes, ...report.sections.flatMap(sectionBlock)].join('\n');
}
