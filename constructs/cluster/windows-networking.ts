import { Manifest } from '../manifest';
import { Construct } from 'constructs';
import type { PodSpec } from '../k8s';
import { WINDOWS_BUILD_LABEL } from '../platform';
import { windowsFlannelImage, windowsKubeProxyImage } from '../../contracts/versions';
import { ADDON_NAMESPACE, addonDaemonSet } from './common';
import { FLANNEL_CONFIG_MAP, FLANNEL_LABELS, FLANNEL_SERVICE_ACCOUNT } from './flannel';
import { FLANNEL_WINDOWS_NETWORK } from './flannel-net-conf';

/**
 * The Windows images (contracts/versions.ts): upstream release binaries only, flanneld.exe at the
 * Linux flannel's version and kube-proxy.exe at the cluster's, built by images/windows-hostprocess/.
 * The start scripts are ours, in the ConfigMaps below, so a reviewer sees everything they do.
 */
export { windowsFlannelImage, windowsKubeProxyImage };

export interface WindowsNetworkingProps {
  /** Full patch version (`1.34.2`): the Windows kube-proxy must match the cluster's. */
  readonly kubernetesVersion: string;
  /** The cluster service CIDR: excluded from outbound NAT and routed through the overlay on Windows. */
  readonly serviceCidr: string;
  /** The builds of the cluster's Windows pools; the DaemonSets run on those nodes only. */
  readonly windowsBuilds: readonly string[];
}

const SANDBOX = '$env:CONTAINER_SANDBOX_MOUNT_POINT';

/**
 * flanneld on a Windows node. Windows pods cannot reach the API server through the `kubernetes`
 * Service before kube-proxy has programmed it, and kube-proxy waits for flannel's network, so
 * flanneld talks to the control-plane endpoint directly, read from the kubeconfig kubeadm publishes
 * in the `kube-proxy` ConfigMap, with the pod's own service-account token (re-read as it rotates).
 * It installs the CNI plugins and the sdnoverlay config (NAT exceptions and the service route from
 * SERVICE_SUBNET and net-conf.json, the node's address) where containerd looks, then runs flanneld.
 */
const FLANNEL_RUN_PS1 = `$ErrorActionPreference = "Stop"
$sandbox = ${SANDBOX}
$proxyConfig = Get-Content -Raw -Path "$sandbox/mounts/kube-proxy/kubeconfig.conf"
if ($proxyConfig -notmatch 'server:\\s*(https://[^\\s]+)') { throw "no https server in kube-proxy's kubeconfig.conf" }
$server = $Matches[1]
$sa = "$sandbox/var/run/secrets/kubernetes.io/serviceaccount"
New-Item -ItemType Directory -Force -Path $env:CNI_BIN_PATH, $env:CNI_CONFIG_PATH, C:/etc/kube-flannel, C:/run/flannel | Out-Null
@"
apiVersion: v1
kind: Config
clusters: [{name: cluster, cluster: {server: '$server', certificate-authority: '$sa/ca.crt'}}]
users: [{name: flannel, user: {tokenFile: '$sa/token'}}]
contexts: [{name: flannel, context: {cluster: cluster, user: flannel}}]
current-context: flannel
"@ | Set-Content -Path C:/etc/kube-flannel/kubeconfig.yaml
Copy-Item -Force -Path "$sandbox/cni/*" -Destination $env:CNI_BIN_PATH
$netConf = Get-Content -Raw -Path "$sandbox/mounts/kube-flannel/net-conf.json"
Set-Content -Path C:/etc/kube-flannel/net-conf.json -Value $netConf
$podCidr = ($netConf | ConvertFrom-Json).Network
$nodeIp = (Get-NetIPConfiguration | Where-Object { $_.IPv4DefaultGateway } | Select-Object -First 1).IPv4Address.IPAddress
$cni = Get-Content -Raw -Path "$sandbox/mounts/kube-flannel-windows/cni-conf-containerd.json" | ConvertFrom-Json
$cni.delegate.AdditionalArgs[0].Value.Settings.Exceptions = @($env:SERVICE_SUBNET, $podCidr)
$cni.delegate.AdditionalArgs[1].Value.Settings.DestinationPrefix = $env:SERVICE_SUBNET
$cni.delegate.AdditionalArgs[2].Value.Settings.ProviderAddress = $nodeIp
Set-Content -Path "$env:CNI_CONFIG_PATH/10-flannel.conf" -Value ($cni | ConvertTo-Json -Depth 100)
& "$sandbox/flannel/flanneld.exe" --kube-subnet-mgr --kubeconfig-file=C:/etc/kube-flannel/kubeconfig.yaml --net-config-path=C:/etc/kube-flannel/net-conf.json --iface=$nodeIp
`;

