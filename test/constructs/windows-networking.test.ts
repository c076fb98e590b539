/**
 * Windows flannel and kube-proxy HostProcess DaemonSets (constructs/cluster/windows-networking.ts).
 * Oracle: sig-windows-tools hostprocess/flannel (flanneld/flannel-overlay.yml, kube-proxy/kube-proxy.yml
 * and their start.ps1): the sdnoverlay CNI config with OutBoundNAT / SDNROUTE / ProviderAddress
 * policies, network `flannel.4096`, HostProcess as `NT AUTHORITY\system` on the host network, the
 * `kube-proxy` ServiceAccount and ConfigMap kubeadm creates, `--proxy-mode=kernelspace` with a source VIP.
 * Expected values are written out here.
 */
import { WindowsNetworking, windowsFlannelImage, windowsKubeProxyImage } from '../../constructs/cluster/windows-networking';
import { find, Manifest, synthObjects } from '../util/synth';

const ANNOTATION = 'guardrails.k8s-book-systems.io/node-agent';
const SANDBOX = '$env:CONTAINER_SANDBOX_MOUNT_POINT';

function windows(builds: readonly string[], kubernetesVersion = '1.34.2', serviceCidr = '10.96.0.0/12'): Manifest[] {
  return synthObjects((chart) => new WindowsNetworking(chart, 'win', { kubernetesVersion, serviceCidr, windowsBuilds: builds }));
}

const hostProcessPod = (builds: string[]) => ({
  os: { name: 'windows' },
  nodeSelector: { 'kubernetes.io/os': 'windows' },
  affinity: {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: 'node.kubernetes.io/windows-build', operator: 'In', values: builds }] }],
      },
    },
  },
  tolerations: [{ operator: 'Exists' }],
  hostNetwork: true,
  priorityClassName: 'system-node-critical',
  securityContext: { windowsOptions: { hostProcess: true, runAsUserName: 'NT AUTHORITY\\system' } },
});

