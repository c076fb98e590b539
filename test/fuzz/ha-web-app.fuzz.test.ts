import fc from 'fast-check';
import { App, Chart } from 'cdk8s';
import { HaWebApp, HaWebAppProps, RolloutStrategy, ServiceOptions } from '../../constructs/ha-web-app';
import { MixedArchCluster } from '../../constructs/mixed-arch-cluster';
import { Peer } from '../../constructs/network-peer';
import { Manifest, webContainer } from '../util/synth';
import { compact, container, extraTolerations, maybe, mostly, platform, pools, portName, roomyPools } from './generators';
import { fuzzConstruct } from './harness';

const count = fc.integer({ min: 0, max: 10 });
const percent = fc.constantFrom('0%', '25%', '50%', '100%', '-10%');
const surgeOrUnavailable = fc.oneof(fc.integer({ min: -1, max: 3 }), percent);

const strategy: fc.Arbitrary<RolloutStrategy> = fc.oneof(
  fc.constant({ type: 'Recreate' as const }),
  fc.record({ type: fc.constant('RollingUpdate' as const), maxSurge: surgeOrUnavailable, maxUnavailable: surgeOrUnavailable }),
  // The books' strategy, and the both-zero refusal, on purpose.
  fc.constantFrom<RolloutStrategy>({ type: 'RollingUpdate', maxSurge: 0, maxUnavailable: 1 }, { type: 'RollingUpdate', maxSurge: 0, maxUnavailable: 0 }),
);

const spread = maybe(fc.constantFrom('required' as const, 'preferred' as const, 'preferred' as const, 'none' as const));
const nodePort = maybe(fc.constantFrom(29999, 30000, 30080, 30081, 32767, 32768));
const serviceType = maybe(fc.constantFrom('ClusterIP' as const, 'NodePort' as const, 'LoadBalancer' as const));
const lbAnnotations = maybe(fc.constant({ 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' }), 0.3);

const validService: fc.Arbitrary<ServiceOptions> = fc
  .record({ type: serviceType, nodePort: fc.constantFrom(30000, 30080, 32767), annotations: lbAnnotations })
  .map(({ type, nodePort, annotations }) => compact({ type, annotations, ports: [compact({ name: 'http', port: 80, nodePort: type === 'NodePort' ? nodePort : undefined })] }));

/** Port lists of 0-3 entries: missing targets, nodePorts out of range, duplicated, on the wrong Service type. */
const wildService: fc.Arbitrary<ServiceOptions> = fc
  .record({
    name: maybe(fc.constantFrom('web', 'web-svc')),
    type: serviceType,
    ports: fc.array(fc.record({ name: portName, port: fc.constantFrom(80, 443, 8080), targetPort: maybe(portName, 0.3), nodePort }).map(compact), { minLength: 0, maxLength: 3 }),
    annotations: lbAnnotations,
  })
  .map(compact);

/** Two ports of one NodePort Service sharing a nodePort (the API server rejects it). */
const sharedNodePortService: fc.Arbitrary<ServiceOptions> = fc.constantFrom(30000, 30080).map((nodePort) => ({
  type: 'NodePort' as const,
  ports: [
    { name: 'http', port: 80, nodePort },
    { name: 'http-alt', port: 8080, targetPort: 'http', nodePort },
  ],
}));

const service = fc.oneof({ weight: 12, arbitrary: validService }, { weight: 4, arbitrary: wildService }, { weight: 1, arbitrary: sharedNodePortService });

const peer: fc.Arbitrary<Peer> = fc.constantFrom<Peer>('same-namespace', 'cluster', 'anywhere', { podLabels: { app: 'gateway' } }, { podLabels: { app: 'x' }, namespace: 'other' }, { cidr: '10.0.0.0/16' });

const autoscaling = mostly(
  fc
    .record({ minReplicas: fc.integer({ min: 2, max: 3 }), extra: fc.integer({ min: 0, max: 3 }), cpuUtilization: fc.constantFrom(50, 80, 100) })
    .map(({ minReplicas, extra, cpuUtilization }) => ({ minReplicas, maxReplicas: minReplicas + extra, cpuUtilization })),
  fc.record({ minReplicas: count, maxReplicas: count, cpuUtilization: fc.constantFrom(0, 50, 80, 100, 150) }),
  3,
);

const scheduling = fc
  .record({
    nodeSelector: maybe(mostly(fc.constant<Record<string, string>>({ disk: 'ssd' }), fc.constantFrom<Record<string, string>>({ 'kubernetes.io/os': 'linux' }, { 'kubernetes.io/os': 'windows' }), 2)),
    affinity: maybe(
      mostly(fc.constantFrom(1, 50, 100), fc.constantFrom(0, 101)).map((weight) => ({
        nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } }] },
      })),
    ),
    tolerations: maybe(extraTolerations),
  })
  .map(compact);

