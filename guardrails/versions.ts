/**
 * Kubernetes versions the validator can check against (`--kubernetes-version`). The newest is the one
 * the project pins; the oldest is where apps/v1 became the only workload API (1.16), below which the
 * API tables here would be wrong.
 */
export const OLDEST_SUPPORTED = '1.16';
export const NEWEST_SUPPORTED = '1.34';

/** `1.30`, `v1.30`, `1.30.2` → `1.30`; anything else → undefined. */
export function parseVersion(value: string): string | undefined {
  const match = /^v?(1)\.(\d{1,2})(\.\d+)?$/.exec(value.trim());
  return match ? `${match[1]}.${Number(match[2])}` : undefined;
}

/** Minor number of a `1.X` version. */
export function minorOf(version: string): number {
  return Number(version.split('.')[1]);
}

export function isSupportedVersion(version: string): boolean {
  const minor = minorOf(version);
  return minor >= minorOf(OLDEST_SUPPORTED) && minor <= minorOf(NEWEST_SUPPORTED);
}

/** True when `version` is at or after `since` (both `1.X`). */
export function atLeast(version: string, since: string): boolean {
  return minorOf(version) >= minorOf(since);
}
