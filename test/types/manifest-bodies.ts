/**
 * Type-level tests of `Manifest` bodies, checked by `npm run typecheck`: each `@ts-expect-error`
 * must meet an error, or tsc fails with "Unused '@ts-expect-error' directive". Never run.
 */
import { Construct } from 'constructs';
import { Manifest } from '../../constructs/manifest';

export function manifestBodies(scope: Construct): void {
  const template = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'x', image: 'nginx:1.16.1' }] } };
  new Manifest(scope, 'valid', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'x' },
    spec: { revisionHistoryLimit: 3, selector: { matchLabels: { app: 'x' } }, template },
  });

  new Manifest(scope, 'typo', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    // @ts-expect-error 'revisionHistoryLimt' does not exist in type 'IDeploymentSpec'
    spec: { revisionHistoryLimt: 3, selector: { matchLabels: { app: 'x' } }, template },
  });

  new Manifest(scope, 'nested-typo', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    // @ts-expect-error 'imagePullPolcy' does not exist in type 'IContainer'
    spec: { selector: {}, template: { spec: { containers: [{ name: 'x', image: 'nginx:1.16.1', imagePullPolcy: 'Always' }] } } },
  });

  new Manifest(scope, 'wrong-type', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    // @ts-expect-error Type 'string' is not assignable to type 'number'
    spec: { replicas: '2', selector: {}, template },
  });

  // @ts-expect-error a kind under the wrong apiVersion ('Deployment' is not a kind of v1)
  new Manifest(scope, 'wrong-group', { apiVersion: 'v1', kind: 'Deployment', spec: { selector: {}, template } });

  new Manifest(scope, 'enum', {
    apiVersion: 'v1',
    kind: 'Service',
    // @ts-expect-error Type '"Loadbalancer"' is not assignable; did you mean '"LoadBalancer"'?
    spec: { type: 'Loadbalancer', ports: [{ port: 80 }] },
  });
}
