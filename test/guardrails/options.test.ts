/**
 * The command line and config file of `npm run validate`, parsed in-process (a spawned CLI runs no
 * mutant). Every message and default is written out by hand.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_FILE, Options, parseOptions, USAGE, UsageError } from '../../guardrails/options';
import { thrown } from '../util/thrown';

let dir: string;
let none: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'guardrails-options-'));
  none = join(dir, 'absent.yaml');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function config(text: string): string {
  const file = join(dir, `config-${n++}.yaml`);
  writeFileSync(file, text);
  return file;
}

const parse = (args: string[], cwdConfig = none) => parseOptions(args, cwdConfig);
const usage = (args: string[], cwdConfig = none) => thrown(UsageError, () => parseOptions(args, cwdConfig)).message;

const DEFAULTS: Options = {
  paths: ['dist'],
  format: 'text',
  exclude: [],
  includeOnly: [],
  kubernetesVersion: '1.34',
  requireOsConstraint: true,
  explain: false,
  failOnWarning: false,
  listRules: false,
  help: false,
  config: undefined,
};

describe('constants', () => {
  it('names the config file and documents every option', () => {
    expect(CONFIG_FILE).toBe('.guardrails.yaml');
    expect(USAGE).toBe(`usage: npm run validate -- [options] DIR|FILE|-...
Checks every *.yaml, *.yml and *.json (any case) under each DIR, or FILE, or stdin (-), as the API
server and the guardrails would. Each argument is one cluster: Service/PDB selectors, HPA targets and
nodePort reuse relate objects within it only, so \`npm run validate -- dist/*/\` checks every
environment on its own. Helm templates, kustomizations, compose files and Chart/values files are not
manifests: they are named and skipped (render them first).
  --format text|json|sarif     output (default text; sarif is SARIF 2.1.0 for code scanning)
  --exclude RULE[,RULE]        don't run these rules (repeatable)
  --include-only RULE[,RULE]   run only these rules (repeatable)
  --kubernetes-version X.Y     API server version to check against (1.16–1.34, default 1.34)
  --config FILE                options file (default ./.guardrails.yaml when present)
  --list-rules                 print the rules with their kube-linter/kube-score equivalents
  --explain                    also list the exceptions in use (node agents, waivers) with their reasons
  --no-os-constraint           don't require an OS constraint per pod template (single-OS clusters)
  --fail-on-warning            exit 1 on warnings too
.guardrails.yaml: exclude: [RULE...], includeOnly: [RULE...], kubernetesVersion: "X.Y",
  osConstraint: true|false, failOnWarning: true|false. Per object, the waiver annotation
  guardrails.k8s-book-systems.io/waive: "<rule>: <reason>" silences one rule with a reason.
Exit status: 0 clean (warnings allowed), 1 error findings, 2 input or usage error, 3 internal error.`);
  });
});

