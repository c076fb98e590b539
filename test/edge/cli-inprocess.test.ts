// runCli in-process (a spawned CLI never runs a mutant): argument errors, help, defaults resolved
// against io.cwd, the exact instructions printed, the warnings (SSH keys, readable secrets file,
// output not git-ignored) and both refusal paths. Every run works in a private folder.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main, runCli } from '../../edge/cli';

const USAGE = 'usage: npm run edge:nodes [-- --out DIR] [--secrets FILE] [--env NAME]';
const TOKEN = '0123456789abcdef0123456789abcdef';
const ENV = { EDGE_JOIN_TOKEN: TOKEN, EDGE_WIFI_PASSWORD: 'correct horse battery' };
const NO_KEYS =
  'edge:nodes: warning: no SSH keys (edge.secrets.json "sshAuthorizedKeys" or EDGE_SSH_AUTHORIZED_KEYS): ' +
  'the boards keep the stock ubuntu/ubuntu login, which must be changed at the first login.';

let cwd: string;
beforeEach(() => {
  cwd = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'edge-cli-inprocess-')));
});
afterEach(() => fs.rmSync(cwd, { recursive: true, force: true }));

function run(argv: string[], env: Record<string, string> = ENV, at = cwd) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runCli(argv, { cwd: at, env, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

/** What a successful run prints for the edge model, the output shown as `shown`. */
function instructions(shown: string): string[] {
  const copy = (h: string) => `  ${shown}/${h}/user-data and ${shown}/${h}/network-config  ->  ${h}'s system-boot partition`;
  return [
    `edge:nodes: wrote ${shown}/ from environments/edge.ts (files 0600, directories 0700):`,
    // Hostnames padded to the longest (13), addresses to 15.
    '  controlplane   192.168.1.8      control-plane, first: registers the join token',
    '  controlplane1  192.168.1.9      control-plane',
    '  controlplane2  192.168.1.10     control-plane',
    '  worker1        192.168.1.11     worker',
    '',
    'For each board: flash Ubuntu Server 24.04 LTS (64-bit) with Raspberry Pi Imager, re-insert the card, and copy',
    copy('controlplane'),
    copy('controlplane1'),
    copy('controlplane2'),
    copy('worker1'),
    'replacing the user-data and network-config already there (keep meta-data). Then eject the card safely.',
    "Power on controlplane first, the others within 3600 s (the join token's lifetime). Each board boots, reboots once, then joins; see docs/edge-cluster.md.",
  ];
}

const hasGit = spawnSync('git', ['--version']).status === 0;

describe('arguments', () => {
  test.each([['--bogus'], ['extra-positional'], ['--out']])('%s is refused with the usage, exit 2', (arg) => {
    const r = run([arg]);
    expect(r.code).toBe(2);
    expect(r.out).toEqual([]);
    expect(r.err).toHaveLength(1);
    expect(r.err[0].startsWith('edge:nodes: ')).toBe(true);
    expect(r.err[0].endsWith(`\n${USAGE}`)).toBe(true);
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  test.each([['--help'], ['-h']])('%s prints the usage and writes nothing', (arg) => {
    expect(run([arg])).toEqual({ code: 0, out: [USAGE], err: [] });
    expect(fs.readdirSync(cwd)).toEqual([]);
  });
});

describe('a run', () => {
  test('defaults: ./edge-nodes from ./edge.secrets.json, the exact instructions, the no-SSH-keys warning', () => {
    fs.writeFileSync(path.join(cwd, 'edge.secrets.json'), JSON.stringify({ joinToken: TOKEN, wifiPassword: 'from-the-file-pw' }), { mode: 0o600 });
    const r = run([], {});
    expect(r).toEqual({ code: 0, out: instructions('edge-nodes'), err: [NO_KEYS] });
    expect(fs.readdirSync(cwd).sort()).toEqual(['edge-nodes', 'edge.secrets.json']);
    const nc = fs.readFileSync(path.join(cwd, 'edge-nodes', 'worker1', 'network-config'), 'utf8');
    expect(nc).toContain('password: from-the-file-pw\n');
  });

  test('--secrets and --out are resolved against the working directory', () => {
    fs.mkdirSync(path.join(cwd, 'conf'));
    fs.writeFileSync(path.join(cwd, 'conf', 's.json'), JSON.stringify({ joinToken: TOKEN, wifiPassword: 'from-conf-s-json', sshAuthorizedKeys: ['ssh-ed25519 AAAAC3Nza me'] }), { mode: 0o600 });
    const r = run(['--out', 'boards/out', '--secrets', 'conf/s.json'], {});
    expect(r).toEqual({ code: 0, out: instructions('boards/out'), err: [] });
    expect(fs.readFileSync(path.join(cwd, 'boards', 'out', 'controlplane', 'network-config'), 'utf8')).toContain('password: from-conf-s-json\n');
  });

  test('an output outside the working directory is shown by its absolute path; the working directory itself as "."', () => {
    const inner = path.join(cwd, 'inner');
    fs.mkdirSync(inner);
    const outside = path.join(cwd, 'outside');
    expect(run(['--out', outside], ENV, inner).out).toEqual(instructions(outside));
    const empty = path.join(cwd, 'empty');
    fs.mkdirSync(empty);
    expect(run(['--out', '.'], ENV, empty).out).toEqual(instructions('.'));
  });

  test('a secrets file other users can read: the warning, prefixed, and the run goes on', () => {
    const file = path.join(cwd, 'edge.secrets.json');
    fs.writeFileSync(file, JSON.stringify({ joinToken: TOKEN, wifiPassword: 'from-the-file-pw', sshAuthorizedKeys: ['ssh-ed25519 AAAAC3Nza me'] }));
    fs.chmodSync(file, 0o644);
    const r = run([], {});
    expect(r.code).toBe(0);
    expect(r.err).toEqual([`edge:nodes: warning: ${file} is readable by every user (mode 0644); it holds the Wi-Fi password and the join token: chmod 600 ${file}`]);
  });
});

describe('refusals', () => {
  test('a model that is not MicroK8s: the findings, then "nothing written"', () => {
    const r = run(['--env', 'dev', '--out', 'out']);
    expect(r.code).toBe(1);
    expect(r.out).toEqual([]);
    expect(r.err).toHaveLength(2);
    expect(r.err[0]).toMatch(/^edge:nodes: environments\/dev\.ts: the edge model has 1 problem\(s\):\n {2}- environments\/dev\.ts: provider\.kind: is "/);
    expect(r.err[1]).toBe('edge:nodes: nothing written; out is unchanged.');
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  test('a secrets refusal names the output by its absolute path when it is the working directory', () => {
    const r = run(['--out', '.'], {});
    expect(r.code).toBe(1);
    expect(r.err[0].startsWith(`edge:nodes: the MicroK8s join token is missing: set "joinToken" in ${path.join(cwd, 'edge.secrets.json')} or EDGE_JOIN_TOKEN.\n`)).toBe(true);
    expect(r.err[1]).toBe(`edge:nodes: nothing written; ${cwd} is unchanged.`);
  });

  test('any other failure (an output it did not write): the message, then "any previous ... is unchanged"', () => {
    fs.mkdirSync(path.join(cwd, 'mine'));
    fs.writeFileSync(path.join(cwd, 'mine', 'keep.txt'), 'x');
    const r = run(['--out', 'mine']);
    expect(r.code).toBe(1);
    expect(r.err).toEqual([
      `edge:nodes: ${path.join(cwd, 'mine')} exists and was not written by edge:nodes (no .edge-nodes inside); refusing to replace it. Pick another --out, or remove it yourself.`,
      'edge:nodes: any previous mine is unchanged.',
    ]);
    fs.writeFileSync(path.join(cwd, 'keep.txt'), 'x');
    expect(run(['--out', '.']).err[1]).toBe(`edge:nodes: any previous ${cwd} is unchanged.`);
  });

  test('an unknown environment name', () => {
    const r = run(['--env', 'nope', '--out', 'out']);
    expect(r.code).toBe(1);
    expect(r.err[0].startsWith('edge:nodes: unknown environment "nope": expected one of ')).toBe(true);
    expect(r.err[1]).toBe('edge:nodes: any previous out is unchanged.');
  });
});

(hasGit ? describe : describe.skip)('the output inside a git work tree', () => {
  const keys = { ...ENV, EDGE_SSH_AUTHORIZED_KEYS: 'ssh-ed25519 AAAAC3Nza me' };
  beforeEach(() => {
    expect(spawnSync('git', ['init', '-q', cwd]).status).toBe(0);
    fs.writeFileSync(path.join(cwd, '.gitignore'), '/ignored-out/\n');
  });

  test('not ignored: a warning never to commit it', () => {
    const r = run(['--out', 'exposed'], keys);
    expect(r.code).toBe(0);
    expect(r.err).toEqual([
      'edge:nodes: warning: exposed/ is inside a git work tree but not ignored; it holds the Wi-Fi password and the join token. Never commit it.',
    ]);
  });

  test('ignored: no warning', () => {
    expect(run(['--out', 'ignored-out'], keys)).toMatchObject({ code: 0, err: [] });
  });
});

test('outside any git work tree: no warning', () => {
  const r = run(['--out', 'out'], { ...ENV, EDGE_SSH_AUTHORIZED_KEYS: 'ssh-ed25519 AAAAC3Nza me' });
  expect(r).toMatchObject({ code: 0, err: [] });
});

describe('when git cannot answer', () => {
  /** The module object: the `import * as` namespace has read-only properties jest cannot spy on. */
  const childProcess = require('child_process') as typeof import('child_process');
  afterEach(() => jest.restoreAllMocks());

  test.each([
    ['git is not installed', { error: Object.assign(new Error('spawnSync git ENOENT'), { code: 'ENOENT' }), status: null, signal: null }],
    ['git was killed', { status: null, signal: 'SIGKILL' }],
    ['git failed', { status: 128, signal: null }],
  ])('%s: no warning, the run succeeds', (_what, result) => {
    const spawn = jest.spyOn(childProcess, 'spawnSync').mockReturnValue({ pid: 0, output: [], stdout: '', stderr: '', ...result } as never);
    const r = run(['--out', 'out'], { ...ENV, EDGE_SSH_AUTHORIZED_KEYS: 'ssh-ed25519 AAAAC3Nza me' });
    // Asked about the written folder, from the working directory.
    expect(spawn).toHaveBeenCalledWith('git', ['check-ignore', '-q', path.join(cwd, 'out')], expect.objectContaining({ cwd }));
    expect(r).toMatchObject({ code: 0, err: [] });
  });
});

describe('main: the process wiring', () => {
  /** A stand-in process: argv as node gives it (node, script, ...args), lines written, the exit code. */
  function fakeProcess(args: string[], env: Record<string, string>) {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const proc = {
      argv: ['/usr/bin/node', '/repo/edge/cli.ts', ...args],
      cwd: () => cwd,
      env,
      stdout: { write: (s: string) => stdout.push(s) },
      stderr: { write: (s: string) => stderr.push(s) },
      exitCode: undefined as number | undefined,
    };
    return { proc, stdout, stderr };
  }

  test('arguments after the script; each line ends with a newline; the exit code is set', () => {
    const { proc, stdout, stderr } = fakeProcess(['--help'], {});
    main(proc as never);
    expect(proc.exitCode).toBe(0);
    expect(stdout).toEqual([`${USAGE}\n`]);
    expect(stderr).toEqual([]);
  });

  test('the working directory and environment of the process are used; refusals go to stderr with exit 1', () => {
    const { proc, stdout, stderr } = fakeProcess(['--out', 'out'], { EDGE_WIFI_PASSWORD: 'correct horse battery' });
    main(proc as never);
    expect(proc.exitCode).toBe(1);
    expect(stdout).toEqual([]);
    expect(stderr).toHaveLength(2);
    expect(stderr[0].startsWith(`edge:nodes: the MicroK8s join token is missing: set "joinToken" in ${path.join(cwd, 'edge.secrets.json')} or EDGE_JOIN_TOKEN.\n`)).toBe(true);
    expect(stderr[1]).toBe('edge:nodes: nothing written; out is unchanged.\n');
  });

  test('secrets from the process environment: a run that writes', () => {
    const { proc, stdout, stderr } = fakeProcess(['--out', 'out'], { ...ENV, EDGE_SSH_AUTHORIZED_KEYS: 'ssh-ed25519 AAAAC3Nza me' });
    main(proc as never);
    expect(proc.exitCode).toBe(0);
    expect(stdout).toEqual(instructions('out').map((l) => `${l}\n`));
    expect(stderr).toEqual([]);
  });
});

test('importing the CLI module runs nothing (no output, no exit code): only `tsx edge/cli.ts` runs it', () => {
  const exitCode = process.exitCode;
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    jest.isolateModules(() => {
      const cli = require('../../edge/cli') as typeof import('../../edge/cli');
      expect(typeof cli.main).toBe('function');
    });
    expect(out).not.toHaveBeenCalled();
    expect(err).not.toHaveBeenCalled();
    expect(process.exitCode).toBe(exitCode);
  } finally {
    process.exitCode = exitCode;
    jest.restoreAllMocks();
  }
});
