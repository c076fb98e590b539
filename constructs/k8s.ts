/**
 * Kubernetes 1.27 object types, from `kubernetes-models` (type-only: nothing is loaded at run time).
 * Constructs build plain objects of these types and hand them to `Manifest` (a plain-data cdk8s ApiObject).
 */
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
