/**
 * Label-selector semantics as the Kubernetes docs define them
 * (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors and the
 * LabelSelector API reference): matchLabels and matchExpressions are ANDed; `In` needs the key with one
 * of the values; `NotIn` matches objects without the key too; `Exists`/`DoesNotExist` look at the key only;
 * an empty LabelSelector matches every object. Expected values are written out by hand.
 */
import { formatLabels, formatSelector, isEmpty, labelSelector, mapSelector, matches, Selector } from '../../guardrails/selector';

const sel = (matchLabels: Record<string, string>, matchExpressions: Selector['matchExpressions'] = []): Selector => ({ matchLabels, matchExpressions });
const expr = (key: string, operator: string, values: string[] = []) => ({ key, operator, values });

describe('mapSelector (Service / ReplicationController selector)', () => {
  it('keeps string values and drops everything else', () => {
    expect(mapSelector({ app: 'web', tier: 'front', n: 3, b: true, o: {}, z: null })).toEqual({ matchLabels: { app: 'web', tier: 'front' }, matchExpressions: [] });
  });
  it('reads a missing or malformed map as empty', () => {
    expect(mapSelector(undefined)).toEqual({ matchLabels: {}, matchExpressions: [] });
    expect(mapSelector(['app'])).toEqual({ matchLabels: {}, matchExpressions: [] });
    expect(mapSelector('app=web')).toEqual({ matchLabels: {}, matchExpressions: [] });
  });
});

describe('labelSelector (apps/v1, PDB, NetworkPolicy selector)', () => {
  it('reads matchLabels and matchExpressions', () => {
    expect(
      labelSelector({
        matchLabels: { app: 'web', n: 1 },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['a', 'b', 3, null] },
          { key: 'env', operator: 'Exists' },
        ],
      }),
    ).toEqual({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['a', 'b'] },
        { key: 'env', operator: 'Exists', values: [] },
      ],
    });
  });
  it('reads missing key/operator as empty strings and skips non-object expressions', () => {
    expect(labelSelector({ matchExpressions: [{ key: 7, operator: false, values: 'x' }, null, 'In'] })).toEqual({
      matchLabels: {},
      matchExpressions: [{ key: '', operator: '', values: [] }],
    });
  });
  it('reads a missing or non-object selector as the empty selector', () => {
    expect(labelSelector(undefined)).toEqual({ matchLabels: {}, matchExpressions: [] });
    expect(labelSelector(null)).toEqual({ matchLabels: {}, matchExpressions: [] });
    expect(labelSelector('app=web')).toEqual({ matchLabels: {}, matchExpressions: [] });
    expect(labelSelector([{ matchLabels: { a: 'b' } }])).toEqual({ matchLabels: {}, matchExpressions: [] });
  });
});

describe('isEmpty', () => {
  it('is true only with neither labels nor expressions', () => {
    expect(isEmpty(sel({}))).toBe(true);
    expect(isEmpty(sel({ a: 'b' }))).toBe(false);
    expect(isEmpty(sel({}, [expr('a', 'Exists')]))).toBe(false);
    expect(isEmpty(sel({ a: 'b' }, [expr('a', 'Exists')]))).toBe(false);
  });
});

