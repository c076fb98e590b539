import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { ubuntuAmiId } from './ami';
import { ApiEndpoint, ClusterStore, renderControlPlaneUserData } from './bootstrap';
import { apiEndpoint } from './endpoint';
import { API_SERVER_PORT } from './firewall';
import { encryptedRootVolume, imdsV2 } from './hardening';
import { AwsEnvironment } from './settings';
import { nameTag, ownedTags } from './tags';

export { API_SERVER_PORT };

/**
 * What a `pulumi up` must never change on a running control plane: user-data runs once, at first boot; a
 * new AMI or SSH key would otherwise replace every etcd member at once. Control planes are replaced
 * deliberately, one at a time (README, "Replace a control plane").
 */
export const CONTROL_PLANE_IGNORE_CHANGES = ['ami', 'userData', 'keyName'] as const;

export interface ControlPlaneArgs {
  readonly env: AwsEnvironment;
  readonly vpcId: pulumi.Input<string>;
  /** Parallel to the environment's availability zones. */
  readonly privateSubnetIds: readonly pulumi.Input<string>[];
  /** The stack's private hosted zone (`<cluster>.internal`), associated with the VPC. */
  readonly zoneId: pulumi.Input<string>;
  readonly securityGroupId: pulumi.Input<string>;
  /** Required when the environment has more than one control plane. */
  readonly apiLoadBalancerSecurityGroupId?: pulumi.Input<string>;
  readonly instanceProfile: pulumi.Input<string>;
  /** The cluster CA certificate (public). */
  readonly caCertPem: pulumi.Output<string>;
  /** Where the control planes read the secrets and add-ons (ClusterStore). */
  readonly store: pulumi.Output<ClusterStore>;
  /** @default none */
  readonly keyName?: pulumi.Input<string>;
}

/**
 * `count` control planes spread over the zones, at addresses AWS picks (a fixed address would make a
 * replacement wait for the old instance to release it). The endpoint is a name in the stack's private
 * hosted zone, known before any instance exists: with one control plane it points at its address; with
 * more, at an internal network load balancer on 6443 that targets the instances by id.
 */
export class ControlPlane extends pulumi.ComponentResource {
  readonly endpoint: pulumi.Output<ApiEndpoint>;
  readonly instanceIds: pulumi.Output<string>[];

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
    }));
    this.endpoint = pulumi.output(apiEndpoint(env));

    const ami = ubuntuAmiId(controlPlane.arch, { parent: this });
    const instances: aws.ec2.Instance[] = [];
    for (const placement of placements) {
      // No secret in it: the CA key, the certificate key and the token come from SSM at boot.
      const userData = pulumi.all([this.endpoint, args.caCertPem, args.store]).apply(([endpoint, caCertPem, store]) =>
        renderControlPlaneUserData(env, { role: placement.index === 0 ? 'init' : 'join', endpoint, caCertPem, store, index: placement.index }),
      );
      const instance: aws.ec2.Instance = new aws.ec2.Instance(
        `${name}-${placement.index}`,
        {
          ami,
          instanceType: controlPlane.instanceType,
          subnetId: placement.subnetId,
          associatePublicIpAddress: false,
          vpcSecurityGroupIds: [args.securityGroupId],
          iamInstanceProfile: args.instanceProfile,
          keyName: args.keyName,
          userData,
          // Hop limit 1: pods on the pod network cannot reach IMDS (and the role); hostNetwork agents
          // (the cloud-controller-manager) still can.
          metadataOptions: imdsV2(1),
          rootBlockDevice: encryptedRootVolume(50),
          tags: ownedTags(clusterName, `control-plane-${placement.index}`),
          volumeTags: ownedTags(clusterName, `control-plane-${placement.index}`),
        },
        {
          parent: this,
          // Joiners start after the first control plane exists (they retry until its init is done).
          dependsOn: instances.length > 0 ? [instances[0]] : [],
          ignoreChanges: [...CONTROL_PLANE_IGNORE_CHANGES],
        },
      );
      instances.push(instance);
    }

    const record = { zoneId: args.zoneId, name: this.endpoint.host, type: 'A' };
    if (controlPlane.count > 1) {
      const loadBalancer = this.apiLoadBalancer(name, args, instances);
      new aws.route53.Record(
        `${name}-api`,
        { ...record, aliases: [{ name: loadBalancer.dnsName, zoneId: loadBalancer.zoneId, evaluateTargetHealth: false }] },
        { parent: this },
      );
    } else {
      // A replacement control plane gets a new address: the record follows it.
      new aws.route53.Record(`${name}-api`, { ...record, ttl: 30, records: [instances[0].privateIp] }, { parent: this });
    }

    this.instanceIds = instances.map((i) => i.id);
    this.registerOutputs({ endpoint: this.endpoint, instanceIds: this.instanceIds });
  }

  /**
   * Internal NLB with a security group, IP targets and client IP preservation off: a control plane that
   * dials the endpoint and is routed to itself is not dropped (NLB hairpinning), and the API servers see
   * the load balancer's group as the source.
   */
  private apiLoadBalancer(
    name: string,
    args: ControlPlaneArgs,
    instances: readonly aws.ec2.Instance[],
  ): aws.lb.LoadBalancer {
    const clusterName = args.env.cluster.name;
    if (!args.apiLoadBalancerSecurityGroupId) {
      throw new Error(
        `ControlPlane ${name}: ${instances.length} control planes sit behind a load balancer; pass ` +
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
        // Instance targets: a replaced control plane is re-registered by id, whatever its new address.
        targetType: 'instance',
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
    instances.forEach((instance, index) => {
      new aws.lb.TargetGroupAttachment(
        `${name}-api-${index}`,
        { targetGroupArn: targetGroup.arn, targetId: instance.id, port: API_SERVER_PORT },
        child,
      );
    });
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

