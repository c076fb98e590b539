/** constructs/spread.ts: pod anti-affinity on kubernetes.io/hostname and topology spread over zones, written out by hand. */
import { hostnameAntiAffinity, zoneSpreadConstraints } from '../../constructs/spread';

const selector = { app: 'web', tier: 'front' };

describe('hostnameAntiAffinity', () => {
  test('required: never two matching pods on one node', () => {
    expect(hostnameAntiAffinity(selector, 'required')).toEqual({
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web', tier: 'front' } }, topologyKey: 'kubernetes.io/hostname' }],
      },
    });
    expect(hostnameAntiAffinity(selector, 'required')?.podAntiAffinity).not.toHaveProperty('preferredDuringSchedulingIgnoredDuringExecution');
  });
  test('preferred: the strongest preference, weight 100', () => {
    expect(hostnameAntiAffinity(selector, 'preferred')).toEqual({
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { app: 'web', tier: 'front' } }, topologyKey: 'kubernetes.io/hostname' } },
        ],
      },
    });
    expect(hostnameAntiAffinity(selector, 'preferred')?.podAntiAffinity).not.toHaveProperty('requiredDuringSchedulingIgnoredDuringExecution');
  });
  test('none: no affinity', () => {
    expect(hostnameAntiAffinity(selector, 'none')).toBeUndefined();
  });
  test('the selector is copied', () => {
    const term = hostnameAntiAffinity(selector, 'required')!.podAntiAffinity!.requiredDuringSchedulingIgnoredDuringExecution![0];
    expect(term.labelSelector!.matchLabels).not.toBe(selector);
  });
});

describe('zoneSpreadConstraints', () => {
  test('required: DoNotSchedule with maxSkew 1 over topology.kubernetes.io/zone', () => {
    expect(zoneSpreadConstraints(selector, 'required')).toEqual([
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web', tier: 'front' } } },
    ]);
  });
  test('preferred: ScheduleAnyway', () => {
    expect(zoneSpreadConstraints(selector, 'preferred')).toEqual([
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'web', tier: 'front' } } },
    ]);
  });
  test('none: no constraint', () => {
    expect(zoneSpreadConstraints(selector, 'none')).toEqual([]);
  });
});
