import { Manifest } from '../manifest';
import { asObject, at, JsonObject } from '../object';
import { labelValue, qualifiedName } from '../syntax';
import { podTemplateOf } from '../workload';
import { Problem, Rule, Violation } from './rule';

/** Label maps an object carries or selects with, by field path. */
function labelMaps(m: Manifest): { field: string; map: JsonObject; values: boolean }[] {
  const maps: { field: string; map: JsonObject; values: boolean }[] = [];
  const add = (field: string, value: unknown, values = true) => {
    const map = asObject(value);
    if (map) maps.push({ field, map, values });
  };
  add('metadata.labels', at(m.object, 'metadata', 'labels'));
  add('metadata.annotations', at(m.object, 'metadata', 'annotations'), false);
  add('spec.selector.matchLabels', at(m.object, 'spec', 'selector', 'matchLabels'));
  if (m.kind === 'Service' || m.kind === 'ReplicationController') add('spec.selector', at(m.object, 'spec', 'selector'));
  const template = podTemplateOf(m);
  if (template && template.path.endsWith('.spec')) {
    const base = template.path.slice(0, -'.spec'.length);
    add(`${base}.metadata.labels`, at(m.object, ...base.split('.'), 'metadata', 'labels'));
    add(`${base}.metadata.annotations`, at(m.object, ...base.split('.'), 'metadata', 'annotations'), false);
  }
  return maps;
}

function problemsOf(field: string, map: JsonObject, values: boolean): Problem[] {
  const problems: Problem[] = [];
  for (const [key, value] of Object.entries(map)) {
    const keyProblem = qualifiedName(key);
    if (keyProblem) problems.push({ field: `${field}["${key}"]`, problem: `key "${key}" ${keyProblem}`, fix: 'rename the key' });
    if (typeof value !== 'string') {
      problems.push({ field: `${field}["${key}"]`, problem: `value ${JSON.stringify(value)} is not a string`, fix: 'quote it' });
      continue;
    }
    const valueProblem = values ? labelValue(value) : undefined;
    if (valueProblem) problems.push({ field: `${field}["${key}"]`, problem: `value "${value}" ${valueProblem}`, fix: 'change the value' });
  }
  return problems;
}

export const labels: Rule = {
  id: 'labels',
  severity: 'error',
  description:
    "Label and annotation keys and label values the API server accepts: keys are [prefix/]name (a DNS-subdomain prefix, a name of ≤ 63 letters, digits, '-', '_', '.'), values are ≤ 63 such characters or empty, annotation values are strings — in metadata, pod templates and selectors.",
  remediation: 'Rename the key or change the value as the message says (quote numbers and booleans).',
  equivalents: { kubeLinter: [], kubeScore: ['label-values'] },
  check: ({ manifests }) =>
    manifests.flatMap((manifest): Violation[] => labelMaps(manifest).flatMap(({ field, map, values }) => problemsOf(field, map, values).map((p) => ({ manifest, ...p })))),
};
