import * as pulumi from '@pulumi/pulumi';
import { AwsNetwork, ControlPlane, Environment, isOmitted } from '../environments';
import { DEFAULT_TUNNEL_PORT } from './endpoint';

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
   * Apply the workloads of `dist/<env>/` (everything but `01-cluster.yaml`, which the first control plane
   * applies itself) and the in-cluster Secrets with @pulumi/kubernetes. The API endpoint is private, so
   * this needs the operator's tunnel: it is refused unless `apiTunnelPort` says where the tunnel listens.
   * @default false
   */
  readonly deployManifests: boolean;
  /**
   * Local port of the operator's tunnel to the API endpoint (`pulumi stack output apiTunnelCommand`).
   * The kubeconfig output dials `https://127.0.0.1:<port>` and checks the API server's certificate for
   * the endpoint's name.
   * @default 6443
   */
  readonly apiTunnelPort: number;
  /** Whether `apiTunnelPort` was set explicitly (deployManifests requires it: the tunnel is declared). */
  readonly tunnelDeclared: boolean;
  /**
   * Attach `AmazonSSMManagedInstanceCore` to the control-plane and node roles (Session Manager shells and
   * `aws ssm send-command` for the day-2 procedures). The bastion always has it.
   * @default true
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
  const tunnelPort = config.getNumber('apiTunnelPort');
  const settings: StackSettings = {
    sshPublicKey: sshPublicKey ? sshPublicKey : undefined,
    bastionAllowedCidrs: config.getObject<string[]>('bastionAllowedCidrs') ?? [],
    deployManifests: config.getBoolean('deployManifests') ?? false,
    apiTunnelPort: tunnelPort ?? DEFAULT_TUNNEL_PORT,
    tunnelDeclared: tunnelPort !== undefined,
    ssmAccess: config.getBoolean('ssmAccess') ?? true,
    petshopConnectionString: config.getSecret('petshopConnectionString'),
  };
  if (!Number.isInteger(settings.apiTunnelPort) || settings.apiTunnelPort < 1 || settings.apiTunnelPort > 65535) {
    throw new Error(`stack "${env.name}": apiTunnelPort ${settings.apiTunnelPort} is not a TCP port; set 1-65535 (default 6443)`);
  }
  if (settings.deployManifests && !settings.tunnelDeclared) {
    throw new Error(
      `stack "${env.name}": deployManifests needs the API server, whose endpoint is private to the VPC, and no tunnel is declared. ` +
        'Bring the cluster up first with deployManifests off (`pulumi config set deployManifests false && pulumi up`), ' +
        'open the tunnel in another terminal (`$(pulumi stack output apiTunnelCommand)`), declare it ' +
        '(`pulumi config set apiTunnelPort 6443`), then run `pulumi config set deployManifests true && pulumi up`',
    );
  }
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
