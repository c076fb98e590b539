/**
 * The Pulumi program under mocks, per stack: what each environment's stack would create, and the
 * hardening every instance, launch template and security group rule must carry.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { getEnvironment } from '../../environments';
import { kubeletNodeLabels, kubeletTaints } from '../../infra/bootstrap';
import { OfflineRun, PlannedResource, readProjectName, readStackConfig, runOffline, StackConfig } from '../../infra/offline';
import { checkControlPlaneReplacement } from '../../infra/checks/replacement';
import { requireAwsEnvironment } from '../../infra/settings';

const root = path.resolve(__dirname, '../..');
const project = readProjectName(root);
const runs: Record<string, OfflineRun> = {};
/** The same run with the bastion opened to the world: the one 0.0.0.0/0 ingress allowed. */
let openBastion: OfflineRun;

function withConfig(stack: string, extra: Record<string, string>): StackConfig {
  const base = readStackConfig(root, stack);
  return { config: { ...base.config, ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [`${project}:${k}`, v])) }, secretKeys: base.secretKeys };
}

beforeAll(async () => {
  for (const stack of ['dev', 'prod']) runs[stack] = await runOffline(project, stack, readStackConfig(root, stack));
  openBastion = await runOffline(project, 'dev', withConfig('dev', { bastionAllowedCidrs: '["0.0.0.0/0"]' }));
});

const ofType = (run: OfflineRun, type: string): PlannedResource[] => run.resources.filter((r) => r.type === type);
const unmasked = (run: OfflineRun, r: PlannedResource) => run.unmaskedInputs.get(`${r.type}::${r.name}`)!;
const INSTANCE = 'aws:ec2/instance:Instance';
const LAUNCH_TEMPLATE = 'aws:ec2/launchTemplate:LaunchTemplate';
const INGRESS = 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule';

