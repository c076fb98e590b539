import { indexByName, readManifests } from '../../guardrails/manifest';
import { RULES } from '../../guardrails/rules';
import { imageTag } from '../../guardrails/rules/image-tag';
import { ingressBackend } from '../../guardrails/rules/ingress-backend';
import { jobTtl } from '../../guardrails/rules/job-ttl';
import { kubeletTls } from '../../guardrails/rules/kubelet-tls';
import { labels } from '../../guardrails/rules/labels';
import { nodePort } from '../../guardrails/rules/node-port';
import { objectName } from '../../guardrails/rules/object-name';
import { osConstraint } from '../../guardrails/rules/os-constraint';
import { auditManifests, Finding, ValidateOptions } from '../../guardrails/validate';
import { indexTemplates } from '../../guardrails/workload';

/**
 * Exact findings of the guardrail rules image-tag … os-constraint (guardrails/rules/[i-o]*.ts), on
 * manifests built by hand. Every expected value is written out from the rule's documented intent and
 * from Kubernetes itself (apimachinery's name and label syntax, the default service-node-port-range
 * 30000-32767, the Ingress backend shapes) — never computed with the helpers under test.
 */

type Obj = Record<string, unknown>;
const FILE = 'manifests.yaml';

/** Runs one rule (auditManifests with includeOnly) over objects all read from FILE. */
function run(rule: string, objects: Obj[], options: ValidateOptions = {}): Finding[] {
  return auditManifests(objects.map((object) => ({ file: FILE, object })), { includeOnly: [rule], ...options }).findings;
}

/** The finding expected, every field spelled out. */
function finding(rule: string, severity: 'error' | 'warning', object: string, field: string, problem: string, fix: string): Finding {
  return { rule, severity, file: FILE, object, field, problem, fix };
}

// The syntax messages, in kubectl's words (k8s.io/apimachinery/pkg/util/validation).
const LABEL_1123 = "must be a lowercase RFC 1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit";
const SUBDOMAIN_1123 = "must be a lowercase RFC 1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit";
const LABEL_1035 = "must be a lowercase RFC 1035 label: lowercase letters, digits and '-', starting with a letter and ending with a letter or digit";
const MAX_63 = 'must be no more than 63 characters';
const MAX_253 = 'must be no more than 253 characters';
const KEY_NAME = "name part must be letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
const LABEL_VALUE = "must be empty or letters, digits, '-', '_' or '.', starting and ending with a letter or digit";

/** Every kind with a pod template, how it wraps a pod spec, and where the pod spec sits. */
interface Workload {
  readonly kind: string;
  readonly make: (name: string, podSpec: Obj) => Obj;
  /** The finding's object for a workload named `name`. */
  readonly ref: (name: string) => string;
  /** Path of the pod spec in the object. */
  readonly path: string;
}

const template = (name: string, podSpec: Obj) => ({ metadata: { labels: { app: name } }, spec: podSpec });
const WORKLOADS: Workload[] = [
  { kind: 'apps/v1 Deployment', make: (name, spec) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'shop' }, spec: { selector: { matchLabels: { app: name } }, template: template(name, spec) } }), ref: (n) => `Deployment/shop/${n}`, path: 'spec.template.spec' },
  { kind: 'apps/v1 StatefulSet', make: (name, spec) => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name, namespace: 'shop' }, spec: { serviceName: name, selector: { matchLabels: { app: name } }, template: template(name, spec) } }), ref: (n) => `StatefulSet/shop/${n}`, path: 'spec.template.spec' },
  { kind: 'apps/v1 DaemonSet', make: (name, spec) => ({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name, namespace: 'kube-system' }, spec: { selector: { matchLabels: { app: name } }, template: template(name, spec) } }), ref: (n) => `DaemonSet/kube-system/${n}`, path: 'spec.template.spec' },
  { kind: 'apps/v1 ReplicaSet', make: (name, spec) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name }, spec: { selector: { matchLabels: { app: name } }, template: template(name, spec) } }), ref: (n) => `ReplicaSet/${n}`, path: 'spec.template.spec' },
  { kind: 'extensions/v1beta1 Deployment', make: (name, spec) => ({ apiVersion: 'extensions/v1beta1', kind: 'Deployment', metadata: { name, namespace: 'old' }, spec: { template: template(name, spec) } }), ref: (n) => `Deployment/old/${n}`, path: 'spec.template.spec' },
  { kind: 'v1 ReplicationController', make: (name, spec) => ({ apiVersion: 'v1', kind: 'ReplicationController', metadata: { name, namespace: 'shop' }, spec: { selector: { app: name }, template: template(name, spec) } }), ref: (n) => `ReplicationController/shop/${n}`, path: 'spec.template.spec' },
  { kind: 'batch/v1 Job', make: (name, spec) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'batch' }, spec: { ttlSecondsAfterFinished: 60, template: template(name, { restartPolicy: 'Never', ...spec }) } }), ref: (n) => `Job/batch/${n}`, path: 'spec.template.spec' },
  { kind: 'batch/v1 CronJob', make: (name, spec) => ({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name, namespace: 'batch' }, spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: template(name, { restartPolicy: 'OnFailure', ...spec }) } } } }), ref: (n) => `CronJob/batch/${n}`, path: 'spec.jobTemplate.spec.template.spec' },
  { kind: 'v1 Pod', make: (name, spec) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'shop', labels: { app: name } }, spec }), ref: (n) => `Pod/shop/${n}`, path: 'spec' },
];

const LINUX = { nodeSelector: { 'kubernetes.io/os': 'linux' } };
const deployment = (name: string, podSpec: Obj) => WORKLOADS[0].make(name, podSpec);

