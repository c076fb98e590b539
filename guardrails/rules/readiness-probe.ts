import { Manifest } from '../manifest';
import { asObject, at, objects } from '../object';
import { relationsOf } from '../relations';
import { checkTemplates, Container, containersOf, describeContainer, isLongRunning } from '../workload';
import { Rule } from './rule';

/** The container a Service sends its traffic to: the one declaring a targetPort, else the first. */
function servingContainer(containers: Container[], services: Manifest[]): Container | undefined {
  const targets = services.flatMap((s) => objects(at(s.object, 'spec', 'ports')).map((p) => p.targetPort ?? p.port));
  return containers.find((c) => objects(c.spec.ports).some((p) => targets.includes(p.containerPort) || (p.name !== undefined && targets.includes(p.name)))) ?? containers[0];
}

/**
 * Pods a Service selects need a readiness probe, or the Service sends them traffic before they can
 * answer (and after they stop), and rollouts move on without waiting. Like kube-score, one readiness
 * probe in the pod is enough, Jobs and CronJobs are exempt, and pods no Service selects are not checked
 * — whatever ports they declare. Pod templates of any kind count: Argo Rollouts, Knative Services ...
 */
export const readinessProbe: Rule = {
  id: 'readiness-probe',
  severity: 'error',
  description:
    'Pods selected by a Service need a readiness probe, or the Service sends them traffic before they can answer and rollouts move on without waiting. Jobs are exempt; one probe per pod is enough.',
  remediation: 'Add a readinessProbe on the port the Service targets.',
  equivalents: { kubeLinter: ['no-readiness-probe'], kubeScore: ['pod-probes'] },
  differs: "kube-linter's no-readiness-probe (not a default) flags every container; like kube-score, only pods behind a Service are checked here.",
  check: (context) => {
    const relations = relationsOf(context);
    return checkTemplates(context.manifests, (template, manifest) => {
      if (!isLongRunning(manifest, template)) return [];
      const services = relations.services(manifest);
      const containers = containersOf(template.spec);
      if (services.length === 0 || containers.some((c) => asObject(at(c.spec, 'readinessProbe')))) return [];
      const container = servingContainer(containersOf(template.spec, { includeInit: false }), services);
      if (!container) return [];
      return [
        {
          field: `${container.path}.readinessProbe`,
          problem: `${services.map((s) => s.ref).join(', ')} sends traffic to ${describeContainer(container)}, which has no readinessProbe`,
          fix: 'add one so traffic and rollouts wait until it is ready',
        },
      ];
    });
  },
};
