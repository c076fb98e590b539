/**
 * A workload scaled by an HPA must not have its replica count set by the manifest: every apply
 * would reset the live count the HPA chose.
 */
import { at, stringMap } from '../access';
import { formatChange } from '../format';
import { isUnder } from '../fieldDiff';
import { groupOf, objectId } from '../identity';
import type { KubeObject, Risk } from '../model';
import type { EnvContext, ObjectChange } from './context';

function hpaFor(change: ObjectChange, context: EnvContext): KubeObject | undefined {
  return context.objects.find((object) => {
    const id = objectId(object);
    if (id.kind !== 'HorizontalPodAutoscaler' || id.namespace !== change.id.namespace) return false;
    const target = stringMap(at(object, 'spec', 'scaleTargetRef'));
    return target.kind === change.id.kind && target.name === change.id.name && groupOf(target.apiVersion ?? '') === change.id.group;
  });
}

export function hpaRisks(change: ObjectChange, context: EnvContext): Risk[] {
  const replicas = change.fields.find((f) => isUnder(f.path, ['spec', 'replicas']));
  if (!replicas) return [];
  const hpa = hpaFor(change, context);
  if (!hpa) return [];
  const owner = `HPA ${change.id.namespace ? `${change.id.namespace}/` : ''}${objectId(hpa).name}`;
  if (replicas.op === 'removed') {
    // Client-side apply turns a dropped field into a delete, and the default of 1 replica wins once.
    return [
      {
        rule: 'hpa',
        text: `${change.label}: spec.replicas dropped (${owner} owns replicas) — client-side kubectl apply scales it to 1 once; run kubectl apply edit-last-applied first or apply --server-side`,
      },
    ];
  }
  const [from, to] = formatChange(replicas.old, replicas.new);
  return [{ rule: 'hpa', text: `${change.label}: spec.replicas ${from} → ${to}, but ${owner} owns replicas — apply resets the live count; drop spec.replicas` }];
}
