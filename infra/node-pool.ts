import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { NodePool as NodePoolSpec } from '../environments';
import { ubuntuAmiId, windowsAmiId } from './ami';
import { ApiEndpoint, ClusterStore, renderLinuxWorkerUserData, renderWindowsWorkerUserData } from './bootstrap';
import { encryptedRootVolumeMapping, imdsV2 } from './hardening';
import { autoScalingGroupNameOf } from './names';
import { AwsEnvironment } from './settings';
import { ownedTags } from './tags';

/** Windows Server with container images needs far more disk than Ubuntu. */
const ROOT_VOLUME_GB = { linux: 40, windows: 100 } as const;
/**
 * Seconds a new instance has to report its bootstrap (launch lifecycle hook) before the group abandons
 * it: at day 0 a worker waits for the first control plane's `kubeadm init` and add-ons; a Windows node
 * also reboots once for the Containers feature.
 */
export const BOOTSTRAP_TIMEOUT_SECONDS = { linux: 1800, windows: 3600 } as const;
export const LIFECYCLE_HOOK_NAME = 'kubeadm-join';



export interface NodePoolArgs {
  readonly env: AwsEnvironment;
  readonly pool: NodePoolSpec;
  /** Private subnets, one per zone. */
  readonly subnetIds: readonly pulumi.Input<string>[];
  readonly securityGroupId: pulumi.Input<string>;
  readonly instanceProfile: pulumi.Input<string>;
  readonly endpoint: pulumi.Output<ApiEndpoint>;
  /** Where the nodes read their join token (SSM SecureString). */
  readonly store: pulumi.Output<ClusterStore>;
  /** `sha256:<hex>` of the cluster CA's public key. */
  readonly discoveryHash: pulumi.Output<string>;
  /** @default none */
  readonly keyName?: pulumi.Input<string>;
}

/**
 * One worker pool of the environment: a launch template (AMI by OS and arch, kubeadm join user-data
 * carrying the pool's labels and taints) and an auto scaling group over the private subnets, tagged
 * for cluster-autoscaler auto-discovery. A new launch template version (a new AMI, a new Kubernetes
 * version) reaches only instances launched afterwards: no instance refresh, so `pulumi up` never
 * replaces running nodes; rolling a pool is an explicit, draining step (README, "Roll a node pool").
 * A launch lifecycle hook keeps an instance out of service until its bootstrap reports success.
 */
export class NodePool extends pulumi.ComponentResource {
  readonly autoScalingGroupName: pulumi.Output<string>;