describe.each(['dev', 'prod'])('stack %s', (stack) => {
  const env = requireAwsEnvironment(getEnvironment(stack));
  const { network, controlPlane } = env.provider;
  const run = () => runs[stack];

  test('a public and a private subnet in every availability zone of the environment', () => {
    const subnets = ofType(run(), 'aws:ec2/subnet:Subnet');
    const zonesOf = (role: string) =>
      subnets.filter((s) => (s.inputs.tags as Record<string, string>)[role] === '1').map((s) => s.inputs.availabilityZone);
    expect(zonesOf('kubernetes.io/role/elb')).toEqual(network.availabilityZones);
    expect(zonesOf('kubernetes.io/role/internal-elb')).toEqual(network.availabilityZones);
    expect(subnets.map((s) => s.inputs.cidrBlock).sort()).toEqual([...network.publicSubnetCidrs, ...network.privateSubnetCidrs].sort());
    for (const subnet of subnets) {
      expect(subnet.inputs.mapPublicIpOnLaunch).toBe(false);
      expect((subnet.inputs.tags as Record<string, string>)[`kubernetes.io/cluster/${env.cluster.name}`]).toBe('owned');
    }
    const [vpc] = ofType(run(), 'aws:ec2/vpc:Vpc');
    expect(vpc.inputs).toMatchObject({ cidrBlock: network.vpcCidr, enableDnsSupport: true, enableDnsHostnames: true });
    expect((vpc.inputs.tags as Record<string, string>)[`kubernetes.io/cluster/${env.cluster.name}`]).toBe('shared');
    const nats = ofType(run(), 'aws:ec2/natGateway:NatGateway');
    expect(nats).toHaveLength(network.natGateways === 'per-az' ? network.availabilityZones.length : 1);
  });

  test('the region comes from the environment, through one explicit provider', () => {
    expect(ofType(run(), 'pulumi:providers:aws').map((p) => p.inputs.region)).toEqual([network.region]);
  });

  test('every instance and launch template requires IMDSv2 and encrypts its volumes', () => {
    const instances = ofType(run(), INSTANCE);
    const templates = ofType(run(), LAUNCH_TEMPLATE);
    expect(instances).toHaveLength(1 + controlPlane.count);
    expect(templates).toHaveLength(env.nodePools.length);
    for (const r of [...instances, ...templates]) {
      expect({ name: r.name, httpTokens: (r.inputs.metadataOptions as { httpTokens: string }).httpTokens }).toEqual({
        name: r.name,
        httpTokens: 'required',
      });
    }
    for (const r of instances) expect(r.inputs.rootBlockDevice).toMatchObject({ encrypted: true });
    for (const r of templates) {
      const mappings = r.inputs.blockDeviceMappings as { ebs: { encrypted: string } }[];
      expect(mappings.length).toBeGreaterThan(0);
      for (const m of mappings) expect(m.ebs.encrypted).toBe('true');
    }
  });

  test('only the bastion, in a public subnet, gets a public address', () => {
    const publicSubnetIds = ofType(run(), 'aws:ec2/subnet:Subnet')
      .filter((s) => (s.inputs.tags as Record<string, string>)['kubernetes.io/role/elb'] === '1')
      .map((s) => `${s.name}-id`);
    const exposed = ofType(run(), INSTANCE).filter((i) => i.inputs.associatePublicIpAddress !== false);
    expect(exposed.map((i) => i.name)).toEqual(['bastion']);
    expect(publicSubnetIds).toContain(exposed[0].inputs.subnetId);
    for (const t of ofType(run(), LAUNCH_TEMPLATE)) {
      for (const nic of t.inputs.networkInterfaces as { associatePublicIpAddress: string }[]) expect(nic.associatePublicIpAddress).toBe('false');
    }
  });

  test('no ingress from 0.0.0.0/0 by default; CIDR sources are only the VPC (NodePorts)', () => {
    const cidrRules = ofType(run(), INGRESS).filter((r) => r.inputs.cidrIpv4 !== undefined);
    expect(cidrRules.map((r) => [r.name, r.inputs.cidrIpv4, r.inputs.fromPort, r.inputs.toPort])).toEqual([
      ['sg-nodes-node-ports-from-10-0-0-0-16', network.vpcCidr, 30000, 32767],
    ]);
    for (const r of ofType(run(), INGRESS).filter((r) => r.inputs.cidrIpv4 === undefined)) {
      expect(r.inputs.referencedSecurityGroupId).toMatch(/^sg-.+-id$/);
    }
  });

  test(`${controlPlane.count} control plane(s), an odd number, spread over the zones, replaceable one at a time`, () => {
    const planes = ofType(run(), INSTANCE).filter((i) => i.name.startsWith('control-plane-'));
    expect(planes).toHaveLength(controlPlane.count);
    expect(planes.length % 2).toBe(1);
    expect(new Set(planes.map((p) => p.inputs.subnetId)).size).toBe(Math.min(controlPlane.count, network.availabilityZones.length));
    // No fixed address: a replacement must not wait for the old instance to release it.
    for (const p of planes) expect(p.inputs.privateIp).toBeUndefined();
    // A new AMI, user-data or SSH key never replaces the etcd members (all at once).
    for (const p of planes) expect(run().options.get(`${INSTANCE}::${p.name}`)?.ignoreChanges).toEqual(['ami', 'userData', 'keyName']);
    // The replaceability check over the run, with the options the plan file does not record.
    expect(checkControlPlaneReplacement(`dist/infra/${stack}.plan.json`, run().resources, run().options)).toEqual([]);
    // Pods on a control plane cannot reach IMDS (and the role that reads the cluster secrets).
    for (const p of planes) expect((p.inputs.metadataOptions as { httpPutResponseHopLimit: number }).httpPutResponseHopLimit).toBe(1);
  });

  test('one auto scaling group per node pool, with the AMI of its OS/arch and its instance types', () => {
    const groups = ofType(run(), 'aws:autoscaling/group:Group');
    expect(groups.map((g) => g.name)).toEqual(env.nodePools.map((p) => `pool-${p.name}`));
    // Fixed names: the nodes report their bootstrap to their group by name.
    expect(groups.map((g) => g.inputs.name)).toEqual(env.nodePools.map((p) => `${env.cluster.name}-${p.name}`));
    for (const pool of env.nodePools) {
      const group = groups.find((g) => g.name === `pool-${pool.name}`)!;
      const template = ofType(run(), LAUNCH_TEMPLATE).find((t) => t.name === `pool-${pool.name}`)!;
      const expectedAmi = pool.os === 'windows' ? 'ami-Windows_Server-2019-English-Core-Base' : `ami-ubuntu-noble-24.04-${pool.arch}-server`;
      expect(template.inputs.imageId).toBe(expectedAmi);
      const policy = group.inputs.mixedInstancesPolicy as {
        launchTemplate: { launchTemplateSpecification: { launchTemplateId: string }; overrides: { instanceType: string }[] };
      };
      expect(policy.launchTemplate.launchTemplateSpecification.launchTemplateId).toBe(`${template.name}-id`);
      expect(policy.launchTemplate.overrides.map((o) => o.instanceType)).toEqual(pool.instanceTypes);
      expect(group.inputs).toMatchObject({ minSize: pool.min, maxSize: pool.max, desiredCapacity: pool.desired });
      // pulumi up never replaces running nodes (a new AMI or version reaches new instances only; rolls are
      // explicit, with drain), and a node that fails its bootstrap is abandoned, not kept "healthy".
      expect(group.inputs.instanceRefresh).toBeUndefined();
      expect(group.inputs.initialLifecycleHooks).toEqual([
        {
          name: 'kubeadm-join',
          lifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING',
          defaultResult: 'ABANDON',
          heartbeatTimeout: pool.os === 'windows' ? 3600 : 1800,
        },
      ]);
      const tags = group.inputs.tags as { key: string; value: string; propagateAtLaunch: boolean }[];
      for (const [key, value] of [
        ['k8s.io/cluster-autoscaler/enabled', 'true'],
        [`k8s.io/cluster-autoscaler/${env.cluster.name}`, 'owned'],
        [`kubernetes.io/cluster/${env.cluster.name}`, 'owned'],
      ]) {
        expect(tags).toContainEqual({ key, value, propagateAtLaunch: true });
      }
    }
  });

  test("each pool's user-data joins with the pool's kubelet labels and taints, and carries no secret", () => {
    for (const pool of env.nodePools) {
      const template = ofType(run(), LAUNCH_TEMPLATE).find((t) => t.name === `pool-${pool.name}`)!;
      expect(template.secretOutputs).toEqual([]);
      const userData = Buffer.from(template.inputs.userData as string, 'base64').toString();
      expect(userData).toContain(kubeletNodeLabels(pool));
      if (pool.taints.length > 0) expect(userData).toContain(kubeletTaints(pool));
      else expect(userData).not.toContain('register-with-taints');
      expect(userData.startsWith(pool.os === 'windows' ? '<powershell>' : '#')).toBe(true);
      expect(userData).toContain(`/k8s-book-systems/${env.cluster.name}/nodes/bootstrap-token`);
      for (const secret of run().generatedSecrets) expect(userData.includes(secret)).toBe(false);
    }
    for (const plane of ofType(run(), INSTANCE)) {
      expect(plane.secretOutputs).toEqual([]);
      for (const secret of run().generatedSecrets) expect(String(plane.inputs.userData ?? '').includes(secret)).toBe(false);
    }
  });

  test('the stack publishes the cluster add-ons, rendered from the model, where only the control planes read them', () => {
    const object = ofType(run(), 'aws:s3/bucketObjectv2:BucketObjectv2').find((o) => o.name === 'cluster-store-addons')!;
    expect(object.inputs).toMatchObject({ key: 'addons/01-cluster.yaml', bucket: 'cluster-store-bucket-id' });
    // Byte for byte what `npm run synth` writes (and .ci/check-generated keeps dist/ equal to the model).
    expect(object.inputs.content === readFileSync(path.join(root, 'dist', stack, '01-cluster.yaml'), 'utf8')).toBe(true);
    const policy = (role: string) =>
      JSON.parse((ofType(run(), 'aws:iam/rolePolicy:RolePolicy').find((p) => p.name === `iam-${role}`)?.inputs.policy as string) ?? '{"Statement":[]}') as {
        Statement: { Action: string[]; Resource: string | string[]; Condition?: Record<string, Record<string, unknown>> }[];
      };
    const grants = (role: string, action: string) => policy(role).Statement.filter((s) => s.Action.includes(action));
    expect(grants('control-plane', 's3:GetObject').map((s) => s.Resource)).toEqual([
      ['arn:aws:mock:::cluster-store-bucket/addons/01-cluster.yaml', 'arn:aws:mock:::cluster-store-bucket/bootstrap/control-plane-helpers.sh'],
    ]);
    expect(grants('node', 's3:GetObject')).toEqual([]);
    // Decryption is the gate (AmazonSSMManagedInstanceCore lets any instance *get* any parameter):
    // control planes decrypt the three cluster parameters, nodes only the join token.
    const decryptable = (role: string) => grants(role, 'kms:Decrypt').flatMap((s) => s.Condition!.StringEquals['kms:EncryptionContext:PARAMETER_ARN'] as string[]);
    expect(decryptable('control-plane')).toEqual(['caKey', 'certificateKey', 'bootstrapToken'].map((p) => `arn:aws:mock:::cluster-store-${p}`));
    expect(decryptable('node')).toEqual(['arn:aws:mock:::cluster-store-bootstrapToken']);
    expect(grants('bastion', 'kms:Decrypt')).toEqual([]);
    // Nothing the cluster does not run: no route, volume or cluster-autoscaler write actions.
    const actions = ['control-plane', 'node'].flatMap((role) => policy(role).Statement.flatMap((s) => s.Action));
    for (const unused of ['ec2:CreateRoute', 'ec2:DeleteRoute', 'ec2:CreateVolume', 'ec2:AttachVolume', 'ec2:DeleteVolume', 'autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup']) {
      expect(actions).not.toContain(unused);
    }
  });

  test('all user-data fits EC2\'s 16 KB limit', () => {
    const sizes = [
      ...ofType(run(), INSTANCE).map((i) => Buffer.byteLength((unmasked(run(), i).userData as string | undefined) ?? '')),
      ...ofType(run(), LAUNCH_TEMPLATE).map((t) => Buffer.from(unmasked(run(), t).userData as string, 'base64').length),
    ];
    for (const size of sizes) expect(size).toBeLessThanOrEqual(16 * 1024);
  });
});

