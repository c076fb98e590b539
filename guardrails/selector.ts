import { asArray, asObject, asString, objects, stringMap } from './object';

/**
 * A label selector in either form Kubernetes uses: the plain map of Services and ReplicationControllers,
 * or the LabelSelector (`matchLabels` + `matchExpressions`) of apps/v1, PDBs and NetworkPolicies.
 */
export interface Selector {
  readonly matchLabels: Record<string, string>;
  readonly matchExpressions: ReadonlyArray<{ key: string; operator: string; values: string[] }>;
}

export function mapSelector(value: unknown): Selector {
  return { matchLabels: stringMap(value), matchExpressions: [] };
}

export function labelSelector(value: unknown): Selector {
  const o = asObject(value) ?? {};
  return {
    matchLabels: stringMap(o.matchLabels),
    matchExpressions: objects(o.matchExpressions).map((e) => ({
      key: asString(e.key) ?? '',
      operator: asString(e.operator) ?? '',
      values: asArray(e.values).filter((v): v is string => typeof v === 'string'),
    })),
  };
}

export function isEmpty(selector: Selector): boolean {
  return Object.keys(selector.matchLabels).length === 0 && selector.matchExpressions.length === 0;
}

/** Label-selector semantics (an empty selector matches everything; unknown operators match nothing). */
export function matches(selector: Selector, labels: Record<string, string>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels)) {
    if (labels[key] !== value) return false;
  }
  return selector.matchExpressions.every(({ key, operator, values }) => {
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (operator) {
      case 'In':
        return has && values.includes(labels[key]);
      case 'NotIn':
        return !has || !values.includes(labels[key]);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        return false;
    }
  });
}

/** `app=nginx,tier in (web)` — kubectl's notation, for messages. */
export function formatSelector(selector: Selector): string {
  const parts = Object.entries(selector.matchLabels).map(([k, v]) => `${k}=${v}`);
  for (const { key, operator, values } of selector.matchExpressions) {
    if (operator === 'Exists') parts.push(key);
    else if (operator === 'DoesNotExist') parts.push(`!${key}`);
    else parts.push(`${key} ${operator.toLowerCase()} (${values.join(',')})`);
  }
  return parts.join(',') || '(empty)';
}

export function formatLabels(labels: Record<string, string>): string {
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',') || '(none)';
}
