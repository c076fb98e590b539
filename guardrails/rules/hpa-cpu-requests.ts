import { asString, at, JsonObject, objects } from '../object';
import { isHpa, scaleTargetOf } from '../scale-target';
import { containersOf, podTemplateOf } from '../workload';
import { Rule, Violation } from './rule';

/**
 * The CPU utilization an HPA scales on is a share of each container's CPU request: without requests
 * the HPA reports <unknown> and never scales. Returns the containers the metric covers: all of them
 * ('*'), the named ones (ContainerResource metrics), or none when the HPA doesn't scale on CPU.
 */
function cpuUtilizationContainers(hpa: JsonObject): string[] {
  if (hpa.apiVersion === 'autoscaling/v1') return ['*']; // v1 scales on CPU only (80% when unset)
  const metrics = objects(at(hpa, 'spec', 'metrics'));
  if (metrics.length === 0) return ['*']; // v2 defaults to 80% average CPU utilization
  return metrics.flatMap((metric) => {
    const source = metric.type === 'ContainerResource' ? metric.containerResource : metric.type === 'Resource' ? metric.resource : undefined;
    const utilization = at(source, 'target', 'type') === 'Utilization' || at(source, 'targetAverageUtilization') !== undefined;
    if (at(source, 'name') !== 'cpu' || !utilization) return [];
    return [metric.type === 'ContainerResource' ? (asString(at(source, 'container')) ?? '') : '*'];
  });
}

/** An HPA on CPU utilization must target a workload in the manifests whose containers request CPU. */
export const hpaCpuRequests: Rule = {
  id: 'hpa-cpu-requests',
  severity: 'error',
  description: "An HPA scaling on CPU utilization must target a workload whose containers request CPU; without requests it reports <unknown> and never scales.",
  remediation: "Add resources.requests.cpu to every container the metric covers, or fix scaleTargetRef.",
  equivalents: { kubeLinter: [], kubeScore: [] },
  check: ({ manifests, lookup }) =>
    manifests.filter(isHpa).flatMap((manifest): Violation[] => {
      const covered = cpuUtilizationContainers(manifest.object);
      if (covered.length === 0) return [];
      const { target } = scaleTargetOf(manifest, lookup);
      if (!target) return []; // hpa-target reports a dangling reference
      const template = podTemplateOf(target);
      if (!template) return [];
      const lacking = containersOf(template.spec, { includeInit: false })
        .filter((c) => (covered.includes('*') || covered.includes(c.name)) && at(c.spec, 'resources', 'requests', 'cpu') === undefined)
        .map((c) => `"${c.name}"`);
      return lacking.length === 0
        ? []
        : [{ manifest, field: 'spec.metrics', problem: `scales ${target.ref} on CPU utilization but container(s) ${lacking.join(', ')} set no CPU request`, fix: `add resources.requests.cpu to ${target.ref}` }];
    }),
};
