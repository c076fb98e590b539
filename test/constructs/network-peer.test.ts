/** constructs/network-peer.ts: NetworkPolicy peers as the API reads them (an empty podSelector is every pod of the namespace, an empty namespaceSelector every namespace). */
import { renderPeer } from '../../constructs/network-peer';

test('same-namespace: every pod of the policy namespace', () => {
  expect(renderPeer('same-namespace')).toEqual({ podSelector: {} });
});
test('cluster: every namespace', () => {
  expect(renderPeer('cluster')).toEqual({ namespaceSelector: {} });
});
test('anywhere: every IPv4 address', () => {
  expect(renderPeer('anywhere')).toEqual({ ipBlock: { cidr: '0.0.0.0/0' } });
});
test('a CIDR', () => {
  expect(renderPeer({ cidr: '192.168.0.0/16' })).toEqual({ ipBlock: { cidr: '192.168.0.0/16' } });
});
test('pods by label in the same namespace', () => {
  const peer = renderPeer({ podLabels: { app: 'db' } });
  expect(peer).toEqual({ podSelector: { matchLabels: { app: 'db' } } });
  expect(peer).not.toHaveProperty('namespaceSelector');
});
test('pods by label in another namespace: both selectors in ONE peer (an AND, not an OR)', () => {
  expect(renderPeer({ podLabels: { app: 'db' }, namespace: 'data' })).toEqual({
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'data' } },
    podSelector: { matchLabels: { app: 'db' } },
  });
  expect(renderPeer({ podLabels: { app: 'db' }, namespace: '' })).toEqual({ podSelector: { matchLabels: { app: 'db' } } });
});
