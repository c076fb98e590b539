/**
 * Shared vocabulary of the plan checks (naming, state secrecy, reachability, replaceability). Pure: they
 * read a plan (`dist/infra/<stack>.plan.json` or an offline run) and return findings, so `npm test` runs
 * them without cloud credentials, and each one fails on the committed broken plan fixtures.
 */
import { Finding, formatFinding } from '../../contracts/finding';
import { MASK, PlannedResource } from '../plan-record';

/** A plan check's finding: the project's one finding shape, so plan checks read like every other refusal. */
export type PlanFinding = Finding;
export const formatPlanFinding = formatFinding;

export { MASK };
export type { PlannedResource };

export type Obj = Record<string, unknown>;
export const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const objectOf = (r: PlannedResource) => `${r.type}::${r.name}`;

export const T = {
  SECURITY_GROUP: 'aws:ec2/securityGroup:SecurityGroup',
  INGRESS_RULE: 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule',
  EGRESS_RULE: 'aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule',
  LEGACY_RULE: 'aws:ec2/securityGroupRule:SecurityGroupRule',
  INSTANCE: 'aws:ec2/instance:Instance',
  LAUNCH_TEMPLATE: 'aws:ec2/launchTemplate:LaunchTemplate',
  LOAD_BALANCER: 'aws:lb/loadBalancer:LoadBalancer',
  TARGET_GROUP: 'aws:lb/targetGroup:TargetGroup',
  LISTENER: 'aws:lb/listener:Listener',
  ROLE: 'aws:iam/role:Role',
  INSTANCE_PROFILE: 'aws:iam/instanceProfile:InstanceProfile',
  ROLE_POLICY: 'aws:iam/rolePolicy:RolePolicy',
  ROLE_POLICY_ATTACHMENT: 'aws:iam/rolePolicyAttachment:RolePolicyAttachment',
  AUTOSCALING_GROUP: 'aws:autoscaling/group:Group',
  SSM_PARAMETER: 'aws:ssm/parameter:Parameter',
  AWS_PROVIDER: 'pulumi:providers:aws',
  K8S_PROVIDER: 'pulumi:providers:kubernetes',
} as const;

/**
 * The offline mocks give every resource the id `<logical name>-id` and the name `inputs.name ?? logical
 * name`; a plan relates resources through those.
 */
export function byId(plan: readonly PlannedResource[], id: unknown, type?: string): PlannedResource | undefined {
  if (typeof id === 'object' && id !== null && 'resource' in id) {
    return plan.find((r) => r.name === (id as { resource: string }).resource && (!type || r.type === type));
  }
  return plan.find((r) => `${r.name}-id` === id && (!type || r.type === type));
}

export function byName(plan: readonly PlannedResource[], type: string, name: unknown): PlannedResource | undefined {
  return plan.find((r) => r.type === type && ((r.inputs.name ?? r.name) === name || r.name === name));
}

export function tagsOf(r: PlannedResource | undefined): Record<string, string> {
  return obj(r?.inputs.tags) as Record<string, string>;
}

export const isMasked = (v: unknown) => v === MASK;
