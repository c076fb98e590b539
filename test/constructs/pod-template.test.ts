/**
 * constructs/pod-template.ts against hand-written Kubernetes expectations: the container and pod
 * security contexts of the restricted Pod Security Standard, probe fields and their API defaults,
 * affinity merging and weights (1-100), and every refusal's exact path, field, problem and fix.
 */
import type { Affinity, TopologySpreadConstraint } from '../../constructs/k8s';
import type { Placement } from '../../constructs/platform';
import {
  ContainerProps,
  labelsWithSelector,
  PodTemplateProps,
  refuseLiteralCredentials,
  renderContainer,
  renderPodTemplate,
  requireServingProbes,
  validateImage,
  WAIVER_ANNOTATION,
  waiverAnnotations,
} from '../../constructs/pod-template';
import { bareScope, linuxPlacement, refusal, RESOURCES, WEB_CONTAINER } from './support';

const P = 'test/web';
const HEX64 = 'a'.repeat(64);

const res = RESOURCES;
const web: ContainerProps = WEB_CONTAINER;
const linux: Placement = linuxPlacement(3, ['linux-amd64']);
const windows: Placement = {
  platform: { os: 'windows', arch: 'amd64', windowsBuild: '10.0.17763' },
  nodeSelector: { 'kubernetes.io/os': 'windows', 'kubernetes.io/arch': 'amd64', 'node.kubernetes.io/windows-build': '10.0.17763' },
  tolerations: [{ key: 'os', operator: 'Equal', value: 'windows', effect: 'NoSchedule' }],
  runtimeClassName: 'windows-10.0.17763',
  eligibleNodes: 2,
  pools: ['windows-2019'],
};

/** The restricted profile's container securityContext, written out by hand. */
const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
};

/** The `web` container as the API server should receive it, written out by hand. */
const WEB_WINDOWS = {
  name: 'web',
  image: 'nginxinc/nginx-unprivileged:1.27.3',
  ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
  resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
  readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3 },
  livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3 },
};
const WEB_LINUX = { ...WEB_WINDOWS, securityContext: RESTRICTED_CONTAINER, volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }] };

const container = (props: Partial<ContainerProps> = {}, ctx: Parameters<typeof renderContainer>[2] = 'linux') =>
  renderContainer(bareScope().scope, { ...web, ...props }, ctx);
const refusedContainer = (props: Partial<ContainerProps>, ctx: Parameters<typeof renderContainer>[2] = 'linux') =>
  refusal(() => renderContainer(bareScope().scope, { ...web, ...props }, ctx));
const pod = (props: Partial<PodTemplateProps> = {}, spread?: Parameters<typeof renderPodTemplate>[2]) =>
  renderPodTemplate(bareScope().scope, { labels: { app: 'web' }, container: web, placement: linux, ...props }, spread);
const refusedPod = (props: Partial<PodTemplateProps>, spread?: Parameters<typeof renderPodTemplate>[2]) =>
  refusal(() => pod(props, spread));

describe('waiverAnnotations / WAIVER_ANNOTATION', () => {
  test('the waiver annotation key and its value', () => {
    expect(WAIVER_ANNOTATION).toBe('guardrails.k8s-book-systems.io/waive');
    expect(waiverAnnotations({ ...web, floatingTagReason: 'the publisher ships only latest' })).toEqual({
      'guardrails.k8s-book-systems.io/waive': 'image-tag: the publisher ships only latest',
    });
  });
  test('no reason, or an empty one: no annotation', () => {
    expect(waiverAnnotations(web)).toBeUndefined();
    expect(waiverAnnotations({ ...web, floatingTagReason: '' })).toBeUndefined();
  });
});

