import { HaWebApp, HaWebAppProps } from '../constructs/ha-web-app';
import { find, linuxPools, synthObjects, testCluster, webContainer, windowsPool } from './util/synth';

type Overrides = Partial<HaWebAppProps>;

const baseContainer = webContainer;

/** Synthesizes one HaWebApp `web` (an unprivileged nginx on 8080) with `overrides`. */
function app(overrides: Overrides = {}, pools = [...linuxPools, windowsPool]) {
  return synthObjects((chart) => {
    const cluster = testCluster(chart, pools);
    new HaWebApp(chart, 'web', {
      namespace: 'shop',
      name: 'web',
      placement: cluster.place('test/web', { os: 'linux' }),
      container: baseContainer,
      service: { ports: [{ name: 'http', port: 80 }] },
      ...overrides,
    });
  });
}

describe('defaults', () => {
  const objects = app();
  const deployment = find(objects, 'Deployment', 'web');
  const pod = deployment.spec.template.spec;

  test('Deployment + Service + PDB, explicit names, selector = {app}', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(
      expect.arrayContaining(['Deployment/web', 'Service/web', 'PodDisruptionBudget/web']),
    );
    expect(deployment.spec.selector).toEqual({ matchLabels: { app: 'web' } });
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.strategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });
    expect(find(objects, 'PodDisruptionBudget').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } });
  });

  test('preferred hostname anti-affinity and zone spread', () => {
    expect(pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]).toEqual({
      weight: 100,
      podAffinityTerm: { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' },
    });
    expect(pod.topologySpreadConstraints[0]).toMatchObject({ topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' });
  });

  test('strict security defaults with a writable /tmp', () => {
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
    });
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
  });

  test('OS constraint from the placement, both nodeSelector and spec.os', () => {
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(pod.os).toEqual({ name: 'linux' });
  });

  test('Service targets the named port', () => {
    expect(find(objects, 'Service').spec).toEqual({ type: 'ClusterIP', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] });
  });
});

