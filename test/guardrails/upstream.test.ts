import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadYamlFile } from '../../guardrails/load';
import { RULES } from '../../guardrails/rules';
import { auditManifests } from '../../guardrails/validate';

/**
 * kube-linter's and kube-score's own documented examples (their test fixtures, vendored with their
 * licenses under test/fixtures/upstream), run through the rules that name them as equivalents.
 */
const UPSTREAM = 'test/fixtures/upstream';

function findingsOf(file: string, equivalent: (r: (typeof RULES)[number]) => boolean) {
  const rules = RULES.filter(equivalent).map((r) => r.id);
  return auditManifests(loadYamlFile(file), { includeOnly: rules, requireOsConstraint: false }).findings.filter((f) => rules.includes(f.rule));
}

describe("kube-linter's examples (tests/checks/<check>.yml, enabled-by-default checks)", () => {
  const dir = join(UPSTREAM, 'kube-linter');
  const reports: Record<string, number> = JSON.parse(readFileSync(join(dir, 'expected-counts.json'), 'utf8'));
  /** Where our finding count differs from kube-linter's report count, and why. */
  const DIFFERS: Record<string, { ours: number; why: string }> = {
    'docker-sock': { ours: 4, why: 'host-access refuses every hostPath of an app (thing.sock too), and pod-security (baseline) refuses hostPath as well' },
    'drop-net-raw-capability': { ours: 2, why: 'one finding per container; kube-linter reports the ADD and the DROP list separately' },
    'invalid-target-ports': { ours: 8, why: 'port-names also applies the API server’s other port rules (names required with several ports, duplicates)' },
    'pdb-max-unavailable': { ours: 1, why: 'its bats test checks a message, not a count' },
  };

  const checks = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
  it('has a fixture for each of the 31 checks enabled by default, each mapped to a rule', () => {
    expect(checks).toHaveLength(31);
    for (const file of checks) {
      const check = file.replace(/\.ya?ml$/, '');
      expect([check, RULES.some((r) => r.equivalents.kubeLinter.includes(check))]).toEqual([check, true]);
    }
  });

  it.each(checks)('%s', (file) => {
    const check = file.replace(/\.ya?ml$/, '');
    const findings = findingsOf(join(dir, file), (r) => r.equivalents.kubeLinter.includes(check));
    expect(findings.length).toBe(DIFFERS[check]?.ours ?? reports[check]);
    expect(findings.every((f) => (f.object ?? '').split('/').pop()?.startsWith('dont-fire'))).toBe(false);
  });
});

describe("kube-score's examples (score/testdata, graded by its own tests)", () => {
  const dir = join(UPSTREAM, 'kube-score');
  const cases: { file: string; check: string; grade: string }[] = JSON.parse(readFileSync(join(dir, 'expected-grades.json'), 'utf8'));
  /** kube-score's check names as its tests spell them → ids. */
  const ID: Record<string, string> = {
    'Container Ephemeral Storage Request and Limit': 'container-ephemeral-storage-request-and-limit',
    'Container Image Pull Policy': 'container-image-pull-policy',
    'Container Image Tag': 'container-image-tag',
    'Container Resources': 'container-resources',
    'Deployment Replicas': 'deployment-replicas',
    'Deployment Strategy': 'deployment-strategy',
    'Deployment has PodDisruptionBudget': 'deployment-has-poddisruptionbudget',
    'Deployment has host PodAntiAffinity': 'deployment-has-host-podantiaffinity',
    'Deployment targeted by HPA does not have replicas configured': 'deployment-targeted-by-hpa-does-not-have-replicas-configured',
    'HorizontalPodAutoscaler Replicas': 'horizontalpodautoscaler-replicas',
    'HorizontalPodAutoscaler has target': 'horizontalpodautoscaler-has-target',
    'Ingress targets Service': 'ingress-targets-service',
    'NetworkPolicy targets Pod': 'networkpolicy-targets-pod',
    'Pod NetworkPolicy': 'pod-networkpolicy',
    'Pod Probes': 'pod-probes',
    'Pod Probes Identical': 'pod-probes-identical',
    'Pod Topology Spread Constraints': 'pod-topology-spread-constraints',
    'PodDisruptionBudget has policy': 'poddisruptionbudget-has-policy',
    'Service Targets Pod': 'service-targets-pod',
    'Service Type': 'service-type',
    'Stable version': 'stable-version',
    'StatefulSet Pod Selector labels match template metadata labels': 'statefulset-pod-selector-labels-match-template-metadata-labels',
    'StatefulSet has PodDisruptionBudget': 'statefulset-has-poddisruptionbudget',
    'StatefulSet has ServiceName': 'statefulset-has-servicename',
    'StatefulSet has host PodAntiAffinity': 'statefulset-has-host-podantiaffinity',
  };
  /** Cases where we deliberately judge otherwise (the rule's `differs` says why). */
  const DIFFERS: Record<string, string> = {
    'cronjob-batchv1beta1.yaml': 'batch/v1beta1 is removed since 1.25: removed-api refuses what kube-score grades OK',
    'deployment-poddisruptionbudget-v1-different-namespace.yaml': 'pdb-missing exempts single-replica workloads',
    'deployment-poddisruptionbudget-v1-no-match.yaml': 'pdb-missing exempts single-replica workloads',
    'deployment-poddisruptionbudget-v1beta1-expression-no-match.yaml': 'pdb-missing exempts single-replica workloads',
    'deployment-poddisruptionbudget-v1beta1-no-match.yaml': 'pdb-missing exempts single-replica workloads',
    'statefulset-poddisruptionbudget-v1beta1-expression-no-match.yaml': 'pdb-missing exempts single-replica workloads',
    'statefulset-poddisruptionbudget-v1beta1-no-match.yaml': 'pdb-missing exempts single-replica workloads',
    'statefulset-host-antiaffinity-undefined-replicas.yaml': 'anti-affinity applies from 2 replicas (kube-linter’s minReplicas), and unset means 1',
    'ingress_issue363.yaml': 'v1beta1 backend fields in a v1 Ingress: ingress-backend reads both shapes, the schema rule refuses the unknown fields',
    'pod-image-pullpolicy-never.yaml': 'the image is pinned, so image-tag has nothing to say about the pull policy (see its differs)',
    'pod-image-pullpolicy-undefined.yaml': 'the image is pinned, so image-tag has nothing to say about the pull policy (see its differs)',
    'pod-image-pullpolicy-undefined-latest-tag.yaml': 'a floating tag: image-tag refuses it (kube-score passes the pull policy, which defaults to Always for :latest)',
    'pod-image-pullpolicy-undefined-no-tag.yaml': 'no tag: image-tag refuses it (kube-score passes the pull policy, which defaults to Always then)',
    'service-type-nodeport.yaml': 'NodePorts are allowed; node-port checks their range and reuse (see its differs)',
  };

  it('maps every check its tests grade to a rule', () => {
    const unmapped = [...new Set(cases.map((c) => ID[c.check]))].filter((id) => !RULES.some((r) => r.equivalents.kubeScore.includes(id)));
    expect(unmapped).toEqual([]);
  });

  it.each(cases.map((c) => [`${c.file} ${c.check} → ${c.grade}`, c] as const))('%s', (_name, { file, check, grade }) => {
    const findings = findingsOf(join(dir, file), (r) => r.equivalents.kubeScore.includes(ID[check]));
    const flaggedByKubeScore = grade === 'Critical' || grade === 'Warning';
    expect(findings.length > 0).toBe(DIFFERS[file] ? !flaggedByKubeScore : flaggedByKubeScore);
  });

  it("covers kube-score's five critical probe cases (pods behind a Service without readiness)", () => {
    const critical = cases.filter((c) => c.check === 'Pod Probes' && c.grade === 'Critical');
    expect(critical.map((c) => c.file).sort()).toEqual([
      'pod-probes-all-missing.yaml',
      'pod-probes-missing-ready.yaml',
      'pod-probes-targeted-by-service-same-namespace-multi-labels.yaml',
      'pod-probes-targeted-by-service-same-namespace.yaml',
      'pod-probes-targeted-by-service.yaml',
    ]);
    for (const c of critical) expect(findingsOf(join(dir, c.file), (r) => r.id === 'readiness-probe')).not.toEqual([]);
  });
});

