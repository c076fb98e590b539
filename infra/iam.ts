import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { nameTag } from './tags';

export interface ClusterIamArgs {
  readonly clusterName: string;
  /**
   * Attach `AmazonSSMManagedInstanceCore` to the control-plane and node roles (Session Manager shells and
   * `aws ssm send-command` for the day-2 procedures). The bastion always has it.
   * @default true
   */
  readonly ssmAccess?: boolean;
  /** Statements the control planes need beyond the CCM's (cluster secrets, add-ons, backups). */
  readonly controlPlaneStatements?: pulumi.Input<readonly Statement[]>;
  /** Statements the nodes need beyond image pulls (their join token, the lifecycle hook). */
  readonly nodeStatements?: pulumi.Input<readonly Statement[]>;
}

export type Statement = {
  readonly Effect: 'Allow';
  readonly Action: readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: object;
};

/** Pull images from ECR and let the kubelet look up its own instance (cloud-provider-aws "Node Policy"). */
const NODE_STATEMENTS: readonly Statement[] = [
  {
    Effect: 'Allow',
    Action: [
      'ec2:DescribeInstances',
      'ec2:DescribeRegions',
      'ecr:GetAuthorizationToken',
      'ecr:BatchCheckLayerAvailability',
      'ecr:GetDownloadUrlForLayer',
      'ecr:GetRepositoryPolicy',
      'ecr:DescribeRepositories',
      'ecr:ListImages',
      'ecr:BatchGetImage',
    ],
    Resource: '*',
  },
];

/**
 * The AWS cloud-controller-manager's documented "Control Plane Policy" (kubernetes/cloud-provider-aws),
 * minus what this cluster never uses: route actions (the CCM runs with --configure-cloud-routes=false,
 * flannel routes pods) and volume actions (no in-tree EBS volumes; the EBS CSI driver has its own policy).
 */
const CLOUD_CONTROLLER_MANAGER_STATEMENT: Statement = {
  Effect: 'Allow',
  Action: [
    'autoscaling:DescribeAutoScalingGroups',
    'autoscaling:DescribeLaunchConfigurations',
    'autoscaling:DescribeTags',
    'ec2:DescribeInstances',
    'ec2:DescribeRegions',
    'ec2:DescribeRouteTables',
    'ec2:DescribeSecurityGroups',
    'ec2:DescribeSubnets',
    'ec2:DescribeAvailabilityZones',
    'ec2:CreateSecurityGroup',
    'ec2:CreateTags',
    'ec2:ModifyInstanceAttribute',
    'ec2:AuthorizeSecurityGroupIngress',
    'ec2:DeleteSecurityGroup',
    'ec2:RevokeSecurityGroupIngress',
    'ec2:DescribeVpcs',
    'ec2:DescribeInstanceTopology',
    'elasticloadbalancing:AddTags',
    'elasticloadbalancing:AttachLoadBalancerToSubnets',
    'elasticloadbalancing:ApplySecurityGroupsToLoadBalancer',
    'elasticloadbalancing:CreateLoadBalancer',
    'elasticloadbalancing:CreateLoadBalancerPolicy',
    'elasticloadbalancing:CreateLoadBalancerListeners',
    'elasticloadbalancing:ConfigureHealthCheck',
    'elasticloadbalancing:DeleteLoadBalancer',
    'elasticloadbalancing:DeleteLoadBalancerListeners',
    'elasticloadbalancing:DescribeLoadBalancers',
    'elasticloadbalancing:DescribeLoadBalancerAttributes',
    'elasticloadbalancing:DetachLoadBalancerFromSubnets',
    'elasticloadbalancing:DeregisterInstancesFromLoadBalancer',
    'elasticloadbalancing:ModifyLoadBalancerAttributes',
    'elasticloadbalancing:RegisterInstancesWithLoadBalancer',
    'elasticloadbalancing:SetLoadBalancerPoliciesForBackendServer',
    'elasticloadbalancing:CreateListener',
    'elasticloadbalancing:CreateTargetGroup',
    'elasticloadbalancing:DeleteListener',
    'elasticloadbalancing:DeleteTargetGroup',
    'elasticloadbalancing:DescribeListeners',
    'elasticloadbalancing:DescribeLoadBalancerPolicies',
    'elasticloadbalancing:DescribeTargetGroups',
    'elasticloadbalancing:DescribeTargetHealth',
    'elasticloadbalancing:ModifyListener',
    'elasticloadbalancing:ModifyTargetGroup',
    'elasticloadbalancing:RegisterTargets',
    'elasticloadbalancing:DeregisterTargets',
    'elasticloadbalancing:SetLoadBalancerPoliciesOfListener',
    'iam:CreateServiceLinkedRole',
    'kms:DescribeKey',
  ],
  Resource: '*',
};

