import { asObject, at, objects } from '../object';
import { checkTemplates, containersOf, describeContainer, isLongRunning } from '../workload';
import { Rule } from './rule';

/**
 * A serving container (one that declares ports) of a long-running workload needs a readiness probe,
 * or Services send it traffic and rollouts move on before it can answer. Jobs/CronJobs and bare Pods
 * that don't restart are exempt. DaemonSets are NOT exempt, node agents included: one that declares a
 * port is scraped or called through a Service, and its rolling update counts ready pods; agents that
 * serve nothing (flannel, kube-proxy declare no ports) are unaffected anyway.
 */
export const readinessProbe: Rule = {
  id: 'readiness-probe',
  severity: 'error',
  description: "A serving container of a long-running workload needs a readiness probe, or Services send it traffic and rollouts move on before it can answer.",
  remediation: "Add a readinessProbe on the port the container serves.",
  equivalents: { kubeLinter: ['no-readiness-probe'], kubeScore: ['pod-probes'] },
  check: ({ manifests }) =>
    checkTemplates(manifests, (template, manifest) =>
      !isLongRunning(manifest, template)
        ? []
        : containersOf(template.spec, { includeInit: false }).flatMap((container) => {
            const ports = objects(container.spec.ports).map((p) => String(p.containerPort));
            if (ports.length === 0 || asObject(at(container.spec, 'readinessProbe'))) return [];
            return [{ field: `${container.path}.readinessProbe`, problem: `${describeContainer(container)} serves port ${ports.join(', ')} but has no readinessProbe`, fix: 'add one so traffic and rollouts wait until it is ready' }];
          }),
    ),
};
