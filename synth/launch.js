#!/usr/bin/env node
/**
 * `npm run synth`: runs main.ts from an esbuild bundle kept in .cache/synth/ (git-ignored),
 * without tsx and without the cdk8s CLI — the same synthesis as `npx cdk8s synth`, at a fraction
 * of the start-up cost.
 *
 * A stale bundle must never publish stale output, so before every run the launcher checks every
 * file the bundle was built from (esbuild's own list of inputs):
 *   - project files (outside node_modules): size and content hash, exactly as esbuild read them;
 *   - their directories: the module files in them (a new file can change what an import resolves to);
 *   - files under node_modules: size and modification time, plus node_modules/.package-lock.json
 *     (npm rewrites it on every install);
 *   - this launcher, tsconfig.json, package.json, node's and esbuild's versions.
 * Anything different, missing or unreadable rebuilds the bundle first (about half a second).
 * V8's compiled code is cached beside the bundle too (see run below).
 *
 *   npm run synth                     (SYNTH_REBUILD=1 forces a rebuild)
 *   NODE_OPTIONS=--enable-source-maps npm run synth    (stack traces in the TypeScript sources)
 *   node synth/launch.js bench/ours.ts ARGS...         (another entry of this project, same way;
 *                                                       it sees process.argv = [node, entry, ARGS...])
 * An entry must run its work at the top level: inside one bundle, `require.main === module` is
 * never true (edge/cli.ts, which checks it, is not run this way).
 */
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

const ROOT = path.resolve(__dirname, '..');
const ENTRY = entry();
// One cache folder per entry: main.ts → .cache/synth/main/, bench/ours.ts → .cache/synth/bench-ours/.
const CACHE = path.join(ROOT, '.cache', 'synth', path.relative(ROOT, ENTRY).replace(/\.ts$/, '').split(path.sep).join('-'));
const MANIFEST = path.join(CACHE, 'manifest.json');
/** Bumped by hand when the build below changes in a way the launcher's own hash would not show. */
const FORMAT = 2;

/** main.ts, or the project's .ts file named by the first argument (taken out of process.argv). */
function entry() {
  const arg = process.argv[2];
  if (arg === undefined || !arg.endsWith('.ts')) return path.join(ROOT, 'main.ts');
  const file = path.resolve(arg);
  const rel = path.relative(ROOT, file);
  if (rel.startsWith('..') || path.isAbsolute(rel) || !fs.existsSync(file)) {
    console.error(`synth/launch.js: ${arg} is not a TypeScript file of this project`);
    process.exit(2);
  }
  process.argv.splice(2, 1);
  return file;
}

const sha1 = (data) => crypto.createHash('sha1').update(data).digest('hex');
const isDependency = (file) => file.split(path.sep).includes('node_modules');

/** Size and mtime of `file`, or null when it is gone. */
function stamp(file) {
  const st = fs.statSync(file, { throwIfNoEntry: false });
  return st ? [st.size, st.mtimeMs] : null;
}

/**
 * The entries of `dir` that can change what an import resolves to: files esbuild could take for a
 * module (a new `x.tsx` shadows `x.ts`, a `package.json` redirects a folder import) and a
 * `node_modules`. Other entries (`cdk8s.out/`, `dist/`, editor backups) cannot, so creating them
 * does not force a rebuild. A folder never shadows a file of the same name, so folders are left out.
 */
function moduleNames(dir) {
  let names;
  try {
    names = fs.readdirSync(dir);
  } catch {
    return null;
  }
  return names
    .filter((n) => n === 'node_modules' || /\.(?:[cm]?[jt]sx?|json|css|node)$/.test(n))
    .sort()
    .join('/');
}

/** What the bundle depends on besides its inputs: the build's recipe and the installed packages. */
function recipeKey() {
  let esbuildVersion = 'absent';
  try {
    esbuildVersion = require('esbuild/package.json').version;
  } catch {
    // reported when the build needs it
  }
  const read = (file) => (fs.existsSync(file) ? fs.readFileSync(file) : '');
  return sha1(
    JSON.stringify([
      FORMAT,
      process.version,
      esbuildVersion,
      sha1(fs.readFileSync(__filename)),
      sha1(read(path.join(ROOT, 'tsconfig.json'))),
      sha1(read(path.join(ROOT, 'package.json'))),
      stamp(path.join(ROOT, 'node_modules', '.package-lock.json')),
    ]),
  );
}

