/** The tag the AWS cloud-controller-manager and cluster-autoscaler use to find the cluster's resources. */
export function clusterTagKey(clusterName: string): string {
  return `kubernetes.io/cluster/${clusterName}`;
}

/** `Name=<cluster>-<suffix>`: what a person sees in the console. */
export function nameTag(clusterName: string, suffix: string): Record<string, string> {
  return { Name: `${clusterName}-${suffix}` };
}

/** A resource that belongs to the cluster alone (subnets, instances, groups). */
export function ownedTags(clusterName: string, suffix: string): Record<string, string> {
  return { ...nameTag(clusterName, suffix), [clusterTagKey(clusterName)]: 'owned' };
}
