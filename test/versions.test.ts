import { errorsOf } from '../contracts/finding';
import { checkRendered } from '../synth/check';
import { renderEnvironment } from '../synth/render';
import { dev } from '../environments/dev';
import { edge } from '../environments/edge';
import { prod } from '../environments/prod';
import { Environment, isOmitted, VersionsSettings } from '../environments';
import { find } from './util/synth';

function versionsOf(env: Environment): VersionsSettings {
  const settings = env.workloads.versions;
  if (isOmitted(settings)) throw new Error(`${env.name} leaves versions out`);
  return settings;
}

function withVersions(env: Environment, change: Partial<VersionsSettings>): Environment {
  return { ...env, workloads: { ...env.workloads, versions: { ...versionsOf(env), ...change } } };
}

function file(env: Environment, name: string) {
  const found = renderEnvironment(env).files.find((f) => f.name === name);
  if (!found) throw new Error(`dist/${env.name}/${name} not rendered`);
  return found;
}

/** Every line that differs between two renders of an environment, as `file:line: before → after`. */
function changedLines(before: Environment, after: Environment): string[] {
  const [a, b] = [renderEnvironment(before), renderEnvironment(after)];
  expect(b.files.map((f) => f.name)).toEqual(a.files.map((f) => f.name));
  return a.files.flatMap((fa, i) => {
    const [la, lb] = [fa.content.split('\n'), b.files[i]!.content.split('\n')];
    expect(`${fa.name}: ${lb.length} lines`).toBe(`${fa.name}: ${la.length} lines`);
    return la.flatMap((line, n) => (line === lb[n] ? [] : [`${fa.name}:${n + 1}: ${line.trim()} → ${lb[n]!.trim()}`]));
  });
}

/** The changed lines without their line numbers. */
const changes = (lines: string[]) => lines.map((l) => l.replace(/:\d+: /, ': '));

type Slot = VersionsSettings['active'];
const other = (slot: Slot): Slot => (slot === 'blue' ? 'green' : 'blue');
/** The two lines a flip from `from` changes. */
const SWITCH = (from: Slot) => [
  `versions.yaml: k8s-book-systems.io/live-slot: ${from} → k8s-book-systems.io/live-slot: ${other(from)}`,
  `versions.yaml: slot: ${from} → slot: ${other(from)}`,
];

describe('versions chart', () => {
  test('edge leaves it out: errm/versions is amd64 only', () => {
    expect(renderEnvironment(edge).leftOut).toContainEqual({ workload: 'versions', reason: 'errm/versions is not known to ship a linux/arm64 build' });
  });

  test('the book’s names, image, port and labels', () => {
    const objects = file(prod, 'versions.yaml').objects as never[];
    const live = find(objects, 'Service', 'ver');
    expect(live.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
    for (const [slot, tag] of [['blue', '0.0.1'], ['green', '0.0.2']]) {
      const pod = find(objects, 'Deployment', `ver-${slot}`).spec.template;
      expect(pod.metadata.labels).toMatchObject({ app: 'ver', slot, version: tag });
      expect(pod.spec.containers[0]).toMatchObject({ name: 'version-server', image: `errm/versions:${tag}`, ports: [{ name: 'http', containerPort: 3000, protocol: 'TCP' }] });
      expect(pod.spec.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' });
    }
  });

  test('its namespace is baseline, and says why', () => {
    const ns = find(file(prod, '00-namespaces.yaml').objects as never[], 'Namespace', 'versions');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(ns.metadata.annotations['k8s-book-systems.io/pod-security-reason']).toMatch(/errm\/versions is not known to run as non-root/);
  });

  test.each([dev, prod])('$name: the idle slot runs 0 replicas exactly when scaleIdleToZero is set, the live one runs replicas', (env) => {
    const v = versionsOf(env);
    const objects = file(env, 'versions.yaml').objects as never[];
    expect(find(objects, 'Deployment', `ver-${v.active}`).spec.replicas).toBe(v.replicas);
    expect(find(objects, 'Deployment', `ver-${other(v.active)}`).spec.replicas).toBe(v.scaleIdleToZero ? 0 : v.replicas);
  });

  test.each([dev, prod])('$name passes the guardrails with either slot live', (env) => {
    // Errors only: the baseline namespace still warns at restricted (pod-security warnings).
    expect(errorsOf(checkRendered(renderEnvironment(env)))).toEqual([]);
    expect(errorsOf(checkRendered(renderEnvironment(withVersions(env, { active: 'green' }))))).toEqual([]);
  });

  test('THE switch: with both slots warm, flipping prod changes exactly the live selector and annotation, in every file', () => {
    // Whatever prod runs today: both slots warm, the live one flips to the other.
    const warm = withVersions(prod, { scaleIdleToZero: false });
    const live = versionsOf(warm).active;
    const lines = changedLines(warm, withVersions(warm, { active: other(live) }));
    expect(changes(lines)).toEqual(SWITCH(live));
    // Both lines belong to the live Service `ver`, the only object that names the live slot.
    const content = file(warm, 'versions.yaml').content.split('\n');
    for (const line of lines) {
      const n = Number(line.split(':')[1]) - 1;
      const end = content.indexOf('---', n);
      const doc = content.slice(content.lastIndexOf('---', n), end < 0 ? undefined : end);
      expect(doc).toEqual(expect.arrayContaining(['kind: Service', '  name: ver']));
    }
  });

  test('rollback is reverting that change', () => {
    const warm = withVersions(prod, { scaleIdleToZero: false });
    const live = versionsOf(warm).active;
    expect(changes(changedLines(withVersions(warm, { active: other(live) }), warm))).toEqual(SWITCH(other(live)));
  });

  // dev scales the idle slot to zero, so a switch there is the documented two-step change.
  describe('dev (scaleIdleToZero) switches in steps', () => {
    // dev as it is committed, but parked: the live slot warm, the idle one at zero.
    const parkedDev = withVersions(dev, { scaleIdleToZero: true });
    const live = versionsOf(parkedDev).active;
    const replicas = versionsOf(parkedDev).replicas;

    test('flipping active alone would also move both slots’ replicas', () => {
      expect(changes(changedLines(parkedDev, withVersions(parkedDev, { active: other(live) })))).toEqual(
        expect.arrayContaining([...SWITCH(live), `versions.yaml: replicas: ${replicas} → replicas: 0`, `versions.yaml: replicas: 0 → replicas: ${replicas}`]),
      );
    });

    test('warm up the idle slot, then the one-switch flip, then park the old slot', () => {
      const warm = withVersions(parkedDev, { scaleIdleToZero: false });
      const flipped = withVersions(warm, { active: other(live) });
      const parked = withVersions(flipped, { scaleIdleToZero: true });
      expect(changes(changedLines(parkedDev, warm))).toEqual([`versions.yaml: replicas: 0 → replicas: ${replicas}`]);
      expect(changes(changedLines(warm, flipped))).toEqual(SWITCH(live));
      expect(changes(changedLines(flipped, parked))).toEqual([`versions.yaml: replicas: ${replicas} → replicas: 0`]);
    });
  });
});
