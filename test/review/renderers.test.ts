/**
 * The text and markdown renderings of a hand-built report, compared with hand-written output (the
 * snapshot tests in render.test.ts are no-ops in the mutation run). Values: review/format.ts.
 */
import { formatChange, formatValue } from '../../review/format';
import type { Entry, FieldChange, Report } from '../../review/model';
import { countsText, entryLines, MAX_FIELD_LINES, totalCounts } from '../../review/render/lines';
import { renderMarkdown } from '../../review/render/markdown';
import { renderText } from '../../review/render/text';

const REPORT: Report = {
  notes: ['HEAD has no plan script'],
  sections: [
    {
      title: 'prod',
      entries: [
        {
          status: 'changed',
          label: 'Deployment web/nginx',
          file: 'nginx.yaml',
          fields: [
            { path: [{ key: 'spec' }, { key: 'replicas' }], op: 'changed', old: 2, new: 3 },
            { path: [{ key: 'metadata' }, { key: 'labels' }, { key: 'tier' }], op: 'added', new: 'web' },
            { path: [{ key: 'spec' }, { key: 'paused' }], op: 'removed', old: true },
          ],
        },
        { status: 'added', label: 'Service web/new', file: 'svc.yaml', fields: [] },
        { status: 'removed', label: 'ConfigMap web/old', file: 'cm.yaml', fields: [] },
      ],
      risks: [
        { rule: 'prune', text: 'ConfigMap web/old removed' },
        { rule: 'rollout', text: 'rollout of Deployment web/nginx' },
      ],
    },
    {
      title: 'infra/prod',
      entries: [{ status: 'removed', label: 'aws:ec2/vpc:Vpc vpc', fields: [] }],
      risks: [{ rule: 'destroy', text: 'aws:ec2/vpc:Vpc vpc removed' }],
    },
  ],
};

describe('renderText', () => {
  test('notes, then per section its counts, risks (!) and entries with their fields, then the total', () => {
    expect(renderText(REPORT)).toBe(
      [
        'note: HEAD has no plan script',
        '',
        'prod — 1 added, 1 removed, 1 changed, 2 risks',
        '  ! ConfigMap web/old removed',
        '  ! rollout of Deployment web/nginx',
        '  ~ Deployment web/nginx (nginx.yaml)',
        '      ~ spec.replicas: 2 → 3',
        '      + metadata.labels.tier: web',
        '      - spec.paused: true',
        '  + Service web/new (svc.yaml)',
        '  - ConfigMap web/old (cm.yaml)',
        '',
        'infra/prod — 1 removed, 1 risk',
        '  ! aws:ec2/vpc:Vpc vpc removed',
        '  - aws:ec2/vpc:Vpc vpc',
        '',
        'total: 1 added, 2 removed, 1 changed, 3 risks',
        '',
      ].join('\n'),
    );
  });

  test('without notes there is no leading blank line', () => {
    expect(renderText({ ...REPORT, notes: [] }).split('\n')[0]).toBe('prod — 1 added, 1 removed, 1 changed, 2 risks');
  });

  test('no changes: the notes, then "No changes."', () => {
    expect(renderText({ sections: [], notes: [] })).toBe('No changes.\n');
    expect(renderText({ sections: [], notes: ['a', 'b'] })).toBe('note: a\nnote: b\nNo changes.\n');
  });

  test('no semantic changes but bytes differ: the files are named instead of "No changes."', () => {
    expect(renderText({ sections: [], notes: [], byteDifferences: ['prod/a.yaml', 'infra/prod.plan.json'] })).toBe(
      'No semantic changes, but 2 file(s) differ in bytes only (formatting, order or comments): prod/a.yaml, infra/prod.plan.json\n',
    );
    expect(renderText({ sections: [], notes: [], byteDifferences: [] })).toBe('No changes.\n');
  });
});

