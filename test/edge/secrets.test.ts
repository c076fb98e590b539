import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EdgeSecretsError, loadEdgeSecrets } from '../../edge/secrets';
import { FAKE_TOKEN, FAKE_WIFI } from './helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edge-secrets-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const missing = path.join(dir, 'absent.json');

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(EdgeSecretsError);
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('loadEdgeSecrets', () => {
  test('reads the secrets file; environment variables win', () => {
    const file = path.join(dir, 'edge.secrets.json');
    fs.writeFileSync(file, JSON.stringify({ wifiPassword: 'from-the-file', joinToken: FAKE_TOKEN, sshAuthorizedKeys: ['ssh-ed25519 AAAAC3Nza me@laptop'] }));
    expect(loadEdgeSecrets({ file, env: {}, wifiSsid: 'homelab' })).toEqual({
      wifiPassword: 'from-the-file',
      joinToken: FAKE_TOKEN,
      sshAuthorizedKeys: ['ssh-ed25519 AAAAC3Nza me@laptop'],
    });
    expect(loadEdgeSecrets({ file, env: { EDGE_WIFI_PASSWORD: FAKE_WIFI }, wifiSsid: 'homelab' }).wifiPassword).toBe(FAKE_WIFI);
  });

  test('refuses a missing Wi-Fi password when the model has an SSID', () => {
    const msg = refusal(() => loadEdgeSecrets({ file: missing, env: { EDGE_JOIN_TOKEN: FAKE_TOKEN }, wifiSsid: 'homelab' }));
    expect(msg).toContain('the Wi-Fi password for SSID "homelab"');
    expect(msg).toContain('EDGE_WIFI_PASSWORD');
    expect(msg).toContain('edge.secrets.json');
  });

  test('no SSID (Ethernet): no password needed', () => {
    expect(loadEdgeSecrets({ file: missing, env: { EDGE_JOIN_TOKEN: FAKE_TOKEN } }).wifiPassword).toBeUndefined();
  });

  test('refuses a missing join token and says how to create one', () => {
    const msg = refusal(() => loadEdgeSecrets({ file: missing, env: { EDGE_WIFI_PASSWORD: FAKE_WIFI }, wifiSsid: 'homelab' }));
    expect(msg).toContain('join token is missing');
    expect(msg).toContain('openssl rand -hex 16');
    expect(msg).toContain('EDGE_JOIN_TOKEN');
  });

  test.each([
    ['31 characters', FAKE_TOKEN.slice(1)],
    ['33 characters', `${FAKE_TOKEN}0`],
    ['upper case', FAKE_TOKEN.toUpperCase()],
    ['a slash', `${FAKE_TOKEN.slice(1)}/`],
  ])('refuses a malformed join token (%s)', (_what, token) => {
    const msg = refusal(() => loadEdgeSecrets({ file: missing, env: { EDGE_WIFI_PASSWORD: FAKE_WIFI, EDGE_JOIN_TOKEN: token }, wifiSsid: 'homelab' }));
    expect(msg).toContain('join token is malformed');
    expect(msg).toContain('exactly 32 lowercase');
    expect(msg).toContain('openssl rand -hex 16');
  });

  test('refuses a Wi-Fi password WPA2 cannot use, and a private key pasted as a public one', () => {
    expect(refusal(() => loadEdgeSecrets({ file: missing, env: { EDGE_WIFI_PASSWORD: 'short', EDGE_JOIN_TOKEN: FAKE_TOKEN }, wifiSsid: 'x' }))).toContain('8..63');
    expect(
      refusal(() =>
        loadEdgeSecrets({ file: missing, env: { EDGE_JOIN_TOKEN: FAKE_TOKEN, EDGE_SSH_AUTHORIZED_KEYS: '-----BEGIN OPENSSH PRIVATE KEY-----' } }),
      ),
    ).toContain('not an OpenSSH public key');
  });

  describe('a secrets file never reaches the terminal', () => {
    const password = 'hunter2-pass-Word';
    test.each([
      ['a stray character after a value', `{"wifiPassword": "${password}"x, "joinToken": "${FAKE_TOKEN}"}`],
      ['a missing comma', `{"wifiPassword": "${password}" "joinToken": "${FAKE_TOKEN}"}`],
      ['a truncated file', `{"wifiPassword": "${password}`],
      ['single quotes', `{'wifiPassword': '${password}'}`],
      ['a trailing comma', `{"joinToken": "${FAKE_TOKEN}", "wifiPassword": "${password}",}`],
    ])('malformed JSON (%s): the refusal names the file and place, never the content', (_what, text) => {
      const file = path.join(dir, 'malformed.json');
      fs.writeFileSync(file, text, { mode: 0o600 });
      const msg = refusal(() => loadEdgeSecrets({ file, env: {}, wifiSsid: 'homelab' }));
      expect(msg).toContain(`${file} is not valid JSON`);
      expect(msg).toContain('its content is not shown');
      for (const secret of [password, FAKE_TOKEN, password.slice(0, 6), FAKE_TOKEN.slice(0, 8)]) expect(msg).not.toContain(secret);
    });

    test('a bad SSH key entry is named by its number, not echoed', () => {
      const file = path.join(dir, 'bad-key.json');
      fs.writeFileSync(file, JSON.stringify({ joinToken: FAKE_TOKEN, sshAuthorizedKeys: ['ssh-ed25519 AAAAC3Nza ok', 'my-wifi-password-by-mistake'] }), { mode: 0o600 });
      const msg = refusal(() => loadEdgeSecrets({ file, env: {} }));
      expect(msg).toContain('SSH authorized key #2');
      expect(msg).not.toContain('my-wifi');
    });

    test.each([
      [0o644, /readable by every user \(mode 0644\).*chmod 600/],
      [0o640, /readable by its group \(mode 0640\)/],
      [0o600, undefined],
    ])('mode %o: a file other users can read gets a warning', (mode, warning) => {
      const file = path.join(dir, `mode-${mode.toString(8)}.json`);
      fs.writeFileSync(file, JSON.stringify({ wifiPassword: password, joinToken: FAKE_TOKEN }));
      fs.chmodSync(file, mode);
      const warnings: string[] = [];
      expect(loadEdgeSecrets({ file, env: {}, wifiSsid: 'homelab', warn: (l) => warnings.push(l) }).wifiPassword).toBe(password);
      if (warning) expect(warnings).toEqual([expect.stringMatching(warning)]);
      else expect(warnings).toEqual([]);
      expect(warnings.join('\n')).not.toContain(password);
    });
  });
});
