/**
 * The committed mutation reports (test/mutation/report.js): every file of the scope in exactly one chunk,
 * and the compact, one-mutant-per-line form that keeps each commit of the reports small.
 */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const report = require('./mutation/report');

const root = path.join(__dirname, '..');
/** The folders the issue puts in scope, as Stryker's config lists them. */
const SCOPE = ['synth/', 'guardrails/', 'policy/', 'review/', 'constructs/', 'infra/bootstrap/', 'edge/'];

describe('chunks', () => {
  // Read from disk, not from git: the README flows run the suite in scratch copies with no commit.
  const files = SCOPE.flatMap((folder) =>
    (readdirSync(path.join(root, folder), { recursive: true }) as string[]).map((f) => `${folder}${f.split(path.sep).join('/')}`).filter((f) => f.endsWith('.ts')),
  );

  test('the scope has its source files (the listing works)', () => {
    for (const folder of SCOPE) expect(files.some((f) => f.startsWith(folder))).toBe(true);
    expect(files).toContain('guardrails/rules/node-port.ts');
    expect(files).toContain('constructs/cluster/flannel.ts');
  });

  test('every source file of the scope is in exactly one chunk', () => {
    const misplaced = files.map((f) => [f, report.chunksOf(f)]).filter(([, chunks]) => chunks.length !== 1);
    expect(misplaced).toEqual([]);
  });

  test('every chunk holds at least one file', () => {
    const used = new Set(files.flatMap((f) => report.chunksOf(f)));
    expect(Object.keys(report.CHUNKS).filter((c) => !used.has(c))).toEqual([]);
  });

  test('the globs: a range picks by first letter, * stays in its folder, **/ crosses folders', () => {
    expect(report.globToRegExp('guardrails/rules/[a-h]*.ts').test('guardrails/rules/hpa-target.ts')).toBe(true);
    expect(report.globToRegExp('guardrails/rules/[a-h]*.ts').test('guardrails/rules/image-tag.ts')).toBe(false);
    expect(report.globToRegExp('guardrails/*.ts').test('guardrails/rules/image-tag.ts')).toBe(false);
    expect(report.globToRegExp('guardrails/*.ts').test('guardrails/load.ts')).toBe(true);
    expect(report.globToRegExp('infra/bootstrap/**/*.ts').test('infra/bootstrap/linux.ts')).toBe(true);
    expect(report.globToRegExp('infra/bootstrap/**/*.ts').test('infra/bootstrap/a/b/c.ts')).toBe(true);
    expect(report.globToRegExp('synth/**/*.ts').test('synth/x.tsx')).toBe(false);
    expect(report.globToRegExp('synth/**/*.ts').test('synthx/a.ts')).toBe(false);
  });
});

describe('compact status reasons', () => {
  const stack = [
    'Error: expect(received).toBe(expected) // Object.is equality',
    '',
    'Expected: "k8s"',
    'Received: ""',
    '    at Object.<anonymous> (/work/main/.stryker-tmp/sandbox-dOhstX/test/policy.test.ts:131:30)',
    '    at Promise.then.completed (/work/main/node_modules/jest-circus/build/utils.js:298:28)',
    '    at new Promise (<anonymous>)',
  ].join('\n');

  test('keeps the message and the first frame in the project, without the sandbox folder', () => {
    expect(report.compactReason(stack)).toBe(
      'Error: expect(received).toBe(expected) // Object.is equality\n\nExpected: "k8s"\nReceived: ""\n    at Object.<anonymous> (test/policy.test.ts:131:30)',
    );
  });

  test('a stack with only framework frames keeps the message alone', () => {
    expect(report.compactReason('TypeError: x is not a function\n    at run (/w/node_modules/jest-circus/build/run.js:1:1)\n    at node:internal/process:1:1')).toBe('TypeError: x is not a function');
  });

  test('a reason without a stack stays as it is, sandbox folder cut out', () => {
    expect(report.compactReason('Hit limit reached (501/500)')).toBe('Hit limit reached (501/500)');
    expect(report.compactReason('Cannot find /w/.stryker-tmp/sandbox-AbC123/review/x.ts')).toBe('Cannot find review/x.ts');
    expect(report.compactReason(undefined)).toBeUndefined();
  });
});

