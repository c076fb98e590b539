/** fast-check arbitraries shared by the construct fuzz tests: valid AND invalid values on purpose. */
import fc from 'fast-check';
import type { ContainerPort, ContainerProps, ImageRuntime, ProbeSpec, Resources } from '../../constructs/pod-template';
import type { NodePoolShape, PoolTaint, WorkloadPlatform } from '../../constructs/platform';
import type { Toleration } from '../../constructs/k8s';

/** Drops the keys whose value is undefined, so optional props are really absent. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** `fc.record` whose every key may be absent. */
export function optionals<T extends Record<string, unknown>>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<Partial<T>> {
  return fc.record(model, { requiredKeys: [] }) as fc.Arbitrary<Partial<T>>;
}

/** `valid` most of the time (weight 9:1 by default), `invalid` otherwise: both halves of the space, biased so that runs synthesize. */
export function mostly<T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<T>, validWeight = 9): fc.Arbitrary<T> {
  return fc.oneof({ weight: validWeight, arbitrary: valid }, { weight: 1, arbitrary: invalid });
}

/** `arb` with probability `present`, otherwise undefined (an absent optional prop). */
export function maybe<T>(arb: fc.Arbitrary<T>, present = 0.5): fc.Arbitrary<T | undefined> {
  const weight = Math.round(present * 100);
  return fc.oneof({ weight: 100 - weight, arbitrary: fc.constant(undefined) }, { weight, arbitrary: arb });
}

const DIGEST = `@sha256:${'0123456789abcdef'.repeat(4)}`;

/** Tagged, untagged, `latest`, digests, registries with ports, malformed. */
export const image = mostly(
  fc.constantFrom(
    'nginxinc/nginx-unprivileged:1.27.3',
    'errm/versions:0.0.2',
    'registry.example.com:5000/team/app:v1.2.3',
    `quay.io/prometheus/node-exporter${DIGEST}`,
  ),
  fc.constantFrom(
  // tag AND digest: a valid reference the construct refuses (IMAGE_REF takes a tag or a digest, not both)
  `alpine:3.20${DIGEST}`,
  'nginx',
  'nginx:latest',
  'quay.io/org/app:latest',
  'Nginx:1.27',
  'nginx:',
  '',
  'repo@sha256:abc',
  ),
  19,
);

export const floatingTagReason = maybe(fc.constantFrom('the publisher ships only latest', '', '   '), 0.08);

export const quantityCpu = fc.constantFrom('50m', '100m', '250m', '1', '2', '0.5');
export const quantityMemory = fc.constantFrom('32Mi', '64Mi', '128Mi', '1Gi', '512M');

const anyResources: fc.Arbitrary<Resources> = fc
  .record({ rc: quantityCpu, rm: quantityMemory, lc: quantityCpu, lm: quantityMemory })
  .map(({ rc, rm, lc, lm }) => ({ requests: { cpu: rc, memory: rm }, limits: { cpu: lc, memory: lm } }));

/** Mostly requests within limits; sometimes a request above its limit (refused) or a malformed quantity. */
export const resources: fc.Arbitrary<Resources> = mostly(
  fc.constantFrom<Resources>(
    { requests: { cpu: '50m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
    { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '0.5', memory: '128Mi' } },
    { requests: { cpu: '250m', memory: '512M' }, limits: { cpu: '1', memory: '1Gi' } },
    { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '1Gi' } },
  ),
  fc.oneof(anyResources, fc.constant<Resources>({ requests: { cpu: 'lots', memory: '64Mi' }, limits: { cpu: '1', memory: '-1Mi' } })),
  4,
);

/** Port names: valid IANA names, upper case, underscores, too long, digits only. */
export const portName = mostly(fc.constantFrom('http', 'metrics', 'api'), fc.constantFrom('web', 'grpc-1', 'HTTP', 'a_b', 'x234567890123456', '8080', '-http'), 19);

export const containerPort: fc.Arbitrary<ContainerPort> = fc
  .record({ name: portName, containerPort: fc.constantFrom(80, 3000, 8080, 9100), protocol: maybe(fc.constantFrom<'TCP' | 'UDP'>('TCP', 'UDP')) })
  .map(compact);

export function probe(portNames: readonly string[]): fc.Arbitrary<ProbeSpec> {
  const port = mostly(fc.constantFrom(...portNames), fc.constant('missing'), 19);
  const timing = optionals({
    initialDelaySeconds: fc.integer({ min: 0, max: 30 }),
    periodSeconds: fc.constantFrom(5, 10),
    failureThreshold: fc.constantFrom(1, 3, 6, 30),
    timeoutSeconds: fc.constantFrom(1, 2),
  });
  return fc.oneof(
    fc.record({ http: fc.constantFrom('/', '/healthz', '/ready'), port }).chain((p) => timing.map((t) => ({ ...p, ...t }) as ProbeSpec)),
    fc.record({ tcp: fc.constant(true as const), port }).chain((p) => timing.map((t) => ({ ...p, ...t }) as ProbeSpec)),
  );
}

export const runtime: fc.Arbitrary<ImageRuntime | undefined> = maybe(
  optionals<{
    runsAsRoot: boolean;
    runAsUser: number;
    capabilities: string[];
    writablePaths: string[];
    writableRootFilesystem: boolean;
  }>({
    runsAsRoot: fc.boolean(),
    runAsUser: fc.constantFrom(1000, 65534, 101),
    capabilities: fc.subarray(['NET_BIND_SERVICE', 'CHOWN', 'SETUID']),
    writablePaths: fc.subarray(['/tmp', '/var/cache/nginx', '/var/run', '/data']),
    writableRootFilesystem: fc.boolean(),
  }),
  0.4,
);

