/** The CLI as CI runs it: a spawned process, judged by exit code and output. */
import { join } from 'path';
import { fixturePath } from './fixtures';
import { ROOT, runDiff, type DiffRun } from './runDiff';

describe('npm run diff', () => {
  let identical: DiffRun;
  let changed: DiffRun;
  let missing: DiffRun;

  // Spawning tsx dominates the time; run the three at once.
  beforeAll(async () => {
    [identical, changed, missing] = await Promise.all([
      runDiff([fixturePath('base'), fixturePath('base')]),
      runDiff([fixturePath('base'), fixturePath('flip'), '--format', 'markdown']),
      runDiff([fixturePath('base'), join(ROOT, 'no-such-tree')]),
    ]);
  });

  it('exits 0 with "No changes." for identical trees', () => {
    expect(identical).toMatchObject({ code: 0, stdout: 'No changes.\n' });
  });

  it('exits 1 and prints the report when something changed', () => {
    expect(changed.code).toBe(1);
    expect(changed.stdout).toContain('- traffic switch blue → green on Service versions/ver');
  });

  it('exits 2 naming the problem and the fix', () => {
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no-such-tree is not a directory');
    expect(missing.stderr).toContain('fix: ');
  });
});
