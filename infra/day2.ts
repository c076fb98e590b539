/**
 * Day-2 procedures as scripts the operator runs from a clone, with the tunnel open
 * (`$(pulumi stack output apiTunnelCommand)`), the kubeconfig output in KUBECONFIG and AWS credentials:
 *
 *   npx tsx infra/day2.ts <procedure> <stack> [argument] | bash
 *
 * Pure renderers (tests run the scripts against fake `kubectl`, `aws` and `pulumi`): each step is
 * explicit and in order, never a side effect of `pulumi up`. Commands on the nodes run through
 * `aws ssm send-command` with the helpers every control plane installs (infra/bootstrap/linux.ts).
 */
import { getEnvironment, NodePool } from '../environments';
import { HELPERS } from './bootstrap';
import { adminCertificateUrn, autoScalingGroupNameOf, bootstrapTokenSecretUrn, controlPlaneUrn } from './names';
import { AwsEnvironment, requireAwsEnvironment } from './settings';

export const PROCEDURES = [
  'roll-node-pool',
  'upgrade-control-planes',
  'replace-control-plane',
  'backup-etcd',
  'rotate-bootstrap-token',
  'renew-certificates',
] as const;
export type Procedure = (typeof PROCEDURES)[number];

/** Shared shell: stack outputs, `run_on <instance> <command>` through SSM, a reachable API server. */
function prelude(env: AwsEnvironment, what: string, controlPlanes = true): string {
  const region = env.provider.network.region;
  return `#!/bin/bash
# ${what} (cluster ${env.cluster.name}, stack ${env.name}). Rendered by infra/day2.ts.
set -euo pipefail
stack='${env.name}'
region='${region}'

output() { pulumi stack output --stack "$stack" "$@"; }

# Runs one command as root on an instance through Session Manager and prints its output; fails if it fails.
run_on() {
  local instance=$1 command=$2 id status
  id=$(aws ssm send-command --region "$region" --instance-ids "$instance" --document-name AWS-RunShellScript \\
    --parameters "{\\"commands\\":[\\"$command\\"]}" --query Command.CommandId --output text) || return 1
  for _ in $(seq 1 180); do
    status=$(aws ssm get-command-invocation --region "$region" --command-id "$id" --instance-id "$instance" \\
      --query Status --output text 2>/dev/null || echo Pending)
    case "$status" in
      Success) break ;;
      Pending | InProgress | Delayed) sleep 10 ;;
      *) aws ssm get-command-invocation --region "$region" --command-id "$id" --instance-id "$instance" \\
           --query StandardErrorContent --output text >&2
         echo "'$command' on $instance ended $status" >&2; return 1 ;;
    esac
  done
  if [[ $status != Success ]]; then echo "'$command' on $instance did not finish in 30 minutes" >&2; return 1; fi
  aws ssm get-command-invocation --region "$region" --command-id "$id" --instance-id "$instance" \\
    --query StandardOutputContent --output text
}

node_of() {
  aws ec2 describe-instances --region "$region" --instance-ids "$1" \\
    --query 'Reservations[0].Instances[0].PrivateDnsName' --output text
}

if ! kubectl version --request-timeout=10s >/dev/null; then
  echo "the API server does not answer: open the tunnel (\\$(pulumi stack output --stack $stack apiTunnelCommand)) and export KUBECONFIG" >&2
  exit 1
fi
${controlPlanes ? `mapfile -t control_planes < <(output controlPlaneInstanceIds --json | tr -d '[]", ' | grep .)
` : ''}`;
}

/** \`pulumi up --replace <urn>\`: URNs hold \`$\`, literally. */
function replace(urn: string): string {
  return `# shellcheck disable=SC2016 # a URN, not an expression\npulumi up --stack "$stack" --replace '${urn}'`;
}

/**
 * Replaces the pool's nodes one at a time, each on the launch template's current version (a new AMI, a
 * new Kubernetes version): cordon, drain (PodDisruptionBudgets respected), terminate through the group
 * (which launches a replacement that must join and become Ready before the next node goes).
 */
