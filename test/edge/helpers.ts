import { spawnSync } from 'child_process';
import { parse } from 'yaml';
import { edge } from '../../environments/edge';
import { Environment, Microk8sCluster } from '../../environments/types';
import { EdgeSecrets } from '../../edge/secrets';

export const FAKE_TOKEN = 'f00dfeedf00dfeedf00dfeedf00dfeed';
export const FAKE_WIFI = 'fake-wifi-passphrase';
export const FAKE_SECRETS: EdgeSecrets = { wifiPassword: FAKE_WIFI, joinToken: FAKE_TOKEN, sshAuthorizedKeys: [] };

/** Replaces the fake secrets so snapshots never hold anything that looks like one. */
export function mask(text: string): string {
  return text.split(FAKE_TOKEN).join('[secret]').split(FAKE_WIFI).join('[secret]');
}

/** The edge environment with `provider.microk8s` (and optionally the rest) patched. */
export function edgeWith(patch: Partial<Microk8sCluster>, rest: Partial<Environment> = {}): Environment {
  if (edge.provider.kind !== 'microk8s') throw new Error('edge is not microk8s');
  return { ...edge, ...rest, provider: { kind: 'microk8s', microk8s: { ...edge.provider.microk8s, ...patch } } };
}

/** Fails with a pointer to .ci/run when a tool the tests need is missing. */
export function requireBinary(name: string): string {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  if (r.status !== 0 || r.stdout.trim() === '') {
    throw new Error(`${name} is not installed; .ci/run installs it (apt-get install -y ${name}), or install it locally.`);
  }
  return r.stdout.trim();
}

export interface WriteFile {
  path: string;
  content: string;
  permissions?: string;
  append?: boolean;
}

export function cloudConfig(userData: string): { write_files: WriteFile[]; runcmd: string[][]; [k: string]: unknown } {
  return parse(userData);
}