/** `{ bundle }` when the cached bundle was built from exactly the current inputs, else `{ reason }`. */
function check(key) {
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(MANIFEST, 'utf8'));
  } catch {
    return { reason: 'no bundle yet' };
  }
  if (manifest.key !== key || manifest.root !== ROOT) return { reason: 'node, esbuild, packages or the launcher changed' };
  const bundle = path.join(CACHE, manifest.bundle);
  if (!fs.existsSync(bundle)) return { reason: 'bundle missing' };
  const changed = (file) => ({ reason: `${path.relative(ROOT, file)} changed` });
  for (const [file, size, mtimeMs, hash] of manifest.files) {
    const now = stamp(file);
    if (!now || now[0] !== size) return changed(file);
    if (hash === null) {
      if (now[1] !== mtimeMs) return changed(file);
      continue;
    }
    // Project files: the content decides (an edit within the same mtime tick still counts).
    let data;
    try {
      data = fs.readFileSync(file);
    } catch {
      return changed(file);
    }
    if (sha1(data) !== hash) return changed(file);
  }
  for (const [dir, mtimeMs, names] of manifest.dirs) {
    const now = stamp(dir);
    // Something was added, removed or renamed there; only module files and node_modules matter.
    if (!now || (now[1] !== mtimeMs && moduleNames(dir) !== names)) return { reason: `files added or removed in ${path.relative(ROOT, dir) || '.'}/` };
  }
  return { bundle };
}

/** Builds main.ts into CACHE and records its inputs; resolves to the bundle's path. */
async function build(key) {
  const esbuild = require('esbuild');
  /** file → [size, mtimeMs, sha1 | null], taken BEFORE the content esbuild bundles was read. */
  const seen = new Map();
  /** Project directory → [mtimeMs, moduleNames], taken when its first module is loaded. */
  const dirs = new Map();
  const plugin = {
    name: 'record-inputs',
    setup(b) {
      b.onLoad({ filter: /.*/, namespace: 'file' }, (args) => {
        const file = args.path;
        const st = stamp(file);
        if (isDependency(file)) {
          seen.set(file, [st[0], st[1], null]);
          return undefined; // esbuild reads it; a later change shows in its mtime
        }
        const dir = path.dirname(file);
        if (!dirs.has(dir)) dirs.set(dir, [stamp(dir)[1], moduleNames(dir)]);
        const data = fs.readFileSync(file);
        seen.set(file, [data.length, st[1], sha1(data)]);
        let contents = data.toString('utf8');
        // The bundle lives in .cache/synth/: give each project module its own __dirname/__filename.
        if (/\b__(?:dirname|filename)\b/.test(contents)) {
          contents = `var __dirname = ${JSON.stringify(path.dirname(file))}, __filename = ${JSON.stringify(file)};\n${contents}`;
        }
        const ext = path.extname(file).slice(1);
        const loader = { ts: 'ts', tsx: 'tsx', js: 'js', cjs: 'js', mjs: 'js', json: 'json' }[ext] ?? 'default';
        return { contents, loader, resolveDir: path.dirname(file) };
      });
    },
  };
  fs.mkdirSync(CACHE, { recursive: true });
  const tmp = path.join(CACHE, `build-${process.pid}.js`);
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'node',
    target: `node${process.versions.node.split('.')[0]}`,
    format: 'cjs',
    outfile: tmp,
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'silent', // errors and the project's own warnings are printed below
    plugins: [plugin],
  });
  // Warnings about the project's own code (e.g. import.meta, which a CommonJS bundle cannot
  // honour); those inside dependencies are theirs to fix and would only be noise here.
  const ours = result.warnings.filter((w) => !w.location || !isDependency(path.resolve(ROOT, w.location.file)));
  if (ours.length) console.error(esbuild.formatMessagesSync(ours, { kind: 'warning', color: false }).join(''));
  // Every input esbuild used must have been recorded (a file it read without our plugin would escape the check).
  const inputs = Object.keys(result.metafile.inputs).map((p) => path.resolve(ROOT, p));
  const missing = inputs.filter((f) => !seen.has(f) && !seen.has(fs.realpathSync(f)));
  if (missing.length) throw new Error(`synth launcher: inputs not recorded: ${missing.join(', ')}`);
  const js = fs.readFileSync(tmp, 'utf8').replace(`sourceMappingURL=${path.basename(tmp)}.map`, 'sourceMappingURL=BUNDLE.map');
  const name = `bundle-${sha1(js).slice(0, 12)}.js`;
  fs.renameSync(`${tmp}.map`, path.join(CACHE, `${name}.map`));
  fs.writeFileSync(tmp, js.replace('sourceMappingURL=BUNDLE.map', `sourceMappingURL=${name}.map`));
  fs.renameSync(tmp, path.join(CACHE, name));
  const files = [...seen].map(([file, s]) => [file, ...s]);
  const manifest = { key, root: ROOT, bundle: name, files, dirs: [...dirs].map(([dir, d]) => [dir, ...d]) };
  const mtmp = `${MANIFEST}.${process.pid}`;
  fs.writeFileSync(mtmp, JSON.stringify(manifest));
  fs.renameSync(mtmp, MANIFEST); // atomic: a concurrent run sees the old or the new manifest
  // Older bundles and leftovers of killed runs: keep the bundle just written, and anything recent
  // (another run may be starting that bundle, or building, right now).
  for (const f of fs.readdirSync(CACHE)) {
    if (f !== 'manifest.json' && !f.startsWith(name)) {
      const age = Date.now() - (stamp(path.join(CACHE, f)) ?? [0, Date.now()])[1];
      if (age > 60_000) fs.rmSync(path.join(CACHE, f), { force: true });
    }
  }
  return path.join(CACHE, name);
}