test('prod fronts its three API servers with an internal NLB listening on 6443, named in the private zone', () => {
  const run = runs.prod;
  const [lb] = ofType(run, 'aws:lb/loadBalancer:LoadBalancer');
  expect(lb.inputs).toMatchObject({ loadBalancerType: 'network', internal: true });
  expect(lb.inputs.securityGroups).toEqual(['sg-api-lb-id']);
  const [listener] = ofType(run, 'aws:lb/listener:Listener');
  expect(listener.inputs).toMatchObject({
    loadBalancerArn: `arn:aws:mock:::${lb.name}`,
    port: 6443,
    protocol: 'TCP',
    defaultActions: [{ type: 'forward', targetGroupArn: 'arn:aws:mock:::control-plane-api' }],
  });
  const [targetGroup] = ofType(run, 'aws:lb/targetGroup:TargetGroup');
  expect(targetGroup.inputs).toMatchObject({ targetType: 'instance', preserveClientIp: 'false' });
  // Targets by instance id: a replaced control plane is re-registered whatever its new address.
  const attachments = ofType(run, 'aws:lb/targetGroupAttachment:TargetGroupAttachment');
  expect(attachments.map((a) => a.inputs.targetId)).toEqual(['control-plane-0-id', 'control-plane-1-id', 'control-plane-2-id']);
  const [record] = ofType(run, 'aws:route53/record:Record');
  expect(record.inputs).toMatchObject({ name: 'api.hopper.internal', type: 'A', zoneId: 'private-zone-id' });
  expect(record.inputs.aliases).toEqual([{ name: `internal-${lb.name}-0123456789.elb.amazonaws.com`, zoneId: 'Z26RNL4JYFTOTI', evaluateTargetHealth: false }]);
  expect(run.outputs.apiEndpoint).toBe('https://api.hopper.internal:6443');
  // The API servers accept 6443 from the load balancer's group, not from a CIDR.
  expect(ofType(run, INGRESS).map((r) => r.name)).toContain('sg-control-plane-kube-api-from-api-lb');
});

