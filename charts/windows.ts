import { ProbeSpec } from '../constructs/pod-template';
import { WorkloadPlatform } from '../constructs/platform';

/** Images tagged `1809` run on Windows Server 2019 hosts only (process isolation needs the same build). */
export const WINDOWS_SERVER_2019: WorkloadPlatform = { os: 'windows', arch: 'amd64', windowsBuild: '10.0.17763' };

/**
 * Windows containers start slowly (multi-GB layers, .NET warm-up): the book waits 5 minutes, so
 * the startup probe allows 30 × 10 s before liveness takes over.
 */
export function windowsStartup(port: string): ProbeSpec {
  return { tcp: true, port, periodSeconds: 10, failureThreshold: 30 };
}
