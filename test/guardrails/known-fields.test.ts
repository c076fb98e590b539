/**
 * guardrails/known-fields.ts in-process: the closest spelling, the unknown-field walk over hand-built
 * types, and the reading of compiled validators, both small hand-written files in each of the shapes
 * the reader knows and the real kubernetes-models / Gateway API packages. Expected values by hand.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { closest, FieldType, typeOfFile, unknownFields } from '../../guardrails/known-fields';

describe('closest', () => {
  it.each([
    // name, candidates, expected (distance to it; the limit is max(2, floor(length / 3)))
    ['replica', ['replicas'], 'replicas'], // 1 insertion
    ['replicass', ['replicas'], 'replicas'], // 1 deletion
    ['replicaz', ['replicas'], 'replicas'], // 1 substitution
    ['ab', ['ba'], 'ba'], // 2 (limit 2)
    ['ab', ['abcd'], 'abcd'], // 2 insertions
    ['ab', ['abcde'], undefined], // 3
    ['abc', ['xyz'], undefined], // 3 (limit 2)
    ['abc', ['axy'], 'axy'], // 2
    ['ab', [''], ''], // 2 deletions
    ['abcdefgh', ['abcdefghxyz'], undefined], // 3; length 8: limit 2
    ['abcdefghi', ['abcdefghixyz'], 'abcdefghixyz'], // 3; length 9: limit 3
    ['abcdefghi', ['abcdefghiwxyz'], undefined], // 4
    ['abcdefghi', ['xyzdefghi'], 'xyzdefghi'], // 3 substitutions at the start
    ['abcdefghi', ['abcxyzghi'], 'abcxyzghi'], // 3 in the middle
    ['abcdefghi', ['abcdefxyz'], 'abcdefxyz'], // 3 at the end
    ['abcdefghi', ['defghi'], 'defghi'], // 3 deletions at the start
    ['abcdefghijkl', ['abcdefghwxyz'], 'abcdefghwxyz'], // 4; length 12: limit 4
    ['abcdefghijkl', ['abcdefgvwxyz'], undefined], // 5
    ['ABCDEF', ['abcxyz', 'abcdef'], 'abcdef'], // case does not count: 0
    ['readinesProbe', ['livenessProbe', 'readinessProbe', 'startupProbe'], 'readinessProbe'],
    ['cat', ['bat', 'hat'], 'bat'], // a tie keeps the first
    ['cat', ['cxx', 'bat', 'hat'], 'bat'], // a closer one replaces a farther one
    ['cat', ['bat', 'cat'], 'cat'],
    ['image', [], undefined],
  ])('closest(%j, %j) is %j', (name, candidates, expected) => {
    expect(closest(name, candidates)).toBe(expected);
  });

  it('takes any iterable', () => {
    expect(closest('imge', new Set(['image', 'name']).keys())).toBe('image');
  });
});

const ANY: FieldType = { kind: 'any' };
const object = (fields: Record<string, FieldType>, bases: FieldType[] = []): FieldType => ({
  kind: 'object',
  fields: new Map(Object.entries(fields).map(([k, v]) => [k, () => v])),
  bases: bases.map((b) => () => b),
});

describe('unknownFields over hand-built types', () => {
  const container = object({ name: ANY, image: ANY, readinessProbe: object({ httpGet: ANY }) });
  const pod = object({ containers: { kind: 'array', items: () => container }, nodeSelector: { kind: 'map', values: () => ANY }, volumes: { kind: 'map', values: () => object({ path: ANY }) } });
  const root = object({ metadata: object({ name: ANY, labels: ANY }), spec: pod });

  it('reports every unknown field depth-first in document order, with a suggestion when one is close', () => {
    const value = {
      metadata: { name: 'x', labelz: {} },
      spec: {
        containers: [{ name: 'a', image: 'i', readinesProbe: {} }, 'not an object', { name: 'b', readinessProbe: { httpGett: {}, exec: {} } }],
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        volumes: { data: { path: '/x', pth: '/y' }, 'a.b': { totallyDifferent: 1 } },
      },
      colour: 'blue',
    };
    expect(unknownFields(value, root)).toEqual([
      { field: 'metadata.labelz', suggestion: 'labels' },
      { field: 'spec.containers[0].readinesProbe', suggestion: 'readinessProbe' },
      { field: 'spec.containers[2].readinessProbe.httpGett', suggestion: 'httpGet' },
      { field: 'spec.containers[2].readinessProbe.exec', suggestion: undefined },
      { field: 'spec.volumes["data"].pth', suggestion: 'path' },
      { field: 'spec.volumes["a.b"].totallyDifferent', suggestion: undefined },
      { field: 'colour', suggestion: undefined },
    ]);
    expect(unknownFields(value, root)[3]).toHaveProperty('suggestion', undefined);
  });

  it('starts from the given path', () => {
    expect(unknownFields({ x: 1 }, object({}), 'spec.template')).toEqual([{ field: 'spec.template.x', suggestion: undefined }]);
    expect(unknownFields([{ x: 1 }], { kind: 'array', items: () => object({}) }, 'list')).toEqual([{ field: 'list[0].x', suggestion: undefined }]);
    expect(unknownFields({ k: { x: 1 } }, { kind: 'map', values: () => object({}) }, 'm')).toEqual([{ field: 'm["k"].x', suggestion: undefined }]);
  });

  it('never reports description, which the compiled schemas lose', () => {
    expect(unknownFields({ description: 'x', descriptions: 'y' }, object({}))).toEqual([{ field: 'descriptions', suggestion: undefined }]);
  });

  it('has nothing to say where the value or the type does not match the shape', () => {
    expect(unknownFields(null, root)).toEqual([]);
    expect(unknownFields('text', root)).toEqual([]);
    expect(unknownFields(5, root)).toEqual([]);
    expect(unknownFields([{ x: 1 }], root)).toEqual([]);
    expect(unknownFields({ x: 1 }, { kind: 'array', items: () => object({}) })).toEqual([]);
    expect(unknownFields([{ x: 1 }], { kind: 'map', values: () => object({}) })).toEqual([]);
    expect(unknownFields({ x: 1 }, ANY)).toEqual([]);
    expect(unknownFields({ spec: { containers: {} } }, root)).toEqual([]);
  });

  it('counts the fields of allOf parts, its own first', () => {
    const common = object({ parentRefs: ANY, shared: object({ a: ANY }) });
    const more = object({ hostnames: ANY });
    const spec = object({ rules: ANY, shared: object({ b: ANY }) }, [common, more]);
    expect(unknownFields({ parentRefs: [], hostnames: [], rules: [], shared: { b: 1, a: 2 }, hostname: 'x' }, spec)).toEqual([
      { field: 'shared.a', suggestion: 'b' },
      { field: 'hostname', suggestion: 'hostnames' },
    ]);
    // The merge is remembered: the same answer the second time.
    expect(unknownFields({ parentRefs: [], hostname: 'x' }, spec)).toEqual([{ field: 'hostname', suggestion: 'hostnames' }]);
  });

  it('accepts anything when a part accepts anything or is not an object', () => {
    const open = object({ rules: ANY }, [object({ a: ANY }), ANY]);
    expect(unknownFields({ anything: 1 }, open)).toEqual([]);
    expect(unknownFields({ anything: 1 }, open)).toEqual([]);
    expect(unknownFields({ anything: 1 }, object({}, [{ kind: 'array', items: () => ANY }]))).toEqual([]);
    // A part of a part, too.
    expect(unknownFields({ anything: 1 }, object({}, [object({}, [ANY])]))).toEqual([]);
  });

  it('follows allOf parts 6 levels deep, not 7', () => {
    const chain = (levels: number): FieldType => {
      let type = object({ leaf: ANY });
      for (let i = 0; i < levels; i++) type = object({ [`own${i}`]: ANY }, [type]);
      return type;
    };
    expect(unknownFields({ leaf: 1, own0: 1, own5: 1, colour: 1 }, chain(6))).toEqual([{ field: 'colour', suggestion: undefined }]);
    expect(unknownFields({ leaf: 1, colour: 1 }, chain(7))).toEqual([]);
  });
});

/** Compiled validators in the shapes kubernetes-models and its CRD packages are built in. */
describe('typeOfFile on hand-written compiled validators', () => {
  let root: string;
  const file = (path: string, text: string) => {
    const full = join(root, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, text);
    return full;
  };
  const SIG = '(data,{instancePath="",parentData,parentDataProperty,rootData=data}={}){let vErrors=null,errors=0;';
  const fn = (name: string, body: string) => `function ${name}${SIG}${body}return ${name}.errors=vErrors,0===errors}`;
  const string = (name: string) => fn(name, 'if("string"!=typeof data){errors++}');
  const field = (key: string, validator: string) => `void 0===data.${key}||${validator}(data.${key},{instancePath:instancePath+"/${key}",parentData:data,parentDataProperty:"${key}",rootData})||errors++;`;
  const optional = (key: string, validator: string) => `void 0!==data.${key}&&(${validator}(data.${key},{instancePath:instancePath+"/${key}"})||errors++);`;
  const cjs = (requires: Record<string, string>, main: string, rest: string[]) =>
    `"use strict";Object.defineProperty(exports,"__esModule",{value:!0});${Object.entries(requires)
      .map(([name, target]) => `var ${name}=require("${target}");`)
      .join('')}let validate=${main};${rest.join('')}`;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'guardrails-known-fields-'));
    // A scoped package found through node_modules, required without .js; a nearer node_modules has
    // the scope but not the package (as nested node_modules do): the package is looked for, not its scope.
    mkdirSync(join(root, 'app/node_modules/@kubernetes-models/other'), { recursive: true });
    file(
      'node_modules/@kubernetes-models/fake/_schemas/Meta.js',
      cjs({}, fn('validate1', `if(data&&"object"==typeof data){${field('name', 'validate2')}${field('labels', 'validate3')}}`), [
        string('validate2'),
        fn('validate3', 'if(data&&"object"==typeof data)for(const key0 in data)validate2(data[key0],{instancePath})||errors++;'),
      ]),
    );
    // An unscoped ES-module package, its export as `export const validate=validateN`.
    file(
      'node_modules/plainpkg/_schemas/Plain.js',
      `export const validate=validate0;${fn('validate0', `${field('value', 'validate1')}${field('unit', 'validate1')}`)}${string('validate1')}`,
    );
    // ES module importing a sibling with .js; its main function written as `export const validate=function`.
    file('app/_schemas/Leaf.js', `export const validate=${fn('validate0', field('value', 'validate1'))};${string('validate1')}`);
    file(
      'app/_schemas/Local.js',
      `import{validate as validate5}from"./Leaf.js";export const validate=${fn('validate1', `${field('replicas', 'validate2')}${field('leaf', 'validate5')}${field('leaves', 'validate3')}`)};${string('validate2')}${fn(
        'validate3',
        'const len0=data.length;for(let i0=0;i0<len0;i0++)validate5(data[i0],{instancePath:instancePath+"/"+i0})||errors++;',
      )}`,
    );
    file(
      'app/_schemas/Main.js',
      cjs(
        { _Meta: '@kubernetes-models/fake/_schemas/Meta', _Local: './Local.js', _Missing: '@nowhere/pkg/_schemas/X', _Plain: 'plainpkg/_schemas/Plain.js' },
        fn(
          'validate1',
          `if(data&&"object"==typeof data){if(void 0===data.kind){let err0={instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty:"kind"}};errors++}${field('metadata', 'validate2')}${field(
            'spec',
            'validate3',
          )}${optional('items', 'validate4')}${field('tags', 'validate5')}${field('ghost', 'validate6')}${field('plain', 'validate7')}${field('free', 'validate8')}${field('both', 'validate9')}${field('name', 'validate10')}${field('self', 'validate11')}}`,
        ),
        [
          fn('validate2', 'return(0,_Meta.validate)(data,{instancePath,parentData,parentDataProperty,rootData})||errors++,0===errors}function validate99(data){'),
          fn('validate3', 'return(0,_Local.validate)(data,{instancePath,parentData,parentDataProperty,rootData})||errors++;'),
          fn('validate4', 'if(Array.isArray(data)){const len0=data.length;for(let i0=0;i0<len0;i0++)validate12(data[i0],{instancePath:instancePath+"/"+i0})||errors++}'),
          fn('validate5', 'if(data&&"object"==typeof data)for(const key0 in data)(validate12(data[key0],{instancePath})||errors++);'),
          fn('validate6', 'return(0,_Missing.validate)(data,{instancePath})||errors++;'),
          fn('validate7', 'return(0,_Plain.validate)(data,{instancePath})||errors++;'),
          // Fields of its own and free-form keys besides: anything goes.
          fn('validate8', `${field('known', 'validate10')}for(const key1 in data)errors+=0;`),
          // allOf: two parts and no fields of its own.
          fn('validate9', 'validate12(data,{instancePath})||errors++;(0,_Local.validate)(data,{instancePath})||errors++;'),
          string('validate10'),
          fn('validate11', 'return validate1(data,{instancePath})||errors++;'),
          // Required fields only: an object with just those.
          fn('validate12', 'if(void 0===data.id){let err1={params:{missingProperty:"id"}};errors++}if(void 0===data.ref){let err2={params:{missingProperty:"ref"}};errors++}'),
        ],
      ),
    );
    // A wrapper of its own file, and two local functions delegating to each other: anything, no endless loop.
    file('app/_schemas/Wrap.js', cjs({ _Wrap: './Wrap.js' }, fn('validate1', 'return(0,_Wrap.validate)(data,{instancePath})||errors++;'), []));
    file('app/_schemas/Mutual.js', cjs({}, fn('validate1', 'return validate2(data,{instancePath})||errors++;'), [fn('validate2', 'return validate1(data,{instancePath})||errors++;')]));
    // As node resolves: the nearest node_modules/<package> wins, even when it lacks the file.
    file('node_modules/shadowpkg/_schemas/S.js', cjs({}, fn('validate1', field('value', 'validate2')), [string('validate2')]));
    file('shadowed/node_modules/shadowpkg/package.json', '{}');
    file('shadowed/_schemas/Shadow.js', cjs({ _S: 'shadowpkg/_schemas/S.js' }, fn('validate1', field('s', 'validate2')), [fn('validate2', 'return(0,_S.validate)(data,{instancePath})||errors++;')]));
    file('unshadowed/_schemas/Shadow.js', cjs({ _S: 'shadowpkg/_schemas/S.js' }, fn('validate1', field('s', 'validate2')), [fn('validate2', 'return(0,_S.validate)(data,{instancePath})||errors++;')]));
    file('app/_schemas/NoMain.js', `"use strict";${string('validate1')}`);
    file('app/_schemas/Scalar.js', cjs({}, string('validate1'), []));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('rebuilds fields, required fields, arrays, maps, wrappers, allOf parts and imports of both module kinds', () => {
    const type = typeOfFile(join(root, 'app/_schemas/Main.js'));
    expect(type.kind).toBe('object');
    const value = {
      kind: 'Thing',
      kindd: 1,
      metadata: { name: 'n', labels: { a: 'b' }, nam: 'x' },
      spec: { replicas: 1, replica: 2, leaf: { value: 1, valu: 2 }, leaves: [{ value: 1 }, { vaule: 2 }] },
      items: [{ id: 1, ref: 'r', idd: 2 }],
      tags: { a: { id: 1, rf: 2 } },
      ghost: { anything: 1 },
      plain: { value: 1, unit: 's', units: 'ms' },
      free: { known: 1, whatever: 2 },
      both: { id: 1, replicas: 2, leaf: { valuee: 1 }, neither: 3 },
      name: { x: 1 },
      self: { kind: 'x', self: { metadata: { labelz: 1 } } },
    };
    expect(unknownFields(value, type)).toEqual([
      { field: 'kindd', suggestion: 'kind' },
      { field: 'metadata.nam', suggestion: 'name' },
      { field: 'spec.replica', suggestion: 'replicas' },
      { field: 'spec.leaf.valu', suggestion: 'value' },
      { field: 'spec.leaves[1].vaule', suggestion: 'value' },
      { field: 'items[0].idd', suggestion: 'id' },
      { field: 'tags["a"].rf', suggestion: 'ref' },
      { field: 'plain.units', suggestion: 'unit' },
      { field: 'both.leaf.valuee', suggestion: 'value' },
      { field: 'both.neither', suggestion: undefined },
    ]);
  });

  it('lists the fields of the main function in document order, required ones first', () => {
    const type = typeOfFile(join(root, 'app/_schemas/Main.js')) as FieldType & { kind: 'object' };
    expect([...type.fields.keys()]).toEqual(['kind', 'metadata', 'spec', 'items', 'tags', 'ghost', 'plain', 'free', 'both', 'name', 'self']);
    expect(type.bases).toEqual([]);
    expect(type.fields.get('kind')!()).toEqual({ kind: 'any' });
    expect(type.fields.get('items')!().kind).toBe('array');
    expect(type.fields.get('tags')!().kind).toBe('map');
    expect(type.fields.get('ghost')!()).toEqual({ kind: 'any' });
    expect(type.fields.get('free')!()).toEqual({ kind: 'any' });
    expect(type.fields.get('name')!()).toEqual({ kind: 'any' });
    const both = type.fields.get('both')!() as FieldType & { kind: 'object' };
    expect([both.kind, both.fields.size, both.bases.length]).toEqual(['object', 0, 2]);
    // A local function back to the one being read is a cycle: anything.
    expect(type.fields.get('self')!()).toEqual({ kind: 'any' });
    expect(typeOfFile(join(root, 'app/_schemas/Main.js'))).toBe(type);
  });

  it('finds a package in the nearest node_modules that has it, as node does', () => {
    expect(unknownFields({ s: { value: 1, valeu: 2 } }, typeOfFile(join(root, 'unshadowed/_schemas/Shadow.js')))).toEqual([{ field: 's.valeu', suggestion: 'value' }]);
    expect(unknownFields({ s: { value: 1, valeu: 2 } }, typeOfFile(join(root, 'shadowed/_schemas/Shadow.js')))).toEqual([]);
  });

  it('is anything for a missing file, no exported validator, a scalar, or a wrapper of itself', () => {
    expect(typeOfFile(join(root, 'app/_schemas/Nope.js'))).toEqual({ kind: 'any' });
    expect(typeOfFile(join(root, 'app/_schemas/NoMain.js'))).toEqual({ kind: 'any' });
    expect(typeOfFile(join(root, 'app/_schemas/Scalar.js'))).toEqual({ kind: 'any' });
    // Read once: the file is "anything" while it is being read, so its reference to itself ends there.
    const fs = require('node:fs') as typeof import('node:fs');
    const read = jest.spyOn(fs, 'readFileSync');
    try {
      expect(typeOfFile(join(root, 'app/_schemas/Wrap.js'))).toEqual({ kind: 'any' });
      expect(read.mock.calls.filter(([path]) => path === join(root, 'app/_schemas/Wrap.js'))).toHaveLength(1);
    } finally {
      read.mockRestore();
    }
    expect(typeOfFile(join(root, 'app/_schemas/Mutual.js'))).toEqual({ kind: 'any' });
  });
});

