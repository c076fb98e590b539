/** The CLI as CI runs it: a spawned process, judged by exit code and output. */
import { join } from 'path';
import { fixturePath } from './fixtures';
import { ROOT, runDiff as diff } from './runDiff';

describe('npm run diff', () => {
  it('exits 0 with "No changes." for identical trees', () => {
    const result = diff([fixturePath('base'), fixturePath('base')]);
    expect(result).toMatchObject({ code: 0, stdout: 'No changes.\n' });
  });

  it('exits 1 and prints the report when something changed', () => {
    const result = diff([fixturePath('base'), fixturePath('flip'), '--format', 'markdown']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('- traffic switch blue → green on Service versions/ver');
  });

  it('exits 2 naming the problem and the fix', () => {
    const result = diff([fixturePath('base'), join(ROOT, 'no-such-tree')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no-such-tree is not a directory');
    expect(result.stderr).toContain('fix: ');
  });
});
