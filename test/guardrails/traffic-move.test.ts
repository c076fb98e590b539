/**
 * checkTrafficMoves: a Service whose selector moves onto pods the applied state does not run. Every
 * field of the finding and each branch of the message is written out by hand.
 */
import type { ManifestDoc } from '../../guardrails/manifest';
import { checkTrafficMoves, TRAFFIC_MOVE } from '../../guardrails/traffic-move';

const svc = (selector: object | undefined, opts: { name?: string; namespace?: string; apiVersion?: string; kind?: string } = {}): ManifestDoc => ({
  file: 'svc.yaml',
  object: {
    apiVersion: opts.apiVersion ?? 'v1',
    kind: opts.kind ?? 'Service',
    metadata: { name: opts.name ?? 'web', namespace: opts.namespace ?? 'shop' },
    spec: selector === undefined ? {} : { selector },
  },
});
const workload = (kind: string, name: string, labels: object, replicas?: number, namespace = 'shop'): ManifestDoc => ({
  file: 'w.yaml',
  object: {
    apiVersion: kind === 'Pod' ? 'v1' : 'apps/v1',
    kind,
    metadata: { name, namespace, ...(kind === 'Pod' ? { labels } : {}) },
    spec: kind === 'Pod' ? { containers: [] } : { ...(replicas === undefined ? {} : { replicas }), template: { metadata: { labels }, spec: { containers: [] } } },
  },
});

const FIX = 'switch in two changes: first give the target pods replicas (blue/green with scaleIdleToZero: set it to false), apply and wait until they are ready, then move the selector (active)';
const finding = (problem: string, object = 'Service/shop/web') => ({ rule: 'blue-green-flip', severity: 'error', file: 'svc.yaml', object, field: 'spec.selector', problem, fix: FIX });
const moves = (from: string, to: string, what: string) =>
  `moves from ${from} to ${to}, which selects no running pod in the applied manifests (${what}); applied together, the Service has no endpoint until the new pods are ready`;

