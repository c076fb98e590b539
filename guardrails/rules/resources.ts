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
  check: ({ manifests }) =>
    checkTemplates(manifests, ({ spec }) =>
      containersOf(spec).flatMap((container) => {
        const missing = REQUIRED.filter((field) => !isSet(at(container.spec, 'resources', ...field.split('.'))));
        return missing.length === 0
          ? []
          : [`${describeContainer(container)} lacks resources.${missing.join(', resources.')}; set CPU and memory requests and limits`];
      }),
    ),
};
