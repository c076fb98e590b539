/**
 * The project's own scheduling predicates against the upstream semantics (test/oracles/kubernetes.ts):
 * hand-written cases first, then random ones where the oracle decides.
 */
import fc from 'fast-check';
import { PoolTaint, tolerates } from '../constructs/platform';
import type { Toleration } from '../constructs/k8s';
import { blockers, NodeGroup, podConstraints } from '../cross-layer/nodes';
import { labelSelector, matches } from '../guardrails/selector';
import { oracleSchedulable, oracleSelects, oracleTolerates } from './oracles/kubernetes';
import { fuzzAssert } from './fuzz/harness';

const gpu: PoolTaint = { key: 'gpu', value: 'true', effect: 'NoSchedule' };

describe('tolerates(): a toleration matches a taint by key, value and effect', () => {
  const cases: Array<[string, Toleration, PoolTaint, boolean]> = [
    ['Equal with the same key, value and effect', { key: 'gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' }, gpu, true],
    ['Equal with another value', { key: 'gpu', operator: 'Equal', value: 'false', effect: 'NoSchedule' }, gpu, false],
    ['Equal with another key', { key: 'tpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' }, gpu, false],
    ['an empty operator is Equal', { key: 'gpu', value: 'true', effect: 'NoSchedule' }, gpu, true],
    ['the same key and value but effect NoExecute, for a NoSchedule taint', { key: 'gpu', operator: 'Equal', value: 'true', effect: 'NoExecute' }, gpu, false],
    ['the same key and value but effect PreferNoSchedule, for a NoSchedule taint', { key: 'gpu', operator: 'Equal', value: 'true', effect: 'PreferNoSchedule' }, gpu, false],
    ['no effect matches every effect', { key: 'gpu', operator: 'Equal', value: 'true' }, { ...gpu, effect: 'NoExecute' }, true],
    ['Exists ignores the value', { key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }, { ...gpu, value: 'anything' }, true],
    ['Exists still needs the effect', { key: 'gpu', operator: 'Exists', effect: 'NoExecute' }, gpu, false],
    ['Exists still needs the key', { key: 'tpu', operator: 'Exists' }, gpu, false],
    ['Exists without a key tolerates everything', { operator: 'Exists' }, gpu, true],
    ['Exists without a key but with an effect tolerates only that effect', { operator: 'Exists', effect: 'NoExecute' }, gpu, false],
    ['Equal without a value matches a taint without a value', { key: 'dedicated', operator: 'Equal', effect: 'NoSchedule' }, { key: 'dedicated', effect: 'NoSchedule' }, true],
    ['Equal without a value does not match a taint with one', { key: 'gpu', operator: 'Equal', effect: 'NoSchedule' }, gpu, false],
  ];

  test.each(cases)('%s', (_what, toleration, taint, expected) => {
    expect(tolerates([toleration], taint)).toBe(expected);
    // The oracle agrees with the hand-written expectation, so it can decide the random cases below.
    expect(oracleTolerates(toleration, taint)).toBe(expected);
  });

  test('any one toleration of the list suffices; none tolerates nothing', () => {
    const wrong: Toleration = { key: 'gpu', operator: 'Equal', value: 'false', effect: 'NoSchedule' };
    const right: Toleration = { key: 'gpu', operator: 'Exists', effect: 'NoSchedule' };
    expect(tolerates([wrong, right], gpu)).toBe(true);
    expect(tolerates([right, wrong], gpu)).toBe(true);
    expect(tolerates([wrong], gpu)).toBe(false);
    expect(tolerates([], gpu)).toBe(false);
  });

  const small = <T>(...values: T[]) => fc.constantFrom(...values);
  const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
  const taintArb = fc.record({ key: small('gpu', 'os', 'node-role.kubernetes.io/control-plane'), value: maybe(small('true', 'windows', '')), effect: small('NoSchedule', 'PreferNoSchedule', 'NoExecute') as fc.Arbitrary<PoolTaint['effect']> });
  const tolerationArb = fc.record({
    key: maybe(small('gpu', 'os', 'node-role.kubernetes.io/control-plane')),
    operator: maybe(small('Equal', 'Exists')),
    value: maybe(small('true', 'windows')),
    effect: maybe(small('NoSchedule', 'PreferNoSchedule', 'NoExecute')),
  }).filter((t) => t.key !== undefined || t.operator === 'Exists'); // the API rejects an empty key unless Exists

  test('random tolerations and taints: tolerates() answers as the upstream rules do', () => {
    fuzzAssert(
      fc.property(fc.array(tolerationArb, { maxLength: 3 }), taintArb, (tolerations, taint) => {
        const clean = tolerations.map((t) => Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined)) as Toleration);
        expect(tolerates(clean, taint)).toBe(clean.some((t) => oracleTolerates(t, taint)));
      }),
    );
  });
});