describe('image-tag', () => {
  const rule = 'image-tag';
  const error = (object: string, field: string, problem: string, fix = 'pin a version tag') => finding(rule, 'error', object, field, problem, fix);

  it('flags untagged, :latest and missing images, and passes tags and digests', () => {
    const digest = `sha256:${'0123456789abcdef'.repeat(4)}`;
    const containers = [
      { name: 'a', image: 'nginx:1.25.3' },
      { name: 'b', image: 'nginx' },
      { name: 'c', image: 'nginx:latest' },
      { name: 'd', image: 'registry.example.com:5000/team/app' },
      { name: 'e', image: 'registry.example.com:5000/team/app:2.0' },
      { name: 'f', image: 'registry.example.com:5000/team/app:latest' },
      { name: 'g', image: `app@${digest}` },
      { name: 'h', image: `app:latest@${digest}` },
      { name: 'i' },
      { name: 'j', image: '' },
      { name: 'k', image: 42 },
      { name: 'l', image: 'library/nginx:1-alpine' },
    ];
    const initContainers = [{ name: 'init', image: 'busybox' }, { name: 'init2', image: 'busybox:1.36' }];
    const p = 'spec.template.spec';
    expect(run(rule, [deployment('web', { ...LINUX, containers, initContainers })])).toEqual([
      error('Deployment/shop/web', `${p}.containers[1].image`, 'container "b" uses image "nginx" without a tag (that means :latest)'),
      error('Deployment/shop/web', `${p}.containers[2].image`, 'container "c" uses image "nginx:latest"'),
      error('Deployment/shop/web', `${p}.containers[3].image`, 'container "d" uses image "registry.example.com:5000/team/app" without a tag (that means :latest)'),
      error('Deployment/shop/web', `${p}.containers[5].image`, 'container "f" uses image "registry.example.com:5000/team/app:latest"'),
      error('Deployment/shop/web', `${p}.containers[8].image`, 'container "i" has no image', 'set a pinned image'),
      error('Deployment/shop/web', `${p}.containers[9].image`, 'container "j" has no image', 'set a pinned image'),
      error('Deployment/shop/web', `${p}.containers[10].image`, 'container "k" has no image', 'set a pinned image'),
      error('Deployment/shop/web', `${p}.initContainers[0].image`, 'init container "init" uses image "busybox" without a tag (that means :latest)'),
    ]);
  });

  it.each(WORKLOADS.map((w) => [w.kind, w] as const))('checks every container of a %s', (_kind, w) => {
    const object = w.make('app', { containers: [{ name: 'main', image: 'app:latest' }, { name: 'side', image: 'side:3' }] });
    expect(run(rule, [object])).toEqual([error(w.ref('app'), `${w.path}.containers[0].image`, 'container "main" uses image "app:latest"')]);
    expect(run(rule, [w.make('app', { containers: [{ name: 'main', image: 'app:1.0' }] })])).toEqual([]);
  });

  it('ignores objects without a pod template', () => {
    expect(run(rule, [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'image' }, data: { image: 'nginx:latest' } }])).toEqual([]);
  });
});

describe('ingress-backend', () => {
  const rule = 'ingress-backend';
  const error = (object: string, field: string, problem: string, fix: string) => finding(rule, 'error', object, field, problem, fix);
  const missing = (object: string, field: string, service: string, namespace: string) =>
    error(object, field, `backend Service "${service}" is not among the manifests in namespace "${namespace}"`, 'fix the Service name or add the Service');
  const service = (name: string, namespace: string | undefined, ports?: Obj[]) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, ...(namespace ? { namespace } : {}) }, spec: { selector: { app: name }, ...(ports ? { ports } : {}) } });
  const WEB_PORTS = [{ name: 'http', port: 80 }, { port: 9090 }];
  const v1Backend = (name: string, port?: Obj) => ({ service: { name, ...(port ? { port } : {}) } });
  const paths = (...backends: Obj[]) => ({ http: { paths: backends.map((backend, i) => ({ path: `/${i}`, pathType: 'Prefix', backend })) } });

  it('networking.k8s.io/v1: checks the default backend and every path, by port number and port name', () => {
    const ingress = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'front', namespace: 'shop' },
      spec: {
        defaultBackend: v1Backend('web', { number: 80 }),
        rules: [
          { host: 'a.example.com', ...paths(v1Backend('web', { name: 'http' }), v1Backend('web', { number: 8080 }), v1Backend('web', { number: 9090 })) },
          paths(
            { resource: { apiGroup: 'k8s.example.com', kind: 'Bucket', name: 'static' } },
            v1Backend('api', { number: 80 }),
            v1Backend('web', { name: 'grpc' }),
            v1Backend('bare', { number: 1234 }),
            v1Backend('ssl-redirect', { name: 'use-annotation' }),
            v1Backend('web'),
            v1Backend('elsewhere', { number: 80 }),
          ),
        ],
      },
    };
    const objects = [
      service('web', 'shop', WEB_PORTS),
      service('bare', 'shop'),
      service('elsewhere', 'other', WEB_PORTS),
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop' }, spec: {} },
      ingress,
    ];
    expect(run(rule, objects)).toEqual([
      error('Ingress/shop/front', 'spec.rules[0].http.paths[1].backend.service.port', 'Service/shop/web has no port 8080', 'use one of its ports (http, 9090)'),
      missing('Ingress/shop/front', 'spec.rules[1].http.paths[1].backend', 'api', 'shop'),
      error('Ingress/shop/front', 'spec.rules[1].http.paths[2].backend.service.port', 'Service/shop/web has no port "grpc"', 'use one of its ports (http, 9090)'),
      missing('Ingress/shop/front', 'spec.rules[1].http.paths[6].backend', 'elsewhere', 'shop'),
    ]);
  });

  it('reports a default backend naming a missing Service, and a wrong port of the default backend', () => {
    const ingress = (name: string, backend: Obj) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, namespace: 'shop' }, spec: { defaultBackend: backend } });
    expect(run(rule, [service('web', 'shop', [{ port: 80 }]), ingress('a', v1Backend('nope', { number: 80 })), ingress('b', v1Backend('web', { number: 81 })), ingress('c', v1Backend('web', { name: 'http' }))])).toEqual([
      missing('Ingress/shop/a', 'spec.defaultBackend', 'nope', 'shop'),
      error('Ingress/shop/b', 'spec.defaultBackend.service.port', 'Service/shop/web has no port 81', 'use one of its ports (80)'),
      error('Ingress/shop/c', 'spec.defaultBackend.service.port', 'Service/shop/web has no port "http"', 'use one of its ports (80)'),
    ]);
  });

  it('extensions/v1beta1: reads spec.backend, serviceName and servicePort (number or name), in the default namespace', () => {
    const ingress = {
      apiVersion: 'extensions/v1beta1',
      kind: 'Ingress',
      metadata: { name: 'legacy' },
      spec: {
        backend: { serviceName: 'web', servicePort: 8080 },
        rules: [
          paths(
            { serviceName: 'web', servicePort: 'metrics' },
            { serviceName: 'web' },
            { serviceName: 'web', servicePort: 'http' },
            { serviceName: 'web', servicePort: 80 },
            { serviceName: 'missing', servicePort: 80 },
            { serviceName: 'web', servicePort: 9090 },
          ),
        ],
      },
    };
    expect(run(rule, [service('web', undefined, WEB_PORTS), ingress])).toEqual([
      error('Ingress/legacy', 'spec.backend.servicePort', 'Service/web has no port 8080', 'use one of its ports (http, 9090)'),
      error('Ingress/legacy', 'spec.rules[0].http.paths[0].backend.servicePort', 'Service/web has no port "metrics"', 'use one of its ports (http, 9090)'),
      missing('Ingress/legacy', 'spec.rules[0].http.paths[4].backend', 'missing', 'default'),
    ]);
  });

  it('a Service without ports, an ALB action and a non-Service backend give no finding; other Ingress groups are not checked', () => {
    const objects = [
      service('bare', 'shop'),
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'ok', namespace: 'shop' }, spec: { rules: [paths(v1Backend('bare', { number: 1 }), v1Backend('redirect', { name: 'use-annotation' }), { resource: { kind: 'Bucket', name: 'b' } })] } },
      { apiVersion: 'example.com/v1', kind: 'Ingress', metadata: { name: 'custom', namespace: 'shop' }, spec: { defaultBackend: v1Backend('nope', { number: 80 }) } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'nginx' }, spec: { defaultBackend: v1Backend('nope', { number: 80 }) } },
    ];
    expect(run(rule, objects)).toEqual([]);
  });

  it('a backend without a port is the schema rule’s: no finding even when every Service port is named', () => {
    const ingress = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'portless', namespace: 'shop' }, spec: { rules: [paths(v1Backend('named'), { serviceName: 'named' })] } };
    expect(run(rule, [service('named', 'shop', [{ name: 'http', port: 80 }, { name: 'https', port: 443 }]), ingress])).toEqual([]);
  });

  it('carries its registry data', () => {
    expect(ingressBackend).toMatchObject({
      id: 'ingress-backend',
      severity: 'error',
      description: 'Every backend of an Ingress names a Service among the manifests of its namespace, and a port that Service has; otherwise the path answers 503.',
      remediation: 'Fix the backend’s service name or port, or add the Service.',
      equivalents: { kubeLinter: ['dangling-ingress'], kubeScore: ['ingress-targets-service'] },
    });
  });
});

