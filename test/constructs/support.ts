import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ConstructError } from '../../constructs/errors';

/** A bare construct at path `test/web` inside a fresh App and Chart (namespace-less). */
export function bareScope(id = 'web'): { app: App; chart: Chart; scope: Construct } {
  const app = new App({ outdir: 'unused' });
  const chart = new Chart(app, 'test');
  return { app, chart, scope: new Construct(chart, id) };
}

/** The exact message of the ConstructError `run` throws (fails when nothing, or something else, is thrown). */
export function refusal(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ConstructError);
    return (err as Error).message;
  }
  throw new Error('expected a ConstructError, nothing was thrown');
}

/** The one object of `kind` named `name` among synthesized objects (fails unless there is exactly one). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function findOne(objects: any[], kind: string, name: string): any {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name === name);
  expect(found).toHaveLength(1);
  return found[0];
}
