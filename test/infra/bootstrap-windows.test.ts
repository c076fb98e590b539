/**
 * The Windows worker user-data (EC2Launch PowerShell), checked against hand-written expectations: the
 * kubelet service flags, quoting of every value that comes from the model, the checks the script makes
 * on what it reads at boot (token format, node name), the Windows build guard and the join retries.
 * PowerShell is not needed: the regular expressions the script uses are plain enough to mean the same in
 * .NET and JavaScript, so they are checked with RegExp here.
 */
import { parse } from 'yaml';
import { NodePool, getEnvironment } from '../../environments';
import { WorkerArgs, renderWindowsWorkerUserData } from '../../infra/bootstrap';

const prod = getEnvironment('prod');
const pool = prod.nodePools.find((p) => p.os === 'windows')!;
const HASH = `sha256:${'ab'.repeat(32)}`;
const args: WorkerArgs = {
  endpoint: { host: 'api.hopper.internal', port: 6443 },
  discoveryHash: HASH,
  region: 'us-east-1',
  tokenParameter: '/k8s-book-systems/hopper/nodes/bootstrap-token',
  autoScalingGroupName: 'hopper-windows-2019',
  lifecycleHookName: 'kubeadm-join',
};
const render = (over: Partial<WorkerArgs> = {}, poolOver: Partial<NodePool> = {}) =>
  renderWindowsWorkerUserData(prod, { ...pool, ...poolOver }, { ...args, ...over });
const lines = (script = render()) => script.split('\n');

test('the kubelet service carries every flag a Windows kubelet needs, one quoted item per line, the node name last', () => {
  const script = render();
  const block = /^ {2}\$kubeletArgs = @\(\n([\s\S]*?)\n {2}\)$/m.exec(script);
  expect(block?.[1].split('\n')).toEqual([
    "    '--windows-service',",
    "    '--cert-dir=C:\\var\\lib\\kubelet\\pki',",
    "    '--config=C:\\var\\lib\\kubelet\\config.yaml',",
    "    '--bootstrap-kubeconfig=C:\\etc\\kubernetes\\bootstrap-kubelet.conf',",
    "    '--kubeconfig=C:\\etc\\kubernetes\\kubelet.conf',",
    "    '--container-runtime-endpoint=npipe:////./pipe/containerd-containerd',",
    "    '--cloud-provider=external',",
    "    '--node-labels=node-pool=windows-2019,workload-class=windows',",
    "    '--register-with-taints=os=windows:NoSchedule',",
    "    '--cgroups-per-qos=false',",
    "    '--enforce-node-allocatable=',",
    "    '--resolv-conf=',",
    '    "--hostname-override=$nodeName"',
  ]);
  expect(lines(script)).toContain(
    '  New-Service -Name kubelet -DisplayName kubelet -StartupType Automatic -BinaryPathName "C:\\k\\kubelet.exe $($kubeletArgs -join \' \')" | Out-Null',
  );
});

test('a pool without taints registers none', () => {
  const script = render({}, { taints: [] });
  expect(script).not.toContain('register-with-taints');
  expect(script).toContain("    '--node-labels=node-pool=windows-2019,workload-class=windows',\n    '--cgroups-per-qos=false',\n");
});

test('values from the model are single-quoted with embedded quotes doubled, in the lifecycle calls and the SSM read', () => {
  const script = render({ autoScalingGroupName: "o'brien's-group", lifecycleHookName: "it's", tokenParameter: "/x/it's" });
  expect(lines(script)).toContain(
    "  try { Complete-ASLifecycleAction -Region 'us-east-1' -AutoScalingGroupName 'o''brien''s-group' -LifecycleHookName 'it''s' -InstanceId $instanceId -LifecycleActionResult ABANDON } catch { Write-Output \"could not complete the lifecycle action: $_\" }",
  );
  expect(lines(script)).toContain(
    "Complete-ASLifecycleAction -Region 'us-east-1' -AutoScalingGroupName 'o''brien''s-group' -LifecycleHookName 'it''s' -InstanceId $instanceId -LifecycleActionResult CONTINUE",
  );
  expect(lines(script)).toContain("$bootstrapToken = (Get-SSMParameter -Region 'us-east-1' -Name '/x/it''s' -WithDecryption $true).Value");
});

test('the token read from SSM must be a kubeadm token: a literal dot, lower case only (case-sensitive match)', () => {
  const line = lines().find((l) => l.startsWith('if ($bootstrapToken '))!;
  const m = /^if \(\$bootstrapToken (-\w+) '([^']+)'\) \{ throw 'the bootstrap token parameter does not hold a kubeadm token' \}$/.exec(line);
  expect(m?.[1]).toBe('-cnotmatch');
  const pattern = new RegExp(m![2]);
  expect(pattern.test('abcdef.0123456789abcdef')).toBe(true);
  for (const bad of ['abcdef-0123456789abcdef', 'abcdefx0123456789abcdef', 'ABCDEF.0123456789abcdef', 'abcdef.0123456789abcde', ' abcdef.0123456789abcdef']) {
    expect([bad, pattern.test(bad)]).toEqual([bad, false]);
  }
});

