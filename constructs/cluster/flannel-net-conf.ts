/**
 * The flannel network configuration (`net-conf.json`) of a cluster, as a pure function of its pod
 * CIDR: the Linux and Windows flannel DaemonSets read it, and the cross-layer guardrail compares its
 * `Network` with kubeadm's `podSubnet`.
 */

/** VXLAN settings Windows overlay networking requires (Linux flannel defaults to VNI 1, port 8472). */
export const FLANNEL_VXLAN_VNI = 4096;
export const FLANNEL_VXLAN_PORT = 4789;

/** The HNS network flannel creates on Windows nodes; Windows kube-proxy must name the same one. */
export const FLANNEL_WINDOWS_NETWORK = `flannel.${FLANNEL_VXLAN_VNI}`;

export interface FlannelNetConf {
  readonly Network: string;
  readonly EnableNFTables: boolean;
  readonly Backend: { readonly Type: 'vxlan'; readonly VNI: number; readonly Port: number };
}

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Whether `cidr` is an IPv4 network in CIDR notation with no host bits set. */
export function isIpv4Network(cidr: string): boolean {
  const m = IPV4_CIDR.exec(cidr);
  if (!m) return false;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return false;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  return address % 2 ** (32 - prefix) === 0;
}

export function flannelNetConf(podCidr: string): FlannelNetConf {
  if (!isIpv4Network(podCidr)) throw new Error(`pod CIDR "${podCidr}" is not an IPv4 network like 10.244.0.0/16`);
  // EnableNFTables false: flanneld programs iptables, which Windows nodes and kube-proxy's iptables mode expect.
  return { Network: podCidr, EnableNFTables: false, Backend: { Type: 'vxlan', VNI: FLANNEL_VXLAN_VNI, Port: FLANNEL_VXLAN_PORT } };
}

/** `net-conf.json` as the ConfigMap carries it. */
export function renderFlannelNetConf(podCidr: string): string {
  return `${JSON.stringify(flannelNetConf(podCidr), null, 2)}\n`;
}
