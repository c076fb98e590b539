/**
 * The CrossGuard pack of the project's AWS rules: `pulumi preview --policy-pack policy` (see README.md).
 * The rules are pure functions in rules.ts; this file only adapts them to @pulumi/policy. Constructing a
 * PolicyPack starts the gRPC server the CLI talks to, so it happens only when the CLI runs this module.
 */
import { PolicyPack, PolicyPackArgs, PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from '@pulumi/policy';
import { AWS_POLICIES, AwsPolicy, GroupOf, Resource } from './rules';

export const POLICY_PACK_NAME = 'k8s-book-systems-aws';

/**
 * What the policies see of a resource. @pulumi/policy hands policies secret values unwrapped, so a secret is
 * known only through `additionalSecretOutputs` (offline plans show it as "[secret]" instead).
 */
function resourceOf(r: { type: string; name: string; props: Record<string, unknown>; opts: { additionalSecretOutputs: string[] } }): Resource {
  return { type: r.type, name: r.name, inputs: r.props, secretInputs: r.opts.additionalSecretOutputs };
}

/** At run time a rule's group is the resource its `securityGroupId` came from (known even in previews). */
function groupOf(rule: PolicyResource): GroupOf {
  return () => {
    const group = rule.propertyDependencies.securityGroupId?.[0];
    return group && resourceOf(group);
  };
}

function register(policy: AwsPolicy): ResourceValidationPolicy | StackValidationPolicy {
  const base = { name: policy.name, description: policy.description, enforcementLevel: 'mandatory' as const };
  if (policy.stack) {
    return {
      ...base,
      validateStack: (args, reportViolation) => {
        for (const r of args.resources) for (const message of policy.check(resourceOf(r), groupOf(r))) reportViolation(message, r.urn);
      },
    };
  }
  return {
    ...base,
    validateResource: (args, reportViolation) => {
      for (const message of policy.check(resourceOf(args), () => undefined)) reportViolation(message);
    },
  };
}

export function policyPackArgs(): PolicyPackArgs {
  return { enforcementLevel: 'mandatory', policies: AWS_POLICIES.map(register) };
}

/** The CLI loads policy packs through @pulumi/pulumi's `run-policy-pack` entry; tests and tools never do. */
export function isRunByPulumiCli(main: NodeModule | undefined = require.main): boolean {
  return /[\\/]run-policy-pack[\\/]/.test(main?.filename ?? '');
}

/** Serves the pack when the Pulumi CLI loaded this module (a PolicyPack starts serving when constructed). */
export function serveUnderPulumiCli(main: NodeModule | undefined = require.main): PolicyPack | undefined {
  return isRunByPulumiCli(main) ? new PolicyPack(POLICY_PACK_NAME, policyPackArgs()) : undefined;
}

serveUnderPulumiCli();
