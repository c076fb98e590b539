/**
 * The AWS rules of the project's guardrails as pure functions of one resource's inputs: no world-open ingress but SSH to
 * the bastion, IMDSv2, encrypted EBS, public IPs only on the bastion, no secret in user-data (plain or
 * Pulumi secret). `index.ts` registers them with the Pulumi CLI; the tests run them on the offline plans.
 */

/** One resource as the offline plan records it; `secretInputs` lists inputs known to be Pulumi secrets. */
export interface Resource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly secretInputs?: readonly string[];
}

/** The security group a standalone rule attaches to (its `securityGroupId`), when it can be resolved. */
export type GroupOf = (rule: Resource) => Resource | undefined;

export interface AwsPolicy {
  readonly name: string;
  readonly description: string;
  /** Needs other resources (`groupOf`): registered as a stack policy, the others as resource policies. */
  readonly stack?: boolean;
  readonly check: (resource: Resource, groupOf: GroupOf) => string[];
}

/** How `npm run plan` shows a Pulumi secret. */
export const SECRET_MASK = '[secret]';

export const INSTANCE = 'aws:ec2/instance:Instance';
export const LAUNCH_TEMPLATE = 'aws:ec2/launchTemplate:LaunchTemplate';
const SECURITY_GROUP = 'aws:ec2/securityGroup:SecurityGroup';
const SECURITY_GROUP_RULE = 'aws:ec2/securityGroupRule:SecurityGroupRule';
const INGRESS_RULE = 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule';
const VOLUME = 'aws:ebs/volume:Volume';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const nameOf = (r: Resource | undefined): string | undefined => obj(r?.inputs.tags).Name as string | undefined;

/** infra tags the bastion and its group `Name=<cluster>-bastion` (infra/bastion.ts, infra/security-groups.ts). */
function isBastion(r: Resource | undefined): boolean {
  return /-bastion$/.test(nameOf(r) ?? '');
}

/** Launch templates spell booleans as strings. */
const isTrue = (v: unknown) => v === true || v === 'true';

interface Ingress {
  readonly cidrs: readonly string[];
  readonly protocol: string;
  readonly from: unknown;
  readonly to: unknown;
  readonly group: Resource | undefined;
}

/** Every CIDR-sourced ingress a resource opens, whichever of the three AWS spellings it uses. */
function ingressesOf(r: Resource, groupOf: GroupOf): Ingress[] {
  const cidrs = (...values: unknown[]) => values.flatMap((v) => (typeof v === 'string' ? [v] : list(v).filter((c): c is string => typeof c === 'string')));
  const i = r.inputs;
  switch (r.type) {
    case INGRESS_RULE:
      return [{ cidrs: cidrs(i.cidrIpv4, i.cidrIpv6), protocol: String(i.ipProtocol), from: i.fromPort, to: i.toPort, group: groupOf(r) }];
    case SECURITY_GROUP_RULE:
      return i.type === 'ingress'
        ? [{ cidrs: cidrs(i.cidrBlocks, i.ipv6CidrBlocks), protocol: String(i.protocol), from: i.fromPort, to: i.toPort, group: groupOf(r) }]
        : [];
    case SECURITY_GROUP:
      return list(i.ingress).map((rule) => {
        const o = obj(rule);
        return { cidrs: cidrs(o.cidrBlocks, o.ipv6CidrBlocks), protocol: String(o.protocol), from: o.fromPort, to: o.toPort, group: r };
      });
    default:
      return [];
  }
}

function describePorts(rule: Ingress): string {
  if (rule.protocol === '-1' || rule.protocol === 'all') return 'all traffic';
  return `${rule.protocol} ${rule.from === rule.to ? String(rule.from) : `${String(rule.from)}-${String(rule.to)}`}`;
}

/** A /0 source is the whole address space however its address is spelled (0.0.0.0/0, ::/0, ::0/0, 10.0.0.0/0). */
const isWorld = (cidr: string) => /\/0$/.test(cidr.trim());

export const noWorldOpenIngress: AwsPolicy = {
  name: 'no-world-open-ingress',
  description: 'No security group ingress from 0.0.0.0/0 or ::/0, except SSH (tcp 22) to the bastion group where configured.',
  stack: true,
  check: (r, groupOf) =>
    ingressesOf(r, groupOf).flatMap((rule) =>
      rule.cidrs
        .filter(isWorld)
        .filter(() => !(['tcp', '6'].includes(rule.protocol) && rule.from === 22 && rule.to === 22 && isBastion(rule.group)))
        .map(
          (cidr) =>
            `ingress from ${cidr} to ${describePorts(rule)} on security group ${nameOf(rule.group) ?? '(unresolved)'} opens it to the internet; ` +
            'only SSH (tcp 22) to the bastion group may be world-open: use a source security group or the VPC CIDR',
        ),
    ),
};

export const imdsV2Required: AwsPolicy = {
  name: 'imdsv2-required',
  description: 'Instances and launch templates require IMDSv2 (metadataOptions.httpTokens = "required").',
  check: (r) => {
    if (r.type !== INSTANCE && r.type !== LAUNCH_TEMPLATE) return [];
    const tokens = obj(r.inputs.metadataOptions).httpTokens;
    return tokens === 'required'
      ? []
      : [`metadataOptions.httpTokens is ${tokens === undefined ? 'unset' : JSON.stringify(tokens)}, so IMDSv1 answers unauthenticated requests (SSRF steals the role credentials); set it to "required" (infra/hardening.ts imdsV2)`];
  },
};

