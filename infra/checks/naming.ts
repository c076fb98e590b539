/**
 * AWS naming and size rules, applied to the physical names AWS would actually see. Mocks accept any
 * name; AWS does not. A resource without an explicit name gets Pulumi's autoname, `<logical>-<7 hex>`;
 * one with a `namePrefix` gets the provider's unique suffix (26 characters). Documented limits:
 * - security group names may not start with `sg-` (≤ 255 characters);
 * - load balancer and target group names: ≤ 32 alphanumerics and hyphens, not starting or ending with a
 *   hyphen, a load balancer's not starting with `internal-`;
 * - IAM role names ≤ 64, instance profile and inline policy names ≤ 128, of `[A-Za-z0-9+=,.@_-]`;
 * - launch template names 3-128 of `[A-Za-z0-9().\-/_]`; S3 bucket names 3-63 lower-case;
 * - ≤ 50 tags per resource (the provider's default tags count), keys ≤ 128, values ≤ 256, no `aws:` keys;
 * - EC2 user-data ≤ 16 KB before base64 encoding; SSM standard parameter values ≤ 4 KB.
 */
import { MASK, PlanFinding, PlannedResource, T, list, obj, objectOf } from './common';

const RULE = 'aws-naming';
/** Pulumi's autoname suffix: `-` and 7 random hex characters. */
export const AUTONAME_SUFFIX = '-1a2b3c4';
/** What the provider appends to a `namePrefix` (terraform's PrefixedUniqueId: timestamp + counter). */
export const PREFIX_SUFFIX = '20261129111400000000000001';
export const MAX_TAGS = 50;
export const MAX_USER_DATA_BYTES = 16 * 1024;
export const MAX_STANDARD_PARAMETER_BYTES = 4 * 1024;

interface NameRule {
  readonly what: string;
  readonly max: number;
  /** Longest namePrefix the API accepts, where it differs from `max - suffix`. */
  readonly maxPrefix?: number;
  readonly pattern: RegExp;
  readonly patternText: string;
  readonly forbiddenPrefixes?: readonly string[];
}

const LB_NAME: NameRule = {
  what: 'load balancer',
  max: 32,
  maxPrefix: 6,
  pattern: /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/,
  patternText: 'alphanumerics and hyphens, not starting or ending with a hyphen',
  forbiddenPrefixes: ['internal-'],
};
const IAM_CHARS = /^[A-Za-z0-9+=,.@_-]+$/;

const NAME_RULES: Readonly<Record<string, NameRule>> = {
  [T.SECURITY_GROUP]: {
    what: 'security group',
    max: 255,
    pattern: /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]+$/,
    patternText: 'a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*',
    forbiddenPrefixes: ['sg-'],
  },
  [T.LOAD_BALANCER]: LB_NAME,
  [T.TARGET_GROUP]: { ...LB_NAME, what: 'target group', forbiddenPrefixes: [] },
  [T.ROLE]: { what: 'IAM role', max: 64, maxPrefix: 38, pattern: IAM_CHARS, patternText: 'A-Z a-z 0-9 +=,.@_-' },
  [T.INSTANCE_PROFILE]: { what: 'IAM instance profile', max: 128, pattern: IAM_CHARS, patternText: 'A-Z a-z 0-9 +=,.@_-' },
  [T.ROLE_POLICY]: { what: 'IAM inline policy', max: 128, pattern: IAM_CHARS, patternText: 'A-Z a-z 0-9 +=,.@_-' },
  [T.AUTOSCALING_GROUP]: { what: 'auto scaling group', max: 255, pattern: /^[^:]+$/, patternText: 'no colon' },
  [T.LAUNCH_TEMPLATE]: { what: 'launch template', max: 128, pattern: /^[A-Za-z0-9().\-/_]{3,}$/, patternText: 'A-Z a-z 0-9 ().-/_, at least 3' },
  'aws:s3/bucketV2:BucketV2': { what: 'S3 bucket', max: 63, pattern: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, patternText: 'lower-case letters, digits, dots and hyphens' },
  'aws:s3/bucket:Bucket': { what: 'S3 bucket', max: 63, pattern: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, patternText: 'lower-case letters, digits, dots and hyphens' },
};

