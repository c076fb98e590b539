/**
 * Contender "cdk8s-plus-27": the same four objects per app written with plain cdk8s-plus-27 (L2
 * Deployment + exposeViaService, L1 KubePodDisruptionBudget and KubeHorizontalPodAutoscalerV2),
 * what cdk8s-plus cannot express added through its escape hatch (JSON patches), and
 * `app.synth()` into OUTDIR/apps.k8s.yaml.
 *   node --import tsx bench/cdk8s-plus.ts N OUTDIR
 */
import { ApiObject, App, Chart, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { IntOrString, KubeHorizontalPodAutoscalerV2, KubePodDisruptionBudget } from 'cdk8s-plus-27/lib/imports/k8s';
import { appName, AUTOSCALING, NAMESPACE, parseArgs, reportRssOnExit } from './spec';

reportRssOnExit();
const { n, outDir } = parseArgs();
const app = new App({ outdir: outDir });
const chart = new Chart(app, 'apps', { namespace: NAMESPACE });
for (let i = 0; i < n; i++) {
  const name = appName(i);
  const labels = { app: name, 'app.kubernetes.io/name': name };
  const tmp = kplus.Volume.fromEmptyDir(chart, `${name}-tmp`, 'tmp');
  const deployment = new kplus.Deployment(chart, name, {
    metadata: { name, labels },
    podMetadata: { labels },
    select: false,
    strategy: kplus.DeploymentStrategy.rollingUpdate({ maxSurge: kplus.PercentOrAbsolute.absolute(1), maxUnavailable: kplus.PercentOrAbsolute.absolute(0) }),
    automountServiceAccountToken: false,
    terminationGracePeriod: Duration.seconds(30),
    securityContext: { ensureNonRoot: true },
    containers: [
      {
        name: 'web',
        image: 'registry.example.com/bench/web:1.4.2',
        ports: [{ name: 'http', number: 8080 }],
        resources: {
          cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
          memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
        },
        readiness: kplus.Probe.fromHttpGet('/healthz', { port: 8080, periodSeconds: Duration.seconds(5), timeoutSeconds: Duration.seconds(1), failureThreshold: 3 }),
        liveness: kplus.Probe.fromTcpSocket({ port: 8080, periodSeconds: Duration.seconds(10), timeoutSeconds: Duration.seconds(1), failureThreshold: 6 }),
        securityContext: {
          ensureNonRoot: true,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          // The enum has no ALL (its values are CAP_*); Kubernetes takes the literal.
          capabilities: { drop: ['ALL' as kplus.Capability] },
        },
        volumeMounts: [{ path: '/tmp', volume: tmp }],
      },
    ],
  });
  deployment.select(kplus.LabelSelector.of({ labels: { app: name } }));
  deployment.scheduling.spread({ topology: kplus.Topology.HOSTNAME, weight: 100 });
  ApiObject.of(deployment).addJsonPatch(
    JsonPatch.remove('/spec/replicas'),
    JsonPatch.add('/spec/revisionHistoryLimit', 5),
    JsonPatch.add('/spec/template/spec/os', { name: 'linux' }),
    JsonPatch.add('/spec/template/spec/nodeSelector', { 'kubernetes.io/os': 'linux' }),
    JsonPatch.add('/spec/template/spec/enableServiceLinks', false),
    JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
    JsonPatch.add('/spec/template/spec/topologySpreadConstraints', [
      { labelSelector: { matchLabels: { app: name } }, maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' },
    ]),
  );
  const service = deployment.exposeViaService({ name, serviceType: kplus.ServiceType.CLUSTER_IP, ports: [{ name: 'http', port: 80, targetPort: 8080 }] });
  service.metadata.addLabel('app', name);
  service.metadata.addLabel('app.kubernetes.io/name', name);
  new KubePodDisruptionBudget(chart, `${name}-pdb`, {
    metadata: { name, labels },
    spec: { maxUnavailable: IntOrString.fromNumber(1), selector: { matchLabels: { app: name } } },
  });
  new KubeHorizontalPodAutoscalerV2(chart, `${name}-hpa`, {
    metadata: { name, labels },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.name },
      minReplicas: AUTOSCALING.minReplicas,
      maxReplicas: AUTOSCALING.maxReplicas,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: AUTOSCALING.cpuUtilization } } }],
    },
  });
}
app.synth();
