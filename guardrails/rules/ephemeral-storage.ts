import { at } from '../object';
import { checkTemplates, containersOf, describeContainer } from '../workload';
import { Rule } from './rule';

export const ephemeralStorage: Rule = {
  id: 'ephemeral-storage',
  severity: 'warning',
  description:
    'A container sets no ephemeral-storage request and limit: logs and scratch files it writes count against the node’s disk, and when that fills up the kubelet evicts pods at random.',
  remediation: 'Set resources.requests and resources.limits for ephemeral-storage.',
  equivalents: { kubeLinter: [], kubeScore: ['container-ephemeral-storage-request-and-limit'] },
  check: ({ manifests }) =>
    checkTemplates(manifests, ({ spec }) =>
      containersOf(spec).flatMap((container) => {
        const missing = ['requests', 'limits'].filter((kind) => at(container.spec, 'resources', kind, 'ephemeral-storage') === undefined);
        return missing.length === 0
          ? []
          : [{ field: `${container.path}.resources`, problem: `${describeContainer(container)} has no ephemeral-storage ${missing.join(' or ')}`, fix: 'set requests and limits for ephemeral-storage' }];
      }),
    ),
};
