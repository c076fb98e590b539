import { Environment } from '../environments';
import { dev } from '../environments/dev';
import { edge } from '../environments/edge';
import { prod } from '../environments/prod';
import { checkEnvironment, Layers } from '../cross-layer/checks';
import { readManifests } from '../guardrails/manifest';
import { checkPolicyEnforcement, cniOf } from '../cross-layer/policy-enforcement';
import { renderEnvironment } from '../synth/render';

type Files = NonNullable<Layers['files']>;
type Obj = Record<string, any>;

const rendered = { dev: renderEnvironment(dev), prod: renderEnvironment(prod), edge: renderEnvironment(edge) };

function manifestsOf(env: Environment, files: Files) {
  return readManifests(files.flatMap((f) => f.objects.map((object) => ({ file: `dist/${env.name}/${f.name}`, object })))).manifests;
}

/** The policy-enforcement findings of `env` for `files`, as `severity object: problem`. */
function findings(env: Environment, files: Files): string[] {
  return checkPolicyEnforcement(env, manifestsOf(env, files)).map((f) => `${f.severity} ${f.object ?? f.file}: ${f.problem}`);
}

/** A deep copy of `files` with `edit` applied, and `extra` objects appended to the first file. */
function edited(files: Files, edit: (objects: Obj[]) => void, extra: Obj[] = []): Files {
  const copy = JSON.parse(JSON.stringify(files)) as { name: string; objects: Obj[] }[];
  edit(copy.flatMap((f) => f.objects));
  copy[copy.length - 1].objects.push(...extra);
  return copy;
}

const deployment = (namespace: string, name: string, port: number): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { os: { name: 'linux' }, containers: [{ name, image: `${name}:1`, ports: [{ name: 'http', containerPort: port }] }] } },
  },
});
const service = (namespace: string, name: string): Obj => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace },
  spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
});

