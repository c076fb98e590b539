/**
 * A change between two states of one cluster's manifests (what was applied, what will be): a Service
 * whose selector moves to pods that do not run yet. Applied together, the new selector takes effect
 * at once while the newly scaled pods are still starting, so the Service has no endpoint: the dev
 * blue/green flip with `scaleIdleToZero` was exactly this outage. Refused, not silently reordered:
 * the fix is two changes (scale the slot up and let it become ready, then flip), each its own PR diff.
 */
import type { Finding } from '../contracts/finding';
import { ManifestDoc, readManifests, Manifest } from './manifest';
import { at } from './object';
import { formatSelector, mapSelector, matches } from './selector';
import { podTemplateOf, replicasOf } from './workload';

export const TRAFFIC_MOVE = 'blue-green-flip';

const key = (m: Manifest) => `${m.kind}\n${m.namespace}\n${m.name}`;

/** Pods of `previous` (the applied state) that a selector in `namespace` matches, by workload. */
function runningMatches(previous: readonly Manifest[], namespace: string, selector: ReturnType<typeof mapSelector>): { name: string; replicas: number }[] {
  return previous.flatMap((m) => {
    if (m.namespace !== namespace) return [];
    const template = podTemplateOf(m);
    if (!template || !matches(selector, template.labels)) return [];
    // A DaemonSet runs pods wherever it fits and a bare Pod is one pod: both serve without a replica count.
    const replicas = m.kind === 'DaemonSet' || (m.kind === 'Pod' && m.group === '') ? 1 : (replicasOf(m) ?? 0);
    return [{ name: m.ref, replicas }];
  });
}

/** Every Service whose selector moves, from `previous` to `next`, onto pods that `previous` does not run. */
export function checkTrafficMoves(previous: readonly ManifestDoc[], next: readonly ManifestDoc[]): Finding[] {
  const before = readManifests(previous).manifests;
  const after = readManifests(next).manifests;
  const services = new Map(before.filter((m) => m.kind === 'Service' && m.group === '').map((m) => [key(m), m]));
  return after.flatMap((service): Finding[] => {
    if (service.kind !== 'Service' || service.group !== '') return [];
    const old = services.get(key(service));
    const selector = mapSelector(at(service.object, 'spec', 'selector'));
    const oldSelector = old && mapSelector(at(old.object, 'spec', 'selector'));
    if (!oldSelector || Object.keys(selector.matchLabels).length === 0 || formatSelector(selector) === formatSelector(oldSelector)) return [];
    const running = runningMatches(before, service.namespace, selector);
    if (running.some((r) => r.replicas > 0)) return [];
    const what = running.length ? `${running.map((r) => r.name).join(', ')} run${running.length === 1 ? 's' : ''} 0 replicas` : 'no workload matches it';
    return [
      {
        rule: TRAFFIC_MOVE,
        severity: 'error',
        file: service.file,
        object: service.ref,
        field: 'spec.selector',
        problem: `moves from ${formatSelector(oldSelector)} to ${formatSelector(selector)}, which selects no running pod in the applied manifests (${what}); applied together, the Service has no endpoint until the new pods are ready`,
        fix: 'switch in two changes: first give the target pods replicas (blue/green with scaleIdleToZero: set it to false), apply and wait until they are ready, then move the selector (active)',
      },
    ];
  });
}