describe('validateImage', () => {
  const check = (image: string, reason?: string) => validateImage(bareScope().scope, 'image', image, reason);

  test.each([
    'nginx:1.27.3',
    'nginxinc/nginx-unprivileged:1.27.3',
    'registry.example.com:5000/team/app:v1.0',
    'localhost:5000/app:1',
    `alpine:3.20@sha256:${HEX64}`,
    `alpine@sha256:${HEX64}`,
    'my_app:1',
    'my.app:1',
    'my-app:1',
    'a/b/c:1',
    `app:${'x'.repeat(128)}`,
    'app:V1_2-rc.3',
  ])('accepts the pinned reference %s', (image) => {
    expect(() => check(image)).not.toThrow();
  });

  test.each([
    'nginx',
    'Nginx:1.0',
    'UPPER/nginx:1.0',
    'nginx:1.0 extra',
    ' nginx:1.0',
    `app:${'x'.repeat(129)}`,
    'app:-bad',
    `alpine@sha256:${'a'.repeat(63)}`,
    `alpine@sha256:${'G'.repeat(64)}`,
    'app:1.0@sha256:short',
    'app/:1',
    'app//x:1',
    'app_:1',
  ])('refuses the unpinned or malformed reference %j', (image) => {
    expect(refusal(() => check(image))).toBe(
      `${P}: image: image "${image}" is not a pinned reference. Fix: use repository:tag with an explicit version tag, or a @sha256 digest`,
    );
  });

  test('refuses the moving latest tag', () => {
    expect(refusal(() => check('nginx:latest'))).toBe(
      `${P}: image: image "nginx:latest" uses the moving "latest" tag. Fix: pin a version tag so rollouts are explicit and repeatable`,
    );
  });

  test('a floating tag with a reason: untagged, latest, behind a registry host with a port', () => {
    for (const image of ['minio/minio', 'minio/minio:latest', 'quay.io/minio/minio:latest', 'registry.example.com:5000/minio:latest', 'registry.example.com/minio']) {
      expect(() => check(image, 'the publisher ships only latest')).not.toThrow();
    }
  });

  test('refuses an empty or blank reason', () => {
    for (const reason of ['', '   ']) {
      expect(refusal(() => check('minio/minio', reason))).toBe(`${P}: floatingTagReason: the reason is empty. Fix: say why the image cannot be pinned`);
    }
  });

  test.each(['minio/minio:RELEASE.2024-01-01', `minio/minio@sha256:${HEX64}`, 'localhost:5000/minio:1', 'minio:latest-1'])('refuses a waiver for the pinned %s', (image) => {
    expect(refusal(() => check(image, 'because'))).toBe(`${P}: floatingTagReason: image "${image}" is pinned, so it needs no floating-tag waiver. Fix: drop floatingTagReason`);
  });

  test('the refusal names the field it was given', () => {
    expect(refusal(() => validateImage(bareScope().scope, 'initContainers[0].image', 'busybox'))).toMatch(/^test\/web: initContainers\[0\]\.image: /);
  });
});

describe('labelsWithSelector', () => {
  const sel = { app: 'web', tier: 'front' };
  test('extra labels merged under the selector labels', () => {
    expect(labelsWithSelector(bareScope().scope, sel, { team: 'a', app: 'web' })).toEqual({ team: 'a', app: 'web', tier: 'front' });
    const out = labelsWithSelector(bareScope().scope, sel);
    expect(out).toEqual(sel);
    expect(out).not.toBe(sel);
  });
  test('refuses a label that would change a selector label', () => {
    expect(refusal(() => labelsWithSelector(bareScope().scope, sel, { tier: 'back' }))).toBe(
      `${P}: labels["tier"]: "back" overrides the selector label tier=front, so the selectors would match no pod. Fix: drop tier from labels`,
    );
  });
});

describe('requireServingProbes', () => {
  const check = (props: Partial<ContainerProps>) => requireServingProbes(bareScope().scope, { ...web, ...props });
  test('a container that serves no port needs no probes', () => {
    expect(() => check({ ports: undefined, readiness: undefined, liveness: undefined })).not.toThrow();
    expect(() => check({ ports: [], readiness: undefined, liveness: undefined })).not.toThrow();
    expect(() => check({})).not.toThrow();
  });
  test('a serving container without readiness', () => {
    expect(refusal(() => check({ readiness: undefined }))).toBe(
      `${P}: readiness: container "web" serves ports but has no readiness probe, so it gets traffic before it can answer. Fix: add readiness: { http: <path> | tcp: true, port: <port name> }`,
    );
  });
  test('a serving container without liveness', () => {
    expect(refusal(() => check({ liveness: undefined }))).toBe(
      `${P}: liveness: container "web" has no liveness probe, so a hung process is never restarted. Fix: add liveness on another endpoint or with a higher failureThreshold than readiness`,
    );
  });
});

describe('refuseLiteralCredentials', () => {
  const check = (name: string, value?: string) => refuseLiteralCredentials(bareScope().scope, [{ name, value }]);
  test.each(['DB_PASSWORD', 'db_password', 'FTP_PASSWD', 'MINIO_SECRET_KEY', 'API_TOKEN', 'AWS_ACCESS_KEY_ID', 'TLS_PRIVATE_KEY', 'GOOGLE_CREDENTIALS', 'MINIO_ROOT_USER', 'MYSQL_PWD'])(
    'refuses a literal %s',
    (name) => {
      expect(refusal(() => check(name, 'hunter2'))).toBe(
        `${P}: env[${name}]: ${name} carries a literal value, so the credential would sit in dist/ and in git. Fix: read it from a Secret created out of band: { name: '${name}', valueFrom: { secretKeyRef: { name: '<secret>', key: '<key>' } } }`,
      );
    },
  );
  test('an empty literal is still a literal', () => {
    expect(refusal(() => check('API_TOKEN', ''))).toMatch(/^test\/web: env\[API_TOKEN\]: /);
  });
  test('credentials read from a Secret, and ordinary names, pass', () => {
    expect(() => refuseLiteralCredentials(bareScope().scope, [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }])).not.toThrow();
    expect(() => check('LOG_LEVEL', 'debug')).not.toThrow();
    expect(() => check('PWD_FILE', '/run/pwd')).not.toThrow();
    expect(() => check('MY_PWD_DIR', '/x')).not.toThrow();
    expect(() => refuseLiteralCredentials(bareScope().scope, undefined)).not.toThrow();
  });
  test('the second entry is checked too', () => {
    expect(refusal(() => refuseLiteralCredentials(bareScope().scope, [{ name: 'A', value: '1' }, { name: 'B_TOKEN', value: '2' }]))).toMatch(/env\[B_TOKEN\]/);
  });
});

