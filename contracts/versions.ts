/**
 * THE table of pinned component and add-on versions and images: the constructs (cluster add-ons,
 * exporters) and the infrastructure (node bootstrap) read it, so an upgrade is one reviewed line here.
 * Each entry names the upstream manifest or chart it was compared with; update the two together.
 */

/**
 * flannel (Linux nodes): the images of upstream `Documentation/kube-flannel.yml` and chart
 * `flannel-io/flannel` v0.28.9. v0.28.9 is the first release whose flanneld serves `/healthz` and
 * `/readyz` (`--healthz-port`); ≥ 0.25.5 runs the kube-network-policies sidecar.
 */
export const FLANNEL = {
  version: 'v0.28.9',
  image: 'ghcr.io/flannel-io/flannel:v0.28.9',
  cniPluginImage: 'ghcr.io/flannel-io/flannel-cni-plugin:v1.9.1-flannel3',
  /** flanneld's health server (`--healthz-port`, the upstream manifest's 8081), on the host network. */
  healthzPort: 8081,
} as const;

/**
 * kubernetes-sigs/kube-network-policies, flannel's NetworkPolicy enforcer: the `netpol` sidecar the
 * flannel v0.28.9 chart (`netpol.enabled: true`) pins, with that chart's arguments and mounts.
 */
export const KUBE_NETWORK_POLICIES = {
  version: 'v1.0.0',
  image: 'registry.k8s.io/networking/kube-network-policies:v1.0.0',
} as const;

/**
 * kubernetes/cloud-provider-aws cuts one release line per Kubernetes minor and supports only that
 * minor: the newest patch of each line (v1.34.3, May 2026). Compared with its chart
 * `charts/aws-cloud-controller-manager` (values.yaml clusterRoleRules).
 */
export const AWS_CLOUD_CONTROLLER_MANAGER: Readonly<Record<string, string>> = { '1.34': 'v1.34.3' };
export const AWS_CLOUD_CONTROLLER_MANAGER_REPOSITORY = 'registry.k8s.io/provider-aws/cloud-controller-manager';

/** kubernetes-sigs/metrics-server v0.9.0 (July 2026), as `manifests/overlays/release-ha-1.21+` renders it. */
export const METRICS_SERVER = {
  version: 'v0.9.0',
  image: 'registry.k8s.io/metrics-server/metrics-server:v0.9.0',
} as const;

/**
 * postfinance/kubelet-csr-approver v1.2.14 (April 2026): approves the kubelets' serving-certificate
 * CSRs (`kubernetes.io/kubelet-serving`) that `serverTLSBootstrap: true` makes them file, after
 * checking name and addresses; kubeadm approves none. Compared with its `deploy/k8s` and chart.
 */
export const KUBELET_CSR_APPROVER = {
  version: 'v1.2.14',
  image: 'ghcr.io/postfinance/kubelet-csr-approver:v1.2.14',
} as const;

/** Prometheus node-exporter: the appVersion of prometheus-community chart prometheus-node-exporter 4.56.1. */
export const NODE_EXPORTER = {
  version: 'v1.12.1',
  image: 'quay.io/prometheus/node-exporter:v1.12.1',
} as const;

/** windows_exporter (HostProcess): the appVersion of prometheus-community chart prometheus-windows-exporter 0.12.8. */
export const WINDOWS_EXPORTER = {
  version: '0.31.8',
  image: 'ghcr.io/prometheus-community/windows-exporter:0.31.8',
} as const;

/**
 * Windows node networking. sig-windows-tools removed its flannel HostProcess images and examples in
 * April 2025 (#385) and publishes kube-proxy only as `-calico-hostprocess`, whose start script is
 * Calico's. No upstream ships a flannel HostProcess image any more, so the project builds the pair
 * from maintained upstream release binaries (`images/windows-hostprocess/`): flanneld.exe from
 * flannel's own release at THE SAME version as the Linux flannel above, and kube-proxy.exe from
 * dl.k8s.io at the cluster's exact version, on Microsoft's HostProcess base image. The tags say both
 * versions, and a test holds them to FLANNEL.version and the environments' kubernetesVersion.
 */
export const WINDOWS_HOSTPROCESS = {
  /** Where `images/windows-hostprocess/build.sh` pushes; mirror it into your own registry. */
  repository: 'ghcr.io/k8s-book-systems',
  /** mcr.microsoft.com/oss/kubernetes/windows-host-process-containers-base-image: one image for every Windows build. */
  baseImage: 'mcr.microsoft.com/oss/kubernetes/windows-host-process-containers-base-image:v1.0.0',
} as const;