test('the node name from the instance metadata must be a lower-case DNS name (case-sensitive match)', () => {
  const line = lines().find((l) => l.startsWith('if ($nodeName '))!;
  const m = /^if \(\$nodeName (-\w+) '([^']+)'\) \{ throw "unexpected local-hostname from the instance metadata: \$nodeName" \}$/.exec(line);
  expect(m?.[1]).toBe('-cnotmatch');
  const pattern = new RegExp(m![2]);
  expect(pattern.test('ip-10-0-0-5.ec2.internal')).toBe(true);
  for (const bad of ['IP-10-0-0-5.ec2.internal', 'ip_10', 'a b', '$(x)', '']) expect([bad, pattern.test(bad)]).toEqual([bad, false]);
});

test('the Windows build: 10.0.<build> only, and the script stops on an AMI of another build', () => {
  expect(lines(render({}, { windowsBuild: '10.0.20348' }))).toContain('if ([Environment]::OSVersion.Version.Build -ne 20348) {');
  expect(render().split('\n')[1]).toBe(
    '# Worker of node pool windows-2019 (windows/amd64, build 10.0.17763) of cluster hopper (environment prod).',
  );
  expect(lines()).toContain(
    '  throw "node pool windows-2019 expects Windows build 10.0.17763, this AMI runs $([Environment]::OSVersion.Version); fix the pool\'s AMI or windowsBuild"',
  );
  for (const windowsBuild of ['x10.0.17763', '10.0.17763.1', '10.0.', '10.0.abc', '6.3.9600', '10.1.17763']) {
    expect(() => render({}, { windowsBuild })).toThrow(
      `node pool "windows-2019": windowsBuild "${windowsBuild}" is not "10.0.<build>" (Windows pools need it; 10.0.17763 is Server 2019)`,
    );
  }
});

test('waits for the API server port, then for its version, with bounded retries', () => {
  const script = render({ endpoint: { host: 'api.example.org', port: 8443 } });
  expect(lines(script)).toContain(
    "  if (Test-NetConnection -ComputerName 'api.example.org' -Port 8443 -InformationLevel Quiet -WarningAction SilentlyContinue) { $ready = $true; break }",
  );
  expect(lines(script)).toContain("if (-not $ready) { throw 'the API server at api.example.org:8443 was not reachable within 15 minutes' }");
  expect(lines(script)).toContain("  try { $running = [version]((Invoke-RestMethod -Uri 'https://api.example.org:8443/version').gitVersion.TrimStart('v')) } catch { $running = $null }");
  // Certificate checks are off only around the version probe.
  const off = script.indexOf('[Net.ServicePointManager]::ServerCertificateValidationCallback = { $true }');
  const on = script.indexOf('[Net.ServicePointManager]::ServerCertificateValidationCallback = $null');
  expect(off).toBeGreaterThan(script.indexOf('if (-not $ready)'));
  expect(on).toBeGreaterThan(off);
  expect(on).toBeLessThan(script.indexOf('& C:\\k\\kubeadm.exe join'));
});

test('kubeadm join: 5 attempts, a reset against the containerd pipe between them', () => {
  const script = render();
  expect(script).toContain(
    [
      'foreach ($attempt in 1..5) {',
      '  & C:\\k\\kubeadm.exe join --config C:\\etc\\kubernetes\\kubeadm-join.yaml',
      '  if ($LASTEXITCODE -eq 0) { break }',
      "  if ($attempt -eq 5) { throw 'kubeadm join failed 5 times; see C:\\k\\bootstrap.log' }",
      '  & C:\\k\\kubeadm.exe reset --force --cri-socket npipe:////./pipe/containerd-containerd',
      '  Start-Sleep -Seconds 30',
      '}',
      'Remove-Item -Force C:\\etc\\kubernetes\\kubeadm-join.yaml',
    ].join('\n'),
  );
});

test('the embedded JoinConfiguration ends right before the here-string terminator', () => {
  const script = render();
  const end = lines(script).findIndex((l) => l.startsWith("'@ -replace '__NODE_NAME__', $nodeName"));
  expect(lines(script)[end - 1]).toBe('      value: os=windows:NoSchedule');
  const start = lines(script).indexOf("$joinConfig = @'");
  expect(lines(script)[start + 1]).toBe('apiVersion: kubeadm.k8s.io/v1beta4');
  const config = parse(lines(script).slice(start + 1, end).join('\n'));
  expect(config.discovery.bootstrapToken).toEqual({ apiServerEndpoint: 'api.hopper.internal:6443', token: '__BOOTSTRAP_TOKEN__', caCertHashes: [HASH] });
});

test('refuses a malformed discovery hash before rendering', () => {
  expect(() => render({ discoveryHash: 'sha256:xyz' })).toThrow('discoveryHash is not "sha256:<64 hex>"');
});
