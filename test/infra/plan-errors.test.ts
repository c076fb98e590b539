/**
 * An error thrown inside the Pulumi program under mocks (here: rendering a control plane's
 * user-data, inside an apply) reaches `npm run plan` as the real cause. It used to leave the
 * failed registration pending forever, so the process ran dry and Pulumi printed only
 * "N promises were still active". Run on a scratch copy with the throw edited in, as a user's
 * mistake would be.
 */
import { edit, rmScratch, run, scratchCopy, TSX } from '../util/scratch';

test('npm run plan prints the real cause of a throw inside an apply, and exits 1', () => {
  const dir = scratchCopy('plan-errors-');
  try {
    edit(
      dir,
      'infra/bootstrap/linux.ts',
      /(export function renderControlPlaneUserData\([^)]*\): string \{\n)/,
      "$1  throw new Error('kubeadm cannot render this cluster (edited in by the test)');\n",
    );
    const r = run(dir, process.execPath, [TSX, 'infra/plan.ts', '--out', 'plan-out']);
    expect(r.stderr).not.toMatch(/promises? (were|was) still active/);
    expect(r.stderr).toContain('error serializing property "userData": kubeadm cannot render this cluster (edited in by the test)');
    expect(r.status).toBe(1);
  } finally {
    rmScratch(dir);
  }
});