describe('checkTrafficMoves', () => {
  it('names its rule', () => {
    expect(TRAFFIC_MOVE).toBe('blue-green-flip');
  });

  it('refuses a move onto no workload at all', () => {
    expect(checkTrafficMoves([svc({ app: 'web', slot: 'blue' })], [svc({ app: 'web', slot: 'green' })])).toEqual([
      finding(moves('app=web,slot=blue', 'app=web,slot=green', 'no workload matches it')),
    ]);
  });

  it('refuses a move onto workloads at 0 replicas, naming them', () => {
    const before = [svc({ slot: 'blue' }), workload('Deployment', 'green', { slot: 'green' }, 0)];
    expect(checkTrafficMoves(before, [svc({ slot: 'green' })])).toEqual([finding(moves('slot=blue', 'slot=green', 'Deployment/shop/green runs 0 replicas'))]);
    const two = [...before, workload('StatefulSet', 'green-db', { slot: 'green' }, 0)];
    expect(checkTrafficMoves(two, [svc({ slot: 'green' })])).toEqual([finding(moves('slot=blue', 'slot=green', 'Deployment/shop/green, StatefulSet/shop/green-db run 0 replicas'))]);
    // A matching workload without a replica count (a Job) runs no long-lived pod.
    const job: ManifestDoc = { file: 'j.yaml', object: { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'shop' }, spec: { template: { metadata: { labels: { slot: 'green' } }, spec: { containers: [] } } } } };
    expect(checkTrafficMoves([svc({ slot: 'blue' }), job], [svc({ slot: 'green' })])).toEqual([finding(moves('slot=blue', 'slot=green', 'Job/shop/j runs 0 replicas'))]);
  });

  it('accepts a move onto running pods: replicas, the default 1, or a DaemonSet', () => {
    expect(checkTrafficMoves([svc({ slot: 'blue' }), workload('Deployment', 'g', { slot: 'green' }, 1)], [svc({ slot: 'green' })])).toEqual([]);
    expect(checkTrafficMoves([svc({ slot: 'blue' }), workload('Deployment', 'g', { slot: 'green' })], [svc({ slot: 'green' })])).toEqual([]);
    expect(checkTrafficMoves([svc({ slot: 'blue' }), workload('DaemonSet', 'g', { slot: 'green' })], [svc({ slot: 'green' })])).toEqual([]);
    // A bare Pod with the new labels is a running endpoint (bug fixed: it was counted as 0 replicas).
    expect(checkTrafficMoves([svc({ slot: 'blue' }), workload('Pod', 'p', { slot: 'green' })], [svc({ slot: 'green' })])).toEqual([]);
    // A Pod of another group is a custom workload: without a replica count it runs none.
    const customPod: ManifestDoc = { file: 'c.yaml', object: { apiVersion: 'x.io/v1', kind: 'Pod', metadata: { name: 'c', namespace: 'shop' }, spec: { template: { metadata: { labels: { slot: 'green' } }, spec: { containers: [{ name: 'c' }] } } } } };
    expect(checkTrafficMoves([svc({ slot: 'blue' }), customPod], [svc({ slot: 'green' })])).toEqual([finding(moves('slot=blue', 'slot=green', 'Pod/shop/c runs 0 replicas'))]);
    // One running workload among idle ones is enough.
    expect(checkTrafficMoves([svc({ slot: 'blue' }), workload('Deployment', 'a', { slot: 'green' }, 0), workload('Deployment', 'b', { slot: 'green' }, 2)], [svc({ slot: 'green' })])).toEqual([]);
  });

  it('only pods of the same namespace count', () => {
    expect(checkTrafficMoves([svc({ slot: 'blue' }), workload('Deployment', 'g', { slot: 'green' }, 2, 'other')], [svc({ slot: 'green' })])).toEqual([
      finding(moves('slot=blue', 'slot=green', 'no workload matches it')),
    ]);
  });

  it('ignores new Services, unchanged or emptied selectors, and non-core Services', () => {
    expect(checkTrafficMoves([], [svc({ slot: 'green' })])).toEqual([]);
    expect(checkTrafficMoves([svc({ slot: 'blue' })], [svc({ slot: 'blue' })])).toEqual([]);
    expect(checkTrafficMoves([svc({ slot: 'blue', app: 'web' })], [svc({ slot: 'blue', app: 'web', extra: 1 })])).toEqual([]);
    expect(checkTrafficMoves([svc({ slot: 'blue' })], [svc(undefined)])).toEqual([]);
    expect(checkTrafficMoves([svc({ slot: 'blue' })], [svc({})])).toEqual([]);
    expect(checkTrafficMoves([svc({ slot: 'blue' }, { apiVersion: 'x.io/v1' })], [svc({ slot: 'green' }, { apiVersion: 'x.io/v1' })])).toEqual([]);
    expect(checkTrafficMoves([svc({ slot: 'blue' })], [svc({ slot: 'green' }, { apiVersion: 'x.io/v1' })])).toEqual([]);
    expect(checkTrafficMoves([svc({ slot: 'blue' }, { apiVersion: 'x.io/v1' })], [svc({ slot: 'green' })])).toEqual([]);
    expect(checkTrafficMoves([svc({ slot: 'blue' }, { kind: 'Endpoints' })], [svc({ slot: 'green' }, { kind: 'Endpoints' })])).toEqual([]);
  });

  it('matches Services by namespace and name', () => {
    expect(checkTrafficMoves([svc({ slot: 'blue' }, { name: 'a' })], [svc({ slot: 'green' }, { name: 'b' })])).toEqual([]);
    expect(checkTrafficMoves([svc({ slot: 'blue' }, { namespace: 'a' })], [svc({ slot: 'green' }, { namespace: 'b' })])).toEqual([]);
    expect(checkTrafficMoves([svc({ slot: 'blue' }, { namespace: 'a' })], [svc({ slot: 'green' }, { namespace: 'a' })])).toEqual([
      finding(moves('slot=blue', 'slot=green', 'no workload matches it'), 'Service/a/web'),
    ]);
  });

  it('a move from an empty selector counts', () => {
    expect(checkTrafficMoves([svc(undefined)], [svc({ slot: 'green' })])).toEqual([finding(moves('(empty)', 'slot=green', 'no workload matches it'))]);
  });
});