describe('parseOptions: command line', () => {
  it('has these defaults', () => {
    expect(parse(['dist'])).toEqual(DEFAULTS);
  });

  it('takes paths, stdin (-) and everything after --', () => {
    expect(parse(['a', '-', 'b']).paths).toEqual(['a', '-', 'b']);
    expect(parse(['a', '--', '--format', '-x', '-']).paths).toEqual(['a', '--format', '-x', '-']);
    expect(parse(['--', 'a']).format).toBe('text');
  });

  it('reads --flag value and --flag=value; the last one wins', () => {
    expect(parse(['--format', 'json', 'd']).format).toBe('json');
    expect(parse(['--format=sarif', 'd']).format).toBe('sarif');
    expect(parse(['--format=json', '--format', 'text', 'd']).format).toBe('text');
    expect(parse(['--kubernetes-version', '1.20', 'd']).kubernetesVersion).toBe('1.20');
    expect(parse(['--kubernetes-version=v1.16.3', 'd']).kubernetesVersion).toBe('1.16');
    expect(parse(['--kubernetes-version=1.34', '--kubernetes-version=1.25', 'd']).kubernetesVersion).toBe('1.25');
    // A value may itself contain '=': only the first one splits.
    expect(parse(['--exclude=a=b', 'd']).exclude).toEqual(['a=b']);
  });

  it('splits, trims and concatenates repeated rule lists', () => {
    const o = parse(['--exclude', 'a, b', '--exclude=c,,', '--include-only', ' x ', '--include-only=y,z', 'd']);
    expect(o.exclude).toEqual(['a', 'b', 'c']);
    expect(o.includeOnly).toEqual(['x', 'y', 'z']);
  });

  it('sets each switch', () => {
    expect(parse(['--list-rules'])).toEqual({ ...DEFAULTS, paths: [], listRules: true });
    expect(parse(['--help'])).toEqual({ ...DEFAULTS, paths: [], help: true });
    expect(parse(['-h'])).toEqual({ ...DEFAULTS, paths: [], help: true });
    expect(parse(['--explain', 'd']).explain).toBe(true);
    expect(parse(['--no-os-constraint', 'd']).requireOsConstraint).toBe(false);
    expect(parse(['--fail-on-warning', 'd']).failOnWarning).toBe(true);
    expect(parse(['--explain', 'd']).failOnWarning).toBe(false);
  });

  it('refuses bad flags and values', () => {
    expect(usage(['--format'])).toBe('--format needs a value');
    expect(usage(['--format=', 'd'])).toBe('--format needs a value');
    expect(usage(['d', '--exclude'])).toBe('--exclude needs a value');
    expect(usage(['--include-only=', 'd'])).toBe('--include-only needs a value');
    expect(usage(['--config', ''])).toBe('--config needs a value');
    expect(usage(['--kubernetes-version'])).toBe('--kubernetes-version needs a value');
    expect(usage(['--nope', 'd'])).toBe('unknown option --nope');
    expect(usage(['-x', 'd'])).toBe('unknown option -x');
    expect(usage(['--explain=yes', 'd'])).toBe('unknown option --explain=yes');
    expect(usage(['--help=1'])).toBe('unknown option --help=1');
    expect(usage(['--=x', 'd'])).toBe('unknown option --=x');
    expect(usage(['--format', 'xml', 'd'])).toBe('--format xml: use one of text, json, sarif');
    expect(usage(['--kubernetes-version', '2.1', 'd'])).toBe('--kubernetes-version: "2.1" is not a Kubernetes version; write it as 1.30');
    expect(usage(['--kubernetes-version', '1.15', 'd'])).toBe('--kubernetes-version: 1.15 is not supported; use 1.16 to 1.34');
    expect(usage(['--kubernetes-version', '1.35', 'd'])).toBe('--kubernetes-version: 1.35 is not supported; use 1.16 to 1.34');
  });

  it('needs a path unless asked for help or the rule list, and stdin at most once', () => {
    expect(usage([])).toBe('name at least one DIR, FILE or - (stdin)');
    expect(usage(['--explain'])).toBe('name at least one DIR, FILE or - (stdin)');
    expect(usage(['-', 'a', '-'])).toBe('stdin (-) can be named once');
    expect(parse(['-', 'a']).paths).toEqual(['-', 'a']);
  });

  it('the format is checked before the path count', () => {
    expect(usage(['--format', 'xml'])).toBe('--format xml: use one of text, json, sarif');
  });
});

