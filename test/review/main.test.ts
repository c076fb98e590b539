/**
 * `npm run diff` in-process (review/main.ts): arguments, exit codes, what goes to stdout and stderr.
 * cli.test.ts runs the same command as CI does (a spawned process); these call `main` directly so a
 * change to it is seen by the tests.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { main, type Io } from '../../review/main';
import { fixturePath } from './fixtures';
import { isolateTemp, killParent, makeRepo, scratchRoot, type Repo } from './gitFixture';

isolateTemp();

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(args: readonly string[], cwd = scratchRoot()): Run {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, tmp: scratchRoot() };
  const code = main(args, io);
  return { code, stdout, stderr };
}

const BASE = fixturePath('base');
const FLIP = fixturePath('flip');
const USAGE_FIRST_LINE = 'usage: npm run diff -- DIR_A DIR_B [--format text|markdown]';

const TEXT_FLIP = `prod — 1 changed, 1 risk
  ! traffic switch blue → green on Service versions/ver
  ~ Service versions/ver (versions.yaml)
      ~ metadata.annotations["bluegreen.example.com/live-slot"]: blue → green
      ~ spec.selector.slot: blue → green

total: 1 changed, 1 risk
`;

const scratch: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(scratchRoot(), prefix));
  scratch.push(dir);
  return dir;
};
afterAll(() => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('help and usage errors', () => {
  test.each([
    ['--help', ['--help']],
    ['-h', ['-h']],
    ['--help after a folder', [BASE, '--help']],
    ['-h among other arguments', ['--format', 'markdown', '-h', BASE]],
  ])('%s prints the usage on stdout and exits 0', (_what, args) => {
    const r = run(args);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')[0]).toBe(USAGE_FIRST_LINE);
    expect(r.stdout).toContain('npm run diff -- --base GIT_REF [--format text|markdown]');
    expect(r.stdout.endsWith('are compared byte for byte and named.\n')).toBe(true);
  });

  test.each([
    ['--format', ['--format'], 'diff: --format needs a value\n  fix: usage: npm run diff'],
    ['A B --base', [BASE, FLIP, '--base'], 'diff: --base needs a value\n  fix: usage: npm run diff'],
    ['--format yaml A B', ['--format', 'yaml', BASE, FLIP], 'diff: unknown format yaml\n  fix: use --format text or --format markdown\n'],
    ['--verbose A B', ['--verbose', BASE, FLIP], 'diff: unknown option --verbose\n  fix: usage: npm run diff'],
    ['-x', ['-x'], 'diff: unknown option -x\n'],
    ['(nothing)', [], 'diff: expected two directories to compare\n  fix: usage: npm run diff'],
    ['A', [BASE], 'diff: expected two directories to compare\n'],
    ['A B A', [BASE, FLIP, BASE], 'diff: expected two directories to compare\n'],
    ['--base HEAD A', ['--base', 'HEAD', BASE], 'diff: --base takes no directories\n  fix: usage: npm run diff'],
  ])('`%s` exits 2', (_what, args, message) => {
    const r = run(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.startsWith(message)).toBe(true);
  });

  test('a value that looks like an option is taken as the value of --format/--base', () => {
    // `--format --help` asks for format "--help": refused as a format, not read as a request for help.
    expect(run(['--format', '--help', BASE, FLIP]).stderr).toBe('diff: unknown format --help\n  fix: use --format text or --format markdown\n');
  });

  test('without an io argument it writes to the process streams', () => {
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(main(['--help'])).toBe(0);
      expect(main(['--format'])).toBe(2);
      expect(String(out.mock.calls[0]?.[0]).split('\n')[0]).toBe(USAGE_FIRST_LINE);
      expect(String(err.mock.calls[0]?.[0])).toMatch(/^diff: --format needs a value\n/);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });
});

describe('two trees', () => {
  test('identical trees: "No changes." and exit 0', () => {
    expect(run([BASE, BASE])).toStrictEqual({ code: 0, stdout: 'No changes.\n', stderr: '' });
  });

  test('a change: the text report on stdout and exit 1', () => {
    expect(run([BASE, FLIP])).toStrictEqual({ code: 1, stdout: TEXT_FLIP, stderr: '' });
    expect(run(['--format', 'text', BASE, FLIP])).toStrictEqual({ code: 1, stdout: TEXT_FLIP, stderr: '' });
  });

  test('--format markdown (before or after the folders) renders markdown', () => {
    for (const args of [['--format', 'markdown', BASE, FLIP], [BASE, FLIP, '--format', 'markdown']]) {
      const r = run(args);
      expect(r.code).toBe(1);
      expect(r.stdout.split('\n')[0]).toBe('## Generated changes (dist/)');
      expect(r.stdout).toContain('\n- traffic switch blue → green on Service versions/ver\n');
    }
  });

  test('two flat folders of the same name: one section titled by it', () => {
    const r = run([join(BASE, 'prod'), join(FLIP, 'prod')]);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe('prod — 1 changed, 1 risk');
  });

  test('two flat folders of different names: the section reads "a → b"', () => {
    const renamed = join(tempDir('review-main-'), 'prod-new');
    cpSync(join(FLIP, 'prod'), renamed, { recursive: true });
    const r = run([join(BASE, 'prod'), renamed]);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe('prod → prod-new — 1 changed, 1 risk');
  });

  test('a folder that does not exist: exit 2 naming it and the fix, nothing on stdout', () => {
    const missing = join(scratchRoot(), 'review-main-no-such-tree');
    const r = run([BASE, missing]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `diff: ${missing} is not a directory\n  fix: pass a synthesized tree shaped like dist/, or one environment folder such as dist/dev (npm run synth creates dist/)\n`,
    );
  });

  test('a flat folder against a dist/-shaped tree is refused (exit 2)', () => {
    const r = run([join(BASE, 'prod'), FLIP]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `diff: ${join(BASE, 'prod')} is one environment folder (YAML files, no sub-folders), but ${FLIP} is a dist/-shaped tree (<env>/ folders)\n` +
        '  fix: compare like with like: two dist/ trees, or two environment folders such as dist/dev and another dev folder\n',
    );
  });

  test('an unexpected failure (not a usage error) still exits 2, with its stack, never 1 ("changed")', () => {
    // The report cannot be written (stdout closed under `npm run diff | head`): no answer for that but the stack.
    let stderr = '';
    const io: Io = {
      stdout: () => {
        throw Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
      },
      stderr: (t) => (stderr += t),
      cwd: scratchRoot(),
      tmp: scratchRoot(),
    };
    expect(main([BASE, FLIP], io)).toBe(2);
    expect(stderr).toMatch(/^diff: Error: write EPIPE\n {4}at /);
  });

  test('an alias bomb is refused as invalid YAML naming the file (the parser will not expand it)', () => {
    const dir = tempDir('review-main-bomb-');
    writeFileSync(
      join(dir, 'bomb.yaml'),
      'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n',
    );
    const r = run([dir, join(BASE, 'prod')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `diff: ${join(dir, 'bomb.yaml')}: document 1 is not valid YAML (Excessive alias count indicates a resource exhaustion attack)\n  fix: regenerate it with npx cdk8s synth\n`,
    );
  });
});

describe('--base GIT_REF', () => {
  let repo: Repo;
  beforeAll(() => {
    // Committed: dist = base, source = flip; the working copy's dist/ stays base.
    repo = makeRepo();
  });
  afterAll(() => repo.remove());

  test('outside a git checkout: exit 2 with the fix', () => {
    const r = run(['--base', 'HEAD'], tempDir('review-main-nogit-'));
    expect(r).toStrictEqual({ code: 2, stdout: '', stderr: 'diff: --base needs a git checkout\n  fix: run it inside the repository\n' });
  });

  test("compares the ref's regenerated dist/ with ./dist of the checkout, from any folder inside it", () => {
    // The ref generates the flip tree; ./dist is the base tree: the switch reads green → blue.
    const r = run(['--base', 'HEAD'], join(repo.root, 'source', 'prod'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      'note: HEAD has no plan script: compared against its committed dist/infra/\n\n' +
        TEXT_FLIP.replace(/blue → green/g, 'green → blue'),
    );
    expect(repo.worktrees()).toStrictEqual([]);
  });

  test('--format markdown with --base', () => {
    const r = run(['--base', 'HEAD', '--format', 'markdown'], repo.root);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('- traffic switch green → blue on Service versions/ver');
    expect(r.stdout).toContain('## Generated changes (dist/)');
  });

  test('an unknown ref: exit 2 naming it', () => {
    const r = run(['--base', 'no-such-branch'], repo.root);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('diff: unknown git ref no-such-branch');
  });

  test.each([
    ['INT', 130],
    ['TERM', 143],
    ['HUP', 129],
  ] as const)('a generator stopped by SIG%s: exit %i, the message on stderr, nothing on stdout', (signal, code) => {
    const interrupted = makeRepo({ cdk8s: killParent(signal) });
    try {
      expect(run(['--base', 'HEAD'], interrupted.root)).toStrictEqual({
        code,
        stdout: '',
        stderr: `diff: interrupted by SIG${signal}; the base worktree was removed\n`,
      });
      expect(interrupted.worktrees()).toStrictEqual([]);
    } finally {
      interrupted.remove();
    }
  });
});
