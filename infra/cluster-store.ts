import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { renderClusterAddons } from './addons';
import { ADDONS_OBJECT_KEY, ClusterStore as StoreNames, ETCD_BACKUP_PREFIX, HELPERS_OBJECT_KEY, renderControlPlaneHelpers } from './bootstrap';
import type { Statement } from './iam';
import { AwsEnvironment } from './settings';
import { nameTag } from './tags';

/** SSM parameter names of the cluster's secrets (pure: the day-2 procedures and tests name them too). */
export function clusterParameterNames(env: AwsEnvironment): StoreNames['parameters'] {
  const base = `/k8s-book-systems/${env.cluster.name}`;
  return {
    caKey: `${base}/control-plane/ca-key`,
    certificateKey: `${base}/control-plane/certificate-key`,
    bootstrapToken: `${base}/nodes/bootstrap-token`,
    kubernetesVersion: `${base}/kubernetes-version`,
  };
}

/** How long etcd snapshots stay in the bucket. */
export const ETCD_BACKUP_RETENTION_DAYS = 30;

export interface ClusterStoreArgs {
  readonly env: AwsEnvironment;
  /** Pulumi secrets. */
  readonly caKeyPem: pulumi.Output<string>;
  readonly certificateKey: pulumi.Output<string>;
  readonly bootstrapToken: pulumi.Output<string>;
}

/**
 * What nodes read at boot instead of user-data:
 * - the cluster's secrets as SSM SecureString parameters, encrypted with a customer-managed KMS key.
 *   AmazonSSMManagedInstanceCore lets every instance *get* any parameter, so decryption is the gate: the
 *   roles may use the key only for their parameters (encryption-context condition on PARAMETER_ARN);
 * - an S3 bucket (private, TLS only, encrypted) holding the cluster add-ons the first control plane
 *   applies after `kubeadm init`, rendered in memory from the model, and the control planes' etcd snapshots.
 */
export class ClusterStore extends pulumi.ComponentResource {
  readonly names: pulumi.Output<StoreNames>;
  readonly bucketName: pulumi.Output<string>;
  /** Inline-policy statements of the control-plane role. */
  readonly controlPlaneStatements: pulumi.Output<Statement[]>;
  /** Inline-policy statements of the node role. */
  readonly nodeStatements: pulumi.Output<Statement[]>;