describe('renderContainer: resources', () => {
  const r = (requests: { cpu?: string; memory?: string }, limits: { cpu?: string; memory?: string } = {}) => ({
    requests: { ...res.requests, ...requests },
    limits: { ...res.limits, ...limits },
  });

  test('requests and limits are copied as given', () => {
    expect(container().container.resources).toEqual({ requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } });
  });

  test.each([
    ['requests', 'cpu', '0', "use cores ('0.5') or millicores ('500m')"],
    ['requests', 'cpu', '0m', "use cores ('0.5') or millicores ('500m')"],
    ['requests', 'cpu', 'abc', "use cores ('0.5') or millicores ('500m')"],
    ['requests', 'cpu', '1k', "use cores ('0.5') or millicores ('500m')"],
    ['requests', 'cpu', '.5', "use cores ('0.5') or millicores ('500m')"],
    ['limits', 'cpu', '-1', "use cores ('0.5') or millicores ('500m')"],
    ['requests', 'memory', '0', "use bytes with a unit, e.g. '128Mi'"],
    ['requests', 'memory', '64MB', "use bytes with a unit, e.g. '128Mi'"],
    ['limits', 'memory', '0Mi', "use bytes with a unit, e.g. '128Mi'"],
    ['limits', 'memory', 'lots', "use bytes with a unit, e.g. '128Mi'"],
  ] as const)('refuses %s.%s %j', (field, kind, text, fix) => {
    const resources = field === 'requests' ? r({ [kind]: text }, kind === 'cpu' ? { cpu: '64' } : {}) : r({ [kind]: kind === 'cpu' ? '1m' : '1' }, { [kind]: text });
    expect(refusedContainer({ resources })).toBe(`${P}: resources.${field}.${kind}: "${text}" is not a positive ${kind} quantity. Fix: ${fix}`);
  });

  test.each([
    ['cpu', '500m', '0.25'],
    ['cpu', '1500m', '1'],
    ['cpu', '2', '1999m'],
    ['memory', '128Mi', '64Mi'],
    ['memory', '1Gi', '1000Mi'],
    ['memory', '1Gi', '1G'],
    ['memory', '101', '100'],
    ['memory', '1025Ki', '1Mi'],
    ['memory', '1001', '1k'],
    ['memory', '1000001', '1M'],
    ['memory', '1000000001', '1G'],
    ['memory', '1000000000001', '1T'],
    ['memory', '1000000000000001', '1P'],
    ['memory', '1.001E', '1E'],
    ['memory', '1025Mi', '1Gi'],
    ['memory', '1025Gi', '1Ti'],
    ['memory', '1025Ti', '1Pi'],
    ['memory', '1025Pi', '1Ei'],
    ['memory', '2', '1000m'],
  ] as const)('refuses a %s request %s above its limit %s', (kind, request, limit) => {
    expect(refusedContainer({ resources: r({ [kind]: request }, { [kind]: limit }) })).toBe(
      `${P}: resources.requests.${kind}: request ${request} exceeds limit ${limit}; the API server rejects the pod. Fix: lower the request or raise the limit`,
    );
  });

  test.each([
    ['cpu', '250m', '0.25'],
    ['cpu', '1', '1000m'],
    ['cpu', '0.5', '1'],
    ['memory', '1Gi', '1024Mi'],
    ['memory', '1024Ki', '1Mi'],
    ['memory', '1000', '1k'],
    ['memory', '1000000', '1M'],
    ['memory', '1G', '1Gi'],
    ['memory', '1000000000000', '1T'],
    ['memory', '1000000000000000', '1P'],
    ['memory', '1E', '1E'],
    ['memory', '1024Gi', '1Ti'],
    ['memory', '1024Ti', '1Pi'],
    ['memory', '1024Pi', '1Ei'],
    ['memory', '1', '1000m'],
    ['memory', '64', '64'],
  ] as const)('accepts a %s request %s within its limit %s', (kind, request, limit) => {
    expect(() => container({ resources: r({ [kind]: request }, { [kind]: limit }) })).not.toThrow();
  });
});

