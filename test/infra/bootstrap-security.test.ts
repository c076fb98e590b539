/**
 * Security properties of the generated bootstrap scripts, asserted explicitly (the snapshots only show them):
 * files carrying secrets are private from the moment they exist, downloads are checksum-verified, join
 * configs are locked down and deleted after use, and the bootstrap token expires.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { getEnvironment } from '../../environments';
import { BOOTSTRAP_TOKEN_TTL_HOURS, renderKubeadmConfig, renderLinuxWorkerUserData, renderWindowsWorkerUserData } from '../../infra/bootstrap';

const dev = getEnvironment('dev');
const prod = getEnvironment('prod');
const args = (pool: string) => ({
  endpoint: { host: 'api.hopper.internal', port: 6443 },
  discoveryHash: `sha256:${'ab'.repeat(32)}`,
  region: 'us-east-1',
  tokenParameter: '/k8s-book-systems/hopper/nodes/bootstrap-token',
  autoScalingGroupName: `hopper-${pool}`,
  lifecycleHookName: 'kubeadm-join',
});
const linuxPool = prod.nodePools.find((p) => p.os === 'linux')!;
const windowsPool = prod.nodePools.find((p) => p.os === 'windows')!;
// Rendered inside the tests' hooks, not at import: a renderer that throws fails the tests, not the file's loading.
let linuxWorker: string;
let windowsWorker: string;
beforeAll(() => {
  linuxWorker = renderLinuxWorkerUserData(prod, linuxPool, args(linuxPool.name));
  windowsWorker = renderWindowsWorkerUserData(prod, windowsPool, args(windowsPool.name));
});

describe('Linux user-data: write_file', () => {
  let definition = '';
  beforeAll(() => {
    definition = /^write_file\(\) \{\n[\s\S]*?\n\}$/m.exec(linuxWorker)?.[0] ?? '';
  });
  const dir = mkdtempSync(join(tmpdir(), 'write-file-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the script's own write_file in bash; `before` may redefine commands it calls. */
  function writeWith(mode: string, name: string, before = ''): number {
    const file = join(dir, name);
    const r = spawnSync('bash', ['-c', `set -euo pipefail\n${definition}\n${before}\nprintf 'secret\\n' | write_file ${mode} ${file}`], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    return statSync(file).mode & 0o777;
  }

  test('is defined in the script', () => {
    expect(definition).toContain('write_file() {');
  });

  test('the file gets the mode asked for', () => {
    expect(writeWith('0600', 'a')).toBe(0o600);
    expect(writeWith('0644', 'b')).toBe(0o644);
    expect(writeWith('0700', 'c')).toBe(0o700);
  });

  test('the content is written under umask 077: private before chmod runs, whatever the caller umask', () => {
    // With chmod disabled, only the umask decides the mode the file is created with.
    expect(writeWith('0644', 'd', 'umask 022; chmod() { :; }')).toBe(0o600);
  });
});

describe('Windows user-data', () => {
  test('every download goes through Get-VerifiedFile, which checks a SHA-256 and throws on a mismatch', () => {
    const fn = /function Get-VerifiedFile\(([^)]*)\) \{\n([\s\S]*?)\n\}/.exec(windowsWorker);
    expect(fn?.[1]).toBe('[string]$Uri, [string]$ChecksumUri, [string]$Path');
    const body = fn![2];
    expect(body).toContain('Invoke-WebRequest -UseBasicParsing -Uri $ChecksumUri -OutFile "$Path.sha256"');
    expect(body).toContain('$actual = (Get-FileHash -Algorithm SHA256 -Path $Path).Hash');
    expect(body).toContain('if ($actual -ne $expected) { throw "checksum mismatch for $Uri" }');
    // No Invoke-WebRequest outside the function: nothing is downloaded unverified.
    expect(windowsWorker.split('Invoke-WebRequest').length - 1).toBe(body.split('Invoke-WebRequest').length - 1);
  });

  test('kubelet, kubeadm and containerd are each fetched with a published checksum next to them', () => {
    const calls = windowsWorker.split('\n').filter((l) => l.trim().startsWith('Get-VerifiedFile '));
    expect(calls).toHaveLength(2);
    expect(calls.join('\n')).toMatch(/-Uri '(\S+containerd\S+\.tar\.gz)' -ChecksumUri '\1\.sha256sum'/);
    expect(calls.join('\n')).toMatch(/-Uri "(\S+)\/\$binary" -ChecksumUri "\1\/\$binary\.sha256"/);
    expect(windowsWorker).toContain("foreach ($binary in 'kubelet.exe', 'kubeadm.exe') {");
  });

  test('the join config (it holds the bootstrap token) is readable by Administrators and SYSTEM only, and deleted after the join', () => {
    const lines = windowsWorker.split('\n');
    const written = lines.findIndex((l) => l.startsWith('Set-Content -Path C:\\etc\\kubernetes\\kubeadm-join.yaml'));
    expect(lines[written + 1]).toBe("icacls.exe C:\\etc\\kubernetes\\kubeadm-join.yaml /inheritance:r /grant:r 'Administrators:F' 'SYSTEM:F' | Out-Null");
    const joined = lines.findIndex((l) => l.includes('kubeadm.exe join --config C:\\etc\\kubernetes\\kubeadm-join.yaml'));
    const removed = lines.indexOf('Remove-Item -Force C:\\etc\\kubernetes\\kubeadm-join.yaml');
    expect(written).toBeGreaterThan(-1);
    expect(joined).toBeGreaterThan(written);
    expect(removed).toBeGreaterThan(joined);
  });
});

describe('the bootstrap token', () => {
  test(`expires (a TTL of ${BOOTSTRAP_TOKEN_TTL_HOURS} h: more than zero, less than a day)`, () => {
    expect(BOOTSTRAP_TOKEN_TTL_HOURS).toBeGreaterThan(0);
    expect(BOOTSTRAP_TOKEN_TTL_HOURS).toBeLessThan(24);
    for (const env of [dev, prod]) {
      const init = parseAllDocuments(renderKubeadmConfig(env, { host: 'api', port: 6443 }, { bootstrapToken: 'abcdef.0123456789abcdef', certificateKey: '0'.repeat(64) }))[0].toJS();
      expect(init.bootstrapTokens.map((t: { ttl: string }) => t.ttl)).toEqual([`${BOOTSTRAP_TOKEN_TTL_HOURS}h0m0s`]);
    }
  });

  test('the Linux worker joins with a config written 0600 and removes it afterwards', () => {
    const written = linuxWorker.indexOf('write_file 0600 /etc/kubernetes/kubeadm-join.yaml');
    const removed = linuxWorker.indexOf('rm -f /etc/kubernetes/kubeadm-join.yaml');
    expect(written).toBeGreaterThan(-1);
    expect(removed).toBeGreaterThan(written);
    expect(linuxWorker).not.toMatch(/write_file 06[4-7][4-7] \/etc\/kubernetes\/kubeadm-join\.yaml/);
  });
});