describe('job-ttl', () => {
  const rule = 'job-ttl';
  const job = (name: string, spec: Obj, apiVersion = 'batch/v1') => ({ apiVersion, kind: 'Job', metadata: { name, namespace: 'batch' }, spec: { ...spec, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'c:1' }] } } } });
  const cronJob = (name: string, jobSpec: Obj, apiVersion = 'batch/v1') => ({
    apiVersion,
    kind: 'CronJob',
    metadata: { name, namespace: 'batch' },
    spec: { schedule: '@daily', jobTemplate: { spec: { ...jobSpec, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'c:1' }] } } } } },
  });

  it('warns about a standalone Job without ttlSecondsAfterFinished (0 counts as set)', () => {
    expect(run(rule, [job('forever', {}), job('zero', { ttlSecondsAfterFinished: 0 }), job('day', { ttlSecondsAfterFinished: 86400 })])).toEqual([
      finding(rule, 'warning', 'Job/batch/forever', 'spec.ttlSecondsAfterFinished', 'a standalone Job without ttlSecondsAfterFinished stays with its pods after it finishes', 'set spec.ttlSecondsAfterFinished'),
    ]);
  });

  it('warns about a CronJob job template that sets ttlSecondsAfterFinished (batch/v1 and v1beta1)', () => {
    const expected = (name: string) =>
      finding(rule, 'warning', `CronJob/batch/${name}`, 'spec.jobTemplate.spec.ttlSecondsAfterFinished', 'ttlSecondsAfterFinished competes with the CronJob’s history limits', 'remove it and use successfulJobsHistoryLimit/failedJobsHistoryLimit');
    expect(run(rule, [cronJob('ttl', { ttlSecondsAfterFinished: 100 }), cronJob('zero', { ttlSecondsAfterFinished: 0 }), cronJob('plain', {}), cronJob('beta', { ttlSecondsAfterFinished: 5 }, 'batch/v1beta1')])).toEqual([
      expected('ttl'),
      expected('zero'),
      expected('beta'),
    ]);
  });

  it('ignores other kinds and other groups', () => {
    const objects = [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } },
      deployment('web', { containers: [{ name: 'c', image: 'c:1' }] }),
      { ...job('custom', {}), apiVersion: 'example.com/v1' },
      { ...cronJob('custom', { ttlSecondsAfterFinished: 1 }), apiVersion: 'example.com/v1' },
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name: 'w' }, spec: { jobTemplate: { spec: { ttlSecondsAfterFinished: 1 } } } },
    ];
    expect(run(rule, objects)).toEqual([]);
  });

  it('carries its registry data', () => {
    expect(jobTtl).toMatchObject({
      id: 'job-ttl',
      severity: 'warning',
      description:
        'A standalone Job sets no ttlSecondsAfterFinished, so finished Jobs and their pods pile up; a CronJob’s job template that sets one fights its successful/failedJobsHistoryLimit.',
      remediation: 'Set spec.ttlSecondsAfterFinished on standalone Jobs; leave it to the history limits on CronJobs.',
      equivalents: { kubeLinter: ['job-ttl-seconds-after-finished'], kubeScore: [] },
    });
  });
});