describe('options', () => {
  test('HPA on autoscaling/v2 takes over replicas', () => {
    const objects = app({ autoscaling: { minReplicas: 2, maxReplicas: 5, cpuUtilization: 70 } });
    expect(find(objects, 'Deployment').spec.replicas).toBeUndefined();
    const hpa = find(objects, 'HorizontalPodAutoscaler');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 5, scaleTargetRef: { kind: 'Deployment', name: 'web' } });
    expect(hpa.spec.metrics[0].resource).toEqual({ name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } });
  });

  test('NodePort with explicit port, LoadBalancer with annotations', () => {
    const np = app({ service: { type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: 30080 }] } });
    expect(find(np, 'Service').spec.ports[0].nodePort).toBe(30080);
    const lb = app({ service: { type: 'LoadBalancer', ports: [{ name: 'http', port: 80 }], annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' } } });
    expect(find(lb, 'Service').metadata.annotations).toEqual({ 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' });
  });

  test('NetworkPolicy allows the listed peers to the container ports', () => {
    const objects = app({ networkPolicy: { ingressFrom: ['same-namespace', { podLabels: { app: 'x' }, namespace: 'other' }], egressTo: [{ to: { cidr: '10.0.0.0/16' }, ports: [{ port: 5432 }] }] } });
    const np = find(objects, 'NetworkPolicy').spec;
    expect(np.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(np.ingress[0].from).toEqual([{ podSelector: {} }, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'other' } }, podSelector: { matchLabels: { app: 'x' } } }]);
    expect(np.ingress[0].ports).toEqual([{ port: 'http', protocol: 'TCP' }]);
    expect(np.egress).toEqual([{ to: [{ ipBlock: { cidr: '10.0.0.0/16' } }], ports: [{ port: 5432, protocol: 'TCP' }] }]);
  });

  test('Istio Gateway selects the ingress gateway; VirtualService routes / to the Service port', () => {
    const objects = app({ mesh: 'istio', istio: { hosts: ['shop.example.com'] } });
    expect(find(objects, 'Gateway', 'web-gateway').spec.selector).toEqual({ istio: 'ingressgateway' });
    expect(find(objects, 'VirtualService', 'web').spec.gateways).toEqual(['web-gateway']);
    expect(find(objects, 'VirtualService').spec.http).toEqual([{ match: [{ uri: { prefix: '/' } }], route: [{ destination: { host: 'web', port: { number: 80 } } }] }]);
  });

  test('Linkerd is an annotation on the pods, not a label', () => {
    const tpl = find(app({ mesh: 'linkerd' }), 'Deployment').spec.template.metadata;
    expect(tpl.annotations).toEqual({ 'linkerd.io/inject': 'enabled' });
    expect(tpl.labels['linkerd.io/inject']).toBeUndefined();
  });

  test('meshed pods may reach their control plane under the NetworkPolicy; unmeshed ones may not', () => {
    const egress = (mesh: 'none' | 'istio' | 'linkerd') => find(app({ mesh, networkPolicy: { ingressFrom: ['cluster'] } }), 'NetworkPolicy').spec.egress;
    expect(egress('none')).toBeUndefined();
    expect(egress('linkerd')).toEqual([{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'linkerd' } } }], ports: [8080, 8086, 8090].map((port) => ({ port, protocol: 'TCP' })) }]);
    expect(egress('istio')).toEqual([{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } } }], ports: [{ port: 15012, protocol: 'TCP' }] }]);
  });

  test('init containers share the pod volumes; a ServiceAccount without a mounted token', () => {
    const objects = app({
      serviceAccount: true,
      volumes: [{ name: 'app', emptyDir: {} }],
      initContainers: [{ name: 'fetch', image: 'alpine:3.20', command: ['true'], resources: webContainer.resources, mounts: [{ volume: 'app', mountPath: '/app' }] }],
      container: { ...baseContainer, mounts: [{ volume: 'app', mountPath: '/app', readOnly: true }] },
    });
    const pod = find(objects, 'Deployment').spec.template.spec;
    expect(pod.serviceAccountName).toBe('web');
    expect(find(objects, 'ServiceAccount', 'web').automountServiceAccountToken).toBe(false);
    expect(pod.initContainers[0].volumeMounts).toContainEqual({ name: 'app', mountPath: '/app' });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'app', mountPath: '/app', readOnly: true });
    expect(pod.volumes.map((v: { name: string }) => v.name).sort()).toEqual(['app', 'tmp']);
  });

  test('required anti-affinity, required zone spread, Recreate, startup probe', () => {
    const d = find(app({ hostnameSpread: 'required', zoneSpread: 'required', strategy: { type: 'Recreate' }, container: { ...baseContainer, startup: { http: '/healthz', port: 'http', failureThreshold: 30 } } }), 'Deployment');
    expect(d.spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toHaveLength(1);
    expect(d.spec.template.spec.topologySpreadConstraints[0].whenUnsatisfiable).toBe('DoNotSchedule');
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    expect(d.spec.template.spec.containers[0].startupProbe.failureThreshold).toBe(30);
  });

  test('scheduling passthrough merges with the placement', () => {
    const d = find(
      app({
        scheduling: {
          nodeSelector: { 'workload-class': 'general' },
          tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }],
          affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, preference: { matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }] } }] } },
        },
      }),
      'Deployment',
    );
    const pod = d.spec.template.spec;
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', 'workload-class': 'general' });
    expect(pod.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }]);
    expect(pod.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight).toBe(50);
    expect(pod.affinity.podAntiAffinity).toBeDefined();
  });

  test('a tag with a digest is a pinned reference', () => {
    const image = 'nginx:1.27.3@sha256:0000000000000000000000000000000000000000000000000000000000000000';
    expect(find(app({ container: { ...baseContainer, image } }), 'Deployment').spec.template.spec.containers[0].image).toBe(image);
  });

  test('declared image needs: root, capabilities, writable paths', () => {
    const c = find(app({ container: { ...baseContainer, runtime: { runsAsRoot: true, capabilities: ['NET_BIND_SERVICE'], writablePaths: ['/var/cache/nginx'] } } }), 'Deployment').spec.template.spec.containers[0];
    expect(c.securityContext.runAsNonRoot).toBe(false);
    expect(c.securityContext.capabilities.add).toEqual(['NET_BIND_SERVICE']);
    expect(c.volumeMounts).toEqual([{ name: 'var-cache-nginx', mountPath: '/var/cache/nginx' }]);
  });

  test('Windows placement: windows nodeSelector, build, toleration, RuntimeClass, no Linux-only security fields', () => {
    const objects = synthObjects((chart) => {
      const cluster = testCluster(chart);
      new HaWebApp(chart, 'win', {
        namespace: 'shop',
        name: 'win',
        placement: cluster.place('test/win', { os: 'windows', arch: 'amd64', windowsBuild: '10.0.17763' }),
        container: { ...baseContainer, image: 'sixeyed/petshop-web:1809' },
        service: { ports: [{ name: 'http', port: 80 }] },
      });
    });
    const pod = find(objects, 'Deployment').spec.template.spec;
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'windows', 'kubernetes.io/arch': 'amd64', 'node.kubernetes.io/windows-build': '10.0.17763' });
    expect(pod.tolerations).toEqual([{ key: 'os', operator: 'Equal', value: 'windows', effect: 'NoSchedule' }]);
    expect(pod.runtimeClassName).toBe('windows-10.0.17763');
    expect(pod.securityContext).toBeUndefined();
    expect(pod.containers[0].securityContext).toBeUndefined();
  });
});

