import { diffValues, formatPath } from '../../review/fieldDiff';
import { formatChange, formatValue, VALUE_LIMIT } from '../../review/format';

const lines = (a: unknown, b: unknown) =>
  diffValues(a, b).map((f) => `${f.op} ${formatPath(f.path)}`);

describe('diffValues', () => {
  it('matches list items by name, so an inserted container is one addition', () => {
    const before = { containers: [{ name: 'app', image: 'a:1' }] };
    const after = { containers: [{ name: 'sidecar', image: 's:1' }, { name: 'app', image: 'a:2' }] };
    expect(lines(before, after)).toEqual(['changed containers[app].image', 'added containers[sidecar]']);
  });

  it('falls back to indexes for unnamed items and compares scalar lists whole', () => {
    expect(lines({ t: [{ key: 'a' }] }, { t: [{ key: 'b' }, { key: 'c' }] })).toEqual(['changed t[0].key', 'added t[1]']);
    expect(lines({ args: ['--a', '--b'] }, { args: ['--a', '--c'] })).toEqual(['changed args']);
  });

  it('quotes keys that are not identifiers', () => {
    expect(lines({ labels: { 'app.kubernetes.io/name': 'x' } }, { labels: {} })).toEqual(['removed labels["app.kubernetes.io/name"]']);
  });
});

describe('value formatting', () => {
  it('prints simple strings bare and cuts long values', () => {
    expect(formatValue('nginx:1.16.1')).toBe('nginx:1.16.1');
    expect(formatValue({ a: 1 })).toBe('{"a":1}');
    expect(formatValue('x'.repeat(100))).toHaveLength(VALUE_LIMIT);
  });

  it('shows long values from just before their first difference', () => {
    const script = (version: string) => `#!/bin/bash\n${'apt-get install -y something\n'.repeat(5)}kubeadm=${version}\n`;
    const [from, to] = formatChange(script('1.33.0'), script('1.34.2'));
    expect(from).toMatch(/^….*kubeadm=1\.33\.0/);
    expect(to).toMatch(/^….*kubeadm=1\.34\.2/);
  });
});
