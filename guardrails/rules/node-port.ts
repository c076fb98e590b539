import { isKind, Manifest } from '../manifest';
import { at, objects } from '../object';
import { Rule, Violation } from './rule';

const MIN = 30000;
const MAX = 32767;

/**
 * Explicit nodePorts must lie in the default service-node-port-range and be unique cluster-wide
 * (across every document given): the API server rejects both, and users' bookmarks and firewall rules
 * depend on them staying fixed.
 */
export const nodePort: Rule = {
  id: 'node-port',
  severity: 'error',
  description: "Explicit nodePorts must lie in 30000-32767 and be unique in the cluster: the API server rejects both, and bookmarks and firewall rules depend on them.",
  remediation: "Pick a free port in 30000-32767, or omit nodePort (0) to let the cluster allocate one.",
  equivalents: { kubeLinter: ['exposed-services'], kubeScore: ['service-type'] },
  differs: "kube-score's service-type (and kube-linter's optional exposed-services) flag every NodePort Service; NodePorts are how bare-metal and edge clusters expose services, so only their range and reuse are checked here.",
  check: ({ manifests }) => {
    const firstUse = new Map<number, Manifest>();
    const violations: Violation[] = [];
    for (const manifest of manifests) {
      if (!isKind(manifest, [''], 'Service')) continue;
      objects(at(manifest.object, 'spec', 'ports')).forEach((port, i) => {
        const value = port.nodePort;
        // 0 (or absent) asks the API server to allocate one.
        if (typeof value !== 'number' || value === 0) return;
        const field = `spec.ports[${i}].nodePort`;
        if (value < MIN || value > MAX) {
          violations.push({ manifest, field, problem: `nodePort ${value} is outside ${MIN}–${MAX}`, fix: 'pick a port in that range' });
          return;
        }
        const first = firstUse.get(value);
        if (!first) firstUse.set(value, manifest);
        else violations.push({ manifest, field, problem: `nodePort ${value} is already used by ${first.ref} (${first.file})`, fix: `pick a free port in ${MIN}–${MAX}` });
      });
    }
    return violations;
  },
};
