/**
 * Findings of the guardrail rules p..z on the inputs the mutation run (guardrails/rules/[p-z]*.ts) found
 * untested: see reports/mutation/survivors/guardrails-rules-p-z.md. Every expected finding is written out
 * by hand from the rule's documented intent and the Kubernetes API, never computed by the code under test.
 */
import { readManifests } from '../../guardrails/manifest';
import { uncheckedObjects } from '../../guardrails/rules/schema';
import { expected, FILE, findingsOf, hpa, NS, pdb, ref, service, workload } from './hand-built';

const container = (name: string, extra: Record<string, unknown> = {}) => ({ name, image: 'example/app:1.0.0', ...extra });
const pods = { containers: [container('app')] };

describe('pdb-missing: the HPA floor is the first numeric minReplicas', () => {
  it('skips an HPA without minReplicas and counts the next one', () => {
    const objects = [workload('Deployment', 'web', pods, { replicas: 1 }), hpa('first', { kind: 'Deployment', name: 'web' }), hpa('second', { kind: 'Deployment', name: 'web' }, 3)];
    expect(findingsOf('pdb-missing', objects)).toEqual([
      expected('pdb-missing', 'warning', ref('Deployment', 'web'), 'spec.selector', 'no PodDisruptionBudget selects its 3 replicas, so a drain may evict them all at once', 'add a PodDisruptionBudget with maxUnavailable: 1'),
    ]);
  });
});

describe('pdb-unhealthy-pod-eviction-policy', () => {
  it('names the unset field, the consequence and the fix', () => {
    expect(findingsOf('pdb-unhealthy-pod-eviction-policy', [pdb('web', { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } })])).toEqual([
      expected(
        'pdb-unhealthy-pod-eviction-policy',
        'warning',
        ref('PodDisruptionBudget', 'web'),
        'spec.unhealthyPodEvictionPolicy',
        'unhealthyPodEvictionPolicy is not set, so crash-looping pods block drains',
        'set it to AlwaysAllow',
      ),
    ]);
  });
});

describe('pdb-unsatisfiable: only a number 0 or a "0%" string is a zero maxUnavailable', () => {
  it('does not read a list holding "0%" as "0%" (schema reports its type)', () => {
    expect(findingsOf('pdb-unsatisfiable', [pdb('odd', { maxUnavailable: ['0%'], selector: { matchLabels: { app: 'web' } } })])).toEqual([]);
  });
});

describe('pod-security: a warn level that matches enforce but at another version', () => {
  const namespace = (labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS, labels } });
  it('names only warn (not enforce) for a control enforce at its pinned version does not check', () => {
    // Probe hosts are a baseline control since Kubernetes 1.34: enforce pins v1.33, warn is latest (v1.37 here).
    const ns = namespace({
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/enforce-version': 'v1.33',
      'pod-security.kubernetes.io/warn': 'baseline',
    });
    const pod = { containers: [container('app', { readinessProbe: { httpGet: { path: '/', port: 8080, host: '10.0.0.1' } } })] };
    expect(findingsOf('pod-security', [ns, workload('Deployment', 'web', pod)], { kubernetesVersion: '1.37' })).toEqual([
      expected(
        'pod-security',
        'warning',
        ref('Deployment', 'web'),
        'spec.template.spec.containers[0].readinessProbe.httpGet.host',
        `baseline: hostProbesAndHostLifecycle: probe or lifecycle host (container "app" uses probe or lifecycle host "10.0.0.1"); namespace ${NS} warn at baseline (v1.37)`,
        "make the pod meet the control, or set the namespace's pod-security.kubernetes.io/warn level to what the image needs and say why",
      ),
    ]);
  });
});

describe('port-names: only Services are checked as Services', () => {
  it('leaves a custom resource with unnamed spec.ports alone', () => {
    const custom = { apiVersion: 'example.com/v1', kind: 'Proxy', metadata: { name: 'p', namespace: NS }, spec: { ports: [{ port: 80 }, { port: 81 }] } };
    expect(findingsOf('port-names', [custom])).toEqual([]);
  });
});