describe('renderContainer: image pull policy and ports', () => {
  test('Never is refused unless the cluster loads images by hand', () => {
    expect(refusedContainer({ imagePullPolicy: 'Never' })).toBe(
      `${P}: imagePullPolicy: "Never" runs only an image already loaded into the node, and this cluster pulls its images from registries, so the pod would never start. Fix: push the image to a registry and drop imagePullPolicy; Never belongs to local clusters (minikube, kind) only`,
    );
    expect(refusedContainer({ imagePullPolicy: 'Never' }, { os: 'linux', localImages: false })).toMatch(/imagePullPolicy/);
    expect(container({ imagePullPolicy: 'Never' }, { os: 'linux', localImages: true }).container.imagePullPolicy).toBe('Never');
    expect(container({ imagePullPolicy: 'Always' }).container.imagePullPolicy).toBe('Always');
    expect(container().container.imagePullPolicy).toBeUndefined();
  });

  test('the image is checked against its floating-tag reason', () => {
    expect(refusedContainer({ image: 'nginx' })).toMatch(/^test\/web: image: image "nginx" is not a pinned reference/);
    expect(container({ image: 'minio/minio', floatingTagReason: 'ships only latest' }).container.image).toBe('minio/minio');
  });

  test('ports render with TCP by default, UDP kept', () => {
    const { container: c } = container({
      ports: [
        { name: 'http', containerPort: 8080 },
        { name: 'dns', containerPort: 5353, protocol: 'UDP' },
        { name: 'admin', containerPort: 9000, protocol: 'TCP' },
      ],
    });
    expect(c.ports).toEqual([
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: 'dns', containerPort: 5353, protocol: 'UDP' },
      { name: 'admin', containerPort: 9000, protocol: 'TCP' },
    ]);
    expect(container({ ports: [], readiness: undefined, liveness: undefined }).container.ports).toBeUndefined();
    expect(container({ ports: undefined, readiness: undefined, liveness: undefined }).container.ports).toBeUndefined();
  });

  test.each(['a', 'h2', 'x1234567890abcd', 'web-http', '9p', 'a-b-c'])('accepts the IANA port name %j', (name) => {
    expect(container({ ports: [{ name, containerPort: 80 }], readiness: undefined, liveness: undefined }).container.ports).toEqual([{ name, containerPort: 80, protocol: 'TCP' }]);
  });

  test.each(['HTTP', '1234', 'x1234567890abcde', '-http', 'http-', 'web_http', '', 'we b', 'web--http', 'a--'])('refuses the port name %j', (name) => {
    expect(refusedContainer({ ports: [{ name, containerPort: 80 }], readiness: undefined, liveness: undefined })).toBe(
      `${P}: ports.name: port name "${name}" is not a valid IANA service name. Fix: use 1-15 lowercase letters, digits and single dashes, with at least one letter`,
    );
  });

  test('refuses a port name used twice', () => {
    expect(
      refusedContainer({
        ports: [
          { name: 'http', containerPort: 80 },
          { name: 'http', containerPort: 81 },
        ],
      }),
    ).toBe(`${P}: ports.name: port name "http" is used twice. Fix: give every port its own name`);
  });
});

