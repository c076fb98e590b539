import { asString, objects } from '../object';
import { checkTemplates, containersOf, describeContainer } from '../workload';
import { Rule } from './rule';

export const sshPort: Rule = {
  id: 'ssh-port',
  severity: 'warning',
  description: 'A container exposes TCP port 22: an SSH server in a container is a second way in that bypasses the API server’s audit and RBAC.',
  remediation: 'Use kubectl exec/debug instead of SSH; move a non-SSH service off port 22.',
  equivalents: { kubeLinter: ['ssh-port'], kubeScore: [] },
  check: ({ manifests }) =>
    checkTemplates(manifests, ({ spec }) =>
      containersOf(spec).flatMap((container) =>
        objects(container.spec.ports).flatMap((port, i) =>
          port.containerPort === 22 && (asString(port.protocol) ?? 'TCP') === 'TCP'
            ? [{ field: `${container.path}.ports[${i}].containerPort`, problem: `${describeContainer(container)} exposes port 22 (SSH)`, fix: 'use kubectl exec instead of an SSH server' }]
            : [],
        ),
      ),
    ),
};
