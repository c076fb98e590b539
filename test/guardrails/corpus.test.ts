import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS, findingKey, validateCorpus } from './corpus';

/**
 * `npm run validate` on real-world manifests nobody here wrote (test/fixtures/corpus: kubernetes/examples,
 * Argo Rollouts examples, metrics-server, flannel, kube-state-metrics; LICENSE and SOURCE in each).
 * Every finding is listed in a reviewed file; a finding that is not there (a new false positive, or a
 * rule that now reads an object differently) fails the test, and so does one that disappeared.
 * Reviewed false positives stay in the list, marked `# FP: <why>`, so they are counted and visible.
 * After reviewing a change: UPDATE_CORPUS=1 npx jest test/guardrails/corpus.test.ts (keeps the marks).
 */
const REVIEWED = join(CORPUS, 'expected-findings.txt');

function readReviewed(): Map<string, string> {
  const reviewed = new Map<string, string>();
  if (!existsSync(REVIEWED)) return reviewed;
  for (const line of readFileSync(REVIEWED, 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [key, note] = line.split('  # ');
    reviewed.set(key, note ?? '');
  }
  return reviewed;
}

const run = validateCorpus();
const actual = run.findings.map(findingKey);

describe('the real-world corpus', () => {
  it('gives exactly the reviewed findings', () => {
    const reviewed = readReviewed();
    if (process.env.UPDATE_CORPUS) {
      const header = readFileSync(REVIEWED, 'utf8').split('\n').filter((l) => l.startsWith('#'));
      writeFileSync(REVIEWED, [...header, ...actual.map((k) => (reviewed.get(k) ? `${k}  # ${reviewed.get(k)}` : k))].join('\n') + '\n');
    }
    expect({ new: actual.filter((k) => !reviewed.has(k)), gone: [...reviewed.keys()].filter((k) => !actual.includes(k)) }).toEqual({ new: [], gone: [] });
  });

  it('counts findings by rule, false positives apart', () => {
    const reviewed = readReviewed();
    const byRule: Record<string, { findings: number; falsePositives: number }> = {};
    for (const f of run.findings) {
      const entry = (byRule[f.rule] ??= { findings: 0, falsePositives: 0 });
      entry.findings++;
      if (reviewed.get(findingKey(f))?.startsWith('FP:')) entry.falsePositives++;
    }
    const falsePositives = Object.values(byRule).reduce((n, r) => n + r.falsePositives, 0);
    expect({ files: run.files, objects: run.objects, findings: run.findings.length, falsePositives }).toEqual({ files: 279, objects: 351, findings: 1063, falsePositives: 2 });
    expect(byRule['selector-matches-no-pod']).toEqual({ findings: 7, falsePositives: 2 });
  });

  it('names the inputs it cannot use instead of guessing', () => {
    expect(run.inputErrors.filter((e) => e.includes('Helm template'))).toHaveLength(9);
    expect(run.inputErrors.filter((e) => e.includes('YAML error: duplicated mapping key'))).toHaveLength(5);
    expect(run.skipped).toContain('argo-rollouts/examples/helm-blue-green/Chart.yaml');
  });
});
