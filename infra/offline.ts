/**
 * Runs the real Pulumi program under Pulumi's mock runtime: no CLI, no cloud, no network. `npm run plan`
 * and the tests use it to see every resource the program would register, with secrets masked.
 *
 * Secrets: secretness is read from the serialized request the SDK sends to the (mock) resource monitor,
 * Pulumi's wire format, where every secret value is wrapped in the secret signature — whatever a given
 * SDK version's mock `inputs` unwrap or keep. The mock monitor also honours `additionalSecretOutputs`
 * the way the engine does (e.g. tls.PrivateKey's `privateKeyPem`), so what is secret in a real run is
 * secret here.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { parse } from 'yaml';
import program = require('./index');
import { MASK, PlannedResource, UserDataFacts, userDataFacts } from './plan-record';
import { useTunnelProbe } from './tunnel';

/** Marks a serialized secret (`{ [SECRET_SIG_KEY]: SECRET_SIG, value }`) in Pulumi's wire format. */
const SECRET_SIG_KEY = '4dabf18193072939515e22adb298388d';
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';
const RESOURCE_SIG = '5cf8f73096256a8f31e491e813e4eb8e';
const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';
export { MASK };
export type { PlannedResource };

/** A public, throwaway CA certificate (its key was discarded): the discovery hash needs a parseable one. */
const MOCK_CA_CERT_PEM = `-----BEGIN CERTIFICATE-----
MIIB4jCCAYegAwIBAgIUKG90MPdnFktZCAQSSJ4srSZ+X1EwCgYIKoZIzj0EAwIw
RTEmMCQGA1UECgwdazhzLWJvb2stc3lzdGVtcyBvZmZsaW5lIHBsYW4xGzAZBgNV
BAMMEm1vY2sta3ViZXJuZXRlcy1jYTAgFw0yNjExMjIwMTA2NTlaGA8yMTI2MTAy
OTAxMDY1OVowRTEmMCQGA1UECgwdazhzLWJvb2stc3lzdGVtcyBvZmZsaW5lIHBs
YW4xGzAZBgNVBAMMEm1vY2sta3ViZXJuZXRlcy1jYTBZMBMGByqGSM49AgEGCCqG
SM49AwEHA0IABAndbKrmS8P1pHBC4wuWX79ZQAZzJA68358wGd1y9VQfVYk4ZyvR
xVgZtRT2brYeKnOAX/yzI0V16e1e6d7ZQzWjUzBRMB0GA1UdDgQWBBRtBQPQ3MyB
ZaLCEHTmeB6A/toAMDAfBgNVHSMEGDAWgBRtBQPQ3MyBZaLCEHTmeB6A/toAMDAP
BgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0kAMEYCIQCqKr4V4oim2Uljlm94
Fx7qpmQGGjMUVrtJWqLmlAn7jAIhALVOqLGwZQrB38AdlgE98aXu5rx5LaRGXZKT
qcbR6vLE
-----END CERTIFICATE-----
`;

export interface StackConfig {
  /** `<project>:<key>` → value as the CLI hands it to the program (non-strings as JSON). */
  readonly config: Record<string, string>;
  readonly secretKeys: readonly string[];
  /** Whether the operator's API tunnel answers (deployManifests checks it); offline it is assumed open. */
  readonly tunnelOpen?: boolean;
}

export interface OfflineRun {
  /** Custom resources, providers and remote components (local components carry no inputs), in registration order. */
  readonly resources: readonly PlannedResource[];
  /** The stack outputs, unwrapped (secrets included: for assertions only, never for printing). */
  readonly outputs: Record<string, unknown>;
  /** Every value the mocks produced for a secret output (keys, tokens, certificate key). */
  readonly generatedSecrets: readonly string[];
  /** Inputs as the provider would receive them, secrets in clear, by `<type>::<name>`: for assertions only. */
  readonly unmaskedInputs: ReadonlyMap<string, Record<string, unknown>>;
  /** Resource options the plan file does not record, by `<type>::<name>` (replacement behaviour). */
  readonly options: ReadonlyMap<string, ResourceOptionsRecord>;
}

/** The options of a registration that decide how a change rolls out. */
export interface ResourceOptionsRecord {
  readonly ignoreChanges: readonly string[];
  readonly replaceOnChanges: readonly string[];
  readonly deleteBeforeReplace: boolean;
  readonly dependsOn: readonly string[];
  /** The URN the engine gives it (what `pulumi up --replace` takes). */
  readonly urn?: string;
}