describe('parseOptions: config file', () => {
  it('reads every key; the command line adds to exclude and overrides the rest', () => {
    const file = config('exclude: [a, b]\nincludeOnly: [c]\nkubernetesVersion: "1.28"\nosConstraint: false\nfailOnWarning: true\n');
    expect(parse(['--config', file, 'd'])).toEqual({
      ...DEFAULTS,
      paths: ['d'],
      exclude: ['a', 'b'],
      includeOnly: ['c'],
      kubernetesVersion: '1.28',
      requireOsConstraint: false,
      failOnWarning: true,
      config: file,
    });
    const o = parse([`--config=${file}`, '--exclude', 'z', '--include-only', 'y', '--kubernetes-version', '1.30', 'd']);
    expect(o.exclude).toEqual(['a', 'b', 'z']);
    expect(o.includeOnly).toEqual(['y']);
    expect(o.kubernetesVersion).toBe('1.30');
  });

  it('a switch beats the config: --no-os-constraint', () => {
    const file = config('osConstraint: true\nfailOnWarning: false\n');
    expect(parse(['--config', file, 'd']).requireOsConstraint).toBe(true);
    expect(parse(['--config', file, '--no-os-constraint', 'd']).requireOsConstraint).toBe(false);
    expect(parse(['--config', file, '--fail-on-warning', 'd']).failOnWarning).toBe(true);
    expect(parse(['--config', file, 'd']).failOnWarning).toBe(false);
  });

  it('accepts a numeric kubernetesVersion and an empty file', () => {
    expect(parse(['--config', config('kubernetesVersion: 1.29\n'), 'd']).kubernetesVersion).toBe('1.29');
    const empty = config('');
    expect(parse(['--config', empty, 'd'])).toEqual({ ...DEFAULTS, paths: ['d'], config: empty });
    const comments = config('# nothing\n');
    expect(parse(['--config', comments, 'd'])).toEqual({ ...DEFAULTS, paths: ['d'], config: comments });
  });

  it('uses the config in the working directory when present (cwdConfig)', () => {
    const file = config('exclude: [a]\n');
    expect(parse(['d'], file)).toEqual({ ...DEFAULTS, paths: ['d'], exclude: ['a'], config: file });
    expect(parse(['d'], none).config).toBeUndefined();
  });

  it('defaults cwdConfig to ./.guardrails.yaml', () => {
    const cwd = process.cwd();
    const work = join(dir, 'cwd');
    mkdirSync(work);
    writeFileSync(join(work, '.guardrails.yaml'), 'failOnWarning: true\n');
    try {
      process.chdir(work);
      expect(parseOptions(['d'])).toEqual({ ...DEFAULTS, paths: ['d'], failOnWarning: true, config: '.guardrails.yaml' });
    } finally {
      process.chdir(cwd);
    }
  });

  it('refuses a bad config', () => {
    expect(usage(['--config', none, 'd'])).toBe(`--config ${none}: no such file`);
    const f1 = config('a: 1\n---\nb: 2\n');
    expect(usage(['--config', f1, 'd'])).toBe(`${f1}: must be one YAML mapping of options`);
    const f2 = config('- a\n');
    expect(usage(['--config', f2, 'd'])).toBe(`${f2}: must be one YAML mapping of options`);
    const f3 = config('just text\n');
    expect(usage(['--config', f3, 'd'])).toBe(`${f3}: must be one YAML mapping of options`);
    const f4 = config('exclud: [a]\n');
    expect(usage(['--config', f4, 'd'])).toBe(`${f4}: unknown option "exclud"; use exclude, includeOnly, kubernetesVersion, osConstraint, failOnWarning`);
    const f5 = config('exclude: a\n');
    expect(usage(['--config', f5, 'd'])).toBe(`${f5}: exclude must be a list of rule ids`);
    const f6 = config('includeOnly: [a, 1]\n');
    expect(usage(['--config', f6, 'd'])).toBe(`${f6}: includeOnly must be a list of rule ids`);
    const f7 = config('kubernetesVersion: [1]\n');
    expect(usage(['--config', f7, 'd'])).toBe(`${f7}: kubernetesVersion must be a string such as "1.30"`);
    const f8 = config('osConstraint: "no"\n');
    expect(usage(['--config', f8, 'd'])).toBe(`${f8}: osConstraint must be true or false`);
    const f9 = config('failOnWarning: 1\n');
    expect(usage(['--config', f9, 'd'])).toBe(`${f9}: failOnWarning must be true or false`);
    const f10 = config('kubernetesVersion: "1.12"\n');
    expect(usage(['--config', f10, 'd'])).toBe(`${f10}: kubernetesVersion: 1.12 is not supported; use 1.16 to 1.34`);
    const f11 = config('kubernetesVersion: latest\n');
    expect(usage(['--config', f11, 'd'])).toBe(`${f11}: kubernetesVersion: "latest" is not a Kubernetes version; write it as 1.30`);
    const f12 = config('a: [\n');
    expect(usage(['--config', f12, 'd'])).toMatch(new RegExp(`^${f12.replace(/[.\\]/g, '\\$&')}: .+`));
    expect(usage(['--config', dir, 'd'])).toBe(`${dir}: ${dir}: not a regular file (a named pipe or device?); pass its content on stdin with -`);
  });

  it('the command-line version is checked even with a good config version', () => {
    const file = config('kubernetesVersion: "1.28"\n');
    expect(usage(['--config', file, '--kubernetes-version', 'x', 'd'])).toBe('--kubernetes-version: "x" is not a Kubernetes version; write it as 1.30');
  });
});
