/**
 * The infrastructure side as `npm run plan` records it: `dist/infra/<stack>.plan.json`, a JSON array of
 * `{ type, name, inputs }` with secrets masked. Reading the plan (rather than infra's code) makes the
 * checks compare what the two halves actually produce.
 */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';

export interface PlannedResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Readonly<Record<string, unknown>>;
}

/** Where `npm run plan` writes, relative to this checkout (not to a synthesis' `distDir`). */
export const PLAN_DIR = join(__dirname, '..', 'dist', 'infra');

export function planPath(stack: string, dir = PLAN_DIR): string {
  return join(dir, `${stack}.plan.json`);
}

/** The stack's plan, or null when there is none. */
export function readPlan(stack: string, dir = PLAN_DIR): PlannedResource[] | null {
  const file = planPath(stack, dir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as PlannedResource[]) : null;
}

export const SECURITY_GROUP = 'aws:ec2/securityGroup:SecurityGroup';
export const INGRESS_RULE = 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule';

/**
 * The security group a rule's `securityGroupId` names. The offline mocks give every resource the id
 * `<logical name>-id`, so a plan relates resources by it.
 */
export function securityGroupOf(plan: readonly PlannedResource[], securityGroupId: unknown): PlannedResource | undefined {
  return plan.find((r) => r.type === SECURITY_GROUP && `${r.name}-id` === securityGroupId);
}

export function tagsOf(resource: PlannedResource | undefined): Record<string, string> {
  return (resource?.inputs.tags ?? {}) as Record<string, string>;
}

/** A TCP port range a security group admits from a CIDR. */
export interface AllowedRange {
  readonly rule: string;
  readonly cidr: string;
  readonly from: number;
  readonly to: number;
}

/** TCP ranges the group tagged `Name=<groupName>` admits from CIDR sources (all protocols count as TCP). */
export function tcpIngressFromCidrs(plan: readonly PlannedResource[], groupName: string): AllowedRange[] {
  return plan
    .filter((r) => r.type === INGRESS_RULE && tagsOf(securityGroupOf(plan, r.inputs.securityGroupId)).Name === groupName)
    .filter((r) => typeof r.inputs.cidrIpv4 === 'string' && (r.inputs.ipProtocol === 'tcp' || r.inputs.ipProtocol === '-1'))
    .map((r) => ({
      rule: r.name,
      cidr: r.inputs.cidrIpv4 as string,
      from: r.inputs.ipProtocol === '-1' ? 0 : Number(r.inputs.fromPort),
      to: r.inputs.ipProtocol === '-1' ? 65535 : Number(r.inputs.toPort),
    }));
}