export function readProjectName(root: string): string {
  const project = parse(fs.readFileSync(path.join(root, 'Pulumi.yaml'), 'utf8')) as { name?: unknown };
  if (typeof project.name !== 'string') throw new Error(`${path.join(root, 'Pulumi.yaml')} has no project name`);
  return project.name;
}

/** Stacks with a `Pulumi.<stack>.yaml` in `root`, sorted. */
export function listStacks(root: string): string[] {
  return fs
    .readdirSync(root)
    .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort();
}

/**
 * A stack file's config as the CLI would pass it. `secure:` values cannot be decrypted offline, so they
 * become a placeholder that is still a Pulumi secret.
 */
export function readStackConfig(root: string, stack: string): StackConfig {
  const file = parse(fs.readFileSync(path.join(root, `Pulumi.${stack}.yaml`), 'utf8')) as { config?: Record<string, unknown> } | null;
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(file?.config ?? {})) {
    if (value !== null && typeof value === 'object' && 'secure' in value) {
      config[key] = `offline placeholder for ${key}`;
      secretKeys.push(key);
    } else {
      config[key] = typeof value === 'string' ? value : JSON.stringify(value);
    }
  }
  return { config, secretKeys };
}

/** Runs the program for one stack under mocks and returns what it registered. Runs must not overlap. */
export async function runOffline(project: string, stack: string, stackConfig: StackConfig): Promise<OfflineRun> {
  const mocks = new OfflineMocks();
  // No operator, no tunnel: the plan records what `pulumi up` applies once the tunnel is open.
  useTunnelProbe(async () => stackConfig.tunnelOpen ?? true);
  await pulumi.runtime.setMocks(mocks, project, stack, false);
  pulumi.runtime.setAllConfig(stackConfig.config, [...stackConfig.secretKeys]);
  const { resources, options } = recordRegistrations();

  // Errors inside applies surface as unhandled rejections; collect them rather than crash the process.
  const failures: unknown[] = [];
  // An error inside an apply never settles the outputs that depend on it: without this the wait
  // below never ends, the process runs dry, and Pulumi prints only "N promises were still active".
  let failed: (reason: unknown) => void = () => undefined;
  const failure = new Promise<never>((_resolve, reject) => (failed = reject));
  failure.catch(() => undefined);
  const onRejection = (reason: unknown) => {
    failures.push(reason);
    failed(reason);
  };
  process.on('unhandledRejection', onRejection);
  let outputs: Record<string, unknown> = {};
  try {
    // Called directly rather than through runInPulumiStack, so a refusal thrown by the program rejects
    // here once instead of also escaping as an unhandled rejection of the stack resource.
    // The program is async (it checks the operator's tunnel first): its refusals reject this await.
    const exported = pulumi.output(await program());
    outputs = await Promise.race([
      new Promise<Record<string, unknown>>((resolve) => exported.apply((value) => resolve(value as Record<string, unknown>))),
      failure,
    ]);
  } catch (err) {
    failures.unshift(err);
  } finally {
    // Let every registration settle (and every rejection be reported) before the next run resets the runtime.
    // A registration whose input failed never settles, so after a failure only its siblings get a moment.
    await Promise.race([waitForRpcs(), failure]).catch(() => new Promise((resolve) => setTimeout(resolve, 50)));
    await new Promise((resolve) => setImmediate(resolve));
    process.off('unhandledRejection', onRejection);
  }
  if (failures.length > 0) throw failures[0];
  return { resources, outputs, generatedSecrets: mocks.generatedSecrets, unmaskedInputs: mocks.inputs, options };
}

/** The plan file: sorted by type then name, keys sorted, 2-space indent, trailing newline. */
export function renderPlan(resources: readonly PlannedResource[]): string {
  const sorted = [...resources].sort((a, b) => compare(a.type, b.type) || compare(a.name, b.name));
  return `${JSON.stringify(sortKeys(sorted), null, 2)}\n`;
}

export async function planStack(root: string, stack: string): Promise<string> {
  const run = await runOffline(readProjectName(root), stack, readStackConfig(root, stack));
  return renderPlan(run.resources);
}

