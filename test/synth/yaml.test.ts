/**
 * synth/yaml.ts, byte for byte: the writer promises exactly what `yaml.stringify(o, { lineWidth: 0 })`
 * writes (block style, 2-space indents, sequences indented under their key), except that strings a
 * YAML 1.1 reader would misread are double-quoted. test/yaml-quoting.test.ts checks that values read
 * back; here the expected text is written by hand, because a different but equivalent layout also
 * reads back and would pass there.
 */
import { parse } from 'yaml';
import { toYamlDocuments } from '../../synth/yaml';

test('scalars: plain, numbers (beyond 2^53 as the yaml package writes them), booleans, null; undefined members are left out', () => {
  const text = toYamlDocuments([{ name: 'web', replicas: 3, ratio: 0.5, big: 2 ** 60, enabled: true, disabled: false, none: null, gone: undefined, last: 'x' }]);
  expect(text).toBe('---\nname: web\nreplicas: 3\nratio: 0.5\nbig: 1152921504606847000\nenabled: true\ndisabled: false\nnone: null\nlast: x\n');
});

test('nested mappings indent by 2; sequences of scalars sit under their key, indented by 2', () => {
  const text = toYamlDocuments([{ metadata: { labels: { app: 'web', tier: 'front' } }, args: ['--a', 'b'], deep: { list: ['x'] } }]);
  expect(text).toBe('---\nmetadata:\n  labels:\n    app: web\n    tier: front\nargs:\n  - --a\n  - b\ndeep:\n  list:\n    - x\n');
});

test('a mapping in a sequence starts on the dash line; empty ones, nulls and nested sequences as yaml writes them', () => {
  const text = toYamlDocuments([{ ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443, extra: { a: 1 } }], odd: [{}, [], null, ['a', 'b'], [{ k: 'v' }]] }]);
  expect(text).toBe(
    '---\n' +
      'ports:\n  - name: http\n    port: 80\n  - name: https\n    port: 443\n    extra:\n      a: 1\n' +
      'odd:\n  - {}\n  - []\n  - null\n  - - a\n    - b\n  - - k: v\n',
  );
});

test('empty mappings and sequences under a key are written inline', () => {
  expect(toYamlDocuments([{ emptyDir: {}, items: [], spec: { selector: {} } }])).toBe('---\nemptyDir: {}\nitems: []\nspec:\n  selector: {}\n');
});

test('strings that are not plain: a space stays plain as the yaml package writes it, YAML 1.1 look-alikes are double-quoted', () => {
  const text = toYamlDocuments([{ a: 'hello world', b: '1_000', c: 'yes', d: '12:30', e: '0755', f: '', g: 'tab\there', h: 'x: y' }]);
  expect(text).toBe('---\na: hello world\nb: "1_000"\nc: "yes"\nd: "12:30"\ne: "0755"\nf: ""\ng: "tab\\there"\nh: "x: y"\n');
});

test('a string the yaml package already quotes safely keeps its quoting', () => {
  // Starts with a double quote (so yaml single-quotes it) and holds a tab (so YAML 1.1 needs it quoted).
  const value = '"o\t';
  const text = toYamlDocuments([{ v: value }]);
  expect(text).toBe(`---\nv: '"o\t'\n`);
  expect(parse(text)).toEqual({ v: value });
});

test('keys: plain when safe, as the yaml package writes them otherwise; a multi-line key is double-quoted', () => {
  const text = toYamlDocuments([{ 'app.kubernetes.io/name': 'a', 'a b': 1, yes: 2, 'two\nlines': 3 }]);
  expect(text).toBe('---\napp.kubernetes.io/name: a\na b: 1\n"yes": 2\n"two\\nlines": 3\n');
});

test('multi-line strings are block scalars whose lines move under the key or item that holds them', () => {
  const text = toYamlDocuments([{ data: { 'run.sh': '#!/bin/sh\necho hi\n' }, cmds: ['a\nb', 'one'] }]);
  expect(text).toBe('---\ndata:\n  run.sh: |\n    #!/bin/sh\n    echo hi\ncmds:\n  - |-\n    a\n    b\n  - one\n');
});

test('every object is its own document', () => {
  expect(toYamlDocuments([{ a: 1 }, { b: 2 }])).toBe('---\na: 1\n---\nb: 2\n');
  expect(toYamlDocuments([])).toBe('');
});

test('strings a plain scalar would turn into something else are quoted: indicators, comments, leading spaces, mapping separators, YAML 1.2 numbers', () => {
  const values = ['- a', 'a #', '@at', ' leading', '1a: b', '1: a', '- 1a', '0o17', '1.5e3', '.5e3', '1.5e33', '1e3', '1 ', '1:', 'key: ', '1a #', '1a: '];
  const text = toYamlDocuments([Object.fromEntries(values.map((v, i) => [`v${i}`, v]))]);
  expect(text).toBe(
    '---\nv0: "- a"\nv1: "a #"\nv2: "@at"\nv3: " leading"\nv4: "1a: b"\nv5: "1: a"\nv6: "- 1a"\nv7: "0o17"\nv8: "1.5e3"\nv9: ".5e3"\nv10: "1.5e33"\nv11: "1e3"\nv12: "1 "\nv13: "1:"\nv14: "key: "\nv15: "1a #"\nv16: "1a: "\n',
  );
});

test('a long string with spaces stays on one line (no folding at 80 columns)', () => {
  const long = Array.from({ length: 20 }, () => 'words').join(' ');
  expect(toYamlDocuments([{ description: long }])).toBe(`---\ndescription: ${long}\n`);
});
