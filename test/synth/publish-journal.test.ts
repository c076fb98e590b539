/**
 * synth/publish.ts in-process, with hand-built dist/ states and hand-written expected trees and
 * messages: the environment-name gate, the journal (refused when foreign), recovery from
 * intermediate states, rollback of environments that did not exist before, every error message
 * (what happened, what state dist/ is in, what to do), warnings, and the removal of read-only trees.
 * test/publish.test.ts injects a fault at every step; this file pins what each outcome says and leaves.
 */
import * as fs from 'fs';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import type { Environment } from '../../environments';
import { checkEnvironmentNames, JOURNAL, publish, PublishError, PublishFs, recoverPublish, writeStaging } from '../../synth/publish';
import type { RenderedEnvironment } from '../../synth/render';
import { thrown } from '../util/thrown';

/** Every file under `dir` as `path: content`, and every folder as `path/`, sorted. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        out.push(`${path}/`);
        walk(path);
      } else out.push(`${path}: ${readFileSync(join(dir, path), 'utf8')}`);
    }
  };
  walk('');
  return out.sort();
}

/** A dist/ holding `files` (relative path → content). */
function distWith(files: Record<string, string>): string {
  const dist = mkdtempSync(join(tmpdir(), 'publish-journal-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dist, path)), { recursive: true });
    writeFileSync(join(dist, path), content);
  }
  return dist;
}

/** Environments `names`, each one file `app.yaml` holding `<name> <version>`. */
function rendered(version: string, ...names: string[]): RenderedEnvironment[] {
  return names.map((name) => ({ env: { name } as Environment, files: [{ name: 'app.yaml', objects: [], content: `${name} ${version}` }], leftOut: [] }));
}

/** The real fs with some calls replaced. */
function fsWith(overrides: Partial<PublishFs>): PublishFs {
  const real = fs as unknown as PublishFs;
  return {
    existsSync: (p) => real.existsSync(p),
    mkdirSync: (p, o) => real.mkdirSync(p, o),
    writeFileSync: (p, d) => real.writeFileSync(p, d),
    readFileSync: (p, e) => real.readFileSync(p, e),
    renameSync: (a, b) => real.renameSync(a, b),
    rmSync: (p, o) => real.rmSync(p, o),
    readdirSync: (p) => real.readdirSync(p),
    chmodSync: (p, m) => real.chmodSync(p, m),
    lstatSync: (p) => real.lstatSync(p),
    ...overrides,
  };
}

const failure = (code: string, what: string) => Object.assign(new Error(`${code}: ${what}`), { code });

const caught = (run: () => unknown): PublishError => thrown(PublishError, run);

const journal = (envs: { name: string; existed: boolean }[]) => `${JSON.stringify({ version: 1, envs })}\n`;

describe('checkEnvironmentNames', () => {
  test('refuses a name that is not one plain folder name, the plans folder, and a name used twice, each with its fix', () => {
    expect(checkEnvironmentNames(['dev', 'Dev', '../x', 'infra', 'prod', 'dev', '-x', 'a-1', 'dev-', 'a.b'])).toEqual([
      'environment name "Dev" is not a plain folder name; use lowercase letters, digits and "-" only',
      'environment name "../x" is not a plain folder name; use lowercase letters, digits and "-" only',
      'environment name "infra" is reserved: dist/infra/ holds the infrastructure plans; rename the environment',
      'environment name "dev" is used twice; both would publish to dist/dev/, give each environment its own name',
      'environment name "-x" is not a plain folder name; use lowercase letters, digits and "-" only',
      'environment name "dev-" is not a plain folder name; use lowercase letters, digits and "-" only',
      'environment name "a.b" is not a plain folder name; use lowercase letters, digits and "-" only',
    ]);
    expect(checkEnvironmentNames(['dev', 'prod', 'edge', 'a-1', '0'])).toEqual([]);
  });

  test('publish itself refuses bad names before touching dist/, all of them in one message', () => {
    const dist = distWith({ 'dev/app.yaml': 'dev v1' });
    const error = caught(() => publish(dist, rendered('v2', 'dev', 'infra', 'dev')));
    expect(error.name).toBe('PublishError');
    expect(error.distState).toBe('old');
    expect(error.message).toBe(
      'environment name "infra" is reserved: dist/infra/ holds the infrastructure plans; rename the environment\n' +
        '  environment name "dev" is used twice; both would publish to dist/dev/, give each environment its own name',
    );
    expect(tree(dist)).toEqual(['dev/', 'dev/app.yaml: dev v1']);
  });
});

describe('writeStaging', () => {
  test('writes each environment as a plain tree under a root that does not exist yet', () => {
    const root = join(mkdtempSync(join(tmpdir(), 'staging-')), 'cdk8s.out', 'nested');
    writeStaging(root, rendered('v1', 'dev', 'prod'));
    expect(tree(root)).toEqual(['dev/', 'dev/app.yaml: dev v1', 'prod/', 'prod/app.yaml: prod v1']);
  });
});

describe('publish', () => {
  test('into a dist/ that does not exist yet: creates it, with no warning', () => {
    const dist = join(mkdtempSync(join(tmpdir(), 'publish-fresh-')), 'dist');
    const warnings: string[] = [];
    publish(dist, rendered('v1', 'dev'), { warn: (line) => warnings.push(line) });
    expect(tree(dist)).toEqual(['dev/', 'dev/app.yaml: dev v1']);
    expect(warnings).toEqual([]);
  });

  test('a new environment that was already swapped in is removed again when a later one fails to swap', () => {
    const dist = distWith({ 'prod/app.yaml': 'prod v1', 'infra/dev.plan.json': '{}' });
    const failing = fsWith({
      renameSync: (from, to) => {
        if (from === join(dist, '.synth-new.prod')) throw failure('EBUSY', `rename '${from}'`);
        fs.renameSync(from, to);
      },
    });
    const error = caught(() => publish(dist, rendered('v2', 'dev', 'prod'), { fs: failing }));
    expect(error.distState).toBe('old');
    expect(error.message).toBe(`publishing failed and was undone: EBUSY: rename '${join(dist, '.synth-new.prod')}'`);
    expect(tree(dist)).toEqual(['infra/', 'infra/dev.plan.json: {}', 'prod/', 'prod/app.yaml: prod v1']);
  });

  test('a staging failure leaves dist/ as it was and names the folder and the cause', () => {
    const dist = distWith({ 'dev/app.yaml': 'dev v1' });
    const failing = fsWith({
      writeFileSync: (path, data) => {
        if (path.includes('.synth-new.prod')) throw failure('ENOSPC', 'no space left on device');
        fs.writeFileSync(path, data);
      },
    });
    const error = caught(() => publish(dist, rendered('v2', 'dev', 'prod'), { fs: failing }));
    expect(error.distState).toBe('old');
    expect(error.message).toBe(`could not write the new trees under ${dist}: ENOSPC: no space left on device`);
    expect(tree(dist)).toEqual(['dev/', 'dev/app.yaml: dev v1']);
  });

  test('a journal that cannot be written stops the publish before any swap: dist/ is old, and the error says which file', () => {
    const dist = distWith({ 'dev/app.yaml': 'dev v1' });
    const failing = fsWith({
      writeFileSync: (path, data) => {
        if (path.endsWith('.synth-journal.tmp')) throw failure('EROFS', 'read-only file system');
        fs.writeFileSync(path, data);
      },
    });
    const error = caught(() => publish(dist, rendered('v2', 'dev'), { fs: failing }));
    expect(error.distState).toBe('old');
    expect(error.message).toBe(`could not write dist/${JOURNAL}: EROFS: read-only file system`);
    expect(tree(dist)).toEqual(['dev/', 'dev/app.yaml: dev v1']);
  });

  test('when the swap and its undo both fail, the journal is kept and the error says both causes and what happens next', () => {
    const dist = distWith({ 'dev/app.yaml': 'dev v1' });
    const failing = fsWith({
      renameSync: (from, to) => {
        if (from === join(dist, '.synth-new.dev')) throw failure('EIO', 'swap');
        if (from === join(dist, '.synth-old.dev')) throw failure('EIO', 'undo');
        fs.renameSync(from, to);
      },
    });
    const error = caught(() => publish(dist, rendered('v2', 'dev'), { fs: failing }));
    expect(error.distState).toBe('interrupted');
    expect(error.message).toBe(`publishing failed (EIO: swap) and undoing it failed too (EIO: undo); dist/${JOURNAL} is kept and the next synthesis completes or undoes the publish`);
    expect(existsSync(join(dist, JOURNAL))).toBe(true);
    // The next run completes it.
    expect(recoverPublish(dist)).toBe('completed an interrupted publish of dev');
    expect(tree(dist)).toEqual(['dev/', 'dev/app.yaml: dev v2']);
  });

  test('published, but the tidy-up failed: a warning, not an error, and the next run tidies up', () => {
    const dist = distWith({ 'dev/app.yaml': 'dev v1' });
    const warnings: string[] = [];
    const failing = fsWith({
      rmSync: (path, options) => {
        if (path === join(dist, JOURNAL)) throw failure('EPERM', 'operation not permitted');
        fs.rmSync(path, options);
      },
    });
    publish(dist, rendered('v2', 'dev'), { fs: failing, warn: (line) => warnings.push(line) });
    expect(warnings).toEqual(['published, but could not tidy up dist/ (EPERM: operation not permitted); the next synthesis does']);
    expect(tree(dist)).toContain('dev/app.yaml: dev v2');
    const next: string[] = [];
    publish(dist, rendered('v3', 'dev'), { warn: (line) => next.push(line) });
    expect(next).toEqual(['completed an interrupted publish of dev']);
    expect(tree(dist)).toEqual(['dev/', 'dev/app.yaml: dev v3']);
  });

  test('a leftover that cannot be deleted is a warning naming it, and the publish still happens', () => {
    const dist = distWith({ 'dev/app.yaml': 'dev v1' });
    const warnings: string[] = [];
    const failing = fsWith({
      rmSync: (path, options) => {
        if (path === join(dist, '.synth-old.dev')) throw failure('EBUSY', 'resource busy');
        fs.rmSync(path, options);
      },
      chmodSync: () => undefined,
    });
    publish(dist, rendered('v2', 'dev'), { fs: failing, warn: (line) => warnings.push(line) });
    expect(warnings).toEqual(['could not delete the leftover dist/.synth-old.dev (EBUSY: resource busy); delete it by hand']);
    expect(tree(dist)).toEqual(['.synth-old.dev/', '.synth-old.dev/app.yaml: dev v1', 'dev/', 'dev/app.yaml: dev v2']);
  });

  /**
   * The permission rules a non-root user meets (the tests may run as root, which ignores them):
   * removing a folder's entries needs its write bit. Modes are the real ones.
   */
  const asUnprivileged = fsWith({
    rmSync: (path, options) => {
      const locked = (p: string): boolean => {
        if (!existsSync(p) || !statSync(p).isDirectory()) return false;
        return (statSync(p).mode & 0o200) === 0 || readdirSync(p).some((e) => locked(join(p, e)));
      };
      if (locked(path)) throw failure('EACCES', `permission denied, rmdir '${path}'`);
      fs.rmSync(path, options);
    },
  });

  test('permissions are changed only when deleting fails: a deletable tree is removed even where chmod is refused', () => {
    const dist = distWith({ 'dev/app.yaml': 'dev v1', 'dev/sub/x.yaml': 'x' });
    const warnings: string[] = [];
    const chmods: string[] = [];
    const noChmod = fsWith({
      chmodSync: (path) => {
        chmods.push(path);
        throw failure('EPERM', `operation not permitted, chmod '${path}'`);
      },
    });
    publish(dist, rendered('v2', 'dev'), { fs: noChmod, warn: (line) => warnings.push(line) });
    expect(warnings).toEqual([]);
    expect(chmods).toEqual([]);
    expect(tree(dist)).toEqual(['dev/', 'dev/app.yaml: dev v2']);
  });

  test('a read-only tree (nested folders included) is made writable and removed, leaving nothing behind', () => {
    const dist = distWith({ 'prod/app.yaml': 'prod v1', 'prod/sub/deeper/x.yaml': 'x', 'prod/sub/y.yaml': 'y' });
    for (const dir of ['prod/sub/deeper', 'prod/sub', 'prod']) chmodSync(join(dist, dir), 0o555);
    const warnings: string[] = [];
    publish(dist, rendered('v2', 'prod'), { fs: asUnprivileged, warn: (line) => warnings.push(line) });
    expect(warnings).toEqual([]);
    expect(tree(dist)).toEqual(['prod/', 'prod/app.yaml: prod v2']);
  });
});

describe('recoverPublish', () => {
  test('nothing to do: no dist/ at all, or a dist/ without leftovers', () => {
    expect(recoverPublish(join(mkdtempSync(join(tmpdir(), 'recover-')), 'dist'))).toBeUndefined();
    const dist = distWith({ 'dev/app.yaml': 'dev v1' });
    expect(recoverPublish(dist)).toBeUndefined();
    expect(tree(dist)).toEqual(['dev/', 'dev/app.yaml: dev v1']);
  });

  test('without a journal, staging leftovers are deleted and listed; environments stay', () => {
    const dist = distWith({ 'dev/app.yaml': 'dev v1', '.synth-new.dev/app.yaml': 'dev v2', '.synth-old.prod/app.yaml': 'prod v0', 'infra/p.json': '{}' });
    expect(recoverPublish(dist)).toBe('deleted the leftovers of an interrupted publish: dist/.synth-new.dev, dist/.synth-old.prod');
    expect(tree(dist)).toEqual(['dev/', 'dev/app.yaml: dev v1', 'infra/', 'infra/p.json: {}']);
  });

  test('a publish over a killed one says what it recovered', () => {
    const dist = distWith({ 'dev/app.yaml': 'dev v1', '.synth-new.dev/app.yaml': 'dev v2' });
    const warnings: string[] = [];
    publish(dist, rendered('v3', 'dev'), { warn: (line) => warnings.push(line) });
    expect(warnings).toEqual(['deleted the leftovers of an interrupted publish: dist/.synth-new.dev']);
    expect(tree(dist)).toEqual(['dev/', 'dev/app.yaml: dev v3']);
  });

  test('a journal completes the publish from the middle of a swap: one environment swapped, one not, one new', () => {
    const dist = distWith({
      [JOURNAL]: journal([
        { name: 'dev', existed: true },
        { name: 'prod', existed: true },
        { name: 'edge', existed: false },
      ]),
      '.synth-old.dev/app.yaml': 'dev v1',
      'dev/app.yaml': 'dev v2',
      'prod/app.yaml': 'prod v1',
      '.synth-new.prod/app.yaml': 'prod v2',
      '.synth-new.edge/app.yaml': 'edge v2',
    });
    expect(recoverPublish(dist)).toBe('completed an interrupted publish of dev, prod, edge');
    expect(tree(dist)).toEqual(['dev/', 'dev/app.yaml: dev v2', 'edge/', 'edge/app.yaml: edge v2', 'prod/', 'prod/app.yaml: prod v2']);
  });

  test('completing also works when the old tree was already set aside and the environment folder is back', () => {
    // Old, current and new trees of dev all present: the current one is dropped for the new one.
    const dist = distWith({
      [JOURNAL]: journal([{ name: 'dev', existed: true }]),
      '.synth-old.dev/app.yaml': 'dev v1',
      'dev/app.yaml': 'dev v1 copy',
      '.synth-new.dev/app.yaml': 'dev v2',
    });
    expect(recoverPublish(dist)).toBe('completed an interrupted publish of dev');
    expect(tree(dist)).toEqual(['dev/', 'dev/app.yaml: dev v2']);
  });

  test('when completing fails, the publish is undone instead, and it says why', () => {
    const dist = distWith({
      [JOURNAL]: journal([
        { name: 'dev', existed: true },
        { name: 'prod', existed: true },
        { name: 'edge', existed: false },
      ]),
      '.synth-old.dev/app.yaml': 'dev v1',
      'dev/app.yaml': 'dev v2',
      'prod/app.yaml': 'prod v1',
      '.synth-new.prod/app.yaml': 'prod v2',
      'edge/app.yaml': 'edge v2',
    });
    const warnings: string[] = [];
    const failing = fsWith({
      renameSync: (from, to) => {
        if (from === join(dist, 'prod')) throw failure('EACCES', 'permission denied');
        fs.renameSync(from, to);
      },
    });
    expect(recoverPublish(dist, { fs: failing, warn: (line) => warnings.push(line) })).toBe(
      'undid an interrupted publish of dev, prod, edge (completing it failed: EACCES: permission denied)',
    );
    expect(warnings).toEqual([]);
    // dev back at v1, prod untouched, edge (new) gone.
    expect(tree(dist)).toEqual(['dev/', 'dev/app.yaml: dev v1', 'prod/', 'prod/app.yaml: prod v1']);
  });

  test('undoing moves an already swapped-in tree aside (a rename inside dist/) instead of deleting it in place', () => {
    // dev is swapped (old tree aside, new tree in place); prod fails to complete. dist/dev cannot be deleted.
    const dist = distWith({
      [JOURNAL]: journal([
        { name: 'dev', existed: true },
        { name: 'prod', existed: true },
      ]),
      '.synth-old.dev/app.yaml': 'dev v1',
      'dev/app.yaml': 'dev v2',
      'prod/app.yaml': 'prod v1',
      '.synth-new.prod/app.yaml': 'prod v2',
    });
    const failing = fsWith({
      renameSync: (from, to) => {
        if (from === join(dist, 'prod')) throw failure('EACCES', 'permission denied');
        fs.renameSync(from, to);
      },
      rmSync: (path, options) => {
        if (path === join(dist, 'dev')) throw failure('EACCES', `permission denied, rmdir '${path}'`);
        fs.rmSync(path, options);
      },
    });
    expect(recoverPublish(dist, { fs: failing })).toBe('undid an interrupted publish of dev, prod (completing it failed: EACCES: permission denied)');
    expect(tree(dist)).toEqual(['dev/', 'dev/app.yaml: dev v1', 'prod/', 'prod/app.yaml: prod v1']);
  });

  test('undoing drops the current tree when the old and the new one are both still there', () => {
    // prod fails to complete; dev holds its old, a current and its new tree: the old one comes back.
    const dist = distWith({
      [JOURNAL]: journal([
        { name: 'prod', existed: true },
        { name: 'dev', existed: true },
      ]),
      'prod/app.yaml': 'prod v1',
      '.synth-new.prod/app.yaml': 'prod v2',
      '.synth-old.dev/app.yaml': 'dev v1',
      'dev/app.yaml': 'dev v1 copy',
      '.synth-new.dev/app.yaml': 'dev v2',
    });
    const failing = fsWith({
      renameSync: (from, to) => {
        if (from === join(dist, 'prod')) throw failure('EACCES', 'permission denied');
        fs.renameSync(from, to);
      },
    });
    expect(recoverPublish(dist, { fs: failing })).toBe('undid an interrupted publish of prod, dev (completing it failed: EACCES: permission denied)');
    expect(tree(dist)).toEqual(['dev/', 'dev/app.yaml: dev v1', 'prod/', 'prod/app.yaml: prod v1']);
  });

  test('an environment whose old tree is gone (and no new one waits) is left as it is when undoing', () => {
    // dev was swapped and its old tree removed by hand: undoing cannot bring v1 back, and must not delete v2.
    const dist = distWith({
      [JOURNAL]: journal([
        { name: 'dev', existed: true },
        { name: 'prod', existed: true },
      ]),
      'dev/app.yaml': 'dev v2',
      'prod/app.yaml': 'prod v1',
      '.synth-new.prod/app.yaml': 'prod v2',
    });
    const failing = fsWith({
      renameSync: (from, to) => {
        if (from === join(dist, 'prod')) throw failure('EACCES', 'permission denied');
        fs.renameSync(from, to);
      },
    });
    expect(recoverPublish(dist, { fs: failing })).toMatch(/^undid an interrupted publish of dev, prod/);
    expect(tree(dist)).toEqual(['dev/', 'dev/app.yaml: dev v2', 'prod/', 'prod/app.yaml: prod v1']);
  });

  test('undoing brings the old tree back even when neither the environment folder nor a new tree is there', () => {
    const dist = distWith({
      [JOURNAL]: journal([
        { name: 'dev', existed: true },
        { name: 'prod', existed: true },
      ]),
      '.synth-old.dev/app.yaml': 'dev v1',
      'prod/app.yaml': 'prod v1',
      '.synth-new.prod/app.yaml': 'prod v2',
    });
    const failing = fsWith({
      renameSync: (from, to) => {
        if (from === join(dist, 'prod')) throw failure('EACCES', 'permission denied');
        fs.renameSync(from, to);
      },
    });
    expect(recoverPublish(dist, { fs: failing })).toMatch(/^undid an interrupted publish of dev, prod/);
    expect(tree(dist)).toEqual(['dev/', 'dev/app.yaml: dev v1', 'prod/', 'prod/app.yaml: prod v1']);
  });

  test('when completing and undoing both fail, the journal is kept and the error names both causes and the fix', () => {
    // Killed between moving dev aside and moving the new tree in.
    const dist = distWith({ [JOURNAL]: journal([{ name: 'dev', existed: true }]), '.synth-old.dev/app.yaml': 'dev v1', '.synth-new.dev/app.yaml': 'dev v2' });
    const failing = fsWith({
      renameSync: () => {
        throw failure('EROFS', 'read-only file system');
      },
    });
    const error = caught(() => recoverPublish(dist, { fs: failing }));
    expect(error.distState).toBe('interrupted');
    expect(error.message).toBe(
      `an interrupted publish of dev can neither be completed (EROFS: read-only file system) nor undone (EROFS: read-only file system); dist/${JOURNAL} is kept, fix the cause and run the synthesis again`,
    );
    expect(existsSync(join(dist, JOURNAL))).toBe(true);
  });

  test.each([
    ['another version', JSON.stringify({ version: 2, envs: [{ name: 'dev', existed: true }] })],
    ['no environment list', JSON.stringify({ version: 1 })],
    ['an unsafe name', journal([{ name: '../etc', existed: true }])],
    ['not JSON', '{"vers'],
  ])('a journal with %s is refused, never guessed at, and dist/ is left alone', (_what, text) => {
    const dist = distWith({ [JOURNAL]: text, 'dev/app.yaml': 'dev v1', '.synth-new.dev/app.yaml': 'dev v2' });
    const error = caught(() => recoverPublish(dist));
    expect(error.distState).toBe('interrupted');
    expect(error.message).toBe(`dist/${JOURNAL} is not a publish journal this version wrote; delete it and run the synthesis again`);
    expect(tree(dist)).toEqual(['.synth-journal.json: ' + text, '.synth-new.dev/', '.synth-new.dev/app.yaml: dev v2', 'dev/', 'dev/app.yaml: dev v1']);
  });

  test('leftovers that cannot be deleted during recovery are reported through warn', () => {
    const dist = distWith({ 'dev/app.yaml': 'dev v1', '.synth-new.dev/app.yaml': 'dev v2' });
    const warnings: string[] = [];
    const failing = fsWith({
      rmSync: () => {
        throw failure('EBUSY', 'resource busy');
      },
      chmodSync: () => undefined,
    });
    expect(recoverPublish(dist, { fs: failing, warn: (line) => warnings.push(line) })).toBe('deleted the leftovers of an interrupted publish: dist/.synth-new.dev');
    expect(warnings).toEqual(['could not delete the leftover dist/.synth-new.dev (EBUSY: resource busy); delete it by hand']);
  });
});
