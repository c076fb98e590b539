/**
 * the DevOps Cookbook's systems (its chapter7) and the local loop of Kubernetes on AWS, ch. 2, as the environments
 * synthesize them: the book's names, images and ports, the departures, and the refusals.
 */
import { load } from 'js-yaml';
import { Environment } from '../environments';
import { dev } from '../environments/dev';
import { local } from '../environments/local';
import { prod } from '../environments/prod';
import { renderEnvironment } from '../synth/render';
import { istioSchemaErrors } from './util/istio-schema';
import { find, Manifest } from './util/synth';

const objectsOf = (env: Environment, file?: string): Manifest[] =>
  renderEnvironment(env)
    .files.filter((f) => file === undefined || f.name === file)
    .flatMap((f) => f.objects);

const rendered = { dev: objectsOf(dev), prod: objectsOf(prod), local: objectsOf(local) };
const pod = (o: Manifest) => o.spec.template.spec;

describe('todo (cookbook chapter7/charts/node, release my-ch7-app)', () => {
  const objects = rendered.prod;
  const app = find(objects, 'Deployment', 'my-ch7-app-node');

  test('the bitnami node app on 3000 behind a LoadBalancer 80 → 3000, cloning sample-mean before it starts', () => {
    const c = pod(app).containers[0];
    expect(c.image).toMatch(/^bitnamilegacy\/node:/);
    expect(c.ports).toEqual([{ name: 'http', containerPort: 3000, protocol: 'TCP' }]);
    expect(pod(app).initContainers.map((i: Manifest) => i.name)).toEqual(['git-clone-repository', 'npm-install']);
    expect(pod(app).initContainers[0].command[2]).toContain('git clone https://github.com/bitnami/sample-mean.git /app');
    const svc = find(objects, 'Service', 'my-ch7-app-node');
    expect(svc.spec.type).toBe('LoadBalancer');
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
  });

  test('HPA my-ch7-app-autoscaler on my-ch7-app-node at 50% CPU, at least 2 replicas, with a PDB', () => {
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'my-ch7-app-autoscaler');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'my-ch7-app-node' });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.spec.maxReplicas).toBe(5);
    expect(hpa.spec.metrics[0].resource.target).toEqual({ type: 'Utilization', averageUtilization: 50 });
    expect(app.spec.replicas).toBeUndefined();
    expect(pod(app).containers[0].resources.requests.cpu).toBeDefined();
    expect(find(objects, 'PodDisruptionBudget', 'my-ch7-app-node').spec.maxUnavailable).toBe(1);
  });

  test("prod's node affinity from the model: required label, preferred zones with weight 1, MongoDB's zone", () => {
    const affinity = pod(app).affinity;
    expect(affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: 'workload-class', operator: 'In', values: ['general'] }] },
    ]);
    expect(affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution).toEqual([
      { weight: 1, preference: { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['us-east-1a', 'us-east-1b'] }] } },
    ]);
    expect(affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector.matchLabels).toEqual({ app: 'mongodb', release: 'my-ch7-app' });
  });

  test("dev's nodeSelector (the cookbook's todo-dev) lands in the pod spec beside the platform", () => {
    expect(pod(find(rendered.dev, 'Deployment', 'my-ch7-app-node')).nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', 'workload-class': 'general' });
  });

  test('MongoDB is a StatefulSet on its own claim; the password comes from the out-of-band Secret', () => {
    const db = find(objects, 'StatefulSet', 'my-ch7-app-mongodb');
    expect(db.spec.volumeClaimTemplates[0].spec.storageClassName).toBe('gp3');
    const env = pod(db).containers[0].env;
    expect(env.find((e: Manifest) => e.name === 'MONGODB_PASSWORD').valueFrom).toEqual({ secretKeyRef: { name: 'my-ch7-app-mongodb', key: 'mongodb-password' } });
    expect(pod(app).containers[0].env.find((e: Manifest) => e.name === 'DATABASE_HOST').value).toBe('my-ch7-app-mongodb');
  });
});

