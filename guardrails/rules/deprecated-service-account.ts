import { asString } from '../object';
import { checkTemplates } from '../workload';
import { Rule } from './rule';

export const deprecatedServiceAccount: Rule = {
  id: 'deprecated-service-account',
  severity: 'warning',
  description: 'The pod spec uses serviceAccount, the deprecated alias of serviceAccountName; when both are set and differ, which one applies is easy to get wrong.',
  remediation: 'Use serviceAccountName only.',
  equivalents: { kubeLinter: ['deprecated-service-account-field'], kubeScore: [] },
  check: ({ manifests }) =>
    checkTemplates(manifests, ({ spec }) => {
      const deprecated = asString(spec.serviceAccount);
      if (!deprecated) return [];
      const name = asString(spec.serviceAccountName);
      if (name !== undefined && name !== deprecated) {
        return [{ field: 'serviceAccount', problem: `serviceAccount "${deprecated}" differs from serviceAccountName "${name}"`, fix: 'remove serviceAccount and keep serviceAccountName', severity: 'error' as const }];
      }
      return [{ field: 'serviceAccount', problem: 'uses the deprecated serviceAccount field', fix: `use serviceAccountName: ${deprecated}` }];
    }),
};
