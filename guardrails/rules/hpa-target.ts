import { at } from '../object';
import { isHpa, scaleTargetOf } from '../scale-target';
import { podTemplateOf } from '../workload';
import { Rule, Violation } from './rule';

export const hpaTarget: Rule = {
  id: 'hpa-target',
  severity: 'error',
  description: 'An HPA’s scaleTargetRef must name a scalable workload among the manifests of its namespace (same kind and name); otherwise it scales nothing.',
  remediation: 'Fix scaleTargetRef (apiVersion, kind, name) or add the workload.',
  equivalents: { kubeLinter: ['dangling-horizontalpodautoscaler'], kubeScore: ['horizontalpodautoscaler-has-target'] },
  check: ({ manifests, lookup }) =>
    manifests.filter(isHpa).flatMap((manifest): Violation[] => {
      const { ref, target } = scaleTargetOf(manifest, lookup);
      if (!target) return [{ manifest, field: 'spec.scaleTargetRef', problem: `scaleTargetRef ${ref} is not among the manifests in namespace "${manifest.namespace}"`, fix: 'fix the reference or add the workload' }];
      const apiVersion = at(manifest.object, 'spec', 'scaleTargetRef', 'apiVersion');
      if (typeof apiVersion === 'string' && apiVersion !== target.apiVersion) {
        return [{ manifest, field: 'spec.scaleTargetRef.apiVersion', problem: `scaleTargetRef names ${apiVersion}, but ${target.ref} is ${target.apiVersion}`, fix: `use apiVersion ${target.apiVersion}` }];
      }
      if (!podTemplateOf(target) || target.kind === 'DaemonSet') return [{ manifest, field: 'spec.scaleTargetRef', problem: `${target.ref} cannot be scaled`, fix: 'target a Deployment, StatefulSet or other workload with replicas' }];
      return [];
    }),
};
