import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import * as tls from '@pulumi/tls';

/** kubeadm's default CA lifetime. */
const CA_VALIDITY_HOURS = 10 * 365 * 24;

export interface ClusterPkiArgs {
  readonly clusterName: string;
}

/**
 * Everything kubeadm would otherwise invent during `init`, generated up front so the control planes
 * and the workers can be launched together (Typhoon's approach): the cluster CA, the bootstrap token
 * and the key that encrypts the control-plane certificates `kubeadm init --upload-certs` shares.
 * Every secret output is a Pulumi secret.
 */
export class ClusterPki extends pulumi.ComponentResource {
  readonly caCertPem: pulumi.Output<string>;
  readonly caKeyPem: pulumi.Output<string>;
  /** `<6 chars>.<16 chars>`, the format `kubeadm token` accepts. */
  readonly bootstrapToken: pulumi.Output<string>;
  /** 32 bytes, hex: what `kubeadm init --certificate-key` expects. */
  readonly certificateKey: pulumi.Output<string>;

  constructor(name: string, args: ClusterPkiArgs, opts?: pulumi.ComponentResourceOptions) {
    super('k8s-book-systems:infra:ClusterPki', name, {}, opts);
    const child = { parent: this };

    const caKey = new tls.PrivateKey(`${name}-ca`, { algorithm: 'ECDSA', ecdsaCurve: 'P256' }, child);
    this.caKeyPem = pulumi.secret(caKey.privateKeyPem);
    const caCert = new tls.SelfSignedCert(
      `${name}-ca`,
      {
        privateKeyPem: this.caKeyPem,
        isCaCertificate: true,
        subject: { commonName: 'kubernetes', organization: args.clusterName },
        validityPeriodHours: CA_VALIDITY_HOURS,
        allowedUses: ['cert_signing', 'crl_signing', 'digital_signature', 'key_encipherment'],
      },
      child,
    );
    this.caCertPem = caCert.certPem;

    // RandomPassword, never RandomString/RandomId: their results are plain in the state, and their resource
    // id IS the value (which no additionalSecretOutputs can hide). Token ids and secrets are [a-z0-9]:
    // kubeadm rejects anything else.
    const tokenPart = (part: 'id' | 'secret', length: number) =>
      new random.RandomPassword(`${name}-token-${part}`, { length, special: false, upper: false, lower: true, numeric: true }, child).result;
    this.bootstrapToken = pulumi.secret(pulumi.interpolate`${tokenPart('id', 6)}.${tokenPart('secret', 16)}`);
    // 64 lower-case hex characters (kubeadm's --certificate-key): digits plus "special" characters a-f.
    this.certificateKey = pulumi.secret(
      new random.RandomPassword(
        `${name}-certificate-key`,
        { length: 64, lower: false, upper: false, numeric: true, special: true, overrideSpecial: 'abcdef' },
        child,
      ).result,
    );

    this.registerOutputs({
      caCertPem: this.caCertPem,
      caKeyPem: this.caKeyPem,
      bootstrapToken: this.bootstrapToken,
      certificateKey: this.certificateKey,
    });
  }
}
