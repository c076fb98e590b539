/**
 * The API endpoint every kubeadm config, kubeconfig and tunnel names. Pure. It is a name in the stack's
 * private hosted zone, not an address: the record points at the internal load balancer (several control
 * planes) or at the one control plane, so replacing either never changes what certificates and
 * kubeconfigs say.
 */
import type { Environment } from '../environments';
import { API_SERVER_PORT } from './firewall';

/** `<cluster>.internal`: `.internal` is reserved for private use (ICANN, 2024), so it never clashes with a public name. */
export function privateZoneName(env: Environment): string {
  return `${env.cluster.name}.internal`;
}

export function apiEndpointHost(env: Environment): string {
  return `api.${privateZoneName(env)}`;
}

export function apiEndpoint(env: Environment): { readonly host: string; readonly port: number } {
  return { host: apiEndpointHost(env), port: API_SERVER_PORT };
}

/** The local end of the operator's tunnel (`apiTunnelPort`, default 6443). */
export const DEFAULT_TUNNEL_PORT = API_SERVER_PORT;

/**
 * Session Manager port forwarding from `127.0.0.1:<tunnelPort>` through the bastion to the API endpoint
 * (needs the AWS CLI and its Session Manager plugin on the operator's machine).
 */
export function apiTunnelCommand(region: string, bastionId: string, endpoint: { host: string; port: number }, tunnelPort: number): string {
  const parameters = JSON.stringify({ host: [endpoint.host], portNumber: [String(endpoint.port)], localPortNumber: [String(tunnelPort)] });
  return `aws ssm start-session --region ${region} --target ${bastionId} --document-name AWS-StartPortForwardingSessionToRemoteHost --parameters '${parameters}'`;
}