describe('kubelet-tls', () => {
  const rule = 'kubelet-tls';
  const PROBLEM = (container: string) => `${container} skips verifying the kubelets' certificates (--kubelet-insecure-tls, "for testing purposes only" per metrics-server's README)`;
  const FIX = 'set serverTLSBootstrap: true in the KubeletConfiguration, approve the kubelet-serving CSRs (kubelet-csr-approver) and drop the flag';
  const error = (object: string, field: string, container: string) => finding(rule, 'error', object, field, PROBLEM(container), FIX);
  const IMAGE = 'registry.k8s.io/metrics-server/metrics-server:v0.7.2';

  it('flags the flag in args or command, bare or =true, first or later, in containers and init containers', () => {
    const containers = [
      { name: 'first-arg', image: IMAGE, args: ['--kubelet-insecure-tls'] },
      { name: 'later-arg', image: IMAGE, args: ['--cert-dir=/tmp', '--secure-port=10250', '--kubelet-insecure-tls=true'] },
      { name: 'in-command', image: IMAGE, command: ['/metrics-server', '--kubelet-insecure-tls'], args: ['--cert-dir=/tmp'] },
      { name: 'command-first', image: IMAGE, command: ['--kubelet-insecure-tls'] },
      { name: 'after-command', image: IMAGE, command: ['/metrics-server'], args: ['--kubelet-insecure-tls'] },
      { name: 'twice', image: IMAGE, args: ['--kubelet-insecure-tls', '--kubelet-insecure-tls=true'] },
      { name: 'secure', image: IMAGE, command: ['/metrics-server'], args: ['--kubelet-insecure-tls=false', '--kubelet-preferred-address-types=InternalIP', 10250, '--kubelet-insecure-tls-x'] },
      { name: 'plain', image: IMAGE },
    ];
    const initContainers = [{ name: 'setup', image: IMAGE, args: ['--kubelet-insecure-tls=true'] }];
    const p = 'spec.template.spec';
    const ref = 'Deployment/shop/metrics-server';
    expect(run(rule, [deployment('metrics-server', { containers, initContainers })])).toEqual([
      error(ref, `${p}.containers[0].args`, 'container "first-arg"'),
      error(ref, `${p}.containers[1].args`, 'container "later-arg"'),
      error(ref, `${p}.containers[2].command`, 'container "in-command"'),
      error(ref, `${p}.containers[3].command`, 'container "command-first"'),
      error(ref, `${p}.containers[4].args`, 'container "after-command"'),
      error(ref, `${p}.containers[5].args`, 'container "twice"'),
      error(ref, `${p}.initContainers[0].args`, 'init container "setup"'),
    ]);
  });

  it.each(WORKLOADS.map((w) => [w.kind, w] as const))('checks a %s', (_kind, w) => {
    expect(run(rule, [w.make('ms', { containers: [{ name: 'ms', image: IMAGE, args: ['--kubelet-insecure-tls'] }] })])).toEqual([error(w.ref('ms'), `${w.path}.containers[0].args`, 'container "ms"')]);
  });

  it('carries its registry data', () => {
    expect(kubeletTls).toMatchObject({
      id: 'kubelet-tls',
      severity: 'error',
      description: 'A client of the kubelets (metrics-server) must verify their serving certificates: --kubelet-insecure-tls is for testing only.',
      remediation: 'Give the kubelets serving certificates from the cluster CA (serverTLSBootstrap: true and a kubelet-serving CSR approver) and drop --kubelet-insecure-tls.',
      equivalents: { kubeLinter: [], kubeScore: [] },
    });
  });
});