describe('matches', () => {
  it('an empty selector matches everything, including unlabelled pods', () => {
    expect(matches(sel({}), {})).toBe(true);
    expect(matches(sel({}), { app: 'web' })).toBe(true);
  });

  it('matchLabels: every pair must be present with the same value', () => {
    expect(matches(sel({ app: 'web' }), { app: 'web', tier: 'x' })).toBe(true);
    expect(matches(sel({ app: 'web', tier: 'x' }), { app: 'web', tier: 'x' })).toBe(true);
    expect(matches(sel({ app: 'web', tier: 'x' }), { app: 'web' })).toBe(false);
    expect(matches(sel({ app: 'web', tier: 'x' }), { tier: 'x' })).toBe(false);
    expect(matches(sel({ app: 'web' }), { app: 'api' })).toBe(false);
    expect(matches(sel({ app: 'web' }), {})).toBe(false);
    // An empty value is a value: it matches only an empty label, not a missing one.
    expect(matches(sel({ app: '' }), { app: '' })).toBe(true);
    expect(matches(sel({ app: '' }), {})).toBe(false);
  });

  it('In: the key is present with one of the values', () => {
    const s = sel({}, [expr('tier', 'In', ['web', 'api'])]);
    expect(matches(s, { tier: 'web' })).toBe(true);
    expect(matches(s, { tier: 'api' })).toBe(true);
    expect(matches(s, { tier: 'db' })).toBe(false);
    expect(matches(s, {})).toBe(false);
    expect(matches(s, { other: 'web' })).toBe(false);
  });

  it('NotIn: the key is absent, or present with none of the values', () => {
    const s = sel({}, [expr('tier', 'NotIn', ['web', 'api'])]);
    expect(matches(s, {})).toBe(true);
    expect(matches(s, { other: 'web' })).toBe(true);
    expect(matches(s, { tier: 'db' })).toBe(true);
    expect(matches(s, { tier: 'web' })).toBe(false);
    expect(matches(s, { tier: 'api' })).toBe(false);
  });

  it('Exists and DoesNotExist look at the key only', () => {
    expect(matches(sel({}, [expr('tier', 'Exists')]), { tier: '' })).toBe(true);
    expect(matches(sel({}, [expr('tier', 'Exists')]), { tier: 'x' })).toBe(true);
    expect(matches(sel({}, [expr('tier', 'Exists')]), { app: 'x' })).toBe(false);
    expect(matches(sel({}, [expr('tier', 'DoesNotExist')]), { app: 'x' })).toBe(true);
    expect(matches(sel({}, [expr('tier', 'DoesNotExist')]), {})).toBe(true);
    expect(matches(sel({}, [expr('tier', 'DoesNotExist')]), { tier: '' })).toBe(false);
  });

  it('looks only at own labels, not inherited properties', () => {
    expect(matches(sel({}, [expr('toString', 'Exists')]), {})).toBe(false);
    expect(matches(sel({}, [expr('toString', 'DoesNotExist')]), {})).toBe(true);
    expect(matches(sel({}, [expr('constructor', 'NotIn', ['x'])]), {})).toBe(true);
  });

  it('an unknown or miscased operator matches nothing', () => {
    expect(matches(sel({}, [expr('tier', 'in', ['web'])]), { tier: 'web' })).toBe(false);
    expect(matches(sel({}, [expr('tier', 'Equals', ['web'])]), { tier: 'web' })).toBe(false);
    expect(matches(sel({}, [expr('tier', '', [])]), {})).toBe(false);
    expect(matches(sel({}, [expr('tier', 'exists')]), { tier: 'web' })).toBe(false);
    expect(matches(sel({}, [expr('tier', 'doesnotexist')]), {})).toBe(false);
    expect(matches(sel({}, [expr('tier', 'notin', ['x'])]), {})).toBe(false);
  });

  it('ANDs labels and every expression', () => {
    const s = sel({ app: 'web' }, [expr('tier', 'In', ['a']), expr('canary', 'DoesNotExist')]);
    expect(matches(s, { app: 'web', tier: 'a' })).toBe(true);
    expect(matches(s, { app: 'web', tier: 'a', canary: 'y' })).toBe(false);
    expect(matches(s, { app: 'web', tier: 'b' })).toBe(false);
    expect(matches(s, { app: 'api', tier: 'a' })).toBe(false);
  });
});

describe('formatSelector / formatLabels (kubectl notation)', () => {
  it('formats each operator as kubectl does', () => {
    expect(
      formatSelector(
        sel({ app: 'nginx', tier: 'web' }, [expr('env', 'In', ['dev', 'prod']), expr('zone', 'NotIn', ['a']), expr('gpu', 'Exists'), expr('spot', 'DoesNotExist'), expr('x', 'Odd', [])]),
      ),
    ).toBe('app=nginx,tier=web,env in (dev,prod),zone notin (a),gpu,!spot,x odd ()');
  });
  it('names the empty selector and labels', () => {
    expect(formatSelector(sel({}))).toBe('(empty)');
    expect(formatSelector(sel({}, [expr('gpu', 'Exists')]))).toBe('gpu');
    expect(formatLabels({})).toBe('(none)');
    expect(formatLabels({ app: 'web' })).toBe('app=web');
    expect(formatLabels({ app: 'web', tier: 'x' })).toBe('app=web,tier=x');
  });
});
