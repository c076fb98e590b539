import { diffTrees } from '../../review/diffTrees';
import type { KubeObject, Manifest, Tree } from '../../review/model';

const tree = (...objects: KubeObject[]): Tree => ({
  manifests: objects.map((object): Manifest => ({ env: 'prod', file: 'app.yaml', object })),
  resources: [],
});

const risks = (a: Tree, b: Tree) => diffTrees(a, b).sections.flatMap((s) => s.risks.map((r) => r.text));

const service = (selector: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'ver', namespace: 'versions' },
  spec: { selector, ports: [{ name: 'http', port: 80 }] },
});

const slot = (name: string, replicas: number): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: `ver-${name}`, namespace: 'versions' },
  spec: { replicas, template: { metadata: { labels: { app: 'ver', slot: name } } } },
});

describe('risk rules', () => {
  it('warns when a switch lands on a slot scaled to zero', () => {
    expect(risks(tree(service({ app: 'ver', slot: 'blue' }), slot('blue', 2), slot('green', 0)), tree(service({ app: 'ver', slot: 'green' }), slot('blue', 2), slot('green', 0)))).toEqual([
      'Service versions/ver now selects workloads scaled to 0 replicas: scale them up before switching traffic',
      'traffic switch blue → green on Service versions/ver',
    ]);
  });

  it('spells out a selector change that is not a slot flip', () => {
    expect(risks(tree(service({ app: 'ver' }), slot('blue', 2)), tree(service({ app: 'other' }), slot('blue', 2)))).toEqual([
      'Service versions/ver: selector {"app":"ver"} → {"app":"other"} — traffic moves to different pods',
      'Service versions/ver selects no workload in this tree ({"app":"other"}): no endpoints after apply',
    ]);
  });

  it('notes an object defined twice and compares the last definition, as kubectl would apply it', () => {
    const twice: Tree = {
      manifests: [
        { env: 'prod', file: 'a.yaml', object: service({ app: 'ver' }) },
        { env: 'prod', file: 'b.yaml', object: service({ app: 'ver' }) },
      ],
      resources: [],
    };
    expect(diffTrees(tree(service({ app: 'ver' })), twice).notes).toEqual([
      'prod: Service versions/ver is defined twice (a.yaml, b.yaml); the last one is compared',
    ]);
  });

  it('folds objects of a removed Namespace into its one prune line', () => {
    const namespace: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'versions' } };
    expect(risks(tree(namespace, service({ app: 'ver' }), slot('blue', 2)), tree())).toEqual([
      'Namespace versions removed with the 2 objects in it — kubectl apply will not delete them: prune or delete by hand (kubectl delete namespace/versions)',
    ]);
  });

  it('treats an apiVersion bump as a change of the same object', () => {
    const hpa = (apiVersion: string): KubeObject => ({ apiVersion, kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'web' } });
    const [section] = diffTrees(tree(hpa('autoscaling/v2beta2')), tree(hpa('autoscaling/v2'))).sections;
    expect(section?.entries.map((e) => e.status)).toEqual(['changed']);
  });

  it('lets a PVC grow its request but flags other spec changes', () => {
    const pvc = (storage: string, storageClassName: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: 'db' },
      spec: { storageClassName, resources: { requests: { storage } } },
    });
    expect(risks(tree(pvc('1Gi', 'gp3')), tree(pvc('2Gi', 'gp3')))).toEqual([]);
    expect(risks(tree(pvc('1Gi', 'gp3')), tree(pvc('1Gi', 'io2')))).toEqual([
      'PersistentVolumeClaim db/data: spec is immutable — will fail on apply; delete and recreate (kubectl delete persistentvolumeclaim/data -n db, then apply)',
    ]);
  });

  it('warns that dropping replicas under an HPA resets them to 1 once with client-side apply', () => {
    const deployment = (replicas?: number): KubeObject => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'web' },
      spec: replicas === undefined ? {} : { replicas },
    });
    const hpa: KubeObject = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: 'web' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } },
    };
    expect(risks(tree(deployment(3), hpa), tree(deployment(), hpa))).toEqual([
      'Deployment web/web: spec.replicas dropped (HPA web/web owns replicas) — client-side kubectl apply scales it to 1 once; run kubectl apply edit-last-applied first or apply --server-side',
    ]);
  });
});
