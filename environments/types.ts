/**
 * The typed model of one environment. Both halves read it: the cdk8s app (manifests under
 * `dist/<env>/`) and the Pulumi program (the stack name selects the environment). Every value
 * (a CIDR, a port, a version) is written once, here, and derived everywhere else.
 */

export type Os = 'linux' | 'windows';
export type Arch = 'amd64' | 'arm64';

/** A platform a container image runs on, e.g. `linux/arm64`. */
export interface Platform {
  readonly os: Os;
  readonly arch: Arch;
  /** Windows build a Windows image is tied to (`10.0.17763` = Server 2019 / `1809` images). */
  readonly windowsBuild?: string;
}

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: TaintEffect;
}

/** One group of identical worker nodes (an auto scaling group on AWS). */
export interface NodePool {
  /** DNS-1123 name, used in AWS resource names and the `node-pool` label. */
  readonly name: string;
  readonly os: Os;
  readonly arch: Arch;
  /** Required when `os` is `windows`: the build the pool's AMI runs (`10.0.17763` for Server 2019). */
  readonly windowsBuild?: string;
  /** EC2 instance types, first is preferred; all must match `arch`. */
  readonly instanceTypes: readonly string[];
  readonly min: number;
  readonly desired: number;
  readonly max: number;
  /** Kubelet `--node-labels`; never `node-role.kubernetes.io/*` (kubelets may not set those). */
  readonly labels: Readonly<Record<string, string>>;
  /** Kubelet `--register-with-taints`. */
  readonly taints: readonly Taint[];
}

export interface AwsNetwork {
  readonly region: string;
  /** One public and one private subnet per zone. */
  readonly availabilityZones: readonly string[];
  readonly vpcCidr: string;
  /** Parallel to `availabilityZones`. */
  readonly publicSubnetCidrs: readonly string[];
  /** Parallel to `availabilityZones`. */
  readonly privateSubnetCidrs: readonly string[];
  /** `single` NAT gateway (cheap, dev) or one per zone (prod: a zone outage keeps egress). */
  readonly natGateways: 'single' | 'per-az';
}

export interface ControlPlane {
  /** Odd, so etcd keeps quorum: 1 (dev) or 3 (prod). */
  readonly count: number;
  readonly instanceType: string;
  readonly arch: Arch;
}

export interface Cluster {
  readonly name: string;
  /** Full patch version, e.g. `1.34.2`; kubeadm, kubelet and kubectl are pinned to it. */
  readonly kubernetesVersion: string;
  readonly podCidr: string;
  readonly serviceCidr: string;
  /** The cluster DNS domain the kubelets and CoreDNS use. */
  readonly dnsDomain: string;
}

/** The Kubernetes distribution and where it runs. */
export type Provider =
  | {
      readonly kind: 'aws-kubeadm';
      readonly network: AwsNetwork;
      readonly controlPlane: ControlPlane;
    }
  | {
      readonly kind: 'microk8s';
      readonly microk8s: Microk8sCluster;
    };

/** A Raspberry Pi (or any arm64 board) of the MicroK8s edge cluster. */
export interface EdgeNode {
  /** Hostname, as the books name them: `controlplane`, `controlplane1`, `worker1`. */
  readonly hostname: string;
  /** Static address on the LAN; joiners reach the first node's `<ip>:25000`. */
  readonly address: string;
  /** `control-plane` nodes run the dqlite datastore; `worker` nodes join with `--worker`. */
  readonly role: 'control-plane' | 'worker';
}

export interface Microk8sCluster {
  /** Snap channel, pinned, e.g. `1.32/stable`. */
  readonly channel: string;
  /** `ha: true` demands at least 3 control-plane nodes (dqlite quorum ⌊n/2⌋+1). */
  readonly ha: boolean;
  /** The first node runs `microk8s add-node`; the others join it. */
  readonly nodes: readonly EdgeNode[];
  /** Lifetime of the pre-generated join token, in seconds. */
  readonly joinTokenTtlSeconds: number;
  /** Wi-Fi network the Pis join (the password comes from the secrets file, never from git). */
  readonly wifiSsid?: string;
  readonly lanPrefixLength: number;
  readonly gateway: string;
  readonly dnsServers: readonly string[];
}

/** A workload the environment deliberately leaves out, and why. */
export interface Omitted {
  readonly omitted: string;
}

export type Toggle<T> = T | Omitted;

export function isOmitted<T>(toggle: Toggle<T>): toggle is Omitted {
  return typeof (toggle as Omitted).omitted === 'string';
}

export interface NginxSettings {
  readonly image: string;
  readonly replicas: number;
  readonly maxSurge: number;
  readonly maxUnavailable: number;
  readonly antiAffinity: 'required' | 'preferred';
}

export interface ApodSettings {
  readonly replicas: number;
  readonly webNodePort: number;
}

export interface DemoSettings {
  readonly replicas: number;
  readonly serviceType: 'LoadBalancer' | 'NodePort';
  /** Needed when `serviceType` is `NodePort`. */
  readonly nodePort?: number;
}

export interface VersionsSettings {
  /** The ONE switch: which slot the live Service `ver` sends traffic to. */
  readonly active: 'blue' | 'green';
  readonly blue: { readonly tag: string };
  readonly green: { readonly tag: string };
  readonly replicas: number;
  readonly preview: boolean;
  readonly scaleIdleToZero: boolean;
}

export interface NumbersSettings {
  readonly webNodePort: number;
}

export interface PetshopSettings {
  readonly webNodePort: number;
  readonly webserviceNodePort: number;
}

export interface BatchSettings {
  readonly fibCount: number;
  readonly luckBackoffLimit: number;
}

export interface NodeExporterSettings {
  /** The book schedules node-exporter only where `monitoring: prometheus`; empty = every node. */
  readonly nodeSelector: Readonly<Record<string, string>>;
}

export interface Workloads {
  readonly nginx: Toggle<NginxSettings>;
  readonly apod: Toggle<ApodSettings>;
  readonly demo: Toggle<DemoSettings>;
  readonly versions: Toggle<VersionsSettings>;
  readonly numbers: Toggle<NumbersSettings>;
  readonly petshop: Toggle<PetshopSettings>;
  readonly batch: Toggle<BatchSettings>;
  readonly nodeExporter: Toggle<NodeExporterSettings>;
}

export interface Environment {
  /** `dev`, `prod`, `edge`: the `dist/<name>/` folder and the Pulumi stack name. */
  readonly name: string;
  readonly provider: Provider;
  readonly cluster: Cluster;
  /** Worker pools. For MicroK8s, one pool describing the boards. */
  readonly nodePools: readonly NodePool[];
  readonly workloads: Workloads;
}
