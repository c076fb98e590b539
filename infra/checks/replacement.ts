/**
 * Day-2 safety of the plan: control planes must be replaceable one at a time, and applying manifests
 * needs a path to the private API endpoint.
 */
import { PlanFinding, PlannedResource, T, objectOf, tagsOf } from './common';

/** What must never replace a running control plane on `pulumi up`. */
export const CONTROL_PLANE_STICKY_INPUTS = ['ami', 'userData', 'keyName'] as const;

/** The options a plan file does not carry, from an offline run (`OfflineRun.options`). */
export type OptionsByResource = ReadonlyMap<string, { readonly ignoreChanges: readonly string[] }>;

const isControlPlane = (r: PlannedResource) => r.type === T.INSTANCE && /-control-plane-\d+$/.test(tagsOf(r).Name ?? r.name);

export function checkControlPlaneReplacement(file: string, plan: readonly PlannedResource[], options?: OptionsByResource): PlanFinding[] {
  const rule = 'control-plane-replacement';
  return plan.filter(isControlPlane).flatMap((r): PlanFinding[] => {
    const findings: PlanFinding[] = [];
    if (r.inputs.privateIp !== undefined) {
      findings.push({
        rule,
        severity: 'error',
        file,
        object: objectOf(r),
        field: 'privateIp',
        problem: 'the control plane has a fixed private address, and Pulumi creates a replacement before deleting the old instance, which still holds it',
        fix: 'let AWS pick the address and name the endpoint in the private zone',
      });
    }
    const recorded = options?.get(objectOf(r));
    const missing = recorded ? CONTROL_PLANE_STICKY_INPUTS.filter((input) => !recorded.ignoreChanges.includes(input)) : [];
    if (missing.length > 0) {
      findings.push({
        rule,
        severity: 'error',
        file,
        object: objectOf(r),
        field: 'ignoreChanges',
        problem: `a change of ${missing.join(', ')} would replace the control plane, and every control plane at once (etcd loses quorum)`,
        fix: `add ${JSON.stringify(missing)} to its ignoreChanges and replace control planes one at a time (README)`,
      });
    }
    return findings;
  });
}

/**
 * A Kubernetes provider in a stack whose API endpoint is private works only through the operator's
 * tunnel, which the stack must declare (`apiTunnelPort`).
 */
export function checkManifestDeployment(file: string, plan: readonly PlannedResource[], settings: { readonly tunnelDeclared: boolean }): PlanFinding[] {
  const privateEndpoint = plan.some(isControlPlane) && !plan.some((r) => r.type === T.INSTANCE && r.inputs.associatePublicIpAddress === true && isControlPlane(r));
  if (!privateEndpoint || settings.tunnelDeclared) return [];
  return plan
    .filter((r) => r.type === T.K8S_PROVIDER)
    .map((r) => ({
      rule: 'manifest-deployment',
      severity: 'error',
      file,
      object: objectOf(r),
      problem:
        'the Kubernetes provider dials the API endpoint, which is private to the VPC, and the stack declares no tunnel (apiTunnelPort), so `pulumi up` cannot reach it',
      fix: 'bring the cluster up with deployManifests off, open the tunnel with $(pulumi stack output apiTunnelCommand), set apiTunnelPort, then turn deployManifests on',
    }));
}
