/**
 * How the schema rule words each kind of validator error. The validators of the Istio and Gateway API
 * models (the kinds with `minimum`, `maximum` and `pattern` constraints) are ES modules that only the CLI
 * preloads, so here the ConfigMap model's validator is replaced by one throwing hand-written errors in the
 * shape the compiled (ajv) validators produce. Expected findings are written out by hand.
 */
import type * as HandBuilt from './hand-built';

let thrown: unknown;

// doMock before the rules load (the esbuild transform does not hoist jest.mock above the imports).
jest.doMock('../../guardrails/models', () => {
  const actual = jest.requireActual('../../guardrails/models');
  return {
    ...actual,
    modelOf: (apiVersion: string, kind: string) => {
      const model = actual.modelOf(apiVersion, kind);
      if (!model || apiVersion !== 'v1' || kind !== 'ConfigMap') return model;
      return {
        type: model.type,
        validate: () => {
          if (thrown) throw thrown;
        },
      };
    },
  };
});

const { expected, findingsOf, NS, ref } = require('./hand-built') as typeof HandBuilt;

const R = 'schema';
const FIX = 'fix the field as the API reference describes it';
const CM = ref('ConfigMap', 'c');
const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: NS } };
const invalid = (errors: unknown[]) => Object.assign(new Error('invalid'), { errors });
const findings = (errors: unknown[]) => {
  thrown = invalid(errors);
  return findingsOf(R, [configMap]);
};

afterEach(() => {
  thrown = undefined;
});

describe('schema: validator errors in words', () => {
  it('states the bound of minimum, maximum, exclusiveMinimum and exclusiveMaximum', () => {
    expect(
      findings([
        { instancePath: '/spec/ports/0/number', keyword: 'minimum', params: { comparison: '>=', limit: 0 } },
        { instancePath: '/spec/ports/1/number', keyword: 'maximum', params: { comparison: '<=', limit: 65535 } },
        { instancePath: '/spec/weight', keyword: 'exclusiveMinimum', params: { comparison: '>', limit: 0 } },
        { instancePath: '/spec/ratio', keyword: 'exclusiveMaximum', params: { comparison: '<', limit: 100 } },
      ]),
    ).toEqual([
      expected(R, 'error', CM, 'spec.ports[0].number', 'must be >= 0', FIX),
      expected(R, 'error', CM, 'spec.ports[1].number', 'must be <= 65535', FIX),
      expected(R, 'error', CM, 'spec.weight', 'must be > 0', FIX),
      expected(R, 'error', CM, 'spec.ratio', 'must be < 100', FIX),
    ]);
  });

  it('states the pattern a string must match', () => {
    expect(findings([{ instancePath: '/spec/hosts/0', keyword: 'pattern', params: { pattern: '^[-_A-Za-z0-9]+$' } }])).toEqual([
      expected(R, 'error', CM, 'spec.hosts[0]', 'must match ^[-_A-Za-z0-9]+$', FIX),
    ]);
  });

  it('names the keyword of an error it has no words for, and says "the object" for one at the root', () => {
    expect(findings([{ instancePath: '', keyword: 'minProperties', params: { limit: 1 } }])).toEqual([expected(R, 'error', CM, undefined, 'the object is invalid (minProperties)', FIX)]);
    expect(findings([{ instancePath: '/spec', keyword: 'oneOf', message: 'must match exactly one schema in oneOf', params: {} }])).toEqual([
      expected(R, 'error', CM, 'spec', 'must match exactly one schema in oneOf', FIX),
    ]);
  });

  it('reports the same problem of the same field once', () => {
    const error = { instancePath: '/spec/port', keyword: 'type', params: { type: 'integer' } };
    expect(findings([error, { ...error }])).toEqual([expected(R, 'error', CM, 'spec.port', 'must be an integer', FIX)]);
  });

  it('lets an error that is not a validation failure through unchanged', () => {
    thrown = new Error('validator crashed');
    expect(() => findingsOf(R, [configMap])).toThrow(/^validator crashed$/);
  });
});
