/**
 * Names the day-2 procedures need before anything exists: auto scaling group names and the URNs of the
 * resources `pulumi up --replace` targets. Pure; the tests compare them with an offline run.
 */
import type { NodePool } from '../environments';
import type { AwsEnvironment } from './settings';

export const PROJECT = 'k8s-book-systems';

/** The pool's group name: the node's user-data reports its bootstrap to it, so it is fixed, not autonamed. */
export function autoScalingGroupNameOf(env: AwsEnvironment, pool: NodePool): string {
  return `${env.cluster.name}-${pool.name}`;
}

/** `urn:pulumi:<stack>::<project>::<parent type>$<type>::<name>` of a child of one of our components. */
export function childUrn(stack: string, componentType: string, type: string, name: string): string {
  return `urn:pulumi:${stack}::${PROJECT}::${componentType}$${type}::${name}`;
}

export function controlPlaneUrn(env: AwsEnvironment, index: number): string {
  return childUrn(env.name, 'k8s-book-systems:infra:ControlPlane', 'aws:ec2/instance:Instance', `control-plane-${index}`);
}

export function bootstrapTokenSecretUrn(env: AwsEnvironment): string {
  return childUrn(env.name, 'k8s-book-systems:infra:ClusterPki', 'random:index/randomPassword:RandomPassword', 'pki-token-secret');
}

export function adminCertificateUrn(env: AwsEnvironment): string {
  return childUrn(env.name, 'k8s-book-systems:infra:AdminKubeconfig', 'tls:index/locallySignedCert:LocallySignedCert', 'admin-kubeconfig');
}
