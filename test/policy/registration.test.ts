/**
 * Whether loading the policy pack serves it: under the Pulumi CLI (`pulumi preview --policy-pack policy/`,
 * which loads it through @pulumi/pulumi's run-policy-pack entry) it must construct its PolicyPack, or the
 * CLI runs no policy at all; imported anywhere else (tests, tools) it must not.
 */
type Args = { enforcementLevel: string; policies: Array<{ name: string }> };

function serve(filename: string): Array<[string, Args]> {
  const constructed: Array<[string, Args]> = [];
  jest.isolateModules(() => {
    jest.doMock('@pulumi/policy', () => ({
      PolicyPack: function PolicyPack(name: string, args: Args) {
        constructed.push([name, args]);
      },
    }));
    const { serveUnderPulumiCli } = require('../../policy/index') as typeof import('../../policy/index');
    // Loading it here (Jest: no CLI entry as main module) constructed nothing.
    expect(constructed).toEqual([]);
    serveUnderPulumiCli({ filename } as NodeModule);
  });
  return constructed;
}

test('under the Pulumi CLI the pack is constructed once, named, with all five rules mandatory', () => {
  const constructed = serve('/home/u/.pulumi/node_modules/@pulumi/pulumi/cmd/run-policy-pack/index.js');
  expect(constructed.map(([name, args]) => [name, args.enforcementLevel, args.policies.map((p) => p.name)])).toEqual([
    ['k8s-book-systems-aws', 'mandatory', ['no-world-open-ingress', 'imdsv2-required', 'encrypted-volumes', 'public-ip-only-on-bastion', 'no-secrets-in-user-data']],
  ]);
});

test('imported by a test or a tool, nothing is constructed', () => {
  expect(serve('/work/project/node_modules/jest/bin/jest.js')).toEqual([]);
  expect(serve('/work/project/tools/run-policy-pack.ts')).toEqual([]);
});