describe('probe-port', () => {
  const R = 'probe-port';
  const web = (ports: unknown[], probe: Record<string, unknown>) => workload('Deployment', 'web', { containers: [container('app', { ports, livenessProbe: probe })] });
  const W = ref('Deployment', 'web');
  const F = 'spec.template.spec.containers[0].livenessProbe';

  it('accepts declared port names that contain or start with digits', () => {
    expect(findingsOf(R, [web([{ name: 'http-8080', containerPort: 8080 }], { httpGet: { path: '/', port: 'http-8080' } })])).toEqual([]);
    expect(findingsOf(R, [web([{ name: '9web', containerPort: 9000 }], { httpGet: { path: '/', port: '9web' } })])).toEqual([]);
  });

  it('flags an empty port name even when a port has an empty name', () => {
    expect(findingsOf(R, [web([{ name: '', containerPort: 8080 }], { tcpSocket: { port: '' } })])).toEqual([
      expected(R, 'error', W, `${F}.tcpSocket.port`, 'container "app" livenessProbe uses port "", which the container does not declare', 'name one of its ports, or add the port'),
    ]);
  });

  it('does not judge a probe action without a port (schema reports the missing field)', () => {
    expect(findingsOf(R, [web([{ containerPort: 5353, protocol: 'UDP' }], { httpGet: { path: '/' } })])).toEqual([]);
    expect(findingsOf(R, [web([{ containerPort: 8080 }], { httpGet: { path: '/' } })])).toEqual([]);
  });

  it('refuses a probe on an SCTP-only port, as on a UDP-only one (HTTP, TCP and gRPC probes connect over TCP)', () => {
    const sctp = [{ name: 'assoc', containerPort: 9000, protocol: 'SCTP' }];
    const FIX = 'probe a TCP port or use an exec probe';
    expect(findingsOf(R, [web(sctp, { tcpSocket: { port: 'assoc' } })])).toEqual([
      expected(R, 'error', W, `${F}.tcpSocket.port`, 'container "app" livenessProbe (tcpSocket) probes port "assoc", an SCTP port, over TCP', FIX),
    ]);
    expect(findingsOf(R, [web(sctp, { grpc: { port: 9000 } })])).toEqual([expected(R, 'error', W, `${F}.grpc.port`, 'container "app" livenessProbe (grpc) probes port 9000, an SCTP port, over TCP', FIX)]);
    // The same number also served over TCP is fine.
    expect(findingsOf(R, [web([...sctp, { name: 'assoc-tcp', containerPort: 9000 }], { tcpSocket: { port: 9000 } })])).toEqual([]);
  });

  it('reads a non-integer number as a number, not as a name', () => {
    expect(findingsOf(R, [web([{ containerPort: 8080 }], { tcpSocket: { port: 80.5 } })])).toEqual([
      { ...expected(R, 'warning', W, `${F}.tcpSocket.port`, 'container "app" livenessProbe uses port 80.5, which is not among its ports', 'declare the port or probe a declared one') },
    ]);
  });
});

describe('read-only-root-fs', () => {
  it('names the container and the fix', () => {
    expect(findingsOf('read-only-root-fs', [workload('Deployment', 'web', pods)])).toEqual([
      expected(
        'read-only-root-fs',
        'warning',
        ref('Deployment', 'web'),
        'spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem',
        'container "app" has a writable root filesystem',
        'set securityContext.readOnlyRootFilesystem: true (mount an emptyDir where it writes)',
      ),
    ]);
  });
});

describe('readiness-probe: the container the Service sends traffic to', () => {
  const R = 'readiness-probe';
  const FIX = 'add one so traffic and rollouts wait until it is ready';
  const S = ref('Service', 'web');

  it('is the one declaring the targeted port, even if it declares others too', () => {
    const spec = { containers: [container('sidecar', { ports: [{ containerPort: 9090 }] }), container('app', { ports: [{ containerPort: 8080 }, { containerPort: 8081 }] })] };
    expect(findingsOf(R, [workload('Deployment', 'web', spec), service('web', { app: 'web' }, [{ port: 80, targetPort: 8080 }])])).toEqual([
      expected(R, 'error', ref('Deployment', 'web'), 'spec.template.spec.containers[1].readinessProbe', `${S} sends traffic to container "app", which has no readinessProbe`, FIX),
    ]);
  });

  it('is the first one when a Service port names no port at all (an unnamed container port is not a match)', () => {
    const spec = { containers: [container('first'), container('second', { ports: [{ containerPort: 8080 }] })] };
    expect(findingsOf(R, [workload('Deployment', 'web', spec), service('web', { app: 'web' }, [{ name: 'http' }])])).toEqual([
      expected(R, 'error', ref('Deployment', 'web'), 'spec.template.spec.containers[0].readinessProbe', `${S} sends traffic to container "first", which has no readinessProbe`, FIX),
    ]);
  });
});

