/** Plain text for terminals: per section, risk lines (`!`) first, then what changed. */
import { countSection, noChangesLine, type Report } from '../model';
import { countsText, entryLines, totalCounts } from './lines';

export function renderText(report: Report): string {
  const notes = report.notes.map((note) => `note: ${note}`);
  if (report.sections.length === 0) return [...notes, noChangesLine(report)].join('\n') + '\n';
  const sections = report.sections.flatMap((section) => [
    `${section.title} — ${countsText(countSection(section))}`,
    ...section.risks.map((risk) => `  ! ${risk.text}`),
    ...section.entries.flatMap((entry) => entryLines(entry).map((line) => `  ${line}`)),
    '',
  ]);
  const total = `total: ${countsText(totalCounts(report.sections))}`;
  return [...notes, ...(notes.length > 0 ? [''] : []), ...sections, total].join('\n') + '\n';
}
