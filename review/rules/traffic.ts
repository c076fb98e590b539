/**
 * Service selector changes move traffic. A blue/green flip (only the slot label's value changes)
 * must read as ONE line; anything else is spelled out. Either way, a selector that no workload of
 * the new tree can satisfy, or that lands on a slot scaled to zero, is an outage and says so.
 */
import { at, stringMap } from '../access';
import { formatValue } from '../format';
import { deepEqual, isUnder } from '../fieldDiff';
import type { KubeObject, Risk } from '../model';
import type { EnvContext, ObjectChange } from './context';

const SLOT_VALUES = ['blue', 'green'];

const isSlotKey = (key: string) => key === 'slot' || key.endsWith('/slot');

/** `[key, old, new]` when exactly one label value changed and it is the blue/green slot. */
function slotFlip(before: Record<string, string>, after: Record<string, string>): [string, string, string] | undefined {
  const keys = Object.keys(before).sort();
  if (!deepEqual(keys, Object.keys(after).sort())) return undefined;
  const changed = keys.filter((key) => before[key] !== after[key]);
  if (changed.length !== 1) return undefined;
  const key = changed[0] as string;
  const [from, to] = [before[key] as string, after[key] as string];
  const isSlot = isSlotKey(key) || (SLOT_VALUES.includes(from) && SLOT_VALUES.includes(to));
  return isSlot ? [key, from, to] : undefined;
}

/** Pod-template workloads of the Service's namespace whose pod labels the selector matches. */
function selectedWorkloads(namespace: string, selector: Record<string, string>, context: EnvContext): KubeObject[] {
  // An empty or absent selector selects no pod: Kubernetes then manages no endpoints (ServiceSpec.selector).
  if (Object.keys(selector).length === 0) return [];
  return context.objects.filter((object) => {
    const metadata = stringMap(at(object, 'metadata'));
    if ((metadata.namespace ?? '') !== namespace) return false;
    const labels = stringMap(at(object, 'spec', 'template', 'metadata', 'labels'));
    return Object.entries(selector).every(([k, v]) => labels[k] === v);
  });
}

/** Nothing to route to after the change: no matching workload, or all matching ones at 0 replicas. */
function emptyTarget(change: ObjectChange, selector: Record<string, string>, context: EnvContext): Risk[] {
  const workloads = selectedWorkloads(change.id.namespace, selector, context);
  if (workloads.length === 0) {
    return [{ rule: 'selector', text: `${change.label} selects no workload in this tree (${formatValue(selector)}): no endpoints after apply` }];
  }
  if (workloads.every((w) => at(w, 'spec', 'replicas') === 0)) {
    return [{ rule: 'selector', text: `${change.label} now selects workloads scaled to 0 replicas: scale them up before switching traffic` }];
  }
  return [];
}

/**
 * The new selector's pods did not run before the change (the old tree had them at 0 replicas or not
 * at all): applied together, the Service has no endpoint until they start. Synthesis refuses this
 * (rule blue-green-flip); a hand-edited tree shows it here.
 */
function coldTarget(change: ObjectChange, selector: Record<string, string>, context: EnvContext): Risk[] {
  if (!context.before) return [];
  const running = selectedWorkloads(change.id.namespace, selector, { objects: context.before }).some((w) => at(w, 'spec', 'replicas') !== 0);
  return running
    ? []
    : [{ rule: 'selector', text: `${change.label} moves onto pods that were not running before this change: a one-step switch with no endpoint while they start (synthesis refuses it: blue-green-flip); scale them up in a change of their own first` }];
}

export function trafficRisks(change: ObjectChange, context: EnvContext): Risk[] {
  if (change.id.group !== '' || change.id.kind !== 'Service') return [];
  if (!change.fields.some((f) => isUnder(f.path, ['spec', 'selector']))) return [];
  const before = stringMap(at(change.old, 'spec', 'selector'));
  const after = stringMap(at(change.new, 'spec', 'selector'));
  const flip = slotFlip(before, after);
  const headline: Risk = flip
    ? { rule: 'traffic', text: `traffic switch ${flip[1]} → ${flip[2]} on ${change.label}` }
    : { rule: 'selector', text: `${change.label}: selector ${formatValue(before)} → ${formatValue(after)} — traffic moves to different pods` };
  const empty = emptyTarget(change, after, context);
  return [headline, ...(empty.length ? empty : coldTarget(change, after, context))];
}
