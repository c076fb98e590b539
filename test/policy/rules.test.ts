/**
 * The CrossGuard rules one boundary at a time, on hand-built resources: each expectation is written from
 * the rule's statement in the project's guardrails (and AWS's meaning of the fields), not from the rules' code.
 */
import { AWS_POLICIES, GroupOf, INSTANCE, LAUNCH_TEMPLATE, Resource, SECRET_MASK, violations } from '../../policy/rules';

const SG = 'aws:ec2/securityGroup:SecurityGroup';
const SG_RULE = 'aws:ec2/securityGroupRule:SecurityGroupRule';
const INGRESS = 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule';
const EGRESS = 'aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule';

const bastionGroup: Resource = { type: SG, name: 'sg-bastion', inputs: { tags: { Name: 'hopper-bastion' } } };
const nodesGroup: Resource = { type: SG, name: 'sg-nodes', inputs: { tags: { Name: 'hopper-nodes' } } };
const groups: Record<string, Resource> = { 'sg-bastion-id': bastionGroup, 'sg-nodes-id': nodesGroup };
const groupOf: GroupOf = (rule) => groups[String(rule.inputs.securityGroupId)];

/** `policy-name` per violation, in order. */
const refused = (...resources: Resource[]) => violations(resources, groupOf).map((v) => v.policy);
const messages = (...resources: Resource[]) => violations(resources, groupOf).map((v) => v.message);

const ingress = (inputs: Record<string, unknown>, group = 'sg-bastion-id'): Resource => ({
  type: INGRESS,
  name: 'rule',
  inputs: { securityGroupId: group, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '0.0.0.0/0', ...inputs },
});

