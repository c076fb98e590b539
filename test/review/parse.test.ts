/**
 * review/parse.ts, identity.ts and access.ts: text to records, and who an object is. Expected values
 * are written by hand; base64 inputs are made with Buffer here.
 */
import { at, list, stringMap } from '../../review/access';
import { UsageError } from '../../review/errors';
import { groupOf, idKey, kubectlDelete, objectId, objectLabel } from '../../review/identity';
import { parseManifests, parsePlan } from '../../review/parse';

const NOT_K8S_FIX = 'only synthesized manifests belong in <tree>/<env>/*.yaml; move other YAML elsewhere';
const REGEN_PLAN = 'regenerate it with npm run plan';

/** The message of the UsageError `run` throws (fails when nothing, or something else, is thrown). */
function usageErrorOf(run: () => unknown): string {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(UsageError);
  return (thrown as Error).message;
}

describe('parseManifests', () => {
  test('every non-empty document becomes a manifest of env and file', () => {
    const text = '---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\n---\n# only a comment\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: b\n';
    expect(parseManifests('prod', 'x.yaml', text, 'dist/prod/x.yaml')).toStrictEqual([
      { env: 'prod', file: 'x.yaml', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } } },
      { env: 'prod', file: 'x.yaml', object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'b' } } },
    ]);
    expect(parseManifests('prod', 'x.yaml', '', 'w')).toStrictEqual([]);
    expect(parseManifests('prod', 'x.yaml', 'null\n', 'w')).toStrictEqual([]);
  });

  test('invalid YAML names the file and the document', () => {
    expect(usageErrorOf(() => parseManifests('prod', 'x.yaml', 'apiVersion: v1\nkind: A\nmetadata: {name: a}\n---\nkey: [unclosed\n', 'dist/prod/x.yaml'))).toMatch(/^dist\/prod\/x\.yaml: document 2 is not valid YAML \(\S.*\)\n {2}fix: regenerate it with npx cdk8s synth$/s);
  });

  test('an alias without its anchor is invalid YAML too, named like a parse error (not a stack trace)', () => {
    expect(usageErrorOf(() => parseManifests('prod', 'x.yaml', 'apiVersion: v1\nkind: A\nmetadata: {name: a}\n---\n*a\n', 'dist/prod/x.yaml'))).toBe(
      'dist/prod/x.yaml: document 2 is not valid YAML (Unresolved alias (the anchor must be set before the alias): a)\n  fix: regenerate it with npx cdk8s synth',
    );
  });

  test.each([
    ['a list', '- a\n- b\n'],
    ['a scalar', 'hello\n'],
    ['no apiVersion', 'kind: A\nmetadata:\n  name: a\n'],
    ['a numeric apiVersion', 'apiVersion: 1\nkind: A\nmetadata:\n  name: a\n'],
    ['no kind', 'apiVersion: v1\nmetadata:\n  name: a\n'],
    ['no metadata', 'apiVersion: v1\nkind: A\n'],
    ['a list as metadata', 'apiVersion: v1\nkind: A\nmetadata:\n  - name: a\n'],
    ['no name', 'apiVersion: v1\nkind: A\nmetadata:\n  namespace: a\n'],
    ['a numeric name', 'apiVersion: v1\nkind: A\nmetadata:\n  name: 7\n'],
  ])('%s is not a Kubernetes object', (_what, doc) => {
    expect(() => parseManifests('prod', 'x.yaml', `apiVersion: v1\nkind: A\nmetadata:\n  name: ok\n---\n${doc}`, 'w.yaml')).toThrow(
      new UsageError('w.yaml: document 2 is not a Kubernetes object (needs apiVersion, kind, metadata.name)', NOT_K8S_FIX),
    );
  });
});

