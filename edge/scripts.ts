/**
 * The shell scripts and the systemd unit a board's user-data installs. The bodies are static
 * (no interpolation); each script starts with a header of `readonly` constants rendered from
 * the model, so a reviewer reads one flow for every node.
 */

export const PATHS = {
  cmdlineScript: '/usr/local/sbin/edge-cmdline-cgroups',
  installScript: '/usr/local/sbin/edge-install-microk8s',
  joinScript: '/usr/local/sbin/edge-cluster-join',
  joinUnit: '/etc/systemd/system/edge-cluster-join.service',
  tokenFile: '/etc/edge-cluster/join-token',
  stateDir: '/var/lib/edge-cluster',
  hostsTemplate: '/etc/cloud/templates/hosts.debian.tmpl',
} as const;

/**
 * Tag for script bodies: raw text, backslashes kept. Bash's dollar-brace is written with a
 * backslash before the dollar so TypeScript does not interpolate it; the tag drops that backslash.
 */
function bash(strings: TemplateStringsArray): string {
  return strings.raw.join('').replace(/\\\$\{/g, '${');
}

export const UNIT_NAME = 'edge-cluster-join.service';
/** MicroK8s' cluster agent: `microk8s join <ip>:25000/<token>`. */
export const CLUSTER_AGENT_PORT = 25000;

/** Single-quotes a value for bash. */
export function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function header(name: string, purpose: string, constants: ReadonlyArray<readonly [string, string | number]>): string {
  const lines = constants.map(([k, v]) => `readonly ${k}=${typeof v === 'number' ? String(v) : shQuote(v)}`);
  return [
    '#!/bin/bash',
    `# ${name}: ${purpose}`,
    '# Generated from environments/edge.ts by `npm run edge:nodes`; regenerate instead of editing.',
    'set -euo pipefail',
    '',
    ...lines,
    '',
  ].join('\n');
}

const CMDLINE_BODY = bash`# EDGE_CMDLINE_FILE only exists for tests.
cmdline=\${EDGE_CMDLINE_FILE:-/boot/firmware/cmdline.txt}
if [ ! -f "$cmdline" ]; then
  echo "edge-cmdline-cgroups: $cmdline not found (is this Ubuntu Server for Raspberry Pi?)" >&2
  exit 1
fi
line=$(head -n 1 "$cmdline")
changed=no
for arg in $KERNEL_ARGS; do
  case " $line " in
    *" $arg "*) ;;
    *) line="$line $arg"; changed=yes ;;
  esac
done
if [ "$changed" = yes ]; then
  [ -e "$cmdline.before-edge" ] || cp -p "$cmdline" "$cmdline.before-edge"
  # cmdline.txt must stay a single line.
  printf '%s\n' "$line" > "$cmdline.edge-tmp"
  mv "$cmdline.edge-tmp" "$cmdline"
  echo "edge-cmdline-cgroups: appended the memory cgroup arguments; they take effect after a reboot"
else
  echo "edge-cmdline-cgroups: $cmdline already has the memory cgroup arguments"
fi
`;

export function cmdlineScript(kernelArgs: readonly string[]): string {
  return (
    header('edge-cmdline-cgroups', 'append the kernel arguments MicroK8s needs to cmdline.txt (idempotent).', [
      ['KERNEL_ARGS', kernelArgs.join(' ')],
    ]) + CMDLINE_BODY
  );
}

const INSTALL_BODY = bash`log() { echo "edge-install-microk8s: $*"; }

if snap list microk8s >/dev/null 2>&1; then
  log "microk8s is already installed"
else
  snap wait system seed.loaded
  attempt=1
  until snap install microk8s --classic --channel="$CHANNEL"; do
    if [ "$attempt" -ge 5 ]; then
      log "snap install microk8s --channel=$CHANNEL failed $attempt times (network up? clock right?)" >&2
      exit 1
    fi
    attempt=$((attempt + 1))
    sleep 20
  done
fi

# The books' "sudo usermod -a -G microk8s ubuntu; sudo chown -f -R ubuntu ~/.kube".
getent group microk8s >/dev/null || groupadd --system microk8s
usermod -a -G microk8s "$DEFAULT_USER"
home=$(getent passwd "$DEFAULT_USER" | cut -d: -f6)
install -d -m 0700 -o "$DEFAULT_USER" -g "$(id -gn "$DEFAULT_USER")" "$home/.kube"
log "microk8s from $CHANNEL installed; $DEFAULT_USER is in group microk8s"
`;

export function installScript(channel: string, defaultUser: string): string {
  return (
    header('edge-install-microk8s', 'install the pinned MicroK8s snap and let the default user run it (idempotent).', [
      ['CHANNEL', channel],
      ['DEFAULT_USER', defaultUser],
    ]) + INSTALL_BODY
  );
}

const JOIN_BODY = bash`readonly MICROK8S=/snap/bin/microk8s
readonly STATE_DIR=/var/lib/edge-cluster
readonly TOKEN_FILE=/etc/edge-cluster/join-token

log() { echo "edge-cluster-join: $*"; }
die() {
  echo "edge-cluster-join: $*" >&2
  exit 1
}

if [ -e "$STATE_DIR/done" ]; then
  log "already part of the cluster; nothing to do"
  exit 0
fi
mkdir -p "$STATE_DIR"

# MicroK8s needs the memory cgroup; cloud-init wrote cmdline.txt and rebooted once.
if ! awk '$1 == "memory" && $4 == 1 { found = 1 } END { exit !found }' /proc/cgroups; then
  die "the memory cgroup is off: run /usr/local/sbin/edge-cmdline-cgroups, reboot, and this unit runs again"
fi

/usr/local/sbin/edge-install-microk8s
"$MICROK8S" status --wait-ready --timeout 900 >/dev/null || die "MicroK8s is not ready; see 'sudo microk8s inspect'"

[ -s "$TOKEN_FILE" ] || die "$TOKEN_FILE is missing; regenerate the boot files or join by hand (docs/edge-cluster.md)"
token=$(tr -d '[:space:]' < "$TOKEN_FILE")

if [ "$FIRST_NODE" = yes ]; then
  if [ ! -e "$STATE_DIR/token-added" ]; then
    # Registers the pre-generated token; it expires TOKEN_TTL seconds from now.
    "$MICROK8S" add-node --token "$token" --token-ttl "$TOKEN_TTL" --format token >/dev/null
    touch "$STATE_DIR/token-added"
    log "join token registered for $TOKEN_TTL seconds"
  fi
  for addon in "\${ADDONS[@]}"; do
    "$MICROK8S" enable "$addon"
  done
else
  deadline=$(($(date +%s) + TOKEN_TTL + 900))
  # Joins go one at a time (dqlite membership changes are serialised): wait for our turn.
  sleep "$JOIN_DELAY"
  until timeout 5 bash -c "exec 3<>/dev/tcp/$FIRST_ADDRESS/$AGENT_PORT" 2>/dev/null; do
    [ "$(date +%s)" -lt "$deadline" ] || die "$FIRST_ADDRESS:$AGENT_PORT never answered; is the first node up?"
    log "waiting for the first node's cluster agent at $FIRST_ADDRESS:$AGENT_PORT"
    sleep 10
  done
  join_args=("$FIRST_ADDRESS:$AGENT_PORT/$token")
  if [ "$ROLE" = worker ]; then
    join_args+=(--worker)
  fi
  until "$MICROK8S" join "\${join_args[@]}"; do
    [ "$(date +%s)" -lt "$deadline" ] ||
      die "could not join $FIRST_ADDRESS:$AGENT_PORT (token expired?); re-issue it on the first node, then 'sudo systemctl start edge-cluster-join' here (docs/edge-cluster.md)"
    log "join failed; retrying in 20s (the first node may not have registered the token yet)"
    sleep 20
  done
  if [ "$ROLE" = control-plane ]; then
    "$MICROK8S" status --wait-ready --timeout 900 >/dev/null || die "joined, but MicroK8s is not ready; see 'sudo microk8s inspect'"
  fi
fi

touch "$STATE_DIR/done"
# The token has done its job on this board; it also expires on the first node.
rm -f "$TOKEN_FILE"
log "done: $(hostname) is a $ROLE node of the cluster"
`;

export interface JoinScriptParams {
  readonly role: 'control-plane' | 'worker';
  readonly firstNode: boolean;
  readonly firstAddress: string;
  readonly tokenTtlSeconds: number;
  readonly joinDelaySeconds: number;
  readonly addons: readonly string[];
}

export function joinScript(p: JoinScriptParams): string {
  const head = header(
    'edge-cluster-join',
    'run once after the cgroup reboot: the first node registers the join token, the others join it.',
    [
      ['ROLE', p.role],
      ['FIRST_NODE', p.firstNode ? 'yes' : 'no'],
      ['FIRST_ADDRESS', p.firstAddress],
      ['AGENT_PORT', CLUSTER_AGENT_PORT],
      ['TOKEN_TTL', p.tokenTtlSeconds],
      ['JOIN_DELAY', p.joinDelaySeconds],
    ],
  );
  const addons = `readonly ADDONS=(${p.addons.map(shQuote).join(' ')})\n`;
  return head + addons + JOIN_BODY;
}

/** Runs the join flow on every boot until it has succeeded once (then the condition skips it). */
export function joinUnit(timeoutSeconds: number): string {
  return [
    '[Unit]',
    'Description=Join this board to the edge MicroK8s cluster (generated from environments/edge.ts)',
    'Documentation=file:///usr/local/sbin/edge-cluster-join',
    'Wants=network-online.target',
    'After=network-online.target snapd.seeded.service',
    `ConditionPathExists=!${PATHS.stateDir}/done`,
    '',
    '[Service]',
    'Type=oneshot',
    'RemainAfterExit=yes',
    `ExecStart=${PATHS.joinScript}`,
    `TimeoutStartSec=${timeoutSeconds}`,
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}
