import { isKind, Lookup, Manifest } from './manifest';
import { asString, at } from './object';

/** The manifest an HPA's scaleTargetRef names (same namespace, same kind and name), if given. */
export function scaleTargetOf(hpa: Manifest, lookup: Lookup): { ref: string; target?: Manifest } {
  const kind = asString(at(hpa.object, 'spec', 'scaleTargetRef', 'kind')) ?? '';
  const name = asString(at(hpa.object, 'spec', 'scaleTargetRef', 'name')) ?? '';
  return { ref: `${kind}/${name}`, target: lookup(hpa.namespace, kind, name) };
}

export function isHpa(m: Manifest): boolean {
  return isKind(m, ['autoscaling'], 'HorizontalPodAutoscaler');
}

/** minReplicas of the HPA scaling each workload: the HPA, not spec.replicas, sets the floor. */
export function hpaFloors(manifests: ReadonlyArray<Manifest>, lookup: Lookup): Map<Manifest, number> {
  const floors = new Map<Manifest, number>();
  for (const hpa of manifests.filter(isHpa)) {
    const { target } = scaleTargetOf(hpa, lookup);
    const min = at(hpa.object, 'spec', 'minReplicas');
    if (target) floors.set(target, typeof min === 'number' ? min : 1);
  }
  return floors;
}