/**
 * The flannel flavour's start script: reserve a source VIP on flannel's HNS network (kube-proxy needs
 * it in overlay mode), point the kubeconfig at the sandbox's service-account files, start kube-proxy.
 */
const KUBE_PROXY_START_PS1 = `$ErrorActionPreference = "Stop"
Import-Module -Force "${SANDBOX}/kube-proxy/hns.psm1"
$networkName = $env:KUBE_NETWORK
while (-not (Get-HnsNetwork | Where-Object Name -EQ $networkName)) {
  Write-Host "Waiting for the HNS network $networkName flannel creates..."
  Start-Sleep 2
}
mkdir -Force c:/sourcevip | Out-Null
$sourceVipJson = "c:/sourcevip/sourceVip.json"
if (-not (Test-Path $sourceVipJson)) {
  $subnet = (Get-HnsNetwork | Where-Object Name -EQ $networkName).Subnets[0].AddressPrefix
  $request = '{"cniVersion": "0.3.0", "name": "' + $networkName + '", "ipam": {"type": "host-local", "ranges": [[{"subnet": "' + $subnet + '"}]], "dataDir": "/var/lib/cni/networks"}}'
  $env:CNI_COMMAND = "ADD"; $env:CNI_CONTAINERID = "dummy"; $env:CNI_NETNS = "dummy"; $env:CNI_IFNAME = "dummy"; $env:CNI_PATH = $env:CNI_BIN_PATH
  $request | & "$env:CNI_BIN_PATH/host-local.exe" | Out-File $sourceVipJson
  Remove-Item env:CNI_COMMAND, env:CNI_CONTAINERID, env:CNI_NETNS, env:CNI_IFNAME, env:CNI_PATH
}
$sourceVip = (Get-Content $sourceVipJson | ConvertFrom-Json).ips[0].address.Split("/")[0]
mkdir -Force /var/lib/kube-proxy | Out-Null
((Get-Content -Raw -Path "${SANDBOX}/mounts/kube-proxy/kubeconfig.conf") -replace '/var', "${SANDBOX}/var") | Set-Content -Path /var/lib/kube-proxy/kubeconfig.conf
& "${SANDBOX}/kube-proxy/kube-proxy.exe" --v=2 --hostname-override=$env:NODE_NAME --proxy-mode=kernelspace --source-vip=$sourceVip --kubeconfig=/var/lib/kube-proxy/kubeconfig.conf
`;

/**
 * The Windows flannel CNI config (sdnoverlay) as a template: the image's start script fills in the
 * NAT exceptions and the service route (from SERVICE_SUBNET and net-conf.json) and the node's address.
 */
const WINDOWS_CNI_CONF = `${JSON.stringify(
  {
    name: FLANNEL_WINDOWS_NETWORK,
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
  },
  null,
  2,
)}\n`;

/** HostProcess pod settings both DaemonSets share: on the host, as SYSTEM, on the pools' builds. */
function hostProcessPod(windowsBuilds: readonly string[]): Pick<PodSpec, 'os' | 'nodeSelector' | 'affinity' | 'tolerations' | 'hostNetwork' | 'priorityClassName' | 'securityContext'> {
  return {
    os: { name: 'windows' },
    nodeSelector: { 'kubernetes.io/os': 'windows' },
    // HostProcess containers run on any build, but these only on the builds the environment declares.
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: WINDOWS_BUILD_LABEL, operator: 'In', values: [...windowsBuilds] }] }],
        },
      },
    },
    // Every Windows node needs its network: tolerate the pools' `os=windows` taint and any other.
    tolerations: [{ operator: 'Exists' }],
    hostNetwork: true,
    priorityClassName: 'system-node-critical',
    securityContext: { windowsOptions: { hostProcess: true, runAsUserName: 'NT AUTHORITY\\system' } },
  };
}

const HOST_PROCESS_REASON = 'Windows has no privileged containers: the agent runs on the host as SYSTEM to manage HNS networks and the CNI files';
const HOST_NETWORK_REASON = 'HostProcess pods must share the host network';

