import { isKind } from '../manifest';
import { asString, at, objects } from '../object';
import { portName } from '../syntax';
import { checkTemplates, containersOf, describeContainer } from '../workload';
import { Problem, Rule, Violation } from './rule';

/**
 * Port names and numbers as the API server validates them: container port names are IANA service names
 * and unique in the pod; a Service's ports have unique names (required when there are several), unique
 * port/protocol pairs, and a targetPort that is a valid number or name.
 */
export const portNames: Rule = {
  id: 'port-names',
  severity: 'error',
  description:
    "Port names and numbers as the API server validates them: container port names are IANA service names (≤ 15 lowercase letters, digits, '-') unique in the pod; a Service's ports have unique names (required with several), unique port/protocol pairs and a valid targetPort.",
  remediation: 'Rename or renumber the port as the message says.',
  equivalents: { kubeLinter: ['invalid-target-ports'], kubeScore: [] },
  check: ({ manifests }) => [
    ...checkTemplates(manifests, ({ spec }) => {
      const problems: Problem[] = [];
      const owners = new Map<string, string>();
      for (const container of containersOf(spec)) {
        objects(container.spec.ports).forEach((port, i) => {
          const name = asString(port.name);
          if (!name) return; // the name is optional: the API server validates only a non-empty one
          const field = `${container.path}.ports[${i}].name`;
          const invalid = portName(name);
          if (invalid) problems.push({ field, problem: `${describeContainer(container)} port name "${name}" ${invalid}`, fix: 'rename the port' });
          const owner = owners.get(name);
          if (owner) problems.push({ field, problem: `port name "${name}" is used twice in the pod (${owner} and ${describeContainer(container)})`, fix: 'give each port its own name' });
          else owners.set(name, describeContainer(container));
        });
      }
      return problems;
    }),
    ...manifests.filter((m) => isKind(m, [''], 'Service')).flatMap((manifest): Violation[] => {
      const ports = objects(at(manifest.object, 'spec', 'ports'));
      const problems: Violation[] = [];
      const names = new Set<string>();
      const numbers = new Set<string>();
      ports.forEach((port, i) => {
        const field = `spec.ports[${i}]`;
        const name = asString(port.name);
        if (name === undefined || name === '') {
          if (ports.length > 1) problems.push({ manifest, field: `${field}.name`, problem: 'a Service with several ports must name each of them', fix: 'name the port' });
        } else {
          const invalid = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) && name.length <= 63 ? undefined : 'must be a lowercase RFC 1123 label';
          if (invalid) problems.push({ manifest, field: `${field}.name`, problem: `port name "${name}" ${invalid}`, fix: 'rename the port' });
          if (names.has(name)) problems.push({ manifest, field: `${field}.name`, problem: `port name "${name}" is used twice`, fix: 'give each port its own name' });
          names.add(name);
        }
        const key = `${String(port.port)}/${asString(port.protocol) ?? 'TCP'}`;
        if (port.port !== undefined && numbers.has(key)) problems.push({ manifest, field: `${field}.port`, problem: `port ${key} is declared twice`, fix: 'remove the duplicate' });
        numbers.add(key);
        const target = port.targetPort;
        if (typeof target === 'string') {
          const invalid = /^\d+$/.test(target) ? undefined : portName(target);
          if (invalid) problems.push({ manifest, field: `${field}.targetPort`, problem: `targetPort "${target}" ${invalid}`, fix: 'name a container port, or give its number' });
        } else if (typeof target === 'number' && (target < 1 || target > 65535 || !Number.isInteger(target))) {
          problems.push({ manifest, field: `${field}.targetPort`, problem: `targetPort ${target} is not a port number (1–65535)`, fix: 'give a container port number or name' });
        }
      });
      return problems;
    }),
  ],
};
