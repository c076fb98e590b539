/**
 * A Kubernetes or containerd bump lives inside user-data, which plans record as "[secret]". The plan
 * records non-secret facts beside it (versions, a hash), and the review diff shows their changes.
 */
import { createHash } from 'crypto';
import { getEnvironment } from '../../environments';
import { renderLinuxWorkerUserData } from '../../infra/bootstrap';
import { userDataFacts } from '../../infra/plan-record';
import { diffTrees } from '../../review/diffTrees';
import { parsePlan } from '../../review/parse';
import { renderText } from '../../review/render/text';

const sha256 = (t: string) => createHash('sha256').update(t).digest('hex');
const dev = getEnvironment('dev');
const pool = dev.nodePools.find((p) => p.os === 'linux')!;
const worker = (version: string) =>
  renderLinuxWorkerUserData({ ...dev, cluster: { ...dev.cluster, kubernetesVersion: version } }, pool, {
    endpoint: { host: '10.0.0.10', port: 6443 },
    discoveryHash: `sha256:${'ab'.repeat(32)}`,
    region: 'us-east-1',
    tokenParameter: '/k8s-book-systems/hopper-dev/nodes/bootstrap-token',
    autoScalingGroupName: 'hopper-dev-linux-amd64',
    lifecycleHookName: 'kubeadm-join',
  });

test('the facts name the Kubernetes version and containerd source of a worker, and follow a bump', () => {
  const before = userDataFacts(Buffer.from(worker('1.34.2')).toString('base64'), sha256);
  const after = userDataFacts(worker('1.34.3'), sha256);
  expect(before.kubernetesVersions).toEqual(['1.34.2']);
  expect(after.kubernetesVersions).toEqual(['1.34.3']);
  expect(before.containerdVersions).toEqual(['unpinned (distribution package)']);
  expect(before.sha256).not.toBe(after.sha256);
});

test('npm run diff shows a version bump inside secret user-data as plan fields', () => {
  const plan = (version: string) =>
    JSON.stringify([
      {
        type: 'aws:ec2/launchTemplate:LaunchTemplate',
        name: 'pool-linux-amd64',
        inputs: { userData: '[secret]', instanceType: 't3.large' },
        secretOutputs: ['userData'],
        secretInputFacts: { userData: userDataFacts(worker(version), sha256) },
      },
    ]);
  const tree = (version: string) => ({ manifests: [], resources: parsePlan('dev', plan(version), 'dev.plan.json') });
  const text = renderText(diffTrees(tree('1.34.2'), tree('1.34.3')));
  expect(text).toContain('infra/dev');
  expect(text).toMatch(/userData \(secret; facts\).*kubernetesVersions.*1\.34\.2.*1\.34\.3/s);
  expect(text).toMatch(/sha256/);
  expect(renderText(diffTrees(tree('1.34.2'), tree('1.34.2')))).toBe('No changes.\n');
});

test('base64 user-data of launch templates is compared decoded, so a bump reads as versions, not base64 noise', () => {
  const plan = (version: string) =>
    JSON.stringify([{ type: 'aws:ec2/launchTemplate:LaunchTemplate', name: 'pool-linux-amd64', inputs: { userData: Buffer.from(worker(version)).toString('base64') }, secretOutputs: [] }]);
  const tree = (version: string) => ({ manifests: [], resources: parsePlan('dev', plan(version), 'dev.plan.json') });
  const text = renderText(diffTrees(tree('1.34.2'), tree('1.34.3')));
  expect(text).toContain('userData (base64-decoded)');
  expect(text).toMatch(/1\.34\.2.*→.*1\.34\.3/);
});