describe('no-world-open-ingress: the bastion exemption is exactly world-open TCP port 22 on the bastion group', () => {
  test.each([
    ['tcp 22', { ipProtocol: 'tcp' }],
    ['protocol number 6 (TCP), port 22', { ipProtocol: '6' }],
    ['tcp 22 from ::/0', { cidrIpv4: undefined, cidrIpv6: '::/0' }],
  ])('allowed: %s', (_what, inputs) => {
    expect(refused(ingress(inputs))).toEqual([]);
  });

  test.each([
    ['tcp 22-65535 (the range starts at 22 but opens every high port)', { fromPort: 22, toPort: 65535 }],
    ['tcp 0-22 (the range ends at 22)', { fromPort: 0, toPort: 22 }],
    ['tcp 21-23', { fromPort: 21, toPort: 23 }],
    ['tcp 2222', { fromPort: 2222, toPort: 2222 }],
    ['udp 22', { ipProtocol: 'udp' }],
    ['protocol 17 (UDP), port 22', { ipProtocol: '17' }],
    ['all traffic (-1) even with ports 22-22', { ipProtocol: '-1' }],
    ['tcp 22 from ::/0 to tcp 22-65535', { cidrIpv4: undefined, cidrIpv6: '::/0', toPort: 65535 }],
  ])('refused on the bastion group: %s', (_what, inputs) => {
    expect(refused(ingress(inputs))).toEqual(['no-world-open-ingress']);
  });

  test('tcp 22 from the world is refused on any group but the bastion, and when the group cannot be resolved', () => {
    expect(refused(ingress({}, 'sg-nodes-id'), ingress({}, 'sg-unknown-id'))).toEqual(['no-world-open-ingress', 'no-world-open-ingress']);
    expect(messages(ingress({}, 'sg-unknown-id'))[0]).toContain('on security group (unresolved)');
  });

  test('a group is the bastion by its Name tag <cluster>-bastion, not by a tag that merely contains "bastion"', () => {
    const lookalike: Resource = { type: SG, name: 'sg-x', inputs: { tags: { Name: 'hopper-bastion-logs' } } };
    const byName = (rule: Resource) => violations([rule], () => lookalike).map((v) => v.policy);
    expect(byName(ingress({}))).toEqual(['no-world-open-ingress']);
  });

  test.each([['0.0.0.0/0'], ['::/0'], ['::0/0'], ['0::/0'], ['10.0.0.0/0']])('%s is the whole address space', (cidr) => {
    const key = cidr.includes(':') ? 'cidrIpv6' : 'cidrIpv4';
    expect(refused(ingress({ cidrIpv4: undefined, [key]: cidr, fromPort: 443, toPort: 443 }))).toEqual(['no-world-open-ingress']);
  });

  test.each([['0.0.0.0/1'], ['10.0.0.0/16'], ['203.0.113.7/32'], ['2001:db8::/32']])('%s is not world-open', (cidr) => {
    const key = cidr.includes(':') ? 'cidrIpv6' : 'cidrIpv4';
    expect(refused(ingress({ cidrIpv4: undefined, [key]: cidr, fromPort: 443, toPort: 443 }, 'sg-nodes-id'))).toEqual([]);
  });

  test('rules without a CIDR source, and egress rules, are not ingress from the world', () => {
    expect(refused(ingress({ cidrIpv4: undefined, referencedSecurityGroupId: 'sg-bastion-id', fromPort: 6443, toPort: 6443 }, 'sg-nodes-id'))).toEqual([]);
    expect(refused({ type: EGRESS, name: 'out', inputs: { securityGroupId: 'sg-nodes-id', ipProtocol: '-1', cidrIpv4: '0.0.0.0/0' } })).toEqual([]);
    expect(refused({ type: SG_RULE, name: 'out', inputs: { type: 'egress', protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: ['0.0.0.0/0'], securityGroupId: 'sg-nodes-id' } })).toEqual([]);
    expect(refused({ ...nodesGroup, inputs: { ...nodesGroup.inputs, egress: [{ protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: ['0.0.0.0/0'] }] } })).toEqual([]);
  });

  test('legacy SecurityGroupRule and inline ingress get the same exemption and the same refusals', () => {
    const legacy = (inputs: Record<string, unknown>): Resource => ({
      type: SG_RULE,
      name: 'legacy',
      inputs: { type: 'ingress', protocol: 'tcp', fromPort: 22, toPort: 22, cidrBlocks: ['0.0.0.0/0'], securityGroupId: 'sg-bastion-id', ...inputs },
    });
    expect(refused(legacy({}), legacy({ cidrBlocks: undefined, ipv6CidrBlocks: ['::/0'] }))).toEqual([]);
    expect(refused(legacy({ toPort: 65535 }), legacy({ securityGroupId: 'sg-nodes-id' }))).toEqual(['no-world-open-ingress', 'no-world-open-ingress']);
    const inline = (rules: unknown[], group = bastionGroup): Resource => ({ ...group, inputs: { ...group.inputs, ingress: rules } });
    expect(refused(inline([{ protocol: 'tcp', fromPort: 22, toPort: 22, cidrBlocks: ['0.0.0.0/0'] }]))).toEqual([]);
    expect(
      refused(
        inline([
          { protocol: 'tcp', fromPort: 22, toPort: 65535, cidrBlocks: ['0.0.0.0/0'] },
          { protocol: 'tcp', fromPort: 22, toPort: 22, ipv6CidrBlocks: ['::/0'] },
        ], nodesGroup),
      ),
    ).toEqual(['no-world-open-ingress', 'no-world-open-ingress']);
  });

  test('one refusal per world-open source, naming source, ports and group', () => {
    expect(messages(ingress({ cidrIpv4: '0.0.0.0/0', cidrIpv6: '::/0', fromPort: 80, toPort: 443 }, 'sg-nodes-id'))).toEqual([
      expect.stringMatching(/^ingress from 0\.0\.0\.0\/0 to tcp 80-443 on security group hopper-nodes opens it to the internet; /),
      expect.stringMatching(/^ingress from ::\/0 to tcp 80-443 on security group hopper-nodes opens it to the internet; /),
    ]);
    expect(messages(ingress({ ipProtocol: 'all' }, 'sg-nodes-id'))[0]).toContain('to all traffic on');
    expect(messages(ingress({ fromPort: 8080, toPort: 8080 }, 'sg-nodes-id'))[0]).toContain('to tcp 8080 on');
  });
});

const instance = (inputs: Record<string, unknown>, name = 'hopper-worker-0'): Resource => ({
  type: INSTANCE,
  name: 'i',
  inputs: {
    tags: { Name: name },
    metadataOptions: { httpTokens: 'required' },
    rootBlockDevice: { encrypted: true },
    userData: '#!/bin/bash\ntrue\n',
    ...inputs,
  },
});
const launchTemplate = (inputs: Record<string, unknown>): Resource => ({
  type: LAUNCH_TEMPLATE,
  name: 'lt',
  inputs: {
    tags: { Name: 'hopper-node-linux' },
    metadataOptions: { httpTokens: 'required' },
    blockDeviceMappings: [{ deviceName: '/dev/sda1', ebs: { encrypted: 'true' } }],
    ...inputs,
  },
});

