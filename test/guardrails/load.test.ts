/**
 * guardrails/load.ts in-process: which files are manifests, reading with limits (files and stdin), and
 * parsing one file (tools' YAML skipped, Helm templates refused, YAML errors with their line, documents
 * with their lines). Expected values are written out by hand; line numbers are counted in the YAML here.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import {
  InputError,
  loadManifestFile,
  loadYamlFile,
  manifestFiles,
  MAX_INPUT_BYTES,
  parseManifestFile,
  readManifestFile,
  readStdin,
  STDIN_TIMEOUT_MS,
  yamlFiles,
} from '../../guardrails/load';

const MiB = 1024 * 1024;
let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'guardrails-load-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('did not throw');
}

describe('limits', () => {
  it('are 32 MiB per input and 60 s for stdin', () => {
    expect(MAX_INPUT_BYTES).toBe(33554432);
    expect(STDIN_TIMEOUT_MS).toBe(60000);
  });
});

describe('manifestFiles', () => {
  let root: string;
  beforeAll(() => {
    root = join(work, 'tree');
    for (const d of ['sub/deeper', '.git', '.config', 'node_modules/pkg', 'node_modules2', 'templates', 'empty']) mkdirSync(join(root, d), { recursive: true });
    const files = [
      'b.yaml', 'A.yml', 'c.JSON', 'd.Yaml', 'e.yml', 'f.json', 'notes.txt', 'x.yamlx', 'yaml', 'x.yaml.bak', 'x.jsonl', 'x.ymla', 'xyaml',
      '.hidden.yaml', '.git/config.yaml', '.config/x.yml', 'node_modules/pkg/m.yaml', 'node_modules2/m.yaml', 'sub/z.yaml', 'sub/deeper/y.yml', 'sub/a.yaml', 'templates/t.yaml',
    ];
    for (const f of files) writeFileSync(join(root, f), 'a: 1\n');
    symlinkSync(join(root, 'missing.yaml'), join(root, 'dangling.yaml'));
    symlinkSync(root, join(root, 'sub', 'loop'));
    symlinkSync(join(root, 'b.yaml'), join(root, 'link.yaml'));
    execFileSync('mkfifo', [join(root, 'pipe.yaml')]);
  });

  it('lists .yaml, .yml and .json in any case, depth-first in sorted order, following symlinks once, skipping dot-entries, node_modules, pipes and dangling links', () => {
    expect(manifestFiles(root).map((f) => f.slice(root.length + 1))).toEqual([
      'A.yml',
      'b.yaml',
      'c.JSON',
      'd.Yaml',
      'e.yml',
      'f.json',
      'link.yaml',
      'node_modules2/m.yaml',
      'sub/a.yaml',
      'sub/deeper/y.yml',
      'sub/z.yaml',
      'templates/t.yaml',
    ]);
  });

  it('is the file itself when given a file, whatever its name', () => {
    expect(manifestFiles(join(root, 'notes.txt'))).toEqual([join(root, 'notes.txt')]);
    expect(manifestFiles(join(root, '.hidden.yaml'))).toEqual([join(root, '.hidden.yaml')]);
  });

  it('is empty for a folder without manifests, and throws for a path that does not exist', () => {
    expect(manifestFiles(join(root, 'empty'))).toEqual([]);
    expect(thrown(() => manifestFiles(join(root, 'nope'))).message).toMatch(/^ENOENT: no such file or directory/);
  });

  it('keeps its first name, yamlFiles', () => {
    expect(yamlFiles).toBe(manifestFiles);
  });
});

describe('readManifestFile', () => {
  it('reads a regular file', () => {
    const file = join(work, 'plain.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\n');
    expect(readManifestFile(file)).toBe('apiVersion: v1\nkind: ConfigMap\n');
  });

  it('reads a file whose stated size is wrong (0 for /proc files) to its end', () => {
    const expected = readFileSync('/proc/self/cmdline', 'utf8');
    expect(expected.length).toBeGreaterThan(10);
    expect(readManifestFile('/proc/self/cmdline')).toBe(expected);
  });

  it('refuses what is not a regular file, naming it', () => {
    const error = thrown(() => readManifestFile(work));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(`${work}: not a regular file (a named pipe or device?); pass its content on stdin with -`);
    const fifo = join(work, 'fifo.yaml');
    execFileSync('mkfifo', [fifo]);
    expect(thrown(() => readManifestFile(fifo)).message).toBe(`${fifo}: not a regular file (a named pipe or device?); pass its content on stdin with -`);
  });

  it('names a file it cannot read', () => {
    const file = join(work, 'missing.yaml');
    const error = thrown(() => readManifestFile(file));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(`${file}: cannot read: ENOENT: no such file or directory, stat '${file}'`);
  });

  it('refuses a file over 32 MiB by its size, without reading it; reads one of exactly 32 MiB', () => {
    const sparse = (name: string, size: number) => {
      const file = join(work, name);
      writeFileSync(file, '');
      truncateSync(file, size);
      return file;
    };
    const huge = sparse('huge.yaml', 150 * MiB);
    expect(thrown(() => readManifestFile(huge))).toBeInstanceOf(InputError);
    expect(thrown(() => readManifestFile(huge)).message).toBe(`${huge}: 150 MiB is larger than 32 MiB; split it into smaller files`);
    const over = sparse('over.yaml', 33 * MiB);
    expect(thrown(() => readManifestFile(over)).message).toBe(`${over}: 33 MiB is larger than 32 MiB; split it into smaller files`);
    const byOne = sparse('by-one.yaml', 32 * MiB + 1);
    expect(thrown(() => readManifestFile(byOne)).message).toBe(`${byOne}: 32 MiB is larger than 32 MiB; split it into smaller files`);
    const limit = sparse('limit.yaml', 32 * MiB);
    const text = readManifestFile(limit);
    expect(text.length).toBe(33554432);
    expect(text.slice(0, 3)).toBe('\0\0\0');
    rmSync(limit);
  });
});

describe('readStdin', () => {
  const original = Object.getOwnPropertyDescriptor(process, 'stdin')!;
  let stdin: PassThrough;
  beforeEach(() => {
    stdin = new PassThrough();
    Object.defineProperty(process, 'stdin', { value: stdin, configurable: true, writable: true });
  });
  afterEach(() => {
    Object.defineProperty(process, 'stdin', original);
    jest.useRealTimers();
  });

  const settled = async (p: Promise<unknown>) => {
    let done = false;
    p.then(
      () => (done = true),
      () => (done = true),
    );
    for (let i = 0; i < 5; i++) await Promise.resolve();
    return done;
  };

  it('resolves with everything written until the end, then lets go of stdin', async () => {
    const text = readStdin(1000);
    stdin.write('apiVersion: v1\n');
    stdin.end(Buffer.from('kind: ConfigMap\n'));
    await expect(text).resolves.toBe('apiVersion: v1\nkind: ConfigMap\n');
    expect(stdin.listenerCount('data')).toBe(0);
    expect(stdin.listenerCount('end')).toBe(0);
    expect(stdin.listenerCount('error')).toBe(0);
    expect(stdin.destroyed).toBe(true);
  });

  it('fails after 60 s by default when stdin stays open, not before', async () => {
    jest.useFakeTimers();
    const text = readStdin();
    jest.advanceTimersByTime(59_999);
    expect(await settled(text)).toBe(false);
    jest.advanceTimersByTime(1);
    await expect(text).rejects.toThrow(new InputError('-: stdin did not end within 60 s; pipe a finished file into it'));
    expect(stdin.destroyed).toBe(true);
  });

  it('fails after the given timeout, in seconds in the message', async () => {
    jest.useFakeTimers();
    const text = readStdin(1500);
    jest.advanceTimersByTime(1500);
    const error = await text.catch((e: Error) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe('-: stdin did not end within 1.5 s; pipe a finished file into it');
  });

  it('ends the timer when stdin ends', async () => {
    jest.useFakeTimers();
    const text = readStdin(100);
    stdin.end('a: 1\n');
    await expect(text).resolves.toBe('a: 1\n');
    expect(jest.getTimerCount()).toBe(0);
  });

  it('takes 32 MiB, refuses one byte more', async () => {
    const exact = readStdin(10_000);
    stdin.end(Buffer.alloc(MAX_INPUT_BYTES, 'a'));
    expect((await exact).length).toBe(33554432);

    stdin = new PassThrough();
    Object.defineProperty(process, 'stdin', { value: stdin, configurable: true, writable: true });
    const over = readStdin(10_000);
    stdin.write(Buffer.alloc(MAX_INPUT_BYTES, 'a'));
    stdin.write(Buffer.from('b'));
    const error = await over.catch((e: Error) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe('-: stdin is larger than 32 MiB; split it into smaller files');
    expect(stdin.destroyed).toBe(true);
  });

  it('names a read error', async () => {
    const text = readStdin(1000);
    stdin.emit('error', new Error('EIO: i/o error'));
    const error = await text.catch((e: Error) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe('-: cannot read stdin: EIO: i/o error');
  });
});

describe('parseManifestFile: files of other tools', () => {
  const skipped = (file: string, what: string) => ({ file, docs: [], skipped: `${file}: ${what}, not Kubernetes objects; skipped` });
  const KUSTOMIZE = 'a kustomize configuration (run `kubectl kustomize` and validate its output)';
  const CHART = 'a Helm chart description (render with `helm template` and validate the output)';
  const VALUES = 'Helm values (render with `helm template` and validate the output)';
  const COMPOSE = 'a Docker Compose file';
  // Kubernetes objects inside: only the name makes these skipped.
  const OBJECT = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n';

  it.each([
    ['kustomization.yaml', KUSTOMIZE],
    ['dir/Kustomization.YML', KUSTOMIZE],
    ['kustomization.yml', KUSTOMIZE],
    ['Chart.yaml', CHART],
    ['chart/Chart.yml', CHART],
    ['values.yaml', VALUES],
    ['values.prod.yaml', VALUES],
    ['Values.staging-eu_1.YML', VALUES],
    ['compose.yaml', COMPOSE],
    ['compose.override.yml', COMPOSE],
    ['docker-compose.yaml', COMPOSE],
    ['Docker-Compose.prod.YAML', COMPOSE],
  ])('%s is skipped by its name', (file, what) => {
    expect(parseManifestFile(file, OBJECT)).toEqual(skipped(file, what));
  });

  it.each(['chart.yaml', 'CHART.yaml', 'my-values.yaml', 'values-prod.yaml', 'values.yaml.txt', 'prod.values.yaml', 'xcompose.yaml', 'compose-prod.yaml', 'dockercompose.yaml', 'my-kustomization.yaml', 'kustomization.yaml.orig', 'kustomizationyaml', 'values.json', 'values..yaml', 'values.a.b.yaml'])(
    '%s is read as manifests',
    (file) => {
      const loaded = parseManifestFile(file, OBJECT);
      expect(loaded.skipped).toBeUndefined();
      expect(loaded.docs.map((d) => d.object)).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }]);
    },
  );

  it.each([
    ['kustomize.config.k8s.io/v1beta1', 'Kustomization'],
    ['kustomize.config.k8s.io/v1alpha1', 'Component'],
    ['config.kubernetes.io/v1', 'ResourceList'],
    ['kpt.dev/v1', 'Kptfile'],
    ['skaffold/v4beta6', 'Config'],
    ['kind.x-k8s.io/v1alpha4', 'Cluster'],
    ['kubeadm.k8s.io/v1beta3', 'ClusterConfiguration'],
    ['kubelet.config.k8s.io/v1beta1', 'KubeletConfiguration'],
    ['kubeproxy.config.k8s.io/v1alpha1', 'KubeProxyConfiguration'],
    ['apiserver.config.k8s.io/v1', 'AdmissionConfiguration'],
  ])('%s %s is configuration of a tool, skipped', (apiVersion, kind) => {
    expect(parseManifestFile('tool.yaml', `apiVersion: ${apiVersion}\nkind: ${kind}\n`)).toEqual(skipped('tool.yaml', 'configuration of a tool (kustomize, kpt, kubeadm...)'));
  });

  it.each(['example.kpt.dev/v1', 'my.kustomize.config.k8s.io/v1', 'skaffold.dev/v1', 'kubelet.example.org/v1', 'kind.example.io/v1', 'config.example.io/v1'])('%s is not a tool group', (apiVersion) => {
    const loaded = parseManifestFile('x.yaml', `apiVersion: ${apiVersion}\nkind: Thing\n`);
    expect(loaded).toEqual({ file: 'x.yaml', docs: [{ file: 'x.yaml', object: { apiVersion, kind: 'Thing' }, line: 1, source: { text: `apiVersion: ${apiVersion}\nkind: Thing\n`, index: 0 } }] });
  });

  it('describes YAML without Kubernetes objects: compose by services, kustomize by resources, else generic', () => {
    expect(parseManifestFile('stack.yaml', 'services:\n  web: {image: nginx}\n')).toEqual(skipped('stack.yaml', COMPOSE));
    expect(parseManifestFile('k.yaml', 'resources: [a.yaml]\n')).toEqual(skipped('k.yaml', 'a kustomize configuration'));
    const generic = 'YAML without Kubernetes objects (no document has apiVersion and kind)';
    expect(parseManifestFile('dash.json', '{"panels": []}')).toEqual(skipped('dash.json', generic));
    expect(parseManifestFile('s.yaml', 'services: {}\nkind: Stack\n')).toEqual(skipped('s.yaml', generic));
    expect(parseManifestFile('r.yaml', 'resources: []\nkind: Bundle\n')).toEqual(skipped('r.yaml', generic));
    expect(parseManifestFile('list.yaml', '- services\n- resources\n')).toEqual(skipped('list.yaml', generic));
    expect(parseManifestFile('scalar.yaml', 'just text\n')).toEqual(skipped('scalar.yaml', generic));
    // The first object decides: a scalar document before it does not count.
    expect(parseManifestFile('two.yaml', '5\n---\nservices: {}\n')).toEqual(skipped('two.yaml', COMPOSE));
    expect(parseManifestFile('three.yaml', 'resources: []\n---\nservices: {}\n')).toEqual(skipped('three.yaml', 'a kustomize configuration'));
    // apiVersion without kind, or kind not a string: not objects either.
    expect(parseManifestFile('half.yaml', 'apiVersion: v1\n')).toEqual(skipped('half.yaml', generic));
    expect(parseManifestFile('num.yaml', 'apiVersion: v1\nkind: 5\n')).toEqual(skipped('num.yaml', generic));
    expect(parseManifestFile('num2.yaml', 'apiVersion: 1\nkind: Pod\n')).toEqual(skipped('num2.yaml', generic));
  });

  it('a file with both tools\' and Kubernetes objects keeps the Kubernetes ones only', () => {
    const text = [
      '# line 1: a comment',
      'apiVersion: v1', // 2
      'kind: ConfigMap',
      'metadata: {name: a}',
      '---', // 5
      'apiVersion: kustomize.config.k8s.io/v1beta1', // 6
      'kind: Kustomization',
      '---', // 8
      '', // 9
      'apiVersion: v1', // 10
      'kind: Secret',
      'metadata: {name: b}',
      '',
    ].join('\n');
    expect(parseManifestFile('mixed.yaml', text)).toEqual({
      file: 'mixed.yaml',
      docs: [
        { file: 'mixed.yaml', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }, line: 2, source: { text, index: 0 } },
        { file: 'mixed.yaml', object: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'b' } }, line: 10, source: { text, index: 2 } },
      ],
    });
  });

  it('keeps empty documents and non-objects next to objects (the schema rule reports them); an empty file has no documents', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\n---\n- a list\n---\nplain\n';
    expect(parseManifestFile('odd.yaml', text).docs.map((d) => [d.object, d.line])).toEqual([
      [{ apiVersion: 'v1', kind: 'ConfigMap' }, 1],
      [['a list'], 4],
      ['plain', 6],
    ]);
    expect(parseManifestFile('empty.yaml', '')).toEqual({ file: 'empty.yaml', docs: [] });
    expect(parseManifestFile('comment.yaml', '# nothing\n')).toEqual({ file: 'comment.yaml', docs: [] });
    const separators = parseManifestFile('separators.yaml', '---\n---\n');
    expect(separators.skipped).toBeUndefined();
    expect(separators.docs.map((d) => d.object)).toEqual([null, null]);
  });
});

describe('parseManifestFile: Helm templates', () => {
  const HELM = (file: string) => `${file}: a Helm template ({{ ... }}), not YAML yet; render it with \`helm template\` first and validate the output`;
  const helmError = (file: string, text: string) => {
    const error = thrown(() => parseManifestFile(file, text));
    expect(error).toBeInstanceOf(InputError);
    return error.message;
  };

  it.each([
    ['an action on its own line', 'apiVersion: v1\n{{- if .Values.enabled }}\nkind: ConfigMap\n{{- end }}\n'],
    ['an indented action line', 'apiVersion: v1\nkind: ConfigMap\ndata:\n  {{- toYaml .Values.data | nindent 2 }}\n'],
    ['a value after key:', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n'],
    ['a value after key: and several spaces', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name:    {{ .Release.Name }}\n'],
    ['a value after a dotted/slashed key', 'metadata:\n  labels:\n    app.kubernetes.io/name: {{ .Chart.Name }}\n'],
    ['a list item', 'args:\n- {{ .Values.arg }}\n'],
    ['a list item after several spaces', 'args:\n  -    {{ .Values.arg }}\n'],
    ['a key: value list item', 'env:\n  - name: {{ .Values.name }}\n'],
    ['an action at the very start', '{{ include "x" . }}\n'],
  ])('%s', (_, text) => {
    expect(helmError('chart/deployment.yaml', text)).toBe(HELM('chart/deployment.yaml'));
  });

  it('quoted actions, actions inside a value and unclosed braces are ordinary strings outside templates/', () => {
    const docs = (text: string) => parseManifestFile('alerts/rules.yaml', text).docs.map((d) => d.object);
    expect(docs('apiVersion: v1\nkind: ConfigMap\ndata:\n  summary: "{{ $labels.instance }} is down"\n')).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', data: { summary: '{{ $labels.instance }} is down' } },
    ]);
    expect(docs('apiVersion: v1\nkind: ConfigMap\ndata:\n  summary: host {{ $labels.instance }}\n')).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', data: { summary: 'host {{ $labels.instance }}' } },
    ]);
    expect(docs("apiVersion: v1\nkind: ConfigMap\ndata:\n  open: '{{ not closed'\n")).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', data: { open: '{{ not closed' } }]);
    expect(docs("apiVersion: v1\nkind: ConfigMap\ndata:\n  half: '{{ a } b }'\n")).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', data: { half: '{{ a } b }' } }]);
    expect(docs('apiVersion: v1\nkind: ConfigMap\ndata:\n  key:{{ x }}: v\n')).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', data: { 'key:{{ x }}': 'v' } }]);
  });

  it('in a templates/ folder, quoted actions make a template too', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "{{ .Release.Name }}"\n';
    expect(helmError('chart/templates/cm.yaml', text)).toBe(HELM('chart/templates/cm.yaml'));
    expect(helmError('templates/cm.yaml', text)).toBe(HELM('templates/cm.yaml'));
    expect(parseManifestFile('chart/my-templates/cm.yaml', text).docs).toHaveLength(1);
    expect(parseManifestFile('chart/templates/sub/cm.yaml', text).docs).toHaveLength(1);
    expect(parseManifestFile('chart/templates/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: "{{ no end"\n').docs).toHaveLength(1);
    expect(parseManifestFile('chart/templates/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: "{ {x} }"\n').docs).toHaveLength(1);
  });
});

describe('parseManifestFile: YAML errors and JSON', () => {
  it('names the file and the line of a YAML error', () => {
    // line 1: apiVersion, 2: kind, 3: metadata, 4: name, 5: the duplicate
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n';
    const error = thrown(() => parseManifestFile('dup.yaml', text));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe('dup.yaml:5: YAML error: duplicated mapping key');
  });

  it('names the file only when the error has no line (an alias bomb)', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    const names = 'abcdefgh';
    for (let i = 1; i < 8; i++) lines.push(`${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(',')}]`);
    const error = thrown(() => parseManifestFile('bomb.yaml', `${lines.join('\n')}\n`));
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe('bomb.yaml: YAML error: a document expands to more than 1000000 nodes through YAML aliases (an alias bomb?); write the values out');
  });

  it('reads .json (any case) as JSON: a repeated key is the last one, where YAML refuses it', () => {
    const text = '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}, "data": {"k": "1", "k": "2"}}';
    const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: '2' } };
    expect(parseManifestFile('cm.json', text).docs.map((d) => d.object)).toEqual([object]);
    expect(parseManifestFile('CM.JSON', text).docs.map((d) => d.object)).toEqual([object]);
    expect(thrown(() => parseManifestFile('cm.yaml', text)).message).toBe('cm.yaml:1: YAML error: duplicated mapping key');
    expect(thrown(() => parseManifestFile('cm.json.yaml', text)).message).toBe('cm.json.yaml:1: YAML error: duplicated mapping key');
  });
});

describe('loadManifestFile and loadYamlFile', () => {
  it('read and parse a file: documents with their lines', () => {
    const file = join(work, 'two.yaml');
    // 1: ---, 2: apiVersion, 3: kind, 4: metadata, 5: ---, 6: comment, 7: apiVersion
    const text = '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n# the second\napiVersion: v1\nkind: Secret\nmetadata: {name: b}\n';
    writeFileSync(file, text);
    expect(loadManifestFile(file)).toEqual({
      file,
      docs: [
        { file, object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }, line: 2, source: { text, index: 0 } },
        { file, object: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'b' } }, line: 7, source: { text, index: 1 } },
      ],
    });
    expect(loadYamlFile(file).map((d) => d.line)).toEqual([2, 7]);
  });

  it('skip files of other tools by name and throw InputError naming the file', () => {
    const dir = join(work, 'chart');
    mkdirSync(join(dir, 'templates'), { recursive: true });
    writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: web\n');
    expect(loadManifestFile(join(dir, 'Chart.yaml')).skipped).toBe(`${join(dir, 'Chart.yaml')}: a Helm chart description (render with \`helm template\` and validate the output), not Kubernetes objects; skipped`);
    expect(loadYamlFile(join(dir, 'Chart.yaml'))).toEqual([]);
    writeFileSync(join(dir, 'templates', 'cm.yaml'), 'name: "{{ .Release.Name }}"\n');
    expect(thrown(() => loadYamlFile(join(dir, 'templates', 'cm.yaml')))).toBeInstanceOf(InputError);
    expect(thrown(() => loadYamlFile(join(dir, 'nope.yaml'))).message).toBe(`${join(dir, 'nope.yaml')}: cannot read: ENOENT: no such file or directory, stat '${join(dir, 'nope.yaml')}'`);
  });
});