describe('replicas', () => {
  it('says "replicas" for a count other than 1', () => {
    expect(findingsOf('replicas', [workload('Deployment', 'web', pods, { replicas: -1 }), service('web', { app: 'web' })])).toEqual([
      expected('replicas', 'warning', ref('Deployment', 'web'), 'spec.replicas', `-1 replicas behind ${ref('Service', 'web')}: one failure or rollout takes it down`, 'run at least 2 replicas'),
    ]);
  });
});

describe('schema', () => {
  const R = 'schema';
  const FIX = 'fix the field as the API reference describes it';
  const manifests = (...objects: unknown[]) => readManifests(objects.map((object) => ({ file: FILE, object }))).manifests;

  it('counts as unchecked only objects with an apiVersion and a kind, of a group no model or CRD covers', () => {
    const noKind = { apiVersion: 'example.com/v1', metadata: { name: 'a' } };
    const rollout = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'r' } };
    const unknownArgoKind = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Widget', metadata: { name: 'w' } };
    expect(uncheckedObjects(manifests(noKind, rollout, unknownArgoKind)).map((m) => m.ref)).toEqual(['Widget/w']);
  });

  it('names a label key ending or starting with digits as a plain field, and a multi-digit key in brackets', () => {
    const cm = (labels: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: NS, labels } });
    const C = ref('ConfigMap', 'c');
    expect(findingsOf(R, [cm({ tier2: 5 })])).toEqual([expected(R, 'error', C, 'metadata.labels.tier2', 'must be a string', FIX)]);
    expect(findingsOf(R, [cm({ '2tier': 5 })])).toEqual([expected(R, 'error', C, 'metadata.labels.2tier', 'must be a string', FIX)]);
    expect(findingsOf(R, [cm({ '12': 5 })])).toEqual([expected(R, 'error', C, 'metadata.labels[12]', 'must be a string', FIX)]);
  });

  it('lists every version serving a kind put in the wrong apiVersion', () => {
    expect(findingsOf(R, [{ apiVersion: 'v1', kind: 'StatefulSet', metadata: { name: 's', namespace: NS } }])).toEqual([
      expected(R, 'error', ref('StatefulSet', 's'), 'apiVersion', 'StatefulSet is not a kind of v1', 'use apps/v1 or apps/v1beta1 or apps/v1beta2'),
    ]);
  });

  it('suggests the version serving the kind before the closest-spelled one, and the closest when none does', () => {
    const served = '(group apps serves apps/v1, apps/v1beta1, apps/v1beta2)';
    expect(findingsOf(R, [{ apiVersion: 'apps/v1beta3', kind: 'DaemonSet', metadata: { name: 'd', namespace: NS } }])).toEqual([
      expected(R, 'error', ref('DaemonSet', 'd'), 'apiVersion', `apps/v1beta3 is not an API version of Kubernetes ${served}`, 'did you mean apps/v1?'),
    ]);
    expect(findingsOf(R, [{ apiVersion: 'apps/v2', kind: 'Widget', metadata: { name: 'w', namespace: NS } }])).toEqual([
      expected(R, 'error', ref('Widget', 'w'), 'apiVersion', `apps/v2 is not an API version of Kubernetes ${served}`, 'did you mean apps/v1?'),
    ]);
  });
});

describe('service-account-exists', () => {
  const R = 'service-account-exists';
  const FIX = 'add the ServiceAccount or fix the name';
  const W = ref('Deployment', 'web');
  const sa = (name: string) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: NS } });

  it('flags a missing serviceAccountName', () => {
    expect(findingsOf(R, [workload('Deployment', 'web', { ...pods, serviceAccountName: 'runner' })])).toEqual([
      expected(R, 'warning', W, 'spec.template.spec.serviceAccountName', `ServiceAccount "runner" is not among the manifests in namespace "${NS}"`, FIX),
    ]);
  });

  it('flags a missing ServiceAccount named by the deprecated serviceAccount field, at that field', () => {
    expect(findingsOf(R, [workload('Deployment', 'web', { ...pods, serviceAccount: 'runner' })])).toEqual([
      expected(R, 'warning', W, 'spec.template.spec.serviceAccount', `ServiceAccount "runner" is not among the manifests in namespace "${NS}"`, FIX),
    ]);
  });

  it('accepts the default ServiceAccount (every namespace has one) and one among the manifests', () => {
    expect(findingsOf(R, [workload('Deployment', 'web', { ...pods, serviceAccountName: 'default' })])).toEqual([]);
    expect(findingsOf(R, [workload('Deployment', 'web', { ...pods, serviceAccountName: 'runner' }), sa('runner')])).toEqual([]);
  });
});
