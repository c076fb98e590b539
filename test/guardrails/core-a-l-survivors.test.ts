/**
 * Tests for the mutants of guardrails/[a-l]*.ts that survived the first Stryker run (verdicts in
 * reports/mutation/survivors/guardrails-core-a-l.md). All in-process; reads whose sizes can't be made
 * with real files (a stat size of 0 as in /proc, a file changing between stat and fstat) use node:fs
 * with openSync/fstatSync/readSync/closeSync replaced, in an isolated copy of load.ts. Except the one
 * test of cli.ts run as a script (a child process, which Stryker's mutants never reach). A few tests
 * pin the behaviour next to mutants found equivalent (a null List item, an unreadable path, empty
 * documents): they kill nothing, they show what the equivalence argument relies on.
 */
import { execFileSync } from 'node:child_process';
import * as realFs from 'node:fs';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../guardrails/cli';
import { crdProblems } from '../../guardrails/crd';
import { waiversOf } from '../../guardrails/exceptions';
import { typeOfFile, unknownFields } from '../../guardrails/known-fields';
import { parseManifestFile, readManifestFile } from '../../guardrails/load';
import { Manifest, readManifests } from '../../guardrails/manifest';

const MIB32 = 32 * 1024 * 1024;
let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'guardrails-core-a-l-survivors-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: web}\ndata: {k: v}\n';

describe('load.ts: readManifestFile with a stat size that is not the content size', () => {
  type Fake = { size: number; length: number; isFile?: boolean };
  const withFakeFd = (fake: Fake) => {
    const real = jest.requireActual('node:fs') as typeof realFs;
    const closed: number[] = [];
    let fakeFd: number | undefined;
    let served = 0;
    let load!: typeof import('../../guardrails/load');
    jest.isolateModules(() => {
      jest.doMock('node:fs', () => ({
        ...real,
        openSync: (...args: Parameters<typeof real.openSync>) => (fakeFd = real.openSync(...args)),
        fstatSync: (fd: number) => (fd === fakeFd ? { isFile: () => fake.isFile ?? true, size: fake.size } : real.fstatSync(fd)),
        readSync: (fd: number, buffer: Buffer, offset: number, length: number, position: null) => {
          if (fd !== fakeFd) return real.readSync(fd, buffer, offset, length, position);
          const n = Math.min(length, fake.length - served);
          buffer.fill(0x61, offset, offset + n);
          served += n;
          return n;
        },
        closeSync: (fd: number) => {
          closed.push(fd);
          real.closeSync(fd);
        },
      }));
      load = require('../../guardrails/load');
    });
    jest.dontMock('node:fs');
    const file = join(work, 'small.yaml');
    writeFileSync(file, CONFIGMAP);
    return { read: () => load.readManifestFile(file), file, closed, fd: () => fakeFd };
  };

  it('reads a file of exactly 32 MiB whose stat says 0 bytes (as /proc files do), growing the buffer to it', () => {
    const { read, closed, fd } = withFakeFd({ size: 0, length: MIB32 });
    const text = read();
    expect(text.length).toBe(33554432);
    expect(text.slice(0, 3)).toBe('aaa');
    expect(text.slice(-3)).toBe('aaa');
    expect(closed).toEqual([fd()]);
  });

  it('refuses one byte more than 32 MiB, naming the file and the limit', () => {
    const { read, file, closed, fd } = withFakeFd({ size: 0, length: MIB32 + 1 });
    expect(read).toThrow(`${file}: larger than 32 MiB; split it into smaller files`);
    expect(closed).toEqual([fd()]);
  });

  it('refuses an open file that is no longer a regular file (replaced after the stat), and closes it', () => {
    const { read, file, closed, fd } = withFakeFd({ size: 10, length: 10, isFile: false });
    expect(read).toThrow(`${file}: not a regular file; pass its content on stdin with -`);
    expect(closed).toEqual([fd()]);
  });
});

