/**
 * The committed mutation report keeps its promises: the score over the whole scope is at least 85%
 * (killed + timeout over every scored mutant, covered or not), and every mutant that survived or had no
 * coverage is explained in a survivor note (test/mutation/documented.js).
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const report = require('./mutation/report');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { documentedPlaces, undocumentedSurvivors, noteOf } = require('./mutation/documented');

const root = path.join(__dirname, '..');
const incremental = (chunk: string) => path.join(root, 'reports', 'mutation', 'incremental', `${chunk}.json`);

describe('the survivor notes', () => {
  test('a row names one line, a range, or a list of lines, with or without a path', () => {
    const note = [
      '| where | mutant | verdict | why |',
      '| --- | --- | --- | --- |',
      '| cli.ts:15 | a | equivalent | x |',
      '| guardrails/load.ts:52-53 (6) | b | equivalent | x |',
      '| schema.ts:18, 22, 26-27, :37 (4) | c | equivalent | x |',
      '| not a place | d | equivalent | x |',
    ].join('\n');
    expect(documentedPlaces(note)).toStrictEqual([
      ['cli.ts', 15, 15],
      ['load.ts', 52, 53],
      ['schema.ts', 18, 18],
      ['schema.ts', 22, 22],
      ['schema.ts', 26, 27],
      ['schema.ts', 37, 37],
    ]);
  });

  test('a survivor on a line no row names is reported; killed mutants never are', () => {
    const mutant = (line: number, status: string) => ({ location: { start: { line, column: 1 }, end: { line, column: 2 } }, mutatorName: 'StringLiteral', replacement: '""', status });
    const chunk = { files: { 'guardrails/cli.ts': { mutants: [mutant(15, 'Survived'), mutant(16, 'NoCoverage'), mutant(17, 'Killed')] } } };
    expect(undocumentedSurvivors(chunk, '| cli.ts:15 | a | equivalent | x |')).toStrictEqual(['guardrails/cli.ts:16 StringLiteral → ""']);
    expect(undocumentedSurvivors(chunk, '| other.ts:16 | a | equivalent | x |')).toHaveLength(2);
  });

  test.each(Object.keys(report.CHUNKS))('every survivor of %s is explained in its note', (chunk) => {
    expect(existsSync(incremental(chunk))).toBe(true);
    const note = readFileSync(noteOf(root, chunk), 'utf8');
    expect(undocumentedSurvivors(report.read(incremental(chunk)), note)).toStrictEqual([]);
  });
});

describe('the merged report', () => {
  test('holds every chunk and scores at least 85% over all its scored mutants', () => {
    const merged = report.read(path.join(root, 'reports', 'mutation', 'mutation.json'));
    const counts: Record<string, number> = {};
    const folders = new Set<string>();
    for (const [file, { mutants }] of Object.entries(merged.files as Record<string, { mutants: { status: string }[] }>)) {
      expect(report.chunksOf(file)).toHaveLength(1);
      folders.add(file.startsWith('infra/bootstrap/') ? 'infra/bootstrap/' : `${file.split('/')[0]}/`);
      for (const m of mutants) counts[m.status] = (counts[m.status] ?? 0) + 1;
    }
    expect([...folders].sort()).toStrictEqual(['constructs/', 'edge/', 'guardrails/', 'infra/bootstrap/', 'policy/', 'review/', 'synth/']);
    const detected = (counts.Killed ?? 0) + (counts.Timeout ?? 0);
    const scored = detected + (counts.Survived ?? 0) + (counts.NoCoverage ?? 0) + (counts.Ignored ?? 0);
    expect(scored).toBeGreaterThan(10_000);
    expect(detected / scored).toBeGreaterThanOrEqual(0.85);
  });
});