describe('renderContainer: probes', () => {
  test('HTTP probes with the API defaults spelled out (period 10s, timeout 1s, failureThreshold 3)', () => {
    const { container: c } = container();
    expect(c.readinessProbe).toEqual({ httpGet: { path: '/ready', port: 'http' }, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3 });
    expect(c.livenessProbe).toEqual({ httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3 });
    expect(c.readinessProbe).not.toHaveProperty('tcpSocket');
    expect(c.startupProbe).toBeUndefined();
  });

  test('TCP probes and explicit timings', () => {
    const { container: c } = container({
      startup: { tcp: true, port: 'http', initialDelaySeconds: 5, periodSeconds: 2, timeoutSeconds: 3, failureThreshold: 30 },
      readiness: { tcp: true, port: 'http' },
      liveness: { http: '/live', port: 'http', failureThreshold: 6 },
    });
    expect(c.startupProbe).toEqual({ tcpSocket: { port: 'http' }, initialDelaySeconds: 5, periodSeconds: 2, timeoutSeconds: 3, failureThreshold: 30 });
    expect(c.startupProbe).not.toHaveProperty('httpGet');
    expect(c.readinessProbe).toEqual({ tcpSocket: { port: 'http' }, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3 });
    expect(c.livenessProbe).toEqual({ httpGet: { path: '/live', port: 'http' }, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 6 });
  });

  test.each([
    ['startup', { startup: { http: '/s', port: 'metrics' } }],
    ['readiness', { readiness: { http: '/r', port: 'metrics' } }],
    ['liveness', { liveness: { tcp: true, port: 'metrics' } }],
  ] as const)('refuses a %s probe on a port the container does not expose', (field, props) => {
    expect(
      refusedContainer({
        ports: [
          { name: 'http', containerPort: 80 },
          { name: 'admin', containerPort: 81 },
        ],
        ...props,
      }),
    ).toBe(`${P}: ${field}.port: probe port "metrics" is not a port the container exposes (http, admin). Fix: name one of the container ports`);
  });

  test('a probe of a container without ports lists none', () => {
    expect(refusedContainer({ ports: undefined, readiness: { http: '/', port: 'http' }, liveness: undefined })).toBe(
      `${P}: readiness.port: probe port "http" is not a port the container exposes (none). Fix: name one of the container ports`,
    );
  });

  test('refuses a probe of a UDP port', () => {
    expect(refusedContainer({ ports: [{ name: 'http', containerPort: 80 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }], liveness: { tcp: true, port: 'dns' } })).toBe(
      `${P}: liveness.port: probe port "dns" is a UDP port, but probes connect over TCP. Fix: probe a TCP port of the container`,
    );
    expect(() => container({ ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }] })).not.toThrow();
  });

  test('refuses liveness identical to readiness', () => {
    expect(refusedContainer({ liveness: { http: '/ready', port: 'http' } })).toBe(
      `${P}: liveness: liveness is identical to readiness, so a slow pod is restarted at the moment it is taken out of rotation. Fix: probe a different endpoint, or give liveness a higher failureThreshold than readiness`,
    );
    expect(() => container({ liveness: { http: '/ready', port: 'http', failureThreshold: 6 } })).not.toThrow();
  });
});

describe('renderContainer: security context and writable paths', () => {
  test('Linux: the restricted profile and an emptyDir for /tmp', () => {
    const { container: c, volumes } = container({}, 'linux');
    expect(c.securityContext).toEqual(RESTRICTED_CONTAINER);
    expect(c.securityContext?.capabilities).not.toHaveProperty('add', expect.anything());
    expect(c.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
  });

  test('the context object form behaves like the OS string', () => {
    expect(container({}, { os: 'linux' }).container).toEqual(WEB_LINUX);
    expect(container({}, 'linux').container).toEqual(WEB_LINUX);
  });

  test('image runtime exceptions: root, a UID, capabilities, a writable root filesystem', () => {
    const { container: c, volumes } = container({
      runtime: { runsAsRoot: true, runAsUser: 101, capabilities: ['NET_BIND_SERVICE', 'CHOWN'], writableRootFilesystem: true, writablePaths: ['/var/cache'] },
    });
    expect(c.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE', 'CHOWN'] },
      readOnlyRootFilesystem: false,
      runAsNonRoot: false,
      runAsUser: 101,
    });
    expect(c.volumeMounts).toBeUndefined();
    expect(volumes).toEqual([]);
  });

  test('no capabilities listed, or an empty list: nothing added', () => {
    expect(container({ runtime: { capabilities: [] } }).container.securityContext?.capabilities).toEqual({ drop: ['ALL'] });
    expect(container({ runtime: { capabilities: [] } }).container.securityContext?.capabilities?.add).toBeUndefined();
  });

  test('each writable path gets its own emptyDir, named after the path', () => {
    const long = `/${'a'.repeat(70)}`;
    const { container: c, volumes } = container({ runtime: { writablePaths: ['/var/cache/nginx', '/var/run/', '//Data', '/', long, '/srv/my..data_v2'] } });
    const names = ['var-cache-nginx', 'var-run', 'data', 'root', 'a'.repeat(63), 'srv-my-data-v2'];
    expect(c.volumeMounts).toEqual([
      { name: names[0], mountPath: '/var/cache/nginx' },
      { name: names[1], mountPath: '/var/run/' },
      { name: names[2], mountPath: '//Data' },
      { name: names[3], mountPath: '/' },
      { name: names[4], mountPath: long },
      { name: names[5], mountPath: '/srv/my..data_v2' },
    ]);
    expect(volumes).toEqual(names.map((name) => ({ name, emptyDir: {} })));
    expect(container({ runtime: { writablePaths: [] } }).container.volumeMounts).toBeUndefined();
  });

  test('volume names are DNS-1123 labels even for paths starting or cut at a non-alphanumeric character', () => {
    const cut = `/${'x'.repeat(62)}/ab`;
    const { volumes } = container({ runtime: { writablePaths: ['/.cache', '/_data/', cut, '/-/'] } });
    expect(volumes.map((v) => v.name)).toEqual(['cache', 'data', 'x'.repeat(62), 'root']);
    for (const v of volumes) expect(v.name).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
  });

  test('Windows: no Linux security fields and no emptyDirs', () => {
    const { container: c, volumes } = container({}, 'windows');
    expect(c.securityContext).toBeUndefined();
    expect(c.volumeMounts).toBeUndefined();
    expect(volumes).toEqual([]);
  });
});

