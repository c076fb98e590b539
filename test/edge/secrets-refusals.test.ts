// loadEdgeSecrets: exact refusal texts (what the user reads, and that no secret is in them), where a
// JSON error is, which source wins, and how SSH keys are cleaned and checked. Hand-written expectations.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EdgeSecretsError, JOIN_TOKEN, SECRETS_FILE, loadEdgeSecrets } from '../../edge/secrets';
import { thrown } from '../util/thrown';

const TOKEN = '0123456789abcdef0123456789abcdef';
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB me@laptop';
const HOW_TO =
  'Create it once and keep it out of git (edge.secrets.json is git-ignored):\n' +
  '    (umask 077; printf \'{\\n  "wifiPassword": "<your Wi-Fi passphrase>",\\n  "joinToken": "%s"\\n}\\n\' "$(openssl rand -hex 16)" > edge.secrets.json)\n' +
  'or export EDGE_WIFI_PASSWORD and EDGE_JOIN_TOKEN (EDGE_JOIN_TOKEN=$(openssl rand -hex 16)).';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edge-secrets-refusals-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** A private (0600) secrets file holding `text`. */
function fileWith(text: string): string {
  const file = path.join(dir, `s${n++}.json`);
  fs.writeFileSync(file, text, { mode: 0o600 });
  return file;
}
const missing = () => path.join(dir, 'absent.json');

const refusal = (run: () => unknown): EdgeSecretsError => thrown(EdgeSecretsError, run);
const problemOf = (err: EdgeSecretsError) => {
  expect(err.message.endsWith(`\n${HOW_TO}`)).toBe(true);
  return err.message.slice(0, err.message.length - HOW_TO.length - 1);
};

describe('the refusal text', () => {
  test('every refusal is the problem, then how to create the secrets; named EdgeSecretsError', () => {
    const err = refusal(() => loadEdgeSecrets({ file: missing(), env: {} }));
    expect(err.name).toBe('EdgeSecretsError');
    expect(err.message).toBe(`the MicroK8s join token is missing: set "joinToken" in ${missing()} or EDGE_JOIN_TOKEN.\n${HOW_TO}`);
    expect(SECRETS_FILE).toBe('edge.secrets.json');
  });

  test.each([
    ['31 characters', TOKEN.slice(1), 31],
    ['33 characters', `${TOKEN}0`, 33],
    ['33 with a leading extra', `x${TOKEN}`, 33],
    ['upper case', TOKEN.toUpperCase(), 32],
    ['a "|"', `${TOKEN.slice(1)}|`, 32],
    ['a short word', 'short-token', 11],
  ])('a malformed join token (%s) gives its length, never its text', (_what, token, length) => {
    const err = refusal(() => loadEdgeSecrets({ file: missing(), env: { EDGE_JOIN_TOKEN: token } }));
    expect(problemOf(err)).toBe(
      `the MicroK8s join token is malformed (${length} characters): it must be exactly 32 lowercase ` +
        'letters or digits (microk8s add-node --token needs 32 characters; "/" and "|" would break the join string).',
    );
    expect(err.message).not.toContain(token);
  });

  test('JOIN_TOKEN is exactly 32 lowercase letters or digits', () => {
    expect([TOKEN, 'z'.repeat(32), '9'.repeat(32)].map((t) => JOIN_TOKEN.test(t))).toEqual([true, true, true]);
    expect([TOKEN.slice(1), `${TOKEN}a`, `-${TOKEN}`, `${TOKEN}\n`, 'A'.repeat(32), ''].map((t) => JOIN_TOKEN.test(t))).toEqual([false, false, false, false, false, false]);
  });

  test('a missing Wi-Fi password names the SSID, the model field and both places to set it', () => {
    const err = refusal(() => loadEdgeSecrets({ file: missing(), env: { EDGE_JOIN_TOKEN: TOKEN }, wifiSsid: 'homelab' }));
    expect(problemOf(err)).toBe(
      `the Wi-Fi password for SSID "homelab" (environments/edge.ts: provider.microk8s.wifiSsid) is missing: set "wifiPassword" in ${missing()} or EDGE_WIFI_PASSWORD.`,
    );
  });

  test.each([
    ['7 characters', 'abcdefg', 7],
    ['64 characters, not all hex', `${'a'.repeat(63)}g`, 64],
    ['a non-ASCII letter', 'pässwörd1', 9],
    ['a tab', 'pass\tword', 9],
  ])('a Wi-Fi password WPA2 cannot use (%s) gives its length, never its text', (_what, pw, length) => {
    const err = refusal(() => loadEdgeSecrets({ file: missing(), env: { EDGE_JOIN_TOKEN: TOKEN, EDGE_WIFI_PASSWORD: pw }, wifiSsid: 'x' }));
    expect(problemOf(err)).toBe(`the Wi-Fi password is invalid: WPA2 needs 8..63 printable ASCII characters (or a 64-hex-digit PSK), got ${length}.`);
    expect(err.message).not.toContain(pw);
  });

  test.each(['12345678', 'a'.repeat(63), `${'0123456789abcdefABCDEF'.repeat(3)}0123456789`.slice(0, 64), ' ~!"#$%&'])('the Wi-Fi password %j is accepted', (pw) => {
    expect(loadEdgeSecrets({ file: missing(), env: { EDGE_JOIN_TOKEN: TOKEN, EDGE_WIFI_PASSWORD: pw }, wifiSsid: 'x' }).wifiPassword).toBe(pw);
  });
});

