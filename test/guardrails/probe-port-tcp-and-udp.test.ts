/**
 * A survivor of the rerun over guardrails/rules/[p-z]*.ts (reports/mutation/survivors/guardrails-rules-p-z.md):
 * a port number served over TCP and UDP (DNS on 53) is a TCP port for a probe.
 */
import { findingsOf, workload } from './hand-built';

const dns = (probePort: number | string) => ({
  containers: [
    {
      name: 'dns',
      image: 'example/dns:1.0.0',
      ports: [
        { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
        { name: 'dns', containerPort: 53, protocol: 'UDP' },
      ],
      readinessProbe: { tcpSocket: { port: probePort } },
    },
  ],
});

// The kubelet resolves a named port to its number and connects over TCP, whatever the named port's protocol.
test('a probe on 53 (TCP and UDP), or on either name of it, is fine', () => {
  expect(findingsOf('probe-port', [workload('Deployment', 'dns', dns(53))])).toEqual([]);
  expect(findingsOf('probe-port', [workload('Deployment', 'dns', dns('dns-tcp'))])).toEqual([]);
  expect(findingsOf('probe-port', [workload('Deployment', 'dns', dns('dns'))])).toEqual([]);
});

test('the same ports without the TCP one: a probe on 53 is refused (the check above is not vacuous)', () => {
  const udpOnly = dns(53);
  udpOnly.containers[0].ports = udpOnly.containers[0].ports.filter((p) => p.protocol === 'UDP');
  expect(findingsOf('probe-port', [workload('Deployment', 'dns', udpOnly)]).map((f) => f.problem)).toEqual([
    'container "dns" readinessProbe (tcpSocket) probes port 53, a UDP port, over TCP',
  ]);
});
