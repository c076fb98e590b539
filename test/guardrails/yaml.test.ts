/**
 * YAML as kubectl reads it (YAML 1.1 via go-yaml: yes/on are booleans, 0644 is octal, timestamps stay
 * strings), document lines, field lines, and the alias-bomb limits — expectations written by hand.
 */
import { fieldPath, locateLine, MAX_ALIASES, MAX_EXPANDED_NODES, parseYamlDocuments, YamlError } from '../../guardrails/yaml';
import { thrown } from '../util/thrown';

describe('fieldPath', () => {
  it('splits dotted fields, indexes and quoted keys', () => {
    expect(fieldPath('spec.containers[0]["a.b"].image')).toEqual(['spec', 'containers', 0, 'a.b', 'image']);
    expect(fieldPath('metadata.annotations["guardrails.k8s-book-systems.io/waive"]')).toEqual(['metadata', 'annotations', 'guardrails.k8s-book-systems.io/waive']);
    expect(fieldPath('items[12].spec')).toEqual(['items', 12, 'spec']);
    expect(fieldPath('a[""]')).toEqual(['a', '']);
    expect(fieldPath('')).toEqual([]);
    expect(fieldPath('a')).toEqual(['a']);
  });
});

describe('parseYamlDocuments', () => {
  it('reads YAML 1.1 scalars as kubectl does', () => {
    const [doc] = parseYamlDocuments('a: yes\nb: on\nc: 0644\nd: 2024-01-01\ne: 1.30\nf: "1.30"\ng: ~\n');
    expect(doc.value).toEqual({ a: true, b: true, c: 420, d: '2024-01-01', e: 1.3, f: '1.30', g: null });
    expect(doc).toMatchObject({ line: 1, index: 0 });
  });

  it('gives each document its first line and index', () => {
    const docs = parseYamlDocuments('# comment\n\na: 1\n---\n---\nb: 2\n---\n\n\n- x\n');
    expect(docs).toEqual([
      { value: { a: 1 }, line: 3, index: 0 },
      { value: null, line: 1, index: 1 },
      { value: { b: 2 }, line: 6, index: 2 },
      { value: ['x'], line: 10, index: 3 },
    ]);
    expect(parseYamlDocuments('')).toEqual([]);
  });

  it('reads JSON with the JSON schema', () => {
    // The JSON schema knows only true/false: `yes` stays a string (it is true in YAML 1.1).
    expect(parseYamlDocuments('{"a": yes, "b": 0644}', true)[0].value).toEqual({ a: 'yes', b: '0644' });
    expect(parseYamlDocuments('{"a": yes, "b": 0644}')[0].value).toEqual({ a: true, b: 420 });
    expect(parseYamlDocuments('{"a": [1, true]}', true)).toEqual([{ value: { a: [1, true] }, line: 1, index: 0 }]);
  });

  it('reports syntax errors with their line', () => {
    const error = thrown(YamlError, () => parseYamlDocuments('a: 1\nb: [\n'));
    expect(error.line).toBe(3);
    expect(error.message).not.toContain('\n');
    expect(error.message.length).toBeGreaterThan(0);
    const bad = thrown(YamlError, () => parseYamlDocuments('a: 1\n  b: 2\n'));
    expect([bad.message, bad.line]).toEqual(['bad indentation of a mapping entry', 2]);
    const duplicate = thrown(YamlError, () => parseYamlDocuments('a: 1\na: 2\n'));
    expect([duplicate.message, duplicate.line]).toEqual(['duplicated mapping key', 2]);
    // Messages that mention aliases or limits, but not both, are not alias bombs.
    const alias = thrown(YamlError, () => parseYamlDocuments('a: *x\n'));
    expect([alias.message, alias.line]).toEqual(['unidentified alias "x"', 1]);
    const deep = thrown(YamlError, () => parseYamlDocuments('['.repeat(300)));
    expect([deep.message, deep.line]).toEqual(['nesting exceeded maxDepth (200)', 1]);
  });

  it('refuses alias bombs: too many aliases, or too large an expansion', () => {
    expect(MAX_ALIASES).toBe(100);
    expect(MAX_EXPANDED_NODES).toBe(1_000_000);
    const aliases = (n: number) => `a: &a x\nl:\n${'  - *a\n'.repeat(n)}`;
    expect(parseYamlDocuments(aliases(100))[0].value).toMatchObject({ a: 'x' });
    const many = thrown(YamlError, () => parseYamlDocuments(aliases(101)));
    expect(many.message).toBe('more than 100 YAML aliases in one document (an alias bomb?); write the values out');
    expect(many.line).toBe(103);
    // 10 levels of 10 aliases each: 10^6 leaves with only 90 aliases.
    const levels = ['l0: &l0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i <= 6; i++) levels.push(`l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(', ')}]`);
    const bomb = thrown(YamlError, () => parseYamlDocuments(`${levels.join('\n')}\n`));
    expect(bomb.message).toBe('a document expands to more than 1000000 nodes through YAML aliases (an alias bomb?); write the values out');
    expect(bomb.line).toBeUndefined();
    // 60 aliases expanding to 1,111,111 nodes are refused; 40 expanding to 111,111 are not.
    expect(() => parseYamlDocuments(`${levels.slice(0, 6).join('\n')}\n`)).toThrow(YamlError);
    expect(() => parseYamlDocuments(`${levels.slice(0, 5).join('\n')}\n`)).not.toThrow();
  });

  it('allows exactly 1,000,000 expanded nodes, not one more', () => {
    // a_k: 9 aliases of a_(k-1) and 10^k - 1 scalars, so a_k is 10^(k+1) nodes (a_0: 9 scalars, 10 nodes).
    // The root list: its own node, a_0 … a_4 (111,110 nodes), 8 aliases of a_4 (800,000) and `extra` scalars.
    const doc = (extra: number) => {
      const items = ['&a0 [' + Array(9).fill('x').join(',') + ']'];
      for (let k = 1; k <= 4; k++) items.push(`&a${k} [${[...Array(9).fill(`*a${k - 1}`), ...Array(10 ** k - 1).fill('x')].join(',')}]`);
      return `[${[...items, ...Array(8).fill('*a4'), ...Array(extra).fill('x')].join(',')}]\n`;
    };
    expect(parseYamlDocuments(doc(88_889))).toHaveLength(1);
    expect(thrown(YamlError, () => parseYamlDocuments(doc(88_890))).message).toBe(
      'a document expands to more than 1000000 nodes through YAML aliases (an alias bomb?); write the values out',
    );
  });
});

describe('locateLine', () => {
  const text = [
    'apiVersion: v1', // 1
    'kind: ConfigMap', // 2
    'metadata:', // 3
    '  name: a', // 4
    '  annotations:', // 5
    '    "x.io/y": z', // 6
    'data:', // 7
    '  list:', // 8
    '  - one', // 9
    '  - &anchor two', // 10
    '  - k: v', // 11
    '---', // 12
    'kind: Other', // 13
    'spec:', // 14
    '  replicas: 2', // 15
    '',
  ].join('\n');

  it('finds the deepest existing node along a field path', () => {
    expect(locateLine(text, 0, '')).toBe(1);
    expect(locateLine(text, 0, 'metadata.name')).toBe(4);
    expect(locateLine(text, 0, 'metadata.annotations["x.io/y"]')).toBe(6);
    expect(locateLine(text, 0, 'data.list[0]')).toBe(9);
    expect(locateLine(text, 0, 'data.list[1]')).toBe(10);
    expect(locateLine(text, 0, 'data.list[2].k')).toBe(11);
    expect(locateLine(text, 0, 'data.list[3]')).toBe(8);
    expect(locateLine(text, 0, 'data.missing')).toBe(7);
    expect(locateLine(text, 0, 'metadata[0]')).toBe(3);
    expect(locateLine(text, 0, 'data.list.x')).toBe(8);
    expect(locateLine(text, 1, '')).toBe(13);
    expect(locateLine(text, 1, 'spec.replicas')).toBe(15);
    expect(locateLine(text, 1, 'metadata.name')).toBe(13);
    expect(locateLine('a: 1\n', 0, 'a')).toBe(1);
  });
});