/** `ghcr.io/k8s-book-systems/flannel-windows:v0.28.9-hostprocess`: flanneld.exe of the Linux flannel's release. */
export function windowsFlannelImage(): string {
  return `${WINDOWS_HOSTPROCESS.repository}/flannel-windows:${FLANNEL.version}-hostprocess`;
}

/** `ghcr.io/k8s-book-systems/kube-proxy-windows:v1.34.2-hostprocess`: kube-proxy.exe of the cluster's release. */
export function windowsKubeProxyImage(kubernetesVersion: string): string {
  return `${WINDOWS_HOSTPROCESS.repository}/kube-proxy-windows:v${kubernetesVersion}-hostprocess`;
}

/**
 * containerd on Windows nodes (GitHub release, checksum-verified): the 1.7 line sig-windows-tools'
 * Install-Containerd.ps1 installs for HostProcess containers. Linux nodes take their distribution's.
 */
export const WINDOWS_CONTAINERD_VERSION = '1.7.27';

/**
 * the DevOps Cookbook's workload images (its `chapter7/`), pinned. Bitnami moved its versioned tags to
 * `bitnamilegacy` in August 2025 (`docker.io/bitnami` keeps only `latest`); those tags get no more
 * updates, so they are the faithful reproduction, not a long-term base.
 */
export const SEED_002_IMAGES = {
  /** The todo app (`charts/node`'s `bitnami/node`), its git init container and the MongoDB dependency chart's image. */
  node: 'bitnamilegacy/node:20.18.0',
  git: 'bitnamilegacy/git:2.47.0',
  mongodb: 'bitnamilegacy/mongodb:7.0.15',
  /** `chapter7/lb/minio.yaml` used the moving `minio/minio`. */
  minio: 'minio/minio:RELEASE.2025-04-22T22-12-26Z',
  /** emojivoto as Linkerd's getting-started manifest ships it today (the cookbook pinned v8 on Docker Hub). */
  emojivoto: (component: 'emoji-svc' | 'voting-svc' | 'web') => `docker.l5d.io/buoyantio/emojivoto-${component}:v11`,
  /** percona-server; each blue/green slot's tag is an environment setting (`workloads.percona.<slot>.tag`). */
  perconaRepository: 'percona/percona-server',
} as const;

/**
 * The service meshes the environments may install (`cluster.meshes`), with their CNI plugins so meshed
 * pods need no NET_ADMIN and meet the `restricted` Pod Security level. Installed out of band (README
 * "Meshes and ingress"); the versions the README's install commands pin (chosen offline: check them
 * against istio/istio and linkerd/linkerd2 releases before an upgrade).
 */
export const MESHES = {
  istio: { version: '1.27.3' },
  linkerd: { version: 'edge-25.10.7' },
} as const;

/**
 * kubernetes-csi/external-snapshotter v8.6.0 (May 2026): the snapshot controller and the three
 * `snapshot.storage.k8s.io/v1` CRDs (vendored in constructs/cluster/vendor/external-snapshotter), as
 * `deploy/kubernetes/snapshot-controller` and `client/config/crd` ship them. Group snapshots stay off
 * (their feature gate defaults to false), so their CRDs are not installed.
 */
export const SNAPSHOT_CONTROLLER = {
  version: 'v8.6.0',
  image: 'registry.k8s.io/sig-storage/snapshot-controller:v8.6.0',
} as const;

/**
 * kubernetes-sigs/aws-ebs-csi-driver v1.64.0 (August 2026): the driver and the CSI sidecars its
 * `deploy/kubernetes/base` pins at that release (public ECR builds).
 */
export const AWS_EBS_CSI_DRIVER = {
  version: 'v1.64.0',
  image: 'public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver:v1.64.0',
  provisioner: 'public.ecr.aws/csi-components/csi-provisioner:v6.3.0-eksbuild.4',
  attacher: 'public.ecr.aws/csi-components/csi-attacher:v4.12.0-eksbuild.5',
  snapshotter: 'public.ecr.aws/csi-components/csi-snapshotter:v8.6.0-eksbuild.5',
  resizer: 'public.ecr.aws/csi-components/csi-resizer:v2.2.1-eksbuild.3',
  livenessProbe: 'public.ecr.aws/csi-components/livenessprobe:v2.19.0-eksbuild.5',
  nodeDriverRegistrar: 'public.ecr.aws/csi-components/csi-node-driver-registrar:v2.17.0-eksbuild.5',
} as const;
