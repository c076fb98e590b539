import { ResourceValidationPolicy, StackValidationPolicy } from '@pulumi/policy';
import { readFileSync } from 'fs';
import { join } from 'path';
import { byId, PlannedResource } from '../infra/checks/common';
import { isRunByPulumiCli, POLICY_PACK_NAME, policyPackArgs } from '../policy';
import { AWS_POLICIES, GroupOf, INSTANCE, LAUNCH_TEMPLATE, Resource, violations } from '../policy/rules';

const readPlan = (stack: string): PlannedResource[] => JSON.parse(readFileSync(join(__dirname, '..', 'dist', 'infra', `${stack}.plan.json`), 'utf8'));
const plans = { dev: readPlan('dev'), prod: readPlan('prod') };
const groupOfIn = (plan: readonly PlannedResource[]): GroupOf => (rule) => byId(plan, rule.inputs.securityGroupId, 'aws:ec2/securityGroup:SecurityGroup');
const prod = plans.prod;
const find = (name: string) => prod.find((r) => r.name === name)!;
const check = (...resources: Resource[]) => violations(resources, groupOfIn(prod)).map((v) => `${v.policy}: ${v.message}`);

const controlPlane = find('control-plane-0');
const launchTemplate = prod.find((r) => r.type === LAUNCH_TEMPLATE)!;
const apiFromNodes = find('sg-control-plane-kube-api-from-nodes');
const sshFromBastion = find('sg-nodes-ssh-from-bastion');
const edit = (r: PlannedResource, inputs: Record<string, unknown>): Resource => ({ ...r, inputs: { ...r.inputs, ...inputs } });