describe('instances and launch templates', () => {
  test('a compliant instance and launch template pass', () => {
    expect(refused(instance({}), launchTemplate({}))).toEqual([]);
  });

  test('imdsv2-required: only "required" passes, on instances and launch templates; other resources are not inspected', () => {
    for (const tokens of ['optional', undefined, 'Required', true]) {
      expect(refused(instance({ metadataOptions: { httpTokens: tokens } }), launchTemplate({ metadataOptions: { httpTokens: tokens } }))).toEqual(['imdsv2-required', 'imdsv2-required']);
    }
    expect(refused({ type: 'aws:ec2/eip:Eip', name: 'eip', inputs: {} }, { type: 'aws:ebs/volume:Volume', name: 'v', inputs: { encrypted: true } })).toEqual([]);
  });

  test('encrypted-volumes: true or "true" passes; anything else, or a missing root volume, is refused', () => {
    expect(refused(instance({ rootBlockDevice: { encrypted: 'true' } }), launchTemplate({ blockDeviceMappings: [{ deviceName: '/dev/sda1', ebs: { encrypted: true } }] }))).toEqual([]);
    expect(
      refused(
        instance({ rootBlockDevice: { encrypted: 'false' } }),
        instance({ rootBlockDevice: {} }),
        instance({ rootBlockDevice: undefined }),
        launchTemplate({ blockDeviceMappings: [{ deviceName: '/dev/sda1', ebs: { encrypted: 'false' } }] }),
        launchTemplate({ blockDeviceMappings: [{ deviceName: '/dev/sdb', noDevice: '' }] }),
        launchTemplate({ blockDeviceMappings: undefined }),
      ),
    ).toEqual(Array(6).fill('encrypted-volumes'));
  });

  test('encrypted-volumes: every additional EBS device is checked, by index', () => {
    expect(messages(instance({ ebsBlockDevices: [{ encrypted: true }, { encrypted: false }, {}] }))).toEqual([
      expect.stringContaining('ebsBlockDevices[1].encrypted is not true'),
      expect.stringContaining('ebsBlockDevices[2].encrypted is not true'),
    ]);
    expect(
      messages(launchTemplate({ blockDeviceMappings: [{ deviceName: '/dev/sda1', ebs: { encrypted: 'true' } }, { deviceName: '/dev/sdf', ebs: {} }] })),
    ).toEqual([expect.stringContaining('blockDeviceMappings /dev/sdf: ebs.encrypted is not "true"')]);
  });

  test('encrypted-volumes: standalone EBS volumes', () => {
    const volume = (inputs: Record<string, unknown>): Resource => ({ type: 'aws:ebs/volume:Volume', name: 'v', inputs });
    expect(refused(volume({ encrypted: true }), volume({ encrypted: 'true' }))).toEqual([]);
    expect(refused(volume({}), volume({ encrypted: false }))).toEqual(['encrypted-volumes', 'encrypted-volumes']);
  });

  test('public-ip-only-on-bastion: true or "true" on anything but the bastion instance is refused', () => {
    expect(refused(instance({ associatePublicIpAddress: true }, 'hopper-bastion'), instance({ associatePublicIpAddress: false }))).toEqual([]);
    expect(refused(instance({ associatePublicIpAddress: 'true' }), instance({ associatePublicIpAddress: true }, 'hopper-bastion-2'))).toEqual([
      'public-ip-only-on-bastion',
      'public-ip-only-on-bastion',
    ]);
    expect(refused(launchTemplate({ networkInterfaces: [{ associatePublicIpAddress: 'false' }, { associatePublicIpAddress: true }] }))).toEqual(['public-ip-only-on-bastion']);
    expect(refused(launchTemplate({ networkInterfaces: [{ associatePublicIpAddress: 'false' }] }))).toEqual([]);
  });
});

