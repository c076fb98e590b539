/**
 * Construct refusals reach the user as the environment field that caused them (not as a construct
 * path and prop), and synthesis reports every refusal of every environment before it fails. The
 * workload registry is keyed by the model, so an unwired workload does not compile
 * (test/types/workload-registry.ts).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { WORKLOADS } from '../charts';
import { refusalFinding } from '../charts/refusals';
import { formatFinding } from '../contracts/finding';
import { ConstructError } from '../constructs/errors';
import { dev } from '../environments/dev';
import { edge } from '../environments/edge';
import { prod } from '../environments/prod';
import { Environment } from '../environments';
import { renderEnvironment } from '../synth/render';
import { synthesize } from '../synth/synthesize';

/** `env` with some workloads' settings replaced. */
function withWorkloads(env: Environment, workloads: Partial<Record<keyof Environment['workloads'], unknown>>): Environment {
  return { ...env, workloads: { ...env.workloads, ...workloads } as Environment['workloads'] };
}

test('synthesis reports every refusal of every environment, each at the field the user edits, and writes nothing', () => {
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'refusals-dist-'));
  // Derived from the model, so the README flows (replicas, images, blue/green) leave this test valid.
  const devLinux = dev.nodePools.filter((p) => p.os === 'linux' && p.taints.length === 0);
  const devNodes = devLinux.reduce((n, p) => n + p.min, 0);
  const numbersPort = (prod.workloads.numbers as { webNodePort: number }).webNodePort;
  const boards = edge.nodePools.map((p) => `${p.name} (${p.os}/${p.arch})`).join('; ');
  const envs = [
    // One pod more than dev's nodes, with required anti-affinity.
    withWorkloads(dev, { nginx: { ...dev.workloads.nginx, antiAffinity: 'required', replicas: devNodes + 1 } }),
    // petshop's web takes numbers' node port: both named by their settings.
    withWorkloads(prod, { petshop: { webNodePort: numbersPort, webserviceNodePort: 30003 } }),
    // A LoadBalancer on a LAN, and an amd64-only workload on arm64 boards.
    withWorkloads(edge, { demo: { replicas: 3, serviceType: 'LoadBalancer' }, apod: { replicas: 2, webNodePort: 30000 } }),
  ];
  let message = '';
  try {
    synthesize(envs, { distDir: dist });
  } catch (err) {
    message = (err as Error).message;
  }
  expect(message.split('\n')).toEqual([
    '4 refusal(s) while building the charts:',
    `  environments/dev.ts: workloads.nginx.replicas: ${devNodes + 1} pods with required hostname anti-affinity can never all schedule on the ${devNodes} node(s) of pool(s) ${devLinux.map((p) => p.name).join(', ')}; lower it to ${devNodes}, use antiAffinity: 'preferred', or grow the pool [construct-refusal]`,
    `  environments/prod.ts: workloads.petshop.webNodePort: nodePort ${numbersPort} is already used by workloads.numbers.webNodePort; give every NodePort Service port its own nodePort [construct-refusal]`,
    `  environments/edge.ts: workloads.apod: no node pool of environment "edge" can run linux/amd64: pools are ${boards}; add a matching pool to environments/edge.ts, tolerate the pool's taints, or leave the workload out there with { omitted: '<why>' } [construct-refusal]`,
    "  environments/edge.ts: workloads.demo.serviceType: environment \"edge\" has no cloud provider, so a LoadBalancer Service would stay <pending> forever; use NodePort (or an ingress) in environments/edge.ts, or leave the workload out there with { omitted: '<why>' } [construct-refusal]",
  ]);
  expect(fs.readdirSync(dist)).toEqual([]);
  fs.rmSync(dist, { recursive: true, force: true });
});