describe.each(['dev', 'prod'] as const)('the committed %s plan', (stack) => {
  test('violates no policy', () => {
    expect(violations(plans[stack], groupOfIn(plans[stack]))).toEqual([]);
  });

  test('holds what the policies inspect (so the clean run means something)', () => {
    const types = new Set(plans[stack].map((r) => r.type));
    for (const type of [INSTANCE, LAUNCH_TEMPLATE, 'aws:ec2/securityGroup:SecurityGroup', 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule']) {
      expect(types).toContain(type);
    }
    // Reviewable user-data: no secret in it, so nothing is masked.
    const userData = plans[stack].filter((r) => r.type === INSTANCE && /control-plane/.test(r.name)).map((r) => r.inputs.userData);
    expect(userData.length).toBeGreaterThan(0);
    for (const u of userData) expect(u).toMatch(/^#!\/bin\/bash\n/);
  });
});

describe('no world-open ingress', () => {
  test('0.0.0.0/0 on 6443 is refused, naming the group', () => {
    expect(check(edit(apiFromNodes, { referencedSecurityGroupId: undefined, cidrIpv4: '0.0.0.0/0' }))).toEqual([
      'no-world-open-ingress: ingress from 0.0.0.0/0 to tcp 6443 on security group hopper-control-plane opens it to the internet; ' +
        'only SSH (tcp 22) to the bastion group may be world-open: use a source security group or the VPC CIDR',
    ]);
  });

  test('SSH from anywhere is allowed on the bastion group only', () => {
    const bastionSsh = { ...sshFromBastion, inputs: { ...sshFromBastion.inputs, securityGroupId: 'sg-bastion-id', referencedSecurityGroupId: undefined } };
    expect(check(edit(bastionSsh, { cidrIpv4: '0.0.0.0/0' }), edit(bastionSsh, { cidrIpv6: '::/0' }))).toEqual([]);
    expect(check(edit(sshFromBastion, { cidrIpv4: '0.0.0.0/0' }))).toEqual([
      expect.stringMatching(/^no-world-open-ingress: ingress from 0\.0\.0\.0\/0 to tcp 22 on security group hopper-nodes opens it/),
    ]);
    expect(check(edit(bastionSsh, { cidrIpv6: '::/0', fromPort: 80, toPort: 80 }))).toEqual([expect.stringContaining('ingress from ::/0 to tcp 80 on security group hopper-bastion')]);
  });

  test('the inline and legacy rule spellings are checked too', () => {
    const group = find('sg-nodes');
    const inline = edit(group, { ingress: [{ protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: ['0.0.0.0/0'] }] });
    const legacy: Resource = {
      type: 'aws:ec2/securityGroupRule:SecurityGroupRule',
      name: 'legacy',
      inputs: { type: 'ingress', protocol: 'tcp', fromPort: 30000, toPort: 32767, cidrBlocks: ['10.0.0.0/16'], ipv6CidrBlocks: ['::/0'], securityGroupId: 'sg-nodes-id' },
    };
    expect(check(inline, legacy)).toEqual([
      expect.stringContaining('ingress from 0.0.0.0/0 to all traffic on security group hopper-nodes'),
      expect.stringContaining('ingress from ::/0 to tcp 30000-32767 on security group hopper-nodes'),
    ]);
  });
});

describe('instances and launch templates', () => {
  test('IMDSv1 is refused', () => {
    expect(check(edit(controlPlane, { metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'optional' } }), edit(launchTemplate, { metadataOptions: undefined }))).toEqual([
      'imdsv2-required: metadataOptions.httpTokens is "optional", so IMDSv1 answers unauthenticated requests (SSRF steals the role credentials); set it to "required" (infra/hardening.ts imdsV2)',
      'imdsv2-required: metadataOptions.httpTokens is unset, so IMDSv1 answers unauthenticated requests (SSRF steals the role credentials); set it to "required" (infra/hardening.ts imdsV2)',
    ]);
  });

  test('unencrypted volumes are refused', () => {
    const unencryptedMapping = [{ deviceName: '/dev/sda1', ebs: { encrypted: 'false', volumeSize: 40 } }];
    expect(
      check(
        edit(controlPlane, { rootBlockDevice: { encrypted: false, volumeSize: 50 } }),
        edit(controlPlane, { rootBlockDevice: undefined }),
        edit(launchTemplate, { blockDeviceMappings: unencryptedMapping }),
        edit(launchTemplate, { blockDeviceMappings: [] }),
        { type: 'aws:ebs/volume:Volume', name: 'data', inputs: { size: 10 } },
      ),
    ).toEqual([
      'encrypted-volumes: instance hopper-control-plane-0 rootBlockDevice.encrypted is not true; set encrypted: true (infra/hardening.ts encryptedRootVolume)',
      'encrypted-volumes: instance hopper-control-plane-0 has no rootBlockDevice, so the root volume copies the AMI snapshot unencrypted; set encrypted: true (infra/hardening.ts encryptedRootVolume)',
      'encrypted-volumes: launch template blockDeviceMappings /dev/sda1: ebs.encrypted is not "true"; set it (infra/hardening.ts encryptedRootVolumeMapping)',
      'encrypted-volumes: launch template has no EBS blockDeviceMappings, so the root volume copies the AMI snapshot unencrypted; map /dev/sda1 with ebs.encrypted "true" (infra/hardening.ts encryptedRootVolumeMapping)',
      'encrypted-volumes: EBS volume encrypted is not true; set encrypted: true',
    ]);
  });

  test('public IPs are refused everywhere but the bastion', () => {
    expect(check(find('bastion'))).toEqual([]);
    expect(check(edit(controlPlane, { associatePublicIpAddress: true }), edit(launchTemplate, { networkInterfaces: [{ associatePublicIpAddress: 'true' }] }))).toEqual([
      'public-ip-only-on-bastion: instance hopper-control-plane-0 associates a public IP, but only the bastion (tag Name=<cluster>-bastion, in a public subnet) may; set associatePublicIpAddress: false',
      'public-ip-only-on-bastion: launch template hopper-node-linux-amd64 associates a public IP with its nodes; node pools live in private subnets: set networkInterfaces[].associatePublicIpAddress "false"',
    ]);
  });

  test('plain-text user-data carrying secrets is refused, base64 or not', () => {
    const script = '#!/bin/bash\nkubeadm join 10.0.0.10:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash sha256:00\n';
    const key = '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n';
    const fix = 'fetch secrets at boot from an SSM SecureString parameter only the instance role may decrypt (infra/cluster-store.ts)';
    expect(check(edit(launchTemplate, { userData: Buffer.from(script).toString('base64') }), edit(find('bastion'), { userData: `cat > /etc/ca.key <<EOF\n${key}EOF\n` }))).toEqual([
      `no-secrets-in-user-data: launch template hopper-node-linux-amd64 user-data carries a kubeadm bootstrap token in plain text (visible in state, plans and the console); ${fix}`,
      `no-secrets-in-user-data: instance hopper-bastion user-data carries a private key in plain text (visible in state, plans and the console); ${fix}`,
    ]);
  });

  test('secret user-data is refused too: it still reaches anyone who may describe the instance', () => {
    const fix = 'fetch secrets at boot from an SSM SecureString parameter only the instance role may decrypt (infra/cluster-store.ts)';
    const message = `no-secrets-in-user-data: instance hopper-control-plane-0 user-data is a Pulumi secret, so it carries secrets that ec2:DescribeInstanceAttribute / DescribeLaunchTemplateVersions reveal (and that nobody can review in a plan); ${fix}`;
    // In a plan, "[secret]"; under the CLI, secretness is known from additionalSecretOutputs.
    expect(check(edit(controlPlane, { userData: '[secret]' }))).toEqual([message]);
    expect(check({ ...edit(controlPlane, { userData: 'kubeadm init' }), secretInputs: ['userData'] })).toEqual([message]);
    // The committed control-plane user-data reads its secrets from SSM: nothing to refuse.
    expect(check(controlPlane)).toEqual([]);
    expect(check(edit(find('bastion'), { userData: '#!/bin/bash\napt-get -y upgrade\n' }))).toEqual([]);
  });
});

describe('the policy pack', () => {
  test('registers every rule as mandatory under its own name, without serving when imported', () => {
    const args = policyPackArgs();
    expect(POLICY_PACK_NAME).toBe('k8s-book-systems-aws');
    expect(args.policies.map((p) => [p.name, p.enforcementLevel])).toEqual(AWS_POLICIES.map((p) => [p.name, 'mandatory']));
    expect(isRunByPulumiCli()).toBe(false);
    expect(isRunByPulumiCli({ filename: '/x/node_modules/@pulumi/pulumi/cmd/run-policy-pack/index.js' } as NodeModule)).toBe(true);
  });

  test('the registered adapters report what the pure rules find', async () => {
    const [ingressPolicy, imdsPolicy] = policyPackArgs().policies as [StackValidationPolicy, ResourceValidationPolicy];
    const reported: Array<[string, string | undefined]> = [];
    const group = { type: 'aws:ec2/securityGroup:SecurityGroup', name: 'sg-api', props: { tags: { Name: 'hopper-control-plane' } }, opts: { additionalSecretOutputs: [] } };
    const rule = {
      ...{ type: 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule', name: 'open', urn: 'urn:open' },
      props: { cidrIpv4: '0.0.0.0/0', ipProtocol: 'tcp', fromPort: 6443, toPort: 6443 },
      opts: { additionalSecretOutputs: [] },
      propertyDependencies: { securityGroupId: [group] },
    };
    await ingressPolicy.validateStack({ resources: [rule] } as never, (message, urn) => reported.push([message, urn]));
    const instance = { type: INSTANCE, name: 'i', props: { metadataOptions: { httpTokens: 'optional' } }, opts: { additionalSecretOutputs: [] } };
    await (imdsPolicy.validateResource as (a: unknown, r: (m: string) => void) => void)(instance, (message) => reported.push([message, undefined]));
    expect(reported).toEqual([
      [expect.stringContaining('ingress from 0.0.0.0/0 to tcp 6443 on security group hopper-control-plane'), 'urn:open'],
      [expect.stringContaining('metadataOptions.httpTokens is "optional"'), undefined],
    ]);
  });
});
