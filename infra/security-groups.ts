import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { Environment } from '../environments';
import {
  FirewallSettings,
  GroupRole,
  SECURITY_GROUP_DESCRIPTIONS,
  securityGroupNamePrefix,
  securityGroupNameTag,
  securityGroupRoles,
  securityGroupRules,
} from './firewall';
import { clusterTagKey } from './tags';

export interface SecurityGroupsArgs {
  readonly env: Environment;
  readonly vpcId: pulumi.Input<string>;
  readonly settings: FirewallSettings;
}

/**
 * The cluster's firewall (infra/firewall.ts) as resources: one group per role, named by prefix (AWS
 * refuses names starting with `sg-`), and one standalone rule per firewall rule. Only the nodes group
 * carries the `kubernetes.io/cluster/<cluster>` tag: the AWS cloud-controller-manager adds the rules of
 * `type: LoadBalancer` Services to the one group so tagged.
 *
 * The API load balancer (prod) is a network load balancer WITH a security group and client IP
 * preservation off, so the control planes see its group as the source of 6443 traffic and no VPC-wide
 * 6443 rule is needed.
 */
export class SecurityGroups extends pulumi.ComponentResource {
  readonly bastionId: pulumi.Output<string>;
  readonly controlPlaneId: pulumi.Output<string>;
  readonly nodesId: pulumi.Output<string>;
  /** Only with more than one control plane. */
  readonly apiLoadBalancerId?: pulumi.Output<string>;

  constructor(name: string, args: SecurityGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('k8s-book-systems:infra:SecurityGroups', name, {}, opts);
    const { env, vpcId } = args;
    const clusterName = env.cluster.name;

    const groups = new Map<GroupRole, aws.ec2.SecurityGroup>();
    for (const role of securityGroupRoles(env)) {
      const tags: Record<string, string> = { Name: securityGroupNameTag(clusterName, role) };
      if (role === 'nodes') tags[clusterTagKey(clusterName)] = 'owned';
      groups.set(
        role,
        new aws.ec2.SecurityGroup(
          `${name}-${role}`,
          {
            namePrefix: securityGroupNamePrefix(clusterName, role),
            vpcId,
            description: SECURITY_GROUP_DESCRIPTIONS[role],
            tags,
            revokeRulesOnDelete: true,
          },
          // A changed description replaces the group; the prefix lets the new one exist next to the old one.
          { parent: this },
        ),
      );
    }
    const idOf = (role: GroupRole) => groups.get(role)!.id;

    for (const rule of securityGroupRules(env, args.settings)) {
      const { kind, group, purpose, port, peer } = rule;
      const peerName = 'group' in peer ? peer.group : peer.cidr.replace(/[./]/g, '-');
      const ruleArgs = {
        securityGroupId: idOf(group),
        description: `${purpose} ${kind === 'ingress' ? 'from' : 'to'} ${'group' in peer ? peer.group : peer.cidr}`,
        ipProtocol: port.protocol,
        fromPort: port.protocol === '-1' ? undefined : port.from,
        toPort: port.protocol === '-1' ? undefined : port.to,
        ...('group' in peer ? { referencedSecurityGroupId: idOf(peer.group) } : { cidrIpv4: peer.cidr }),
      };
      const ruleName = `${name}-${group}-${purpose}-${kind === 'ingress' ? 'from' : 'to'}-${peerName}`;
      if (kind === 'ingress') new aws.vpc.SecurityGroupIngressRule(ruleName, ruleArgs, { parent: this });
      else new aws.vpc.SecurityGroupEgressRule(ruleName, ruleArgs, { parent: this });
    }

    this.bastionId = idOf('bastion');
    this.controlPlaneId = idOf('control-plane');
    this.nodesId = idOf('nodes');
    this.apiLoadBalancerId = groups.get('api-lb')?.id;
    this.registerOutputs({
      bastionId: this.bastionId,
      controlPlaneId: this.controlPlaneId,
      nodesId: this.nodesId,
      apiLoadBalancerId: this.apiLoadBalancerId,
    });
  }
}
