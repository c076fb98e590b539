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
  check: ({ manifests }) => {
    const firstUse = new Map<number, Manifest>();
    const violations: Violation[] = [];
    for (const manifest of manifests) {
      if (!isKind(manifest, [''], 'Service')) continue;
      for (const port of objects(at(manifest.object, 'spec', 'ports'))) {
        const value = port.nodePort;
        if (typeof value !== 'number') continue;
        if (value < MIN || value > MAX) {
          violations.push({ manifest, message: `nodePort ${value} is outside ${MIN}–${MAX}; pick a port in that range` });
          continue;
        }
        const first = firstUse.get(value);
        if (!first) firstUse.set(value, manifest);
        else violations.push({ manifest, message: `nodePort ${value} is already used by ${first.ref} (${first.file}); pick a free port in ${MIN}–${MAX}` });
      }
    }
    return violations;
  },
};
