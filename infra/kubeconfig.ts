import * as pulumi from '@pulumi/pulumi';
import * as tls from '@pulumi/tls';
import { stringify } from 'yaml';
import { ApiEndpoint } from './bootstrap';

/**
 * kubeadm ≥ 1.29 binds `kubeadm:cluster-admins` to cluster-admin and writes `admin.conf` for that group,
 * keeping `system:masters` (which bypasses RBAC and cannot be revoked short of rotating the CA) for the
 * break-glass `super-admin.conf`. The environments pin 1.34, so this kubeconfig uses the revocable group.
 */
export const ADMIN_GROUP = 'kubeadm:cluster-admins';
export const ADMIN_USER = 'kubernetes-admin';
/** One year, renewed by the next `pulumi up` in its last month. */
const CLIENT_CERT_VALIDITY_HOURS = 365 * 24;
const CLIENT_CERT_EARLY_RENEWAL_HOURS = 30 * 24;

export interface AdminKubeconfigArgs {
  readonly clusterName: string;
  readonly endpoint: pulumi.Output<ApiEndpoint>;
  /** Local port of the operator's tunnel to the endpoint. */
  readonly tunnelPort: number;
  readonly caCertPem: pulumi.Output<string>;
  /** A Pulumi secret. */
  readonly caKeyPem: pulumi.Output<string>;
}

/** An admin kubeconfig signed by the generated cluster CA: usable as soon as `kubeadm init` is done. */
export class AdminKubeconfig extends pulumi.ComponentResource {
  /** A Pulumi secret. */
  readonly kubeconfig: pulumi.Output<string>;

  constructor(name: string, args: AdminKubeconfigArgs, opts?: pulumi.ComponentResourceOptions) {
    super('k8s-book-systems:infra:AdminKubeconfig', name, {}, opts);
    const child = { parent: this };
    const key = new tls.PrivateKey(name, { algorithm: 'ECDSA', ecdsaCurve: 'P256' }, child);
    const keyPem = pulumi.secret(key.privateKeyPem);
    const request = new tls.CertRequest(
      name,
      { privateKeyPem: keyPem, subject: { commonName: ADMIN_USER, organization: ADMIN_GROUP } },
      child,
    );
    const cert = new tls.LocallySignedCert(
      name,
      {
        certRequestPem: request.certRequestPem,
        caCertPem: args.caCertPem,
        caPrivateKeyPem: args.caKeyPem,
        validityPeriodHours: CLIENT_CERT_VALIDITY_HOURS,
        earlyRenewalHours: CLIENT_CERT_EARLY_RENEWAL_HOURS,
        allowedUses: ['digital_signature', 'key_encipherment', 'client_auth'],
      },
      child,
    );

    this.kubeconfig = pulumi.secret(
      pulumi.all([args.endpoint, args.caCertPem, cert.certPem, keyPem]).apply(([endpoint, caCertPem, certPem, clientKeyPem]) =>
        renderKubeconfig(args.clusterName, endpoint, { caCertPem, certPem, keyPem: clientKeyPem }, args.tunnelPort),
      ),
    );
    this.registerOutputs({ kubeconfig: this.kubeconfig });
  }
}

const base64 = (pem: string) => Buffer.from(pem).toString('base64');

/**
 * The API endpoint is private: the kubeconfig dials the local end of the operator's tunnel and checks the
 * API server's certificate for the endpoint's name (kubeadm puts `controlPlaneEndpoint` in its SANs).
 */
export function renderKubeconfig(
  clusterName: string,
  endpoint: ApiEndpoint,
  pems: { readonly caCertPem: string; readonly certPem: string; readonly keyPem: string },
  tunnelPort: number,
): string {
  const user = `${ADMIN_USER}@${clusterName}`;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: clusterName,
        cluster: {
          server: `https://127.0.0.1:${tunnelPort}`,
          'tls-server-name': endpoint.host,
          'certificate-authority-data': base64(pems.caCertPem),
        },
      },
    ],
    users: [{ name: user, user: { 'client-certificate-data': base64(pems.certPem), 'client-key-data': base64(pems.keyPem) } }],
    contexts: [{ name: user, context: { cluster: clusterName, user } }],
    'current-context': user,
  });
}
