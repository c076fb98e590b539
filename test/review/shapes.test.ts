/**
 * What `npm run diff` accepts: two dist/-shaped trees or two flat environment folders; never
 * "No changes." for inputs that differ; files it cannot place are named and compared byte for byte.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { diffTrees } from '../../review/diffTrees';
import { loadTree } from '../../review/load';
import { renderText } from '../../review/render/text';
import { fixturePath } from './fixtures';
import { runDiff } from './runDiff';

const scratch = () => mkdtempSync(join(tmpdir(), 'review-shapes-'));
const copy = (from: string) => {
  const dir = scratch();
  cpSync(from, dir, { recursive: true });
  return dir;
};

describe('two flat environment folders', () => {
  test('differing objects are reported (they used to read as "No changes.")', async () => {
    const r = await runDiff([join(fixturePath('base'), 'prod'), join(fixturePath('flip'), 'prod')]);
    expect(r.stdout).not.toContain('No changes');
    expect(r.stdout).toContain('traffic switch blue → green on Service versions/ver');
    expect(r.stdout).toMatch(/^prod — /m);
    expect(r.code).toBe(1);
  });

  test('identical folders: No changes., exit 0', async () => {
    const r = await runDiff([join(fixturePath('base'), 'prod'), copy(join(fixturePath('base'), 'prod'))]);
    expect(r).toMatchObject({ code: 0, stdout: 'No changes.\n' });
  });

  test('a flat folder against a dist/-shaped tree is refused with the fix, exit 2', async () => {
    const r = await runDiff([join(fixturePath('base'), 'prod'), fixturePath('flip')]);
    expect(r.stderr).toMatch(/is one environment folder .* but .* is a dist\/-shaped tree/);
    expect(r.stderr).toContain('compare like with like');
    expect(r.code).toBe(2);
  });
});

describe('files the diff cannot place', () => {
  test('a root-level file, a symlink, a non-YAML file and a nested folder are named, and their differences count', () => {
    const a = copy(fixturePath('base'));
    const b = copy(fixturePath('base'));
    for (const [dir, text] of [[a, 'old'], [b, 'new']] as const) {
      writeFileSync(join(dir, 'stray.yaml'), `# ${text}\n`);
      symlinkSync(join(dir, 'prod', 'nginx.yaml'), join(dir, 'prod', 'linked.yaml'));
      writeFileSync(join(dir, 'prod', 'notes.txt'), 'same\n');
      mkdirSync(join(dir, 'prod', 'nested'));
      writeFileSync(join(dir, 'prod', 'nested', 'x.yaml'), text === 'old' ? 'a: 1\n' : 'a: 2\n');
    }
    const report = diffTrees(loadTree(a), loadTree(b));
    const text = renderText(report);
    expect(text).not.toContain('No changes');
    for (const path of ['stray.yaml', 'prod/linked.yaml', 'prod/notes.txt', 'prod/nested']) expect(report.notes.some((n) => n.startsWith(`${path}: not compared`))).toBe(true);
    expect(report.notes.find((n) => n.startsWith('prod/linked.yaml'))).toContain('a symlink (never followed)');
    expect(report.notes.find((n) => n.startsWith('stray.yaml'))).toContain('a file at the top of a dist/-shaped tree');
    const unplaced = report.sections.find((s) => s.title === 'files that are neither manifests nor plans')!;
    // The symlinks point into their own tree, so their targets differ; notes.txt is equal.
    expect(unplaced.entries.map((e) => e.label).sort()).toEqual(['prod/linked.yaml', 'prod/nested', 'stray.yaml']);
  });

  test('objects equal but bytes different: says so instead of "No changes."', () => {
    const a = copy(fixturePath('base'));
    const b = copy(fixturePath('base'));
    writeFileSync(join(b, 'prod', 'nginx.yaml'), `# a comment\n${readFileSync(join(a, 'prod', 'nginx.yaml'), 'utf8')}`);
    const text = renderText(diffTrees(loadTree(a), loadTree(b)));
    expect(text).toContain('No semantic changes, but 1 file(s) differ in bytes only (formatting, order or comments): prod/nginx.yaml');
  });

  test('a tree left mid-publish is refused until the next synthesis completes it', () => {
    const a = copy(fixturePath('base'));
    writeFileSync(join(a, '.synth-journal.json'), '{}');
    expect(() => loadTree(a)).toThrow(/interrupted publish/);
  });
});