describe('renderContainer: mounts and the remaining fields', () => {
  test('secrets mount read-only from a secret volume', () => {
    const { container: c, volumes } = container({ secretMounts: [{ secretName: 'tls', mountPath: '/etc/tls' }] });
    expect(c.volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'tls', mountPath: '/etc/tls', readOnly: true },
    ]);
    expect(volumes).toEqual([
      { name: 'tmp', emptyDir: {} },
      { name: 'tls', secret: { secretName: 'tls' } },
    ]);
  });

  test('mounts of the pod volumes: subPath, readOnly only when true', () => {
    const { container: c, volumes } = container(
      {
        mounts: [
          { volume: 'data', mountPath: '/var/lib/mysql', subPath: 'mysql', readOnly: false },
          { volume: 'conf', mountPath: '/etc/conf', readOnly: true },
        ],
      },
      { os: 'windows', volumes: new Set(['data', 'conf']) },
    );
    expect(c.volumeMounts).toEqual([
      { name: 'data', mountPath: '/var/lib/mysql', subPath: 'mysql' },
      { name: 'conf', mountPath: '/etc/conf', readOnly: true },
    ]);
    expect(c.volumeMounts?.[0]).not.toHaveProperty('readOnly', false);
    expect(volumes).toEqual([]);
  });

  test('refuses a mount of an undeclared volume, listing those declared', () => {
    expect(refusedContainer({ mounts: [{ volume: 'data', mountPath: '/d' }] }, { os: 'linux', volumes: new Set(['conf', 'cache']) })).toBe(
      `${P}: mounts[data]: container "web" mounts "data", which is not a volume of the pod (conf, cache). Fix: declare the volume (volumes or a claim template) or fix the name`,
    );
    expect(refusedContainer({ mounts: [{ volume: 'data', mountPath: '/d' }] })).toBe(
      `${P}: mounts[data]: container "web" mounts "data", which is not a volume of the pod (none). Fix: declare the volume (volumes or a claim template) or fix the name`,
    );
  });

  test('name, image, workingDir, command, args, env', () => {
    const { container: c } = container({ workingDir: '/app', command: ['/bin/sh', '-c'], args: ['exec app'], env: [{ name: 'LOG_LEVEL', value: 'info' }] });
    expect(c.name).toBe('web');
    expect(c.image).toBe('nginxinc/nginx-unprivileged:1.27.3');
    expect(c.workingDir).toBe('/app');
    expect(c.command).toEqual(['/bin/sh', '-c']);
    expect(c.args).toEqual(['exec app']);
    expect(c.env).toEqual([{ name: 'LOG_LEVEL', value: 'info' }]);
    const bare = container({ env: [] }).container;
    expect(bare.env).toBeUndefined();
    expect(bare.command).toBeUndefined();
    expect(bare.args).toBeUndefined();
    expect(bare.workingDir).toBeUndefined();
  });

  test('an empty command or args list is kept (it overrides the image entrypoint)', () => {
    const { container: c } = container({ command: [], args: [] });
    expect(c.command).toEqual([]);
    expect(c.args).toEqual([]);
  });

  test('refuses a literal credential in env', () => {
    expect(refusedContainer({ env: [{ name: 'DB_PASSWORD', value: 'x' }] })).toMatch(/^test\/web: env\[DB_PASSWORD\]: DB_PASSWORD carries a literal value/);
  });

  test('a whole container, field by field', () => {
    expect(container().container).toEqual(WEB_LINUX);
    expect(container({}, 'windows').container).toEqual(WEB_WINDOWS);
  });
});

