import { existsSync } from 'node:fs';
import { InputError, readManifestFile } from './load';
import { parseYamlDocuments, YamlError } from './yaml';
import { isSupportedVersion, NEWEST_SUPPORTED, OLDEST_SUPPORTED, parseVersion } from './versions';

export type Format = 'text' | 'json' | 'sarif';
const FORMATS: ReadonlyArray<Format> = ['text', 'json', 'sarif'];

/** Everything a run is asked to do, from the command line and the config file (the command line wins). */
export interface Options {
  readonly paths: string[];
  readonly format: Format;
  readonly exclude: string[];
  readonly includeOnly: string[];
  /** `major.minor`, e.g. `1.30`. */
  readonly kubernetesVersion: string;
  readonly requireOsConstraint: boolean;
  readonly explain: boolean;
  readonly failOnWarning: boolean;
  readonly listRules: boolean;
  readonly help: boolean;
  /** The config file used, if any. */
  readonly config?: string;
}

/** A usage error (bad flag, bad config): exit status 2 with the usage text. */
export class UsageError extends Error {}

export const CONFIG_FILE = '.guardrails.yaml';

export const USAGE = `usage: npm run validate -- [options] DIR|FILE|-...
Checks every *.yaml, *.yml and *.json (any case) under each DIR, or FILE, or stdin (-), as the API
server and the guardrails would. Each argument is one cluster: Service/PDB selectors, HPA targets and
nodePort reuse relate objects within it only, so \`npm run validate -- dist/*/\` checks every
environment on its own. Helm templates, kustomizations, compose files and Chart/values files are not
manifests: they are named and skipped (render them first).
  --format text|json|sarif     output (default text; sarif is SARIF 2.1.0 for code scanning)
  --exclude RULE[,RULE]        don't run these rules (repeatable)
  --include-only RULE[,RULE]   run only these rules (repeatable)
  --kubernetes-version X.Y     API server version to check against (${OLDEST_SUPPORTED}–${NEWEST_SUPPORTED}, default ${NEWEST_SUPPORTED})
  --config FILE                options file (default ./${CONFIG_FILE} when present)
  --list-rules                 print the rules with their kube-linter/kube-score equivalents
  --explain                    also list the exceptions in use (node agents, waivers) with their reasons
  --no-os-constraint           don't require an OS constraint per pod template (single-OS clusters)
  --fail-on-warning            exit 1 on warnings too
${CONFIG_FILE}: exclude: [RULE...], includeOnly: [RULE...], kubernetesVersion: "X.Y",
  osConstraint: true|false, failOnWarning: true|false. Per object, the waiver annotation
  guardrails.k8s-book-systems.io/waive: "<rule>: <reason>" silences one rule with a reason.
Exit status: 0 clean (warnings allowed), 1 error findings, 2 input or usage error, 3 internal error.`;

interface ConfigFile {
  exclude?: string[];
  includeOnly?: string[];
  kubernetesVersion?: string;
  osConstraint?: boolean;
  failOnWarning?: boolean;
}

const CONFIG_KEYS: Record<keyof ConfigFile, 'list' | 'string' | 'boolean'> = {
  exclude: 'list',
  includeOnly: 'list',
  kubernetesVersion: 'string',
  osConstraint: 'boolean',
  failOnWarning: 'boolean',
};

