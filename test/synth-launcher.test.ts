/**
 * `npm run synth` runs main.ts from a cached esbuild bundle (synth/launch.js). A stale bundle must
 * never publish stale output: these tests edit sources of a scratch copy of the project in ways a
 * modification-time check alone would miss, and expect every edit in the output.
 *
 * main.ts itself is built and run once (the full path, dist/ compared). The staleness checks run a
 * small probe entry that prints a value of environments/dev.ts: the launcher treats every entry
 * alike, and a probe builds and runs in a fraction of synthesis' time.
 */
import { spawnSync } from 'child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const ROOT = join(__dirname, '..');
const SKIP = new Set(['node_modules', '.git', '.cache', 'cdk8s.out', 'coverage', 'edge-nodes']);
const PROBE = 'launcher-probe.ts';

let copy: string;

function launch(args: string[] = []) {
  const r = spawnSync(process.execPath, [join(copy, 'synth', 'launch.js'), ...args], { cwd: copy, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, rebuilt: /^synth: building \S+\.ts /m.test(r.stderr) };
}

/** Runs the probe: the nginx image environments/dev.ts sets, and the arguments it was given. */
function probe(...args: string[]) {
  const r = launch([PROBE, ...args]);
  expect(r.stderr.replace(/^synth: building .*\n/m, '')).toBe('');
  const [image, argv] = r.stdout.trim().split('\n');
  return { ...r, image, argv };
}

/** Every file under dist/<env>/ (the manifests synth publishes), path → content. */
function manifests(root: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const env of readdirSync(join(root, 'dist'), { withFileTypes: true })) {
    if (!env.isDirectory() || env.name === 'infra' || env.name.startsWith('.')) continue;
    for (const f of readdirSync(join(root, 'dist', env.name))) out.set(`${env.name}/${f}`, readFileSync(join(root, 'dist', env.name, f), 'utf8'));
  }
  return out;
}

/** Rewrites `file` in the copy, keeping its size and modification time. */
function editInPlace(file: string, edit: (text: string) => string): void {
  const path = join(copy, file);
  const before = statSync(path);
  const text = readFileSync(path, 'utf8');
  const edited = edit(text);
  expect(edited).not.toBe(text);
  expect(Buffer.byteLength(edited)).toBe(before.size);
  writeFileSync(path, edited);
  utimesSync(path, before.atimeMs / 1000, before.mtimeMs / 1000);
  expect(statSync(path).mtimeMs).toBe(before.mtimeMs);
}

/** nginx:1.14.2 → nginx:1.14.3 (same length) in environments/dev.ts. */
const bumpNginx = (text: string) => text.replace(/(['"]nginx:\d+\.\d+\.)(\d)(['"])/, (_m, a: string, d: string, b: string) => `${a}${(Number(d) + 1) % 10}${b}`);

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'synth-launcher-'));
  cpSync(ROOT, copy, { recursive: true, filter: (src) => !SKIP.has(src.slice(ROOT.length + 1).split('/')[0]) });
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
  writeFileSync(
    join(copy, PROBE),
    "import { dev } from './environments/dev';\nconsole.log(JSON.stringify(dev.workloads.nginx).match(/nginx:[0-9.]+/)?.[0]);\nconsole.log(JSON.stringify(process.argv.slice(2)));\n",
  );
  // Whole seconds, so editInPlace can restore the modification time exactly.
  utimesSync(join(copy, 'environments', 'dev.ts'), 1_700_000_000, 1_700_000_000);
});
afterAll(() => rmSync(copy, { recursive: true, force: true }));

test('main.ts: builds, and publishes what the committed dist/ holds', () => {
  const first = launch();
  expect(first).toMatchObject({ code: 0, rebuilt: true });
  expect(manifests(copy)).toEqual(manifests(ROOT));
  expect(existsSync(join(copy, '.cache', 'synth', 'main', 'manifest.json'))).toBe(true);
});

test('an entry sees its own arguments, its bundle is reused; one outside the project is refused', () => {
  const run = probe('3', 'out dir');
  expect(run).toMatchObject({ code: 0, rebuilt: true, argv: '["3","out dir"]' });
  expect(run.image).toMatch(/^nginx:/);
  expect(probe()).toMatchObject({ code: 0, rebuilt: false, argv: '[]' });
  const outside = launch([join(tmpdir(), 'elsewhere.ts')]);
  expect(outside.code).toBe(2);
  expect(outside.stderr).toContain('is not a TypeScript file of this project');
});

test('an edit that keeps size and modification time is still picked up', () => {
  const before = probe().image;
  editInPlace('environments/dev.ts', bumpNginx);
  const run = probe();
  expect(run).toMatchObject({ code: 0, rebuilt: true });
  expect(run.stderr).toContain('environments/dev.ts changed');
  expect(run.image).toBe(bumpNginx(`'${before}'`).slice(1, -1));
});

test('a new file that changes what an import resolves to is picked up', () => {
  // esbuild resolves `./dev` to dev.tsx before dev.ts: a new file, no existing file edited.
  const source = readFileSync(join(copy, 'environments', 'dev.ts'), 'utf8');
  const before = probe().image;
  writeFileSync(join(copy, 'environments', 'dev.tsx'), bumpNginx(source));
  const shadowed = probe();
  expect(shadowed).toMatchObject({ code: 0, rebuilt: true });
  expect(shadowed.image).not.toBe(before);
  rmSync(join(copy, 'environments', 'dev.tsx'));
  expect(probe()).toMatchObject({ code: 0, rebuilt: true, image: before });
});

test('other new entries beside the sources (output folders, notes) keep the bundle', () => {
  expect(probe()).toMatchObject({ code: 0, rebuilt: false });
  writeFileSync(join(copy, 'notes.txt'), 'not a module\n');
  mkdirSync(join(copy, 'environments', 'scratch-output'));
  expect(probe()).toMatchObject({ code: 0, rebuilt: false });
});

test('a source that does not compile refuses the run and leaves dist/ untouched', () => {
  const before = manifests(copy);
  writeFileSync(join(copy, 'environments', 'dev.ts'), `${readFileSync(join(copy, 'environments', 'dev.ts'), 'utf8')}\nexport const = ;\n`);
  const run = launch();
  expect(run.code).toBe(1);
  expect(run.stderr).toContain('dist/ left untouched');
  expect(manifests(copy)).toEqual(before);
});