  constructor(name: string, args: NodePoolArgs, opts?: pulumi.ComponentResourceOptions) {
    super('k8s-book-systems:infra:NodePool', name, {}, opts);
    const { env, pool } = args;
    validatePool(name, pool);
    const clusterName = env.cluster.name;
    const child = { parent: this };

    const imageId = pool.os === 'windows' ? windowsAmiId(pool.windowsBuild, child) : ubuntuAmiId(pool.arch, child);
    const render = pool.os === 'windows' ? renderWindowsWorkerUserData : renderLinuxWorkerUserData;
    const groupName = autoScalingGroupNameOf(env, pool);
    // No secret in it: the token comes from SSM at boot.
    const userData = pulumi.all([args.endpoint, args.discoveryHash, args.store]).apply(([endpoint, discoveryHash, store]) =>
      Buffer.from(
        render(env, pool, {
          endpoint,
          discoveryHash,
          region: store.region,
          tokenParameter: store.parameters.bootstrapToken,
          autoScalingGroupName: groupName,
          lifecycleHookName: LIFECYCLE_HOOK_NAME,
        }),
      ).toString('base64'),
    );
    const instanceTags = ownedTags(clusterName, `node-${pool.name}`);

    const launchTemplate = new aws.ec2.LaunchTemplate(
      name,
      {
        imageId,
        instanceType: pool.instanceTypes[0],
        userData,
        iamInstanceProfile: { name: args.instanceProfile },
        keyName: args.keyName,
        metadataOptions: imdsV2(1),
        blockDeviceMappings: [encryptedRootVolumeMapping(ROOT_VOLUME_GB[pool.os])],
        networkInterfaces: [
          { associatePublicIpAddress: 'false', deleteOnTermination: 'true', securityGroups: [args.securityGroupId] },
        ],
        tagSpecifications: [
          { resourceType: 'instance', tags: instanceTags },
          { resourceType: 'volume', tags: instanceTags },
        ],
        updateDefaultVersion: true,
        tags: instanceTags,
      },
      child,
    );

    const group = new aws.autoscaling.Group(
      name,
      {
        vpcZoneIdentifiers: [...args.subnetIds],
        minSize: pool.min,
        maxSize: pool.max,
        desiredCapacity: pool.desired,
        mixedInstancesPolicy: {
          launchTemplate: {
            // A new template version changes the group, which starts the instance refresh below.
            launchTemplateSpecification: { launchTemplateId: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
            overrides: pool.instanceTypes.map((instanceType) => ({ instanceType })),
          },
          instancesDistribution: { onDemandAllocationStrategy: 'prioritized', onDemandPercentageAboveBaseCapacity: 100 },
        },
        name: groupName,
        healthCheckType: 'EC2',
        healthCheckGracePeriod: BOOTSTRAP_TIMEOUT_SECONDS[pool.os],
        // The node completes the hook (CONTINUE) once Ready; a failed bootstrap or a timeout abandons it
        // and the group launches another.
        initialLifecycleHooks: [
          {
            name: LIFECYCLE_HOOK_NAME,
            lifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING',
            defaultResult: 'ABANDON',
            heartbeatTimeout: BOOTSTRAP_TIMEOUT_SECONDS[pool.os],
          },
        ],
        tags: autoScalingGroupTags(clusterName, pool),
      },
      // cluster-autoscaler owns the desired size once the group exists.
      { parent: this, ignoreChanges: ['desiredCapacity'] },
    );

    this.autoScalingGroupName = group.name;
    this.registerOutputs({ autoScalingGroupName: this.autoScalingGroupName });
  }
}

/**
 * Cluster ownership and cluster-autoscaler auto-discovery tags, propagated to the instances, plus the
 * node-template tags that let cluster-autoscaler scale a pool up from zero knowing its labels and taints.
 */
export function autoScalingGroupTags(clusterName: string, pool: NodePoolSpec) {
  const propagated = {
    ...ownedTags(clusterName, `node-${pool.name}`),
    'k8s.io/cluster-autoscaler/enabled': 'true',
    [`k8s.io/cluster-autoscaler/${clusterName}`]: 'owned',
  };
  const template = {
    ...Object.fromEntries(
      Object.entries(pool.labels).map(([key, value]) => [`k8s.io/cluster-autoscaler/node-template/label/${key}`, value]),
    ),
    ...Object.fromEntries(
      pool.taints.map((t) => [`k8s.io/cluster-autoscaler/node-template/taint/${t.key}`, `${t.value ?? ''}:${t.effect}`]),
    ),
  };
  return [
    ...Object.entries(propagated).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
    ...Object.entries(template).map(([key, value]) => ({ key, value, propagateAtLaunch: false })),
  ];
}

/** Graviton families carry a `g` after the generation digit (m7g, c6gn, t4g, x2gd). */
function isArm64InstanceType(instanceType: string): boolean {
  return /^[a-z]+\d+[a-z-]*g[a-z-]*\./.test(instanceType);
}

function validatePool(name: string, pool: NodePoolSpec): void {
  if (pool.instanceTypes.length === 0) {
    throw new Error(`NodePool ${name}: pool "${pool.name}" lists no instanceTypes; give at least one`);
  }
  const mismatched = pool.instanceTypes.filter((t) => isArm64InstanceType(t) !== (pool.arch === 'arm64'));
  if (mismatched.length > 0) {
    throw new Error(
      `NodePool ${name}: instance types ${mismatched.join(', ')} of pool "${pool.name}" do not run ${pool.arch}; ` +
        `list only ${pool.arch === 'arm64' ? 'Graviton (m7g, c7g, ...)' : 'x86_64'} types`,
    );
  }
  if (pool.os === 'windows' && pool.arch !== 'amd64') {
    throw new Error(`NodePool ${name}: Windows pool "${pool.name}" must be amd64 (there is no Windows Server AMI for arm64)`);
  }
  if (!(pool.min <= pool.desired && pool.desired <= pool.max)) {
    throw new Error(`NodePool ${name}: pool "${pool.name}" needs min <= desired <= max, got ${pool.min}/${pool.desired}/${pool.max}`);
  }
}