/** The physical name AWS would get, and how it came about. */
export function physicalName(r: PlannedResource): { readonly name: string; readonly how: 'explicit' | 'prefix' | 'autoname' } | undefined {
  const { name, namePrefix, bucket, bucketPrefix } = r.inputs as Record<string, unknown>;
  const explicit = name ?? bucket;
  const prefix = namePrefix ?? bucketPrefix;
  if (typeof explicit === 'string') return { name: explicit, how: 'explicit' };
  if (explicit !== undefined) return undefined; // computed (unknown) or secret: nothing to check
  if (typeof prefix === 'string') return { name: `${prefix}${PREFIX_SUFFIX}`, how: 'prefix' };
  return { name: `${r.name}${AUTONAME_SUFFIX}`, how: 'autoname' };
}

function nameFindings(file: string, r: PlannedResource): PlanFinding[] {
  const rule = NAME_RULES[r.type];
  const physical = rule && physicalName(r);
  if (!rule || !physical) return [];
  const { name, how } = physical;
  const field = how === 'explicit' ? (r.inputs.bucket !== undefined ? 'bucket' : 'name') : how === 'prefix' ? 'namePrefix' : undefined;
  const origin = how === 'autoname' ? `Pulumi autonames it "${name}" (logical name + "-" + 7 hex)` : how === 'prefix' ? `its physical name would be "${name}"` : `its name is "${name}"`;
  const fix =
    how === 'autoname'
      ? `give it an explicit name or namePrefix that fits (${rule.what} names: ${rule.patternText}, ≤ ${rule.max})`
      : `change the ${field} to fit (${rule.what} names: ${rule.patternText}, ≤ ${rule.max})`;
  const problems: string[] = [];
  const forbidden = (rule.forbiddenPrefixes ?? []).find((p) => name.toLowerCase().startsWith(p));
  if (forbidden) problems.push(`${origin}, and AWS rejects ${rule.what} names starting with "${forbidden}"`);
  if (how === 'prefix' && rule.maxPrefix !== undefined && String(r.inputs.namePrefix).length > rule.maxPrefix) {
    problems.push(`namePrefix "${String(r.inputs.namePrefix)}" is longer than the ${rule.maxPrefix} characters AWS accepts for a ${rule.what}`);
  } else if (name.length > rule.max) {
    problems.push(`${origin}: ${name.length} characters, over the ${rule.max} AWS allows for a ${rule.what}`);
  }
  const body = how === 'prefix' ? String(r.inputs.namePrefix ?? r.inputs.bucketPrefix) : name;
  if (!rule.pattern.test(how === 'prefix' ? `${body}x1` : name)) {
    problems.push(`${origin}, which has characters AWS does not allow in a ${rule.what} name`);
  }
  return problems.map((problem) => ({ rule: RULE, severity: 'error', file, object: objectOf(r), field, problem, fix }));
}

/** The provider's `defaultTags`, which AWS adds to every taggable resource (they count towards 50). */
function defaultTags(plan: readonly PlannedResource[]): Record<string, string> {
  const provider = plan.find((r) => r.type === T.AWS_PROVIDER);
  const raw = provider?.inputs.defaultTags;
  const parsed = typeof raw === 'string' ? (JSON.parse(raw) as unknown) : raw;
  return obj(obj(parsed).tags) as Record<string, string>;
}

