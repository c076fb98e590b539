import { basename, dirname } from 'node:path';
import { InputError, LoadedFile, loadManifestFile, manifestFiles, parseManifestFile, readStdin } from './load';
import { ManifestDoc } from './manifest';
import { Options, parseOptions, UsageError, USAGE } from './options';
import { ExceptionInUse, render, Report, rulesTable, SkippedObject } from './output';
import { preloadValidators } from './models';
import { RULES } from './rules';
import { auditManifests } from './validate';
import type { Finding } from '../contracts/finding';

/** Exit statuses: scripts and CI tell "findings" from "could not check" from "bug in the validator". */
export const EXIT = { clean: 0, findings: 1, input: 2, internal: 3 } as const;

const STDIN = '-';
const KUSTOMIZATION = /^kustomization\.ya?ml$/i;

/** apiVersion and kind of each document (and List item), for preloading the validators they need. */
function typeMetaOf(docs: ReadonlyArray<ManifestDoc>): { apiVersion: string; kind: string }[] {
  const out: { apiVersion: string; kind: string }[] = [];
  const visit = (value: unknown) => {
    const o = value as { apiVersion?: unknown; kind?: unknown; items?: unknown } | null;
    if (!o || typeof o !== 'object') return;
    if (Array.isArray(o.items)) o.items.forEach(visit);
    if (typeof o.apiVersion === 'string' && typeof o.kind === 'string') out.push({ apiVersion: o.apiVersion, kind: o.kind });
  };
  docs.forEach((d) => visit(d.object));
  return out;
}

function checkRuleIds(options: Options): void {
  const known = new Set([...RULES.map((r) => r.id), 'exception']);
  for (const [flag, ids] of [['--exclude', options.exclude], ['--include-only', options.includeOnly]] as const) {
    const unknown = ids.filter((id) => !known.has(id));
    if (unknown.length) throw new UsageError(`${flag}: unknown rule ${unknown.join(', ')}; see --list-rules`);
  }
}

async function loadPath(path: string, inputErrors: string[], skippedFiles: string[]): Promise<{ docs: ManifestDoc[]; files: number }> {
  let loaded: LoadedFile[] = [];
  if (path === STDIN) {
    try {
      loaded = [parseManifestFile('<stdin>', await readStdin())];
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      inputErrors.push(error.message);
    }
  } else {
    let files: string[];
    try {
      files = manifestFiles(path);
    } catch (error) {
      inputErrors.push(`${path}: cannot read: ${(error as Error).message}`);
      return { docs: [], files: 0 };
    }
    if (files.length === 0) skippedFiles.push(`${path}: no *.yaml, *.yml or *.json files; skipped`);
    // A kustomize folder's files are inputs to kustomize (bases, patches), not what gets applied.
    const kustomized = new Set(files.filter((f) => KUSTOMIZATION.test(basename(f))).map(dirname));
    for (const dir of kustomized) {
      const count = files.filter((f) => dirname(f) === dir).length;
      skippedFiles.push(`${dir}: a kustomize folder (kustomization.yaml); skipped ${count} file(s): validate its output with \`kubectl kustomize ${dir} | npm run validate -- -\``);
    }
    files = files.filter((f) => !kustomized.has(dirname(f)));
    for (const file of files) {
      try {
        loaded.push(loadManifestFile(file));
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        inputErrors.push(error.message);
      }
    }
  }
  for (const file of loaded) if (file.skipped) skippedFiles.push(file.skipped);
  return { docs: loaded.flatMap((f) => f.docs), files: loaded.filter((f) => !f.skipped).length };
}

/** Runs the validator and returns the exit status and what to print. */
export async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let options: Options;
  try {
    options = parseOptions(args);
    checkRuleIds(options);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return { code: EXIT.input, stdout: '', stderr: `${error.message}\n${USAGE}\n` };
  }
  if (options.help) return { code: EXIT.clean, stdout: `${USAGE}\n`, stderr: '' };
  if (options.listRules) return { code: EXIT.clean, stdout: `${rulesTable(RULES)}\n`, stderr: '' };

  const findings: Finding[] = [];
  const inputErrors: string[] = [];
  const skippedFiles: string[] = [];
  const skippedObjects: SkippedObject[] = [];
  const exceptions: ExceptionInUse[] = [];
  let files = 0;
  let documents = 0;
  for (const path of options.paths) {
    const cluster = await loadPath(path, inputErrors, skippedFiles);
    files += cluster.files;
    await preloadValidators(typeMetaOf(cluster.docs));
    const audit = auditManifests(cluster.docs, options);
    findings.push(...audit.findings);
    skippedObjects.push(...audit.skipped);
    if (options.explain) exceptions.push(...audit.exceptions);
    documents += audit.objects;
  }
  if (files === 0 && inputErrors.length === 0) inputErrors.push(`no Kubernetes manifests under ${options.paths.join(', ')}`);

  const report: Report = { findings, inputErrors, skippedFiles, skippedObjects, exceptions, files, documents, kubernetesVersion: options.kubernetesVersion };
  const { stdout, stderr } = render(options.format, report, RULES);
  const failing = findings.some((f) => f.severity === 'error' || options.failOnWarning);
  const code = inputErrors.length > 0 ? EXIT.input : failing ? EXIT.findings : EXIT.clean;
  return { code, stdout, stderr };
}

/**
 * Writes the output and exits. A reader that goes away early (`| head`) closes the pipe: that is not
 * an error of the validator, so EPIPE ends the process quietly with the status it had.
 */
export function main(): void {
  let code: number = EXIT.internal;
  const quietOnEpipe = (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(code);
    throw error;
  };
  process.stdout.on('error', quietOnEpipe);
  process.stderr.on('error', quietOnEpipe);
  run(process.argv.slice(2)).then(
    (result) => {
      code = result.code;
      if (result.stderr) process.stderr.write(result.stderr);
      process.stdout.write(result.stdout, () => process.exit(code));
    },
    (error: Error) => {
      process.stderr.write(`internal error (a bug in the validator, please report it): ${error.stack ?? error.message}\n`, () => process.exit(EXIT.internal));
    },
  );
}

if (require.main === module) main();