describe('renderMarkdown', () => {
  test('heading, summary table, notes as quotes, then per section risk bullets and the entries folded in a text fence', () => {
    expect(renderMarkdown(REPORT)).toBe(
      [
        '## Generated changes (dist/)',
        '',
        '| Environment | Added | Removed | Changed | Risks |',
        '| --- | ---: | ---: | ---: | ---: |',
        '| prod | 1 | 1 | 1 | 2 |',
        '| infra/prod | 0 | 1 | 0 | 1 |',
        '',
        '> note: HEAD has no plan script',
        '',
        '### prod',
        '',
        '- ConfigMap web/old removed',
        '- rollout of Deployment web/nginx',
        '',
        '<details><summary>1 added, 1 removed, 1 changed</summary>',
        '',
        '```text',
        '~ Deployment web/nginx (nginx.yaml)',
        '    ~ spec.replicas: 2 → 3',
        '    + metadata.labels.tier: web',
        '    - spec.paused: true',
        '+ Service web/new (svc.yaml)',
        '- ConfigMap web/old (cm.yaml)',
        '```',
        '',
        '</details>',
        '',
        '### infra/prod',
        '',
        '- aws:ec2/vpc:Vpc vpc removed',
        '',
        '<details><summary>1 removed</summary>',
        '',
        '```text',
        '- aws:ec2/vpc:Vpc vpc',
        '```',
        '',
        '</details>',
        '',
      ].join('\n'),
    );
  });

  test('a section without risks has no bullet block', () => {
    const md = renderMarkdown({ notes: [], sections: [{ title: 'dev', entries: [{ status: 'added', label: 'Namespace dev', fields: [] }], risks: [] }] });
    expect(md).toContain('### dev\n\n<details><summary>1 added</summary>\n');
  });

  test('markdown characters in titles, risks and notes are escaped; code in the fence is not', () => {
    const md = renderMarkdown({
      notes: ['a_b <c>'],
      sections: [{ title: 'x_y', entries: [{ status: 'added', label: 'Job a_b', fields: [] }], risks: [{ rule: 'prune', text: 'a\\b`c*d_e[f]g<h>i|j~k#l' }] }],
    });
    expect(md).toContain('\n| x\\_y | 1 | 0 | 0 | 1 |\n');
    expect(md).toContain('\n### x\\_y\n');
    expect(md).toContain('\n- a\\\\b\\`c\\*d\\_e\\[f\\]g\\<h\\>i\\|j\\~k\\#l\n');
    expect(md).toContain('\n> note: a\\_b \\<c\\>\n');
    expect(md).toContain('\n+ Job a_b\n');
  });

  test('the fence is longer than any backtick run inside it', () => {
    const fenceOf = (value: string) => {
      const md = renderMarkdown({ notes: [], sections: [{ title: 'p', entries: [{ status: 'added', label: value, fields: [] }], risks: [] }] });
      return md.split('\n').filter((l) => /^`+(text)?$/.test(l));
    };
    expect(fenceOf('plain')).toStrictEqual(['```text', '```']);
    expect(fenceOf('a `b` c')).toStrictEqual(['```text', '```']);
    expect(fenceOf('a ``` b')).toStrictEqual(['````text', '````']);
    expect(fenceOf('a ````` b `` c')).toStrictEqual(['``````text', '``````']);
  });

  test('no changes: heading, notes, then the no-changes line', () => {
    expect(renderMarkdown({ sections: [], notes: [] })).toBe('## Generated changes (dist/)\n\nNo changes.\n');
    expect(renderMarkdown({ sections: [], notes: ['n'], byteDifferences: ['a.yaml'] })).toBe(
      '## Generated changes (dist/)\n\n> note: n\n\nNo semantic changes, but 1 file(s) differ in bytes only (formatting, order or comments): a.yaml\n',
    );
  });
});

describe('entry and count lines', () => {
  const fields = (n: number): FieldChange[] => Array.from({ length: n }, (_, i) => ({ path: [{ key: `k${i}` }], op: 'added', new: i }));
  const entry = (n: number): Entry => ({ status: 'changed', label: 'ConfigMap a/b', fields: fields(n) });

  test(`at most ${MAX_FIELD_LINES} field lines per object, then how many more`, () => {
    expect(MAX_FIELD_LINES).toBe(40);
    expect(entryLines(entry(40))).toHaveLength(41);
    expect(entryLines(entry(40))[40]).toBe('    + k39: 39');
    expect(entryLines(entry(41))).toHaveLength(42);
    expect(entryLines(entry(41))[41]).toBe('    … and 1 more field changes');
    expect(entryLines(entry(45))[41]).toBe('    … and 5 more field changes');
  });

  test('an entry without a file has no parentheses; a change of the whole value says so', () => {
    expect(entryLines({ status: 'changed', label: 'stray.yaml', fields: [{ path: [], op: 'changed', old: 'sha1 a', new: 'sha1 b' }] })).toStrictEqual([
      '~ stray.yaml',
      '    ~ (whole value): "sha1 a" → "sha1 b"',
    ]);
  });

  test('counts name only what is non-zero; risk is pluralised', () => {
    expect(countsText({ added: 0, removed: 0, changed: 0, risks: 0 })).toBe('');
    expect(countsText({ added: 2, removed: 0, changed: 0, risks: 0 })).toBe('2 added');
    expect(countsText({ added: 0, removed: 3, changed: 1, risks: 1 })).toBe('3 removed, 1 changed, 1 risk');
    expect(countsText({ added: 1, removed: 1, changed: 1, risks: 2 })).toBe('1 added, 1 removed, 1 changed, 2 risks');
  });

  test('totals add up every section', () => {
    expect(totalCounts(REPORT.sections)).toStrictEqual({ added: 1, removed: 2, changed: 1, risks: 3 });
    expect(totalCounts([])).toStrictEqual({ added: 0, removed: 0, changed: 0, risks: 0 });
  });
});

describe('value formatting', () => {
  test.each([
    [undefined, '(none)'],
    ['nginx:1.27.0', 'nginx:1.27.0'],
    ['registry.k8s.io/pause@sha256:abc+d-e_f', 'registry.k8s.io/pause@sha256:abc+d-e_f'],
    ['two words', '"two words"'],
    ['', '""'],
    [3, '3'],
    [null, 'null'],
    [false, 'false'],
    [['a', 1], '["a",1]'],
    [{ a: { b: 'c' } }, '{"a":{"b":"c"}}'],
  ])('%j prints as %s', (value, text) => {
    expect(formatValue(value)).toBe(text);
  });

  test('60 characters print whole; longer values are cut to 59 and an ellipsis', () => {
    expect(formatValue('x'.repeat(60))).toBe('x'.repeat(60));
    expect(formatValue('x'.repeat(61))).toBe(`${'x'.repeat(59)}…`);
  });

  test('short sides of a change print whole', () => {
    expect(formatChange('a', 'b')).toStrictEqual(['a', 'b']);
    expect(formatChange('x'.repeat(60), 'y'.repeat(60))).toStrictEqual(['x'.repeat(60), 'y'.repeat(60)]);
    expect(formatChange(undefined, { a: 1 })).toStrictEqual(['(none)', '{"a":1}']);
  });

  test('two sides of 60 characters that share a long prefix still print whole', () => {
    expect(formatChange(`${'x'.repeat(59)}A`, `${'x'.repeat(59)}B`)).toStrictEqual([`${'x'.repeat(59)}A`, `${'x'.repeat(59)}B`]);
    expect(formatChange(`${'x'.repeat(30)}A`, `${'x'.repeat(30)}B`)).toStrictEqual([`${'x'.repeat(30)}A`, `${'x'.repeat(30)}B`]);
  });

  test('long sides start 20 characters before the first difference', () => {
    const [a, b] = formatChange(`${'x'.repeat(100)}A`, `${'x'.repeat(100)}B`);
    expect(a).toBe(`…${'x'.repeat(20)}A`);
    expect(b).toBe(`…${'x'.repeat(20)}B`);
    // One side long is enough to window both.
    expect(formatChange(`${'x'.repeat(30)}A`, `${'x'.repeat(30)}B${'y'.repeat(40)}`)).toStrictEqual([`…${'x'.repeat(20)}A`, `…${'x'.repeat(20)}B${'y'.repeat(37)}…`]);
    // A shorter side that is a prefix of the longer one.
    expect(formatChange('x'.repeat(70), `${'x'.repeat(70)}y`)).toStrictEqual([`…${'x'.repeat(20)}`, `…${'x'.repeat(20)}y`]);
  });

  test('a difference within the first 20 characters: no leading ellipsis, cut at the end', () => {
    const [a, b] = formatChange(`A${'x'.repeat(100)}`, `B${'x'.repeat(100)}`);
    expect(a).toBe(`A${'x'.repeat(58)}…`);
    expect(b).toBe(`B${'x'.repeat(58)}…`);
    const [c] = formatChange(`${'x'.repeat(20)}A${'x'.repeat(100)}`, `${'x'.repeat(20)}B`);
    expect(c).toBe(`${'x'.repeat(20)}A${'x'.repeat(38)}…`);
  });

  test('a long window is cut too', () => {
    const [a] = formatChange(`${'x'.repeat(30)}A${'z'.repeat(100)}`, `${'x'.repeat(30)}B`);
    expect(a).toBe(`…${'x'.repeat(20)}A${'z'.repeat(37)}…`);
  });
});
