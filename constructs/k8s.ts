/**
 * Kubernetes 1.27 object types, from `kubernetes-models` (type-only: nothing is loaded at run time).
 * Constructs build plain objects of these types and hand them to `Manifest` (a plain-data cdk8s ApiObject).
 */
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { ILimitRange } from 'kubernetes-models/v1/LimitRange';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { IPersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import type { IResourceQuota } from 'kubernetes-models/v1/ResourceQuota';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { IDaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { ICronJob } from 'kubernetes-models/batch/v1/CronJob';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IRuntimeClass } from 'kubernetes-models/node.k8s.io/v1/RuntimeClass';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import type { IClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import type { IRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import type { IRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import type { IPriorityClass } from 'kubernetes-models/scheduling.k8s.io/v1/PriorityClass';
import type { ICSIDriver } from 'kubernetes-models/storage.k8s.io/v1/CSIDriver';
import type { IStorageClass } from 'kubernetes-models/storage.k8s.io/v1/StorageClass';
import type { ICustomResourceDefinition } from 'kubernetes-models/apiextensions.k8s.io/v1/CustomResourceDefinition';
import type { IAPIService } from 'kubernetes-models/apiregistration.k8s.io/v1/APIService';
import type { IDestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1/DestinationRule';
import type { IGateway } from '@kubernetes-models/istio/networking.istio.io/v1/Gateway';
import type { IVirtualService } from '@kubernetes-models/istio/networking.istio.io/v1/VirtualService';
import type { IDestinationRule as IDestinationRuleV1beta1 } from '@kubernetes-models/istio/networking.istio.io/v1beta1/DestinationRule';
import type { IVirtualService as IVirtualServiceV1beta1 } from '@kubernetes-models/istio/networking.istio.io/v1beta1/VirtualService';
import type { IIoK8sApimachineryPkgApisMetaV1ObjectMeta as ObjectMeta } from '@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta';

export type { IIoK8sApiCoreV1PodSpec as PodSpec } from 'kubernetes-models/v1/PodSpec';
export type { IIoK8sApiCoreV1PodTemplateSpec as PodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
export type { IIoK8sApiCoreV1Container as Container } from 'kubernetes-models/v1/Container';
export type { IIoK8sApiCoreV1Probe as Probe } from 'kubernetes-models/v1/Probe';
export type { IIoK8sApiCoreV1Toleration as Toleration } from 'kubernetes-models/v1/Toleration';
export type { IIoK8sApiCoreV1Affinity as Affinity } from 'kubernetes-models/v1/Affinity';
export type { IIoK8sApiCoreV1NodeSelectorTerm as NodeSelectorTerm } from 'kubernetes-models/v1/NodeSelectorTerm';
export type { IIoK8sApiCoreV1PodAffinityTerm as PodAffinityTerm } from 'kubernetes-models/v1/PodAffinityTerm';
export type { IIoK8sApiCoreV1WeightedPodAffinityTerm as WeightedPodAffinityTerm } from 'kubernetes-models/v1/WeightedPodAffinityTerm';
export type { IIoK8sApiCoreV1PreferredSchedulingTerm as PreferredSchedulingTerm } from 'kubernetes-models/v1/PreferredSchedulingTerm';
export type { IIoK8sApiCoreV1SecurityContext as SecurityContext } from 'kubernetes-models/v1/SecurityContext';
export type { IIoK8sApiCoreV1PodSecurityContext as PodSecurityContext } from 'kubernetes-models/v1/PodSecurityContext';
export type { IIoK8sApiCoreV1Volume as Volume } from 'kubernetes-models/v1/Volume';
export type { IIoK8sApiCoreV1VolumeMount as VolumeMount } from 'kubernetes-models/v1/VolumeMount';
export type { IIoK8sApiCoreV1EnvVar as EnvVar } from 'kubernetes-models/v1/EnvVar';
export type { IIoK8sApiCoreV1ResourceRequirements as ResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
export type { IIoK8sApiCoreV1ServiceSpec as ServiceSpec } from 'kubernetes-models/v1/ServiceSpec';
export type { IIoK8sApiCoreV1ServicePort as ServicePort } from 'kubernetes-models/v1/ServicePort';
export type { IIoK8sApiCoreV1TopologySpreadConstraint as TopologySpreadConstraint } from 'kubernetes-models/v1/TopologySpreadConstraint';
export type { IIoK8sApiAppsV1DeploymentSpec as DeploymentSpec } from 'kubernetes-models/apps/v1/DeploymentSpec';
export type { IIoK8sApiAppsV1DaemonSetSpec as DaemonSetSpec } from 'kubernetes-models/apps/v1/DaemonSetSpec';
export type { IIoK8sApiPolicyV1PodDisruptionBudgetSpec as PodDisruptionBudgetSpec } from 'kubernetes-models/policy/v1/PodDisruptionBudgetSpec';
export type { IIoK8sApiAutoscalingV2HorizontalPodAutoscalerSpec as HorizontalPodAutoscalerSpec } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscalerSpec';
export type { IIoK8sApiNetworkingV1NetworkPolicySpec as NetworkPolicySpec } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicySpec';
export type { IIoK8sApiNetworkingV1NetworkPolicyPeer as NetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
export type { IIoK8sApiBatchV1JobSpec as JobSpec } from 'kubernetes-models/batch/v1/JobSpec';
export type { IIoK8sApiBatchV1CronJobSpec as CronJobSpec } from 'kubernetes-models/batch/v1/CronJobSpec';
export type { IIoK8sApiAppsV1StatefulSetSpec as StatefulSetSpec } from 'kubernetes-models/apps/v1/StatefulSetSpec';
export type { IIoK8sApiCoreV1PersistentVolumeClaimSpec as PersistentVolumeClaimSpec } from 'kubernetes-models/v1/PersistentVolumeClaimSpec';
export type { IIoK8sApiNetworkingV1IngressSpec as IngressSpec } from 'kubernetes-models/networking.k8s.io/v1/IngressSpec';

/** external-snapshotter's VolumeSnapshot (snapshot.storage.k8s.io/v1); kubernetes-models does not ship it. */
export interface VolumeSnapshot {
  readonly apiVersion: 'snapshot.storage.k8s.io/v1';
  readonly kind: 'VolumeSnapshot';
  readonly metadata?: ObjectMeta;
  readonly spec: {
    readonly volumeSnapshotClassName?: string;
    readonly source: { readonly persistentVolumeClaimName?: string; readonly volumeSnapshotContentName?: string };
  };
}

/** external-snapshotter's VolumeSnapshotClass: which CSI driver takes a snapshot, and what deleting it does. */
export interface VolumeSnapshotClass {
  readonly apiVersion: 'snapshot.storage.k8s.io/v1';
  readonly kind: 'VolumeSnapshotClass';
  readonly metadata?: ObjectMeta;
  readonly driver: string;
  readonly deletionPolicy: 'Delete' | 'Retain';
  readonly parameters?: Readonly<Record<string, string>>;
}

/**
 * Every kind a construct may render, as the API server reads it (`status` is the server's): the body
 * of a `Manifest`. A misspelled field (`revisionHistoryLimt`) or a kind under the wrong apiVersion
 * fails `npm run typecheck`.
 */
export type KnownObject =
  | IConfigMap
  | ILimitRange
  | INamespace
  | IPersistentVolumeClaim
  | IResourceQuota
  | ISecret
  | IService
  | IServiceAccount
  | IDaemonSet
  | IDeployment
  | IStatefulSet
  | IHorizontalPodAutoscaler
  | ICronJob
  | IJob
  | IIngress
  | INetworkPolicy
  | IRuntimeClass
  | IPodDisruptionBudget
  | IClusterRole
  | IClusterRoleBinding
  | IRole
  | IRoleBinding
  | IPriorityClass
  | ICSIDriver
  | IStorageClass
  | ICustomResourceDefinition
  | IAPIService
  | IDestinationRule
  | IGateway
  | IVirtualService
  | IDestinationRuleV1beta1
  | IVirtualServiceV1beta1
  | VolumeSnapshot
  | VolumeSnapshotClass;

/** A `KnownObject` as a construct writes it: everything but the server's `status`. */
export type ManifestBody = KnownObject extends infer T ? (T extends unknown ? Omit<T, 'status'> : never) : never;