describe('load.ts: readManifestFile on a real file', () => {
  it('closes the file it opened', () => {
    const file = join(work, 'real.yaml');
    writeFileSync(file, CONFIGMAP);
    const before = readdirSync('/proc/self/fd').length;
    for (let i = 0; i < 5; i++) expect(readManifestFile(file)).toBe(CONFIGMAP);
    expect(readdirSync('/proc/self/fd').length).toBe(before);
  });
});

describe('load.ts: manifestFiles', () => {
  it('sorts the entries of a folder whatever order the file system lists them in', () => {
    const dir = join(work, 'unsorted');
    mkdirSync(dir);
    for (const name of ['b.yaml', 'c.yaml', 'a.yaml']) writeFileSync(join(dir, name), CONFIGMAP);
    const real = jest.requireActual('node:fs') as typeof realFs;
    let load!: typeof import('../../guardrails/load');
    jest.isolateModules(() => {
      jest.doMock('node:fs', () => ({
        ...real,
        readdirSync: (path: string) => (path === dir ? ['c.yaml', 'a.yaml', 'b.yaml'] : real.readdirSync(path)),
      }));
      load = require('../../guardrails/load');
    });
    jest.dontMock('node:fs');
    expect(load.manifestFiles(dir)).toEqual([join(dir, 'a.yaml'), join(dir, 'b.yaml'), join(dir, 'c.yaml')]);
  });
});

describe('load.ts: parseManifestFile', () => {
  const oneConfigMap = (file: string) => {
    const loaded = parseManifestFile(file, CONFIGMAP);
    expect(loaded.skipped).toBeUndefined();
    expect(loaded.docs.map((d) => [d.file, d.line, (d.object as { kind: string }).kind])).toEqual([[file, 1, 'ConfigMap']]);
  };

  it('skips only Chart.yaml by its whole name, not MyChart.yaml or Chart.yaml.yaml', () => {
    oneConfigMap('chart/MyChart.yaml');
    oneConfigMap('chart/Chart.yaml.yaml');
  });

  it('skips only compose files by their whole name, not compose.yaml.bak.yaml', () => {
    oneConfigMap('app/compose.yaml.bak.yaml');
  });

  it('a file of an empty document only is not skipped: it has nothing to skip', () => {
    const loaded = parseManifestFile('empty.yaml', '~\n');
    expect(loaded.skipped).toBeUndefined();
    expect(loaded.docs.map((d) => [d.line, d.object])).toEqual([[1, null]]);
  });

  it('keeps an empty document next to an object (lines 1-4 the ConfigMap, 5 ---, 6 ~)', () => {
    const loaded = parseManifestFile('two.yaml', `${CONFIGMAP}---\n~\n`);
    expect(loaded.skipped).toBeUndefined();
    expect(loaded.docs.map((d) => [d.line, d.object === null ? null : (d.object as { kind: string }).kind])).toEqual([
      [1, 'ConfigMap'],
      [6, null],
    ]);
  });

  it('a tool configuration next to plain YAML is still described as a tool configuration', () => {
    const text = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n---\nfoo: bar\n';
    expect(parseManifestFile('deploy/tools.yaml', text)).toEqual({
      file: 'deploy/tools.yaml',
      docs: [],
      skipped: 'deploy/tools.yaml: configuration of a tool (kustomize, kpt, kubeadm...), not Kubernetes objects; skipped',
    });
  });
});

