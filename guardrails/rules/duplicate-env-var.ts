import { asArray, asObject, asString } from '../object';
import { checkTemplates, containersOf, describeContainer } from '../workload';
import { Rule } from './rule';

/** A container's env names are unique: with two, which value wins depends on the tool that applied it. */
export const duplicateEnvVar: Rule = {
  id: 'duplicate-env-var',
  severity: 'error',
  description:
    "A container's environment variable names are unique: env is a list keyed by name, so server-side apply rejects duplicates and with client-side apply the last one silently wins.",
  remediation: 'Keep one entry per name.',
  equivalents: { kubeLinter: ['duplicate-env-var'], kubeScore: ['environment-variable-key-duplication'] },
  check: ({ manifests }) =>
    checkTemplates(manifests, ({ spec }) =>
      containersOf(spec).flatMap((container) => {
        const seen = new Set<string>();
        // Indexes count every entry, so the field names the entry itself even after a malformed one.
        return asArray(container.spec.env).flatMap((entry, i) => {
          const name = asString(asObject(entry)?.name);
          if (name === undefined) return [];
          if (!seen.has(name)) {
            seen.add(name);
            return [];
          }
          return [{ field: `${container.path}.env[${i}].name`, problem: `${describeContainer(container)} sets environment variable ${name} more than once`, fix: 'keep one entry per name' }];
        });
      }),
    ),
};