describe('serialize', () => {
  const sample = () => ({
    schemaVersion: '2',
    thresholds: { high: 80, low: 60, break: null },
    files: {
      'b.ts': { language: 'typescript', source: 'const b = 1;\n', mutants: [{ id: '2', mutatorName: 'NumericLiteral', status: 'Killed', location: { start: { line: 1, column: 11 }, end: { line: 1, column: 12 } }, statusReason: 'Error: x\n    at t (/r/.stryker-tmp/sandbox-Q/test/b.test.ts:1:1)' }] },
      'a.ts': {
        language: 'typescript',
        source: 'a\n',
        mutants: [
          { id: '0', mutatorName: 'StringLiteral', status: 'Survived', location: { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } } },
          { id: '1', mutatorName: 'StringLiteral', status: 'Killed', location: { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } } },
        ],
      },
    },
    testFiles: { 'test/b.test.ts': { tests: [{ id: 't1', name: 'b' }] } },
  });

  test('is the same report, compacted, as JSON', () => {
    const expected = sample();
    expected.files['b.ts'].mutants[0].statusReason = 'Error: x\n    at t (test/b.test.ts:1:1)';
    expect(JSON.parse(report.serialize(report.compact(sample())))).toEqual(expected);
  });

  test('one line per mutant, files in name order', () => {
    const lines: string[] = report.serialize(sample()).split('\n');
    const mutantLines = lines.filter((l) => l.startsWith('{"id":'));
    expect(mutantLines).toHaveLength(3);
    expect(lines.findIndex((l) => l.startsWith('"a.ts"'))).toBeLessThan(lines.findIndex((l) => l.startsWith('"b.ts"')));
  });

  test("copies of test fixtures that look like secrets don't match secret scanners, and parse back unchanged", () => {
    const source = "const key = '-----BEGIN RSA PRIVATE KEY-----'; const url = 'db?Password=hunter22'; // AWS_SECRET_ACCESS_KEY\\-----BEGIN";
    const r = { schemaVersion: '2', files: {}, testFiles: { 't.ts': { source, tests: [] } } };
    const text: string = report.serialize(r);
    expect(text).not.toMatch(/-----BEGIN|password=|aws_secret_access_key/i);
    expect(JSON.parse(text).testFiles['t.ts'].source).toBe(source);
  });

  test('an empty report round-trips', () => {
    expect(JSON.parse(report.serialize({ schemaVersion: '2', files: {}, testFiles: {} }))).toEqual({ schemaVersion: '2', files: {}, testFiles: {} });
  });
});

describe('merge', () => {
  test('joins disjoint files and unions each test file by test id', () => {
    const merged = report.merge([
      { schemaVersion: '2', files: { 'a.ts': { mutants: [] } }, testFiles: { 't.ts': { tests: [{ id: '1' }, { id: '2' }] } } },
      { schemaVersion: '2', files: { 'b.ts': { mutants: [] } }, testFiles: { 't.ts': { tests: [{ id: '2' }, { id: '3' }] }, 'u.ts': { tests: [] } } },
    ]);
    expect(Object.keys(merged.files).sort()).toEqual(['a.ts', 'b.ts']);
    expect(merged.testFiles['t.ts'].tests.map((t: { id: string }) => t.id)).toEqual(['1', '2', '3']);
    expect(merged.testFiles['u.ts']).toEqual({ tests: [] });
  });

  test('refuses a file in two reports', () => {
    expect(() => report.merge([{ files: { 'a.ts': { mutants: [] } } }, { files: { 'a.ts': { mutants: [] } } }])).toThrow('a.ts is in two reports');
  });
});