function tagFindings(file: string, r: PlannedResource, defaults: Record<string, string>): PlanFinding[] {
  if (!r.type.startsWith('aws:')) return [];
  const own: Array<[string, unknown]> =
    r.type === T.AUTOSCALING_GROUP
      ? list(r.inputs.tags).map((t) => [String(obj(t).key), obj(t).value])
      : Object.entries(obj(r.inputs.tags));
  if (own.length === 0 && r.inputs.tags === undefined) return [];
  const keys = new Set([...own.map(([k]) => k), ...Object.keys(defaults)]);
  const findings: PlanFinding[] = [];
  const finding = (field: string, problem: string, fix: string): PlanFinding => ({ rule: RULE, severity: 'error', file, object: objectOf(r), field, problem, fix });
  if (keys.size > MAX_TAGS) {
    findings.push(finding('tags', `${keys.size} tags (with the provider's ${Object.keys(defaults).length} default tags), over the ${MAX_TAGS} AWS allows per resource`, 'drop tags or move node-template tags to labels'));
  }
  for (const [key, value] of own) {
    if (key.length > 128) findings.push(finding(`tags.${key}`, `tag key is ${key.length} characters, over 128`, 'shorten the key'));
    if (typeof value === 'string' && value.length > 256) findings.push(finding(`tags.${key}`, `tag value is ${value.length} characters, over 256`, 'shorten the value'));
    if (key.toLowerCase().startsWith('aws:')) findings.push(finding(`tags.${key}`, 'tag keys starting with "aws:" are reserved', 'rename the key'));
  }
  return findings;
}

function userDataFindings(file: string, r: PlannedResource): PlanFinding[] {
  if (r.type !== T.INSTANCE && r.type !== T.LAUNCH_TEMPLATE) return [];
  const field = r.inputs.userDataBase64 !== undefined ? 'userDataBase64' : 'userData';
  const value = r.inputs[field];
  if (value === undefined) return [];
  const finding = (problem: string, fix: string): PlanFinding[] => [{ rule: RULE, severity: 'error', file, object: objectOf(r), field, problem, fix }];
  if (value === MASK) {
    return finding(
      'user-data is a Pulumi secret, so its size (≤ 16 KB) and content cannot be reviewed, and anyone with ec2:DescribeInstanceAttribute or ec2:DescribeLaunchTemplateVersions reads the secrets in it',
      'keep secrets out of user-data: fetch them at boot from an SSM SecureString parameter only the instance role can decrypt',
    );
  }
  if (typeof value !== 'string') return [];
  const base64 = r.type === T.LAUNCH_TEMPLATE || field === 'userDataBase64';
  const bytes = base64 ? Buffer.from(value, 'base64').length : Buffer.byteLength(value, 'utf8');
  return bytes > MAX_USER_DATA_BYTES
    ? finding(`user-data is ${bytes} bytes, over the ${MAX_USER_DATA_BYTES} EC2 accepts`, 'move large content (manifests, configs) to S3 or SSM and fetch it at boot')
    : [];
}

function parameterFindings(file: string, r: PlannedResource): PlanFinding[] {
  if (r.type !== T.SSM_PARAMETER || typeof r.inputs.value !== 'string' || r.inputs.value === MASK) return [];
  const bytes = Buffer.byteLength(r.inputs.value, 'utf8');
  const limit = r.inputs.tier === 'Advanced' ? 8 * 1024 : MAX_STANDARD_PARAMETER_BYTES;
  return bytes > limit
    ? [{ rule: RULE, severity: 'error', file, object: objectOf(r), field: 'value', problem: `parameter value is ${bytes} bytes, over the ${limit} of its tier`, fix: 'store large content in S3' }]
    : [];
}

/** Every naming/size rule AWS would enforce at `pulumi up`, over one plan. */
export function checkAwsNaming(file: string, plan: readonly PlannedResource[]): PlanFinding[] {
  const defaults = defaultTags(plan);
  return plan.flatMap((r) => [...nameFindings(file, r), ...tagFindings(file, r, defaults), ...userDataFindings(file, r), ...parameterFindings(file, r)]);
}
