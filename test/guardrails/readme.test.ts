/** guardrails/README.md's generated rule table: the markers and what lies between them. */
import { rulesTable } from '../../guardrails/output';
import { README, withRuleTable } from '../../guardrails/readme';
import { RULES } from '../../guardrails/rules';

const BEGIN = '<!-- rules:begin (generated from guardrails/rules: npx tsx guardrails/readme.ts) -->';
const END = '<!-- rules:end -->';
const ERROR = `guardrails/README.md: markers ${BEGIN} … ${END} not found`;

describe('withRuleTable', () => {
  it('names the README', () => {
    expect(README).toBe('guardrails/README.md');
  });

  it('replaces what lies between the markers, keeping both', () => {
    const table = rulesTable(RULES);
    expect(table.startsWith('| rule | severity |')).toBe(true);
    expect(withRuleTable(`intro\n${BEGIN}\nold table\n${END}\nrest\n`)).toBe(`intro\n${BEGIN}\n${table}\n${END}\nrest\n`);
    expect(withRuleTable(`${BEGIN}${END}`)).toBe(`${BEGIN}\n${table}\n${END}`);
  });

  it('refuses a README without both markers in order', () => {
    expect(() => withRuleTable('no markers')).toThrow(new Error(ERROR));
    expect(() => withRuleTable(`${BEGIN}\nno end`)).toThrow(new Error(ERROR));
    expect(() => withRuleTable(`no begin\n${END}`)).toThrow(new Error(ERROR));
    expect(() => withRuleTable(`${END}\n${BEGIN}`)).toThrow(new Error(ERROR));
  });
});
