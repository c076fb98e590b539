import fc from 'fast-check';
import { App, Chart } from 'cdk8s';
import { BlueGreenService, BlueGreenServiceProps, SlotProps } from '../../constructs/blue-green-service';
import { MixedArchCluster } from '../../constructs/mixed-arch-cluster';
import { Peer } from '../../constructs/network-peer';
import type { ContainerPort } from '../../constructs/pod-template';
import type { WorkloadPlatform } from '../../constructs/platform';
import { Manifest } from '../util/synth';
import { compact, container, maybe, mostly, platform, portName, roomyPools } from './generators';
import { fuzzConstruct } from './harness';

/** Both slots usually expose the same ports; sometimes they differ (refused). */
const slotPorts = mostly(
  fc.constantFrom<ContainerPort[]>([{ name: 'http', containerPort: 3000 }], [{ name: 'http', containerPort: 3000 }, { name: 'metrics', containerPort: 9100 }]),
  fc.constantFrom<ContainerPort[]>([], [{ name: 'api', containerPort: 80 }], [{ name: 'http', containerPort: 8080, protocol: 'UDP' }]),
  6,
);

const replicas = mostly(fc.integer({ min: 1, max: 4 }), fc.constantFrom(-1, 0, 1.5), 9);

function slot(ports: fc.Arbitrary<ContainerPort[]>): fc.Arbitrary<SlotProps> {
  return fc
    .record({
      container: container({ name: fc.constant('version-server'), ports }),
      version: maybe(fc.constantFrom('0.0.1', '0.0.2', 'v2')),
      replicas: maybe(replicas, 0.3),
    })
    .map(compact);
}

const peer: fc.Arbitrary<Peer> = fc.constantFrom<Peer>('same-namespace', 'cluster', { podLabels: { app: 'gateway' } }, { cidr: '10.0.0.0/16' });

const scenario = fc
  .record({
    ports: slotPorts,
    otherPorts: maybe(slotPorts, 0.15),
    defined: fc.constantFrom('both', 'both', 'both', 'both', 'both', 'blue', 'green', 'none'),
    active: fc.constantFrom('blue' as const, 'green' as const),
    name: fc.constantFrom('ver', 'versions'),
    app: maybe(fc.constantFrom('ver', 'versions-app'), 0.3),
    labels: maybe(mostly(fc.constant<Record<string, string>>({ team: 'books' }), fc.constantFrom<Record<string, string>>({ app: 'other' }, { slot: 'blue' }), 4), 0.3),
    replicas: maybe(replicas),
    nonHa: maybe(fc.boolean(), 0.3),
    scaleIdleToZero: maybe(fc.boolean()),
    preview: maybe(fc.boolean()),
    servicePorts: mostly<BlueGreenServiceProps['service']['ports']>(
      fc.constantFrom([{ name: 'http', port: 80 }], [{ name: 'web', port: 80, targetPort: 'http' }]),
      fc.array(fc.record({ name: portName, port: fc.constantFrom(80, 3000), targetPort: maybe(portName, 0.3) }).map(compact), { maxLength: 2 }),
      4,
    ),
    routing: maybe(fc.constantFrom('selector' as const, 'istio-weighted' as const)),
    ingressFrom: maybe(mostly(fc.array(peer, { minLength: 1, maxLength: 2 }), fc.constant<Peer[]>([])), 0.3),
    pools: roomyPools,
    platform: mostly<WorkloadPlatform>(fc.constant({ os: 'linux' }), platform, 6),
  })
  .chain((s) =>
    fc.record({ blue: slot(fc.constant(s.ports)), green: slot(fc.constant(s.otherPorts ?? s.ports)) }).map((slots) => {
      const { ports, otherPorts, defined, servicePorts, pools, platform, ...rest } = s;
      const props = compact({
        ...rest,
        namespace: 'versions',
        slots: compact({ blue: defined === 'both' || defined === 'blue' ? slots.blue : undefined, green: defined === 'both' || defined === 'green' ? slots.green : undefined }),
        service: { ports: servicePorts },
      }) as Omit<BlueGreenServiceProps, 'placement'>;
      return { props, pools, platform };
    }),
  );

type Scenario = typeof scenario extends fc.Arbitrary<infer S> ? S : never;

function build({ props, pools, platform }: Scenario): Manifest[] {
  const app = new App({ outdir: 'unused' });
  const cluster = new MixedArchCluster(new Chart(app, 'cluster'), 'cluster', { envName: 'fuzz', nodePools: pools });
  const chart = new Chart(app, 'test');
  new BlueGreenService(chart, 'ver', { ...props, placement: cluster.place('test/ver', platform) });
  return chart.toJson();
}


describe('BlueGreenService (property-based)', () => {
  fuzzConstruct('BlueGreenService', scenario, build);
});
