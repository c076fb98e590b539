import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { nameTag } from './tags';

export interface ClusterIamArgs {
  readonly clusterName: string;
  /**
   * Attach `AmazonSSMManagedInstanceCore` to both roles (Session Manager access).
   * @default false
   */
  readonly ssmAccess?: boolean;
}

type Statement = { readonly Effect: 'Allow'; readonly Action: readonly string[]; readonly Resource: string; readonly Condition?: object };

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

/** The AWS cloud-controller-manager's documented "Control Plane Policy" (kubernetes/cloud-provider-aws). */
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
    'ec2:DescribeVolumes',
    'ec2:DescribeAvailabilityZones',
    'ec2:CreateSecurityGroup',
    'ec2:CreateTags',
    'ec2:CreateVolume',
    'ec2:ModifyInstanceAttribute',
    'ec2:ModifyVolume',
    'ec2:AttachVolume',
    'ec2:AuthorizeSecurityGroupIngress',
    'ec2:CreateRoute',
    'ec2:DeleteRoute',
    'ec2:DeleteSecurityGroup',
    'ec2:DeleteVolume',
    'ec2:DetachVolume',
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

/**
 * cluster-autoscaler runs on the control plane (not on workers, where application pods run): it may
 * describe everything but resize or terminate only groups tagged as this cluster's.
 */
function clusterAutoscalerStatements(clusterName: string): Statement[] {
  return [
    {
      Effect: 'Allow',
      Action: [
        'autoscaling:DescribeAutoScalingGroups',
        'autoscaling:DescribeAutoScalingInstances',
        'autoscaling:DescribeLaunchConfigurations',
        'autoscaling:DescribeScalingActivities',
        'autoscaling:DescribeTags',
        'ec2:DescribeImages',
        'ec2:DescribeInstanceTypes',
        'ec2:DescribeLaunchTemplateVersions',
        'ec2:GetInstanceTypesFromInstanceRequirements',
      ],
      Resource: '*',
    },
    {
      Effect: 'Allow',
      Action: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
      Resource: '*',
      Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: 'owned' } },
    },
  ];
}

const EC2_ASSUME_ROLE = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

/** Roles and instance profiles of the control plane and the worker nodes. */
export class ClusterIam extends pulumi.ComponentResource {
  readonly controlPlaneInstanceProfile: pulumi.Output<string>;
  readonly nodeInstanceProfile: pulumi.Output<string>;

  constructor(name: string, args: ClusterIamArgs, opts?: pulumi.ComponentResourceOptions) {
    super('k8s-book-systems:infra:ClusterIam', name, {}, opts);
    const { clusterName } = args;
    const profile = (role: string, statements: readonly Statement[]) => {
      const iamRole = new aws.iam.Role(
        `${name}-${role}`,
        { name: `${clusterName}-${role}`, assumeRolePolicy: EC2_ASSUME_ROLE, tags: nameTag(clusterName, role) },
        { parent: this },
      );
      new aws.iam.RolePolicy(
        `${name}-${role}`,
        { role: iamRole.name, policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }) },
        { parent: this },
      );
      if (args.ssmAccess) {
        new aws.iam.RolePolicyAttachment(
          `${name}-${role}-ssm`,
          { role: iamRole.name, policyArn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore' },
          { parent: this },
        );
      }
      return new aws.iam.InstanceProfile(
        `${name}-${role}`,
        { name: `${clusterName}-${role}`, role: iamRole.name, tags: nameTag(clusterName, role) },
        { parent: this },
      ).name;
    };
    // The control plane's kubelet pulls images too, so it also gets the node statements.
    this.controlPlaneInstanceProfile = profile('control-plane', [
      ...NODE_STATEMENTS,
      CLOUD_CONTROLLER_MANAGER_STATEMENT,
      ...clusterAutoscalerStatements(clusterName),
    ]);
    this.nodeInstanceProfile = profile('node', NODE_STATEMENTS);
    this.registerOutputs({
      controlPlaneInstanceProfile: this.controlPlaneInstanceProfile,
      nodeInstanceProfile: this.nodeInstanceProfile,
    });
  }
}
