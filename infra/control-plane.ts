import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { ubuntuAmiId } from './ami';
import { ApiEndpoint, renderControlPlaneUserData } from './bootstrap';
import { encryptedRootVolume, imdsV2 } from './hardening';
import { AwsEnvironment } from './settings';
import { nameTag, ownedTags } from './tags';

export const API_SERVER_PORT = 6443;

/** Control plane N gets host address `FIRST_HOST_OFFSET + N / zones` of its zone's private subnet. */
const FIRST_HOST_OFFSET = 10;

/** The cluster secrets, as Pulumi secrets; they reach the instances only inside user-data. */
export interface ControlPlaneSecrets {
  readonly caCertPem: pulumi.Output<string>;
  readonly caKeyPem: pulumi.Output<string>;
  readonly bootstrapToken: pulumi.Output<string>;
  readonly certificateKey: pulumi.Output<string>;
}

export interface ControlPlaneArgs {
  readonly env: AwsEnvironment;
  readonly vpcId: pulumi.Input<string>;
  /** Parallel to the environment's availability zones. */
  readonly privateSubnetIds: readonly pulumi.Input<string>[];
  readonly securityGroupId: pulumi.Input<string>;
  /** Required when the environment has more than one control plane. */
  readonly apiLoadBalancerSecurityGroupId?: pulumi.Input<string>;
  readonly instanceProfile: pulumi.Input<string>;
  readonly secrets: ControlPlaneSecrets;
  /** @default none */
  readonly keyName?: pulumi.Input<string>;
}

/**
 * `count` control planes spread over the zones, at fixed private addresses so the endpoint is known
 * before any instance exists. With one control plane the endpoint is its address; with more, an
 * internal network load balancer on 6443 is the `--control-plane-endpoint`.
 */
export class ControlPlane extends pulumi.ComponentResource {
  readonly endpoint: pulumi.Output<ApiEndpoint>;
  readonly privateIps: readonly string[];

  constructor(name: string, args: ControlPlaneArgs, opts?: pulumi.ComponentResourceOptions) {
    super('k8s-book-systems:infra:ControlPlane', name, {}, opts);
    const { env } = args;
    const { network, controlPlane } = env.provider;
    const clusterName = env.cluster.name;
    if (!Number.isInteger(controlPlane.count) || controlPlane.count < 1 || controlPlane.count % 2 === 0) {
      throw new Error(
        `ControlPlane ${name}: provider.controlPlane.count is ${controlPlane.count} in environment "${env.name}"; ` +
          'use an odd number (1 or 3) so etcd keeps quorum',
      );
    }
    const zones = network.availabilityZones;
    const placements = Array.from({ length: controlPlane.count }, (_, index) => ({
      index,
      zone: zones[index % zones.length],
      subnetId: args.privateSubnetIds[index % zones.length],
      privateIp: hostAddress(network.privateSubnetCidrs[index % zones.length], FIRST_HOST_OFFSET + Math.floor(index / zones.length)),
    }));

    const loadBalancer = controlPlane.count > 1 ? this.apiLoadBalancer(name, args, placements) : undefined;
    this.endpoint = loadBalancer
      ? loadBalancer.dnsName.apply((host) => ({ host, port: API_SERVER_PORT }))
      : pulumi.output({ host: placements[0].privateIp, port: API_SERVER_PORT });

    const ami = ubuntuAmiId(controlPlane.arch, { parent: this });
    let first: aws.ec2.Instance | undefined;
    for (const placement of placements) {
      const userData = pulumi.secret(
        pulumi
          .all([this.endpoint, args.secrets.caCertPem, args.secrets.caKeyPem, args.secrets.bootstrapToken, args.secrets.certificateKey])
          .apply(([endpoint, caCertPem, caKeyPem, bootstrapToken, certificateKey]) =>
            renderControlPlaneUserData(env, {
              role: placement.index === 0 ? 'init' : 'join',
              endpoint,
              secrets: { caCertPem, caKeyPem, bootstrapToken, certificateKey },
              index: placement.index,
            }),
          ),
      );
      const instance: aws.ec2.Instance = new aws.ec2.Instance(
        `${name}-${placement.index}`,
        {
          ami,
          instanceType: controlPlane.instanceType,
          subnetId: placement.subnetId,
          privateIp: placement.privateIp,
          associatePublicIpAddress: false,
          vpcSecurityGroupIds: [args.securityGroupId],
          iamInstanceProfile: args.instanceProfile,
          keyName: args.keyName,
          userData,
          metadataOptions: imdsV2(2),
          rootBlockDevice: encryptedRootVolume(50),
          tags: ownedTags(clusterName, `control-plane-${placement.index}`),
          volumeTags: ownedTags(clusterName, `control-plane-${placement.index}`),
        },
        {
          parent: this,
          // Joiners start after the first control plane exists (they retry until its init is done).
          dependsOn: first ? [first] : [],
          // user-data runs once, on first boot, and a new AMI must not silently replace etcd members:
          // control planes are replaced deliberately, one at a time (`pulumi up --replace <urn>`).
          ignoreChanges: ['ami', 'userData'],
          // The user-data holds the CA key: keep it secret in state and visible as secret to policies.
          additionalSecretOutputs: ['userData'],
        },
      );
      first ??= instance;
    }

    this.privateIps = placements.map((p) => p.privateIp);
    this.registerOutputs({ endpoint: this.endpoint, privateIps: this.privateIps });
  }

