import { at } from '../object';
import { checkTemplates, containersOf, describeContainer } from '../workload';
import { Rule } from './rule';

const REQUIRED = ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'] as const;

function isSet(value: unknown): boolean {
  return (typeof value === 'string' && value !== '') || typeof value === 'number';
}

/** Every container (init containers too: they are scheduled alike) declares CPU/memory requests and limits. */
export const resources: Rule = {
  id: 'resources',
  severity: 'error',
  description: "Every container, init containers included, declares CPU and memory requests and limits, so the scheduler can place it and a leak cannot starve its node.",
  remediation: "Set resources.requests and resources.limits for cpu and memory.",
  equivalents: { kubeLinter: ['unset-cpu-requirements', 'unset-memory-requirements'], kubeScore: ['container-resources'] },
  check: ({ manifests }) =>
    checkTemplates(manifests, ({ spec }) =>
      containersOf(spec).flatMap((container) => {
        const missing = REQUIRED.filter((field) => !isSet(at(container.spec, 'resources', ...field.split('.'))));
        return missing.length === 0
          ? []
          : [{ field: `${container.path}.resources`, problem: `${describeContainer(container)} lacks resources.${missing.join(', resources.')}`, fix: 'set CPU and memory requests and limits' }];
      }),
    ),
};
