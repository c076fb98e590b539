/**
 * `npm run edge:nodes [-- --out DIR] [--secrets FILE] [--env NAME]`: validates the edge model,
 * reads the secrets, and writes every board's cloud-init boot files.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { parseArgs } from 'util';
import { FindingsError } from '../contracts/finding';
import { getEnvironment } from '../environments';
import { renderEdgeNodes } from './render';
import { EdgeSecretsError, SECRETS_FILE, loadEdgeSecrets } from './secrets';
import { EdgeModelError, assertValidEdge } from './validate-edge';
import { writeNodeFiles } from './write';

export interface CliIo {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

const USAGE = 'usage: npm run edge:nodes [-- --out DIR] [--secrets FILE] [--env NAME]';

function gitIgnored(dir: string, cwd: string): boolean | undefined {
  const r = spawnSync('git', ['check-ignore', '-q', dir], { cwd, stdio: 'ignore' });
  if (r.error || r.status === null || r.status > 1) return undefined; // no git, or not a repository
  return r.status === 0;
}

/** Returns the exit code. */
export function runCli(argv: readonly string[], io: CliIo): number {
  let values: { out?: string; secrets?: string; env?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        out: { type: 'string' },
        secrets: { type: 'string' },
        env: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    io.err(`edge:nodes: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const outDir = path.resolve(io.cwd, values.out ?? 'edge-nodes');
  const secretsFile = path.resolve(io.cwd, values.secrets ?? SECRETS_FILE);

  try {
    const env = getEnvironment(values.env ?? 'edge');
    const { microk8s: m } = assertValidEdge(env);
    const secrets = loadEdgeSecrets({ file: secretsFile, env: io.env, wifiSsid: m.wifiSsid, warn: (line) => io.err(`edge:nodes: warning: ${line}`) });
    const nodes = renderEdgeNodes(env, secrets);
    const written = writeNodeFiles(outDir, nodes);
    const rel = path.relative(io.cwd, written);
    const shown = rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? written : rel;

    io.out(`edge:nodes: wrote ${shown}/ from environments/${env.name}.ts (files 0600, directories 0700):`);
    const width = Math.max(...nodes.map((n) => n.hostname.length));
    for (const n of nodes) {
      const what = n.first ? 'control-plane, first: registers the join token' : n.role;
      io.out(`  ${n.hostname.padEnd(width)}  ${n.address.padEnd(15)}  ${what}`);
    }
    io.out('');
    io.out('For each board: flash Ubuntu Server 24.04 LTS (64-bit) with Raspberry Pi Imager, re-insert the card, and copy');
    for (const n of nodes) {
      io.out(`  ${shown}/${n.hostname}/user-data and ${shown}/${n.hostname}/network-config  ->  ${n.hostname}'s system-boot partition`);
    }
    io.out('replacing the user-data and network-config already there (keep meta-data). Then eject the card safely.');
    io.out(
      `Power on ${nodes[0].hostname} first, the others within ${m.joinTokenTtlSeconds} s (the join token's lifetime). ` +
        'Each board boots, reboots once, then joins; see docs/edge-cluster.md.',
    );
    if (secrets.sshAuthorizedKeys.length === 0) {
      io.err(
        'edge:nodes: warning: no SSH keys (edge.secrets.json "sshAuthorizedKeys" or EDGE_SSH_AUTHORIZED_KEYS): ' +
          'the boards keep the stock ubuntu/ubuntu login, which must be changed at the first login.',
      );
    }
    if (gitIgnored(written, io.cwd) === false) {
      io.err(`edge:nodes: warning: ${shown}/ is inside a git work tree but not ignored; it holds the Wi-Fi password and the join token. Never commit it.`);
    }
    return 0;
  } catch (err) {
    if (err instanceof EdgeModelError || err instanceof EdgeSecretsError || err instanceof FindingsError) {
      io.err(`edge:nodes: ${err.message}`);
      io.err(`edge:nodes: nothing written; ${path.relative(io.cwd, outDir) || outDir} is unchanged.`);
      return 1;
    }
    io.err(`edge:nodes: ${(err as Error).message}`);
    io.err(`edge:nodes: any previous ${path.relative(io.cwd, outDir) || outDir} is unchanged.`);
    return 1;
  }
}

/** The process wiring of `npm run edge:nodes` (arguments after the script, stdout/stderr lines, exit code). */
export function main(proc: Pick<NodeJS.Process, 'argv' | 'cwd' | 'env' | 'stdout' | 'stderr' | 'exitCode'> = process): void {
  proc.exitCode = runCli(proc.argv.slice(2), {
    cwd: proc.cwd(),
    env: proc.env,
    out: (l) => proc.stdout.write(`${l}\n`),
    err: (l) => proc.stderr.write(`${l}\n`),
  });
}

if (require.main === module) main();
