import { isKind } from '../manifest';
import { asString, at } from '../object';
import { formatLabels, formatSelector, isEmpty, mapSelector, matches } from '../selector';
import { podTemplateOf } from '../workload';
import { Rule, Violation } from './rule';

export const statefulsetServiceName: Rule = {
  id: 'statefulset-service-name',
  severity: 'error',
  description:
    'A StatefulSet’s serviceName must name a headless Service (clusterIP: None) among the manifests that selects its pods: it gives each pod its stable DNS name (web-0.web), which is what a StatefulSet is for.',
  remediation: 'Add a Service with clusterIP: None and the StatefulSet’s pod labels as selector, named as spec.serviceName.',
  equivalents: { kubeLinter: [], kubeScore: ['statefulset-has-servicename'] },
  differs: 'A StatefulSet without serviceName (optional since Kubernetes 1.31) is not flagged.',
  check: ({ manifests, lookup }) =>
    manifests.flatMap((manifest): Violation[] => {
      if (!isKind(manifest, ['apps'], 'StatefulSet')) return [];
      const name = asString(at(manifest.object, 'spec', 'serviceName'));
      if (!name) return [];
      const service = lookup(manifest.namespace, 'Service', name);
      if (!service) return [{ manifest, field: 'spec.serviceName', problem: `Service "${name}" is not among the manifests in namespace "${manifest.namespace}"`, fix: 'add the headless Service or fix serviceName' }];
      if (at(service.object, 'spec', 'clusterIP') !== 'None') return [{ manifest, field: 'spec.serviceName', problem: `Service "${name}" is not headless, so the pods get no stable DNS names`, fix: `set clusterIP: None on ${service.ref}` }];
      const selector = mapSelector(at(service.object, 'spec', 'selector'));
      const template = podTemplateOf(manifest);
      if (template && !isEmpty(selector) && !matches(selector, template.labels)) {
        return [{ manifest, field: 'spec.serviceName', problem: `Service "${name}" selects ${formatSelector(selector)}, not this StatefulSet's pods (${formatLabels(template.labels)}), so they get no DNS records`, fix: `make ${service.ref}'s selector match the pod labels` }];
      }
      return [];
    }),
};