describe('MinIO (cookbook chapter7/lb and autoheal/minio)', () => {
  test('distributed StatefulSet minio: 4 servers found through the headless Service, one claim each', () => {
    const sts = find(rendered.prod, 'StatefulSet', 'minio');
    expect(sts.spec.replicas).toBe(4);
    expect(sts.spec.serviceName).toBe('minio');
    expect(pod(sts).containers[0].args).toEqual(['server', 'http://minio-{0...3}.minio.minio.svc.cluster.local/data']);
    expect(sts.spec.volumeClaimTemplates.map((t: Manifest) => t.metadata.name)).toEqual(['data']);
    expect(find(rendered.prod, 'Service', 'minio').spec.clusterIP).toBe('None');
    expect(find(rendered.prod, 'Service', 'minio-service').spec).toMatchObject({ type: 'LoadBalancer', ports: [{ port: 9000, targetPort: 'minio' }] });
  });

  test('prod routes through Istio: the namespace LABEL, Gateway minio-gateway, VirtualService minio → 9000', () => {
    expect(find(rendered.prod, 'Namespace', 'minio').metadata.labels['istio-injection']).toBe('enabled');
    expect(find(rendered.prod, 'Gateway', 'minio-gateway').spec.selector).toEqual({ istio: 'ingressgateway' });
    expect(find(rendered.prod, 'VirtualService', 'minio').spec.http[0].route[0].destination).toEqual({ host: 'minio', port: { number: 9000 } });
  });

  test("every environment's Istio objects match the Istio CRD schemas", () => {
    const istio = Object.values(rendered).flatMap((objects) => objects.filter((o) => o.apiVersion.startsWith('networking.istio.io/')));
    expect(istio.length).toBeGreaterThan(0);
    expect(istioSchemaErrors(istio)).toEqual(istio.map(() => ''));
  });
});