describe('labels', () => {
  const rule = 'labels';
  const error = (object: string, field: string, problem: string, fix: string) => finding(rule, 'error', object, field, problem, fix);
  const badKey = (object: string, field: string, key: string, problem: string) => error(object, `${field}["${key}"]`, `key "${key}" ${problem}`, 'rename the key');
  const badValue = (object: string, field: string, key: string, value: string, problem: string) => error(object, `${field}["${key}"]`, `value "${value}" ${problem}`, 'change the value');
  const notString = (object: string, field: string, key: string, shown: string) => error(object, `${field}["${key}"]`, `value ${shown} is not a string`, 'quote it');

  it('checks metadata labels and annotations, the selector and the pod template of a Deployment, in that order', () => {
    const long = 'a'.repeat(64);
    const object = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'web',
        namespace: 'shop',
        labels: { 'app.kubernetes.io/name': 'web', 'bad key': 'x', tier: long, max: 'b'.repeat(63), empty: '', replicas: 3, 'bad!': 'v!' },
        annotations: { note: `free text, ${'long '.repeat(40)}`, 'bad/key/x': 'v', count: 1, flag: true, nothing: null, 'Example.com/a': 'ok', 'example.com/b': '-' },
      },
      spec: {
        selector: { matchLabels: { app: 'web!' } },
        template: {
          metadata: { labels: { app: 'web!', '_x': 'y' }, annotations: { '/x': 'y', 'prometheus.io/port': 8080 } },
          spec: { containers: [{ name: 'web', image: 'web:1' }] },
        },
      },
    };
    const ref = 'Deployment/shop/web';
    expect(run(rule, [object])).toEqual([
      badKey(ref, 'metadata.labels', 'bad key', KEY_NAME),
      badValue(ref, 'metadata.labels', 'tier', long, MAX_63),
      notString(ref, 'metadata.labels', 'replicas', '3'),
      badKey(ref, 'metadata.labels', 'bad!', KEY_NAME),
      badValue(ref, 'metadata.labels', 'bad!', 'v!', LABEL_VALUE),
      badKey(ref, 'metadata.annotations', 'bad/key/x', 'must be a name with at most one "/" (an optional DNS-subdomain prefix, then the name)'),
      notString(ref, 'metadata.annotations', 'count', '1'),
      notString(ref, 'metadata.annotations', 'flag', 'true'),
      notString(ref, 'metadata.annotations', 'nothing', 'null'),
      badKey(ref, 'metadata.annotations', 'Example.com/a', `prefix "Example.com" ${SUBDOMAIN_1123}`),
      badValue(ref, 'spec.selector.matchLabels', 'app', 'web!', LABEL_VALUE),
      badValue(ref, 'spec.template.metadata.labels', 'app', 'web!', LABEL_VALUE),
      badKey(ref, 'spec.template.metadata.labels', '_x', KEY_NAME),
      badKey(ref, 'spec.template.metadata.annotations', '/x', 'must not have an empty prefix before "/"'),
      notString(ref, 'spec.template.metadata.annotations', 'prometheus.io/port', '8080'),
    ]);
  });

  it('a valid Deployment gives nothing: its spec.selector is a LabelSelector, not a label map', () => {
    const object = deployment('web', { containers: [{ name: 'web', image: 'web:1' }] });
    expect(run(rule, [{ ...object, metadata: { name: 'web', labels: { 'app.kubernetes.io/name': 'web', a: 'A.b-c_9' }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"x": 1}' } } }])).toEqual([]);
    expect(run(rule, [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'no-labels' } }])).toEqual([]);
  });

  it('checks the plain spec.selector of Services and ReplicationControllers', () => {
    const objects = [
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc' }, spec: { selector: { app: 'a b', 'ok': 'fine' } } },
      { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'rc' }, spec: { selector: { app: 'a b' }, template: { metadata: { labels: { app: 'a b' } }, spec: { containers: [] } } } },
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { selector: { app: 'a b' } } },
    ];
    expect(run(rule, objects)).toEqual([
      badValue('Service/svc', 'spec.selector', 'app', 'a b', LABEL_VALUE),
      badValue('ReplicationController/rc', 'spec.selector', 'app', 'a b', LABEL_VALUE),
      badValue('ReplicationController/rc', 'spec.template.metadata.labels', 'app', 'a b', LABEL_VALUE),
    ]);
  });

  it('checks a bare Pod once and a CronJob at its job template’s pod template', () => {
    const objects = [
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { app: '-p' }, annotations: { 'a b': 'x' } }, spec: { containers: [] } },
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cj' }, spec: { jobTemplate: { spec: { template: { metadata: { labels: { app: 'c-' }, annotations: { 'a b': 'x' } }, spec: { containers: [] } } } } } },
    ];
    expect(run(rule, objects)).toEqual([
      badValue('Pod/p', 'metadata.labels', 'app', '-p', LABEL_VALUE),
      badKey('Pod/p', 'metadata.annotations', 'a b', KEY_NAME),
      badValue('CronJob/cj', 'spec.jobTemplate.spec.template.metadata.labels', 'app', 'c-', LABEL_VALUE),
      badKey('CronJob/cj', 'spec.jobTemplate.spec.template.metadata.annotations', 'a b', KEY_NAME),
    ]);
  });

  it('key boundaries: name part of 63/64 characters, DNS-subdomain prefix of 253/254, empty name', () => {
    const prefix253 = ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(61)].join('.');
    const prefix254 = ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(62)].join('.');
    const name63 = `N${'x'.repeat(61)}9`;
    const name64 = `N${'x'.repeat(62)}9`;
    const map = { [name63]: 'v', [name64]: 'v', [`${prefix253}/app`]: 'v', [`${prefix254}/app`]: 'v', 'example.com/': 'v', '': 'v', a: 'v', 'app_': 'v', 'x.y-z_A': 'v' };
    const ref = 'ConfigMap/keys';
    expect(run(rule, [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'keys', labels: map } }])).toEqual([
      badKey(ref, 'metadata.labels', name64, 'name part must be no more than 63 characters'),
      badKey(ref, 'metadata.labels', `${prefix254}/app`, `prefix "${prefix254}" ${MAX_253}`),
      badKey(ref, 'metadata.labels', 'example.com/', 'must have a name'),
      badKey(ref, 'metadata.labels', '', 'must have a name'),
      badKey(ref, 'metadata.labels', 'app_', KEY_NAME),
    ]);
  });

  it('a non-string value is reported once, as not a string, whatever it would print as', () => {
    const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'typed', labels: { nested: { a: 'b' }, list: ['x y'], big: 1e70 } } };
    expect(run(rule, [object])).toEqual([
      notString('ConfigMap/typed', 'metadata.labels', 'nested', '{"a":"b"}'),
      notString('ConfigMap/typed', 'metadata.labels', 'list', '["x y"]'),
      notString('ConfigMap/typed', 'metadata.labels', 'big', '1e+70'),
    ]);
  });

  it('value boundaries: 63 characters pass, 64 fail; annotation values are free-form strings', () => {
    const v63 = `A${'-'.repeat(61)}z`;
    const v64 = `A${'-'.repeat(62)}z`;
    const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'values', labels: { a: v63, b: v64, c: 'x_', d: '.x', e: 'x.y_z-W' }, annotations: { a: v64, b: 'x_', c: '' } } };
    expect(run(rule, [object])).toEqual([
      badValue('ConfigMap/values', 'metadata.labels', 'b', v64, MAX_63),
      badValue('ConfigMap/values', 'metadata.labels', 'c', 'x_', LABEL_VALUE),
      badValue('ConfigMap/values', 'metadata.labels', 'd', '.x', LABEL_VALUE),
    ]);
  });

  it('carries its registry data', () => {
    expect(labels).toMatchObject({
      id: 'labels',
      severity: 'error',
      description:
        "Label and annotation keys and label values the API server accepts: keys are [prefix/]name (a DNS-subdomain prefix, a name of ≤ 63 letters, digits, '-', '_', '.'), values are ≤ 63 such characters or empty, annotation values are strings — in metadata, pod templates and selectors.",
      remediation: 'Rename the key or change the value as the message says (quote numbers and booleans).',
      equivalents: { kubeLinter: [], kubeScore: ['label-values'] },
    });
  });
});