describe('refusals name the construct path, the field and the fix', () => {
  const cases: [string, Overrides, RegExp][] = [
    ['one replica without nonHa', { replicas: 1 }, /test\/web: replicas: 1 replicas is not highly available\. Fix: use at least 2 replicas, or set nonHa: true/],
    ['maxSurge = maxUnavailable = 0', { strategy: { type: 'RollingUpdate', maxSurge: 0, maxUnavailable: 0 } }, /test\/web: strategy: maxSurge and maxUnavailable are both 0.*Fix: set maxSurge: 1/],
    ['required anti-affinity above the eligible nodes', { hostnameSpread: 'required', replicas: 7 }, /test\/web: replicas: 7 pods with required hostname anti-affinity can never all schedule on the 6 node/],
    ['surge pod with no free node', { hostnameSpread: 'required', replicas: 6 }, /test\/web: strategy\.maxSurge: .*the surge pod has no free node.*Fix: use maxSurge: 0 and maxUnavailable: 1/],
    ['HPA maximum above the eligible nodes with required anti-affinity', { hostnameSpread: 'required', autoscaling: { minReplicas: 2, maxReplicas: 9, cpuUtilization: 60 } }, /test\/web: autoscaling\.maxReplicas: 9 pods/],
    ['PDB that blocks every drain', { disruptionBudget: { minAvailable: 2 } }, /test\/web: disruptionBudget\.minAvailable: 2 of 2 pods must stay up.*Fix: use maxUnavailable: 1/],
    ['PDB maxUnavailable 0', { disruptionBudget: { maxUnavailable: 0 } }, /disruptionBudget\.maxUnavailable: 0 blocks every voluntary eviction/],
    ['replicas together with HPA', { replicas: 3, autoscaling: { minReplicas: 2, maxReplicas: 4, cpuUtilization: 60 } }, /test\/web: replicas: .*the HPA owns the replica count/],
    ['probe on a port the container does not expose', { container: { ...baseContainer, readiness: { http: '/', port: 'admin' } } }, /test\/web: readiness\.port: probe port "admin" is not a port the container exposes \(http\)/],
    ['liveness identical to readiness', { container: { ...baseContainer, liveness: baseContainer.readiness } }, /test\/web: liveness: liveness is identical to readiness/],
    ['latest tag', { container: { ...baseContainer, image: 'nginx:latest' } }, /test\/web: image: image "nginx:latest" uses the moving "latest" tag/],
    ['untagged image', { container: { ...baseContainer, image: 'nginx' } }, /test\/web: image: image "nginx" is not a pinned reference/],
    ['NodePort without a nodePort', { service: { type: 'NodePort', ports: [{ name: 'http', port: 80 }] } }, /test\/web: service\.ports\[http\]\.nodePort: a NodePort Service needs an explicit nodePort/],
    ['nodePort outside the range', { service: { type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: 8080 }] } }, /nodePort 8080 is outside 30000-32767/],
    ['nodePort on a ClusterIP Service', { service: { ports: [{ name: 'http', port: 80, nodePort: 30001 }] } }, /a ClusterIP Service does not take a fixed nodePort/],
    ['Service targeting an unknown port', { service: { ports: [{ name: 'web', port: 80 }] } }, /service\.ports\[web\]\.targetPort: "web" is not a container port name \(http\)/],
    ['HPA below 2', { autoscaling: { minReplicas: 1, maxReplicas: 3, cpuUtilization: 50 } }, /autoscaling\.minReplicas: 1 is below 2/],
    ['node affinity weight above 100', { scheduling: { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 150, preference: {} }] } } } }, /weight 150 is outside 1-100/],
    ['nodeSelector contradicting the platform', { scheduling: { nodeSelector: { 'kubernetes.io/os': 'windows' } } }, /scheduling\.nodeSelector\["kubernetes\.io\/os"\]: "windows" contradicts the platform placement "linux"/],
    ['invalid port name', { container: { ...baseContainer, ports: [{ name: 'HTTP_PORT', containerPort: 80 }], readiness: { tcp: true, port: 'HTTP_PORT' }, liveness: { tcp: true, port: 'HTTP_PORT', failureThreshold: 6 } }, service: { ports: [{ name: 'x', port: 80, targetPort: 'HTTP_PORT' }] } }, /port name "HTTP_PORT" is not a valid IANA service name/],
    ['no readiness probe on a serving container', { container: { ...baseContainer, readiness: undefined } }, /test\/web: readiness: container "web" serves ports but has no readiness probe/],
    ['no liveness probe', { container: { ...baseContainer, liveness: undefined } }, /test\/web: liveness: container "web" has no liveness probe/],
    ['labels overriding a selector label', { labels: { app: 'other' } }, /test\/web: labels\["app"\]: "other" overrides the selector label app=web.*Fix: drop app from labels/],
    ['a request above its limit', { container: { ...baseContainer, resources: { requests: { cpu: '1', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } } } }, /test\/web: resources\.requests\.cpu: request 1 exceeds limit 500m/],
    ['a malformed quantity', { container: { ...baseContainer, resources: { requests: { cpu: '100m', memory: '64MB' }, limits: { cpu: '500m', memory: '128Mi' } } } }, /test\/web: resources\.requests\.memory: "64MB" is not a positive memory quantity/],
    ['Istio route to an unknown port', { mesh: 'istio', istio: { hosts: ['a.example.com'], port: 'grpc' } }, /istio\.port: "grpc" is not a Service port name/],
    ['Istio routing without the Istio mesh', { mesh: 'linkerd', istio: { hosts: ['*'] } }, /test\/web: istio: an Istio Gateway and VirtualService are set but the pods' mesh is "linkerd"/],
    ['the Linkerd inject LABEL (the cookbook\'s defect)', { labels: { 'linkerd.io/inject': 'enabled' } }, /labels\["linkerd\.io\/inject"\]: Linkerd reads linkerd\.io\/inject as an ANNOTATION/],
    ['a literal credential', { container: { ...baseContainer, env: [{ name: 'MYSQL_ROOT_PASSWORD', value: 'k8sDem0' }] } }, /test\/web: env\[MYSQL_ROOT_PASSWORD\]: MYSQL_ROOT_PASSWORD carries a literal value.*secretKeyRef/],
    ['imagePullPolicy Never where images are pulled', { container: { ...baseContainer, imagePullPolicy: 'Never' } }, /test\/web: imagePullPolicy: "Never" runs only an image already loaded into the node/],
    ['a mount of an undeclared volume', { container: { ...baseContainer, mounts: [{ volume: 'data', mountPath: '/data' }] } }, /mounts\[data\]: container "web" mounts "data", which is not a volume of the pod/],
  ];
  test.each(cases)('%s', (_name, overrides, message) => {
    expect(() => app(overrides)).toThrow(message);
  });

  test('a nodePort used twice in one environment', () => {
    expect(() =>
      synthObjects((chart) => {
        const cluster = testCluster(chart);
        for (const id of ['a', 'b']) {
          new HaWebApp(chart, id, {
            namespace: 'shop',
            name: id,
            placement: cluster.place(id, { os: 'linux' }),
            container: baseContainer,
            service: { type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: 30500 }] },
          });
        }
      }),
    ).toThrow(/test\/b: service\.ports\[http\]\.nodePort: nodePort 30500 is already used by test\/a/);
  });

  test('a platform no pool can run (tainted pools included)', () => {
    const gpuOnly = [{ name: 'gpu', os: 'linux' as const, arch: 'amd64' as const, min: 2, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' as const }] }];
    expect(() => app({}, gpuOnly)).toThrow(/test\/web: platform: no node pool of environment "test" can run linux\/\*: pools are gpu \(linux\/amd64, taints dedicated=gpu:NoSchedule\)/);
  });
});