/** A container: ports, probes on existing/missing ports, identical readiness/liveness, runtime profiles. */
export function container(options: { name?: fc.Arbitrary<string>; ports?: fc.Arbitrary<ContainerPort[]> } = {}): fc.Arbitrary<ContainerProps> {
  const ports =
    options.ports ??
    mostly(
      fc.constantFrom<ContainerPort[]>([{ name: 'http', containerPort: 8080 }], [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9100 }], [{ name: 'api', containerPort: 80 }, { name: 'http', containerPort: 8080, protocol: 'TCP' }]),
      fc.array(containerPort, { minLength: 0, maxLength: 3 }),
      3,
    );
  return fc
    .record({
      name: options.name ?? fc.constantFrom('web', 'app', 'version-server'),
      image,
      floatingTagReason,
      ports,
      resources,
      runtime,
      args: maybe(fc.constantFrom(['--port=8080'], ['-c', 'echo "yes: no"', 'on']), 0.3),
      env: maybe(fc.constantFrom([{ name: 'MODE', value: 'yes' }], [{ name: 'N', value: '0123' }]), 0.3),
    })
    .chain((c) => {
      const names = (c.ports ?? []).map((p) => p.name);
      const p = probe(names.length ? names : ['http']);
      return fc
        .record({
          readiness: maybe(p, 0.95),
          liveness: maybe(p, 0.95),
          startup: maybe(p, 0.3),
          identical: fc.integer({ min: 0, max: 14 }).map((n) => n === 0),
        })
        .map(({ readiness, liveness, startup, identical }) =>
          compact({
            ...c,
            ports: c.ports.length ? c.ports : undefined,
            readiness,
            // Identical probes are refused: generate them on purpose.
            liveness: identical && readiness ? { ...readiness } : liveness,
            startup,
          }) as ContainerProps,
        );
    });
}

/** A container of mostly valid values, for constructs where the container is not the point. */
export function sensibleContainer(portNames: readonly string[] = ['http']): fc.Arbitrary<ContainerProps> {
  return fc
    .record({ image: fc.constantFrom('errm/versions:0.0.1', 'errm/versions:0.0.2', 'nginx', 'nginx:latest'), resources, runtime })
    .map(({ image, resources, runtime }) =>
      compact({
        name: 'version-server',
        image,
        ports: portNames.map((name, i) => ({ name, containerPort: 3000 + i })),
        resources,
        runtime,
        readiness: { http: '/ready', port: portNames[0] ?? 'http' },
        liveness: { http: '/healthz', port: portNames[0] ?? 'http' },
      }) as ContainerProps,
    );
}

export const WINDOWS_BUILDS = ['10.0.17763', '10.0.20348'] as const;

const poolTaint = (os: string, arch: string): fc.Arbitrary<PoolTaint> =>
  fc.constantFrom<PoolTaint>(
    { key: 'os', value: os, effect: 'NoSchedule' },
    { key: 'kubernetes.io/arch', value: arch, effect: 'NoSchedule' },
    { key: 'gpu', value: 'true', effect: 'NoSchedule' },
    { key: 'dedicated', effect: 'NoExecute' },
    { key: 'spot', value: 'true', effect: 'PreferNoSchedule' },
  );

/** One node pool: Linux or Windows (with or without a build), any arch, 0-5 nodes, 0-2 taints. */
export const pool: fc.Arbitrary<Omit<NodePoolShape, 'name'>> = fc
  .record({
    os: fc.constantFrom<'linux' | 'windows'>('linux', 'linux', 'windows'),
    arch: fc.constantFrom<'amd64' | 'arm64'>('amd64', 'arm64'),
    windowsBuild: maybe(fc.constantFrom(...WINDOWS_BUILDS), 0.9),
    min: fc.integer({ min: 0, max: 5 }),
  })
  .chain((p) =>
    fc.uniqueArray(poolTaint(p.os, p.arch), { maxLength: 2, selector: (t) => `${t.key}:${t.effect}` }).map((taints) =>
      compact({ ...p, windowsBuild: p.os === 'windows' ? p.windowsBuild : undefined, taints }),
    ),
  );

/** 0-4 pools with unique names. */
export const pools: fc.Arbitrary<NodePoolShape[]> = fc
  .array(pool, { minLength: 0, maxLength: 4 })
  .map((list) => list.map((p, i) => ({ name: `pool-${i}-${p.os}-${p.arch}`, ...p })));

/** Mostly Linux pools with room for anti-affinity, for constructs where placement is not the point. */
export const roomyPools: fc.Arbitrary<NodePoolShape[]> = fc.record({ n: fc.integer({ min: 1, max: 8 }), windows: fc.boolean() }).map(({ n, windows }) => [
  { name: 'linux-amd64', os: 'linux', arch: 'amd64', min: n, taints: [] },
  ...(windows ? [{ name: 'windows-2019', os: 'windows' as const, arch: 'amd64' as const, windowsBuild: '10.0.17763', min: 2, taints: [{ key: 'os', value: 'windows', effect: 'NoSchedule' as const }] }] : []),
]);

export const platform: fc.Arbitrary<WorkloadPlatform> = fc
  .record({
    os: fc.constantFrom<'linux' | 'windows'>('linux', 'linux', 'windows'),
    arch: maybe(fc.constantFrom<'amd64' | 'arm64'>('amd64', 'arm64')),
    windowsBuild: maybe(fc.constantFrom(...WINDOWS_BUILDS)),
  })
  .map(compact);

export const extraTolerations: fc.Arbitrary<Toleration[]> = fc.subarray<Toleration>([
  { key: 'gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
  { key: 'dedicated', operator: 'Exists', effect: 'NoExecute' },
  { operator: 'Exists' },
]);
