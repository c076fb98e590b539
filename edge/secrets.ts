import * as fs from 'fs';

/** What the boot files need but git must never hold. */
export interface EdgeSecrets {
  /** WPA2 passphrase of `wifiSsid`; required only when the model sets `wifiSsid`. */
  readonly wifiPassword?: string;
  /** Pre-generated MicroK8s join token: exactly 32 lowercase letters/digits. */
  readonly joinToken: string;
  /** Public keys for the default user; without them the stock `ubuntu`/`ubuntu` login (forced change) stays. */
  readonly sshAuthorizedKeys: readonly string[];
}

export const SECRETS_FILE = 'edge.secrets.json';

/**
 * `microk8s add-node --token` stores `<token>|<expiry>` and `microk8s join <ip>:<port>/<token>[/<fp>]`
 * splits on "/", and both demand at least 32 characters (TOKEN_MIN_LEN). We demand exactly what
 * `openssl rand -hex 16` prints: 32 lowercase letters/digits.
 */
export const JOIN_TOKEN = /^[a-z0-9]{32}$/;

const HOW_TO =
  `Create it once and keep it out of git (edge.secrets.json is git-ignored):\n` +
  `    (umask 077; printf '{\\n  "wifiPassword": "<your Wi-Fi passphrase>",\\n  "joinToken": "%s"\\n}\\n' "$(openssl rand -hex 16)" > ${SECRETS_FILE})\n` +
  `or export EDGE_WIFI_PASSWORD and EDGE_JOIN_TOKEN (EDGE_JOIN_TOKEN=$(openssl rand -hex 16)).`;

export class EdgeSecretsError extends Error {
  constructor(problem: string) {
    super(`${problem}\n${HOW_TO}`);
    this.name = 'EdgeSecretsError';
  }
}

interface RawSecrets {
  wifiPassword?: unknown;
  joinToken?: unknown;
  sshAuthorizedKeys?: unknown;
}

/** Line and column of character `offset` of `text`, 1-based. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

/**
 * Where a JSON syntax error is, WITHOUT any of the text: V8's messages quote the text around
 * the error (`Unexpected token 'x', "{"wifiPassword": "hunter2"x"... is not valid JSON`), which
 * would print the password.
 */
function syntaxErrorPlace(text: string, err: Error): string {
  const position = /at position (\d+)/.exec(err.message);
  if (position) return ` (at ${lineColumn(text, Number(position[1]))})`;
  if (/end of JSON input/i.test(err.message)) return ' (it ends too early)';
  return '';
}

function readFile(file: string, warn: (line: string) => void): RawSecrets | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new EdgeSecretsError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  try {
    const mode = fs.statSync(file).mode;
    if (mode & 0o044) {
      warn(
        `${file} is readable by ${mode & 0o004 ? 'every user' : 'its group'} (mode ${(mode & 0o777).toString(8).padStart(4, '0')}); ` +
          `it holds the Wi-Fi password and the join token: chmod 600 ${file}`,
      );
    }
  } catch {
    // Read just now; a stat failure only loses the warning.
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new EdgeSecretsError(`${file} is not valid JSON${syntaxErrorPlace(text, err as Error)}; its content is not shown because it holds secrets`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new EdgeSecretsError(`${file} must hold a JSON object { "wifiPassword": ..., "joinToken": ... }`);
  }
  return parsed as RawSecrets;
}

function str(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new EdgeSecretsError(`${where} must be a string`);
  return value;
}

/**
 * Resolves the secrets: environment variables (`EDGE_WIFI_PASSWORD`, `EDGE_JOIN_TOKEN`,
 * `EDGE_SSH_AUTHORIZED_KEYS`, one key a line) win over the file. Validates formats; pure apart
 * from reading `file`.
 */
export function loadEdgeSecrets(opts: {
  readonly file: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The model's SSID; a Wi-Fi password is required exactly when it is set. */
  readonly wifiSsid?: string;
  /** Non-fatal problems (a secrets file other users can read). */
  readonly warn?: (line: string) => void;
}): EdgeSecrets {
  const raw = readFile(opts.file, opts.warn ?? (() => undefined)) ?? {};
  const from = (v: string | undefined, fileValue: unknown, key: string, envName: string) =>
    str(v, envName) ?? str(fileValue, `${opts.file}: "${key}"`);

  const joinToken = from(opts.env.EDGE_JOIN_TOKEN, raw.joinToken, 'joinToken', 'EDGE_JOIN_TOKEN');
  if (joinToken === undefined) {
    throw new EdgeSecretsError(
      `the MicroK8s join token is missing: set "joinToken" in ${opts.file} or EDGE_JOIN_TOKEN.`,
    );
  }
  if (!JOIN_TOKEN.test(joinToken)) {
    throw new EdgeSecretsError(
      `the MicroK8s join token is malformed (${joinToken.length} characters): it must be exactly 32 lowercase ` +
        'letters or digits (microk8s add-node --token needs 32 characters; "/" and "|" would break the join string).',
    );
  }

  let wifiPassword = from(opts.env.EDGE_WIFI_PASSWORD, raw.wifiPassword, 'wifiPassword', 'EDGE_WIFI_PASSWORD');
  if (opts.wifiSsid !== undefined) {
    if (wifiPassword === undefined) {
      throw new EdgeSecretsError(
        `the Wi-Fi password for SSID "${opts.wifiSsid}" (environments/edge.ts: provider.microk8s.wifiSsid) is missing: ` +
          `set "wifiPassword" in ${opts.file} or EDGE_WIFI_PASSWORD.`,
      );
    }
    const isPsk = /^[0-9a-fA-F]{64}$/.test(wifiPassword);
    if (!isPsk && (wifiPassword.length < 8 || wifiPassword.length > 63 || /[^\x20-\x7e]/.test(wifiPassword))) {
      throw new EdgeSecretsError(
        `the Wi-Fi password is invalid: WPA2 needs 8..63 printable ASCII characters (or a 64-hex-digit PSK), got ${wifiPassword.length}.`,
      );
    }
  } else {
    wifiPassword = undefined;
  }

  let keys: string[] = [];
  const envKeys = opts.env.EDGE_SSH_AUTHORIZED_KEYS;
  if (envKeys !== undefined && envKeys.trim() !== '') {
    keys = envKeys.split('\n').map((k) => k.trim()).filter((k) => k !== '');
  } else if (raw.sshAuthorizedKeys !== undefined) {
    if (!Array.isArray(raw.sshAuthorizedKeys) || raw.sshAuthorizedKeys.some((k) => typeof k !== 'string')) {
      throw new EdgeSecretsError(`${opts.file}: "sshAuthorizedKeys" must be an array of public-key strings`);
    }
    keys = (raw.sshAuthorizedKeys as string[]).map((k) => k.trim()).filter((k) => k !== '');
  }
  for (const [i, k] of keys.entries()) {
    if (!/^(ssh-(ed25519|rsa)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/=]+( .*)?$/.test(k) || k.includes('PRIVATE KEY')) {
      // Name the entry, never its text: a private key or a password pasted here must not reach the terminal.
      throw new EdgeSecretsError(`SSH authorized key #${i + 1} is not an OpenSSH public key line ("ssh-ed25519 AAAA... comment")`);
    }
  }

  return { wifiPassword, joinToken, sshAuthorizedKeys: keys };
}