/** Pulumi's `waitForRPCs` is internal but exported at runtime: it resolves once no registration is pending. */
function waitForRpcs(): Promise<void> {
  return (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
}

interface MonitorRequest {
  getType(): string;
  getName(): string;
  getCustom(): boolean;
  getRemote(): boolean;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
  getAdditionalsecretoutputsList(): string[];
  getIgnorechangesList(): string[];
  getReplaceonchangesList(): string[];
  getDeletebeforereplace(): boolean;
  getDependenciesList(): string[];
}
interface MonitorResponse {
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
  setObject(value: unknown): void;
}
type Callback = (err: unknown, response?: MonitorResponse) => void;
interface MockMonitor {
  registerResource(req: MonitorRequest, callback: Callback): Promise<void>;
}

/**
 * Wraps the mock monitor's registerResource: records each request's serialized inputs (secrets still
 * wrapped) and marks the request's additionalSecretOutputs secret in the response, as the engine does.
 */
function recordRegistrations(): { resources: PlannedResource[]; options: Map<string, ResourceOptionsRecord> } {
  const monitor = pulumi.runtime.getMonitor() as unknown as MockMonitor;
  const register = monitor.registerResource.bind(monitor);
  const resources: PlannedResource[] = [];
  const options = new Map<string, ResourceOptionsRecord>();
  monitor.registerResource = (req, callback) => {
    const secretOutputs = req.getAdditionalsecretoutputsList();
    // Remote components (kubernetes yaml/v2 ConfigGroup) are expanded by their provider: record their inputs too.
    if (req.getCustom() || req.getRemote()) {
      const serialized = req.getObject()?.toJavaScript() ?? {};
      // The engine stores an output as secret when the program marked it, or when its input was a secret.
      const fromSecretInputs = Object.keys(serialized).filter((key) => isSecretValue(serialized[key]));
      // Secret user-data reads as "[secret]": record what review must still see (versions, a hash).
      const facts: Record<string, UserDataFacts> = {};
      for (const key of fromSecretInputs) {
        const clear = revealSecrets(serialized[key]);
        if (/userdata/i.test(key) && typeof clear === 'string') facts[key] = userDataFacts(clear, (t) => createHash('sha256').update(t).digest('hex'));
      }
      resources.push({
        type: req.getType(),
        name: req.getName(),
        inputs: maskSecrets(serialized) as Record<string, unknown>,
        secretOutputs: [...new Set([...secretOutputs, ...fromSecretInputs])].sort(compare),
        ...(Object.keys(facts).length > 0 ? { secretInputFacts: facts } : {}),
      });
      options.set(`${req.getType()}::${req.getName()}`, {
        ignoreChanges: req.getIgnorechangesList(),
        replaceOnChanges: req.getReplaceonchangesList(),
        deleteBeforeReplace: req.getDeletebeforereplace(),
        dependsOn: req.getDependenciesList().map((urn) => urn.split('::').pop()!),
      });
    }
    return register(req, (err, response) => {
      const key = `${req.getType()}::${req.getName()}`;
      const recorded = options.get(key);
      if (recorded && response) options.set(key, { ...recorded, urn: (response as unknown as { getUrn(): string }).getUrn() });
      if (response && secretOutputs.length > 0) {
        const state = response.getObject()?.toJavaScript() ?? {};
        for (const key of secretOutputs) {
          if (key in state) state[key] = { [SECRET_SIG_KEY]: SECRET_SIG, value: state[key] };
        }
        response.setObject(structFromJavaScript(state));
      }
      callback(err, response);
    });
  };
  return { resources, options };
}

function isSecretValue(value: unknown): boolean {
  return value !== null && typeof value === 'object' && (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;
}

function structFromJavaScript(value: Record<string, unknown>): unknown {
  // The same protobuf Struct class the mock monitor uses for its responses.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Struct } = require('google-protobuf/google/protobuf/struct_pb') as { Struct: { fromJavaScript(v: unknown): unknown } };
  return Struct.fromJavaScript(value);
}

function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value === UNKNOWN) return '[unknown]';
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (record[SECRET_SIG_KEY] === SECRET_SIG) return MASK;
  if (record[SECRET_SIG_KEY] === RESOURCE_SIG) return { resource: String(record.urn).split('::').pop() };
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, maskSecrets(v)]));
}

function revealSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revealSecrets);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (record[SECRET_SIG_KEY] === SECRET_SIG) return revealSecrets(record.value);
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, revealSecrets(v)]));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort(compare)
      .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
  );
}