/**
 * What Windows nodes need to join flannel's VXLAN overlay: flanneld and kube-proxy as HostProcess
 * DaemonSets (after the sig-windows-tools flannel flavour, removed upstream in 2025), with the
 * ConfigMaps they read. NetworkPolicies are NOT enforced for Windows pods: flannel's sdnoverlay
 * has no policy engine and kube-network-policies runs on Linux only.
 */
export class WindowsNetworking extends Construct {
  constructor(scope: Construct, id: string, props: WindowsNetworkingProps) {
    super(scope, id);
    this.renderFlannel(props);
    this.renderKubeProxy(props);
  }

  private renderFlannel(props: WindowsNetworkingProps): void {
    const labels = { ...FLANNEL_LABELS, os: 'windows' };
    new Manifest(this, 'FlannelConfigMap', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kube-flannel-windows-cfg', namespace: ADDON_NAMESPACE, labels },
      data: { 'cni-conf-containerd.json': WINDOWS_CNI_CONF, 'run.ps1': FLANNEL_RUN_PS1 },
    });
    const pod: PodSpec = {
      ...hostProcessPod(props.windowsBuilds),
      serviceAccountName: FLANNEL_SERVICE_ACCOUNT,
      containers: [
        {
          name: 'kube-flannel',
          image: windowsFlannelImage(),
          command: ['PowerShell', '/c', `${SANDBOX}/mounts/kube-flannel-windows/run.ps1`],
          resources: { requests: { cpu: '100m', memory: '100Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
          env: [
            { name: 'CNI_BIN_PATH', value: 'C:\\opt\\cni\\bin' },
            { name: 'CNI_CONFIG_PATH', value: 'C:\\etc\\cni\\net.d' },
            { name: 'SERVICE_SUBNET', value: props.serviceCidr },
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
          ],
          volumeMounts: [
            // net-conf.json comes from the Linux ConfigMap: one Network for both OSes.
            { name: 'flannel-cfg', mountPath: '/mounts/kube-flannel/', readOnly: true },
            { name: 'flannel-windows-cfg', mountPath: '/mounts/kube-flannel-windows/', readOnly: true },
            { name: 'kube-proxy', mountPath: '/mounts/kube-proxy/', readOnly: true },
          ],
        },
      ],
      volumes: [
        { name: 'flannel-cfg', configMap: { name: FLANNEL_CONFIG_MAP } },
        { name: 'flannel-windows-cfg', configMap: { name: 'kube-flannel-windows-cfg' } },
        { name: 'kube-proxy', configMap: { name: 'kube-proxy' } },
      ],
    };
    addonDaemonSet(this, 'FlannelDaemonSet', {
      name: 'kube-flannel-ds-windows',
      labels,
      selector: { app: 'flannel', tier: 'node', os: 'windows' },
      privileges: { hostProcess: HOST_PROCESS_REASON, hostNetwork: HOST_NETWORK_REASON },
      pod,
    });
  }

  private renderKubeProxy(props: WindowsNetworkingProps): void {
    const labels = { 'k8s-app': 'kube-proxy-windows' };
    new Manifest(this, 'KubeProxyConfigMap', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kube-proxy-windows', namespace: ADDON_NAMESPACE, labels },
      data: { 'start.ps1': KUBE_PROXY_START_PS1 },
    });
    const pod: PodSpec = {
      ...hostProcessPod(props.windowsBuilds),
      // kubeadm creates the kube-proxy ServiceAccount (bound to system:node-proxier) and ConfigMap.
      serviceAccountName: 'kube-proxy',
      containers: [
        {
          name: 'kube-proxy',
          image: windowsKubeProxyImage(props.kubernetesVersion),
          // The image's entrypoint is PowerShell: run the start script of the ConfigMap.
          args: [`${SANDBOX}/mounts/kube-proxy-windows/start.ps1`],
          workingDir: `${SANDBOX}/kube-proxy/`,
          resources: { requests: { cpu: '100m', memory: '100Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
          env: [
            { name: 'KUBE_NETWORK', value: FLANNEL_WINDOWS_NETWORK },
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
    };
    addonDaemonSet(this, 'KubeProxyDaemonSet', {
      name: 'kube-proxy-windows',
      labels,
      privileges: {
        hostProcess: 'kube-proxy programs the host\'s HNS load balancers for Services; Windows has no privileged containers',
        hostNetwork: HOST_NETWORK_REASON,
      },
      pod,
    });
  }
}
