import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { nameTag, ownedTags } from './tags';

export interface SecurityGroupsArgs {
  readonly clusterName: string;
  readonly vpcId: pulumi.Input<string>;
  /** Source of the NodePort rule: in-VPC clients (bastion/sshuttle users, internal load balancers). */
  readonly vpcCidr: string;
  /**
   * CIDRs allowed to SSH to the bastion.
   * @default [] (no rule: the bastion is closed)
   */
  readonly bastionAllowedCidrs?: readonly string[];
  /**
   * Create the group of the internal API load balancer (environments with more than one control plane).
   * @default false
   */
  readonly apiLoadBalancer?: boolean;
}

const KUBE_API = { protocol: 'tcp', from: 6443, to: 6443 } as const;
const ETCD = { protocol: 'tcp', from: 2379, to: 2380 } as const;
const KUBELET = { protocol: 'tcp', from: 10250, to: 10250 } as const;
/** Flannel VXLAN; 4789 (not Linux's 8472) because Windows overlay networking requires it. */
const VXLAN = { protocol: 'udp', from: 4789, to: 4789 } as const;
const SSH = { protocol: 'tcp', from: 22, to: 22 } as const;
const NODE_PORTS = { protocol: 'tcp', from: 30000, to: 32767 } as const;

const ALL = { protocol: '-1', from: 0, to: 0 } as const;

type Port = { readonly protocol: 'tcp' | 'udp' | '-1'; readonly from: number; readonly to: number };
type Role = 'bastion' | 'control-plane' | 'nodes' | 'api-lb';

/**
 * The cluster's firewall. Every ingress rule names its source group; the only CIDR sources are the
 * VPC (NodePorts) and the configured bastion CIDRs. Rules for load balancers of `type: LoadBalancer`
 * Services are added to the nodes group by the AWS cloud-controller-manager, which finds it by its
 * `kubernetes.io/cluster/<cluster>` tag (only this group carries it, as the CCM requires).
 *
 * The API load balancer (prod) is a network load balancer WITH a security group and client IP
 * preservation off, so the control planes see its group as the source of 6443 traffic and no VPC-wide
 * 6443 rule is needed.
 */
export class SecurityGroups extends pulumi.ComponentResource {
  readonly bastionId: pulumi.Output<string>;
  readonly controlPlaneId: pulumi.Output<string>;
  readonly nodesId: pulumi.Output<string>;
  /** Only when `apiLoadBalancer` is set. */
  readonly apiLoadBalancerId?: pulumi.Output<string>;

  constructor(name: string, args: SecurityGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('k8s-book-systems:infra:SecurityGroups', name, {}, opts);
    const { clusterName, vpcId } = args;

    const group = (role: Role, description: string, tags = nameTag(clusterName, role)) =>
      new aws.ec2.SecurityGroup(`${name}-${role}`, { vpcId, description, tags, revokeRulesOnDelete: true }, { parent: this });
    const groups: Partial<Record<Role, aws.ec2.SecurityGroup>> = {
      bastion: group('bastion', 'SSH jump host and sshuttle endpoint'),
      'control-plane': group('control-plane', 'Kubernetes control plane: API server, etcd, kubelet'),
      nodes: group('nodes', 'Kubernetes worker nodes', ownedTags(clusterName, 'nodes')),
      ...(args.apiLoadBalancer ? { 'api-lb': group('api-lb', 'Internal network load balancer in front of the API servers') } : {}),
    };
    const idOf = (role: Role) => groups[role]!.id;

    const rule = (
      kind: 'ingress' | 'egress',
      target: Role,
      purpose: string,
      port: Port,
      peer: { readonly group: Role } | { readonly cidr: string },
    ) => {
      const peerName = 'group' in peer ? peer.group : peer.cidr.replace(/[./]/g, '-');
      const ruleArgs = {
        securityGroupId: idOf(target),
        description: `${purpose} ${kind === 'ingress' ? 'from' : 'to'} ${'group' in peer ? peer.group : peer.cidr}`,
        ipProtocol: port.protocol,
        fromPort: port.protocol === '-1' ? undefined : port.from,
        toPort: port.protocol === '-1' ? undefined : port.to,
        ...('group' in peer ? { referencedSecurityGroupId: idOf(peer.group) } : { cidrIpv4: peer.cidr }),
      };
      const ruleName = `${name}-${target}-${purpose}-${kind === 'ingress' ? 'from' : 'to'}-${peerName}`;
      if (kind === 'ingress') new aws.vpc.SecurityGroupIngressRule(ruleName, ruleArgs, { parent: this });
      else new aws.vpc.SecurityGroupEgressRule(ruleName, ruleArgs, { parent: this });
    };
    const ingress = (target: Role, purpose: string, port: Port, sources: readonly Role[]) =>
      sources.forEach((source) => rule('ingress', target, purpose, port, { group: source }));

    for (const cidr of args.bastionAllowedCidrs ?? []) rule('ingress', 'bastion', 'ssh', SSH, { cidr });

    const apiClients: Role[] = ['control-plane', 'nodes', 'bastion'];
    ingress('control-plane', 'kube-api', KUBE_API, args.apiLoadBalancer ? [...apiClients, 'api-lb'] : apiClients);
    if (args.apiLoadBalancer) {
      ingress('api-lb', 'kube-api', KUBE_API, apiClients);
      rule('egress', 'api-lb', 'kube-api', KUBE_API, { group: 'control-plane' });
    }
    ingress('control-plane', 'etcd', ETCD, ['control-plane']);
    ingress('control-plane', 'kubelet', KUBELET, ['control-plane']);
    // metrics-server runs on a worker and scrapes every kubelet.
    ingress('nodes', 'kubelet', KUBELET, ['control-plane', 'nodes']);
    for (const target of ['control-plane', 'nodes'] as const) {
      ingress(target, 'vxlan', VXLAN, ['control-plane', 'nodes']);
      ingress(target, 'ssh', SSH, ['bastion']);
    }
    rule('ingress', 'nodes', 'node-ports', NODE_PORTS, { cidr: args.vpcCidr });

    // Instances reach package mirrors, image registries and AWS APIs through the NAT gateways.
    for (const target of ['bastion', 'control-plane', 'nodes'] as const) {
      rule('egress', target, 'all', ALL, { cidr: '0.0.0.0/0' });
    }

    this.bastionId = idOf('bastion');
    this.controlPlaneId = idOf('control-plane');
    this.nodesId = idOf('nodes');
    this.apiLoadBalancerId = groups['api-lb']?.id;
    this.registerOutputs({
      bastionId: this.bastionId,
      controlPlaneId: this.controlPlaneId,
      nodesId: this.nodesId,
      apiLoadBalancerId: this.apiLoadBalancerId,
    });
  }
}