export const encryptedVolumes: AwsPolicy = {
  name: 'encrypted-volumes',
  description: 'EBS volumes of instances, launch templates and standalone volumes are encrypted.',
  check: (r) => {
    const i = r.inputs;
    if (r.type === INSTANCE) {
      const problems =
        i.rootBlockDevice === undefined
          ? ['has no rootBlockDevice, so the root volume copies the AMI snapshot unencrypted']
          : isTrue(obj(i.rootBlockDevice).encrypted)
            ? []
            : ['rootBlockDevice.encrypted is not true'];
      list(i.ebsBlockDevices).forEach((d, n) => isTrue(obj(d).encrypted) || problems.push(`ebsBlockDevices[${n}].encrypted is not true`));
      return problems.map((p) => `instance ${nameOf(r) ?? r.name} ${p}; set encrypted: true (infra/hardening.ts encryptedRootVolume)`);
    }
    if (r.type === LAUNCH_TEMPLATE) {
      const mappings = list(i.blockDeviceMappings).map(obj).filter((m) => m.ebs !== undefined);
      if (mappings.length === 0) return ['launch template has no EBS blockDeviceMappings, so the root volume copies the AMI snapshot unencrypted; map /dev/sda1 with ebs.encrypted "true" (infra/hardening.ts encryptedRootVolumeMapping)'];
      return mappings
        .filter((m) => !isTrue(obj(m.ebs).encrypted))
        .map((m) => `launch template blockDeviceMappings ${String(m.deviceName)}: ebs.encrypted is not "true"; set it (infra/hardening.ts encryptedRootVolumeMapping)`);
    }
    if (r.type === VOLUME && !isTrue(i.encrypted)) return ['EBS volume encrypted is not true; set encrypted: true'];
    return [];
  },
};

export const publicIpOnlyOnBastion: AwsPolicy = {
  name: 'public-ip-only-on-bastion',
  description: 'Only the bastion gets a public IP; cluster instances and launch templates stay private.',
  check: (r) => {
    if (r.type === INSTANCE && isTrue(r.inputs.associatePublicIpAddress) && !isBastion(r)) {
      return [`instance ${nameOf(r) ?? r.name} associates a public IP, but only the bastion (tag Name=<cluster>-bastion, in a public subnet) may; set associatePublicIpAddress: false`];
    }
    if (r.type === LAUNCH_TEMPLATE) {
      return list(r.inputs.networkInterfaces)
        .map(obj)
        .filter((n) => isTrue(n.associatePublicIpAddress))
        .map(() => `launch template ${nameOf(r) ?? r.name} associates a public IP with its nodes; node pools live in private subnets: set networkInterfaces[].associatePublicIpAddress "false"`);
    }
    return [];
  },
};

/** What a secret looks like in a bootstrap script, by what it is. */
const SECRET_PATTERNS: ReadonlyArray<readonly [string, RegExp]> = [
  ['a private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['a kubeadm bootstrap token', /\b[a-z0-9]{6}\.[a-z0-9]{16}\b/],
  ['a kubeadm certificate key', /certificate-?key["'\s:=]+[0-9a-f]{64}\b/i],
  ['an AWS access key', /\bAKIA[0-9A-Z]{16}\b/],
  ['a password', /password["'\s]*[:=]\s*["']?[^\s"']{4,}/i],
];

/** User-data as the instance sees it: launch templates carry it base64-encoded. */
function decoded(userData: string): string {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(userData.replace(/\s/g, ''))) return userData;
  const text = Buffer.from(userData, 'base64').toString('utf8');
  return /^[\x09\x0a\x0d\x20-\x7e\u00a0-\uffff]*$/.test(text) ? `${userData}\n${text}` : userData;
}

export const noSecretsInUserData: AwsPolicy = {
  name: 'no-secrets-in-user-data',
  description:
    'User-data carries no secret (keys, tokens, passwords), in plain text or as a Pulumi secret: anyone with ec2:DescribeInstanceAttribute or ec2:DescribeLaunchTemplateVersions reads it. Nodes fetch secrets at boot from SSM SecureString parameters.',
  check: (r) => {
    if (r.type !== INSTANCE && r.type !== LAUNCH_TEMPLATE) return [];
    const userData = r.inputs.userData ?? r.inputs.userDataBase64;
    if (userData === undefined) return [];
    const who = `${r.type === INSTANCE ? 'instance' : 'launch template'} ${nameOf(r) ?? r.name}`;
    const fix = 'fetch secrets at boot from an SSM SecureString parameter only the instance role may decrypt (infra/cluster-store.ts)';
    const isSecret = userData === SECRET_MASK || (r.secretInputs ?? []).some((k) => k === 'userData' || k === 'userDataBase64');
    if (isSecret) {
      return [`${who} user-data is a Pulumi secret, so it carries secrets that ec2:DescribeInstanceAttribute / DescribeLaunchTemplateVersions reveal (and that nobody can review in a plan); ${fix}`];
    }
    const found = typeof userData === 'string' ? SECRET_PATTERNS.filter(([, re]) => re.test(decoded(userData))).map(([what]) => what) : [];
    return found.length ? [`${who} user-data carries ${found.join(', ')} in plain text (visible in state, plans and the console); ${fix}`] : [];
  },
};

export const AWS_POLICIES: readonly AwsPolicy[] = [noWorldOpenIngress, imdsV2Required, encryptedVolumes, publicIpOnlyOnBastion, noSecretsInUserData];

export interface Violation {
  readonly policy: string;
  /** `<type>::<name>`. */
  readonly resource: string;
  readonly message: string;
}

/** Every violation of every policy over `resources`, in resource order. */
export function violations(resources: readonly Resource[], groupOf: GroupOf): Violation[] {
  return resources.flatMap((r) => AWS_POLICIES.flatMap((p) => p.check(r, groupOf).map((message) => ({ policy: p.name, resource: `${r.type}::${r.name}`, message }))));
}
