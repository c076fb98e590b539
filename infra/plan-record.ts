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
}

/** How a plan shows a Pulumi secret. */
export const MASK = '[secret]';
