import { Manifest } from './manifest';
import { Construct } from 'constructs';
import { AwsCloudControllerManager } from './cluster/cloud-controller-manager';
import { Flannel } from './cluster/flannel';
import { isIpv4Network } from './cluster/flannel-net-conf';
import { KubeletCsrApprover } from './cluster/kubelet-csr-approver';
import { MetricsServer } from './cluster/metrics-server';
import { AwsEbsCsiDriver } from './cluster/ebs-csi-driver';
import { SnapshotController } from './cluster/snapshot-controller';
import { WindowsNetworking } from './cluster/windows-networking';
import { refuse } from './errors';
import type { Toleration } from './k8s';
import { InstalledMesh, Mesh } from './mesh';
import { describePlatform, NodePoolShape, place, Placement, runtimeClassNameOf, WINDOWS_BUILD_LABEL, WorkloadPlatform } from './platform';

export interface MixedArchClusterProps {
  /** Environment name, for refusals. */
  readonly envName: string;
  /** The worker pools (control planes are tainted and never take workloads). */
  readonly nodePools: readonly NodePoolShape[];
  /**
   * The pod network's CNI. `flannel`: this construct renders flannel (VXLAN VNI 4096, port 4789) for
   * Linux nodes and, when there are Windows pools, the Windows flannel and kube-proxy DaemonSets.
   * `provided`: the distribution or the operator brings it, for every OS (MicroK8s ships Calico).
   * @default 'provided'
   */
  readonly networking?: 'flannel' | 'provided';
  /** The cluster pod CIDR (kubeadm's `podSubnet`), flannel's `Network`. Required with `networking: 'flannel'`. */
  readonly podCidr?: string;
  /** The cluster service CIDR, which Windows pods reach through the overlay. Required with flannel and Windows pools. */
  readonly serviceCidr?: string;
  /**
   * `1.34.2` (or `1.34` where the distribution pins only the minor). The AWS cloud-controller-manager
   * follows its minor and the Windows kube-proxy its exact patch, so those add-ons require it.
   */
  readonly kubernetesVersion?: string;
  /**
   * `aws`: render the AWS cloud-controller-manager (the kubelets run with `--cloud-provider=external`),
   * which makes `type: LoadBalancer` Services work. `none`: nothing provisions load balancers.
   * @default 'none'
   */
  readonly cloudProvider?: 'aws' | 'none';
  /** Render metrics-server (HA, 2 replicas) so HPAs and `kubectl top` work. @default false */
  readonly metricsServer?: boolean;
  /**
   * The service meshes whose control planes run in the cluster (installed with their CNI plugin, so
   * meshed pods need no NET_ADMIN); a workload may join only these. @default none
   */
  readonly meshes?: readonly InstalledMesh[];
  /**
   * Images are loaded into the nodes by hand (`minikube image load`, `kind load docker-image`), so
   * `imagePullPolicy: Never` works. Anywhere else it leaves pods in ErrImageNeverPull. @default false
   */
  readonly localImages?: boolean;
  /**
   * The kubelets request serving certificates from the cluster CA (`serverTLSBootstrap: true`); this
   * renders the approver of those CSRs, limited to these node names and addresses. metrics-server
   * verifies kubelets against the cluster CA, so it requires this. @default none
   */
  readonly kubeletServingCertificates?: { readonly nodeNamePattern: string; readonly nodeIpPrefixes: readonly string[] };
  /**
   * Storage the cluster installs. `aws-ebs-csi`: the AWS EBS CSI driver (controller on the control
   * planes, whose instance role the infra grants the EBS permissions), its default gp3 StorageClass,
   * the CSI snapshot controller with the `snapshot.storage.k8s.io/v1` CRDs, and a VolumeSnapshotClass.
   * @default none — the distribution's own storage (MicroK8s hostpath, minikube/kind standard)
   */
  readonly storage?: { readonly kind: 'aws-ebs-csi'; readonly storageClassName: string; readonly snapshotClassName: string };
}

/**
 * The cluster-wide view of a mixed OS/arch cluster, fed by the environment's node pools: the
 * RuntimeClass of each platform, the cluster add-ons (pod network, cloud controller, metrics), and
 * the placement of every workload on a pool that can run it.
 */
export class MixedArchCluster extends Construct {
  readonly envName: string;
  readonly nodePools: readonly NodePoolShape[];
  /** Whether a `type: LoadBalancer` Service gets a load balancer here; see `checkServiceType`. */
  readonly supportsLoadBalancer: boolean;
  /** The meshes installed in the cluster; see `checkMesh`. */
  readonly meshes: readonly InstalledMesh[];
  readonly localImages: boolean;