/**
 * Runs the bundle as a CommonJS module, with V8's compiled code cached beside it (`.v8cache`,
 * written after the first run, so it also holds the functions that run compiled lazily): the
 * next run skips most parsing and compiling. A cache V8 rejects (another node build) is rewritten.
 * Under --enable-source-maps the bundle is required plainly, so traces map to the TypeScript.
 */
function run(bundle) {
  const wantsSourceMaps = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => a.includes('--enable-source-maps'));
  if (wantsSourceMaps) return require(bundle);
  const vm = require('vm');
  const Module = require('module');
  const cacheFile = `${bundle}.v8cache`;
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(fs.readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    process.once('exit', () => {
      try {
        const tmp = `${cacheFile}.${process.pid}`;
        fs.writeFileSync(tmp, script.createCachedData());
        fs.renameSync(tmp, cacheFile);
      } catch {
        // only a speed-up
      }
    });
  }
  const mod = new Module(bundle, module);
  mod.filename = bundle;
  // What the bundle leaves to require() at run time (computed module names) resolves from the entry.
  mod.paths = Module._nodeModulePaths(path.dirname(ENTRY));
  mod.loaded = true;
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(ENTRY), mod, bundle, path.dirname(bundle));
  return mod.exports;
}

const key = recipeKey();
process.argv[1] = ENTRY;
const cached = process.env.SYNTH_REBUILD === '1' ? { reason: 'SYNTH_REBUILD=1' } : check(key);
if (cached.bundle) {
  run(cached.bundle);
} else {
  console.error(`synth: building ${path.relative(ROOT, ENTRY)} (${cached.reason})`);
  build(key).then(
    (bundle) => run(bundle),
    (err) => {
      if (Array.isArray(err?.errors) && err.errors.length) {
        console.error(require('esbuild').formatMessagesSync(err.errors, { kind: 'error', color: false }).join(''));
      }
      const refused = ENTRY === path.join(ROOT, 'main.ts') ? 'synthesis refused, dist/ left untouched: ' : '';
      const why = Array.isArray(err?.errors) && err.errors.length ? `${err.errors.length} error(s) above` : err instanceof Error ? err.message.split('\n')[0] : String(err);
      console.error(`${refused}${path.relative(ROOT, ENTRY)} did not build: ${why}`);
      process.exit(1);
    },
  );
}
