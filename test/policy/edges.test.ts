/**
 * The CrossGuard rules on odd but possible inputs, and the pack adapter's edges: each case is one that a
 * mutation of the rules survived (reports/mutation/README.md); expectations written from the rule text.
 */
import { StackValidationPolicy } from '@pulumi/policy';
import { isRunByPulumiCli, policyPackArgs } from '../../policy';
import { GroupOf, INSTANCE, LAUNCH_TEMPLATE, Resource, violations } from '../../policy/rules';

const nodesGroup: Resource = { type: 'aws:ec2/securityGroup:SecurityGroup', name: 'sg-nodes', inputs: { tags: { Name: 'hopper-nodes' } } };
const groupOf: GroupOf = (rule) => (rule.inputs.securityGroupId === 'sg-nodes-id' ? nodesGroup : undefined);
const found = (...resources: Resource[]) => violations(resources, groupOf).map((v) => `${v.policy}: ${v.message}`);
const HARMLESS = '#!/bin/bash\napt-get -y upgrade\n';

describe('no-world-open-ingress', () => {
  test('non-string entries of a CIDR list are ignored, the strings still checked', () => {
    const legacy: Resource = {
      type: 'aws:ec2/securityGroupRule:SecurityGroupRule',
      name: 'legacy',
      inputs: { type: 'ingress', protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: [42, null, '0.0.0.0/0'], securityGroupId: 'sg-nodes-id' },
    };
    expect(found(legacy)).toEqual([expect.stringMatching(/^no-world-open-ingress: ingress from 0\.0\.0\.0\/0 to tcp 443 on security group hopper-nodes/)]);
    expect(found({ ...legacy, inputs: { ...legacy.inputs, cidrBlocks: [42, '10.0.0.0/8'] } })).toEqual([]);
  });

  test('a CIDR with stray whitespace is still the whole address space', () => {
    expect(found({ type: 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule', name: 'r', inputs: { securityGroupId: 'sg-nodes-id', ipProtocol: 'tcp', fromPort: 80, toPort: 80, cidrIpv4: ' 0.0.0.0/0 ' } })).toHaveLength(1);
  });
});

describe('encrypted-volumes and public-ip-only-on-bastion', () => {
  test('a launch template whose mappings carry no EBS volume is told the root volume is unencrypted, not that a mapping is', () => {
    expect(found({ type: LAUNCH_TEMPLATE, name: 'lt', inputs: { metadataOptions: { httpTokens: 'required' }, blockDeviceMappings: [{ deviceName: '/dev/sdb', noDevice: '' }] } })).toEqual([
      expect.stringMatching(/^encrypted-volumes: launch template has no EBS blockDeviceMappings, so the root volume copies the AMI snapshot unencrypted/),
    ]);
  });

  test.each([[undefined], [null]])('an instance with tags %s is named by its logical name', (tags) => {
    expect(found({ type: INSTANCE, name: 'worker', inputs: { tags, metadataOptions: { httpTokens: 'required' }, rootBlockDevice: { encrypted: true }, associatePublicIpAddress: true } })).toEqual([
      expect.stringMatching(/^public-ip-only-on-bastion: instance worker associates a public IP/),
    ]);
  });

  test('only instances are judged by a top-level associatePublicIpAddress, only launch templates by their interfaces', () => {
    const lt: Resource = { type: LAUNCH_TEMPLATE, name: 'lt', inputs: { metadataOptions: { httpTokens: 'required' }, blockDeviceMappings: [{ deviceName: '/dev/sda1', ebs: { encrypted: 'true' } }], associatePublicIpAddress: true } };
    expect(found(lt)).toEqual([]);
    expect(found({ type: 'aws:ec2/networkInterface:NetworkInterface', name: 'eni', inputs: { networkInterfaces: [{ associatePublicIpAddress: true }] } })).toEqual([]);
  });
});

describe('no-secrets-in-user-data', () => {
  const instance = (inputs: Record<string, unknown>, secretInputs?: string[]): Resource => ({
    type: INSTANCE,
    name: 'i',
    inputs: { tags: { Name: 'hopper-worker' }, metadataOptions: { httpTokens: 'required' }, rootBlockDevice: { encrypted: true }, ...inputs },
    ...(secretInputs ? { secretInputs } : {}),
  });

  test('harmless user-data marked secret by either input name is refused; another secret input is not about user-data', () => {
    expect(found(instance({ userData: HARMLESS }, ['userData']))).toEqual([expect.stringContaining('user-data is a Pulumi secret')]);
    expect(found(instance({ userDataBase64: Buffer.from(HARMLESS).toString('base64') }, ['userDataBase64']))).toEqual([expect.stringContaining('user-data is a Pulumi secret')]);
    expect(found(instance({ userData: HARMLESS }, ['password']))).toEqual([]);
    expect(found(instance({ userData: HARMLESS }))).toEqual([]);
    // Marked secret but absent: there is no user-data to carry anything.
    expect(found(instance({}, ['userData']))).toEqual([]);
  });

  test('base64 user-data wrapped over several lines is decoded before looking for secrets', () => {
    const script = `#!/bin/bash\n${'echo filler line to wrap the encoding\n'.repeat(4)}kubeadm join --token abcdef.0123456789abcdef\n`;
    const wrapped = Buffer.from(script).toString('base64').replace(/(.{76})/g, '$1\n');
    expect(wrapped).toContain('\n');
    expect(found(instance({ userData: wrapped }))).toEqual([expect.stringContaining('user-data carries a kubeadm bootstrap token in plain text')]);
  });

  test('several kinds of secret are all named', () => {
    expect(found(instance({ userData: 'key=-----BEGIN PRIVATE KEY-----\nkubeadm join --token abcdef.0123456789abcdef\n' }))).toEqual([
      expect.stringContaining('user-data carries a private key, a kubeadm bootstrap token in plain text'),
    ]);
  });

  test('user-data that is not text yet (an unresolved output) is not inspected; other resource types are not either', () => {
    expect(found(instance({ userData: { unresolved: true } }))).toEqual([]);
    expect(found({ type: 'aws:s3/bucketObjectv2:BucketObjectv2', name: 'o', inputs: { userData: 'kubeadm join --token abcdef.0123456789abcdef' } })).toEqual([]);
  });
});

describe('the pack adapter', () => {
  test('registers a mandatory pack', () => {
    expect(policyPackArgs().enforcementLevel).toBe('mandatory');
  });

  test('a rule whose security group is unknown to the engine is still checked, as "(unresolved)"', async () => {
    const [ingress] = policyPackArgs().policies as [StackValidationPolicy];
    const reported: string[] = [];
    const rule = {
      type: 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule',
      name: 'open',
      urn: 'urn:open',
      props: { cidrIpv4: '0.0.0.0/0', ipProtocol: 'tcp', fromPort: 22, toPort: 22 },
      opts: { additionalSecretOutputs: [] },
      propertyDependencies: {},
    };
    await ingress.validateStack({ resources: [rule] } as never, (message) => reported.push(message));
    expect(reported).toEqual([expect.stringContaining('on security group (unresolved) opens it to the internet')]);
  });

  test('no main module (node -e, a REPL) is not the Pulumi CLI', () => {
    expect(isRunByPulumiCli(null as unknown as NodeModule)).toBe(false);
  });
});
