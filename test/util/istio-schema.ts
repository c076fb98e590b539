import { execFileSync } from 'child_process';

/**
 * Validates Istio objects against the CRD schemas of @kubernetes-models/istio. The package is
 * ESM-only and Jest runs CommonJS, so one Node child process imports the models and validates the
 * whole batch: returns one error string per object ('' when valid).
 */
export function istioSchemaErrors(objects: readonly { apiVersion: string; kind: string }[]): string[] {
  const script = `
    const objects = JSON.parse(await new Promise((ok) => { let s = ''; process.stdin.on('data', (d) => (s += d)); process.stdin.on('end', () => ok(s)); }));
    const out = [];
    for (const o of objects) {
      const [group, version] = o.apiVersion.split('/');
      const mod = await import('@kubernetes-models/istio/' + group + '/' + version + '/' + o.kind);
      try { new mod[o.kind](o).validate(); out.push(''); } catch (e) { out.push(JSON.stringify(e.errors ?? String(e))); }
    }
    process.stdout.write(JSON.stringify(out));
  `;
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], { input: JSON.stringify(objects), cwd: __dirname });
  return JSON.parse(stdout.toString()) as string[];
}
