import { isKind } from '../manifest';
import { at } from '../object';
import { formatLabels, formatSelector, isEmpty, labelSelector, mapSelector, matches } from '../selector';
import { podTemplateOf } from '../workload';
import { Rule, Violation } from './rule';

/**
 * A controller's selector must exist and match its own template's labels: apps/v1 rejects a mismatch,
 * and a selector-less manifest (the books' extensions/v1beta1 habit) cannot be applied as apps/v1.
 */
export const deploymentSelector: Rule = {
  id: 'deployment-selector',
  severity: 'error',
  description: "A controller's spec.selector must exist and match its own pod template labels: apps/v1 rejects a mismatch and requires a selector.",
  remediation: "Set spec.selector.matchLabels to labels the template carries; selectors are immutable, so choose them once.",
  equivalents: {
    kubeLinter: ['mismatching-selector'],
    kubeScore: ['deployment-pod-selector-labels-match-template-metadata-labels', 'statefulset-pod-selector-labels-match-template-metadata-labels'],
  },
  check: ({ manifests }) =>
    manifests.flatMap((manifest): Violation[] => {
      const template = podTemplateOf(manifest);
      if (!template) return [];
      const raw = at(manifest.object, 'spec', 'selector');
      // ReplicationControllers and OpenShift DeploymentConfigs take a plain map, defaulted to the template labels.
      if (isKind(manifest, [''], 'ReplicationController') || isKind(manifest, ['apps.openshift.io'], 'DeploymentConfig')) {
        const map = mapSelector(raw);
        if (isEmpty(map) || matches(map, template.labels)) return [];
        return [{ manifest, field: 'spec.selector', problem: `spec.selector ${formatSelector(map)} does not match the template labels ${formatLabels(template.labels)}`, fix: 'make the template carry every selected label' }];
      }
      if (!isKind(manifest, ['apps', 'extensions'], 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet')) return [];
      const selector = labelSelector(raw);
      if (isEmpty(selector)) {
        return [{ manifest, field: 'spec.selector', problem: 'has no spec.selector', fix: `add matchLabels equal to the template labels (${formatLabels(template.labels)}); selectors are immutable, so choose them once` }];
      }
      if (matches(selector, template.labels)) return [];
      return [{ manifest, field: 'spec.selector', problem: `spec.selector ${formatSelector(selector)} does not match the template labels ${formatLabels(template.labels)}`, fix: 'make the template carry every selected label' }];
    }),
};
