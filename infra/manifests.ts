import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { isOmitted } from '../environments';
import { workloadFiles } from './addons';
import { AwsEnvironment } from './settings';

/** The Secret petshop-web and petshop-webservice mount; dist/ never holds it. */
export const PETSHOP_SECRET = { name: 'petshop-connection-string-secret', namespace: 'petshop', key: 'connectionStrings.config' } as const;

export interface ClusterManifestsArgs {
  readonly env: AwsEnvironment;
  /** Admin kubeconfig (a Pulumi secret). */
  readonly kubeconfig: pulumi.Output<string>;
  /** Required where the environment runs petshop: the Secret's value, a Pulumi secret. */
  readonly petshopConnectionString?: pulumi.Output<string>;
}

/**
 * Applies the synthesized workloads (`dist/<env>/` but the add-ons) with the generated kubeconfig through
 * the operator's tunnel, and creates the Secrets whose values live only in Pulumi config.
 */
export class ClusterManifests extends pulumi.ComponentResource {
  constructor(name: string, args: ClusterManifestsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('k8s-book-systems:infra:ClusterManifests', name, {}, opts);
    const { env } = args;
    const petshop = !isOmitted(env.workloads.petshop);
    if (petshop && !args.petshopConnectionString) {
      throw new Error(`ClusterManifests ${name}: environment "${env.name}" runs petshop; pass petshopConnectionString`);
    }
    const provider = new k8s.Provider(name, { kubeconfig: args.kubeconfig }, { parent: this });
    // Relative to the project root (where Pulumi.yaml is), as `npm run synth` writes it. Not 01-cluster.yaml:
    // the first control plane applies the add-ons itself (another field manager would conflict).
    const manifests = new k8s.yaml.v2.ConfigGroup(
      `${name}-dist`,
      { files: workloadFiles(env) },
      { parent: this, provider },
    );
    if (petshop && args.petshopConnectionString) {
      new k8s.core.v1.Secret(
        `${name}-${PETSHOP_SECRET.name}`,
        {
          metadata: { name: PETSHOP_SECRET.name, namespace: PETSHOP_SECRET.namespace },
          type: 'Opaque',
          stringData: { [PETSHOP_SECRET.key]: pulumi.secret(args.petshopConnectionString) },
        },
        // The namespace comes from dist/.
        { parent: this, provider, dependsOn: [manifests] },
      );
    }
    this.registerOutputs({});
  }
}
