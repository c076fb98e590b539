import { asArray, asObject, asString } from '../object';
import { checkTemplates, containersOf, describeContainer } from '../workload';
import { Rule } from './rule';

/** kube-linter's env-var-secret: a variable named like a secret carrying a literal value. */
const SECRET_NAME = /secret/i;

export const envVarSecret: Rule = {
  id: 'env-var-secret',
  severity: 'warning',
  description: 'An environment variable named like a secret (…SECRET…) carries a literal value: it is in the manifest, in git and in `kubectl describe` for anyone to read.',
  remediation: 'Take the value from a Secret with valueFrom.secretKeyRef, or mount the Secret as a file.',
  equivalents: { kubeLinter: ['env-var-secret'], kubeScore: [] },
  check: ({ manifests }) =>
    checkTemplates(manifests, ({ spec }) =>
      containersOf(spec).flatMap((container) =>
        // Indexes count every entry, so the field names the entry itself even after a malformed one.
        asArray(container.spec.env).flatMap((entry, i) => {
          const env = asObject(entry) ?? {};
          const name = asString(env.name) ?? '';
          const value = asString(env.value) ?? '';
          if (!SECRET_NAME.test(name) || value === '') return [];
          return [{ field: `${container.path}.env[${i}].value`, problem: `${describeContainer(container)} sets ${name} to a literal value`, fix: 'take it from a Secret with valueFrom.secretKeyRef' }];
        }),
      ),
    ),
};