describe('blockers(): which node groups a pod cannot land on', () => {
  const group = (taints: NodeGroup['taints'], labels: Record<string, string> = { 'kubernetes.io/os': 'linux' }): NodeGroup => ({ name: 'pool x', labels, taints, count: 1 });

  test('NoSchedule and NoExecute taints block an intolerant pod; PreferNoSchedule only steers', () => {
    const pod = podConstraints({ nodeSelector: { 'kubernetes.io/os': 'linux' } });
    expect(blockers(group([{ key: 'gpu', value: 'true', effect: 'NoSchedule' }]), pod)).toEqual(['taint gpu=true:NoSchedule not tolerated']);
    expect(blockers(group([{ key: 'gpu', effect: 'NoExecute' }]), pod)).toEqual(['taint gpu:NoExecute not tolerated']);
    expect(blockers(group([{ key: 'gpu', value: 'true', effect: 'PreferNoSchedule' }]), pod)).toEqual([]);
  });

  test('a toleration for another effect does not unblock the node', () => {
    const pod = podConstraints({ nodeSelector: {}, tolerations: [{ key: 'gpu', operator: 'Exists', effect: 'NoExecute' }] });
    expect(blockers(group([{ key: 'gpu', value: 'true', effect: 'NoSchedule' }]), pod)).toEqual(['taint gpu=true:NoSchedule not tolerated']);
  });

  test('node selectors and required affinity: missing label, other value, no matching term', () => {
    const pod = podConstraints({
      nodeSelector: { 'kubernetes.io/os': 'windows', 'node-pool': 'a' },
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }] }] } } },
    });
    expect(blockers(group([], { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' }), pod)).toEqual([
      'kubernetes.io/os=linux, not windows',
      'no label node-pool',
      'matches no required node-affinity term (kubernetes.io/arch in (arm64))',
    ]);
  });

  test('random pools and pods: a group is blocked exactly when the upstream rules say the pod cannot schedule there', () => {
    const taints = fc.array(
      fc.record({ key: fc.constantFrom('gpu', 'os'), value: fc.option(fc.constantFrom('true', 'windows'), { nil: undefined }), effect: fc.constantFrom('NoSchedule' as const, 'PreferNoSchedule' as const, 'NoExecute' as const) }),
      { maxLength: 3 },
    );
    const tolerations = fc.array(
      fc.record({ key: fc.constantFrom('gpu', 'os'), operator: fc.constantFrom('Equal', 'Exists'), value: fc.constantFrom('true', 'windows'), effect: fc.constantFrom('NoSchedule', 'PreferNoSchedule', 'NoExecute') }),
      { maxLength: 3 },
    );
    fuzzAssert(
      fc.property(taints, tolerations, (nodeTaints, podTolerations) => {
        const clean = nodeTaints.map((t) => (t.value === undefined ? { key: t.key, effect: t.effect } : t));
        const reasons = blockers(group(clean), podConstraints({ tolerations: podTolerations }));
        expect(reasons.length === 0).toBe(oracleSchedulable(podTolerations, clean));
      }),
    );
  });
});

describe('label selectors: matches()', () => {
  const sel = (matchExpressions: unknown[], matchLabels: Record<string, string> = {}) => labelSelector({ matchLabels, matchExpressions });

  test.each([
    ['NotIn matches when the key is absent', [{ key: 'tier', operator: 'NotIn', values: ['db'] }], { app: 'web' }, true],
    ['NotIn matches another value', [{ key: 'tier', operator: 'NotIn', values: ['db'] }], { tier: 'web' }, true],
    ['NotIn refuses a listed value', [{ key: 'tier', operator: 'NotIn', values: ['db', 'cache'] }], { tier: 'cache' }, false],
    ['In refuses an absent key', [{ key: 'tier', operator: 'In', values: ['web'] }], { app: 'web' }, false],
    ['In matches a listed value', [{ key: 'tier', operator: 'In', values: ['db', 'web'] }], { tier: 'web' }, true],
    ['In refuses an unlisted value', [{ key: 'tier', operator: 'In', values: ['db'] }], { tier: 'web' }, false],
    ['Exists needs the key, any value', [{ key: 'tier', operator: 'Exists' }], { tier: '' }, true],
    ['Exists refuses an absent key', [{ key: 'tier', operator: 'Exists' }], { app: 'web' }, false],
    ['DoesNotExist refuses a present key', [{ key: 'tier', operator: 'DoesNotExist' }], { tier: 'web' }, false],
    ['DoesNotExist matches an absent key', [{ key: 'tier', operator: 'DoesNotExist' }], {}, true],
    ['an unknown operator matches nothing', [{ key: 'tier', operator: 'Gt', values: ['1'] }], { tier: '2' }, false],
    ['every requirement must hold', [{ key: 'tier', operator: 'In', values: ['web'] }, { key: 'app', operator: 'NotIn', values: ['web'] }], { tier: 'web', app: 'web' }, false],
    ['an empty selector matches everything', [], { anything: 'x' }, true],
  ] as Array<[string, unknown[], Record<string, string>, boolean]>)('%s', (_what, expressions, labels, expected) => {
    expect(matches(sel(expressions), labels)).toBe(expected);
    expect(oracleSelects({}, expressions as never, labels)).toBe(expected);
  });

  test('matchLabels must all be present with equal values, alongside the expressions', () => {
    expect(matches(sel([], { app: 'web', tier: 'front' }), { app: 'web', tier: 'front', extra: 'y' })).toBe(true);
    expect(matches(sel([], { app: 'web', tier: 'front' }), { app: 'web' })).toBe(false);
    expect(matches(sel([], { app: 'web' }), { app: 'api' })).toBe(false);
    expect(matches(sel([{ key: 'tier', operator: 'Exists' }], { app: 'web' }), { app: 'web' })).toBe(false);
  });

  test('random selectors and label sets: matches() answers as the upstream rules do', () => {
    const k = fc.constantFrom('app', 'tier', 'hasOwnProperty', 'constructor');
    const v = fc.constantFrom('web', 'db', '');
    const requirement = fc.record({ key: k, operator: fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist', 'Bogus'), values: fc.array(v, { maxLength: 2 }) });
    fuzzAssert(
      fc.property(fc.dictionary(k, v, { maxKeys: 2 }), fc.array(requirement, { maxLength: 3 }), fc.dictionary(k, v, { maxKeys: 3 }), (matchLabels, requirements, labels) => {
        expect(matches(sel(requirements, matchLabels), labels)).toBe(oracleSelects(matchLabels, requirements, labels));
      }),
    );
  });
});
