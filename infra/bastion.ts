import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { ubuntuAmiId } from './ami';
import { encryptedRootVolume, imdsV2 } from './hardening';
import { nameTag } from './tags';

/** The smallest current-generation instance; Graviton, so the AMI below is arm64. */
const BASTION_INSTANCE_TYPE = 't4g.nano';

export interface BastionArgs {
  readonly clusterName: string;
  /** A public subnet: the only place an instance gets a public address. */
  readonly subnetId: pulumi.Input<string>;
  readonly securityGroupId: pulumi.Input<string>;
  /** Its role carries AmazonSSMManagedInstanceCore: Session Manager reaches it without any inbound rule. */
  readonly instanceProfile: pulumi.Input<string>;
  /** @default none */
  readonly keyName?: pulumi.Input<string>;
}

/**
 * The operator's way into the private subnets. Session Manager (the SSM agent ships in Canonical's Ubuntu
 * images) forwards a local port to the private API endpoint with no inbound rule and no SSH key; SSH is
 * an option on top (`sshPublicKey` + `bastionAllowedCidrs`).
 */
export class Bastion extends pulumi.ComponentResource {
  readonly publicIp: pulumi.Output<string>;
  readonly instanceId: pulumi.Output<string>;

  constructor(name: string, args: BastionArgs, opts?: pulumi.ComponentResourceOptions) {
    super('k8s-book-systems:infra:Bastion', name, {}, opts);
    const instance = new aws.ec2.Instance(
      name,
      {
        ami: ubuntuAmiId('arm64', { parent: this }),
        instanceType: BASTION_INSTANCE_TYPE,
        subnetId: args.subnetId,
        vpcSecurityGroupIds: [args.securityGroupId],
        // Session Manager's agent dials the SSM endpoints through the internet gateway.
        associatePublicIpAddress: true,
        iamInstanceProfile: args.instanceProfile,
        keyName: args.keyName,
        metadataOptions: imdsV2(1),
        rootBlockDevice: encryptedRootVolume(8),
        tags: nameTag(args.clusterName, 'bastion'),
      },
      // A newer Ubuntu image must not replace a running bastion; `apt` keeps it patched.
      { parent: this, ignoreChanges: ['ami'] },
    );
    this.publicIp = instance.publicIp;
    this.instanceId = instance.id;
    this.registerOutputs({ publicIp: this.publicIp, instanceId: this.instanceId });
  }
}
