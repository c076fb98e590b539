import { isKind } from '../manifest';
import { at } from '../object';
import { relationsOf } from '../relations';
import { Rule, Violation } from './rule';

export const deploymentStrategy: Rule = {
  id: 'deployment-strategy',
  severity: 'warning',
  description: 'A Deployment behind a Service uses the Recreate strategy: every rollout stops all pods before starting new ones, so the Service has no endpoints meanwhile.',
  remediation: 'Use strategy.type: RollingUpdate (the default), unless two versions must never run at once.',
  equivalents: { kubeLinter: [], kubeScore: ['deployment-strategy'] },
  check: (context) => {
    const relations = relationsOf(context);
    return context.manifests.flatMap((manifest): Violation[] => {
      if (!isKind(manifest, ['apps'], 'Deployment') || at(manifest.object, 'spec', 'strategy', 'type') !== 'Recreate') return [];
      const services = relations.services(manifest);
      if (services.length === 0) return [];
      return [{ manifest, field: 'spec.strategy.type', problem: `Recreate leaves ${services[0].ref} without endpoints during every rollout`, fix: 'use RollingUpdate' }];
    });
  },
};
