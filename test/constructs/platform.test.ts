/**
 * constructs/platform.ts: where a workload of a platform may run, against hand-written node pools.
 * Kubernetes semantics: well-known node labels kubernetes.io/os, kubernetes.io/arch and
 * node.kubernetes.io/windows-build; a taint repels pods unless tolerated (Equal needs key and value,
 * Exists only the key, an empty key with Exists tolerates everything, an unset effect matches all).
 */
import { ConstructError } from '../../constructs/errors';
import { describePlatform, NodePoolShape, place, runtimeClassNameOf, tolerates, WINDOWS_BUILD_LABEL } from '../../constructs/platform';

const amd: NodePoolShape = { name: 'amd', os: 'linux', arch: 'amd64', min: 3, taints: [] };
const arm: NodePoolShape = { name: 'arm', os: 'linux', arch: 'arm64', min: 2, taints: [] };
const win: NodePoolShape = { name: 'win', os: 'windows', arch: 'amd64', windowsBuild: '10.0.17763', min: 1, taints: [{ key: 'os', value: 'windows', effect: 'NoSchedule' }] };
const win2022: NodePoolShape = { name: 'win2022', os: 'windows', arch: 'amd64', windowsBuild: '10.0.20348', min: 4, taints: [] };

function refusedPlace(...args: Parameters<typeof place>): string {
  try {
    place(...args);
  } catch (err) {
    expect(err).toBeInstanceOf(ConstructError);
    return (err as Error).message;
  }
  throw new Error('place() did not refuse');
}

describe('describePlatform / runtimeClassNameOf / WINDOWS_BUILD_LABEL', () => {
  test('descriptions', () => {
    expect(describePlatform({ os: 'linux' })).toBe('linux/*');
    expect(describePlatform({ os: 'linux', arch: 'arm64' })).toBe('linux/arm64');
    expect(describePlatform({ os: 'windows', arch: 'amd64', windowsBuild: '10.0.17763' })).toBe('windows/amd64 (build 10.0.17763)');
    expect(describePlatform({ os: 'windows', windowsBuild: '' })).toBe('windows/*');
  });
  test('RuntimeClass names', () => {
    expect(runtimeClassNameOf({ os: 'linux', arch: 'arm64' })).toBe('linux-arm64');
    expect(runtimeClassNameOf({ os: 'linux', arch: 'amd64', windowsBuild: '10.0.17763' })).toBe('linux-amd64');
    expect(runtimeClassNameOf({ os: 'windows', arch: 'amd64', windowsBuild: '10.0.17763' })).toBe('windows-10.0.17763');
  });
  test('the Windows build node label', () => {
    expect(WINDOWS_BUILD_LABEL).toBe('node.kubernetes.io/windows-build');
  });
});

describe('tolerates', () => {
  test('an unset toleration value equals an empty taint value, both ways', () => {
    expect(tolerates([{ key: 'k', operator: 'Equal' }], { key: 'k', value: '', effect: 'NoSchedule' })).toBe(true);
    expect(tolerates([{ key: 'k', operator: 'Equal', value: '' }], { key: 'k', effect: 'NoSchedule' })).toBe(true);
    expect(tolerates([{ key: 'k', operator: 'Equal', value: 'x' }], { key: 'k', effect: 'NoSchedule' })).toBe(false);
  });
  test('Exists with a key ignores the value; with another key tolerates nothing', () => {
    expect(tolerates([{ key: 'k', operator: 'Exists' }], { key: 'k', value: 'v', effect: 'NoExecute' })).toBe(true);
    expect(tolerates([{ key: 'j', operator: 'Exists' }], { key: 'k', value: 'v', effect: 'NoExecute' })).toBe(false);
    expect(tolerates([{ operator: 'Exists', effect: 'NoExecute' }], { key: 'k', effect: 'NoExecute' })).toBe(true);
    expect(tolerates([{ operator: 'Exists', effect: 'NoSchedule' }], { key: 'k', effect: 'NoExecute' })).toBe(false);
  });
});

