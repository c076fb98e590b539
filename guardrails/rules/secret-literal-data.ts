import { isKind } from '../manifest';
import { asObject } from '../object';
import { Rule } from './rule';

/**
 * Secret values never belong in manifests (they are committed and reviewed in git): create them out of
 * band — a Pulumi secret through @pulumi/kubernetes, or a documented `kubectl create secret` step.
 */
export const secretLiteralData: Rule = {
  id: 'secret-literal-data',
  severity: 'error',
  description: "Secret values never belong in manifests, which are committed and reviewed in git.",
  remediation: "Create the Secret out of band (a Pulumi secret through @pulumi/kubernetes, or kubectl create secret) and keep only references in manifests.",
  equivalents: { kubeLinter: [], kubeScore: [] },
  check: ({ manifests }) =>
    manifests.flatMap((manifest) => {
      if (!isKind(manifest, [''], 'Secret')) return [];
      const keys = ['data', 'stringData'].flatMap((field) => Object.keys(asObject(manifest.object[field]) ?? {}).map((key) => `${field}.${key}`));
      return keys.length === 0
        ? []
        : [{ manifest, field: keys[0].split('.')[0], problem: `carries literal values (${keys.join(', ')})`, fix: 'create the Secret out of band (Pulumi secret or kubectl create secret) and keep only references in manifests' }];
    }),
};
