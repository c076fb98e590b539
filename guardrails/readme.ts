import { readFileSync, writeFileSync } from 'node:fs';
import { rulesTable } from './output';
import { RULES } from './rules';

/** guardrails/README.md's rule table, generated from the rule registry between these markers. */
export const README = 'guardrails/README.md';
const BEGIN = '<!-- rules:begin (generated from guardrails/rules: npx tsx guardrails/readme.ts) -->';
const END = '<!-- rules:end -->';

/** The README with its rule table replaced by the registry's. */
export function withRuleTable(readme: string): string {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${README}: markers ${BEGIN} … ${END} not found`);
  return `${readme.slice(0, start + BEGIN.length)}\n${rulesTable(RULES)}\n${readme.slice(end)}`;
}

if (require.main === module) writeFileSync(README, withRuleTable(readFileSync(README, 'utf8')));
