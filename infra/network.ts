import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { AwsNetwork } from '../environments';
import { clusterTagKey, nameTag, ownedTags } from './tags';

export interface NetworkArgs {
  readonly clusterName: string;
  /** Zones, CIDRs and the NAT layout, from the environment. */
  readonly network: AwsNetwork;
}

/**
 * The cluster VPC: per zone a public subnet (internet gateway; internet-facing load balancers,
 * bastion, NAT) and a private subnet (NAT egress; control planes, nodes, internal load balancers).
 */
export class Network extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  readonly vpcCidr: string;
  /** Parallel to the environment's availability zones. */
  readonly publicSubnetIds: pulumi.Output<string>[];
  /** Parallel to the environment's availability zones. */
  readonly privateSubnetIds: pulumi.Output<string>[];

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super('k8s-book-systems:infra:Network', name, {}, opts);
    const { clusterName, network } = args;
    const zones = network.availabilityZones;
    if (network.publicSubnetCidrs.length !== zones.length || network.privateSubnetCidrs.length !== zones.length) {
      throw new Error(
        `Network ${name}: ${zones.length} availability zones need ${zones.length} public and ${zones.length} private ` +
          `subnet CIDRs, got ${network.publicSubnetCidrs.length} and ${network.privateSubnetCidrs.length}; ` +
          'make publicSubnetCidrs and privateSubnetCidrs parallel to availabilityZones in the environment',
      );
    }
    const child = { parent: this };

    const vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: network.vpcCidr,
        enableDnsSupport: true,
        enableDnsHostnames: true,
        tags: { ...nameTag(clusterName, 'vpc'), [clusterTagKey(clusterName)]: 'shared' },
      },
      child,
    );
    const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: nameTag(clusterName, 'igw') }, child);

    const publicRoutes = new aws.ec2.RouteTable(
      `${name}-public`,
      { vpcId: vpc.id, routes: [{ cidrBlock: '0.0.0.0/0', gatewayId: igw.id }], tags: nameTag(clusterName, 'public') },
      child,
    );

    const publicSubnets = zones.map(
      (zone, i) =>
        new aws.ec2.Subnet(
          `${name}-public-${zone}`,
          {
            vpcId: vpc.id,
            availabilityZone: zone,
            cidrBlock: network.publicSubnetCidrs[i],
            // Only the bastion gets a public address, and it asks for one explicitly.
            mapPublicIpOnLaunch: false,
            tags: { ...ownedTags(clusterName, `public-${zone}`), 'kubernetes.io/role/elb': '1' },
          },
          child,
        ),
    );
    publicSubnets.forEach(
      (subnet, i) =>
        new aws.ec2.RouteTableAssociation(
          `${name}-public-${zones[i]}`,
          { subnetId: subnet.id, routeTableId: publicRoutes.id },
          child,
        ),
    );

    // `single`: one NAT in the first zone serves every private subnet; `per-az`: a zone outage keeps egress.
    const natZones = network.natGateways === 'per-az' ? zones : zones.slice(0, 1);
    const natGateways = natZones.map((zone, i) => {
      const eip = new aws.ec2.Eip(`${name}-nat-${zone}`, { domain: 'vpc', tags: nameTag(clusterName, `nat-${zone}`) }, child);
      return new aws.ec2.NatGateway(
        `${name}-nat-${zone}`,
        { allocationId: eip.id, subnetId: publicSubnets[i].id, tags: nameTag(clusterName, `nat-${zone}`) },
        { parent: this, dependsOn: [igw] },
      );
    });

    const privateSubnets = zones.map((zone, i) => {
      const subnet = new aws.ec2.Subnet(
        `${name}-private-${zone}`,
        {
          vpcId: vpc.id,
          availabilityZone: zone,
          cidrBlock: network.privateSubnetCidrs[i],
          mapPublicIpOnLaunch: false,
          tags: { ...ownedTags(clusterName, `private-${zone}`), 'kubernetes.io/role/internal-elb': '1' },
        },
        child,
      );
      const routes = new aws.ec2.RouteTable(
        `${name}-private-${zone}`,
        {
          vpcId: vpc.id,
          routes: [{ cidrBlock: '0.0.0.0/0', natGatewayId: natGateways[Math.min(i, natGateways.length - 1)].id }],
          tags: nameTag(clusterName, `private-${zone}`),
        },
        child,
      );
      new aws.ec2.RouteTableAssociation(`${name}-private-${zone}`, { subnetId: subnet.id, routeTableId: routes.id }, child);
      return subnet;
    });

    this.vpcId = vpc.id;
    this.vpcCidr = network.vpcCidr;
    this.publicSubnetIds = publicSubnets.map((s) => s.id);
    this.privateSubnetIds = privateSubnets.map((s) => s.id);
    this.registerOutputs({ vpcId: this.vpcId, publicSubnetIds: this.publicSubnetIds, privateSubnetIds: this.privateSubnetIds });
  }
}