  constructor(name: string, args: ClusterStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super('k8s-book-systems:infra:ClusterStore', name, {}, opts);
    const { env } = args;
    const clusterName = env.cluster.name;
    const child = { parent: this };

    const key = new aws.kms.Key(
      `${name}-secrets`,
      {
        description: `Cluster ${clusterName}: SSM parameters only its control planes (and, for the join token, its nodes) may decrypt`,
        enableKeyRotation: true,
        deletionWindowInDays: 7,
        tags: nameTag(clusterName, 'secrets'),
      },
      child,
    );
    new aws.kms.Alias(`${name}-secrets`, { name: `alias/${clusterName}-cluster-secrets`, targetKeyId: key.keyId }, child);

    const names = clusterParameterNames(env);
    // Not secret: what control planes install at boot (their own user-data is frozen at creation).
    const kubernetesVersion = new aws.ssm.Parameter(
      `${name}-kubernetesVersion`,
      {
        name: names.kubernetesVersion,
        type: 'String',
        // insecureValue: `value` is always a Pulumi secret in the AWS SDK; this one is public and reviewable.
        insecureValue: env.cluster.kubernetesVersion,
        description: 'Kubernetes version a control plane installs when it is created or replaced',
        tier: 'Standard',
        tags: nameTag(clusterName, 'kubernetes-version'),
      },
      child,
    );
    const parameter = (id: Exclude<keyof StoreNames['parameters'], 'kubernetesVersion'>, value: pulumi.Output<string>, description: string) =>
      new aws.ssm.Parameter(
        `${name}-${id}`,
        { name: names[id], type: 'SecureString', keyId: key.arn, value, description, tier: 'Standard', tags: nameTag(clusterName, id) },
        child,
      );
    const caKey = parameter('caKey', args.caKeyPem, 'Cluster CA private key (kubeadm init installs it as /etc/kubernetes/pki/ca.key)');
    const certificateKey = parameter('certificateKey', args.certificateKey, 'kubeadm --certificate-key: decrypts the shared control-plane certificates');
    const bootstrapToken = parameter('bootstrapToken', args.bootstrapToken, 'kubeadm bootstrap token the nodes join with');

    const bucket = new aws.s3.Bucket(`${name}-bucket`, { bucketPrefix: `${clusterName}-cluster-`, forceDestroy: false, tags: nameTag(clusterName, 'cluster-bucket') }, child);
    new aws.s3.BucketPublicAccessBlock(
      `${name}-bucket`,
      { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      child,
    );
    new aws.s3.BucketOwnershipControls(`${name}-bucket`, { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } }, child);
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-bucket`,
      { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] },
      child,
    );
    new aws.s3.BucketPolicy(
      `${name}-bucket`,
      {
        bucket: bucket.id,
        policy: bucket.arn.apply((arn) =>
          JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              { Sid: 'TlsOnly', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [arn, `${arn}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
            ],
          }),
        ),
      },
      child,
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-bucket`,
      {
        bucket: bucket.id,
        rules: [{ id: 'etcd-backups', status: 'Enabled', filter: { prefix: `${ETCD_BACKUP_PREFIX}/` }, expiration: { days: ETCD_BACKUP_RETENTION_DAYS } }],
      },
      child,
    );
    new aws.s3.BucketObjectv2(
      `${name}-addons`,
      { bucket: bucket.id, key: ADDONS_OBJECT_KEY, content: renderClusterAddons(env), contentType: 'application/yaml' },
      child,
    );

    this.bucketName = bucket.bucket;
    this.names = pulumi.output({ region: env.provider.network.region, parameters: names, bucket: bucket.bucket });
    new aws.s3.BucketObjectv2(
      `${name}-control-plane-helpers`,
      { bucket: bucket.id, key: HELPERS_OBJECT_KEY, content: this.names.apply(renderControlPlaneHelpers), contentType: 'text/x-shellscript' },
      child,
    );
    const decrypt = (parameterArns: pulumi.Output<string>[]) =>
      pulumi.all([key.arn, ...parameterArns]).apply(([keyArn, ...arns]): Statement[] => [
        { Effect: 'Allow', Action: ['ssm:GetParameter'], Resource: arns.length === 1 ? arns[0] : arns },
        { Effect: 'Allow', Action: ['kms:Decrypt'], Resource: keyArn, Condition: { StringEquals: { 'kms:EncryptionContext:PARAMETER_ARN': arns } } },
      ]);
    this.controlPlaneStatements = pulumi
      .all([decrypt([caKey.arn, certificateKey.arn, bootstrapToken.arn]), bucket.arn, kubernetesVersion.arn])
      .apply(([statements, bucketArn, versionArn]): Statement[] => [
        ...statements,
        { Effect: 'Allow', Action: ['ssm:GetParameter'], Resource: versionArn },
        { Effect: 'Allow', Action: ['s3:GetObject'], Resource: [`${bucketArn}/${ADDONS_OBJECT_KEY}`, `${bucketArn}/${HELPERS_OBJECT_KEY}`] },
        { Effect: 'Allow', Action: ['s3:PutObject'], Resource: `${bucketArn}/${ETCD_BACKUP_PREFIX}/*` },
      ]);
    this.nodeStatements = decrypt([bootstrapToken.arn]).apply((statements): Statement[] => [
      ...statements,
      // Report the bootstrap result to the pool's group; only groups of this cluster.
      {
        Effect: 'Allow',
        Action: ['autoscaling:CompleteLifecycleAction'],
        Resource: '*',
        Condition: { StringEquals: { [`aws:ResourceTag/kubernetes.io/cluster/${clusterName}`]: 'owned' } },
      },
    ]);
    this.registerOutputs({ names: this.names, bucketName: this.bucketName });
  }
}
