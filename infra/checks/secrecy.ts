/**
 * State secrecy: what the engine would store in plain text in the Pulumi state. Pulumi marks an output
 * secret only when the program or the provider SDK lists it in `additionalSecretOutputs`, or when its
 * input was a secret; `random.RandomString`/`RandomId` results are plain, and their resource
 * id IS the random value, which nothing can mark secret. The plan records per resource the outputs
 * stored as secrets (`secretOutputs`); this check compares them with what each type produces.
 */
import { MASK, PlanFinding, PlannedResource, T, objectOf } from './common';

const RULE = 'state-secrecy';

/** Outputs that hold secret material, by resource type. */
export const SECRET_OUTPUTS_BY_TYPE: Readonly<Record<string, readonly string[]>> = {
  'random:index/randomPassword:RandomPassword': ['result', 'bcryptHash'],
  'random:index/randomBytes:RandomBytes': ['base64', 'hex'],
  'random:index/randomString:RandomString': ['result'],
  'random:index/randomId:RandomId': ['hex', 'b64Std', 'b64Url', 'dec'],
  'tls:index/privateKey:PrivateKey': ['privateKeyPem', 'privateKeyOpenssh', 'privateKeyPemPkcs8'],
  'aws:iam/accessKey:AccessKey': ['secret', 'sesSmtpPasswordV4'],
};

/** Types whose resource id is the random value itself: ids are never secret in the state. */
const ID_IS_VALUE: Readonly<Record<string, string>> = {
  'random:index/randomString:RandomString': 'its id is the result',
  'random:index/randomId:RandomId': 'its id is the value (base64url)',
};

export function checkStateSecrecy(file: string, plan: readonly PlannedResource[]): PlanFinding[] {
  const findings: PlanFinding[] = [];
  const finding = (r: PlannedResource, field: string | undefined, problem: string, fix: string) =>
    findings.push({ rule: RULE, severity: 'error', file, object: objectOf(r), field, problem, fix });
  const unrecorded = plan.filter((r) => !Array.isArray(r.secretOutputs));
  if (unrecorded.length > 0) {
    findings.push({
      rule: RULE,
      severity: 'error',
      file,
      problem: `${unrecorded.length} of ${plan.length} resources record no secretOutputs, so nobody can review what the state keeps in plain text`,
      fix: 'regenerate the plan with npm run plan',
    });
  }
  for (const r of plan) {
    const secret = new Set(r.secretOutputs ?? []);
    if (ID_IS_VALUE[r.type]) {
      finding(
        r,
        'id',
        `${ID_IS_VALUE[r.type]}, stored in plain text in the state (ids cannot be secret; additionalSecretOutputs would only hide the other outputs)`,
        'generate secrets with random.RandomPassword (result and bcryptHash are secret, the id is "none")',
      );
    }
    if (!Array.isArray(r.secretOutputs)) continue;
    const missing = (SECRET_OUTPUTS_BY_TYPE[r.type] ?? []).filter((o) => !secret.has(o));
    if (missing.length > 0) {
      finding(r, missing.join(', '), `${missing.join(', ')} would be stored in plain text in the state`, `add ${JSON.stringify(missing)} to additionalSecretOutputs`);
    }
    for (const [key, value] of Object.entries(r.inputs)) {
      if (value === MASK && !secret.has(key)) {
        finding(r, key, 'the input is a secret but the plan does not record the output as secret', 'regenerate the plan with npm run plan (infra/offline.ts records secret inputs)');
      }
    }
    // (The AWS SDK makes every `value` a secret; public parameters use `insecureValue`.)
    if (r.type === T.SSM_PARAMETER && r.inputs.type !== 'SecureString' && r.inputs.value === MASK) {
      finding(r, 'type', `a secret value is stored as a ${String(r.inputs.type)} parameter, in plain text in Parameter Store`, 'use type SecureString with a KMS key only its readers may use');
    }
  }
  return findings;
}
