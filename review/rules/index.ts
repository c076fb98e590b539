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

export interface Removed {
  readonly id: ObjectId;
  readonly label: string;
}

/**
 * `kubectl apply -f dist/<env>/` only creates and updates; what disappears from dist/ lingers.
 * A removed Namespace takes its objects with it, so they fold into its one line.
 */
const isNamespace = (id: ObjectId) => id.group === '' && id.kind === 'Namespace';

export function pruneRisks(removed: readonly Removed[]): Risk[] {
  const namespaces = new Set(removed.filter((r) => isNamespace(r.id)).map((r) => r.id.name));
  return removed.flatMap(({ id, label }): Risk[] => {
    if (namespaces.has(id.namespace)) return [];
    const inside = isNamespace(id) ? removed.filter((r) => r.id.namespace === id.name).length : 0;
    const what = inside > 0 ? `${label} removed with the ${inside} objects in it` : `${label} removed`;
    const them = inside > 0 ? 'them' : 'it';
    return [{ rule: 'prune', text: `${what} — kubectl apply will not delete ${them}: prune or delete by hand (${kubectlDelete(id)})` }];
  });
}

export function destroyRisk(label: string, stack: string): Risk {
  return { rule: 'destroy', text: `${label} removed — pulumi up on stack ${stack} will destroy it` };
}
