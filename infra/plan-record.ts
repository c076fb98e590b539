/**
 * One entry of `dist/infra/<stack>.plan.json` (what `npm run plan` writes). Pure: the checks, the policy
 * pack and other layers read plans without loading the Pulumi SDK.
 */
export interface PlannedResource {
  /** Pulumi type token, e.g. `aws:ec2/vpc:Vpc`. */
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  /** Inputs as sent to the engine, secrets replaced by `[secret]`. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /**
   * Outputs the engine stores as secrets in the state: the resource's `additionalSecretOutputs` (set by
   * the program or by the provider SDK, e.g. tls.PrivateKey's keys) and every output fed by a secret
   * input. Sorted; empty when none.
   */
  readonly secretOutputs: readonly string[];
  /**
   * What review needs to see of a secret user-data input without its text: the Kubernetes and
   * containerd versions it installs and a sha256 of the whole script. The plan runs under mocks,
   * so the hashed text holds only placeholder secrets; a change of the template shows as a new hash.
   * Present only for resources with a secret `userData`.
   */
  readonly secretInputFacts?: Readonly<Record<string, UserDataFacts>>;
}

export interface UserDataFacts {
  readonly sha256: string;
  readonly kubernetesVersions: readonly string[];
  /** Pinned versions, or `unpinned (distribution package)` when the script installs the distribution's. */
  readonly containerdVersions: readonly string[];
}

/** How a plan shows a Pulumi secret. */
export const MASK = '[secret]';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The facts of one user-data script (`text` as sent to EC2: plain, or base64 for launch templates). */
export function userDataFacts(text: string, sha256: (s: string) => string): UserDataFacts {
  const decoded = BASE64.test(text) && text.length % 4 === 0 ? Buffer.from(text, 'base64').toString('utf8') : text;
  const script = /[\x00-\x08\x0e-\x1f]/.test(decoded) ? text : decoded;
  const all = (patterns: RegExp[]) => [...new Set(patterns.flatMap((p) => [...script.matchAll(p)].map((m) => m[1])))].sort();
  const kubernetesVersions = all([/\bkubelet=(\d+\.\d+\.\d+)/g, /dl\.k8s\.io\/v(\d+\.\d+\.\d+)\//g, /--kubernetes-version v(\d+\.\d+\.\d+)/g, /kubernetesVersion: v?(\d+\.\d+\.\d+)/g]);
  let containerdVersions = all([/containerd-(\d+\.\d+\.\d+)-/g, /\bcontainerd(?:\.io)?=(\S+)/g]);
  if (containerdVersions.length === 0 && /install\b[^\n]*\bcontainerd\b/.test(script)) containerdVersions = ['unpinned (distribution package)'];
  return { sha256: sha256(script), kubernetesVersions, containerdVersions };
}