describe('WindowsNetworking', () => {
  const objects = windows(['10.0.17763', '10.0.20348'], '1.34.2', '10.96.0.0/12');

  test('images: the project-built HostProcess images, flannel at the Linux release, kube-proxy at the cluster version', () => {
    expect(windowsFlannelImage()).toBe('ghcr.io/k8s-book-systems/flannel-windows:v0.28.9-hostprocess');
    expect(windowsKubeProxyImage('1.34.2')).toBe('ghcr.io/k8s-book-systems/kube-proxy-windows:v1.34.2-hostprocess');
  });

  test('renders the two ConfigMaps and the two DaemonSets, and nothing else', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ConfigMap/kube-flannel-windows-cfg',
      'DaemonSet/kube-flannel-ds-windows',
      'ConfigMap/kube-proxy-windows',
      'DaemonSet/kube-proxy-windows',
    ]);
  });

  describe('flannel', () => {
    const cm = find(objects, 'ConfigMap', 'kube-flannel-windows-cfg');
    const ds = find(objects, 'DaemonSet', 'kube-flannel-ds-windows');
    const labels = { app: 'flannel', tier: 'node', os: 'windows' };

    test('ConfigMap metadata and keys', () => {
      expect(cm.apiVersion).toBe('v1');
      expect(cm.metadata).toEqual({ name: 'kube-flannel-windows-cfg', namespace: 'kube-system', labels });
      expect(Object.keys(cm.data).sort()).toEqual(['cni-conf-containerd.json', 'run.ps1']);
    });

    test("the sdnoverlay CNI template of sig-windows-tools' flannel-overlay.yml", () => {
      const text: string = cm.data['cni-conf-containerd.json'];
      expect(text.endsWith('}\n')).toBe(true);
      expect(text.startsWith('{\n  "name": "flannel.4096",\n')).toBe(true);
      expect(JSON.parse(text)).toEqual({
        name: 'flannel.4096',
        cniVersion: '0.3.0',
        type: 'flannel',
        capabilities: { portMappings: true, dns: true },
        delegate: {
          type: 'sdnoverlay',
          AdditionalArgs: [
            { Name: 'EndpointPolicy', Value: { Type: 'OutBoundNAT', Settings: { Exceptions: [] } } },
            { Name: 'EndpointPolicy', Value: { Type: 'SDNROUTE', Settings: { DestinationPrefix: '', NeedEncap: true } } },
            { Name: 'EndpointPolicy', Value: { Type: 'ProviderAddress', Settings: { ProviderAddress: '' } } },
          ],
        },
      });
    });

    test('run.ps1 reads the control-plane endpoint from kube-proxy, fills the CNI template and runs flanneld', () => {
      const script: string = cm.data['run.ps1'];
      const lines = script.split('\n');
      expect(lines[0]).toBe('$ErrorActionPreference = "Stop"');
      expect(lines[1]).toBe('$sandbox = $env:CONTAINER_SANDBOX_MOUNT_POINT');
      for (const line of [
        '$proxyConfig = Get-Content -Raw -Path "$sandbox/mounts/kube-proxy/kubeconfig.conf"',
        "if ($proxyConfig -notmatch 'server:\\s*(https://[^\\s]+)') { throw \"no https server in kube-proxy's kubeconfig.conf\" }",
        '$server = $Matches[1]',
        '$sa = "$sandbox/var/run/secrets/kubernetes.io/serviceaccount"',
        'New-Item -ItemType Directory -Force -Path $env:CNI_BIN_PATH, $env:CNI_CONFIG_PATH, C:/etc/kube-flannel, C:/run/flannel | Out-Null',
        '@"',
        'apiVersion: v1',
        'kind: Config',
        "clusters: [{name: cluster, cluster: {server: '$server', certificate-authority: '$sa/ca.crt'}}]",
        "users: [{name: flannel, user: {tokenFile: '$sa/token'}}]",
        'contexts: [{name: flannel, context: {cluster: cluster, user: flannel}}]',
        'current-context: flannel',
        '"@ | Set-Content -Path C:/etc/kube-flannel/kubeconfig.yaml',
        'Copy-Item -Force -Path "$sandbox/cni/*" -Destination $env:CNI_BIN_PATH',
        '$netConf = Get-Content -Raw -Path "$sandbox/mounts/kube-flannel/net-conf.json"',
        'Set-Content -Path C:/etc/kube-flannel/net-conf.json -Value $netConf',
        '$podCidr = ($netConf | ConvertFrom-Json).Network',
        '$nodeIp = (Get-NetIPConfiguration | Where-Object { $_.IPv4DefaultGateway } | Select-Object -First 1).IPv4Address.IPAddress',
        '$cni = Get-Content -Raw -Path "$sandbox/mounts/kube-flannel-windows/cni-conf-containerd.json" | ConvertFrom-Json',
        '$cni.delegate.AdditionalArgs[0].Value.Settings.Exceptions = @($env:SERVICE_SUBNET, $podCidr)',
        '$cni.delegate.AdditionalArgs[1].Value.Settings.DestinationPrefix = $env:SERVICE_SUBNET',
        '$cni.delegate.AdditionalArgs[2].Value.Settings.ProviderAddress = $nodeIp',
        'Set-Content -Path "$env:CNI_CONFIG_PATH/10-flannel.conf" -Value ($cni | ConvertTo-Json -Depth 100)',
        '& "$sandbox/flannel/flanneld.exe" --kube-subnet-mgr --kubeconfig-file=C:/etc/kube-flannel/kubeconfig.yaml --net-config-path=C:/etc/kube-flannel/net-conf.json --iface=$nodeIp',
      ]) {
        expect(lines).toContain(line);
      }
      expect(lines).toHaveLength(27);
      expect(script.endsWith('--iface=$nodeIp\n')).toBe(true);
    });

    test('DaemonSet metadata, selector, rollout and the HostProcess exception', () => {
      expect(ds.apiVersion).toBe('apps/v1');
      expect(ds.metadata).toEqual({
        name: 'kube-flannel-ds-windows',
        namespace: 'kube-system',
        labels,
        annotations: {
          [ANNOTATION]:
            'hostProcess: Windows has no privileged containers: the agent runs on the host as SYSTEM to manage HNS networks and the CNI files; hostNetwork: HostProcess pods must share the host network',
        },
      });
      expect(ds.spec.selector).toEqual({ matchLabels: { app: 'flannel', tier: 'node', os: 'windows' } });
      expect(ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } });
      expect(ds.spec.template.metadata).toEqual({ labels });
    });

    test('pod: HostProcess on the declared builds, with the shared flannel ServiceAccount and ConfigMaps', () => {
      expect(ds.spec.template.spec).toEqual({
        ...hostProcessPod(['10.0.17763', '10.0.20348']),
        serviceAccountName: 'flannel',
        containers: [
          {
            name: 'kube-flannel',
            image: 'ghcr.io/k8s-book-systems/flannel-windows:v0.28.9-hostprocess',
            command: ['PowerShell', '/c', `${SANDBOX}/mounts/kube-flannel-windows/run.ps1`],
            resources: { requests: { cpu: '100m', memory: '100Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
            env: [
              { name: 'CNI_BIN_PATH', value: 'C:\\opt\\cni\\bin' },
              { name: 'CNI_CONFIG_PATH', value: 'C:\\etc\\cni\\net.d' },
              { name: 'SERVICE_SUBNET', value: '10.96.0.0/12' },
              { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
            ],
            volumeMounts: [
              { name: 'flannel-cfg', mountPath: '/mounts/kube-flannel/', readOnly: true },
              { name: 'flannel-windows-cfg', mountPath: '/mounts/kube-flannel-windows/', readOnly: true },
              { name: 'kube-proxy', mountPath: '/mounts/kube-proxy/', readOnly: true },
            ],
          },
        ],
        volumes: [
          { name: 'flannel-cfg', configMap: { name: 'kube-flannel-cfg' } },
          { name: 'flannel-windows-cfg', configMap: { name: 'kube-flannel-windows-cfg' } },
          { name: 'kube-proxy', configMap: { name: 'kube-proxy' } },
        ],
      });
    });
  });

  describe('kube-proxy', () => {
    const cm = find(objects, 'ConfigMap', 'kube-proxy-windows');
    const ds = find(objects, 'DaemonSet', 'kube-proxy-windows');
    const labels = { 'k8s-app': 'kube-proxy-windows' };

    test('ConfigMap metadata and keys', () => {
      expect(cm.apiVersion).toBe('v1');
      expect(cm.metadata).toEqual({ name: 'kube-proxy-windows', namespace: 'kube-system', labels });
      expect(Object.keys(cm.data)).toEqual(['start.ps1']);
    });

    test("start.ps1 waits for flannel's HNS network, reserves a source VIP and runs kube-proxy in kernelspace mode", () => {
      const script: string = cm.data['start.ps1'];
      const lines = script.split('\n');
      expect(lines[0]).toBe('$ErrorActionPreference = "Stop"');
      for (const line of [
        'Import-Module -Force "$env:CONTAINER_SANDBOX_MOUNT_POINT/kube-proxy/hns.psm1"',
        '$networkName = $env:KUBE_NETWORK',
        'while (-not (Get-HnsNetwork | Where-Object Name -EQ $networkName)) {',
        '  Write-Host "Waiting for the HNS network $networkName flannel creates..."',
        '  Start-Sleep 2',
        'mkdir -Force c:/sourcevip | Out-Null',
        '$sourceVipJson = "c:/sourcevip/sourceVip.json"',
        'if (-not (Test-Path $sourceVipJson)) {',
        '  $subnet = (Get-HnsNetwork | Where-Object Name -EQ $networkName).Subnets[0].AddressPrefix',
        `  $request = '{"cniVersion": "0.3.0", "name": "' + $networkName + '", "ipam": {"type": "host-local", "ranges": [[{"subnet": "' + $subnet + '"}]], "dataDir": "/var/lib/cni/networks"}}'`,
        '  $env:CNI_COMMAND = "ADD"; $env:CNI_CONTAINERID = "dummy"; $env:CNI_NETNS = "dummy"; $env:CNI_IFNAME = "dummy"; $env:CNI_PATH = $env:CNI_BIN_PATH',
        '  $request | & "$env:CNI_BIN_PATH/host-local.exe" | Out-File $sourceVipJson',
        '  Remove-Item env:CNI_COMMAND, env:CNI_CONTAINERID, env:CNI_NETNS, env:CNI_IFNAME, env:CNI_PATH',
        '$sourceVip = (Get-Content $sourceVipJson | ConvertFrom-Json).ips[0].address.Split("/")[0]',
        'mkdir -Force /var/lib/kube-proxy | Out-Null',
        `((Get-Content -Raw -Path "$env:CONTAINER_SANDBOX_MOUNT_POINT/mounts/kube-proxy/kubeconfig.conf") -replace '/var', "$env:CONTAINER_SANDBOX_MOUNT_POINT/var") | Set-Content -Path /var/lib/kube-proxy/kubeconfig.conf`,
        '& "$env:CONTAINER_SANDBOX_MOUNT_POINT/kube-proxy/kube-proxy.exe" --v=2 --hostname-override=$env:NODE_NAME --proxy-mode=kernelspace --source-vip=$sourceVip --kubeconfig=/var/lib/kube-proxy/kubeconfig.conf',
      ]) {
        expect(lines).toContain(line);
      }
      expect(lines).toHaveLength(21);
      expect(script.endsWith('/var/lib/kube-proxy/kubeconfig.conf\n')).toBe(true);
    });

    test('DaemonSet metadata, selector defaulting to the labels, and the HostProcess exception', () => {
      expect(ds.metadata).toEqual({
        name: 'kube-proxy-windows',
        namespace: 'kube-system',
        labels,
        annotations: {
          [ANNOTATION]:
            "hostProcess: kube-proxy programs the host's HNS load balancers for Services; Windows has no privileged containers; hostNetwork: HostProcess pods must share the host network",
        },
      });
      expect(ds.spec.selector).toEqual({ matchLabels: { 'k8s-app': 'kube-proxy-windows' } });
      expect(ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } });
      expect(ds.spec.template.metadata).toEqual({ labels });
    });

    test("pod: kubeadm's kube-proxy ServiceAccount and ConfigMap, KUBE_NETWORK flannel.4096, the cluster's kube-proxy release", () => {
      expect(ds.spec.template.spec).toEqual({
        ...hostProcessPod(['10.0.17763', '10.0.20348']),
        serviceAccountName: 'kube-proxy',
        containers: [
          {
            name: 'kube-proxy',
            image: 'ghcr.io/k8s-book-systems/kube-proxy-windows:v1.34.2-hostprocess',
            args: [`${SANDBOX}/mounts/kube-proxy-windows/start.ps1`],
            workingDir: `${SANDBOX}/kube-proxy/`,
            resources: { requests: { cpu: '100m', memory: '100Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
            env: [
              { name: 'KUBE_NETWORK', value: 'flannel.4096' },
              { name: 'CNI_BIN_PATH', value: 'C:\\opt\\cni\\bin' },
              { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
            ],
            volumeMounts: [
              { name: 'kube-proxy', mountPath: '/mounts/kube-proxy/', readOnly: true },
              { name: 'kube-proxy-windows', mountPath: '/mounts/kube-proxy-windows/', readOnly: true },
            ],
          },
        ],
        volumes: [
          { name: 'kube-proxy', configMap: { name: 'kube-proxy' } },
          { name: 'kube-proxy-windows', configMap: { name: 'kube-proxy-windows' } },
        ],
      });
    });
  });

  test('the props reach the output: another version, service CIDR and a single build', () => {
    const other = windows(['10.0.26100'], '1.35.0', '172.20.0.0/16');
    const flannelPod = find(other, 'DaemonSet', 'kube-flannel-ds-windows').spec.template.spec;
    const proxyPod = find(other, 'DaemonSet', 'kube-proxy-windows').spec.template.spec;
    expect(flannelPod.containers[0].env[2]).toEqual({ name: 'SERVICE_SUBNET', value: '172.20.0.0/16' });
    expect(proxyPod.containers[0].image).toBe('ghcr.io/k8s-book-systems/kube-proxy-windows:v1.35.0-hostprocess');
    for (const pod of [flannelPod, proxyPod]) {
      expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
        { matchExpressions: [{ key: 'node.kubernetes.io/windows-build', operator: 'In', values: ['10.0.26100'] }] },
      ]);
    }
  });
});
