import { Manifest } from '../manifest';
import { asString, at, objects } from '../object';
import { isBuiltInGroup } from '../models';
import { dns1035Label, dns1123Label, dns1123Subdomain } from '../syntax';
import { containersOf, podTemplateOf } from '../workload';
import { Problem, Rule, Violation } from './rule';

/** Name syntax per kind where it is stricter than a subdomain (the API server's NameIsDNS*). */
const NAME_SYNTAX: Readonly<Record<string, (name: string) => string | undefined>> = { Namespace: dns1123Label, Service: dns1035Label };
/** Kinds whose names are paths or free-form in the API (RBAC names may hold ':', e.g. system:nodes). */
const FREE_NAMED = /^(ClusterRole|ClusterRoleBinding|Role|RoleBinding)$/;

function nameProblems(m: Manifest): Problem[] {
  const problems: Problem[] = [];
  const name = asString(at(m.object, 'metadata', 'name'));
  if (name && !FREE_NAMED.test(m.kind) && isBuiltInGroup(m.group)) {
    const invalid = (NAME_SYNTAX[m.kind] ?? dns1123Subdomain)(name);
    if (invalid) problems.push({ field: 'metadata.name', problem: `name "${name}" ${invalid}`, fix: 'rename the object' });
  }
  const namespace = asString(at(m.object, 'metadata', 'namespace'));
  if (namespace !== undefined) {
    const invalid = dns1123Label(namespace);
    if (invalid) problems.push({ field: 'metadata.namespace', problem: `namespace "${namespace}" ${invalid}`, fix: 'fix the namespace' });
  }
  const template = podTemplateOf(m);
  if (template) {
    for (const container of containersOf(template.spec)) {
      const invalid = dns1123Label(container.name);
      // An unnamed container (containersOf calls it #i) is the schema rule's; a name written "#x" is not.
      if (invalid && asString(container.spec.name) !== undefined) problems.push({ field: `${template.path}.${container.path}.name`, problem: `container name "${container.name}" ${invalid}`, fix: 'rename the container' });
    }
    objects(template.spec.volumes).forEach((volume, i) => {
      const volumeName = asString(volume.name);
      const invalid = volumeName === undefined ? undefined : dns1123Label(volumeName);
      if (invalid) problems.push({ field: `${template.path}.volumes[${i}].name`, problem: `volume name "${volumeName}" ${invalid}`, fix: 'rename the volume' });
    });
  }
  return problems;
}

export const objectName: Rule = {
  id: 'object-name',
  severity: 'error',
  description:
    'Names the API server accepts: object names are RFC 1123 subdomains (Namespaces RFC 1123 labels, Services RFC 1035 labels: they become DNS labels); namespaces, container and volume names are RFC 1123 labels.',
  remediation: "Use lowercase letters, digits and '-' (and '.' where a subdomain is allowed), starting and ending with a letter or digit.",
  equivalents: { kubeLinter: [], kubeScore: [] },
  check: ({ manifests }) => manifests.flatMap((manifest): Violation[] => nameProblems(manifest).map((p) => ({ manifest, ...p }))),
};
