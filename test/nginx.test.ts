import { parseAllDocuments } from 'yaml';
import { Environment, NginxSettings } from '../environments';
import { prod } from '../environments/prod';
import { dev } from '../environments/dev';
import { renderEnvironment } from '../synth/render';

function nginxDocs(env: Environment) {
  const file = renderEnvironment(env).files.find((f) => f.name === 'nginx.yaml')!;
  return { file, deployment: parseAllDocuments(file.content).map((d) => d.toJS()).find((o) => o.kind === 'Deployment') };
}

function withNginx(env: Environment, change: Partial<NginxSettings>): Environment {
  return { ...env, workloads: { ...env.workloads, nginx: { ...(env.workloads.nginx as NginxSettings), ...change } } };
}

test('the book facts: nginx-deployment, app: nginx; image, replicas and strategy from each environment', () => {
  for (const env of [prod, dev]) {
    const settings = env.workloads.nginx as NginxSettings;
    const { deployment: d } = nginxDocs(env);
    expect(d.metadata.name).toBe('nginx-deployment');
    expect(d.spec.selector).toEqual({ matchLabels: { app: 'nginx' } });
    expect(d.spec.template.spec.containers[0].image).toBe(settings.image);
    expect(d.spec.replicas).toBe(settings.replicas);
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: settings.maxSurge, maxUnavailable: settings.maxUnavailable } });
  }
  const required = nginxDocs(withNginx(prod, { antiAffinity: 'required' })).deployment;
  expect(required.spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([
    { labelSelector: { matchLabels: { app: 'nginx' } }, topologyKey: 'kubernetes.io/hostname' },
  ]);
});

test('stock nginx can start: root master, the capabilities it uses, writable cache and run dirs', () => {
  const { deployment: d } = nginxDocs(prod);
  const c = d.spec.template.spec.containers[0];
  expect(c.securityContext).toMatchObject({ runAsNonRoot: false, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
  expect(c.securityContext.capabilities).toEqual({ drop: ['ALL'], add: ['CHOWN', 'SETGID', 'SETUID', 'NET_BIND_SERVICE'] });
  expect(c.volumeMounts.map((m: { mountPath: string }) => m.mountPath)).toEqual(['/var/cache/nginx', '/var/run']);
});

test('seed-000 regression: changing only the replica count changes only spec.replicas', () => {
  const before = nginxDocs(prod).file.content.split('\n');
  const after = nginxDocs(withNginx(prod, { replicas: 5 })).file.content.split('\n');
  // 5 pods with required anti-affinity fit prod's 6 Linux nodes; the image and affinity must survive.
  expect(after.length).toBe(before.length);
  const changed = before.map((line, i) => [line, after[i]]).filter(([a, b]) => a !== b);
  expect(changed).toEqual([['  replicas: 4', '  replicas: 5']]);
});

test('scaling past the eligible nodes with required anti-affinity is refused, naming the fix', () => {
  expect(() => nginxDocs(withNginx(prod, { replicas: 7 }))).toThrow(
    /environments\/prod\.ts: workloads\.nginx\.replicas: 7 pods with required hostname anti-affinity can never all schedule on the 6 node\(s\) of pool\(s\) linux-amd64, linux-arm64; lower it to 6, use antiAffinity: 'preferred'/,
  );
});