describe('typeOfFile on the installed model packages', () => {
  const K8S = resolve('node_modules/kubernetes-models/_schemas');

  it('knows a Deployment\'s fields down to its containers (CommonJS, across packages)', () => {
    const type = typeOfFile(join(K8S, 'IoK8sApiAppsV1Deployment.js'));
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labelz: {}, annotations: { 'a/b': 'c' } },
      spec: {
        replica: 2,
        selector: { matchLabels: { app: 'web' }, matchLabel: {} },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            containers: [{ name: 'web', image: 'nginx:1.27', readinesProbe: { httpGet: { path: '/', port: 80 } }, resources: { limits: { cpu: '1' } }, env: [{ name: 'A', valu: 'b' }] }],
            volumes: [{ name: 'v', emptyDir: {}, hostpath: { path: '/x' } }],
          },
        },
      },
      status: { replicas: 2 },
    };
    expect(unknownFields(deployment, type)).toEqual([
      { field: 'metadata.labelz', suggestion: 'labels' },
      { field: 'spec.replica', suggestion: 'replicas' },
      { field: 'spec.selector.matchLabel', suggestion: 'matchLabels' },
      { field: 'spec.template.spec.containers[0].readinesProbe', suggestion: 'readinessProbe' },
      { field: 'spec.template.spec.containers[0].env[0].valu', suggestion: 'value' },
      { field: 'spec.template.spec.volumes[0].hostpath', suggestion: 'hostPath' },
    ]);
  });

  it('takes anything in a CRD\'s openAPIV3Schema (recursive JSONSchemaProps), but not beside it', () => {
    const type = typeOfFile(join(K8S, 'IoK8sApiextensionsApiserverPkgApisApiextensionsV1CustomResourceDefinition.js'));
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.org' },
      spec: {
        group: 'example.org',
        names: { kind: 'Widget', plural: 'widgets' },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', description: 'lost by the generator', properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } },
            additionalPrinterColumns: [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: 'age' }],
            servd: true,
          },
        ],
      },
    };
    expect(unknownFields(crd, type)).toEqual([{ field: 'spec.versions[0].servd', suggestion: 'served' }]);
  });

  it('knows a Gateway API HTTPRoute (ES modules) with the fields of its allOf part CommonRouteSpec', () => {
    const schemas = resolve('node_modules/@kubernetes-models/gateway-api/_schemas');
    const type = typeOfFile(join(schemas, 'IoK8sSigsGatewayApiApisV1HTTPRoute.js'));
    const route = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'r' },
      spec: {
        parentRefs: [{ name: 'gw', sectionNam: 'https' }],
        hostname: ['example.org'],
        rules: [{ backendRefs: [{ name: 'web', port: 80, weigth: 1 }] }],
      },
    };
    expect(unknownFields(route, type)).toEqual([
      { field: 'spec.parentRefs[0].sectionNam', suggestion: 'sectionName' },
      { field: 'spec.hostname', suggestion: 'hostnames' },
      { field: 'spec.rules[0].backendRefs[0].weigth', suggestion: 'weight' },
    ]);
  });
});
