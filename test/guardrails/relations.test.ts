/**
 * Which Services, PDBs, NetworkPolicies and HPAs point at each workload, and NetworkPolicy policy types,
 * following the Kubernetes semantics: a Service with no selector selects nothing (its endpoints are
 * managed by hand), an empty PDB/NetworkPolicy selector (`{}`) selects every pod of the namespace, a PDB
 * without a selector selects nothing (policy/v1), and policyTypes defaults to Ingress (+ Egress when the
 * policy has egress rules).
 */
import { indexByName, Manifest, readManifests } from '../../guardrails/manifest';
import { policyTypes, relationsOf } from '../../guardrails/relations';
import type { RuleContext } from '../../guardrails/rules/rule';
import { hpaFloors, isHpa, scaleTargetOf } from '../../guardrails/scale-target';
import { indexTemplates } from '../../guardrails/workload';

const read = (...objects: object[]) => readManifests(objects.map((object) => ({ file: 'f.yaml', object }))).manifests;
function context(manifests: Manifest[]): RuleContext {
  return {
    manifests,
    templates: indexTemplates(manifests),
    lookup: indexByName(manifests),
    options: { requireOsConstraint: true, kubernetesVersion: '1.34', exclude: [], includeOnly: [] },
  };
}
const meta = (name: string, namespace = 'ns') => ({ name, namespace });
const deploy = (name: string, labels: object, namespace = 'ns') => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: meta(name, namespace),
  spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c' }] } } },
});
const service = (name: string, selector: unknown, namespace = 'ns') => ({ apiVersion: 'v1', kind: 'Service', metadata: meta(name, namespace), spec: selector === undefined ? {} : { selector } });
const pdb = (name: string, selector: unknown, apiVersion = 'policy/v1') => ({ apiVersion, kind: 'PodDisruptionBudget', metadata: meta(name), spec: selector === undefined ? {} : { selector } });
const netpol = (name: string, podSelector: unknown, apiVersion = 'networking.k8s.io/v1', extra: object = {}) => ({ apiVersion, kind: 'NetworkPolicy', metadata: meta(name), spec: { podSelector, ...extra } });
const hpa = (name: string, target: object, extra: object = {}, apiVersion = 'autoscaling/v2') => ({ apiVersion, kind: 'HorizontalPodAutoscaler', metadata: meta(name), spec: { scaleTargetRef: target, ...extra } });

describe('relationsOf', () => {
  const ms = read(
    deploy('web', { app: 'web', tier: 'front' }),
    deploy('api', { app: 'api' }),
    deploy('web', { app: 'web' }, 'other'),
    service('svc-web', { app: 'web' }),
    service('svc-none', undefined),
    service('svc-empty', {}),
    service('svc-tier', { tier: 'front' }),
    { apiVersion: 'example.com/v1', kind: 'Service', metadata: meta('fake'), spec: { selector: { app: 'web' } } },
    pdb('pdb-web', { matchLabels: { app: 'web' } }),
    pdb('pdb-all', {}),
    pdb('pdb-none', undefined),
    pdb('pdb-beta', { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] }, 'policy/v1beta1'),
    { apiVersion: 'example.com/v1', kind: 'PodDisruptionBudget', metadata: meta('fake-pdb'), spec: { selector: {} } },
    netpol('np-all', {}),
    netpol('np-api', { matchLabels: { app: 'api' } }, 'extensions/v1beta1'),
    netpol('np-missing', undefined),
    { apiVersion: 'example.com/v1', kind: 'NetworkPolicy', metadata: meta('fake-np'), spec: { podSelector: {} } },
    hpa('hpa-web', { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }),
    hpa('hpa-web-v1', { kind: 'Deployment', name: 'web' }, {}, 'autoscaling/v1'),
    hpa('hpa-missing', { kind: 'Deployment', name: 'nope' }),
    { apiVersion: 'example.com/v1', kind: 'HorizontalPodAutoscaler', metadata: meta('fake-hpa'), spec: { scaleTargetRef: { kind: 'Deployment', name: 'api' } } },
  );
  const [web, api, otherWeb] = ms;
  const relations = relationsOf(context(ms));
  const names = (list: Manifest[]) => list.map((m) => m.name);

  it('Services select by their map selector; an empty or missing one selects nothing', () => {
    expect(names(relations.services(web))).toEqual(['svc-web', 'svc-tier']);
    expect(names(relations.services(api))).toEqual([]);
    expect(names(relations.services(otherWeb))).toEqual([]);
  });

  it('PDBs select by label selector; {} selects all, no selector selects none', () => {
    expect(names(relations.pdbs(web))).toEqual(['pdb-web', 'pdb-all']);
    expect(names(relations.pdbs(api))).toEqual(['pdb-all', 'pdb-beta']);
    expect(names(relations.pdbs(otherWeb))).toEqual([]);
  });

  it('NetworkPolicies select by podSelector; empty or missing selects every pod', () => {
    expect(names(relations.networkPolicies(web))).toEqual(['np-all', 'np-missing']);
    expect(names(relations.networkPolicies(api))).toEqual(['np-all', 'np-api', 'np-missing']);
    expect(names(relations.networkPolicies(otherWeb))).toEqual([]);
  });

  it('HPAs point at their scale target', () => {
    expect(names(relations.hpas(web))).toEqual(['hpa-web', 'hpa-web-v1']);
    expect(names(relations.hpas(api))).toEqual([]);
  });

  it('is built once per manifest list', () => {
    expect(relationsOf(context(ms))).toBe(relations);
    expect(relationsOf(context([...ms]))).not.toBe(relations);
  });
});