const props = fc
  .record({
    name: fc.constantFrom('web', 'shop-frontend'),
    selectorLabels: maybe(fc.constantFrom<Record<string, string>>({ app: 'web', tier: 'front' }, { tier: 'front' }, { app: 'numbers', component: 'web' }), 0.3),
    labels: maybe(mostly(fc.constantFrom<Record<string, string>>({ team: 'shop' }, { 'app.kubernetes.io/part-of': 'shop' }), fc.constantFrom<Record<string, string>>({ app: 'other' }, { tier: 'back' }), 4), 0.3),
    container: container(),
    replicas: maybe(mostly(fc.integer({ min: 2, max: 4 }), count, 3)),
    nonHa: maybe(fc.boolean(), 0.2),
    strategy: maybe(mostly(fc.constantFrom<RolloutStrategy>({ type: 'Recreate' }, { type: 'RollingUpdate', maxSurge: 0, maxUnavailable: 1 }, { type: 'RollingUpdate', maxSurge: '25%', maxUnavailable: '25%' }), strategy, 2)),
    hostnameSpread: spread,
    zoneSpread: spread,
    disruptionBudget: maybe(mostly(fc.constantFrom({ maxUnavailable: 1 }, { maxUnavailable: 2 }, { minAvailable: 1 }), fc.oneof(fc.record({ maxUnavailable: fc.integer({ min: 0, max: 3 }) }), fc.record({ minAvailable: count })), 3)),
    service,
    autoscaling: maybe(autoscaling, 0.3),
    networkPolicy: maybe(
      fc.record({ ingressFrom: mostly(fc.array(peer, { minLength: 1, maxLength: 2 }), fc.constant<Peer[]>([])), egressTo: maybe(fc.constant([{ to: { cidr: '10.0.0.0/16' } as Peer, ports: [{ port: 5432 }] }])) }).map(compact),
      0.3,
    ),
    istio: maybe(fc.record({ hosts: mostly(fc.subarray(['shop.example.com', '*'], { minLength: 1 }), fc.constant<string[]>([])), port: maybe(portName, 0.3) }).map(compact), 0.3),
    linkerd: maybe(fc.boolean()),
    scheduling: maybe(scheduling, 0.3),
    podAnnotations: maybe(fc.constant({ 'prometheus.io/scrape': 'true' }), 0.3),
    // replicas together with autoscaling is refused; keep that combination rare.
    replicasWithHpa: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  })
  .map(({ replicasWithHpa, ...p }) => compact({ ...p, replicas: p.autoscaling && !replicasWithHpa ? undefined : p.replicas }) as Omit<HaWebAppProps, 'namespace' | 'placement'>);

/** The workload, the cluster it is placed on, and maybe a neighbour NodePort app in the same environment. */
const scenario = fc.record({
  props,
  pools: mostly(roomyPools, pools, 6),
  platform: fc.oneof({ weight: 6, arbitrary: fc.constant({ os: 'linux' as const }) }, { weight: 1, arbitrary: platform }),
  tolerations: maybe(extraTolerations, 0.3),
  neighbourNodePort: maybe(fc.constantFrom(30000, 30080, 31000), 0.3),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer S> ? S : never;

function build({ props, pools, platform, tolerations, neighbourNodePort }: Scenario): Manifest[] {
  const app = new App({ outdir: 'unused' });
  const cluster = new MixedArchCluster(new Chart(app, 'cluster'), 'cluster', { envName: 'fuzz', nodePools: pools });
  const chart = new Chart(app, 'test');
  if (neighbourNodePort !== undefined) {
    new HaWebApp(chart, 'neighbour', {
      namespace: 'shop',
      name: 'neighbour',
      placement: { platform: { os: 'linux' }, nodeSelector: { 'kubernetes.io/os': 'linux' }, tolerations: [], eligibleNodes: 3, pools: ['linux'] },
      container: webContainer,
      service: { type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: neighbourNodePort }] },
    });
  }
  new HaWebApp(chart, 'web', { namespace: 'shop', placement: cluster.place('test/web', platform, tolerations), ...props });
  return chart.toJson();
}


describe('HaWebApp (property-based)', () => {
  fuzzConstruct('HaWebApp', scenario, build);
});
