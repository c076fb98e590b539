import { asArray, at } from '../object';
import { checkTemplates, containersOf, describeContainer } from '../workload';
import { Rule } from './rule';

/** Capabilities as written (`NET_RAW`, `CAP_NET_RAW`, `net_raw`) reduced to one spelling. */
function capability(value: unknown): string {
  return String(value).toUpperCase().replace(/^CAP_/, '');
}

/**
 * NET_RAW lets a container craft packets (ARP/DNS spoofing on the node's network). Like kube-linter,
 * only containers that manage capabilities are checked: adding NET_RAW, or dropping some but not it.
 */
export const dropNetRaw: Rule = {
  id: 'drop-net-raw',
  severity: 'warning',
  description: 'A container that manages its capabilities adds NET_RAW or drops others but keeps it: NET_RAW lets it craft raw packets and spoof traffic on the node network.',
  remediation: 'Add NET_RAW (or ALL) to securityContext.capabilities.drop and never to add.',
  equivalents: { kubeLinter: ['drop-net-raw-capability'], kubeScore: [] },
  check: ({ manifests }) =>
    checkTemplates(manifests, ({ spec }) =>
      containersOf(spec).flatMap((container) => {
        const capabilities = at(container.spec, 'securityContext', 'capabilities');
        if (!capabilities || typeof capabilities !== 'object') return [];
        const field = `${container.path}.securityContext.capabilities`;
        const add = asArray(at(capabilities, 'add')).map(capability);
        const drop = asArray(at(capabilities, 'drop')).map(capability);
        if (add.includes('NET_RAW') || add.includes('ALL')) {
          return [{ field: `${field}.add`, problem: `${describeContainer(container)} adds ${add.includes('ALL') ? 'ALL capabilities' : 'NET_RAW'}`, fix: 'remove it and drop NET_RAW' }];
        }
        if (drop.includes('NET_RAW') || drop.includes('ALL')) return [];
        return [{ field: `${field}.drop`, problem: `${describeContainer(container)} keeps NET_RAW`, fix: 'add NET_RAW (or ALL) to capabilities.drop' }];
      }),
    ),
};