  constructor(scope: Construct, id: string, props: MixedArchClusterProps) {
    super(scope, id);
    this.envName = props.envName;
    this.nodePools = props.nodePools;
    props.nodePools.forEach((pool, i) => this.checkPool(pool, i));
    const cloudProvider = props.cloudProvider ?? 'none';
    this.supportsLoadBalancer = cloudProvider === 'aws';
    this.meshes = [...new Set(props.meshes ?? [])].sort();
    this.localImages = props.localImages ?? false;
    const platforms = new Map<string, NodePoolShape>();
    for (const pool of props.nodePools) platforms.set(runtimeClassNameOf(pool), pool);
    for (const [name, pool] of [...platforms].sort(([a], [b]) => a.localeCompare(b))) {
      this.renderRuntimeClass(name, pool);
    }
    this.renderNetworking(props);
    if (cloudProvider === 'aws') {
      new AwsCloudControllerManager(this, 'cloud-controller-manager', { kubernetesVersion: this.require(props, 'kubernetesVersion', "the cloud-controller-manager's release follows the cluster's minor") });
    }
    if (props.kubeletServingCertificates) {
      new KubeletCsrApprover(this, 'kubelet-csr-approver', {
        placement: this.place(`${this.node.path}/kubelet-csr-approver`, { os: 'linux' }),
        ...props.kubeletServingCertificates,
      });
    }
    if (props.storage?.kind === 'aws-ebs-csi') {
      if (cloudProvider !== 'aws') refuse(this, 'storage', 'the EBS CSI driver provisions EBS volumes, but the cluster has no AWS cloud provider', "use the distribution's storage, or cloudProvider: 'aws'");
      new SnapshotController(this, 'snapshot-controller', { placement: this.place(`${this.node.path}/snapshot-controller`, { os: 'linux' }) });
      new AwsEbsCsiDriver(this, 'ebs-csi-driver', { storageClassName: props.storage.storageClassName, snapshotClassName: props.storage.snapshotClassName });
    }
    if (props.metricsServer) {
      if (!props.kubeletServingCertificates) {
        refuse(
          this,
          'kubeletServingCertificates',
          'is not set, but metrics-server verifies every kubelet\'s serving certificate against the cluster CA, and kubeadm kubelets serve self-signed ones unless they bootstrap them',
          'set serverTLSBootstrap: true in the KubeletConfiguration and pass kubeletServingCertificates (node names and addresses the approver accepts)',
        );
      }
      new MetricsServer(this, 'metrics-server', { placement: this.place(`${this.node.path}/metrics-server`, { os: 'linux' }) });
    }
  }

  /**
   * Where a workload of `platform` runs; refuses (naming `who`) when no pool can take it.
   * `tolerations` are the workload's own, for pools tainted for other reasons than the platform.
   */
  place(who: string, platform: WorkloadPlatform, tolerations: readonly Toleration[] = []): Placement {
    const placement = place(who, this.envName, this.nodePools, platform, tolerations);
    return this.localImages ? { ...placement, localImages: true } : placement;
  }

  /**
   * Where a pod whose containers need `platforms` runs: one pod lands on one node, so every container
   * must share its OS, Windows build and (where single-arch) arch; refuses a mix naming `who`.
   */
  placeAll(who: string, platforms: readonly WorkloadPlatform[], tolerations: readonly Toleration[] = []): Placement {
    if (platforms.length === 0) refuse(who, 'platforms', 'a pod needs at least one container platform', 'list the platform of each container image');
    const [first] = platforms;
    const disagree = (field: 'os' | 'arch' | 'windowsBuild') => {
      const values = new Set(platforms.map((p) => p[field]).filter((v) => v !== undefined));
      return values.size > 1;
    };
    for (const field of ['os', 'arch', 'windowsBuild'] as const) {
      if (disagree(field)) {
        refuse(
          who,
          'platforms',
          `the containers of one pod need different platforms (${platforms.map(describePlatform).join(', ')}), but a pod runs on one node`,
          `split the containers into separate workloads, or use images built for one ${field === 'os' ? 'OS' : field === 'arch' ? 'architecture (or multi-arch images)' : 'Windows build'}`,
        );
      }
    }
    const merged: WorkloadPlatform = {
      os: first.os,
      arch: platforms.find((p) => p.arch)?.arch,
      windowsBuild: platforms.find((p) => p.windowsBuild)?.windowsBuild,
    };
    return this.place(who, merged, tolerations);
  }

