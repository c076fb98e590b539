import { isKind, Manifest } from '../manifest';
import { asArray, asString, at, objects } from '../object';
import { Rule } from './rule';

/** The Role an extension API server or controller reads the client CA from: the tell of delegated authentication. */
const AUTHENTICATION_READER = 'extension-apiserver-authentication-reader';
/** The built-in ClusterRole granting exactly the delegation verbs. */
const AUTH_DELEGATOR = 'system:auth-delegator';
const NEEDED = [
  { group: 'authentication.k8s.io', resource: 'tokenreviews' },
  { group: 'authorization.k8s.io', resource: 'subjectaccessreviews' },
] as const;

const subjectsOf = (binding: Manifest) =>
  objects(binding.object.subjects)
    .filter((s) => s.kind === 'ServiceAccount')
    .map((s) => `${asString(s.namespace) ?? binding.namespace}/${asString(s.name) ?? ''}`);

/**
 * A component bound to `extension-apiserver-authentication-reader` serves a secure port that
 * authenticates and authorizes callers by delegation (TokenReview, SubjectAccessReview): its
 * ServiceAccount must be allowed to create both, or every request to that port (health, metrics,
 * an aggregated API) fails. The upstream cloud-controller-manager chart grants them; ours once did not.
 */
export const delegatedAuth: Rule = {
  id: 'delegated-auth',
  severity: 'error',
  description: 'A ServiceAccount bound to extension-apiserver-authentication-reader serves a delegated-auth secure port and must be able to create tokenreviews and subjectaccessreviews.',
  remediation: 'Grant create on tokenreviews (authentication.k8s.io) and subjectaccessreviews (authorization.k8s.io) in its ClusterRole, or bind it to system:auth-delegator.',
  equivalents: { kubeLinter: [], kubeScore: [] },
  differs: 'Judged only when every ClusterRole bound to the account is in the input (or is system:auth-delegator).',
  check: ({ manifests }) => {
    const clusterRoles = new Map(manifests.filter((m) => isKind(m, ['rbac.authorization.k8s.io'], 'ClusterRole')).map((m) => [m.name, m]));
    const clusterBindings = manifests.filter((m) => isKind(m, ['rbac.authorization.k8s.io'], 'ClusterRoleBinding'));
    const readerBindings = manifests.filter((m) => isKind(m, ['rbac.authorization.k8s.io'], 'RoleBinding') && at(m.object, 'roleRef', 'name') === AUTHENTICATION_READER);
    return readerBindings.flatMap((binding) =>
      subjectsOf(binding).flatMap((account) => {
        const roles = clusterBindings.filter((b) => subjectsOf(b).includes(account)).map((b) => asString(at(b.object, 'roleRef', 'name')) ?? '');
        if (roles.includes(AUTH_DELEGATOR)) return [];
        if (roles.some((r) => !clusterRoles.has(r))) return []; // a role we cannot see may grant them
        const grants = (group: string, resource: string) =>
          roles.some((r) =>
            objects(clusterRoles.get(r)!.object.rules).some((rule) => {
              const has = (field: string, value: string) => asArray(rule[field]).some((v) => v === value || v === '*');
              return has('apiGroups', group) && has('resources', resource) && has('verbs', 'create');
            }),
          );
        const missing = NEEDED.filter((n) => !grants(n.group, n.resource));
        if (missing.length === 0) return [];
        return [
          {
            manifest: binding,
            field: 'subjects',
            problem: `ServiceAccount ${account} reads the client CA for delegated authentication, but its ClusterRoles (${roles.join(', ') || 'none'}) do not allow create on ${missing.map((m) => `${m.resource}.${m.group}`).join(' or ')}: every request to its secure port fails`,
            fix: 'grant create on tokenreviews and subjectaccessreviews in its ClusterRole (as the upstream chart does), or bind it to system:auth-delegator',
          },
        ];
      }),
    );
  },
};
