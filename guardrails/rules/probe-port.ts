import { asObject, asString, objects } from '../object';
import { checkTemplates, containersOf, describeContainer } from '../workload';
import { Problem, Rule } from './rule';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;

/** Protocols a probe never reaches (HTTP, TCP and gRPC probes all connect over TCP), as a finding names them. */
const NOT_TCP: ReadonlyMap<string, string> = new Map([
  ['UDP', 'a UDP port'],
  ['SCTP', 'an SCTP port'],
]);

/**
 * A probe must aim at a port the container has. A named port that the container doesn't declare makes
 * the kubelet fail the probe forever (liveness: endless restarts). A number the container doesn't
 * declare still works (containerPort is informational), so it is a warning, and only when the container
 * declares ports at all.
 */
export const probePort: Rule = {
  id: 'probe-port',
  severity: 'error',
  description:
    "A liveness, readiness or startup probe names a port the container doesn't declare: a missing named port fails the probe forever (a liveness probe then restarts the container endlessly); an undeclared number is a warning.",
  remediation: 'Point the probe at a port in the container’s ports, by name or number.',
  equivalents: { kubeLinter: ['liveness-port', 'readiness-port', 'startup-port'], kubeScore: [] },
  check: ({ manifests }) =>
    checkTemplates(manifests, ({ spec }) =>
      containersOf(spec).flatMap((container) => {
        const ports = objects(container.spec.ports);
        const names = new Set(ports.map((p) => asString(p.name)).filter(Boolean));
        // Ports served over UDP or SCTP only (by name or number): a probe on one never connects.
        const tcpNumbers = new Set(ports.filter((p) => (asString(p.protocol) ?? 'TCP') === 'TCP').map((p) => p.containerPort));
        const notTcp = new Map<unknown, string>(
          ports.flatMap((p) => {
            const what = NOT_TCP.get(asString(p.protocol) ?? 'TCP');
            return what && !tcpNumbers.has(p.containerPort) ? [[asString(p.name), what] as const, [p.containerPort, what] as const] : [];
          }),
        );
        const numbers = new Set(ports.map((p) => p.containerPort));
        return PROBES.flatMap((probe): Problem[] => {
          const handler = asObject(container.spec[probe]);
          if (!handler) return [];
          return (['httpGet', 'tcpSocket', 'grpc'] as const).flatMap((kind): Problem[] => {
            const action = asObject(handler[kind]);
            if (!action || action.port === undefined) return [];
            const port = action.port;
            const field = `${container.path}.${probe}.${kind}.port`;
            const what = notTcp.get(port);
            if (what) {
              return [{ field, problem: `${describeContainer(container)} ${probe} (${kind}) probes port ${JSON.stringify(port)}, ${what}, over TCP`, fix: 'probe a TCP port or use an exec probe' }];
            }
            if (typeof port === 'string' && !/^\d+$/.test(port)) {
              return names.has(port) ? [] : [{ field, problem: `${describeContainer(container)} ${probe} uses port "${port}", which the container does not declare`, fix: 'name one of its ports, or add the port' }];
            }
            const number = Number(port);
            if (ports.length === 0 || numbers.has(number)) return [];
            return [{ field, problem: `${describeContainer(container)} ${probe} uses port ${number}, which is not among its ports`, fix: 'declare the port or probe a declared one', severity: 'warning' }];
          });
        });
      }),
    ),
};