describe('coverage of the default checks', () => {
  /** kube-linter docs/generated/checks.md "Enabled by default: Yes" and kube-score README_CHECKS.md "default" (SOURCE files give the commits). */
  const KUBE_LINTER_DEFAULTS = [
    'dangling-service', 'deprecated-service-account-field', 'docker-sock', 'drop-net-raw-capability',
    'duplicate-env-var', 'env-var-secret', 'host-ipc', 'host-network', 'host-pid', 'invalid-target-ports',
    'job-ttl-seconds-after-finished', 'latest-tag', 'liveness-port', 'mismatching-selector', 'no-anti-affinity',
    'no-extensions-v1beta', 'no-read-only-root-fs', 'non-existent-service-account', 'pdb-max-unavailable',
    'pdb-min-available', 'pdb-unhealthy-pod-eviction-policy', 'privilege-escalation-container',
    'privileged-container', 'readiness-port', 'run-as-non-root', 'sensitive-host-mounts', 'ssh-port', 'startup-port',
    'unsafe-sysctls', 'unset-cpu-requirements', 'unset-memory-requirements',
  ];
  const KUBE_SCORE_DEFAULTS = [
    'deployment-strategy', 'deployment-replicas', 'ingress-targets-service', 'cronjob-has-deadline',
    'cronjob-restartpolicy', 'container-resources', 'container-image-tag', 'container-image-pull-policy',
    'container-ephemeral-storage-request-and-limit', 'environment-variable-key-duplication',
    'statefulset-has-poddisruptionbudget', 'deployment-has-poddisruptionbudget', 'poddisruptionbudget-has-policy',
    'pod-networkpolicy', 'networkpolicy-targets-pod', 'pod-probes', 'pod-probes-identical',
    'container-security-context-user-group-id', 'container-security-context-privileged',
    'container-security-context-readonlyrootfilesystem', 'service-targets-pod', 'service-type', 'stable-version',
    'deployment-has-host-podantiaffinity', 'statefulset-has-host-podantiaffinity',
    'deployment-targeted-by-hpa-does-not-have-replicas-configured', 'statefulset-has-servicename',
    'deployment-pod-selector-labels-match-template-metadata-labels',
    'statefulset-pod-selector-labels-match-template-metadata-labels', 'label-values',
    'horizontalpodautoscaler-has-target', 'horizontalpodautoscaler-replicas', 'pod-topology-spread-constraints',
  ];

  it('maps each of the 31 kube-linter and 33 kube-score default checks to a rule', () => {
    expect([KUBE_LINTER_DEFAULTS.length, KUBE_SCORE_DEFAULTS.length]).toEqual([31, 33]);
    expect(KUBE_LINTER_DEFAULTS.filter((c) => !RULES.some((r) => r.equivalents.kubeLinter.includes(c)))).toEqual([]);
    expect(KUBE_SCORE_DEFAULTS.filter((c) => !RULES.some((r) => r.equivalents.kubeScore.includes(c)))).toEqual([]);
  });
});
