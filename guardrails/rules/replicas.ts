import { isKind } from '../manifest';
import { relationsOf } from '../relations';
import { replicasOf } from '../workload';
import { Rule, Violation } from './rule';

export const replicas: Rule = {
  id: 'replicas',
  severity: 'warning',
  description: 'A Deployment behind a Service runs fewer than 2 replicas and no HPA scales it: a rollout, a crash or a node drain takes the Service down.',
  remediation: 'Run at least 2 replicas (or scale with an HPA whose minReplicas is 2 or more).',
  equivalents: { kubeLinter: ['minimum-three-replicas'], kubeScore: ['deployment-replicas'] },
  check: (context) => {
    const relations = relationsOf(context);
    return context.manifests.flatMap((manifest): Violation[] => {
      if (!isKind(manifest, ['apps'], 'Deployment') || relations.hpas(manifest).length > 0) return [];
      const count = replicasOf(manifest) ?? 1;
      const services = relations.services(manifest);
      if (count >= 2 || count === 0 || services.length === 0) return []; // 0: deliberately scaled down (an idle blue/green slot)
      return [{ manifest, field: 'spec.replicas', problem: `${count} replica${count === 1 ? '' : 's'} behind ${services[0].ref}: one failure or rollout takes it down`, fix: 'run at least 2 replicas' }];
    });
  },
};
