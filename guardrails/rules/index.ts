import { antiAffinity } from './anti-affinity';
import { cronjobDeadline } from './cronjob-deadline';
import { deploymentSelector } from './deployment-selector';
import { deploymentStrategy } from './deployment-strategy';
import { deprecatedServiceAccount } from './deprecated-service-account';
import { dropNetRaw } from './drop-net-raw';
import { duplicateEnvVar } from './duplicate-env-var';
import { duplicateObject } from './duplicate-object';
import { envVarSecret } from './env-var-secret';
import { ephemeralStorage } from './ephemeral-storage';
import { hostAccess } from './host-access';
import { hpaCpuRequests } from './hpa-cpu-requests';
import { hpaFixedReplicas } from './hpa-fixed-replicas';
import { hpaMinReplicas } from './hpa-min-replicas';
import { hpaTarget } from './hpa-target';
import { imageTag } from './image-tag';
import { ingressBackend } from './ingress-backend';
import { jobTtl } from './job-ttl';
import { labels } from './labels';
import { networkPolicy } from './network-policy';
import { nodePort } from './node-port';
import { objectName } from './object-name';
import { osConstraint } from './os-constraint';
import { pdbMissing } from './pdb-missing';
import { pdbUnhealthyPodEvictionPolicy } from './pdb-unhealthy-pod-eviction-policy';
import { pdbUnsatisfiable } from './pdb-unsatisfiable';
import { podSecurity } from './pod-security';
import { delegatedAuth } from './delegated-auth';
import { kubeletTls } from './kubelet-tls';
import { portNames } from './port-names';
import { probePort } from './probe-port';
import { probesIdentical } from './probes-identical';
import { readOnlyRootFs } from './read-only-root-fs';
import { readinessProbe } from './readiness-probe';
import { removedApi } from './removed-api';
import { replicas } from './replicas';
import { resources } from './resources';
import { restartPolicy } from './restart-policy';
import { Rule } from './rule';
import { runAsNonRoot } from './run-as-non-root';
import { schema } from './schema';
import { secretLiteralData } from './secret-literal-data';
import { selectorMatchesNoPod } from './selector-matches-no-pod';
import { serviceAccountExists } from './service-account-exists';
import { sshPort } from './ssh-port';
import { statefulsetServiceName } from './statefulset-service-name';
import { topologySpread } from './topology-spread';
import { unsafeSysctls } from './unsafe-sysctls';

/**
 * In report order: per object, findings come in this order. First what the API server refuses (the
 * object would not apply), then what breaks at run time, then hardening and availability advice.
 */
export const RULES: ReadonlyArray<Rule> = [
  // The API server refuses these.
  schema,
  removedApi,
  objectName,
  labels,
  duplicateObject,
  restartPolicy,
  portNames,
  duplicateEnvVar,
  topologySpread,
  deploymentSelector,
  // Applies, but does not work as written.
  selectorMatchesNoPod,
  ingressBackend,
  statefulsetServiceName,
  hpaTarget,
  hpaCpuRequests,
  nodePort,
  probePort,
  pdbUnsatisfiable,
  readinessProbe,
  imageTag,
  resources,
  secretLiteralData,
  osConstraint,
  hostAccess,
  podSecurity,
  kubeletTls,
  delegatedAuth,
  // Hardening and availability: warnings.
  serviceAccountExists,
  deprecatedServiceAccount,
  envVarSecret,
  runAsNonRoot,
  readOnlyRootFs,
  dropNetRaw,
  sshPort,
  unsafeSysctls,
  ephemeralStorage,
  probesIdentical,
  antiAffinity,
  replicas,
  deploymentStrategy,
  pdbMissing,
  pdbUnhealthyPodEvictionPolicy,
  hpaMinReplicas,
  hpaFixedReplicas,
  jobTtl,
  cronjobDeadline,
  networkPolicy,
];