describe('node-port', () => {
  const rule = 'node-port';
  const service = (name: string, namespace: string, nodePorts: unknown[], apiVersion = 'v1') => ({
    apiVersion,
    kind: 'Service',
    metadata: { name, namespace },
    spec: { type: 'NodePort', ports: nodePorts.map((nodePort, i) => ({ port: 80 + i, ...(nodePort === undefined ? {} : { nodePort }) })) },
  });
  const outside = (object: string, field: string, port: number) => finding(rule, 'error', object, field, `nodePort ${port} is outside 30000–32767`, 'pick a port in that range');

  it('accepts 30000 and 32767, refuses 29999 and 32768; 0, absent and non-numbers are left to the API server', () => {
    const objects = [service('edges', 'a', [29999, 30000, 32767, 32768, 0, undefined, '30001', 1, 65535])];
    expect(run(rule, objects)).toEqual([
      outside('Service/a/edges', 'spec.ports[0].nodePort', 29999),
      outside('Service/a/edges', 'spec.ports[3].nodePort', 32768),
      outside('Service/a/edges', 'spec.ports[7].nodePort', 1),
      outside('Service/a/edges', 'spec.ports[8].nodePort', 65535),
    ]);
  });

  it('refuses a nodePort used twice in the cluster, naming the first user and its file', () => {
    const docs = [
      { file: 'a.yaml', object: service('first', 'team-a', [30080, 0]) },
      { file: 'b.yaml', object: service('second', 'team-b', [31000, 30080]) },
      { file: 'c.yaml', object: service('third', 'team-a', [0, 31000, 31000]) },
      { file: 'd.yaml', object: service('low', 'team-a', [29999]) },
      { file: 'e.yaml', object: service('low-again', 'team-a', [29999, 0]) },
      { file: 'f.yaml', object: service('crd', 'team-a', [30080], 'example.com/v1') },
      { file: 'g.yaml', object: service('strings', 'team-a', ['31500']) },
      { file: 'h.yaml', object: service('strings-again', 'team-a', ['31500']) },
    ];
    const dup = (file: string, object: string, field: string, port: number, first: string) => ({
      rule,
      severity: 'error',
      file,
      object,
      field,
      problem: `nodePort ${port} is already used by ${first}`,
      fix: 'pick a free port in 30000–32767',
    });
    expect(auditManifests(docs, { includeOnly: [rule] }).findings).toEqual([
      dup('b.yaml', 'Service/team-b/second', 'spec.ports[1].nodePort', 30080, 'Service/team-a/first (a.yaml)'),
      dup('c.yaml', 'Service/team-a/third', 'spec.ports[1].nodePort', 31000, 'Service/team-b/second (b.yaml)'),
      dup('c.yaml', 'Service/team-a/third', 'spec.ports[2].nodePort', 31000, 'Service/team-b/second (b.yaml)'),
      { ...outside('Service/team-a/low', 'spec.ports[0].nodePort', 29999), file: 'd.yaml' },
      { ...outside('Service/team-a/low-again', 'spec.ports[0].nodePort', 29999), file: 'e.yaml' },
    ]);
  });

  it('carries its registry data', () => {
    expect(nodePort).toMatchObject({
      id: 'node-port',
      severity: 'error',
      description: 'Explicit nodePorts must lie in 30000-32767 and be unique in the cluster: the API server rejects both, and bookmarks and firewall rules depend on them.',
      remediation: 'Pick a free port in 30000-32767, or omit nodePort (0) to let the cluster allocate one.',
      equivalents: { kubeLinter: ['exposed-services'], kubeScore: ['service-type'] },
      differs:
        "kube-score's service-type (and kube-linter's optional exposed-services) flag every NodePort Service; NodePorts are how bare-metal and edge clusters expose services, so only their range and reuse are checked here.",
    });
  });
});

describe('object-name', () => {
  const rule = 'object-name';
  const error = (object: string, field: string, problem: string, fix: string) => finding(rule, 'error', object, field, problem, fix);
  const badName = (object: string, name: string, problem: string) => error(object, 'metadata.name', `name "${name}" ${problem}`, 'rename the object');
  const badNamespace = (object: string, namespace: string, problem: string) => error(object, 'metadata.namespace', `namespace "${namespace}" ${problem}`, 'fix the namespace');
  const configMap = (name: string, namespace?: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(namespace === undefined ? {} : { namespace }) } });

  it('object names are RFC 1123 subdomains: dots allowed, 253 characters at most', () => {
    const n253 = 'a'.repeat(253);
    const n254 = 'a'.repeat(254);
    const objects = [configMap('pass.dotted.config'), configMap('Bad_Name'), configMap(n253), configMap(n254), configMap('-lead'), configMap('trail.'), configMap('a..b'), configMap('0')];
    expect(run(rule, objects)).toEqual([
      badName('ConfigMap/Bad_Name', 'Bad_Name', SUBDOMAIN_1123),
      badName(`ConfigMap/${n254}`, n254, MAX_253),
      badName('ConfigMap/-lead', '-lead', SUBDOMAIN_1123),
      badName('ConfigMap/trail.', 'trail.', SUBDOMAIN_1123),
      badName('ConfigMap/a..b', 'a..b', SUBDOMAIN_1123),
    ]);
  });

  it('Namespaces are RFC 1123 labels and Services RFC 1035 labels (63 characters, no dots; Services start with a letter)', () => {
    const n63 = 'n'.repeat(63);
    const n64 = 'n'.repeat(64);
    const namespace = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    const service = (name: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'shop' }, spec: { ports: [{ port: 80 }] } });
    const objects = [namespace('team.a'), namespace('1team'), namespace(n63), namespace(n64), service('api.v1'), service('1api'), service('api1'), service(n63), service(n64), configMap('1config.a')];
    expect(run(rule, objects)).toEqual([
      badName('Namespace/team.a', 'team.a', LABEL_1123),
      badName(`Namespace/${n64}`, n64, MAX_63),
      badName('Service/shop/api.v1', 'api.v1', LABEL_1035),
      badName('Service/shop/1api', '1api', LABEL_1035),
      badName(`Service/shop/${n64}`, n64, MAX_63),
    ]);
  });

  it('RBAC kinds may hold colons; other kinds in their group may not; custom resources are not checked', () => {
    const rbac = (kind: string, name: string) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name } });
    const objects = [
      rbac('ClusterRole', 'system:nodes'),
      rbac('ClusterRoleBinding', 'system:node-proxier'),
      rbac('Role', 'system:controller:bootstrap-signer'),
      rbac('RoleBinding', 'system::leader-locking'),
      rbac('ClusterRoleTemplate', 'system:x'),
      rbac('NotARole', 'system:y'),
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'Web', namespace: 'shop' }, spec: {} },
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'Not_Checked' } },
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'Route_1', namespace: 'shop' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'Gen_' } },
    ];
    expect(run(rule, objects)).toEqual([
      badName('ClusterRoleTemplate/system:x', 'system:x', SUBDOMAIN_1123),
      badName('NotARole/system:y', 'system:y', SUBDOMAIN_1123),
      badName('Deployment/shop/Web', 'Web', SUBDOMAIN_1123),
    ]);
  });

  it('namespaces are RFC 1123 labels, on every object (custom resources too)', () => {
    const n63 = 's'.repeat(63);
    const n64 = 's'.repeat(64);
    const objects = [configMap('a', 'Team_A'), configMap('b', 'team.a'), configMap('c', n63), configMap('d', n64), { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'Bad_NS' } }, configMap('Bad', 'Bad')];
    expect(run(rule, objects)).toEqual([
      badNamespace('ConfigMap/Team_A/a', 'Team_A', LABEL_1123),
      badNamespace('ConfigMap/team.a/b', 'team.a', LABEL_1123),
      badNamespace(`ConfigMap/${n64}/d`, n64, MAX_63),
      badNamespace('Widget/Bad_NS/w', 'Bad_NS', LABEL_1123),
      badName('ConfigMap/Bad/Bad', 'Bad', SUBDOMAIN_1123),
      badNamespace('ConfigMap/Bad/Bad', 'Bad', LABEL_1123),
    ]);
  });

  it('container and volume names are RFC 1123 labels; unnamed ones are the schema rule’s', () => {
    const c63 = 'c'.repeat(63);
    const c64 = 'c'.repeat(64);
    const podSpec = {
      containers: [{ name: 'App_1', image: 'a:1' }, { name: 'ok', image: 'a:1' }, { image: 'a:1' }, { name: c63, image: 'a:1' }, { name: c64, image: 'a:1' }, { name: 'a.b', image: 'a:1' }, { name: '#x', image: 'a:1' }],
      initContainers: [{ name: 'Init', image: 'a:1' }],
      volumes: [{ name: 'data', emptyDir: {} }, { name: 'Data_1', emptyDir: {} }, { emptyDir: {} }, { name: 'v.1', emptyDir: {} }],
    };
    const p = 'spec.template.spec';
    const ref = 'Deployment/shop/web';
    const container = (field: string, name: string, problem: string) => error(ref, `${p}.${field}.name`, `container name "${name}" ${problem}`, 'rename the container');
    const volume = (i: number, name: string) => error(ref, `${p}.volumes[${i}].name`, `volume name "${name}" ${LABEL_1123}`, 'rename the volume');
    expect(run(rule, [deployment('web', podSpec)])).toEqual([
      container('containers[0]', 'App_1', LABEL_1123),
      container('containers[4]', c64, MAX_63),
      container('containers[5]', 'a.b', LABEL_1123),
      container('containers[6]', '#x', LABEL_1123),
      container('initContainers[0]', 'Init', LABEL_1123),
      volume(1, 'Data_1'),
      volume(3, 'v.1'),
    ]);
  });

  it.each(WORKLOADS.map((w) => [w.kind, w] as const))('checks the pod template of a %s', (_kind, w) => {
    const object = w.make('app', { containers: [{ name: 'Main', image: 'a:1' }], volumes: [{ name: 'Vol', emptyDir: {} }] });
    expect(run(rule, [object])).toEqual([
      error(w.ref('app'), `${w.path}.containers[0].name`, `container name "Main" ${LABEL_1123}`, 'rename the container'),
      error(w.ref('app'), `${w.path}.volumes[0].name`, `volume name "Vol" ${LABEL_1123}`, 'rename the volume'),
    ]);
  });

  it('carries its registry data', () => {
    expect(objectName).toMatchObject({
      id: 'object-name',
      severity: 'error',
      description:
        'Names the API server accepts: object names are RFC 1123 subdomains (Namespaces RFC 1123 labels, Services RFC 1035 labels: they become DNS labels); namespaces, container and volume names are RFC 1123 labels.',
      remediation: "Use lowercase letters, digits and '-' (and '.' where a subdomain is allowed), starting and ending with a letter or digit.",
      equivalents: { kubeLinter: [], kubeScore: [] },
    });
  });
});