  /**
   * Internal NLB with a security group, IP targets and client IP preservation off: a control plane that
   * dials the endpoint and is routed to itself is not dropped (NLB hairpinning), and the API servers see
   * the load balancer's group as the source.
   */
  private apiLoadBalancer(
    name: string,
    args: ControlPlaneArgs,
    placements: readonly { readonly index: number; readonly privateIp: string }[],
  ): aws.lb.LoadBalancer {
    const clusterName = args.env.cluster.name;
    if (!args.apiLoadBalancerSecurityGroupId) {
      throw new Error(
        `ControlPlane ${name}: ${placements.length} control planes sit behind a load balancer; pass ` +
          'apiLoadBalancerSecurityGroupId (SecurityGroups with apiLoadBalancer: true)',
      );
    }
    const child = { parent: this };
    const loadBalancer = new aws.lb.LoadBalancer(
      `${name}-api`,
      {
        loadBalancerType: 'network',
        internal: true,
        subnets: [...args.privateSubnetIds],
        securityGroups: [args.apiLoadBalancerSecurityGroupId],
        enableCrossZoneLoadBalancing: true,
        tags: ownedTags(clusterName, 'api'),
      },
      child,
    );
    const targetGroup = new aws.lb.TargetGroup(
      `${name}-api`,
      {
        vpcId: args.vpcId,
        port: API_SERVER_PORT,
        protocol: 'TCP',
        targetType: 'ip',
        preserveClientIp: 'false',
        // /readyz is readable anonymously (system:public-info-viewer) and fails while etcd is unreachable.
        healthCheck: {
          protocol: 'HTTPS',
          port: String(API_SERVER_PORT),
          path: '/readyz',
          matcher: '200',
          interval: 10,
          healthyThreshold: 2,
          unhealthyThreshold: 2,
        },
        tags: nameTag(clusterName, 'api'),
      },
      child,
    );
    for (const placement of placements) {
      new aws.lb.TargetGroupAttachment(
        `${name}-api-${placement.index}`,
        { targetGroupArn: targetGroup.arn, targetId: placement.privateIp, port: API_SERVER_PORT },
        child,
      );
    }
    new aws.lb.Listener(
      `${name}-api`,
      {
        loadBalancerArn: loadBalancer.arn,
        port: API_SERVER_PORT,
        protocol: 'TCP',
        defaultActions: [{ type: 'forward', targetGroupArn: targetGroup.arn }],
        tags: nameTag(clusterName, 'api'),
      },
      child,
    );
    return loadBalancer;
  }
}

/** The `offset`-th address of an IPv4 CIDR; AWS reserves offsets 0-3, so callers start above them. */
export function hostAddress(cidr: string, offset: number): string {
  const [address, prefix] = cidr.split('/');
  const base = address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const size = 2 ** (32 - Number(prefix));
  if (offset < 4 || offset >= size - 1) {
    throw new Error(`host offset ${offset} is outside the usable addresses of ${cidr} (4..${size - 2})`);
  }
  const n = base + offset;
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}
