import { renderMarkdown } from '../../review/render/markdown';
import { renderText } from '../../review/render/text';
import { diffFixtures } from './fixtures';

describe('renderers', () => {
  it('renders the blue/green flip as a PR comment', () => {
    expect(renderMarkdown(diffFixtures('base', 'flip'))).toMatchSnapshot();
  });

  it('renders every kind of change as a PR comment', () => {
    expect(renderMarkdown(diffFixtures('base', 'changed'))).toMatchSnapshot();
  });

  it('says so when nothing changed', () => {
    expect(renderText(diffFixtures('base', 'base'))).toBe('No changes.\n');
    expect(renderMarkdown(diffFixtures('base', 'base'))).toContain('No changes.');
  });

  it('escapes markdown in risk lines', () => {
    const report = { sections: [{ title: 'prod', entries: [], risks: [{ rule: 'prune' as const, text: 'Job a_b/c removed <now>' }] }], notes: [] };
    expect(renderMarkdown(report)).toContain('- Job a\\_b/c removed \\<now\\>');
  });
});
