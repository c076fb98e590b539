import { isKind } from '../manifest';
import { at } from '../object';
import { formatLabels, formatSelector, isEmpty, labelSelector, matches } from '../selector';
import { checkTemplates } from '../workload';
import { Rule } from './rule';

/**
 * A controller's selector must exist and match its own template's labels: apps/v1 rejects a mismatch,
 * and a selector-less manifest (the books' extensions/v1beta1 habit) cannot be applied as apps/v1.
 */
export const deploymentSelector: Rule = {
  id: 'deployment-selector',
  check: ({ manifests }) =>
    checkTemplates(manifests, (template, manifest) => {
      if (!isKind(manifest, ['apps', 'extensions'], 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet')) return [];
      const raw = at(manifest.object, 'spec', 'selector');
      const selector = labelSelector(raw);
      if (raw === undefined || raw === null || isEmpty(selector)) {
        return [`has no spec.selector; add matchLabels equal to the template labels (${formatLabels(template.labels)}) — selectors are immutable, so choose them once`];
      }
      if (matches(selector, template.labels)) return [];
      return [`spec.selector ${formatSelector(selector)} does not match the template labels ${formatLabels(template.labels)}; make the template carry every selected label`];
    }),
};
