/**
 * Survivors of the mutation run over guardrails/rules/[a-h]*.ts (reports/mutation/survivors/guardrails-rules-a-h.md):
 * only HorizontalPodAutoscalers are read as HPAs, even when another kind has the same fields.
 */
import { expected, findingsOf, NS, workload } from './hand-built';

const noCpuRequest = { containers: [{ name: 'api', image: 'example/api:1.0.0' }] };
const scaler = (apiVersion: string, kind: string) => ({
  apiVersion,
  kind,
  metadata: { name: 'api', namespace: NS },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, minReplicas: 2, maxReplicas: 5 },
});

describe('hpa-cpu-requests reads HorizontalPodAutoscalers only', () => {
  const R = 'hpa-cpu-requests';

  test('an HPA with no metrics (80% CPU by default) on pods without CPU requests is refused', () => {
    expect(findingsOf(R, [workload('Deployment', 'api', noCpuRequest), scaler('autoscaling/v2', 'HorizontalPodAutoscaler')])).toEqual([
      expected(R, 'error', 'HorizontalPodAutoscaler/apps/api', 'spec.metrics', 'scales Deployment/apps/api on CPU utilization but container(s) "api" set no CPU request', 'add resources.requests.cpu to Deployment/apps/api'),
    ]);
  });

  test('a KEDA ScaledObject with the same scaleTargetRef is not an HPA (KEDA makes its own, on its own triggers)', () => {
    expect(findingsOf(R, [workload('Deployment', 'api', noCpuRequest), scaler('keda.sh/v1alpha1', 'ScaledObject')])).toEqual([]);
  });
});