describe('os-constraint', () => {
  const rule = 'os-constraint';
  const PROBLEM = 'pod template has no OS constraint';
  const FIX = 'set nodeSelector kubernetes.io/os: linux|windows (or a required node affinity on kubernetes.io/os)';
  const containers = [{ name: 'c', image: 'c:1' }];
  const required = (...terms: Obj[]) => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });
  const expr = (key: string, operator: string, values?: string[]) => ({ key, operator, ...(values ? { values } : {}) });
  const OS_IN = expr('kubernetes.io/os', 'In', ['linux']);

  /** Whether the rule flags a Deployment with this pod spec (on top of its containers). */
  const flagged = (extra: Obj) => {
    const found = run(rule, [deployment('web', { containers, ...extra })]);
    expect(found).toEqual(found.length ? [finding(rule, 'error', 'Deployment/shop/web', 'spec.template.spec.nodeSelector', PROBLEM, FIX)] : []);
    return found.length > 0;
  };

  it('accepts nodeSelector kubernetes.io/os and spec.os.name', () => {
    expect(flagged({})).toBe(true);
    expect(flagged({ nodeSelector: { 'kubernetes.io/os': 'linux' } })).toBe(false);
    expect(flagged({ nodeSelector: { 'kubernetes.io/os': 'windows' } })).toBe(false);
    expect(flagged({ os: { name: 'windows' } })).toBe(false);
    expect(flagged({ os: { name: 'linux' } })).toBe(false);
  });

  it('does not accept the deprecated beta label, other node labels, or a non-string value', () => {
    expect(flagged({ nodeSelector: { 'beta.kubernetes.io/os': 'linux' } })).toBe(true);
    expect(flagged({ nodeSelector: { 'kubernetes.io/arch': 'amd64' } })).toBe(true);
    expect(flagged({ nodeSelector: { 'kubernetes.io/os': null } })).toBe(true);
    expect(flagged({ os: {} })).toBe(true);
  });

  it('accepts required node affinity only when every term constrains the OS with In or NotIn', () => {
    expect(flagged(required({ matchExpressions: [OS_IN] }))).toBe(false);
    expect(flagged(required({ matchExpressions: [expr('kubernetes.io/os', 'NotIn', ['windows'])] }))).toBe(false);
    // A term is an object holding matchExpressions; an expression given as a term constrains nothing.
    expect(flagged(required(OS_IN))).toBe(true);
    expect(flagged(required({ matchExpressions: [expr('kubernetes.io/arch', 'In', ['arm64']), OS_IN] }))).toBe(false);
    expect(flagged(required({ matchExpressions: [OS_IN] }, { matchExpressions: [expr('kubernetes.io/os', 'In', ['windows']), expr('zone', 'In', ['a'])] }))).toBe(false);
    expect(flagged(required())).toBe(true);
    expect(flagged(required({ matchExpressions: [expr('kubernetes.io/os', 'Exists')] }))).toBe(true);
    expect(flagged(required({ matchExpressions: [expr('kubernetes.io/os', 'DoesNotExist')] }))).toBe(true);
    expect(flagged(required({ matchExpressions: [expr('beta.kubernetes.io/os', 'In', ['linux'])] }))).toBe(true);
    expect(flagged(required({ matchExpressions: [OS_IN] }, { matchExpressions: [expr('zone', 'In', ['a'])] }))).toBe(true);
    expect(flagged(required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }))).toBe(true);
    const preferred = { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [OS_IN] } }] } } };
    expect(flagged(preferred)).toBe(true);
  });

  it.each(WORKLOADS.map((w) => [w.kind, w] as const))('checks the pod template of a %s', (_kind, w) => {
    expect(run(rule, [w.make('app', { containers })])).toEqual([finding(rule, 'error', w.ref('app'), `${w.path}.nodeSelector`, PROBLEM, FIX)]);
    expect(run(rule, [w.make('app', { containers, ...LINUX })])).toEqual([]);
  });

  it('is off with requireOsConstraint: false, through the validator and in the rule itself', () => {
    const object = deployment('web', { containers });
    expect(run(rule, [object], { requireOsConstraint: false })).toEqual([]);
    const { manifests } = readManifests([{ file: FILE, object }]);
    const context = (requireOsConstraint: boolean) => ({
      manifests,
      templates: indexTemplates(manifests),
      lookup: indexByName(manifests),
      options: { requireOsConstraint, kubernetesVersion: '1.34', exclude: [], includeOnly: [] },
    });
    expect(osConstraint.check(context(false))).toEqual([]);
    expect(osConstraint.check(context(true)).map((v) => [v.manifest.ref, v.field, v.problem, v.fix])).toEqual([['Deployment/shop/web', 'spec.template.spec.nodeSelector', PROBLEM, FIX]]);
  });

  it('carries its registry data', () => {
    expect(osConstraint).toMatchObject({
      id: 'os-constraint',
      severity: 'error',
      description: 'In a mixed Linux/Windows cluster every pod template must say which OS it runs on, or the scheduler may place it where its image cannot start.',
      remediation: 'Set nodeSelector kubernetes.io/os: linux|windows (or a required node affinity on it); --no-os-constraint turns the rule off for single-OS clusters.',
      equivalents: { kubeLinter: [], kubeScore: [] },
    });
  });
});

