/**
 * The typed model of one environment. Both halves read it: the cdk8s app (manifests under
 * `dist/<env>/`) and the Pulumi program (the stack name selects the environment). Every value
 * (a CIDR, a port, a version) is written once, in `environments/<env>.ts`, and derived everywhere else.
 *
 * The types are inferred from the runtime schema (`schema.ts`, documented field by field there), so
 * what `tsc` accepts and what `npm run synth` / `plan` / `edge:nodes` accept are one definition.
 */
import type { z } from 'zod';
import type * as schema from './schema';

export type Os = z.infer<typeof schema.Os>;
export type Arch = z.infer<typeof schema.Arch>;
/** A platform a container image runs on, e.g. `linux/arm64`. */
export type Platform = z.infer<typeof schema.Platform>;
export type TaintEffect = z.infer<typeof schema.TaintEffect>;
export type Taint = z.infer<typeof schema.Taint>;
/** One group of identical worker nodes (an auto scaling group on AWS). */
export type NodePool = z.infer<typeof schema.NodePool>;
export type AwsNetwork = z.infer<typeof schema.AwsNetwork>;
export type ControlPlane = z.infer<typeof schema.ControlPlane>;
export type Cluster = z.infer<typeof schema.Cluster>;
/** The Kubernetes distribution and where it runs. */
export type Provider = z.infer<typeof schema.Provider>;
/** A Raspberry Pi (or any arm64 board) of the MicroK8s edge cluster. */
export type EdgeNode = z.infer<typeof schema.EdgeNode>;
export type Microk8sCluster = z.infer<typeof schema.Microk8sCluster>;
/** A workload the environment deliberately leaves out, and why. */
export type Omitted = z.infer<typeof schema.Omitted>;
export type Toggle<T> = T | Omitted;

export type NginxSettings = z.infer<typeof schema.NginxSettings>;
export type ApodSettings = z.infer<typeof schema.ApodSettings>;
export type DemoSettings = z.infer<typeof schema.DemoSettings>;
export type VersionsSettings = z.infer<typeof schema.VersionsSettings>;
export type NumbersSettings = z.infer<typeof schema.NumbersSettings>;
export type PetshopSettings = z.infer<typeof schema.PetshopSettings>;
export type BatchSettings = z.infer<typeof schema.BatchSettings>;
export type NodeExporterSettings = z.infer<typeof schema.NodeExporterSettings>;
export type TodoSettings = z.infer<typeof schema.TodoSettings>;
export type MinioSettings = z.infer<typeof schema.MinioSettings>;
export type EmojivotoSettings = z.infer<typeof schema.EmojivotoSettings>;
export type PerconaSettings = z.infer<typeof schema.PerconaSettings>;
export type HelloSettings = z.infer<typeof schema.HelloSettings>;
export type LocalCluster = z.infer<typeof schema.LocalCluster>;
/** Every workload of an environment: its settings, or `{ omitted: '<why>' }`. */
export type Workloads = z.infer<typeof schema.Workloads>;
export type Environment = z.infer<typeof schema.Environment>;

export function isOmitted<T>(toggle: Toggle<T>): toggle is Omitted {
  return typeof (toggle as Omitted).omitted === 'string';
}