describe('parsePlan', () => {
  test('each entry becomes a resource of the stack; absent inputs read as {}', () => {
    const text = JSON.stringify([
      { type: 'aws:ec2/vpc:Vpc', name: 'vpc', inputs: { cidrBlock: '10.0.0.0/16' } },
      { type: 'random:index/randomId:RandomId', name: 'id' },
    ]);
    expect(parsePlan('prod', text, 'p.json')).toStrictEqual([
      { stack: 'prod', type: 'aws:ec2/vpc:Vpc', name: 'vpc', inputs: { cidrBlock: '10.0.0.0/16' } },
      { stack: 'prod', type: 'random:index/randomId:RandomId', name: 'id', inputs: {} },
    ]);
  });

  test('inputs that are not an object are kept as they are', () => {
    expect(parsePlan('s', JSON.stringify([{ type: 't', name: 'n', inputs: ['a'] }]), 'p')[0]?.inputs).toStrictEqual(['a']);
    expect(parsePlan('s', JSON.stringify([{ type: 't', name: 'n', inputs: 'x' }]), 'p')[0]?.inputs).toBe('x');
  });

  test('the non-secret facts of secret inputs are compared as inputs named "<key> (secret; facts)"', () => {
    const text = JSON.stringify([{ type: 't', name: 'n', inputs: { userData: '[secret]', size: 2 }, secretInputFacts: { userData: { kubernetesVersions: ['1.34.2'] } } }]);
    expect(parsePlan('s', text, 'p')[0]?.inputs).toStrictEqual({ userData: '[secret]', size: 2, 'userData (secret; facts)': { kubernetesVersions: ['1.34.2'] } });
    // Empty or malformed facts add nothing.
    for (const facts of [{}, ['x'], 'x']) {
      expect(parsePlan('s', JSON.stringify([{ type: 't', name: 'n', inputs: { a: 1 }, secretInputFacts: facts }]), 'p')[0]?.inputs).toStrictEqual({ a: 1 });
    }
    // Facts without an inputs object still show.
    expect(parsePlan('s', JSON.stringify([{ type: 't', name: 'n', secretInputFacts: { k: 1 } }]), 'p')[0]?.inputs).toStrictEqual({ 'k (secret; facts)': 1 });
  });

  test('base64 user-data is compared decoded, under a key that says so', () => {
    const script = '#!/bin/bash\necho kubeadm=1.34.2\n';
    const b64 = Buffer.from(script).toString('base64');
    const inputs = (entry: Record<string, unknown>) => parsePlan('s', JSON.stringify([{ type: 't', name: 'n', inputs: entry }]), 'p')[0]?.inputs;
    expect(inputs({ userData: b64, other: b64 })).toStrictEqual({ 'userData (base64-decoded)': script, other: b64 });
    expect(inputs({ UserData: b64 })).toStrictEqual({ 'UserData (base64-decoded)': script });
    expect(inputs({ launchUserdata: b64 })).toStrictEqual({ 'launchUserdata (base64-decoded)': script });
    // Padding: one and two '='.
    expect(inputs({ userData: Buffer.from('ab').toString('base64') })).toStrictEqual({ 'userData (base64-decoded)': 'ab' });
    expect(inputs({ userData: Buffer.from('abcd').toString('base64') })).toStrictEqual({ 'userData (base64-decoded)': 'abcd' });
  });

  test.each([
    ['plain text', '#!/bin/bash\necho hi\n'],
    ['a length not a multiple of 4', 'YWJjZA'],
    ['characters outside base64', 'YWJj ZA=='],
    ['base64 in the middle of text', 'x YWJjZA== y'],
    ['too much padding', 'YW==='],
    ['binary content', Buffer.from([0x00, 0x01, 0x02, 0xff]).toString('base64')],
    ['a carriage-return-free control character', Buffer.from('a\x1bb').toString('base64')],
    ['bytes that are not UTF-8', Buffer.from([0x61, 0xc3, 0x28, 0x62]).toString('base64')],
    ['an empty string', ''],
  ])('user-data that is %s is compared as it is', (_what, value) => {
    expect(parsePlan('s', JSON.stringify([{ type: 't', name: 'n', inputs: { userData: value } }]), 'p')[0]?.inputs).toStrictEqual({ userData: value });
  });

  test('tabs, newlines and carriage returns are text, not binary', () => {
    const value = Buffer.from('a\tb\r\nc\x0b\x0cd').toString('base64');
    expect(parsePlan('s', JSON.stringify([{ type: 't', name: 'n', inputs: { userData: value } }]), 'p')[0]?.inputs).toStrictEqual({ 'userData (base64-decoded)': 'a\tb\r\nc\x0b\x0cd' });
  });

  test('a non-string user-data is kept', () => {
    expect(parsePlan('s', JSON.stringify([{ type: 't', name: 'n', inputs: { userData: 1234 } }]), 'p')[0]?.inputs).toStrictEqual({ userData: 1234 });
  });

  test('refusals name the file and the fix', () => {
    expect(() => parsePlan('s', '{not json', 'dist/infra/s.plan.json')).toThrow(/^dist\/infra\/s\.plan\.json is not valid JSON \(\S.*\)\n {2}fix: regenerate it with npm run plan$/s);
    expect(() => parsePlan('s', '{}', 'p.json')).toThrow(new UsageError('p.json is not a JSON array of resources', REGEN_PLAN));
    for (const entry of [{ name: 'n' }, { type: 't' }, { type: 1, name: 'n' }, { type: 't', name: 2 }, 'x', null, ['t', 'n']]) {
      expect(() => parsePlan('s', JSON.stringify([{ type: 't', name: 'ok' }, entry]), 'p.json')).toThrow(new UsageError('p.json: entry 1 lacks a string type and name', REGEN_PLAN));
    }
  });

  test('UsageError carries the fix on its own line', () => {
    const error = new UsageError('problem', 'do this');
    expect(error.message).toBe('problem\n  fix: do this');
    expect(error.name).toBe('UsageError');
    expect(error).toBeInstanceOf(Error);
  });
});

