import { loadYamlFile, yamlFiles } from './load';
import { ManifestDoc } from './manifest';
import { auditManifests, Finding, formatFinding, GuardrailException } from './validate';

const USAGE = `usage: npm run validate -- [--explain] [--no-os-constraint] [--kubernetes-version=1.34] DIR|FILE...
Checks every *.yaml/*.yml under each DIR against the guardrails (SPEC §5). Each DIR is checked
as one cluster: Service/PDB selectors, HPA targets and nodePort reuse relate objects within it only,
so \`npm run validate -- dist/*/\` checks every environment on its own. A DIR without YAML is skipped.
  --explain           also list the exceptions in use (node agents, waivers) with their reasons
  --no-os-constraint  don't require an OS constraint per pod template (single-OS clusters)
  --kubernetes-version=V  judge Pod Security Standards at this cluster version (default: the newest known)
Exit status: 0 clean (warnings are reported only), 1 errors, 2 unreadable or unparseable input.`;

/** Runs the validator; returns the exit status. */
function main(args: string[]): number {
  const print = (line: string) => console.log(line);
  const printError = (line: string) => console.error(line);
  const version = args.find((a) => a.startsWith('--kubernetes-version='));
  const kubernetesVersion = version?.slice('--kubernetes-version='.length);
  const flags = new Set(args.filter((a) => a.startsWith('-') && a !== version));
  const paths = args.filter((a) => !a.startsWith('-'));
  const unknown = [...flags].filter((f) => !['--explain', '--no-os-constraint', '--help'].includes(f));
  if (flags.has('--help') || unknown.length > 0 || paths.length === 0) {
    if (unknown.length > 0) printError(`unknown option ${unknown.join(', ')}`);
    printError(USAGE);
    return flags.has('--help') && unknown.length === 0 ? 0 : 2;
  }

  const docs: ManifestDoc[] = [];
  const errors: string[] = [];
  const findings: Finding[] = [];
  const exceptions: GuardrailException[] = [];
  let fileCount = 0;
  for (const path of paths) {
    let files: string[];
    try {
      files = yamlFiles(path);
    } catch (error) {
      errors.push(`${path}: cannot read: ${(error as Error).message}`);
      continue;
    }
    if (files.length === 0) printError(`${path}: no *.yaml or *.yml files, skipped`);
    const cluster: ManifestDoc[] = [];
    for (const file of files) {
      fileCount++;
      try {
        cluster.push(...loadYamlFile(file));
      } catch (error) {
        errors.push((error as Error).message);
      }
    }
    const audit = auditManifests(cluster, { requireOsConstraint: !flags.has('--no-os-constraint'), kubernetesVersion });
    findings.push(...audit.findings);
    exceptions.push(...audit.exceptions);
    docs.push(...cluster);
  }
  if (fileCount === 0 && errors.length === 0) errors.push(`no *.yaml or *.yml files under ${paths.join(', ')}`);

  for (const finding of findings) print(formatFinding(finding));
  if (flags.has('--explain')) {
    for (const e of exceptions) print(`${e.file}: ${e.object}: exception [${e.rule}] ${e.detail}: ${e.reason}`);
  }
  for (const error of errors) printError(error);

  const objects = docs.filter((d) => d.object !== null && d.object !== undefined).length;
  const rules = new Set(findings.map((f) => f.rule)).size;
  print(
    `${findings.length} finding(s)${rules ? ` from ${rules} rule(s)` : ''} in ${objects} document(s) of ${fileCount} file(s)` +
      (errors.length ? `; ${errors.length} input error(s)` : ''),
  );
  return errors.length > 0 ? 2 : findings.some((f) => f.severity === 'error') ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
