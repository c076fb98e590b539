// The scripts and the unit the user-data installs, generated in-process and compared with
// hand-written text (headers, constants, unit lines) and with bash itself for the quoting.
import { spawnSync } from 'child_process';
import { CLUSTER_AGENT_PORT, PATHS, UNIT_NAME, cmdlineScript, installScript, joinScript, joinUnit, shQuote } from '../../edge/scripts';

const GEN = '# Generated from environments/edge.ts by `npm run edge:nodes`; regenerate instead of editing.';

/** What bash reads back from `printf %s <quoted>`. */
function bashReads(quoted: string): string {
  const r = spawnSync('bash', ['-c', `printf %s ${quoted}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}

describe('shQuote', () => {
  test.each([
    ['plain', "'plain'"],
    ['', "''"],
    ["it's", "'it'\\''s'"],
    ["''", "''\\'''\\'''"],
    ['$HOME `id` "x" \\', "'$HOME `id` \"x\" \\'"],
  ])('%j is quoted as %s', (value, quoted) => {
    expect(shQuote(value)).toBe(quoted);
  });

  test.each(["it's", '$(reboot)', 'a b\tc\nd', "'; rm -rf / #"])('bash reads %j back verbatim', (value) => {
    expect(bashReads(shQuote(value))).toBe(value);
  });
});

describe('script headers', () => {
  test('cmdlineScript: shebang, purpose, strict mode, the kernel arguments as one quoted constant', () => {
    const s = cmdlineScript(['cgroup_enable=memory', 'cgroup_memory=1']);
    expect(s.split('\n').slice(0, 7)).toEqual([
      '#!/bin/bash',
      '# edge-cmdline-cgroups: append the kernel arguments MicroK8s needs to cmdline.txt (idempotent).',
      GEN,
      'set -euo pipefail',
      '',
      "readonly KERNEL_ARGS='cgroup_enable=memory cgroup_memory=1'",
      '# EDGE_CMDLINE_FILE only exists for tests.',
    ]);
    // The bash tag keeps bash's own ${...} (written \${ in the TypeScript source).
    expect(s).toContain('\ncmdline=${EDGE_CMDLINE_FILE:-/boot/firmware/cmdline.txt}\n');
    expect(s).toContain('\n  printf \'%s\\n\' "$line" > "$cmdline.edge-tmp"\n');
    expect(s.endsWith('\nfi\n')).toBe(true);
  });

  test('installScript: channel and default user quoted in the header', () => {
    const s = installScript("1.34/stable", "o'neil");
    expect(s.split('\n').slice(0, 8)).toEqual([
      '#!/bin/bash',
      '# edge-install-microk8s: install the pinned MicroK8s snap and let the default user run it (idempotent).',
      GEN,
      'set -euo pipefail',
      '',
      "readonly CHANNEL='1.34/stable'",
      "readonly DEFAULT_USER='o'\\''neil'",
      'log() { echo "edge-install-microk8s: $*"; }',
    ]);
    expect(s).toContain('\n  until snap install microk8s --classic --channel="$CHANNEL"; do\n');
  });

  test('joinScript: every constant, numbers bare and strings quoted, then the addons array and the body', () => {
    const s = joinScript({ role: 'worker', firstNode: false, firstAddress: '10.0.0.2', tokenTtlSeconds: 600, joinDelaySeconds: 120, addons: [] });
    expect(s.split('\n').slice(0, 14)).toEqual([
      '#!/bin/bash',
      '# edge-cluster-join: run once after the cgroup reboot: the first node registers the join token, the others join it.',
      GEN,
      'set -euo pipefail',
      '',
      "readonly ROLE='worker'",
      "readonly FIRST_NODE='no'",
      "readonly FIRST_ADDRESS='10.0.0.2'",
      'readonly AGENT_PORT=25000',
      'readonly TOKEN_TTL=600',
      'readonly JOIN_DELAY=120',
      'readonly ADDONS=()',
      'readonly MICROK8S=/snap/bin/microk8s',
      'readonly STATE_DIR=/var/lib/edge-cluster',
    ]);
    expect(s).toContain('\n  for addon in "${ADDONS[@]}"; do\n');
    expect(s).toContain('\n  until "$MICROK8S" join "${join_args[@]}"; do\n');
    expect(s.endsWith('\nlog "done: $(hostname) is a $ROLE node of the cluster"\n')).toBe(true);
  });

  test('joinScript on the first node: FIRST_NODE yes and the addons, each quoted', () => {
    const s = joinScript({ role: 'control-plane', firstNode: true, firstAddress: '10.0.0.2', tokenTtlSeconds: 3600, joinDelaySeconds: 0, addons: ['dns', "it's"] });
    const lines = s.split('\n');
    expect(lines.slice(5, 12)).toEqual([
      "readonly ROLE='control-plane'",
      "readonly FIRST_NODE='yes'",
      "readonly FIRST_ADDRESS='10.0.0.2'",
      'readonly AGENT_PORT=25000',
      'readonly TOKEN_TTL=3600',
      'readonly JOIN_DELAY=0',
      "readonly ADDONS=('dns' 'it'\\''s')",
    ]);
  });

  test('the join script runs the install script at the path the user-data writes it to', () => {
    const s = joinScript({ role: 'worker', firstNode: false, firstAddress: '10.0.0.2', tokenTtlSeconds: 600, joinDelaySeconds: 0, addons: [] });
    expect(s).toContain(`\n${PATHS.installScript}\n`);
    expect(s).toContain(`readonly STATE_DIR=${PATHS.stateDir}\n`);
    expect(s).toContain(`readonly TOKEN_FILE=${PATHS.tokenFile}\n`);
  });
});

describe('joinUnit', () => {
  test('the whole unit, with the given start timeout', () => {
    expect(joinUnit(6900)).toBe(
      [
        '[Unit]',
        'Description=Join this board to the edge MicroK8s cluster (generated from environments/edge.ts)',
        'Documentation=file:///usr/local/sbin/edge-cluster-join',
        'Wants=network-online.target',
        'After=network-online.target snapd.seeded.service',
        'ConditionPathExists=!/var/lib/edge-cluster/done',
        '',
        '[Service]',
        'Type=oneshot',
        'RemainAfterExit=yes',
        'ExecStart=/usr/local/sbin/edge-cluster-join',
        'TimeoutStartSec=6900',
        '',
        '[Install]',
        'WantedBy=multi-user.target',
        '',
      ].join('\n'),
    );
  });

  test('names and paths the user-data relies on', () => {
    expect(UNIT_NAME).toBe('edge-cluster-join.service');
    expect(CLUSTER_AGENT_PORT).toBe(25000);
    expect(PATHS).toEqual({
      cmdlineScript: '/usr/local/sbin/edge-cmdline-cgroups',
      installScript: '/usr/local/sbin/edge-install-microk8s',
      joinScript: '/usr/local/sbin/edge-cluster-join',
      joinUnit: '/etc/systemd/system/edge-cluster-join.service',
      tokenFile: '/etc/edge-cluster/join-token',
      stateDir: '/var/lib/edge-cluster',
      hostsTemplate: '/etc/cloud/templates/hosts.debian.tmpl',
    });
  });
});
