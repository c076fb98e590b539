import { Manifest } from '../manifest';
import { Construct } from 'constructs';
import type { PodSpec } from '../k8s';
import { WINDOWS_BUILD_LABEL } from '../platform';
import { ADDON_NAMESPACE, addonDaemonSet } from './common';
import { FLANNEL_CONFIG_MAP, FLANNEL_LABELS, FLANNEL_SERVICE_ACCOUNT } from './flannel';
import { FLANNEL_WINDOWS_NETWORK } from './flannel-net-conf';

/**
 * sig-windows-tools' HostProcess flannel image, the last version its (since removed, April 2025)
 * flannel guide documented. Its entrypoint script is what `run.ps1` below starts.
 */
export const WINDOWS_FLANNEL_IMAGE = 'sigwindowstools/flannel:v0.21.5-hostprocess';

/**
 * sig-windows-tools stopped publishing `-flannel-hostprocess` kube-proxy images in April 2025 (1.33);
 * its daily job still publishes `-calico-hostprocess` for every release since 1.33. That image is
 * only kube-proxy.exe on the HostProcess base plus a Calico start script, so we run it with our own
 * flannel start script (the one the flannel flavour carried) from the kube-proxy-windows ConfigMap.
 */
export function windowsKubeProxyImage(kubernetesVersion: string): string {
  return `sigwindowstools/kube-proxy:v${kubernetesVersion}-calico-hostprocess`;
}

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
 * Windows pods cannot reach the API server through the `kubernetes` Service before kube-proxy has
 * programmed it, and kube-proxy waits for flannel's network: flanneld talks to the control-plane
 * endpoint directly, read from the kubeconfig kubeadm publishes in the `kube-proxy` ConfigMap
 * (sig-windows-tools had users paste it into the manifest; the environment model does not know it).
 */
const FLANNEL_RUN_PS1 = `$ErrorActionPreference = "Stop"
$kubeconfig = Get-Content -Raw -Path "${SANDBOX}/mounts/kube-proxy/kubeconfig.conf"
if ($kubeconfig -notmatch 'server:\\s*https://([^:/\\s]+):(\\d+)') { throw "no https server in kube-proxy's kubeconfig.conf" }
$env:KUBERNETES_SERVICE_HOST = $Matches[1]
$env:KUBERNETES_SERVICE_PORT = $Matches[2]
& "${SANDBOX}/flannel/start.ps1"
`;

/**
 * The flannel flavour's start script: reserve a source VIP on flannel's HNS network (kube-proxy needs
 * it in overlay mode), point the kubeconfig at the sandbox's service-account files, start kube-proxy.
 */
const KUBE_PROXY_START_PS1 = `$ErrorActionPreference = "Stop"
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
 * DaemonSets (the sig-windows-tools flavour), with the ConfigMaps they read.
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
          image: WINDOWS_FLANNEL_IMAGE,
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
          // The image's entrypoint is PowerShell; run our flannel start script instead of its Calico one.
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
