import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Finding } from '../../contracts/finding';
import { InputError, loadManifestFile } from '../../guardrails/load';
import { ManifestDoc } from '../../guardrails/manifest';
import { auditManifests } from '../../guardrails/validate';

/** The vendored real-world manifests (each folder with its LICENSE and SOURCE). */
export const CORPUS = 'test/fixtures/corpus';

const MANIFEST = /\.(ya?ml|json)$/i;

function manifestNames(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .filter((n) => MANIFEST.test(n) && statSync(join(dir, n)).isFile());
}

function subfolders(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .filter((n) => !n.startsWith('.') && statSync(join(dir, n)).isDirectory())
    .map((n) => join(dir, n));
}

/**
 * The examples: the top-most folders that hold manifests, each validated with its subfolders as one
 * cluster — as a user runs `npm run validate -- <example>` (an HPA in `hpa/` finds its Deployment).
 */
function exampleFolders(dir: string): string[] {
  return manifestNames(dir).length > 0 ? [dir] : subfolders(dir).flatMap(exampleFolders);
}

function filesBelow(dir: string): string[] {
  if (manifestNames(dir).some((n) => /^kustomization\.ya?ml$/i.test(n))) return []; // kustomize input, skipped like the CLI
  return [...manifestNames(dir).map((n) => join(dir, n)), ...subfolders(dir).flatMap(filesBelow)];
}

export interface CorpusRun {
  readonly findings: Finding[];
  readonly files: number;
  readonly objects: number;
  readonly inputErrors: string[];
  readonly skipped: string[];
}

/** Validates every example folder of the corpus as the CLI would (kustomize folders skipped, --no-os-constraint). */
export function validateCorpus(): CorpusRun {
  const findings: Finding[] = [];
  const inputErrors: string[] = [];
  const skipped: string[] = [];
  let files = 0;
  let objects = 0;
  for (const folder of exampleFolders(CORPUS)) {
    const docs: ManifestDoc[] = [];
    for (const file of filesBelow(folder)) {
      try {
        const loaded = loadManifestFile(file);
        if (loaded.skipped) skipped.push(relative(CORPUS, loaded.file));
        else files++;
        docs.push(...loaded.docs);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        inputErrors.push(error.message.replace(`${CORPUS}/`, ''));
      }
    }
    const audit = auditManifests(docs, { requireOsConstraint: false });
    objects += audit.objects;
    findings.push(...audit.findings.map((f) => ({ ...f, file: relative(CORPUS, f.file) })));
  }
  return { findings, files, objects, inputErrors, skipped };
}

/** One line per finding, stable across runs: `rule file:line object field`. */
export function findingKey(f: Finding): string {
  return `${f.rule} ${f.file}:${f.line ?? '?'} ${f.object ?? '-'} ${f.field ?? '-'}`;
}

