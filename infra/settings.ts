import * as pulumi from '@pulumi/pulumi';
import { AwsNetwork, ControlPlane, Environment, isOmitted } from '../environments';

/** What `Pulumi.<stack>.yaml` may hold: only per-stack settings and secrets, never cluster shape. */
export interface StackSettings {
  /**
   * OpenSSH public key installed on the bastion and the cluster instances.
   * @default none (reach instances through SSM or not at all)
   */
  readonly sshPublicKey?: string;
  /**
   * CIDRs allowed to SSH to the bastion.
   * @default [] (the bastion accepts no inbound traffic)
   */
  readonly bastionAllowedCidrs: readonly string[];
  /**
   * Apply `dist/<env>/` and the in-cluster Secrets with @pulumi/kubernetes once the cluster is up.
   * @default false
   */
  readonly deployManifests: boolean;
  /**
   * Attach `AmazonSSMManagedInstanceCore` to the cluster roles.
   * @default false
   */
  readonly ssmAccess: boolean;
  /**
   * Petshop's `connectionStrings.config`, a Pulumi secret
   * (`pulumi config set --secret petshopConnectionString ...`). Needed only with `deployManifests`
   * where the environment runs petshop.
   */
  readonly petshopConnectionString?: pulumi.Output<string>;
}

/** Reads and checks the stack's settings before any resource is registered, so a bad stack fails fast. */
export function readStackSettings(env: Environment, config = new pulumi.Config()): StackSettings {
  const sshPublicKey = config.get('sshPublicKey');
  const settings: StackSettings = {
    sshPublicKey: sshPublicKey ? sshPublicKey : undefined,
    bastionAllowedCidrs: config.getObject<string[]>('bastionAllowedCidrs') ?? [],
    deployManifests: config.getBoolean('deployManifests') ?? false,
    ssmAccess: config.getBoolean('ssmAccess') ?? false,
    petshopConnectionString: config.getSecret('petshopConnectionString'),
  };
  if (settings.deployManifests && !isOmitted(env.workloads.petshop) && !settings.petshopConnectionString) {
    throw new Error(
      `stack "${env.name}": deployManifests is on and the environment runs petshop, whose pods mount Secret ` +
        'petshop/petshop-connection-string-secret; set its value with ' +
        '`pulumi config set --secret petshopConnectionString <connectionStrings.config contents>` or turn deployManifests off',
    );
  }
  return settings;
}

/** An environment the Pulumi program can build: kubeadm on AWS. */
export interface AwsEnvironment extends Environment {
  readonly provider: { readonly kind: 'aws-kubeadm'; readonly network: AwsNetwork; readonly controlPlane: ControlPlane };
}

export function requireAwsEnvironment(env: Environment): AwsEnvironment {
  if (env.provider.kind !== 'aws-kubeadm') {
    throw new Error(
      `environment "${env.name}" runs on ${env.provider.kind}, not aws-kubeadm: the Pulumi program only builds ` +
        'AWS stacks (use `npm run edge:nodes` for the edge cluster), so do not create a Pulumi stack for it',
    );
  }
  return env as AwsEnvironment;
}