describe('identity', () => {
  test('the API group of an apiVersion', () => {
    expect(groupOf('v1')).toBe('');
    expect(groupOf('apps/v1')).toBe('apps');
    expect(groupOf('networking.istio.io/v1beta1')).toBe('networking.istio.io');
    expect(groupOf('')).toBe('');
  });

  test('objectId reads group, kind, namespace and name; missing or non-string parts are empty', () => {
    expect(objectId({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx', namespace: 'web' } })).toStrictEqual({ group: 'apps', kind: 'Deployment', namespace: 'web', name: 'nginx' });
    expect(objectId({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } })).toStrictEqual({ group: '', kind: 'Namespace', namespace: '', name: 'web' });
    expect(objectId({})).toStrictEqual({ group: '', kind: '', namespace: '', name: '' });
    expect(objectId({ apiVersion: 2, kind: ['x'], metadata: { name: 3, namespace: null } })).toStrictEqual({ group: '', kind: '', namespace: '', name: '' });
  });

  test('idKey tells apart every part of the identity, and sorts by namespace, kind, name', () => {
    const base = { group: 'apps', kind: 'Deployment', namespace: 'web', name: 'a' };
    const keys = [base, { ...base, group: 'extensions' }, { ...base, kind: 'StatefulSet' }, { ...base, namespace: 'api' }, { ...base, name: 'b' }].map(idKey);
    expect(new Set(keys).size).toBe(5);
    // Parts cannot run into each other.
    expect(idKey({ group: '', kind: 'ab', namespace: 'x', name: 'c' })).not.toBe(idKey({ group: '', kind: 'a', namespace: 'x', name: 'bc' }));
    const sorted = [
      { group: '', kind: 'Service', namespace: 'web', name: 'a' },
      { group: 'apps', kind: 'Deployment', namespace: 'web', name: 'z' },
      { group: '', kind: 'Service', namespace: 'api', name: 'z' },
    ]
      .map((id) => [idKey(id), `${id.namespace}/${id.kind}/${id.name}`])
      .sort(([a], [b]) => (a! < b! ? -1 : 1))
      .map(([, label]) => label);
    expect(sorted).toStrictEqual(['api/Service/z', 'web/Deployment/z', 'web/Service/a']);
  });

  test('labels show the group only when it is not shipped with Kubernetes', () => {
    expect(objectLabel({ group: 'apps', kind: 'Deployment', namespace: 'web', name: 'nginx' })).toBe('Deployment web/nginx');
    expect(objectLabel({ group: '', kind: 'Namespace', namespace: '', name: 'web' })).toBe('Namespace web');
    expect(objectLabel({ group: 'networking.k8s.io', kind: 'Ingress', namespace: 'web', name: 'i' })).toBe('Ingress web/i');
    expect(objectLabel({ group: 'networking.istio.io', kind: 'Gateway', namespace: 'web', name: 'apod' })).toBe('Gateway (networking.istio.io) web/apod');
    expect(objectLabel({ group: 'k8s.io.example.com', kind: 'Thing', namespace: '', name: 't' })).toBe('Thing (k8s.io.example.com) t');
  });

  test('the kubectl delete command a reviewer can paste', () => {
    expect(kubectlDelete({ group: 'apps', kind: 'Deployment', namespace: 'web', name: 'nginx' })).toBe('kubectl delete deployment.apps/nginx -n web');
    expect(kubectlDelete({ group: '', kind: 'Namespace', namespace: '', name: 'web' })).toBe('kubectl delete namespace/web');
    expect(kubectlDelete({ group: '', kind: 'ConfigMap', namespace: 'a', name: 'b' })).toBe('kubectl delete configmap/b -n a');
  });
});

describe('access', () => {
  test('at walks maps only', () => {
    const value = { a: { b: [{ c: 1 }], d: null } };
    expect(at(value, 'a', 'd')).toBeNull();
    expect(at(value, 'a', 'b', '0', 'c')).toBeUndefined();
    expect(at(value, 'a', 'd', 'e')).toBeUndefined();
    expect(at(value, 'x', 'y')).toBeUndefined();
    expect(at(value)).toBe(value);
    expect(at('text', 'length')).toBeUndefined();
  });

  test('stringMap keeps string values of a map; anything else is an empty map', () => {
    expect(stringMap({ a: 'x', b: 1, c: null, d: 'y' })).toStrictEqual({ a: 'x', d: 'y' });
    expect(stringMap(['a'])).toStrictEqual({});
    expect(stringMap(null)).toStrictEqual({});
    expect(stringMap('a')).toStrictEqual({});
  });

  test('list is the array or empty', () => {
    expect(list([1])).toStrictEqual([1]);
    expect(list({ 0: 1 })).toStrictEqual([]);
    expect(list(undefined)).toStrictEqual([]);
  });
});
