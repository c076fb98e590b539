/**
 * Survivors of the constructs/cluster/ mutation run (reports/mutation/survivors/constructs-cluster.md).
 * Every construct is built inside its test, so Stryker's per-test coverage sees the code it runs.
 * Oracles are written out by hand: the construct ids bind() gives (`RoleBinding-<name>` /
 * `ClusterRoleBinding-<name>`, the address of the object in the construct tree and in error messages)
 * and the containers of plain flannel (upstream kube-flannel.yml: one container, kube-flannel).
 */
import { Construct } from 'constructs';
import { AwsEbsCsiDriver } from '../../constructs/cluster/ebs-csi-driver';
import { Flannel } from '../../constructs/cluster/flannel';
import { Manifest as ManifestObject } from '../../constructs/manifest';
import { bareScope } from './support';
import { find, Manifest, synthObjects } from '../util/synth';

const PATCH_REFUSAL = ": JSON patches are not supported on Manifest objects; set the value in the construct's props";

describe('bind(): the construct id of a binding names its kind (common.ts:63)', () => {
  test('AwsEbsCsiDriver: ClusterRoleBinding-<name> for ClusterRoles, RoleBinding-<name> for the kube-system Role', () => {
    const { scope } = bareScope();
    const driver = new AwsEbsCsiDriver(scope, 'ebs', { storageClassName: 'gp3-encrypted', snapshotClassName: 'ebs-snapshots' });
    const bindingIds = driver.node.children.map((c) => c.node.id).filter((id) => /Binding/.test(id));
    expect(bindingIds).toEqual([
      'ClusterRoleBinding-ebs-csi-attacher-binding',
      'ClusterRoleBinding-ebs-csi-provisioner-binding',
      'ClusterRoleBinding-ebs-csi-resizer-binding',
      'ClusterRoleBinding-ebs-csi-snapshotter-binding',
      'ClusterRoleBinding-ebs-csi-node-getter-binding',
      'RoleBinding-ebs-csi-leases-rolebinding',
    ]);
  });

  test('the RoleBinding is found at its path, and a patch on it is refused naming that path', () => {
    const { scope } = bareScope();
    const driver = new AwsEbsCsiDriver(scope, 'ebs', { storageClassName: 'gp3-encrypted', snapshotClassName: 'ebs-snapshots' });
    const binding = driver.node.tryFindChild('RoleBinding-ebs-csi-leases-rolebinding');
    expect(binding).toBeInstanceOf(ManifestObject);
    expect((binding as ManifestObject).kind).toBe('RoleBinding');
    expect(() => (binding as ManifestObject).addJsonPatch()).toThrow(new Error(`test/web/ebs/RoleBinding-ebs-csi-leases-rolebinding${PATCH_REFUSAL}`));
  });

  test('the ClusterRoleBinding of flannel is found at its path, and a patch on it is refused naming that path', () => {
    const { scope } = bareScope();
    const flannel: Construct = new Flannel(scope, 'flannel', { podCidr: '10.244.0.0/16' });
    const binding = flannel.node.tryFindChild('ClusterRoleBinding-flannel');
    expect(binding).toBeInstanceOf(ManifestObject);
    expect((binding as ManifestObject).kind).toBe('ClusterRoleBinding');
    expect(() => (binding as ManifestObject).addJsonPatch()).toThrow(new Error(`test/web/flannel/ClusterRoleBinding-flannel${PATCH_REFUSAL}`));
  });
});

describe('Flannel with networkPolicies: false (flannel.ts:143)', () => {
  test('the pod has exactly one container, kube-flannel, and nothing else in the containers list', () => {
    const objects: Manifest[] = synthObjects((chart) => new Flannel(chart, 'flannel', { podCidr: '192.168.0.0/16', networkPolicies: false }));
    const containers: Manifest[] = find(objects, 'DaemonSet', 'kube-flannel-ds').spec.template.spec.containers;
    expect(containers).toHaveLength(1);
    expect(typeof containers[0]).toBe('object');
    expect(containers[0].name).toBe('kube-flannel');
  });
});