describe('emojivoto (cookbook chapter7/linkerd)', () => {
  test('meshed by the linkerd.io/inject ANNOTATION on namespace and pods, never a label', () => {
    const ns = find(rendered.prod, 'Namespace', 'emojivoto');
    expect(ns.metadata.annotations['linkerd.io/inject']).toBe('enabled');
    for (const o of rendered.prod.filter((o) => o.metadata.namespace === 'emojivoto' && o.kind === 'Deployment')) {
      expect(o.spec.template.metadata.annotations['linkerd.io/inject']).toBe('enabled');
      expect(o.spec.template.metadata.labels['linkerd.io/inject']).toBeUndefined();
    }
    const labelled = rendered.prod.filter((o) => o.metadata.labels?.['linkerd.io/inject'] !== undefined || o.spec?.template?.metadata?.labels?.['linkerd.io/inject'] !== undefined);
    expect(labelled).toEqual([]);
  });

  test('web-svc is reached through an Ingress; the book services keep their names and ports', () => {
    const ingress = find(rendered.prod, 'Ingress', 'web');
    expect(ingress.spec.rules[0].http.paths[0].backend.service).toEqual({ name: 'web-svc', port: { name: 'http' } });
    expect(find(rendered.prod, 'Service', 'web-svc').spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
    for (const svc of ['emoji-svc', 'voting-svc']) expect(find(rendered.prod, 'Service', svc).spec.ports[0].port).toBe(8080);
    expect(find(rendered.prod, 'Deployment', 'vote-bot').spec.template.spec.containers[0].command).toEqual(['emojivoto-vote-bot']);
  });
});

describe('percona blue/green (cookbook chapter7/bluegreen)', () => {
  const objects = rendered.dev;

  test('the live Service percona:3306 selects blue; green is restored from snapshot-blue', () => {
    expect(find(objects, 'Service', 'percona').spec.selector).toEqual({ app: 'percona', slot: 'blue' });
    expect(find(objects, 'PersistentVolumeClaim', 'demo-snap-vol-claim').spec.dataSource).toEqual({ apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 'snapshot-blue' });
    expect(find(objects, 'VolumeSnapshot', 'snapshot-blue').spec.source).toEqual({ persistentVolumeClaimName: 'demo-vol1-claim' });
  });

  test('the load generator writes through the live Service with the password from the Secret', () => {
    const job = find(objects, 'Job', 'sql-loadgen');
    const c = pod(job).containers[0];
    expect(c.image).toBe('openebs/tests-mysql-client');
    expect(c.command[2]).toContain('mysql -h percona');
    expect(c.env).toEqual([{ name: 'MYSQL_PWD', valueFrom: { secretKeyRef: { name: 'percona-credentials', key: 'root-password' } } }]);
  });

  test('flipping dev to green changes only the live Service', () => {
    const flipped = objectsOf({ ...dev, workloads: { ...dev.workloads, percona: { ...(dev.workloads.percona as object), active: 'green' } as never } }, 'percona.yaml');
    const before = objectsOf(dev, 'percona.yaml');
    const changed = before.filter((o, i) => JSON.stringify(o) !== JSON.stringify(flipped[i])).map((o) => `${o.kind}/${o.metadata.name}`);
    expect(changed).toEqual(['Service/percona']);
  });
});

describe('hello (Kubernetes on AWS, ch. 2, local only)', () => {
  test('hello:v1, imagePullPolicy Never, NodePort Service hello on 80', () => {
    const d = find(rendered.local, 'Deployment', 'hello');
    expect(pod(d).containers[0]).toMatchObject({ name: 'hello', image: 'hello:v1', imagePullPolicy: 'Never' });
    const svc = find(rendered.local, 'Service', 'hello');
    expect(svc.spec).toMatchObject({ type: 'NodePort', selector: { run: 'hello' }, ports: [{ port: 80, nodePort: 30080 }] });
  });
});

describe('refusals through the environment model', () => {
  const withWorkloads = (env: Environment, workloads: object, cluster: object = {}): Environment =>
    ({ ...env, cluster: { ...env.cluster, ...cluster }, workloads: { ...env.workloads, ...workloads } }) as Environment;

  test('a mesh the environment does not install', () => {
    const minio = { ...(dev.workloads.minio as object), mesh: 'istio', istioHosts: ['*'] };
    expect(() => renderEnvironment(withWorkloads(dev, { minio }))).toThrow(/environments\/dev\.ts: workloads\.minio\.mesh: environment "dev" does not install istio \(installed: linkerd\)/);
  });

  test('imagePullPolicy Never outside local', () => {
    expect(() => renderEnvironment(withWorkloads(dev, { hello: { tag: 'v1', nodePort: 30080 } }))).toThrow(/environments\/dev\.ts: workloads\.hello: "Never" runs only an image already loaded into the node.*\(hello\/hello: imagePullPolicy\)/);
  });

  test('a percona flip to a slot not cloned from the live one', () => {
    const p = dev.workloads.percona as { blue: object; green: { cloneOf?: string } };
    const percona = { ...p, active: 'green', green: { ...p.green, cloneOf: undefined } };
    expect(() => renderEnvironment(withWorkloads(dev, { percona }))).toThrow(/environments\/dev\.ts: workloads\.percona\.active: slot green's claim "demo-snap-vol-claim" is not cloned from a snapshot of slot blue's claim/);
  });

  test('percona where the storage cannot snapshot', () => {
    expect(() => renderEnvironment(withWorkloads(dev, {}, { storage: { className: 'standard' } }))).toThrow(/environments\/dev\.ts: workloads\.percona: environment "dev" names no VolumeSnapshotClass.*\(percona: storage\.snapshotClassName\)/);
  });

  test('a required node affinity no node satisfies', () => {
    const todo = { ...(prod.workloads.todo as object), nodeAffinity: { required: [{ key: 'environment', values: ['production'] }], preferred: [] } };
    expect(() => renderEnvironment(withWorkloads(prod, { todo }))).toThrow(/environments\/prod\.ts: workloads\.todo\.nodeAffinity: no node of environment "prod" carries environment in \[production\].*no pod could ever schedule/);
  });

  test("no literal credential anywhere in dist: the cookbook's minio123 and k8sDem0, or any credential-named env value", () => {
    for (const objects of Object.values(rendered)) {
      const text = JSON.stringify(objects);
      expect(text).not.toMatch(/minio123|k8sDem0|secret_password/);
      const literal = objects.flatMap((o) =>
        JSON.stringify(o).match(/\{"name":"[A-Z_]*(PASSWORD|SECRET|ROOT_USER|ACCESS_KEY|_PWD)[A-Z_]*","value":/g) ?? [],
      );
      expect(literal).toEqual([]);
    }
  });

  test('the YAML says "no" as a string, as kubectl (YAML 1.1) must read it', () => {
    const file = renderEnvironment(prod).files.find((f) => f.name === 'todo.yaml')!;
    expect(file.content).toContain('value: "no"');
    const db = (file.content.split('\n---\n').map((d) => load(d)) as Manifest[]).find((o) => o?.kind === 'StatefulSet');
    expect(db.spec.template.spec.containers[0].env.find((e: Manifest) => e.name === 'MONGODB_ENABLE_IPV6').value).toBe('no');
  });
});

describe('snapshot-capable storage on AWS (MixedArchCluster aws-ebs-csi)', () => {
  const cluster = objectsOf(dev, '01-cluster.yaml');

  test('the three snapshot.storage.k8s.io/v1 CRDs, the snapshot controller, the EBS CSI driver, gp3 and ebs-csi', () => {
    const crds = cluster.filter((o) => o.kind === 'CustomResourceDefinition').map((o) => o.metadata.name);
    expect(crds).toEqual(['volumesnapshotclasses.snapshot.storage.k8s.io', 'volumesnapshotcontents.snapshot.storage.k8s.io', 'volumesnapshots.snapshot.storage.k8s.io']);
    for (const name of crds) expect(find(cluster, 'CustomResourceDefinition', name).spec.versions.find((v: Manifest) => v.storage).name).toBe('v1');
    expect(find(cluster, 'Deployment', 'snapshot-controller').spec.template.spec.containers[0].image).toMatch(/^registry\.k8s\.io\/sig-storage\/snapshot-controller:v/);
    expect(find(cluster, 'CSIDriver', 'ebs.csi.aws.com').spec.attachRequired).toBe(true);
    const gp3 = find(cluster, 'StorageClass', 'gp3');
    expect(gp3).toMatchObject({ provisioner: 'ebs.csi.aws.com', volumeBindingMode: 'WaitForFirstConsumer', parameters: { type: 'gp3', encrypted: 'true' } });
    expect(find(cluster, 'VolumeSnapshotClass', 'ebs-csi')).toMatchObject({ apiVersion: 'snapshot.storage.k8s.io/v1', driver: 'ebs.csi.aws.com' });
    // What percona uses is what the cluster installs.
    const percona = objectsOf(dev, 'percona.yaml');
    expect(find(percona, 'VolumeSnapshot', 'snapshot-blue').spec.volumeSnapshotClassName).toBe('ebs-csi');
    expect(find(percona, 'PersistentVolumeClaim', 'demo-vol1-claim').spec.storageClassName).toBe('gp3');
  });

  test("the controller runs on the control planes' host network, whose role the infra grants AmazonEBSCSIDriverPolicy", () => {
    const controller = find(cluster, 'DaemonSet', 'ebs-csi-controller').spec.template.spec;
    expect(controller.nodeSelector['node-role.kubernetes.io/control-plane']).toBe('');
    expect(controller.hostNetwork).toBe(true);
    const plan = JSON.parse(require('fs').readFileSync(require('path').join(__dirname, '..', 'dist', 'infra', 'dev.plan.json'), 'utf8')) as Manifest[];
    expect(plan.filter((r) => r.inputs?.policyArn === 'arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy').map((r) => r.inputs.role)).toEqual(['hopper-dev-control-plane']);
  });

  test('edge and local keep their own storage: no CSI driver, no snapshot CRDs', () => {
    for (const env of [local]) {
      const kinds = new Set(objectsOf(env, '01-cluster.yaml').map((o) => o.kind));
      expect(kinds.has('CustomResourceDefinition') || kinds.has('CSIDriver')).toBe(false);
    }
  });
});

describe('the local environment has no infrastructure', () => {
  test('no Pulumi stack: npm run plan never plans it, and the Pulumi program refuses it', () => {
    const { listStacks } = require('../infra/offline') as typeof import('../infra/offline');
    const { requireAwsEnvironment } = require('../infra/settings') as typeof import('../infra/settings');
    expect(listStacks(require('path').join(__dirname, '..'))).not.toContain('local');
    expect(() => requireAwsEnvironment(local)).toThrow(/environment "local" runs on local, not aws-kubeadm/);
  });
});