export function renderRollNodePool(env: AwsEnvironment, pool: NodePool): string {
  return `${prelude(env, `Roll node pool ${pool.name} (group ${autoScalingGroupNameOf(env, pool)}) onto its launch template's current version`, false)}
pool='${pool.name}'
ready_nodes() {
  kubectl get nodes -l "node-pool=$pool" \\
    -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}' |
    awk '$2 == "True" { print $1 }'
}
mapfile -t old_nodes < <(kubectl get nodes -l "node-pool=$pool" -o jsonpath='{range .items[*]}{.metadata.name}{"\\n"}{end}')
if ((\${#old_nodes[@]} == 0)); then echo "node pool $pool has no nodes" >&2; exit 1; fi
want=\${#old_nodes[@]}
for node in "\${old_nodes[@]}"; do
  instance=$(kubectl get node "$node" -o jsonpath='{.spec.providerID}')
  instance=\${instance##*/}
  echo "== $node ($instance)"
  kubectl cordon "$node"
  kubectl drain "$node" --ignore-daemonsets --delete-emptydir-data --timeout=15m
  aws autoscaling terminate-instance-in-auto-scaling-group --region "$region" --instance-id "$instance" \\
    --no-should-decrement-desired-capacity >/dev/null
  for attempt in $(seq 1 90); do
    count=$(ready_nodes | grep -cvxF "$node" || true)
    if ((count >= want)); then break; fi
    if ((attempt == 90)); then echo "no replacement for $node became Ready in 30 minutes; stopping the roll" >&2; exit 1; fi
    sleep 20
  done
  kubectl delete node "$node" --ignore-not-found
done
echo "node pool $pool rolled: $(ready_nodes | wc -l) Ready nodes"
`;
}

/**
 * Upgrades the control planes one at a time (the first with \`kubeadm upgrade apply\`, the others with
 * \`kubeadm upgrade node\`), each drained before and uncordoned after. Run it BEFORE any node pool gets
 * the new version: workers refuse to join an older API server, and a pool is rolled afterwards.
 */
export function renderUpgradeControlPlanes(env: AwsEnvironment, version: string): string {
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`upgrade-control-planes: "${version}" is not a full patch version (e.g. 1.34.3)`);
  return `${prelude(env, `Upgrade the control planes to Kubernetes ${version}`)}
version='${version}'
first=--first
for instance in "\${control_planes[@]}"; do
  node=$(node_of "$instance")
  echo "== $node ($instance)"
  kubectl drain "$node" --ignore-daemonsets --delete-emptydir-data --timeout=15m
  run_on "$instance" "${HELPERS.upgrade} $version $first"
  kubectl uncordon "$node"
  first=
done
kubectl version
echo "control planes run $version; now set cluster.kubernetesVersion to $version in environments/$stack.ts, pulumi up, and roll every node pool"
`;
}

/**
 * Replaces control plane <index>: shares the control-plane certificates for 2 h, removes the member
 * from etcd (by \`kubeadm reset\` on the old node if it still runs, else \`etcdctl member remove\` from a
 * healthy one), deletes its Node, then \`pulumi up --replace\` that one instance; the new one joins.
 */
export function renderReplaceControlPlane(env: AwsEnvironment, index: number): string {
  const count = env.provider.controlPlane.count;
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new Error(`replace-control-plane: index ${index} is outside 0..${count - 1} (stack ${env.name} has ${count})`);
  }
  if (count === 1) {
    throw new Error(
      `replace-control-plane: stack ${env.name} has one control plane, so etcd has no other member to keep the cluster: ` +
        'take a backup (backup-etcd), replace it with `pulumi up --replace`, and restore the snapshot (README, "Back up etcd")',
    );
  }
  return `${prelude(env, `Replace control plane ${index}`)}
old=\${control_planes[${index}]}
healthy=
for instance in "\${control_planes[@]}"; do
  if [[ $instance != "$old" ]]; then healthy=$instance; break; fi
done
old_node=$(node_of "$old")
echo "== replacing $old_node ($old); healthy control plane: $healthy"
run_on "$healthy" "${HELPERS.uploadCerts}"
member=$(run_on "$healthy" "${HELPERS.etcdctl} member list" | awk -F', ' -v name="$old_node" '$3 == name { print $1 }')
if [[ -n $member ]]; then
  if ! run_on "$old" "kubeadm reset --force"; then
    run_on "$healthy" "${HELPERS.etcdctl} member remove $member"
  fi
fi
kubectl delete node "$old_node" --ignore-not-found
${replace(controlPlaneUrn(env, index))}
run_on "$healthy" "${HELPERS.etcdctl} member list"
`;
}

/** An etcd snapshot now, from the first control plane, into the stack's bucket (daily ones run by timer). */
export function renderBackupEtcd(env: AwsEnvironment): string {
  return `${prelude(env, 'Back up etcd')}
run_on "\${control_planes[0]}" "${HELPERS.etcdBackup}"
aws s3 ls --region "$region" --recursive "s3://$(output clusterBucket)/etcd-backups/" | tail -n 5
`;
}

/**
 * A new bootstrap token secret (same id): Pulumi replaces the random value and the SSM parameter, then
 * every control plane's renewal puts it into the cluster at once; the old secret stops working.
 */
export function renderRotateBootstrapToken(env: AwsEnvironment): string {
  return `${prelude(env, 'Rotate the bootstrap token')}
${replace(bootstrapTokenSecretUrn(env))}
for instance in "\${control_planes[@]}"; do run_on "$instance" "${HELPERS.renewToken}"; done
`;
}

/**
 * Renews the kubeadm-managed certificates (API server, etcd, front proxy, kubeconfigs of the
 * components) on every control plane, one at a time, and restarts the static pods that read them; the
 * admin kubeconfig of the stack is re-signed by Pulumi. The cluster CA itself is not rotated (10 years).
 */
export function renderRenewCertificates(env: AwsEnvironment): string {
  return `${prelude(env, 'Renew the control-plane certificates')}
for instance in "\${control_planes[@]}"; do
  run_on "$instance" "kubeadm certs renew all && mkdir -p /etc/kubernetes/paused && mv /etc/kubernetes/manifests/*.yaml /etc/kubernetes/paused/ && sleep 30 && mv /etc/kubernetes/paused/*.yaml /etc/kubernetes/manifests/ && kubeadm certs check-expiration"
  kubectl wait --for=condition=Ready node --all --timeout=10m >/dev/null
done
${replace(adminCertificateUrn(env))}
echo "re-export the kubeconfig: pulumi stack output --stack $stack kubeconfig --show-secrets > \\$KUBECONFIG"
`;
}

export function renderProcedure(procedure: string, stack: string, argument?: string): string {
  const env = requireAwsEnvironment(getEnvironment(stack));
  switch (procedure as Procedure) {
    case 'roll-node-pool': {
      const pool = env.nodePools.find((p) => p.name === argument);
      if (!pool) throw new Error(`roll-node-pool: name a node pool of stack ${stack}: ${env.nodePools.map((p) => p.name).join(', ')}`);
      return renderRollNodePool(env, pool);
    }
    case 'upgrade-control-planes':
      return renderUpgradeControlPlanes(env, argument ?? '');
    case 'replace-control-plane':
      return renderReplaceControlPlane(env, Number(argument));
    case 'backup-etcd':
      return renderBackupEtcd(env);
    case 'rotate-bootstrap-token':
      return renderRotateBootstrapToken(env);
    case 'renew-certificates':
      return renderRenewCertificates(env);
    default:
      throw new Error(`unknown procedure "${procedure}": use one of ${PROCEDURES.join(', ')}`);
  }
}

if (require.main === module) {
  try {
    const [procedure, stack, argument] = process.argv.slice(2);
    if (!procedure || !stack) throw new Error(`usage: npx tsx infra/day2.ts <${PROCEDURES.join('|')}> <stack> [argument] | bash`);
    process.stdout.write(renderProcedure(procedure, stack, argument));
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
