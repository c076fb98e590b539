import { at } from '../object';
import { checkTemplates, containersOf, describeContainer } from '../workload';
import { Rule } from './rule';

export const readOnlyRootFs: Rule = {
  id: 'read-only-root-fs',
  severity: 'warning',
  description: 'A container runs with a writable root filesystem: an intruder can drop tools and change binaries, and writes silently fill the node disk.',
  remediation: 'Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the app must write.',
  equivalents: { kubeLinter: ['no-read-only-root-fs'], kubeScore: ['container-security-context-readonlyrootfilesystem'] },
  check: ({ manifests }) =>
    checkTemplates(manifests, ({ spec }) =>
      containersOf(spec).flatMap((container) =>
        at(container.spec, 'securityContext', 'readOnlyRootFilesystem') === true
          ? []
          : [{ field: `${container.path}.securityContext.readOnlyRootFilesystem`, problem: `${describeContainer(container)} has a writable root filesystem`, fix: 'set securityContext.readOnlyRootFilesystem: true (mount an emptyDir where it writes)' }],
      ),
    ),
};
