/**
 * Hand-built manifests for the per-rule tests (rules-p-r.test.ts, rules-s-z.test.ts): each test writes
 * the objects it needs and the exact findings it expects, from the rule's documented intent and the
 * Kubernetes API, so that nothing is computed by the code under test.
 */
import type { Severity } from '../../contracts/finding';
import { auditManifests, Finding, ValidateOptions } from '../../guardrails/validate';

export const FILE = 'hand-built.yaml';
export const NS = 'apps';

/** Findings of one rule only (the `exception` checks always run, but nothing here uses waivers). */
export function findingsOf(rule: string, objects: unknown[], options: ValidateOptions = {}): Finding[] {
  return auditManifests(objects.map((object) => ({ file: FILE, object })), { ...options, includeOnly: [rule] }).findings;
}

/** The expected finding, field by field. */
export function expected(rule: string, severity: Severity, object: string, field: string | undefined, problem: string, fix: string): Finding {
  return { rule, severity, file: FILE, object, field, problem, fix };
}

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet' | 'ReplicationController' | 'Job' | 'CronJob' | 'Pod';

/** Where each kind keeps its pod spec, as the Kubernetes API defines it. */
export const POD_SPEC_PATH: Readonly<Record<WorkloadKind, string>> = {
  Deployment: 'spec.template.spec',
  StatefulSet: 'spec.template.spec',
  DaemonSet: 'spec.template.spec',
  ReplicaSet: 'spec.template.spec',
  ReplicationController: 'spec.template.spec',
  Job: 'spec.template.spec',
  CronJob: 'spec.jobTemplate.spec.template.spec',
  Pod: 'spec',
};

const API_VERSION: Readonly<Record<WorkloadKind, string>> = {
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  ReplicaSet: 'apps/v1',
  ReplicationController: 'v1',
  Job: 'batch/v1',
  CronJob: 'batch/v1',
  Pod: 'v1',
};

export const ALL_KINDS = Object.keys(POD_SPEC_PATH) as WorkloadKind[];

export interface WorkloadOptions {
  readonly namespace?: string | null;
  readonly labels?: Record<string, string>;
  readonly replicas?: number;
  readonly apiVersion?: string;
  /** Annotations of the pod (the template's, or the Pod's own). */
  readonly podAnnotations?: Record<string, string>;
}

/** A workload of `kind` whose pods have `podSpec` (labels app=<name> unless given). */
export function workload(kind: WorkloadKind, name: string, podSpec: unknown, options: WorkloadOptions = {}): any {
  const labels = options.labels ?? { app: name };
  const metadata: any = { name };
  if (options.namespace !== null) metadata.namespace = options.namespace ?? NS;
  const apiVersion = options.apiVersion ?? API_VERSION[kind];
  const podMetadata: any = { labels };
  if (options.podAnnotations) podMetadata.annotations = options.podAnnotations;
  if (kind === 'Pod') return { apiVersion, kind, metadata: { ...metadata, ...podMetadata }, spec: podSpec };
  const template = { metadata: podMetadata, spec: podSpec };
  if (kind === 'CronJob') return { apiVersion, kind, metadata, spec: { schedule: '0 * * * *', jobTemplate: { spec: { template } } } };
  if (kind === 'Job') return { apiVersion, kind, metadata, spec: { template } };
  const spec: any = { selector: kind === 'ReplicationController' ? labels : { matchLabels: labels }, template };
  if (options.replicas !== undefined) spec.replicas = options.replicas;
  return { apiVersion, kind, metadata, spec };
}

/** `Kind/apps/name`, how findings name a namespaced object. */
export const ref = (kind: string, name: string, namespace = NS) => `${kind}/${namespace}/${name}`;

export function service(name: string, selector: Record<string, string> | undefined, ports: unknown[] = [{ port: 80 }], extra: Record<string, unknown> = {}): any {
  const spec: any = { ports, ...extra };
  if (selector) spec.selector = selector;
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: NS }, spec };
}

export function pdb(name: string, spec: Record<string, unknown>): any {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace: NS }, spec };
}

export function hpa(name: string, target: { kind: string; name: string }, minReplicas?: number): any {
  const spec: any = { scaleTargetRef: { apiVersion: 'apps/v1', ...target }, maxReplicas: 10 };
  if (minReplicas !== undefined) spec.minReplicas = minReplicas;
  return { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name, namespace: NS }, spec };
}
