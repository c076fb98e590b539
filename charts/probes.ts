import { ProbeSpec } from '../constructs/pod-template';

/**
 * TCP readiness every `periodSeconds`, and a slower liveness that tolerates 6 misses, for images
 * whose HTTP health endpoints the books do not document: an open port is all we know to check.
 */
export function tcpProbes(port: string, periodSeconds = 5): { readiness: ProbeSpec; liveness: ProbeSpec } {
  return {
    readiness: { tcp: true, port, periodSeconds },
    liveness: { tcp: true, port, periodSeconds: periodSeconds * 2, failureThreshold: 6 },
  };
}
