import * as net from 'net';
import * as path from 'path';
import { readProjectName, readStackConfig, runOffline } from '../../infra/offline';
import { tcpListening } from '../../infra/tunnel';

const root = path.resolve(__dirname, '..', '..');
const project = readProjectName(root);

/** A TCP port nothing listens on: bound, read, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('the probe sees a listening tunnel and a closed port for what they are', async () => {
  const server = net.createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  try {
    expect(await tcpListening(port)).toBe(true);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  expect(await tcpListening(await closedPort())).toBe(false);
});

test('deployManifests with the tunnel declared but not open (a first up) is refused with what to run, not a connection error', async () => {
  const base = readStackConfig(root, 'dev');
  const config = { ...base.config, [`${project}:deployManifests`]: 'true', [`${project}:apiTunnelPort`]: '6443' };
  await expect(runOffline(project, 'dev', { config, secretKeys: [], tunnelOpen: false })).rejects.toThrow(
    'stack "dev": deployManifests is on, but nothing listens on 127.0.0.1:6443 (apiTunnelPort), so the Kubernetes provider cannot reach ' +
      'the private API endpoint. On the first `up` the cluster does not exist yet: run `pulumi config set deployManifests false && pulumi up` first.',
  );
});

test('with the tunnel open the same stack plans the workloads', async () => {
  const base = readStackConfig(root, 'dev');
  const config = { ...base.config, [`${project}:deployManifests`]: 'true', [`${project}:apiTunnelPort`]: '6443' };
  const run = await runOffline(project, 'dev', { config, secretKeys: [], tunnelOpen: true });
  expect(run.resources.some((r) => r.type === 'pulumi:providers:kubernetes' && r.name === 'manifests')).toBe(true);
});