/** Locale-independent, so the plan is byte-identical everywhere. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `sha256(seed)` stretched to `length` characters of `alphabet`: deterministic stand-ins for random values. */
/** A PEM-shaped placeholder (not key material) for what the mocked tls resources return. */
function mockPem(label: string, body: string): string {
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

function derived(seed: string, length: number, alphabet: string): string {
  let out = '';
  for (let block = 0; out.length < length; block++) {
    for (const byte of createHash('sha256').update(`${seed}#${block}`).digest()) out += alphabet[byte % alphabet.length];
  }
  return out.slice(0, length);
}

/**
 * Deterministic stand-ins for what providers would return: ids named after the resource, AMI ids named
 * after their name filter, real-format tokens and keys (the bootstrap renderers validate them).
 */
class OfflineMocks implements pulumi.runtime.Mocks {
  readonly generatedSecrets: string[] = [];
  readonly inputs = new Map<string, Record<string, unknown>>();

  /** Records the value's distinctive part: renderers may reformat around it (trim a PEM, re-indent). */
  private secret(value: string, distinctive = value): string {
    this.generatedSecrets.push(distinctive);
    return value;
  }

  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    const { type, name, inputs } = args;
    this.inputs.set(`${type}::${name}`, revealSecrets(inputs) as Record<string, unknown>);
    const state: Record<string, unknown> = { ...inputs, arn: `arn:aws:mock:::${name}`, name: inputs.name ?? name };
    switch (type) {
      case 'aws:ec2/instance:Instance':
        state.privateIp = inputs.privateIp ?? '10.0.0.100';
        if (inputs.associatePublicIpAddress) state.publicIp = '203.0.113.10';
        break;
      case 'aws:lb/loadBalancer:LoadBalancer':
        state.dnsName = `internal-${name}-0123456789.elb.amazonaws.com`;
        state.zoneId = 'Z26RNL4JYFTOTI';
        break;
      case 'aws:s3/bucket:Bucket':
        // The provider appends a 26-character unique suffix to bucketPrefix (terraform's PrefixedUniqueId).
        state.bucket = inputs.bucket ?? `${String(inputs.bucketPrefix ?? `${name}-`)}20261129111400000000000001`;
        break;
      case 'aws:route53/zone:Zone':
        state.zoneId = `${name}-id`;
        break;
      case 'aws:ec2/launchTemplate:LaunchTemplate':
        state.latestVersion = 1;
        break;
      case 'aws:ec2/keyPair:KeyPair':
        state.keyName = inputs.keyName ?? name;
        break;
      case 'tls:index/privateKey:PrivateKey': {
        const body = `mock${derived(name, 60, 'abcdef0123456789')}`;
        state.privateKeyPem = this.secret(mockPem('PRIVATE KEY', body), body);
        state.publicKeyPem = mockPem('PUBLIC KEY', `mock-${name}`);
        break;
      }
      case 'tls:index/selfSignedCert:SelfSignedCert':
        state.certPem = MOCK_CA_CERT_PEM;
        break;
      case 'tls:index/certRequest:CertRequest':
        state.certRequestPem = mockPem('CERTIFICATE REQUEST', `mock-${name}`);
        break;
      case 'tls:index/locallySignedCert:LocallySignedCert':
        state.certPem = mockPem('CERTIFICATE', `mock-${name}`);
        break;
      case 'random:index/randomString:RandomString':
      case 'random:index/randomPassword:RandomPassword': {
        const special = inputs.special === false ? '' : String(inputs.overrideSpecial ?? '!@#$%&*()-_=+[]{}<>:?');
        const alphabet = `${inputs.lower === false ? '' : 'abcdefghijklmnopqrstuvwxyz'}${inputs.upper === false ? '' : 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'}${inputs.numeric === false ? '' : '0123456789'}${special}`;
        state.result = this.secret(derived(name, Number(inputs.length), alphabet));
        break;
      }
      case 'random:index/randomId:RandomId':
        state.hex = this.secret(derived(name, 2 * Number(inputs.byteLength), '0123456789abcdef'));
        break;
    }
    return { id: `${name}-id`, state };
  }

  call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
    if (args.token === 'aws:ec2/getAmi:getAmi') {
      const filters = (args.inputs.filters ?? []) as { name: string; values: string[] }[];
      const nameFilter = filters.find((f) => f.name === 'name')?.values[0] ?? 'unfiltered';
      const slug = nameFilter.split('/').pop()!.replace(/[-*]+$/, '');
      return { ...args.inputs, id: `ami-${slug}`, imageId: `ami-${slug}`, name: slug };
    }
    throw new Error(`offline plan: no mock for invoke ${args.token}; add one to OfflineMocks.call in infra/offline.ts`);
  }
}