  /** Refuses, naming `who`, a `type: LoadBalancer` Service where nothing provisions load balancers. */
  checkServiceType(who: string, type: 'ClusterIP' | 'NodePort' | 'LoadBalancer'): void {
    if (type === 'LoadBalancer' && !this.supportsLoadBalancer) {
      refuse(
        who,
        'service.type',
        `environment "${this.envName}" has no cloud provider, so a LoadBalancer Service would stay <pending> forever`,
        `use NodePort (or an ingress) in environments/${this.envName}.ts, or leave the workload out there with { omitted: '<why>' }`,
      );
    }
  }

  /** Refuses, naming `who`, a workload joining a mesh whose control plane the cluster doesn't run. */
  checkMesh(who: string, mesh: Mesh): void {
    if (mesh !== 'none' && !this.meshes.includes(mesh)) {
      refuse(
        who,
        'mesh',
        `environment "${this.envName}" does not install ${mesh} (installed: ${this.meshes.join(', ') || 'none'}), so the pods would run without a proxy and the mesh's objects would have no controller`,
        `add '${mesh}' to the environment's meshes, choose one of them, or use mesh: 'none'`,
      );
    }
  }

  private require<K extends 'podCidr' | 'serviceCidr' | 'kubernetesVersion'>(props: MixedArchClusterProps, field: K, why: string): string {
    const value = props[field];
    if (!value) refuse(this, field, `is not set, but ${why}`, `pass the environment's cluster.${field}`);
    if (field !== 'kubernetesVersion' && !isIpv4Network(value)) refuse(this, field, `"${value}" is not an IPv4 network in CIDR notation`, 'use e.g. 10.244.0.0/16 with no host bits set');
    return value;
  }

  private renderNetworking(props: MixedArchClusterProps): void {
    const windowsBuilds = [...new Set(props.nodePools.filter((p) => p.os === 'windows').map((p) => p.windowsBuild!))].sort();
    if ((props.networking ?? 'provided') === 'provided') return;
    new Flannel(this, 'flannel', { podCidr: this.require(props, 'podCidr', "it is flannel's Network") });
    if (windowsBuilds.length) {
      const kubernetesVersion = this.require(props, 'kubernetesVersion', 'the Windows kube-proxy must match the cluster version');
      if (!/^\d+\.\d+\.\d+$/.test(kubernetesVersion)) {
        refuse(this, 'kubernetesVersion', `"${kubernetesVersion}" has no patch, but the Windows kube-proxy image is tagged per release`, 'use the full version, e.g. 1.34.2');
      }
      new WindowsNetworking(this, 'windows-networking', {
        kubernetesVersion,
        serviceCidr: this.require(props, 'serviceCidr', 'Windows pods reach Services through the overlay'),
        windowsBuilds,
      });
    }
  }

  private checkPool(pool: NodePoolShape, index: number): void {
    const field = `nodePools[${index}]`;
    if (pool.os === 'windows' && !/^10\.0\.\d+$/.test(pool.windowsBuild ?? '')) {
      refuse(this, `${field}.windowsBuild`, `Windows pool "${pool.name}" has no build (got ${pool.windowsBuild ?? 'nothing'}), so Windows images cannot be matched to it`, "set windowsBuild, e.g. '10.0.17763' for Server 2019");
    }
    if (pool.os === 'linux' && pool.windowsBuild !== undefined) {
      refuse(this, `${field}.windowsBuild`, `Linux pool "${pool.name}" carries a Windows build`, 'drop windowsBuild');
    }
  }

  private renderRuntimeClass(name: string, pool: NodePoolShape): void {
    const nodeSelector: Record<string, string> = { 'kubernetes.io/os': pool.os, 'kubernetes.io/arch': pool.arch };
    if (pool.os === 'windows') nodeSelector[WINDOWS_BUILD_LABEL] = pool.windowsBuild!;
    const tolerations = pool.taints
      .filter((t) => t.key === 'os')
      .map((t) => ({ key: t.key, operator: 'Equal' as const, value: t.value, effect: t.effect }));
    new Manifest(this, `RuntimeClass-${name}`, {
      apiVersion: 'node.k8s.io/v1',
      kind: 'RuntimeClass',
      metadata: { name },
      // containerd's handler names: runc on Linux, runhcs-wcow-process for process-isolated Windows.
      handler: pool.os === 'windows' ? 'runhcs-wcow-process' : 'runc',
      scheduling: { nodeSelector, tolerations: tolerations.length ? tolerations : undefined },
    });
  }
}
