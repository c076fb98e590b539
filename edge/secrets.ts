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

function readFile(file: string): RawSecrets | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new EdgeSecretsError(`cannot read ${file}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new EdgeSecretsError(`${file} is not valid JSON: ${(err as Error).message}`);
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
}): EdgeSecrets {
  const raw = readFile(opts.file) ?? {};
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
  for (const k of keys) {
    if (!/^(ssh-(ed25519|rsa)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/=]+( .*)?$/.test(k) || k.includes('PRIVATE KEY')) {
      throw new EdgeSecretsError(`an SSH authorized key is not an OpenSSH public key line: "${k.slice(0, 24)}..."`);
    }
  }

  return { wifiPassword, joinToken, sshAuthorizedKeys: keys };
}
