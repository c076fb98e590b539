import { deploymentSelector } from './deployment-selector';
import { hostAccess } from './host-access';
import { hpaCpuRequests } from './hpa-cpu-requests';
import { imageTag } from './image-tag';
import { nodePort } from './node-port';
import { osConstraint } from './os-constraint';
import { pdbUnsatisfiable } from './pdb-unsatisfiable';
import { podSecurity } from './pod-security';
import { readinessProbe } from './readiness-probe';
import { removedApi } from './removed-api';
import { resources } from './resources';
import { Rule } from './rule';
import { schema } from './schema';
import { secretLiteralData } from './secret-literal-data';
import { selectorMatchesNoPod } from './selector-matches-no-pod';

/** In report order: per object, findings come in this order. */
export const RULES: ReadonlyArray<Rule> = [
  schema,
  removedApi,
  imageTag,
  resources,
  readinessProbe,
  deploymentSelector,
  selectorMatchesNoPod,
  nodePort,
  secretLiteralData,
  osConstraint,
  hostAccess,
  podSecurity,
  pdbUnsatisfiable,
  hpaCpuRequests,
];
