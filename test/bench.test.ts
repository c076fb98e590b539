import { canonical, checkManifests, countDocuments } from '../bench/check';
import { floorObjects, Json } from '../bench/floor-lib';
import { oursYaml, oursYamlWhole } from '../bench/ours-app';

// Smoke test of `npm run bench` (N=10 only): ours renders 4N sane objects and the floor rebuilds exactly them.
describe('bench', () => {
  const ours = oursYaml(10);

  it('ours renders Deployment, Service, PDB and HPA per app', () => {
    const { problems, objects } = checkManifests(ours, 10);
    expect(problems).toEqual([]);
    expect(objects).toHaveLength(40);
  });

  it('streaming one app at a time writes exactly what one chart of all apps renders', () => {
    expect(ours).toBe(oursYamlWhole(10));
  });

  it("the floor's objects are ours'", () => {
    const template = checkManifests(oursYaml(1), 1).objects as Json[];
    expect(canonical(floorObjects(template, 10))).toBe(canonical(checkManifests(ours, 10).objects));
  });

  it('counts documents with or without a leading separator, and catches a short output', () => {
    expect(countDocuments('a: 1\n---\nb: 2\n')).toBe(2);
    expect(countDocuments('---\n# Source: x\na: 1\n---\nb: 2\n')).toBe(2);
    expect(checkManifests(ours.split('---\n').slice(0, 40).join('---\n'), 10).problems).not.toEqual([]);
  });
});
