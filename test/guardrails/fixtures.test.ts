import { join } from 'node:path';
import { loadYamlFile, manifestFiles } from '../../guardrails/load';
import { auditManifests, formatFinding } from '../../guardrails/validate';

const FIXTURES = 'test/fixtures/validate';

function validateFixture(name: string): string[] {
  const docs = manifestFiles(join(FIXTURES, name)).flatMap(loadYamlFile);
  // The errors only: these fixtures predate the hardening rules (warnings), which test/fixtures/rules covers.
  return auditManifests(docs).findings.filter((f) => f.severity === 'error').map((f) => formatFinding({ ...f, field: undefined, line: undefined }));
}

const FIX_DRAIN = 'no pod may ever be evicted, so every node drain blocks; use maxUnavailable: 1 (or minAvailable below the replica count)';
const FIX_SECRET = 'create the Secret out of band (Pulumi secret or kubectl create secret) and keep only references in manifests';
const FIX_OS = 'pod template has no OS constraint; set nodeSelector kubernetes.io/os: linux|windows (or a required node affinity on kubernetes.io/os)';

/** Each fixture breaks exactly one rule; these are all the findings it must produce, in order. */
const EXPECTED: Record<string, string[]> = {
  schema: ['Deployment/web/web: must be an integer; fix the field as the API reference describes it [schema]'],
  'removed-api': [
    'PodDisruptionBudget/web/web: uses policy/v1beta1, removed in Kubernetes 1.25; use policy/v1 [removed-api]',
    'HorizontalPodAutoscaler/web/web: uses autoscaling/v2beta2, removed in Kubernetes 1.26; use autoscaling/v2 [removed-api]',
  ],
  'image-tag': [
    'Deployment/web/web: container "web" uses image "nginx:latest"; pin a version tag [image-tag]',
    'Deployment/web/web: init container "migrate" uses image "busybox" without a tag (that means :latest); pin a version tag [image-tag]',
  ],
  resources: ['Deployment/web/web: container "web" lacks resources.requests.memory, resources.limits.cpu; set CPU and memory requests and limits [resources]'],
  'readiness-probe': [
    'Deployment/web/web: Service/web/web sends traffic to container "web", which has no readinessProbe; add one so traffic and rollouts wait until it is ready [readiness-probe]',
  ],
  'selector-matches-no-pod': [
    'Service/web/web: selector app=webb matches no pod template in namespace "web"; fix the selector or the pod labels [selector-matches-no-pod]',
    'PodDisruptionBudget/web/web: selector app in (api) matches no pod template in namespace "web"; fix the selector or the pod labels [selector-matches-no-pod]',
  ],
  'deployment-selector': [
    'Deployment/web/web: spec.selector app=web,tier=front does not match the template labels app=web; make the template carry every selected label [deployment-selector]',
    'DaemonSet/web/log-shipper: spec.selector app=log-shipper,tier in (node) does not match the template labels app=log-shipper,tier=infra; make the template carry every selected label [deployment-selector]',
  ],
  'node-port': [
    'Service/web/web-b: nodePort 30080 is already used by Service/web/web-a (test/fixtures/validate/node-port/web.yaml); pick a free port in 30000–32767 [node-port]',
    'Service/web/web-c: nodePort 8080 is outside 30000–32767; pick a port in that range [node-port]',
  ],
  'secret-literal-data': [
    `Secret/web/db: carries literal values (data.password); ${FIX_SECRET} [secret-literal-data]`,
    `Secret/web/conn: carries literal values (stringData.connectionStrings.config); ${FIX_SECRET} [secret-literal-data]`,
  ],
  'os-constraint': [`Deployment/web/web: ${FIX_OS} [os-constraint]`, `Deployment/web/api: ${FIX_OS} [os-constraint]`],
  'host-access': [
    'Deployment/web/web: uses hostNetwork, hostPath volume "docker" (/var/run/docker.sock), container "web" privileged; apps must not touch the host; remove it (a real node agent is a DaemonSet annotated guardrails.k8s-book-systems.io/node-agent: "<reason>") [host-access]',
    'DaemonSet/web/agent: uses hostIPC, which even node agents may not; remove it [host-access]',
  ],
  'pdb-unsatisfiable': [
    `PodDisruptionBudget/web/web-min: minAvailable 2 >= 2 replica(s) of Deployment/web/web: ${FIX_DRAIN} [pdb-unsatisfiable]`,
    `PodDisruptionBudget/web/web-zero: maxUnavailable "0%": ${FIX_DRAIN} [pdb-unsatisfiable]`,
    `PodDisruptionBudget/web/web-all: minAvailable "100%": ${FIX_DRAIN} [pdb-unsatisfiable]`,
    `PodDisruptionBudget/web/api: minAvailable 2 >= 2 replica(s) of Deployment/web/api: ${FIX_DRAIN} [pdb-unsatisfiable]`,
  ],
  'hpa-cpu-requests': [
    'HorizontalPodAutoscaler/web/web: scales Deployment/web/web on CPU utilization but container(s) "web" set no CPU request; add resources.requests.cpu to Deployment/web/web [hpa-cpu-requests]',
  ],
  exception: [
    'Deployment/web/api: waiver "readiness-probe" is not of the form "<rule-id>: <reason>"; write the rule id, a colon and the reason [exception]',
    'Deployment/web/api: waiver for image-tag silences nothing; remove it [exception]',
    'Deployment/web/api: rule schema cannot be waived; fix the object [exception]',
    'Deployment/web/api: waiver names unknown rule "no-such-rule"; use a rule id from `npm run validate -- --list-rules` [exception]',
    'Deployment/web/tool: guardrails.k8s-book-systems.io/node-agent only applies to DaemonSets (one pod per node); remove it and drop the host access instead [exception]',
    'DaemonSet/web/agent: guardrails.k8s-book-systems.io/node-agent has no reason saying why this agent needs the host; write one [exception]',
  ],
};

describe('validate fixtures', () => {
  it('finds nothing in the clean fixture (CRDs skipped, node agent excepted, List expanded)', () => {
    expect(validateFixture('clean')).toEqual([]);
  });

  it.each(Object.keys(EXPECTED))('%s fixture breaks exactly that rule', (rule) => {
    const prefix = `${FIXTURES}/${rule}/${rule === 'secret-literal-data' ? 'secrets' : 'web'}.yaml: `;
    const findings = validateFixture(rule);
    expect(findings).toEqual(EXPECTED[rule].map((line) => prefix + line));
    expect(findings.every((line) => line.includes(`[${rule}]`))).toBe(true);
  });

  it('reports the exceptions used, with their reasons', () => {
    const docs = [...manifestFiles(join(FIXTURES, 'clean')), ...manifestFiles(join(FIXTURES, 'exception'))].flatMap(loadYamlFile);
    expect(auditManifests(docs).exceptions).toEqual([
      {
        file: `${FIXTURES}/clean/monitoring/node-exporter.yml`,
        object: 'DaemonSet/monitoring/node-exporter',
        rule: 'host-access',
        reason: "reads the host's /proc and /sys and serves node metrics on each node's IP",
        detail: 'node agent using hostNetwork, hostPID, hostPath volume "proc" (/proc), hostPath volume "sys" (/sys), container "node-exporter" hostPort 9100',
      },
      {
        file: `${FIXTURES}/exception/web.yaml`,
        object: 'Deployment/web/legacy',
        rule: 'resources',
        reason: 'requests and limits come from the namespace LimitRange',
        detail: 'waived',
      },
    ]);
  });
});
