/** `--base`: a real git repository whose "synth" copies source/ to dist/, so no cdk8s app is needed. */
import { spawnSync } from 'child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { fixturePath } from './fixtures';
import { ROOT, runDiff, type DiffRun } from './runDiff';

describe('npm run diff -- --base GIT_REF', () => {
  let repo: string;
  let switched: DiffRun;
  let unknownRef: DiffRun;
  const git = (...args: string[]) =>
    spawnSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], { cwd: repo, encoding: 'utf8' });

  beforeAll(() => {
    // A tiny project whose "synth" copies source/ to dist/, committed at blue, then flipped to green.
    repo = mkdtempSync(join(tmpdir(), 'review-cli-'));
    writeFileSync(join(repo, 'package.json'), JSON.stringify({ name: 'fixture', private: true, scripts: {} }));
    writeFileSync(join(repo, 'cdk8s.yaml'), 'language: typescript\napp: node synth.js\noutput: cdk8s.out\n');
    writeFileSync(
      join(repo, 'synth.js'),
      "const fs = require('fs');\nfs.rmSync('dist', { recursive: true, force: true });\nfs.cpSync('source', 'dist', { recursive: true });\nfs.mkdirSync('cdk8s.out', { recursive: true });\n",
    );
    writeFileSync(join(repo, '.gitignore'), 'node_modules\ncdk8s.out/\n');
    symlinkSync(join(ROOT, 'node_modules'), join(repo, 'node_modules'), 'dir');
    cpSync(fixturePath('base'), join(repo, 'source'), { recursive: true });
    cpSync(fixturePath('base'), join(repo, 'dist'), { recursive: true });
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'blue');
    for (const dir of ['source', 'dist']) {
      rmSync(join(repo, dir), { recursive: true });
      mkdirSync(join(repo, dir));
      cpSync(fixturePath('flip'), join(repo, dir), { recursive: true });
    }
  });

  // Both spawns at once: tsx start-up and cdk8s synth dominate the time.
  beforeAll(async () => {
    [switched, unknownRef] = await Promise.all([runDiff(['--base', 'HEAD'], repo), runDiff(['--base', 'no-such-branch'], repo)]);
  });

  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('synthesizes the ref in a worktree, diffs it against ./dist and removes the worktree', () => {
    expect(switched.stderr).not.toContain('diff:');
    expect(switched.code).toBe(1);
    expect(switched.stdout).not.toContain('synth failed');
    expect(switched.stdout).toContain('note: HEAD has no plan script: compared against its committed dist/infra/');
    expect(switched.stdout).toContain('  ! traffic switch blue → green on Service versions/ver');
    expect(git('worktree', 'list').stdout.trim().split('\n')).toHaveLength(1);
  });

  it('exits 2 on an unknown ref', () => {
    expect(unknownRef.code).toBe(2);
    expect(unknownRef.stderr).toContain('unknown git ref no-such-branch');
  });
});