describe('the secrets file', () => {
  const password = 'hunter2-pass-Word';

  test('a JSON error is placed by line and column (multi-digit positions), its text never shown', () => {
    const file = fileWith(`{\n  "joinToken": "${TOKEN}",\n  "wifiPassword": "${password}"x\n}\n`);
    const err = refusal(() => loadEdgeSecrets({ file, env: {}, wifiSsid: 'homelab' }));
    // The stray x is on line 3, after `  "wifiPassword": "hunter2-pass-Word"` (37 characters).
    expect(problemOf(err)).toBe(`${file} is not valid JSON (at line 3, column 38); its content is not shown because it holds secrets`);
    expect(err.message).not.toContain(password);
  });

  test('a JSON error on the first line', () => {
    // The colon is missing: V8 stops at the 14th character, the value's opening quote.
    const file = fileWith(`{"joinToken" "${TOKEN}"}`);
    expect(problemOf(refusal(() => loadEdgeSecrets({ file, env: {} })))).toBe(`${file} is not valid JSON (at line 1, column 14); its content is not shown because it holds secrets`);
  });

  test('an empty file ends too early', () => {
    const file = fileWith('');
    expect(problemOf(refusal(() => loadEdgeSecrets({ file, env: {} })))).toBe(`${file} is not valid JSON (it ends too early); its content is not shown because it holds secrets`);
  });

  test('an error V8 reports with the text quoted, not a position: no place at all, and not the text', () => {
    const file = fileWith(`["${password}",]`);
    const err = refusal(() => loadEdgeSecrets({ file, env: {} }));
    expect(problemOf(err)).toBe(`${file} is not valid JSON; its content is not shown because it holds secrets`);
    expect(err.message).not.toContain(password);
  });

  test.each(['[]', 'null', '"text"', '42', 'true'])('%s is not an object', (text) => {
    const file = fileWith(text);
    expect(problemOf(refusal(() => loadEdgeSecrets({ file, env: {} })))).toBe(`${file} must hold a JSON object { "wifiPassword": ..., "joinToken": ... }`);
  });

  test('a file that exists but cannot be read: its error code', () => {
    const sub = path.join(dir, 'a-directory.json');
    fs.mkdirSync(sub);
    expect(problemOf(refusal(() => loadEdgeSecrets({ file: sub, env: { EDGE_JOIN_TOKEN: TOKEN } })))).toBe(`cannot read ${sub}: EISDIR`);
  });

  test('a read error without an error code still says it cannot read the file', () => {
    const file = fileWith('{}');
    // The module object itself: the `import * as fs` namespace has read-only properties.
    const spy = jest.spyOn(require('fs') as typeof fs, 'readFileSync').mockImplementationOnce(() => {
      throw new Error('no code');
    });
    try {
      expect(problemOf(refusal(() => loadEdgeSecrets({ file, env: { EDGE_JOIN_TOKEN: TOKEN } })))).toBe(`cannot read ${file}: error`);
    } finally {
      spy.mockRestore();
    }
  });

  test('a value of the wrong type names the file and key', () => {
    const tokenFile = fileWith(JSON.stringify({ joinToken: 42 }));
    expect(problemOf(refusal(() => loadEdgeSecrets({ file: tokenFile, env: {} })))).toBe(`${tokenFile}: "joinToken" must be a string`);
    const pwFile = fileWith(JSON.stringify({ joinToken: TOKEN, wifiPassword: ['x'] }));
    expect(problemOf(refusal(() => loadEdgeSecrets({ file: pwFile, env: {}, wifiSsid: 'x' })))).toBe(`${pwFile}: "wifiPassword" must be a string`);
  });

  test('null and "" count as not set', () => {
    const nullToken = fileWith(JSON.stringify({ joinToken: null }));
    expect(problemOf(refusal(() => loadEdgeSecrets({ file: nullToken, env: {} })))).toBe(
      `the MicroK8s join token is missing: set "joinToken" in ${nullToken} or EDGE_JOIN_TOKEN.`,
    );
    const file = fileWith(JSON.stringify({ joinToken: TOKEN, wifiPassword: 'from-the-file' }));
    // An empty environment variable does not hide the file's value.
    expect(loadEdgeSecrets({ file, env: { EDGE_JOIN_TOKEN: '', EDGE_WIFI_PASSWORD: '' }, wifiSsid: 'x' })).toEqual({
      joinToken: TOKEN,
      wifiPassword: 'from-the-file',
      sshAuthorizedKeys: [],
    });
  });

  test('environment variables win over the file', () => {
    const other = 'ffffffffffffffffffffffffffffffff';
    const file = fileWith(JSON.stringify({ joinToken: TOKEN, wifiPassword: 'from-the-file' }));
    expect(loadEdgeSecrets({ file, env: { EDGE_JOIN_TOKEN: other, EDGE_WIFI_PASSWORD: 'from-the-env' }, wifiSsid: 'x' })).toEqual({
      joinToken: other,
      wifiPassword: 'from-the-env',
      sshAuthorizedKeys: [],
    });
  });

  test('without an SSID a Wi-Fi password is dropped, not carried into the boot files', () => {
    const file = fileWith(JSON.stringify({ joinToken: TOKEN, wifiPassword: password }));
    expect(loadEdgeSecrets({ file, env: {} })).toEqual({ joinToken: TOKEN, wifiPassword: undefined, sshAuthorizedKeys: [] });
    expect(loadEdgeSecrets({ file: missing(), env: { EDGE_JOIN_TOKEN: TOKEN, EDGE_WIFI_PASSWORD: password } }).wifiPassword).toBeUndefined();
  });

  test('a file other users can read: the exact warning, and the secrets still load', () => {
    const file = fileWith(JSON.stringify({ joinToken: TOKEN }));
    fs.chmodSync(file, 0o604);
    const warnings: string[] = [];
    expect(loadEdgeSecrets({ file, env: {}, warn: (l) => warnings.push(l) }).joinToken).toBe(TOKEN);
    expect(warnings).toEqual([`${file} is readable by every user (mode 0604); it holds the Wi-Fi password and the join token: chmod 600 ${file}`]);
    fs.chmodSync(file, 0o640);
    warnings.length = 0;
    loadEdgeSecrets({ file, env: {}, warn: (l) => warnings.push(l) });
    expect(warnings).toEqual([`${file} is readable by its group (mode 0640); it holds the Wi-Fi password and the join token: chmod 600 ${file}`]);
  });
});

