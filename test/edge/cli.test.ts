import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../../edge/cli';
import { renderEdgeNodes } from '../../edge/render';
import { OUTPUT_MARKER, recoverNodeFiles, writeNodeFiles } from '../../edge/write';
import { edge } from '../../environments/edge';
import { FAKE_SECRETS, FAKE_TOKEN, FAKE_WIFI } from './helpers';

const root = path.resolve(__dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'edge-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const missingSecrets = path.join(tmp, 'no-such-secrets.json');
const GOOD_ENV = { EDGE_WIFI_PASSWORD: FAKE_WIFI, EDGE_JOIN_TOKEN: FAKE_TOKEN };

function run(argv: string[], env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runCli([...argv, '--secrets', missingSecrets], { cwd: root, env, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function snapshotTree(dir: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const p = path.join(dir, entry);
    const st = fs.statSync(p);
    result[entry] = `${(st.mode & 0o777).toString(8)} ${st.isFile() ? fs.readFileSync(p, 'utf8') : ''}`;
  }
  return result;
}

function mode(p: string): string {
  return (fs.statSync(p).mode & 0o777).toString(8);
}

describe('edge:nodes CLI', () => {
  const out = path.join(tmp, 'edge-nodes');

  test('writes <hostname>/{user-data,network-config} with 0600 files and 0700 dirs, and says what to copy', () => {
    const r = run(['--out', out], GOOD_ENV);
    expect(r.err).not.toContain('error');
    expect(r.code).toBe(0);
    expect(mode(out)).toBe('700');
    for (const n of ['controlplane', 'controlplane1', 'controlplane2', 'worker1']) {
      expect(mode(path.join(out, n))).toBe('700');
      expect(mode(path.join(out, n, 'user-data'))).toBe('600');
      expect(mode(path.join(out, n, 'network-config'))).toBe('600');
      expect(fs.readFileSync(path.join(out, n, 'user-data'), 'utf8').startsWith('#cloud-config\n')).toBe(true);
      expect(r.out).toContain(`${out}/${n}/user-data and ${out}/${n}/network-config  ->  ${n}'s system-boot partition`);
    }
    expect(r.out).toContain('Power on controlplane first');
    expect(r.err).toContain('stock ubuntu/ubuntu login');
  });

  test('a refused run (malformed token, missing Wi-Fi password) leaves the previous output intact', () => {
    const before = snapshotTree(out);
    expect(Object.keys(before).length).toBeGreaterThan(8);
    const bad = run(['--out', out], { ...GOOD_ENV, EDGE_JOIN_TOKEN: 'NOT-A-TOKEN' });
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('join token is malformed');
    expect(bad.err).toContain('openssl rand -hex 16');
    expect(bad.err).toContain('unchanged');
    const noWifi = run(['--out', out], { EDGE_JOIN_TOKEN: FAKE_TOKEN });
    expect(noWifi.code).toBe(1);
    expect(noWifi.err).toContain('Wi-Fi password');
    expect(snapshotTree(out)).toEqual(before);
    expect(fs.readdirSync(tmp).filter((e) => e.includes('.tmp-') || e.includes('.old-'))).toEqual([]);
  });

  test('a failure while writing leaves the previous output intact and cleans the temp dir', () => {
    const before = snapshotTree(out);
    const nodes = renderEdgeNodes(edge, { ...FAKE_SECRETS, joinToken: '0'.repeat(32) });
    let written = 0;
    expect(() =>
      writeNodeFiles(out, nodes, {
        afterFile: () => {
          if (++written === 4) throw new Error('disk full (simulated)');
        },
      }),
    ).toThrow('disk full');
    expect(snapshotTree(out)).toEqual(before);
    expect(fs.readdirSync(tmp).filter((e) => e.includes('.tmp-') || e.includes('.old-'))).toEqual([]);
  });

  test('never replaces a directory it did not write', () => {
    const foreign = path.join(tmp, 'foreign');
    fs.mkdirSync(foreign);
    fs.writeFileSync(path.join(foreign, 'keep.txt'), 'mine');
    const r = run(['--out', foreign], GOOD_ENV);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`no ${OUTPUT_MARKER} inside`);
    expect(fs.readdirSync(foreign)).toEqual(['keep.txt']);
  });

  test('the npm script entry point runs (tsx edge/cli.ts) and refuses a missing token', () => {
    const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
    const r = spawnSync(tsx, ['edge/cli.ts', '--out', path.join(tmp, 'unused'), '--secrets', missingSecrets], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmp, EDGE_WIFI_PASSWORD: FAKE_WIFI },
      encoding: 'utf8',
    });
    expect(r.stderr).toContain('join token is missing');
    expect(r.status).toBe(1);
    expect(fs.existsSync(path.join(tmp, 'unused'))).toBe(false);
  });

  describe('killed runs never leave the join token behind', () => {
    const tsxLoader = path.join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs');
    /** Writes boot files to `dir` in a child that sends itself `signal` after the `at`-th file. */
    function killedWrite(dir: string, signal: NodeJS.Signals, at: number, token: string) {
      const script = `
        const { writeNodeFiles } = require(${JSON.stringify(path.join(root, 'edge', 'write.ts'))});
        const { renderEdgeNodes } = require(${JSON.stringify(path.join(root, 'edge', 'render.ts'))});
        const { edge } = require(${JSON.stringify(path.join(root, 'environments', 'edge.ts'))});
        const nodes = renderEdgeNodes(edge, { wifiPassword: ${JSON.stringify(FAKE_WIFI)}, joinToken: ${JSON.stringify(token)}, sshAuthorizedKeys: [] });
        let n = 0;
        writeNodeFiles(${JSON.stringify(dir)}, nodes, { afterFile: () => { if (++n === ${at}) process.kill(process.pid, '${signal}'); } });
        console.log('finished');`;
      return spawnSync(process.execPath, ['--import', tsxLoader, '-e', script], { encoding: 'utf8' });
    }
    const tokenHolders = (parent: string) =>
      (fs.readdirSync(parent, { recursive: true }) as string[]).filter((e) => {
        const p = path.join(parent, e);
        return fs.statSync(p).isFile() && fs.readFileSync(p, 'utf8').includes('1'.repeat(32));
      });

    test.each([
      ['SIGTERM', 143],
      ['SIGINT', 130],
    ] as const)('%s mid-write: the temp tree is deleted, and the process is not killed half-way (exit 0 or %i)', (signal, code) => {
      const parent = fs.mkdtempSync(path.join(tmp, 'signal-'));
      const dir = path.join(parent, 'edge-nodes');
      const r = killedWrite(dir, signal, 3, '1'.repeat(32));
      // Node holds the signal until the synchronous write is done; it may then exit with the
      // signal's code, or finish first (a signal sent to itself can arrive after the last turn).
      expect(r.signal).toBeNull();
      expect([0, code]).toContain(r.status);
      expect(fs.readdirSync(parent).filter((e) => e.startsWith('.'))).toEqual([]);
      // The signal arrived mid-write and was honoured after the (synchronous) write: fully new or nothing.
      const holders = tokenHolders(parent);
      expect([[], ['edge-nodes/controlplane/user-data', 'edge-nodes/controlplane1/user-data', 'edge-nodes/controlplane2/user-data', 'edge-nodes/worker1/user-data']]).toContainEqual(holders.sort());
    });

    test('SIGKILL mid-write leaves a temp tree; the next run deletes it before writing', () => {
      const parent = fs.mkdtempSync(path.join(tmp, 'kill-'));
      const dir = path.join(parent, 'edge-nodes');
      writeNodeFiles(dir, renderEdgeNodes(edge, FAKE_SECRETS));
      const r = killedWrite(dir, 'SIGKILL', 3, '1'.repeat(32));
      expect(r.signal).toBe('SIGKILL');
      const left = fs.readdirSync(parent).filter((e) => e.startsWith('.edge-nodes.tmp-'));
      expect(left).toHaveLength(1);
      expect(tokenHolders(parent).length).toBeGreaterThan(0);
      const git = spawnSync('git', ['check-ignore', '--no-index', `${left[0]}/controlplane/user-data`, '.edge-nodes.old-0123abcd/worker1/user-data'], { cwd: root, encoding: 'utf8' });
      expect(git.stdout.trim().split('\n')).toHaveLength(2);
      writeNodeFiles(dir, renderEdgeNodes(edge, FAKE_SECRETS));
      expect(fs.readdirSync(parent)).toEqual(['edge-nodes']);
      expect(tokenHolders(parent)).toEqual([]);
    });

    test('a kill between the two renames: the next run puts the old tree back first', () => {
      const parent = fs.mkdtempSync(path.join(tmp, 'swap-'));
      const dir = path.join(parent, 'edge-nodes');
      writeNodeFiles(dir, renderEdgeNodes(edge, FAKE_SECRETS));
      const before = snapshotTree(dir);
      fs.renameSync(dir, path.join(parent, '.edge-nodes.old-0123abcd'));
      fs.mkdirSync(path.join(parent, '.edge-nodes.tmp-AbC123'));
      expect(recoverNodeFiles(dir)).toHaveLength(2);
      expect(fs.readdirSync(parent)).toEqual(['edge-nodes']);
      expect(snapshotTree(dir)).toEqual(before);
    });
  });
});
