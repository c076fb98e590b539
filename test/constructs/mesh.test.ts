/**
 * constructs/mesh.ts: Istio injects by the namespace LABEL istio-injection=enabled; Linkerd by the
 * ANNOTATION linkerd.io/inject=enabled (a label of that name injects nothing). Control planes:
 * istiod in istio-system on 15012; Linkerd in linkerd on 8080 (identity), 8086 (destination), 8090 (policy).
 */
import {
  checkWorkloadMesh,
  ISTIO_INJECTION_LABEL,
  LINKERD_INJECT_ANNOTATION,
  MESH_CONTROL_PLANE,
  meshControlPlaneEgress,
  meshPodAnnotations,
} from '../../constructs/mesh';
import { bareScope, refusal } from './support';

test('the injection keys', () => {
  expect(ISTIO_INJECTION_LABEL).toBe('istio-injection');
  expect(LINKERD_INJECT_ANNOTATION).toBe('linkerd.io/inject');
});

test('the control planes', () => {
  expect(MESH_CONTROL_PLANE).toEqual({
    istio: { namespace: 'istio-system', ports: [15012] },
    linkerd: { namespace: 'linkerd', ports: [8080, 8086, 8090] },
  });
});

test('pod annotations: only Linkerd reads one', () => {
  expect(meshPodAnnotations('linkerd')).toEqual({ 'linkerd.io/inject': 'enabled' });
  expect(meshPodAnnotations('istio')).toEqual({});
  expect(meshPodAnnotations('none')).toEqual({});
});

test('control-plane egress', () => {
  expect(meshControlPlaneEgress('none')).toEqual([]);
  expect(meshControlPlaneEgress('istio')).toEqual([
    { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'istio-system' } } }], ports: [{ port: 15012, protocol: 'TCP' }] },
  ]);
  expect(meshControlPlaneEgress('linkerd')).toEqual([
    {
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'linkerd' } } }],
      ports: [
        { port: 8080, protocol: 'TCP' },
        { port: 8086, protocol: 'TCP' },
        { port: 8090, protocol: 'TCP' },
      ],
    },
  ]);
});

describe('checkWorkloadMesh', () => {
  const check = (props: Parameters<typeof checkWorkloadMesh>[1]) => checkWorkloadMesh(bareScope().scope, props);
  test('the mesh, none by default', () => {
    expect(check({})).toBe('none');
    expect(check({ mesh: 'linkerd', labels: { app: 'web' } })).toBe('linkerd');
    expect(check({ mesh: 'istio', istio: { hosts: ['*'] } })).toBe('istio');
  });
  test('refuses Istio routing outside the Istio mesh', () => {
    expect(refusal(() => check({ istio: { hosts: ['*'] } }))).toBe(
      `test/web: istio: an Istio Gateway and VirtualService are set but the pods' mesh is "none". Fix: set mesh: 'istio' (and the namespace's istio-injection label), or drop istio`,
    );
    expect(refusal(() => check({ mesh: 'linkerd', istio: {} }))).toMatch(/pods' mesh is "linkerd"\./);
  });
  test('refuses the Linkerd inject key as a label, whatever its value or the mesh', () => {
    for (const mesh of [undefined, 'linkerd', 'istio'] as const) {
      expect(refusal(() => check({ mesh, labels: { app: 'web', 'linkerd.io/inject': 'enabled' } }))).toBe(
        `test/web: labels["linkerd.io/inject"]: Linkerd reads linkerd.io/inject as an ANNOTATION; as a label it injects nothing, silently. Fix: set mesh: 'linkerd' instead`,
      );
    }
    expect(refusal(() => check({ labels: { 'linkerd.io/inject': '' } }))).toMatch(/labels\["linkerd.io\/inject"\]/);
  });
});