const EC2_ASSUME_ROLE = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

export const SSM_MANAGED_INSTANCE_CORE = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore';

/**
 * AWS's managed policy for the EBS CSI driver (create, attach, snapshot and delete the volumes it
 * tags as its own). Its controller runs on the control planes (MixedArchCluster's `aws-ebs-csi`
 * storage), so only their role gets it; the node plugin needs no AWS permission.
 */
export const EBS_CSI_DRIVER_POLICY = 'arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy';

/**
 * Roles and instance profiles of the control planes, the worker nodes and the bastion. The bastion's role
 * carries only AmazonSSMManagedInstanceCore: Session Manager is the operator's way in without an SSH key.
 */
export class ClusterIam extends pulumi.ComponentResource {
  readonly controlPlaneInstanceProfile: pulumi.Output<string>;
  readonly nodeInstanceProfile: pulumi.Output<string>;
  readonly bastionInstanceProfile: pulumi.Output<string>;
  readonly controlPlaneRoleArn: pulumi.Output<string>;
  readonly nodeRoleArn: pulumi.Output<string>;

  constructor(name: string, args: ClusterIamArgs, opts?: pulumi.ComponentResourceOptions) {
    super('k8s-book-systems:infra:ClusterIam', name, {}, opts);
    const { clusterName } = args;
    const profile = (role: string, statements: pulumi.Input<readonly Statement[]> | undefined, ssm: boolean) => {
      const iamRole = new aws.iam.Role(
        `${name}-${role}`,
        { name: `${clusterName}-${role}`, assumeRolePolicy: EC2_ASSUME_ROLE, tags: nameTag(clusterName, role) },
        { parent: this },
      );
      if (statements !== undefined) {
        new aws.iam.RolePolicy(
          `${name}-${role}`,
          { role: iamRole.name, policy: pulumi.output(statements).apply((s) => JSON.stringify({ Version: '2012-10-17', Statement: s })) },
          { parent: this },
        );
      }
      if (ssm) {
        new aws.iam.RolePolicyAttachment(`${name}-${role}-ssm`, { role: iamRole.name, policyArn: SSM_MANAGED_INSTANCE_CORE }, { parent: this });
      }
      const instanceProfile = new aws.iam.InstanceProfile(
        `${name}-${role}`,
        { name: `${clusterName}-${role}`, role: iamRole.name, tags: nameTag(clusterName, role) },
        { parent: this },
      );
      return { profile: instanceProfile.name, roleArn: iamRole.arn, roleName: iamRole.name };
    };
    const ssm = args.ssmAccess ?? true;
    // The control plane's kubelet pulls images too, so it also gets the node statements.
    const controlPlane = profile(
      'control-plane',
      pulumi.output(args.controlPlaneStatements ?? []).apply((extra) => [...NODE_STATEMENTS, CLOUD_CONTROLLER_MANAGER_STATEMENT, ...extra]),
      ssm,
    );
    const node = profile(
      'node',
      pulumi.output(args.nodeStatements ?? []).apply((extra) => [...NODE_STATEMENTS, ...extra]),
      ssm,
    );
    new aws.iam.RolePolicyAttachment(`${name}-control-plane-ebs-csi`, { role: controlPlane.roleName, policyArn: EBS_CSI_DRIVER_POLICY }, { parent: this });
    const bastion = profile('bastion', undefined, true);
    this.controlPlaneInstanceProfile = controlPlane.profile;
    this.nodeInstanceProfile = node.profile;
    this.bastionInstanceProfile = bastion.profile;
    this.controlPlaneRoleArn = controlPlane.roleArn;
    this.nodeRoleArn = node.roleArn;
    this.registerOutputs({
      controlPlaneInstanceProfile: this.controlPlaneInstanceProfile,
      nodeInstanceProfile: this.nodeInstanceProfile,
      bastionInstanceProfile: this.bastionInstanceProfile,
    });
  }
}