describe('SSH authorized keys', () => {
  test('from the environment: one a line, trimmed, blank lines dropped', () => {
    const env = { EDGE_JOIN_TOKEN: TOKEN, EDGE_SSH_AUTHORIZED_KEYS: `  ${KEY}  \n\n\t ssh-rsa AAAAB3NzaC1yc2E=\n` };
    expect(loadEdgeSecrets({ file: missing(), env }).sshAuthorizedKeys).toEqual([KEY, 'ssh-rsa AAAAB3NzaC1yc2E=']);
  });

  test('a blank environment variable does not hide the file\'s keys', () => {
    const file = fileWith(JSON.stringify({ joinToken: TOKEN, sshAuthorizedKeys: [KEY] }));
    expect(loadEdgeSecrets({ file, env: { EDGE_SSH_AUTHORIZED_KEYS: ' \n \t' } }).sshAuthorizedKeys).toEqual([KEY]);
    expect(loadEdgeSecrets({ file, env: { EDGE_SSH_AUTHORIZED_KEYS: 'ecdsa-sha2-nistp256 AAAAE2Vj' } }).sshAuthorizedKeys).toEqual(['ecdsa-sha2-nistp256 AAAAE2Vj']);
  });

  test('from the file: trimmed, empty entries dropped', () => {
    const file = fileWith(JSON.stringify({ joinToken: TOKEN, sshAuthorizedKeys: [`  ${KEY} `, '', '   ', 'sk-ssh-ed25519@openssh.com AAAAGnNr'] }));
    expect(loadEdgeSecrets({ file, env: {} }).sshAuthorizedKeys).toEqual([KEY, 'sk-ssh-ed25519@openssh.com AAAAGnNr']);
  });

  test.each([
    ['a string', KEY],
    ['a number among strings', [KEY, 5]],
    ['an object', { key: KEY }],
  ])('the file\'s sshAuthorizedKeys as %s is refused', (_what, value) => {
    const file = fileWith(JSON.stringify({ joinToken: TOKEN, sshAuthorizedKeys: value }));
    expect(problemOf(refusal(() => loadEdgeSecrets({ file, env: {} })))).toBe(`${file}: "sshAuthorizedKeys" must be an array of public-key strings`);
  });

  test.each([
    ['a key without a comment', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5'],
    ['ecdsa-sha2-nistp521', 'ecdsa-sha2-nistp521 AAAAE2VjZHNh+/= c'],
    ['sk-ecdsa', 'sk-ecdsa-sha2-nistp256@openssh.com AAAAInNr x y z'],
  ])('%s is accepted', (_what, key) => {
    expect(loadEdgeSecrets({ file: missing(), env: { EDGE_JOIN_TOKEN: TOKEN, EDGE_SSH_AUTHORIZED_KEYS: key } }).sshAuthorizedKeys).toEqual([key]);
  });

  test.each([
    ['text before the type', `Xssh-ed25519 AAAAC3Nza me`],
    ['a character base64 does not have', 'ssh-ed25519 AAAA!C3Nza'],
    ['no key after the type', 'ssh-rsa'],
    ['a DSA key', 'ssh-dss AAAAB3NzaC1kc3M='],
    ['a private key line', 'ssh-ed25519 AAAA -----BEGIN OPENSSH PRIVATE KEY-----'],
  ])('%s is refused by its number, the text never shown', (_what, key) => {
    const env = { EDGE_JOIN_TOKEN: TOKEN, EDGE_SSH_AUTHORIZED_KEYS: `${KEY}\n${key}` };
    const err = refusal(() => loadEdgeSecrets({ file: missing(), env }));
    expect(problemOf(err)).toBe('SSH authorized key #2 is not an OpenSSH public key line ("ssh-ed25519 AAAA... comment")');
    expect(err.message).not.toContain(key);
  });
});