describe('place', () => {
  test('a multi-arch Linux image: every Linux pool, os selector only, no RuntimeClass', () => {
    expect(place('apps/web', 'dev', [amd, arm, win], { os: 'linux' })).toEqual({
      platform: { os: 'linux' },
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      tolerations: [],
      eligibleNodes: 5,
      pools: ['amd', 'arm'],
    });
    const p = place('apps/web', 'dev', [amd, arm, win], { os: 'linux' });
    expect(p.runtimeClassName).toBeUndefined();
    expect(p.localImages).toBeUndefined();
    expect(Object.keys(p.nodeSelector)).toEqual(['kubernetes.io/os']);
  });

  test('a single-arch image: the arch selector, only that pool', () => {
    expect(place('apps/web', 'dev', [amd, arm], { os: 'linux', arch: 'arm64' })).toEqual({
      platform: { os: 'linux', arch: 'arm64' },
      nodeSelector: { 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'arm64' },
      tolerations: [],
      eligibleNodes: 2,
      pools: ['arm'],
    });
  });

  test('a Windows image: its build selector and RuntimeClass, the platform taint tolerated automatically', () => {
    expect(place('apps/iis', 'prod', [amd, win, win2022], { os: 'windows', arch: 'amd64', windowsBuild: '10.0.17763' })).toEqual({
      platform: { os: 'windows', arch: 'amd64', windowsBuild: '10.0.17763' },
      nodeSelector: { 'kubernetes.io/os': 'windows', 'kubernetes.io/arch': 'amd64', 'node.kubernetes.io/windows-build': '10.0.17763' },
      tolerations: [{ key: 'os', operator: 'Equal', value: 'windows', effect: 'NoSchedule' }],
      runtimeClassName: 'windows-10.0.17763',
      eligibleNodes: 1,
      pools: ['win'],
    });
    expect(place('apps/iis', 'prod', [win, win2022], { os: 'windows', windowsBuild: '10.0.20348' }).pools).toEqual(['win2022']);
  });

  test('refuses a Windows image without its build', () => {
    expect(refusedPlace('apps/iis', 'prod', [win], { os: 'windows' })).toBe(
      "apps/iis: platform.windowsBuild: a Windows image runs only on the host build it was built for. Fix: set windowsBuild, e.g. '10.0.17763' for 1809 images",
    );
    expect(refusedPlace('apps/iis', 'prod', [win], { os: 'windows', windowsBuild: '' })).toMatch(/^apps\/iis: platform.windowsBuild: /);
  });

  test.each([
    ['os', 'windows', { ...win, taints: [{ key: 'os', value: 'windows', effect: 'NoSchedule' as const }] }],
    ['kubernetes.io/os', 'windows', { ...win, taints: [{ key: 'kubernetes.io/os', value: 'windows', effect: 'NoExecute' as const }] }],
    ['arch', 'amd64', { ...win, taints: [{ key: 'arch', value: 'amd64', effect: 'NoSchedule' as const }] }],
    ['kubernetes.io/arch', 'amd64', { ...win, taints: [{ key: 'kubernetes.io/arch', value: 'amd64', effect: 'PreferNoSchedule' as const }] }],
  ])('the platform taint %s=%s is tolerated with Equal', (key, value, pool) => {
    const p = place('apps/iis', 'prod', [pool], { os: 'windows', windowsBuild: '10.0.17763' });
    expect(p.tolerations).toEqual([{ key, operator: 'Equal', value, effect: pool.taints[0].effect }]);
    expect(p.pools).toEqual(['win']);
  });

  test.each([
    ['os=amd64 (the arch value under the os key)', { key: 'os', value: 'amd64', effect: 'NoSchedule' as const }],
    ['arch=windows (the os value under the arch key)', { key: 'arch', value: 'windows', effect: 'NoSchedule' as const }],
    ['os=linux on a Windows pool', { key: 'os', value: 'linux', effect: 'NoSchedule' as const }],
    ['kubernetes.io/arch=arm64 on an amd64 pool', { key: 'kubernetes.io/arch', value: 'arm64', effect: 'NoSchedule' as const }],
    ['a GPU taint', { key: 'gpu', value: 'windows', effect: 'NoSchedule' as const }],
  ])('%s is not a platform taint: the pool is not eligible', (_what, taint) => {
    const pool = { ...win, taints: [taint] };
    expect(refusedPlace('apps/iis', 'prod', [pool], { os: 'windows', windowsBuild: '10.0.17763' })).toBe(
      `apps/iis: platform: no node pool of environment "prod" can run windows/* (build 10.0.17763): pools are win (windows/amd64 (build 10.0.17763), taints ${taint.key}=${taint.value}:${taint.effect}). Fix: add a matching pool to environments/prod.ts, tolerate the pool's taints, or leave the workload out there with { omitted: '<why>' }`,
    );
  });

  test("a pool with a platform taint and another one is eligible only when the workload tolerates the other", () => {
    const gpuWin: NodePoolShape = { ...win, taints: [{ key: 'os', value: 'windows', effect: 'NoSchedule' }, { key: 'gpu', effect: 'NoSchedule' }] };
    const platform = { os: 'windows' as const, windowsBuild: '10.0.17763' };
    expect(refusedPlace('apps/iis', 'prod', [gpuWin], platform)).toBe(
      `apps/iis: platform: no node pool of environment "prod" can run windows/* (build 10.0.17763): pools are win (windows/amd64 (build 10.0.17763), taints os=windows:NoSchedule,gpu=:NoSchedule). Fix: add a matching pool to environments/prod.ts, tolerate the pool's taints, or leave the workload out there with { omitted: '<why>' }`,
    );
    const gpu = { key: 'gpu', operator: 'Exists' as const };
    const p = place('apps/iis', 'prod', [gpuWin], platform, [gpu]);
    expect(p.tolerations).toEqual([gpu, { key: 'os', operator: 'Equal', value: 'windows', effect: 'NoSchedule' }]);
    expect(p.eligibleNodes).toBe(1);
  });

  test('two pools with the same platform taint: one toleration; one the workload already tolerates is not added', () => {
    const two = [win, { ...win, name: 'win-b', min: 6 }];
    const p = place('apps/iis', 'prod', two, { os: 'windows', windowsBuild: '10.0.17763' });
    expect(p.tolerations).toEqual([{ key: 'os', operator: 'Equal', value: 'windows', effect: 'NoSchedule' }]);
    expect(p.eligibleNodes).toBe(7);
    expect(p.pools).toEqual(['win', 'win-b']);
    const own = { key: 'os', operator: 'Exists' as const };
    expect(place('apps/iis', 'prod', two, { os: 'windows', windowsBuild: '10.0.17763' }, [own]).tolerations).toEqual([own]);
  });

  test('a taint tolerated by the workload, without a value, keeps the pool eligible', () => {
    const dedicated: NodePoolShape = { ...arm, taints: [{ key: 'dedicated', effect: 'NoExecute' }] };
    expect(place('apps/web', 'dev', [dedicated], { os: 'linux' }, [{ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }]).pools).toEqual(['arm']);
  });

  test('refuses when no pool runs the platform, listing each pool (and none)', () => {
    expect(refusedPlace('apps/web', 'dev', [amd, win], { os: 'linux', arch: 'arm64' })).toBe(
      `apps/web: platform: no node pool of environment "dev" can run linux/arm64: pools are amd (linux/amd64); win (windows/amd64 (build 10.0.17763), taints os=windows:NoSchedule). Fix: add a matching pool to environments/dev.ts, tolerate the pool's taints, or leave the workload out there with { omitted: '<why>' }`,
    );
    expect(refusedPlace('apps/web', 'edge', [], { os: 'linux' })).toBe(
      `apps/web: platform: no node pool of environment "edge" can run linux/*: pools are none. Fix: add a matching pool to environments/edge.ts, tolerate the pool's taints, or leave the workload out there with { omitted: '<why>' }`,
    );
  });

  test('the Windows build must match: another build is no pool', () => {
    expect(refusedPlace('apps/iis', 'prod', [win], { os: 'windows', windowsBuild: '10.0.20348' })).toMatch(/can run windows\/\* \(build 10.0.20348\): pools are win /);
  });
});
