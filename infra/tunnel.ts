/**
 * The operator's tunnel to the private API endpoint, as `deployManifests` needs it: the Kubernetes
 * provider dials 127.0.0.1:<apiTunnelPort>. On a stack's first `up` no cluster (and no bastion to tunnel
 * through) exists yet, and later the tunnel may simply be closed; either way the provider would fail with
 * a connection error deep inside the update. The program checks the tunnel before it registers anything
 * and refuses with the commands to run instead.
 */
import * as net from 'net';

/** Whether something accepts TCP connections on 127.0.0.1:`port` within `timeoutMs`. */
export function tcpListening(port: number, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

let probe: (port: number) => Promise<boolean> = tcpListening;

/**
 * Replaces the probe: the offline plan (infra/offline.ts) has no operator and no tunnel, and records what
 * `pulumi up` would apply once the tunnel is open.
 */
export function useTunnelProbe(next: (port: number) => Promise<boolean>): void {
  probe = next;
}

/** Resolves when the tunnel answers; rejects with what to run when it does not. */
export async function requireTunnel(stack: string, port: number): Promise<void> {
  if (await probe(port)) return;
  throw new Error(
    `stack "${stack}": deployManifests is on, but nothing listens on 127.0.0.1:${port} (apiTunnelPort), so the ` +
      'Kubernetes provider cannot reach the private API endpoint. On the first `up` the cluster does not exist yet: ' +
      'run `pulumi config set deployManifests false && pulumi up` first. Then open the tunnel in another terminal ' +
      '(`$(pulumi stack output apiTunnelCommand)`) and run `pulumi config set deployManifests true && pulumi up`',
  );
}
