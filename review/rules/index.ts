/** Every risk rule, applied to one changed, removed or destroyed thing. */
import { kubectlDelete, type ObjectId } from '../identity';
import type { Risk } from '../model';
import type { EnvContext, ObjectChange } from './context';
import { hpaRisks } from './hpa';
import { immutableRisks } from './immutable';
import { rolloutRisks } from './rollout';
import { trafficRisks } from './traffic';

export function changeRisks(change: ObjectChange, context: EnvContext): Risk[] {
  const immutable = immutableRisks(change);
  // Delete-and-recreate replaces every pod anyway; a rollout line on top would only be noise.
  const rollout = immutable.length > 0 ? [] : rolloutRisks(change);
  return [...immutable, ...trafficRisks(change, context), ...hpaRisks(change, context), ...rollout];
}

/** `kubectl apply -f dist/<env>/` only creates and updates; what disappears from dist/ lingers. */
export function removalRisk(id: ObjectId, label: string): Risk {
  return { rule: 'prune', text: `${label} removed — kubectl apply will not delete it: prune or delete by hand (${kubectlDelete(id)})` };
}

export function destroyRisk(label: string, stack: string): Risk {
  return { rule: 'destroy', text: `${label} removed — pulumi up on stack ${stack} will destroy it` };
}
