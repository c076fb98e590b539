import { isDeepStrictEqual } from 'node:util';
import { asObject, at } from '../object';
import { checkTemplates, containersOf, describeContainer } from '../workload';
import { Rule } from './rule';

/** The probe's action alone (httpGet/tcpSocket/exec/grpc, with its kind: an HTTP GET is not a TCP connect), without timings. */
function action(probe: unknown): unknown {
  const o = asObject(probe) ?? {};
  const kind = ['httpGet', 'tcpSocket', 'exec', 'grpc'].find((k) => o[k] !== undefined);
  return kind && { [kind]: o[kind] };
}

export const probesIdentical: Rule = {
  id: 'probes-identical',
  severity: 'warning',
  description:
    'A container’s readiness and liveness probes run the same check: when the app is only busy, liveness restarts it instead of readiness just taking it out of rotation, and overload turns into restarts.',
  remediation: 'Make the liveness probe cheaper and more lenient than readiness (another endpoint, a longer failureThreshold), or drop it.',
  equivalents: { kubeLinter: [], kubeScore: ['pod-probes-identical'] },
  check: ({ manifests }) =>
    checkTemplates(manifests, ({ spec }) =>
      containersOf(spec).flatMap((container) => {
        const readiness = at(container.spec, 'readinessProbe');
        const liveness = at(container.spec, 'livenessProbe');
        if (!readiness || !liveness || action(readiness) === undefined || !isDeepStrictEqual(action(readiness), action(liveness))) return [];
        return [{ field: `${container.path}.livenessProbe`, problem: `${describeContainer(container)} has the same readiness and liveness check`, fix: 'make liveness cheaper and more lenient than readiness, or drop it' }];
      }),
    ),
};
