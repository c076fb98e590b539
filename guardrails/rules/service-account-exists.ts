import { asString } from '../object';
import { checkTemplates } from '../workload';
import { Rule } from './rule';

export const serviceAccountExists: Rule = {
  id: 'service-account-exists',
  severity: 'warning',
  description:
    'A pod runs as a ServiceAccount that is not among the manifests of its namespace: the pods are refused ("serviceaccount not found") until someone creates it.',
  remediation: 'Add the ServiceAccount to the manifests, or name an existing one.',
  equivalents: { kubeLinter: ['non-existent-service-account'], kubeScore: [] },
  check: ({ manifests, lookup }) =>
    checkTemplates(manifests, ({ spec }, manifest) => {
      const field = spec.serviceAccountName !== undefined ? 'serviceAccountName' : 'serviceAccount';
      const name = asString(spec.serviceAccountName) ?? asString(spec.serviceAccount);
      if (!name || name === 'default' || lookup(manifest.namespace, 'ServiceAccount', name)) return [];
      return [{ field, problem: `ServiceAccount "${name}" is not among the manifests in namespace "${manifest.namespace}"`, fix: 'add the ServiceAccount or fix the name' }];
    }),
};
