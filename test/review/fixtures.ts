/** Loads the tiny dist-like trees under test/fixtures/review/. */
import { join } from 'path';
import { diffTrees } from '../../review/diffTrees';
import { loadTree } from '../../review/load';
import type { Report } from '../../review/model';

export const FIXTURES = join(__dirname, '..', 'fixtures', 'review');

/** `base` is the committed tree; `flip` switches blue → green; `changed` carries every other kind of change. */
export type Fixture = 'base' | 'flip' | 'changed';

export const fixturePath = (name: Fixture) => join(FIXTURES, name);

export function diffFixtures(a: Fixture, b: Fixture): Report {
  return diffTrees(loadTree(fixturePath(a)), loadTree(fixturePath(b)));
}