describe('policy-enforcement', () => {
  test('the committed environments: NetworkPolicies enforced, system traffic flows; Windows pods are reported as unenforced', () => {
    expect(findings(dev, rendered.dev.files)).toEqual([]);
    expect(findings(edge, rendered.edge.files)).toEqual([]);
    const prodFindings = checkPolicyEnforcement(prod, manifestsOf(prod, rendered.prod.files));
    expect(prodFindings.map((f) => `${f.severity} ${f.object}`)).toEqual([
      'warning Deployment/numbers/numbers-api',
      'warning Deployment/petshop/petshop-db',
      'warning Deployment/petshop/petshop-web',
      'warning Deployment/petshop/petshop-webservice',
    ]);
    expect(checkEnvironment(dev, { files: rendered.dev.files }).filter((f) => f.rule === 'policy-enforcement')).toEqual([]);
  });

  test('the CNI comes from the model: flannel with its netpol sidecar on kubeadm, Calico on MicroK8s', () => {
    expect(cniOf(dev, manifestsOf(dev, rendered.dev.files))).toMatchObject({ name: 'flannel with kube-network-policies', enforces: true, enforcesOnWindows: false });
    expect(cniOf(edge, manifestsOf(edge, rendered.edge.files))).toMatchObject({ name: 'Calico (MicroK8s)', enforces: true });
  });

  test('defect 2: plain flannel (no kube-network-policies sidecar) under declared NetworkPolicies is refused', () => {
    const plain = edited(rendered.dev.files, (objects) => {
      const ds = objects.find((o) => o.kind === 'DaemonSet' && o.metadata.name === 'kube-flannel-ds')!;
      ds.spec.template.spec.containers = ds.spec.template.spec.containers.filter((c: Obj) => c.name !== 'kube-network-policies');
    });
    const found = checkEnvironment(dev, { files: plain }).filter((f) => f.rule === 'policy-enforcement');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'error', file: 'environments/dev.ts', field: 'provider' });
    expect(found[0].problem).toMatch(/^declares \d+ NetworkPolicies \(default deny included\), but its pod network \(flannel\) enforces none of them/);
  });

  test('a new app with no allow rule under the default deny is dead on arrival, and refused', () => {
    const files = edited(rendered.dev.files, () => undefined, [deployment('batch', 'newapp', 8080), service('batch', 'newapp')]);
    expect(findings(dev, files)).toEqual([
      'error Deployment/batch/newapp: Service/batch/newapp sends port 80 to these pods (8080/TCP), but namespace batch denies all ingress and no NetworkPolicy admits anyone there: the Service is dead',
    ]);
  });

  test('DNS: a namespace whose allow-dns policy is gone resolves nothing', () => {
    const files = edited(rendered.dev.files, (objects) => {
      const dns = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'allow-dns' && o.metadata.namespace === 'apod')!;
      dns.spec.egress[0].ports = [{ port: 53, protocol: 'UDP' }];
    });
    const found = findings(dev, files);
    expect(found).toHaveLength(3);
    expect(found.every((f) => /^error Deployment\/apod\/apod-(api|log|web): its egress is denied, and no NetworkPolicy lets it reach the cluster DNS .* on 53\/TCP/.test(f))).toBe(true);
  });

  test('the API server must reach webhooks and aggregated APIs, and metrics-server the kubelets', () => {
    const denyKubeSystem = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace: 'kube-system' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } };
    const found = findings(dev, edited(rendered.dev.files, () => undefined, [denyKubeSystem]));
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^error Deployment\/kube-system\/metrics-server: the API server calls it for APIService\/v1beta1.metrics.k8s.io on 10250\/TCP from the control planes/),
        'error Deployment/kube-system/metrics-server: metrics-server must reach every kubelet on 10250/TCP, but its egress is denied towards the node network: HPAs and kubectl top go blind',
        expect.stringMatching(/^error Deployment\/kube-system\/metrics-server: its egress is denied, and no NetworkPolicy lets it reach the cluster DNS/),
      ]),
    );
  });

  test('Prometheus must be able to scrape the exporters it is pointed at', () => {
    const exporter = { ...deployment('batch', 'exporter', 9090), spec: { ...deployment('batch', 'exporter', 9090).spec } };
    const scraped = { ...service('batch', 'exporter'), metadata: { name: 'exporter', namespace: 'batch', annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9090' } } };
    const prometheus = deployment('batch', 'prometheus', 9091);
    const allowToExporter = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'exporter', namespace: 'batch' }, spec: { podSelector: { matchLabels: { app: 'exporter' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'nobody' } } }], ports: [{ port: 9090 }] }] } };
    const found = findings(dev, edited(rendered.dev.files, () => undefined, [exporter, scraped, prometheus, allowToExporter]));
    expect(found).toContain('error Deployment/batch/exporter: Prometheus (Deployment/batch/prometheus) cannot scrape Service/batch/exporter on 9090: the target denies its ingress');
  });

  test("a meshed pod whose egress to the mesh's control plane is denied never becomes ready", () => {
    const files = edited(rendered.dev.files, (objects) => {
      for (const p of objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'emojivoto' && o.spec.egress)) {
        p.spec.egress = p.spec.egress.filter((rule: Obj) => !JSON.stringify(rule.to ?? []).includes('linkerd'));
      }
    });
    const found = findings(dev, files).filter((f) => f.includes('linkerd proxy'));
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((f) => /^error Deployment\/emojivoto\/\S+: its linkerd proxy must reach linkerd-identity on 8080\/TCP, linkerd-destination on 8086\/TCP, linkerd-policy on 8090\/TCP, but its egress is denied there/.test(f))).toBe(true);
  });

  test('kubelet probes: a CNI that filters node-local traffic needs the nodes admitted on each probed port', () => {
    const strict = { name: 'a strict CNI', enforces: true, enforcesOnWindows: true, allowsLocalNode: false };
    const found = checkPolicyEnforcement(dev, manifestsOf(dev, rendered.dev.files), strict).filter((f) => /kubelet probes/.test(f.problem));
    expect(found.length).toBeGreaterThan(0);
    expect(found.map((f) => f.object)).toContain('Deployment/apod/apod-api');
    expect(found[0].problem).toMatch(/^the kubelet probes port \S+ from the node, but a strict CNI filters node traffic and no NetworkPolicy admits the nodes/);
    // Admitting the node network on the probed ports clears them.
    const admitNodes = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'nodes', namespace: 'apod' }, spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/16' } }] }] } };
    const admitted = checkPolicyEnforcement(dev, manifestsOf(dev, edited(rendered.dev.files, () => undefined, [admitNodes])), strict).filter((f) => /kubelet probes/.test(f.problem));
    expect(admitted.map((f) => f.object)).not.toContain('Deployment/apod/apod-api');
  });
});
