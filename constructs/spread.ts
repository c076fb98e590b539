import type { Affinity, TopologySpreadConstraint } from './k8s';

/** How strictly replicas spread over a topology: `required` never co-locates, `preferred` tries. */
export type Spread = 'required' | 'preferred' | 'none';

const HOSTNAME = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';

/** Pod anti-affinity on `kubernetes.io/hostname` among the pods `selector` matches. */
export function hostnameAntiAffinity(selector: Readonly<Record<string, string>>, spread: Spread): Pick<Affinity, 'podAntiAffinity'> | undefined {
  const term = { labelSelector: { matchLabels: { ...selector } }, topologyKey: HOSTNAME };
  if (spread === 'required') return { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } };
  if (spread === 'preferred') return { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] } };
  return undefined;
}

/** Topology spread over `topology.kubernetes.io/zone` among the pods `selector` matches. */
export function zoneSpreadConstraints(selector: Readonly<Record<string, string>>, spread: Spread): TopologySpreadConstraint[] {
  if (spread === 'none') return [];
  return [
    {
      maxSkew: 1,
      topologyKey: ZONE,
      whenUnsatisfiable: spread === 'required' ? 'DoNotSchedule' : 'ScheduleAnyway',
      labelSelector: { matchLabels: { ...selector } },
    },
  ];
}
