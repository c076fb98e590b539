import { isKind } from '../manifest';
import { asObject } from '../object';
import { Rule } from './rule';

/**
 * Secret values never belong in manifests (they are committed and reviewed in git): create them out of
 * band — a Pulumi secret through @pulumi/kubernetes, or a documented `kubectl create secret` step.
 */
export const secretLiteralData: Rule = {
  id: 'secret-literal-data',
  check: ({ manifests }) =>
    manifests.flatMap((manifest) => {
      if (!isKind(manifest, [''], 'Secret')) return [];
      const keys = ['data', 'stringData'].flatMap((field) => Object.keys(asObject(manifest.object[field]) ?? {}).map((key) => `${field}.${key}`));
      return keys.length === 0
        ? []
        : [{ manifest, message: `carries literal values (${keys.join(', ')}); create the Secret out of band (Pulumi secret or kubectl create secret) and keep only references in manifests` }];
    }),
};