describe('image-tag registry data', () => {
  it('carries its description, remediation, equivalents and difference', () => {
    expect(imageTag).toMatchObject({
      id: 'image-tag',
      severity: 'error',
      description: 'Images must be pinned: an untagged or :latest image changes under a running workload and rollbacks stop meaning anything.',
      remediation: 'Pin a version tag (or a digest).',
      equivalents: { kubeLinter: ['latest-tag'], kubeScore: ['container-image-tag', 'container-image-pull-policy'] },
      differs:
        "kube-score's container-image-pull-policy wants imagePullPolicy: Always (so a moved tag is re-pulled and pull secrets re-checked); here the image is pinned instead, which makes the pull policy irrelevant and keeps nodes working when the registry is down.",
    });
  });
});

describe('the rule registry (guardrails/rules/index.ts)', () => {
  /** Every rule the project documents, with its severity, written out by hand. */
  const EXPECTED: Readonly<Record<string, 'error' | 'warning'>> = {
    schema: 'error', 'removed-api': 'error', 'object-name': 'error', labels: 'error', 'duplicate-object': 'error', 'restart-policy': 'error',
    'port-names': 'error', 'duplicate-env-var': 'error', 'topology-spread': 'error', 'deployment-selector': 'error',
    'selector-matches-no-pod': 'error', 'ingress-backend': 'error', 'statefulset-service-name': 'error', 'hpa-target': 'error',
    'hpa-cpu-requests': 'error', 'node-port': 'error', 'probe-port': 'error', 'pdb-unsatisfiable': 'error', 'image-tag': 'error',
    'secret-literal-data': 'error', 'os-constraint': 'error', 'host-access': 'error', 'kubelet-tls': 'error', 'delegated-auth': 'error',
    'job-ttl': 'warning', 'network-policy': 'warning', 'run-as-non-root': 'warning', 'read-only-root-fs': 'warning', 'drop-net-raw': 'warning',
    'anti-affinity': 'warning', 'pdb-missing': 'warning', 'hpa-min-replicas': 'warning', 'cronjob-deadline': 'warning',
  };

  it('holds every documented rule with its severity', () => {
    const byId = new Map(RULES.map((r) => [r.id, r.severity]));
    for (const [id, severity] of Object.entries(EXPECTED)) expect([id, byId.get(id)]).toEqual([id, severity]);
    expect(RULES.length).toBeGreaterThanOrEqual(47);
  });

  it('every rule has a kebab-case id, a severity, a sentence of description and a remediation; ids are unique', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^[a-z]+(-[a-z0-9]+)*$/);
      expect(['error', 'warning']).toContain(rule.severity);
      expect(rule.description).toMatch(/^[A-Z].{30,}\.$/s);
      expect(rule.remediation).toMatch(/^\S.{8,}\.$/s);
      expect(typeof rule.check).toBe('function');
    }
  });

  it('reports in the documented order: what the API server refuses, then what breaks at run time, then warnings', () => {
    const position = (id: string) => RULES.findIndex((r) => r.id === id);
    expect(position('schema')).toBe(0);
    expect(position('removed-api')).toBe(1);
    const order = ['object-name', 'labels', 'ingress-backend', 'node-port', 'image-tag', 'os-constraint', 'kubelet-tls', 'job-ttl'];
    expect(order.map(position)).toEqual([...order.map(position)].sort((a, b) => a - b));
    expect(order.map(position).every((p) => p >= 0)).toBe(true);
    // Every error comes before the first warning.
    const firstWarning = RULES.findIndex((r) => r.severity === 'warning');
    expect(RULES.slice(firstWarning).every((r) => r.severity === 'warning')).toBe(true);
  });
});
