import { checkTemplates, containersOf, describeContainer } from '../workload';
import { asArray } from '../object';
import { Rule } from './rule';

/**
 * `--kubelet-insecure-tls` makes metrics-server accept any certificate a "kubelet" presents: its README
 * calls it "for testing purposes only". The secure setup is kubelet serving certificates from the
 * cluster CA (`serverTLSBootstrap: true` plus an approver of the kubelet-serving CSRs).
 */
export const kubeletTls: Rule = {
  id: 'kubelet-tls',
  severity: 'error',
  description: "A client of the kubelets (metrics-server) must verify their serving certificates: --kubelet-insecure-tls is for testing only.",
  remediation: 'Give the kubelets serving certificates from the cluster CA (serverTLSBootstrap: true and a kubelet-serving CSR approver) and drop --kubelet-insecure-tls.',
  equivalents: { kubeLinter: [], kubeScore: [] },
  check: ({ manifests }) =>
    checkTemplates(manifests, ({ spec }) =>
      containersOf(spec).flatMap((container) => {
        const command = asArray(container.spec.command);
        const args = [...command, ...asArray(container.spec.args)].map(String);
        const index = args.findIndex((a) => a === '--kubelet-insecure-tls' || a === '--kubelet-insecure-tls=true');
        if (index < 0) return [];
        return [
          {
            field: `${container.path}.${index < command.length ? 'command' : 'args'}`,
            problem: `${describeContainer(container)} skips verifying the kubelets' certificates (--kubelet-insecure-tls, "for testing purposes only" per metrics-server's README)`,
            fix: 'set serverTLSBootstrap: true in the KubeletConfiguration, approve the kubelet-serving CSRs (kubelet-csr-approver) and drop the flag',
          },
        ];
      }),
    ),
};
