/**
 * Node bootstrap, as pure functions of the environment: kubeadm configurations and the user-data of
 * control planes and workers. The Pulumi components pass in the pre-generated CA, token and certificate
 * key, so no node waits on another for a value (the bootstrap circularity: README, "Build the AWS clusters").
 */
export type { ApiEndpoint, BootstrapSecrets, KubernetesRelease } from './cluster';
export { BOOTSTRAP_TOKEN_PLACEHOLDER, CERTIFICATE_KEY_PLACEHOLDER, discoveryTokenCaCertHash, kubernetesRelease } from './cluster';
export type { JoinArgs } from './kubeadm';
export {
  BOOTSTRAP_TOKEN_GROUP,
  BOOTSTRAP_TOKEN_TTL_HOURS,
  NODE_NAME_PLACEHOLDER,
  TOKEN_RENEWAL_INTERVAL_HOURS,
  renderJoinConfiguration,
  renderKubeadmConfig,
} from './kubeadm';
export { NODE_POOL_LABEL, kubeletNodeLabels, kubeletTaints } from './kubelet';
export type { ClusterStore, ControlPlaneArgs, WorkerArgs } from './linux';
export {
  ADDONS_FILE,
  ADDONS_OBJECT_KEY,
  ETCD_BACKUP_PREFIX,
  HELPERS,
  HELPERS_OBJECT_KEY,
  renderControlPlaneHelpers,
  renderControlPlaneUserData,
  renderEtcdBackupScript,
  renderEtcdctlScript,
  renderLinuxWorkerUserData,
  renderParameterScript,
  renderTokenRenewalScript,
  renderUpgradeScript,
  renderUploadCertsScript,
} from './linux';
export { WINDOWS_CONTAINERD_VERSION, renderWindowsWorkerUserData } from './windows';