describe('a setting the constructs refuse is reported at that setting', () => {
  const live = (prod.workloads.versions as { active: string }).active;
  test.each([
    ['nginx', { image: 'nginx:latest' }, 'workloads.nginx.image: image "nginx:latest" uses the moving "latest" tag'],
    ['nginx', { maxSurge: 0, maxUnavailable: 0 }, 'workloads.nginx.maxUnavailable: maxSurge and maxUnavailable are both 0'],
    ['apod', { replicas: 1 }, 'workloads.apod.replicas: 1 replicas is not highly available'],
    ['demo', { replicas: 0 }, 'workloads.demo.replicas: 0 replicas is not highly available'],
    ['versions', { replicas: 1 }, `workloads.versions.replicas: the live slot ${live} runs 1 replica(s), which is not highly available`],
    ['minio', { mesh: 'none', istioHosts: ['*'] }, 'workloads.minio.istioHosts: an Istio Gateway and VirtualService are set but the pods\' mesh is "none"'],
  ] as const)('prod %s with %j', (workload, change, line) => {
    const settings = { ...(prod.workloads[workload] as object), ...change };
    let message = '';
    try {
      renderEnvironment(withWorkloads(prod, { [workload]: settings }));
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain(`environments/prod.ts: ${line}`);
  });
});

describe('refusalFinding', () => {
  const file = 'environments/dev.ts';
  const refusal = (p: string, field: string) => new ConstructError(p, field, 'it is wrong', 'make it right');
  const at = (err: ConstructError, fields: Record<string, string>, keepSubField = false) =>
    formatFinding(refusalFinding(err, { file, base: fields === CLUSTER ? '' : 'workloads.w', fields, keepSubField }));
  const CLUSTER = { nodePools: 'nodePools', podCidr: 'cluster.podCidr' };

  test('a key scoped to a construct matches that construct only, not one whose name extends it', () => {
    const fields = WORKLOADS.petshop.fields;
    const base = { file, base: 'workloads.petshop', fields };
    expect(refusalFinding(refusal('petshop/petshop-web', 'service.ports[http].nodePort'), base).field).toBe('workloads.petshop.webNodePort');
    expect(refusalFinding(refusal('petshop/petshop-webservice', 'service.ports[http].nodePort'), base).field).toBe('workloads.petshop.webserviceNodePort');
  });

  test('the longest matching key wins, and only whole prop names match', () => {
    const fields = WORKLOADS.nginx.fields;
    const base = { file, base: 'workloads.nginx', fields };
    expect(refusalFinding(refusal('nginx/nginx', 'strategy.maxSurge'), base).field).toBe('workloads.nginx.maxSurge');
    expect(refusalFinding(refusal('nginx/nginx', 'strategy'), base).field).toBe('workloads.nginx.maxUnavailable');
    expect(refusalFinding(refusal('nginx/nginx', 'replicasExtra'), base).field).toBe('workloads.nginx');
  });

  test('a placement refusal is about the workload as a whole: reported at the workload', () => {
    expect(at(refusal('w/web', 'platform'), { replicas: 'replicas' })).toBe('environments/dev.ts: workloads.w: it is wrong; make it right [construct-refusal]');
  });

  test('an unmapped prop is reported at the workload, naming the construct and prop for the chart author', () => {
    expect(at(refusal('w/web', 'service.ports'), { replicas: 'replicas' })).toBe(
      'environments/dev.ts: workloads.w: it is wrong (w/web: service.ports); make it right [construct-refusal]',
    );
  });

  test('cluster props keep their sub-field: the pool index is the user\'s', () => {
    expect(at(refusal('01-cluster/cluster', 'nodePools[1].windowsBuild'), CLUSTER, true)).toBe(
      'environments/dev.ts: nodePools[1].windowsBuild: it is wrong; make it right [construct-refusal]',
    );
  });

  test('prop names in the text become the setting names', () => {
    const err = new ConstructError('nginx/nginx', 'replicas', 'hostnameSpread is required', "use hostnameSpread: 'preferred'");
    expect(refusalFinding(err, { file, base: 'workloads.nginx', fields: WORKLOADS.nginx.fields })).toMatchObject({
      problem: 'antiAffinity is required',
      fix: "use antiAffinity: 'preferred'",
    });
  });
});

test('the workload registry lists every workload of the model (test/types/workload-registry.ts proves it at compile time)', () => {
  expect(Object.keys(WORKLOADS).sort()).toEqual(Object.keys(dev.workloads).sort());
});
