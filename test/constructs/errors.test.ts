/** constructs/errors.ts: a refusal names where, what and how to fix it. */
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ConstructError, refuse } from '../../constructs/errors';

test('ConstructError: the message, the name and each part', () => {
  const err = new ConstructError('apps/web', 'replicas', 'one replica cannot spread', 'use replicas: 2');
  expect(err).toBeInstanceOf(Error);
  expect(err.message).toBe('apps/web: replicas: one replica cannot spread. Fix: use replicas: 2');
  expect(err.name).toBe('ConstructError');
  expect([err.path, err.field, err.problem, err.fix]).toEqual(['apps/web', 'replicas', 'one replica cannot spread', 'use replicas: 2']);
});

test('refuse at a construct: its path', () => {
  const scope = new Construct(new Chart(new App({ outdir: 'unused' }), 'apps'), 'web');
  let caught: unknown;
  try {
    refuse(scope, 'image', 'it floats', 'pin it');
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ConstructError);
  expect((caught as ConstructError).message).toBe('apps/web: image: it floats. Fix: pin it');
  expect((caught as ConstructError).path).toBe('apps/web');
});

test('refuse at a file name: the string as given', () => {
  expect(() => refuse('environments/dev.ts', 'nodePools', 'none', 'add one')).toThrow(new ConstructError('environments/dev.ts', 'nodePools', 'none', 'add one'));
  expect(() => refuse('environments/dev.ts', 'nodePools', 'none', 'add one')).toThrow('environments/dev.ts: nodePools: none. Fix: add one');
});
