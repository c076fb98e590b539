/**
 * The plan checks (AWS naming and sizes, state secrecy, reachability, control-plane replaceability) pass
 * on the committed plans and each one fails on the plans committed before issue 10 was fixed
 * (test/fixtures/infra/old-*.plan.json, written by the previous program): every defect class they
 * found is reproduced there.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { getEnvironment } from '../../environments';
import { checkAwsNaming, physicalName } from '../../infra/checks/naming';
import { checkReachability } from '../../infra/checks/reachability';
import { checkStateSecrecy, SECRET_OUTPUTS_BY_TYPE } from '../../infra/checks/secrecy';
import { checkControlPlaneReplacement, checkManifestDeployment } from '../../infra/checks/replacement';
import { formatPlanFinding, PlanFinding, PlannedResource } from '../../infra/checks/common';
import { securityGroupRules } from '../../infra/firewall';
import { renderEnvironment } from '../../synth/render';

const root = path.resolve(__dirname, '../..');
const readJson = (file: string) => JSON.parse(readFileSync(path.join(root, file), 'utf8')) as PlannedResource[];
const plans = { dev: readJson('dist/infra/dev.plan.json'), prod: readJson('dist/infra/prod.plan.json') };
const OLD = {
  dev: 'test/fixtures/infra/old-dev.plan.json',
  prod: 'test/fixtures/infra/old-prod.plan.json',
  prodDeploy: 'test/fixtures/infra/old-prod-deploy-manifests.plan.json',
};
const old = { dev: readJson(OLD.dev), prod: readJson(OLD.prod), prodDeploy: readJson(OLD.prodDeploy) };
const manifests = Object.fromEntries(
  (['dev', 'prod'] as const).map((name) => [name, renderEnvironment(getEnvironment(name)).files.flatMap((f) => f.objects)]),
) as Record<'dev' | 'prod', Record<string, unknown>[]>;
const file = (stack: string) => `dist/infra/${stack}.plan.json`;
const lines = (findings: readonly PlanFinding[]) => findings.map(formatPlanFinding);

describe.each(['dev', 'prod'] as const)('the committed %s plan', (stack) => {
  const plan = plans[stack];
  const env = getEnvironment(stack);

  test('passes every check', () => {
    expect(
      lines([
        ...checkAwsNaming(file(stack), plan),
        ...checkStateSecrecy(file(stack), plan),
        ...checkReachability(file(stack), plan, env, manifests[stack]),
        ...checkControlPlaneReplacement(file(stack), plan),
        ...checkManifestDeployment(file(stack), plan, { tunnelDeclared: false }),
      ]),
    ).toEqual([]);
  });

  test('records secretOutputs on every resource (empty when none)', () => {
    for (const r of plan) expect(Array.isArray(r.secretOutputs)).toBe(true);
    expect(plan.filter((r) => r.secretOutputs.length === 0).length).toBeGreaterThan(0);
    const passwords = plan.filter((r) => r.type === 'random:index/randomPassword:RandomPassword');
    expect(passwords.map((r) => r.name).sort()).toEqual(['pki-certificate-key', 'pki-token-id', 'pki-token-secret']);
    for (const r of passwords) expect(r.secretOutputs).toEqual(['bcryptHash', 'result']);
  });
});

describe('defect 1: security group names AWS refuses', () => {
  test('the old plans autoname every group "sg-…-<7 hex>", which AWS rejects', () => {
    for (const stack of ['dev', 'prod'] as const) {
      const found = checkAwsNaming(OLD[stack], old[stack]).filter((f) => f.object?.startsWith('aws:ec2/securityGroup:SecurityGroup::'));
      expect(found.map((f) => f.object)).toEqual(
        ['sg-api-lb', 'sg-bastion', 'sg-control-plane', 'sg-nodes'].filter((n) => stack === 'prod' || n !== 'sg-api-lb').map((n) => `aws:ec2/securityGroup:SecurityGroup::${n}`),
      );
      expect(found[0].problem).toMatch(/^Pulumi autonames it "sg-\S+-1a2b3c4" \(logical name \+ "-" \+ 7 hex\), and AWS rejects security group names starting with "sg-"$/);
    }
  });

  test('the new groups carry a namePrefix of the cluster and role, never "sg-"', () => {
    const groups = plans.prod.filter((r) => r.type === 'aws:ec2/securityGroup:SecurityGroup');
    expect(groups.map((g) => physicalName(g)?.name.replace(/\d{26}$/, '<unique>')).sort()).toEqual([
      'hopper-api-lb-<unique>',
      'hopper-bastion-<unique>',
      'hopper-control-plane-<unique>',
      'hopper-nodes-<unique>',
    ]);
  });

  test('the other naming rules bite: long load balancer names, bad characters, tag counts, user-data size', () => {
    const lb: PlannedResource = { type: 'aws:lb/loadBalancer:LoadBalancer', name: 'control-plane-api-for-the-cluster', inputs: {}, secretOutputs: [] };
    const tg: PlannedResource = { type: 'aws:lb/targetGroup:TargetGroup', name: 'api', inputs: { name: 'api_6443' }, secretOutputs: [] };
    const role: PlannedResource = { type: 'aws:iam/role:Role', name: 'r', inputs: { name: 'x'.repeat(65) }, secretOutputs: [] };
    const tags = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`k${i}`, 'v']));
    const tagged: PlannedResource = { type: 'aws:ec2/vpc:Vpc', name: 'vpc', inputs: { tags }, secretOutputs: [] };
    const provider = plans.prod.find((r) => r.type === 'pulumi:providers:aws')!;
    const big: PlannedResource = { type: 'aws:ec2/instance:Instance', name: 'i', inputs: { userData: 'x'.repeat(16 * 1024 + 1) }, secretOutputs: [] };
    const template: PlannedResource = { type: 'aws:ec2/launchTemplate:LaunchTemplate', name: 'lt', inputs: { userData: Buffer.from('x'.repeat(16 * 1024)).toString('base64') }, secretOutputs: [] };
    expect(lines(checkAwsNaming('p.json', [provider, lb, tg, role, tagged, big, template]))).toEqual([
      'p.json: aws:lb/loadBalancer:LoadBalancer::control-plane-api-for-the-cluster: Pulumi autonames it "control-plane-api-for-the-cluster-1a2b3c4" (logical name + "-" + 7 hex): 41 characters, over the 32 AWS allows for a load balancer; give it an explicit name or namePrefix that fits (load balancer names: alphanumerics and hyphens, not starting or ending with a hyphen, ≤ 32) [aws-naming]',
      'p.json: aws:lb/targetGroup:TargetGroup::api: name: its name is "api_6443", which has characters AWS does not allow in a target group name; change the name to fit (target group names: alphanumerics and hyphens, not starting or ending with a hyphen, ≤ 32) [aws-naming]',
      'p.json: aws:iam/role:Role::r: name: its name is "' + 'x'.repeat(65) + '": 65 characters, over the 64 AWS allows for a IAM role; change the name to fit (IAM role names: A-Z a-z 0-9 +=,.@_-, ≤ 64) [aws-naming]',
      "p.json: aws:ec2/vpc:Vpc::vpc: tags: 51 tags (with the provider's 2 default tags), over the 50 AWS allows per resource; drop tags or move node-template tags to labels [aws-naming]",
      'p.json: aws:ec2/instance:Instance::i: userData: user-data is 16385 bytes, over the 16384 EC2 accepts; move large content (manifests, configs) to S3 or SSM and fetch it at boot [aws-naming]',
    ]);
  });
});

describe('defect 5: random secrets in plain text in the state', () => {
  test('the old plans generate the token with RandomString and the certificate key with RandomId', () => {
    const found = checkStateSecrecy(OLD.prod, old.prod);
    expect(found.map((f) => `${f.object ?? '(plan)'} ${f.field ?? ''}`)).toEqual([
      '(plan) ',
      'random:index/randomId:RandomId::pki-certificate-key id',
      'random:index/randomString:RandomString::pki-token-id id',
      'random:index/randomString:RandomString::pki-token-secret id',
    ]);
    expect(found[0].problem).toBe('81 of 81 resources record no secretOutputs, so nobody can review what the state keeps in plain text');
    // With secretOutputs recorded as the old program's run would have them (none on the random values):
    const recorded = old.prod.map((r) => ({ ...r, secretOutputs: r.type.startsWith('random:') ? [] : (SECRET_OUTPUTS_BY_TYPE[r.type] ?? Object.keys(r.inputs).filter((k) => r.inputs[k] === '[secret]')) }));
    expect(checkStateSecrecy(OLD.prod, recorded).map((f) => `${f.object} ${f.field}`)).toEqual([
      'random:index/randomId:RandomId::pki-certificate-key id',
      'random:index/randomId:RandomId::pki-certificate-key hex, b64Std, b64Url, dec',
      'random:index/randomString:RandomString::pki-token-id id',
      'random:index/randomString:RandomString::pki-token-id result',
      'random:index/randomString:RandomString::pki-token-secret id',
      'random:index/randomString:RandomString::pki-token-secret result',
    ]);
  });

  test('a secret input whose output is not recorded secret, and a secret in a String parameter, are found', () => {
    const parameter: PlannedResource = { type: 'aws:ssm/parameter:Parameter', name: 'p', inputs: { type: 'String', value: '[secret]' }, secretOutputs: ['value'] };
    const key: PlannedResource = { type: 'tls:index/privateKey:PrivateKey', name: 'k', inputs: { algorithm: 'ECDSA' }, secretOutputs: ['privateKeyPem'] };
    expect(checkStateSecrecy('p.json', [parameter, key]).map((f) => f.problem)).toEqual([
      'a secret value is stored as a String parameter, in plain text in Parameter Store',
      'privateKeyOpenssh, privateKeyPemPkcs8 would be stored in plain text in the state',
    ]);
  });
});

describe('defect 6 and the reachability check', () => {
  test('the old plans leave control-plane kubelets closed to metrics-server on the workers, and the operator without a way in', () => {
    for (const stack of ['dev', 'prod'] as const) {
      const found = lines(checkReachability(OLD[stack], old[stack], getEnvironment(stack), manifests[stack]));
      expect(found.some((l) => /Deployment\/kube-system\/metrics-server scrapes every kubelet, but no ingress rule on control-plane's security group admits tcp 10250 from pool linux-amd64's group/.test(l))).toBe(true);
      expect(found.some((l) => /the operator cannot reach the bastion: it has no instance profile with AmazonSSMManagedInstanceCore/.test(l))).toBe(true);
    }
  });

  test('needs come from the manifests: a different VXLAN port in flannel\'s net-conf.json is a finding', () => {
    const changed = manifests.prod.map((m) => {
      const data = (m as { data?: Record<string, string> }).data;
      if (m.kind !== 'ConfigMap' || !data?.['net-conf.json']) return m;
      const conf = JSON.parse(data['net-conf.json']);
      return { ...m, data: { ...data, 'net-conf.json': JSON.stringify({ ...conf, Backend: { ...conf.Backend, Port: 8472 } }) } };
    });
    const found = lines(checkReachability(file('prod'), plans.prod, getEnvironment('prod'), changed));
    expect(found.length).toBeGreaterThan(0);
    for (const line of found) expect(line).toContain('the flannel VXLAN overlay (udp 8472)');
  });

  test('a NodePort Service outside the open range, and a firewall without the API rules, are findings', () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x', namespace: 'y' }, spec: { type: 'NodePort', ports: [{ name: 'web', port: 80, nodePort: 29999 }] } };
    const noApi = plans.dev.filter((r) => !/kube-api-from-(nodes|bastion)$/.test(r.name));
    const found = lines(checkReachability(file('dev'), noApi, getEnvironment('dev'), [...manifests.dev, service]));
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringContaining("the kubelets of pool linux-amd64 dial the API endpoint, but no ingress rule on control-plane's security group admits tcp 6443"),
        expect.stringContaining("the operator's tunnel from the bastion reaches the API endpoint, but no ingress rule"),
        expect.stringContaining('Service/y/x port web listens on node port 29999'),
      ]),
    );
  });

  test('the firewall model opens 10250 on control planes to the nodes group', () => {
    expect(securityGroupRules(getEnvironment('prod'))).toContainEqual({
      kind: 'ingress',
      group: 'control-plane',
      purpose: 'kubelet',
      port: { protocol: 'tcp', from: 10250, to: 10250 },
      peer: { group: 'nodes' },
    });
  });
});

describe('defect 4: control planes that cannot be replaced', () => {
  test('the old plans pin each control plane to a fixed private address', () => {
    expect(lines(checkControlPlaneReplacement(OLD.prod, old.prod))).toEqual(
      [0, 1, 2].map(
        (i) =>
          `${OLD.prod}: aws:ec2/instance:Instance::control-plane-${i}: privateIp: the control plane has a fixed private address, and Pulumi creates a replacement before deleting the old instance, which still holds it; let AWS pick the address and name the endpoint in the private zone [control-plane-replacement]`,
      ),
    );
  });

  test('options the plan does not record are checked on an offline run: a control plane without ignoreChanges on its key', () => {
    const plane = plans.dev.find((r) => r.name === 'control-plane-0')!;
    const options = new Map([[`${plane.type}::${plane.name}`, { ignoreChanges: ['ami'] }]]);
    expect(checkControlPlaneReplacement('p.json', [plane], options).map((f) => f.problem)).toEqual([
      'a change of userData, keyName would replace the control plane, and every control plane at once (etcd loses quorum)',
    ]);
  });
});

describe('defect 3: deployManifests against the private endpoint in the same up', () => {
  test('the old plan registers a Kubernetes provider with no tunnel to the private endpoint', () => {
    expect(lines(checkManifestDeployment(OLD.prodDeploy, old.prodDeploy, { tunnelDeclared: false }))).toEqual([
      `${OLD.prodDeploy}: pulumi:providers:kubernetes::manifests: the Kubernetes provider dials the API endpoint, which is private to the VPC, and the stack declares no tunnel (apiTunnelPort), so \`pulumi up\` cannot reach it; bring the cluster up with deployManifests off, open the tunnel with $(pulumi stack output apiTunnelCommand), set apiTunnelPort, then turn deployManifests on [manifest-deployment]`,
    ]);
    expect(checkManifestDeployment(OLD.prodDeploy, old.prodDeploy, { tunnelDeclared: true })).toEqual([]);
  });
});