describe('cli.ts: run', () => {
  const json = async (args: string[]) => {
    const result = await run(['--format', 'json', ...args]);
    return { code: result.code, stderr: result.stderr, report: JSON.parse(result.stdout) };
  };

  it('a List with a null item is read (the null is no object to preload a validator for)', async () => {
    const file = join(work, 'list.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: List\nitems:\n- null\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a, namespace: web}}\n');
    const { code, report } = await json([file]);
    expect(report.inputErrors).toEqual([]);
    expect(report.summary.files).toBe(1);
    expect(code).toBe(0);
  });

  it('an unreadable path adds no documents', async () => {
    const missing = join(work, 'missing');
    const { code, report } = await json([missing]);
    expect(report.inputErrors).toEqual([`${missing}: cannot read: ENOENT: no such file or directory, stat '${missing}'`]);
    expect(report.findings).toEqual([]);
    expect(report.skippedObjects).toEqual([]);
    expect(report.summary.files).toBe(0);
    expect(report.summary.objects).toBe(0);
    expect(code).toBe(2);
  });

  it('a folder is a kustomize folder only by kustomization.yaml itself, not kustomization.yml.yaml', async () => {
    const dir = join(work, 'not-kustomize');
    mkdirSync(dir);
    writeFileSync(join(dir, 'kustomization.yml.yaml'), CONFIGMAP);
    const { code, report } = await json([dir]);
    expect(report.skippedFiles).toEqual([]);
    expect(report.inputErrors).toEqual([]);
    expect(report.summary.files).toBe(1);
    expect(code).toBe(0);
  });

  it('a bug while reading the options is not reported as a usage error', async () => {
    await expect(run(undefined as unknown as string[])).rejects.toThrow(TypeError);
  });
});

describe('cli.ts as a script', () => {
  it('runs main() when started itself (tsx guardrails/cli.ts), not only through bin.cjs', () => {
    const stdout = execFileSync(join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx'), ['guardrails/cli.ts', '--help'], { cwd: join(__dirname, '..', '..'), encoding: 'utf8' });
    expect(stdout.startsWith('usage: npm run validate -- [options] DIR|FILE|-...\n')).toBe(true);
  });
});

describe('crd.ts: crdProblems', () => {
  const kindless = { type: 'object', properties: { name: { type: 'string' } } };

  it('checks kind in array items: only the root object may have apiVersion, kind and metadata', () => {
    const schema = { type: 'object', properties: { list: { type: 'array', items: kindless } } };
    expect(crdProblems({ list: [{ kind: 'x' }] }, schema)).toEqual([{ field: 'list[0].kind', problem: "is not a field of the CRD's schema" }]);
  });

  it('checks kind in additionalProperties values', () => {
    const schema = { type: 'object', properties: { m: { type: 'object', additionalProperties: kindless } } };
    expect(crdProblems({ m: { a: { kind: 'x' } } }, schema)).toEqual([{ field: 'm["a"].kind', problem: "is not a field of the CRD's schema" }]);
  });
});

describe('exceptions.ts: waiversOf', () => {
  it('a waiver line with a carriage return inside is not of the form "<rule-id>: <reason>"', () => {
    const { manifests } = readManifests([{ file: 'in-memory', object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', annotations: { 'guardrails.k8s-book-systems.io/waive': 'image-tag: a\rb' } } } }]);
    expect(manifests).toHaveLength(1);
    expect(waiversOf(manifests[0] as Manifest)).toEqual({
      waivers: [],
      problems: [
        {
          field: 'metadata.annotations["guardrails.k8s-book-systems.io/waive"]',
          problem: 'waiver "image-tag: a\rb" is not of the form "<rule-id>: <reason>"',
          fix: 'write the rule id, a colon and the reason',
        },
      ],
    });
  });
});

describe('known-fields.ts: typeOfFile', () => {
  it('an object whose validator iterates its keys (key12, not only key0-key9) accepts any field', () => {
    const SIG = '(data,{instancePath="",parentData,parentDataProperty,rootData=data}={}){let vErrors=null,errors=0;';
    const fn = (name: string, body: string) => `function ${name}${SIG}${body}return ${name}.errors=vErrors,0===errors}`;
    const file = join(work, 'Keys.js');
    writeFileSync(
      file,
      `"use strict";let validate=${fn('validate1', 'if(data&&"object"==typeof data){void 0===data.name||validate2(data.name,{instancePath:instancePath+"/name"})||errors++;for(const key12 in data){}}')}` +
        fn('validate2', 'if("string"!=typeof data){errors++}'),
    );
    expect(typeOfFile(file)).toEqual({ kind: 'any' });
    expect(unknownFields({ name: 'a', other: 1 }, typeOfFile(file))).toEqual([]);
  });
});