test('dev has no load balancer: the endpoint name points at its one control plane', () => {
  expect(ofType(runs.dev, 'aws:lb/loadBalancer:LoadBalancer')).toEqual([]);
  const [record] = ofType(runs.dev, 'aws:route53/record:Record');
  expect(record.inputs).toMatchObject({ name: 'api.hopper-dev.internal', type: 'A', ttl: 30, records: ['10.0.0.100'] });
  const [zone] = ofType(runs.dev, 'aws:route53/zone:Zone');
  expect(zone.inputs).toMatchObject({ name: 'hopper-dev.internal', vpcs: [{ vpcId: 'network-vpc-id', vpcRegion: 'us-east-1' }] });
  expect(runs.dev.outputs.apiEndpoint).toBe('https://api.hopper-dev.internal:6443');
});

test('stack outputs: the exact Session Manager tunnel command, endpoint, kubeconfig through the tunnel, one ASG per pool', () => {
  const { outputs } = runs.prod;
  expect(outputs.bastionInstanceId).toBe('bastion-id');
  expect(outputs.apiTunnelCommand).toBe(
    'aws ssm start-session --region us-east-1 --target bastion-id --document-name AWS-StartPortForwardingSessionToRemoteHost ' +
      `--parameters '{"host":["api.hopper.internal"],"portNumber":["6443"],"localPortNumber":["6443"]}'`,
  );
  // No SSH key by default: no SSH command either.
  expect(outputs.sshTunnelCommand).toBeUndefined();
  expect(outputs.controlPlaneInstanceIds).toEqual(['control-plane-0-id', 'control-plane-1-id', 'control-plane-2-id']);
  expect(Object.keys(outputs.nodePoolAutoScalingGroups as object)).toEqual(['linux-amd64', 'linux-arm64', 'windows-2019']);
  const kubeconfig = outputs.kubeconfig as string;
  expect(kubeconfig).toContain('server: https://127.0.0.1:6443');
  expect(kubeconfig).toContain('tls-server-name: api.hopper.internal');
});

test('with an SSH key, the SSH tunnel command forwards the same local port', async () => {
  const run = await runOffline(project, 'dev', withConfig('dev', { sshPublicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOfflineTest test@example' }));
  expect(run.outputs.sshTunnelCommand).toBe('ssh -N -L 6443:api.hopper-dev.internal:6443 ubuntu@203.0.113.10');
  // Setting a key later does not replace the control plane (the key is ignored on it).
  expect(run.options.get(`${INSTANCE}::control-plane-0`)?.ignoreChanges).toContain('keyName');
});

test('bastion SSH from a configured CIDR is the only ingress that may be world-open', () => {
  const world = ofType(openBastion, INGRESS).filter((r) => r.inputs.cidrIpv4 === '0.0.0.0/0');
  expect(world.map((r) => [r.name, r.inputs.fromPort, r.inputs.toPort])).toEqual([['sg-bastion-ssh-from-0-0-0-0-0', 22, 22]]);
  expect(world[0].inputs.securityGroupId).toBe('sg-bastion-id');
});

test('the edge environment is refused: it is not an AWS stack', () => {
  expect(() => requireAwsEnvironment(getEnvironment('edge'))).toThrow(/runs on microk8s, not aws-kubeadm/);
});