describe('policyTypes', () => {
  const np = (spec: object) => read({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta('n'), spec })[0];
  it('uses the declared types, else Ingress plus Egress when there are egress rules', () => {
    expect(policyTypes(np({ policyTypes: ['Egress'] }))).toEqual(['Egress']);
    expect(policyTypes(np({ policyTypes: ['Ingress', 7, 'Egress'], egress: [] }))).toEqual(['Ingress', 'Egress']);
    expect(policyTypes(np({ policyTypes: [], egress: [] }))).toEqual(['Ingress', 'Egress']);
    expect(policyTypes(np({ egress: [] }))).toEqual(['Ingress', 'Egress']);
    expect(policyTypes(np({ egress: null }))).toEqual(['Ingress', 'Egress']);
    expect(policyTypes(np({}))).toEqual(['Ingress']);
    expect(policyTypes(np({ ingress: [] }))).toEqual(['Ingress']);
  });
});

describe('scale targets', () => {
  const ms = read(
    deploy('web', { app: 'web' }),
    deploy('api', { app: 'api' }),
    hpa('h1', { kind: 'Deployment', name: 'web' }, { minReplicas: 3 }),
    hpa('h2', { kind: 'Deployment', name: 'api' }),
    hpa('h3', { kind: 'StatefulSet', name: 'web' }, { minReplicas: 5 }),
    hpa('h4', { kind: 7 }, { minReplicas: 0 }),
    hpa('h5', { kind: 'Deployment', name: 'web' }, { minReplicas: 0 }, 'example.com/v1'),
  );
  const lookup = indexByName(ms);

  it('isHpa needs the autoscaling group', () => {
    expect(ms.map(isHpa)).toEqual([false, false, true, true, true, true, false]);
  });

  it('scaleTargetOf names the target and finds it in the same namespace', () => {
    expect(scaleTargetOf(ms[2], lookup)).toEqual({ ref: 'Deployment/web', target: ms[0] });
    expect(scaleTargetOf(ms[4], lookup)).toEqual({ ref: 'StatefulSet/web', target: undefined });
    expect(scaleTargetOf(ms[5], lookup)).toEqual({ ref: '/', target: undefined });
    const elsewhere = read(deploy('web', { app: 'web' }, 'a'), { ...hpa('h', { kind: 'Deployment', name: 'web' }), metadata: meta('h', 'b') });
    expect(scaleTargetOf(elsewhere[1], indexByName(elsewhere)).target).toBeUndefined();
  });

  it('hpaFloors: minReplicas, default 1', () => {
    const floors = hpaFloors(ms, lookup);
    expect([...floors.entries()].map(([m, n]) => [m.name, n])).toEqual([
      ['web', 3],
      ['api', 1],
    ]);
  });
});
