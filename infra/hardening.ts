/**
 * Settings every instance and launch template shares. The two EC2 APIs spell the same settings
 * differently (booleans on instances, strings on launch templates), so each has its own helper.
 */
import * as aws from '@pulumi/aws';

/**
 * IMDSv2 only. A hop limit of 1 keeps pods on the bridge network away from the node's role
 * credentials; 2 lets the control plane's cluster-autoscaler pod reach them.
 */
export function imdsV2(hopLimit: 1 | 2) {
  return { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: hopLimit, instanceMetadataTags: 'disabled' };
}

export function encryptedRootVolume(sizeGb: number): aws.types.input.ec2.InstanceRootBlockDevice {
  return { encrypted: true, volumeType: 'gp3', volumeSize: sizeGb, deleteOnTermination: true };
}

/** Ubuntu and Windows Server AMIs both boot from `/dev/sda1`. */
export function encryptedRootVolumeMapping(sizeGb: number): aws.types.input.ec2.LaunchTemplateBlockDeviceMapping {
  return {
    deviceName: '/dev/sda1',
    ebs: { encrypted: 'true', volumeType: 'gp3', volumeSize: sizeGb, deleteOnTermination: 'true' },
  };
}