function readConfig(file: string): ConfigFile {
  let documents;
  try {
    documents = parseYamlDocuments(readManifestFile(file));
  } catch (error) {
    if (error instanceof InputError || error instanceof YamlError) throw new UsageError(`${file}: ${error.message}`);
    throw error;
  }
  const value = documents[0]?.value ?? {};
  if (documents.length > 1 || typeof value !== 'object' || Array.isArray(value)) throw new UsageError(`${file}: must be one YAML mapping of options`);
  const config = value as Record<string, unknown>;
  for (const [key, v] of Object.entries(config)) {
    const type = CONFIG_KEYS[key as keyof ConfigFile];
    if (!type) throw new UsageError(`${file}: unknown option "${key}"; use ${Object.keys(CONFIG_KEYS).join(', ')}`);
    const ok = type === 'list' ? Array.isArray(v) && v.every((s) => typeof s === 'string') : type === 'string' ? typeof v === 'string' || typeof v === 'number' : typeof v === 'boolean';
    if (!ok) throw new UsageError(`${file}: ${key} must be ${type === 'list' ? 'a list of rule ids' : type === 'string' ? 'a string such as "1.30"' : 'true or false'}`);
  }
  return { ...config, kubernetesVersion: config.kubernetesVersion === undefined ? undefined : String(config.kubernetesVersion) } as ConfigFile;
}

function normalizeVersion(value: string, where: string): string {
  const version = parseVersion(value);
  if (!version) throw new UsageError(`${where}: "${value}" is not a Kubernetes version; write it as 1.30`);
  if (!isSupportedVersion(version)) throw new UsageError(`${where}: ${version} is not supported; use ${OLDEST_SUPPORTED} to ${NEWEST_SUPPORTED}`);
  return version;
}

const FLAGS_WITH_VALUE = new Set(['--format', '--exclude', '--include-only', '--kubernetes-version', '--config']);
const SWITCHES = new Set(['--list-rules', '--explain', '--no-os-constraint', '--fail-on-warning', '--help', '-h']);

/** Parses the command line (`--flag value` or `--flag=value`) and the config file; throws UsageError. */
export function parseOptions(args: ReadonlyArray<string>, cwdConfig = CONFIG_FILE): Options {
  const values = new Map<string, string[]>();
  const switches = new Set<string>();
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-' || !arg.startsWith('-')) {
      paths.push(arg);
      continue;
    }
    if (arg === '--') {
      paths.push(...args.slice(i + 1));
      break;
    }
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (FLAGS_WITH_VALUE.has(flag)) {
      const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
      if (value === undefined || value === '') throw new UsageError(`${flag} needs a value`);
      values.set(flag, [...(values.get(flag) ?? []), value]);
    } else if (SWITCHES.has(flag) && eq < 0) {
      switches.add(flag);
    } else {
      throw new UsageError(`unknown option ${arg}`);
    }
  }
  const last = (flag: string) => values.get(flag)?.at(-1);
  const list = (flag: string) => (values.get(flag) ?? []).flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);

  const configPath = last('--config') ?? (existsSync(cwdConfig) ? cwdConfig : undefined);
  if (last('--config') && !existsSync(last('--config')!)) throw new UsageError(`--config ${last('--config')}: no such file`);
  const config = configPath ? readConfig(configPath) : {};

  const format = (last('--format') ?? 'text') as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format ${format}: use one of ${FORMATS.join(', ')}`);
  const version = last('--kubernetes-version')
    ? normalizeVersion(last('--kubernetes-version')!, '--kubernetes-version')
    : config.kubernetesVersion
      ? normalizeVersion(config.kubernetesVersion, `${configPath}: kubernetesVersion`)
      : NEWEST_SUPPORTED;
  const help = switches.has('--help') || switches.has('-h');
  const listRules = switches.has('--list-rules');
  if (!help && !listRules && paths.length === 0) throw new UsageError('name at least one DIR, FILE or - (stdin)');
  if (paths.filter((p) => p === '-').length > 1) throw new UsageError('stdin (-) can be named once');
  return {
    paths,
    format,
    exclude: [...(config.exclude ?? []), ...list('--exclude')],
    includeOnly: list('--include-only').length > 0 ? list('--include-only') : (config.includeOnly ?? []),
    kubernetesVersion: version,
    requireOsConstraint: switches.has('--no-os-constraint') ? false : (config.osConstraint ?? true),
    explain: switches.has('--explain'),
    failOnWarning: switches.has('--fail-on-warning') || (config.failOnWarning ?? false),
    listRules,
    help,
    config: configPath,
  };
}