describe('renderPodTemplate', () => {
  test('a Linux pod: restricted pod securityContext, seccomp RuntimeDefault, no token, no service links, 30s grace', () => {
    const t = pod();
    expect(t.metadata).toEqual({ labels: { app: 'web' } });
    expect(t.spec).toEqual({
      os: { name: 'linux' },
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      terminationGracePeriodSeconds: 30,
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [WEB_LINUX],
      volumes: [{ name: 'tmp', emptyDir: {} }],
    });
    for (const absent of ['tolerations', 'affinity', 'topologySpreadConstraints', 'initContainers', 'runtimeClassName', 'restartPolicy', 'serviceAccountName']) {
      expect(t.spec?.[absent as keyof typeof t.spec]).toBeUndefined();
    }
  });

  test('a Windows pod: its RuntimeClass, its platform toleration, no Linux security fields, no emptyDirs', () => {
    const t = pod({ placement: windows });
    expect(t.spec).toEqual({
      os: { name: 'windows' },
      runtimeClassName: 'windows-10.0.17763',
      nodeSelector: { 'kubernetes.io/os': 'windows', 'kubernetes.io/arch': 'amd64', 'node.kubernetes.io/windows-build': '10.0.17763' },
      tolerations: [{ key: 'os', operator: 'Equal', value: 'windows', effect: 'NoSchedule' }],
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      terminationGracePeriodSeconds: 30,
      containers: [WEB_WINDOWS],
    });
    expect(t.spec?.securityContext).toBeUndefined();
    expect(t.spec?.volumes).toBeUndefined();
    expect(t.spec?.containers[0].securityContext).toBeUndefined();
  });

  test('pod-level fields: root image, fsGroup, restartPolicy, serviceAccountName, a zero grace period', () => {
    const t = pod({
      container: { ...web, runtime: { runsAsRoot: true, fsGroup: 1001 } },
      restartPolicy: 'OnFailure',
      serviceAccountName: 'web-sa',
      terminationGracePeriodSeconds: 0,
    });
    expect(t.spec?.securityContext).toEqual({ runAsNonRoot: false, fsGroup: 1001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(t.spec?.restartPolicy).toBe('OnFailure');
    expect(t.spec?.serviceAccountName).toBe('web-sa');
    expect(t.spec?.terminationGracePeriodSeconds).toBe(0);
    expect(pod({ terminationGracePeriodSeconds: 120 }).spec?.terminationGracePeriodSeconds).toBe(120);
  });

  test('annotations: copied when present, absent when empty', () => {
    expect(pod({ annotations: { 'linkerd.io/inject': 'enabled' } }).metadata).toEqual({ labels: { app: 'web' }, annotations: { 'linkerd.io/inject': 'enabled' } });
    expect(pod({ annotations: {} }).metadata?.annotations).toBeUndefined();
  });

  test('local images: Never allowed only where the placement says the nodes load images by hand', () => {
    const never = { ...web, imagePullPolicy: 'Never' as const };
    expect(pod({ container: never, placement: { ...linux, localImages: true } }).spec?.containers[0].imagePullPolicy).toBe('Never');
    expect(refusedPod({ container: never })).toMatch(/^test\/web: imagePullPolicy: "Never"/);
  });

  test('init containers run first and share the /tmp emptyDir by name; pod volumes and claim templates may be mounted', () => {
    const init: ContainerProps = { name: 'init', image: 'busybox:1.36', command: ['true'], resources: res, mounts: [{ volume: 'data', mountPath: '/data' }] };
    const t = pod({
      container: { ...web, mounts: [{ volume: 'conf', mountPath: '/etc/conf' }] },
      initContainers: [init],
      volumes: [{ name: 'conf', configMap: { name: 'web-conf' } }],
      claimTemplates: ['data'],
    });
    expect(t.spec?.initContainers).toEqual([
      {
        name: 'init',
        image: 'busybox:1.36',
        command: ['true'],
        resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
        securityContext: RESTRICTED_CONTAINER,
        volumeMounts: [
          { name: 'tmp', mountPath: '/tmp' },
          { name: 'data', mountPath: '/data' },
        ],
      },
    ]);
    expect(t.spec?.containers[0].volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'conf', mountPath: '/etc/conf' },
    ]);
    expect(t.spec?.volumes).toEqual([
      { name: 'conf', configMap: { name: 'web-conf' } },
      { name: 'tmp', emptyDir: {} },
    ]);
  });

  test('an init container is checked like the main one', () => {
    const init: ContainerProps = { name: 'init', image: 'busybox', resources: res };
    expect(refusedPod({ initContainers: [init] })).toBe(
      `${P}: image: image "busybox" is not a pinned reference. Fix: use repository:tag with an explicit version tag, or a @sha256 digest`,
    );
    const initMount: ContainerProps = { name: 'init', image: 'busybox:1.36', resources: res, mounts: [{ volume: 'data', mountPath: '/d' }] };
    expect(refusedPod({ initContainers: [initMount], volumes: [{ name: 'conf', emptyDir: {} }], claimTemplates: ['state'] })).toBe(
      `${P}: mounts[data]: container "init" mounts "data", which is not a volume of the pod (conf, state). Fix: declare the volume (volumes or a claim template) or fix the name`,
    );
  });

  test('nodeSelector: extra keys merge, the platform keys cannot be contradicted', () => {
    expect(pod({ scheduling: { nodeSelector: { 'kubernetes.io/os': 'linux', disk: 'ssd' } } }).spec?.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', disk: 'ssd' });
    expect(refusedPod({ scheduling: { nodeSelector: { 'kubernetes.io/os': 'windows' } } })).toBe(
      `${P}: scheduling.nodeSelector["kubernetes.io/os"]: "windows" contradicts the platform placement "linux", so the pod could never schedule. Fix: drop the key; the platform (OS/arch) comes from MixedArchCluster`,
    );
  });

  test('tolerations: the placement then the passthrough, each once', () => {
    const gpu = { key: 'gpu', operator: 'Exists' as const, effect: 'NoSchedule' as const };
    const t = pod({ placement: windows, scheduling: { tolerations: [{ key: 'os', operator: 'Equal', value: 'windows', effect: 'NoSchedule' }, gpu, gpu] } });
    expect(t.spec?.tolerations).toEqual([{ key: 'os', operator: 'Equal', value: 'windows', effect: 'NoSchedule' }, gpu]);
    expect(pod({ scheduling: { tolerations: [gpu] } }).spec?.tolerations).toEqual([gpu]);
    expect(pod({ scheduling: { tolerations: [] } }).spec?.tolerations).toBeUndefined();
  });

  test('topology spread constraints pass through; an empty list is dropped', () => {
    const tsc: TopologySpreadConstraint = { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } };
    expect(pod({ scheduling: { topologySpreadConstraints: [tsc] } }).spec?.topologySpreadConstraints).toEqual([tsc]);
    expect(pod({ scheduling: { topologySpreadConstraints: [] } }).spec?.topologySpreadConstraints).toBeUndefined();
  });

  describe('affinity', () => {
    const term = (app: string) => ({ labelSelector: { matchLabels: { app } }, topologyKey: 'kubernetes.io/hostname' });
    const nodeAffinity: Affinity['nodeAffinity'] = {
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] }] },
    };

    test('the passthrough alone is kept as given', () => {
      const affinity = { nodeAffinity, podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db')] } };
      expect(pod({ scheduling: { affinity } }).spec?.affinity).toEqual(affinity);
    });

    test("the construct's hostname spread alone", () => {
      expect(pod({}, { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web')] } }).spec?.affinity).toEqual({
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web')] },
      });
      const preferred = pod({}, { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term('web') }] } }).spec?.affinity;
      expect(preferred).toEqual({ podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term('web') }] } });
      expect(preferred?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution).toBeUndefined();
    });

    test('a spread without anti-affinity terms leaves the passthrough alone', () => {
      expect(pod({}, {}).spec?.affinity).toBeUndefined();
    });

    test("both: the construct's anti-affinity terms first, node affinity passes through", () => {
      const affinity = {
        nodeAffinity,
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [term('db')],
          preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: term('cache') }],
        },
      };
      const spread = {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [term('web')],
          preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term('web') }],
        },
      };
      expect(pod({ scheduling: { affinity } }, spread).spec?.affinity).toEqual({
        nodeAffinity,
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [term('web'), term('db')],
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 100, podAffinityTerm: term('web') },
            { weight: 10, podAffinityTerm: term('cache') },
          ],
        },
      });
      const onlyTheirs = pod(
        { scheduling: { affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 5, podAffinityTerm: term('db') }] } } } },
        { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web')] } },
      ).spec?.affinity;
      expect(onlyTheirs).toEqual({
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [term('web')],
          preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 5, podAffinityTerm: term('db') }],
        },
      });
    });

    const weightOf = (kind: 'nodeAffinity' | 'podAffinity' | 'podAntiAffinity', weight: number): Affinity =>
      kind === 'nodeAffinity'
        ? { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } }] } }
        : { [kind]: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight, podAffinityTerm: term('db') }] } };

    test.each(['nodeAffinity', 'podAffinity', 'podAntiAffinity'] as const)('%s weights 1 and 100 are accepted', (kind) => {
      for (const weight of [1, 100]) {
        expect(pod({ scheduling: { affinity: weightOf(kind, weight) } }).spec?.affinity).toEqual(weightOf(kind, weight));
      }
    });

    test.each([
      ['nodeAffinity', 0],
      ['podAffinity', 101],
      ['podAntiAffinity', 0],
      ['nodeAffinity', 101],
      ['podAffinity', -5],
      ['podAntiAffinity', 50.5],
    ] as const)('%s weight %d is refused', (kind, weight) => {
      expect(refusedPod({ scheduling: { affinity: weightOf(kind, weight) } })).toBe(
        `${P}: scheduling.affinity.preferred[].weight: weight ${weight} is outside 1-100. Fix: use an integer weight from 1 to 100`,
      );
    });

    test("the construct's own spread terms are weighed too", () => {
      expect(refusedPod({}, { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, podAffinityTerm: term('web') }] } })).toMatch(
        /weight 0 is outside 1-100/,
      );
    });
  });
});