describe('no-secrets-in-user-data', () => {
  const secrets: Array<[string, string]> = [
    ['a private key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbg==\n-----END OPENSSH PRIVATE KEY-----'],
    ['a private key', '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----'],
    ['a kubeadm bootstrap token', 'kubeadm join 10.0.0.10:6443 --token 7f3k9a.q2w8e4r6t1y5u3i7'],
    ['a kubeadm certificate key', `kubeadm join --control-plane --certificate-key ${'0a'.repeat(32)}`],
    ['a kubeadm certificate key', `certificateKey: "${'f1'.repeat(32)}"`],
    ['an AWS access key', 'export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE'],
    ['a password', 'echo "password: hunter22" > /etc/app.conf'],
    ['a password', 'DB_PASSWORD=s3cr3t-value ./run'],
    // The forms config files use: JSON (quote before the colon), spaced assignment, a quoted value.
    ['a password', '{"password": "hunter22"}'],
    ['a password', "export PASSWORD = 'hunter22'"],
    ['a password', 'password:"hunter22"'],
  ];

  test.each(secrets)('plain-text user-data carrying %s is refused, in clear and in base64', (what, line) => {
    const script = `#!/bin/bash\n${line}\n`;
    expect(messages(instance({ userData: script }))).toEqual([expect.stringContaining(`user-data carries ${what} in plain text`)]);
    expect(messages(launchTemplate({ userData: Buffer.from(script).toString('base64') }))).toEqual([expect.stringContaining(`user-data carries ${what} in plain text`)]);
    expect(messages(instance({ userDataBase64: Buffer.from(script).toString('base64'), userData: undefined }))).toEqual([expect.stringContaining(`carries ${what}`)]);
  });

  test.each(secrets)('%s as a Pulumi secret is refused as well (masked in the plan, or an additional secret output)', (_what, line) => {
    expect(refused(instance({ userData: SECRET_MASK }))).toEqual(['no-secrets-in-user-data']);
    expect(refused({ ...instance({ userData: `#!/bin/bash\n${line}\n` }), secretInputs: ['userData'] })).toEqual(['no-secrets-in-user-data']);
    expect(refused({ ...launchTemplate({ userData: Buffer.from(line).toString('base64') }), secretInputs: ['userDataBase64'] })).toEqual(['no-secrets-in-user-data']);
    expect(messages(instance({ userData: SECRET_MASK }))).toEqual([expect.stringContaining('user-data is a Pulumi secret, so it carries secrets that ec2:DescribeInstanceAttribute')]);
  });

  test('look-alikes that are not secrets pass', () => {
    // A password of fewer than 4 characters is a placeholder or a prompt, not a credential.
    for (const line of ['apt-get install -y kubeadm=1.34.1-1.1', 'echo "password prompt disabled"', 'password: abc', 'token=abc.def', 'AKIA-docs', 'sha256:0123456789abcdef']) {
      expect(refused(instance({ userData: `#!/bin/bash\n${line}\n` }))).toEqual([]);
    }
  });

  test('user-data without secrets passes on control planes, workers and launch templates alike', () => {
    const harmless = '#!/bin/bash\nbootstrap_token=$(cluster-parameter bootstrap-token)\nkubeadm init --config /etc/kubeadm/init.yaml\n';
    expect(refused(instance({ userData: harmless }, 'hopper-control-plane-1'), instance({ userData: harmless }))).toEqual([]);
    expect(refused(launchTemplate({ userData: Buffer.from(harmless).toString('base64'), tags: { Name: 'hopper-control-plane-lt' } }))).toEqual([]);
    expect(refused(instance({ userData: undefined }, 'hopper-control-plane-1'))).toEqual([]);
  });
});

test('each policy tells the operator what it protects (the Pulumi CLI prints the description with a violation)', () => {
  const described = Object.fromEntries(AWS_POLICIES.map((p) => [p.name, p.description]));
  expect(described['no-world-open-ingress']).toMatch(/0\.0\.0\.0\/0 or ::\/0, except SSH \(tcp 22\) to the bastion/);
  expect(described['imdsv2-required']).toMatch(/IMDSv2 \(metadataOptions\.httpTokens = "required"/);
  expect(described['encrypted-volumes']).toMatch(/^EBS volumes .* are encrypted\.$/);
  expect(described['public-ip-only-on-bastion']).toMatch(/^Only the bastion gets a public IP/);
  expect(described['no-secrets-in-user-data']).toMatch(/^User-data carries no secret .* SSM SecureString parameters\.$/);
});

test('violations name the policy and the resource as <type>::<name>, in resource order then policy order', () => {
  const bad = instance({ metadataOptions: {}, associatePublicIpAddress: true, rootBlockDevice: undefined });
  expect(violations([bad, ingress({ toPort: 23 })], groupOf).map((v) => [v.policy, v.resource])).toEqual([
    ['imdsv2-required', `${INSTANCE}::i`],
    ['encrypted-volumes', `${INSTANCE}::i`],
    ['public-ip-only-on-bastion', `${INSTANCE}::i`],
    ['no-world-open-ingress', `${INGRESS}::rule`],
  ]);
  expect(AWS_POLICIES.map((p) => [p.name, p.stack === true])).toEqual([
    ['no-world-open-ingress', true],
    ['imdsv2-required', false],
    ['encrypted-volumes', false],
    ['public-ip-only-on-bastion', false],
    ['no-secrets-in-user-data', false],
  ]);
});
