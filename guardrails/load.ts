import { closeSync, fstatSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ManifestDoc } from './manifest';
import { parseYamlDocuments, YamlError } from './yaml';

/** Manifest files: `.yaml`, `.yml` and `.json`, in any case (`Deploy.YAML` is a manifest too). */
const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/** Largest input accepted per file or on stdin: real manifests (even CRD bundles) stay well below it. */
export const MAX_INPUT_BYTES = 32 * 1024 * 1024;
/** How long stdin may stay open without ending (a pipe nobody writes to must not hang CI). */
export const STDIN_TIMEOUT_MS = 60_000;

/** An input the validator cannot use (unreadable, too large, not YAML, a Helm template): exit status 2. */
export class InputError extends Error {}

/** Not manifests even when they hold YAML: tool state (.git, .github) and dependencies. */
function isSkipped(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}

/**
 * Every manifest file under `path` (or `path` itself if it is a file), depth-first in sorted order,
 * skipping dot-entries and node_modules so `validate .` stays about manifests. Only regular files are
 * read from directories: a named pipe or socket among them would block the read forever.
 */
export function manifestFiles(path: string): string[] {
  const seen = new Set<string>();
  const walk = (dir: string): string[] => {
    const real = realpathSync(dir);
    if (seen.has(real)) return []; // a symlink loop
    seen.add(real);
    return readdirSync(dir)
      .filter((name) => !isSkipped(name))
      .sort()
      .flatMap((name) => {
        const child = join(dir, name);
        let stat;
        try {
          stat = statSync(child);
        } catch {
          return []; // a dangling symlink
        }
        if (stat.isDirectory()) return walk(child);
        return stat.isFile() && MANIFEST_FILE.test(name) ? [child] : [];
      });
  };
  return statSync(path).isDirectory() ? walk(path) : [path];
}

/** Reads an open file (of `size` bytes by its stat) up to the size limit; throws when there is more. */
function readLimited(fd: number, what: string, size: number): string {
  // One buffer of the stated size (plus a byte to notice growth), instead of a chunk per read.
  let buffer = Buffer.allocUnsafe(Math.min(size, MAX_INPUT_BYTES) + 1);
  let total = 0;
  for (;;) {
    if (total === buffer.length) {
      if (total > MAX_INPUT_BYTES) throw new InputError(`${what}: larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB; split it into smaller files`);
      const grown = Buffer.allocUnsafe(Math.min(buffer.length * 2, MAX_INPUT_BYTES + 1));
      buffer.copy(grown);
      buffer = grown;
    }
    const n = readSync(fd, buffer, total, buffer.length - total, null);
    if (n === 0) break;
    total += n;
  }
  if (total > MAX_INPUT_BYTES) throw new InputError(`${what}: larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB; split it into smaller files`);
  return buffer.toString('utf8', 0, total);
}

/**
 * Reads a manifest file, refusing what would hang or exhaust memory: anything but a regular file (a
 * named pipe blocks until a writer appears; pipe it into stdin with `-` instead) and files over the size
 * limit, checked before reading.
 */
export function readManifestFile(file: string): string {
  let fd: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new InputError(`${file}: not a regular file (a named pipe or device?); pass its content on stdin with -`);
    if (stat.size > MAX_INPUT_BYTES) {
      throw new InputError(`${file}: ${(stat.size / 1024 / 1024).toFixed(0)} MiB is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB; split it into smaller files`);
    }
    fd = openSync(file, 'r');
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${file}: cannot read: ${(error as Error).message}`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new InputError(`${file}: not a regular file; pass its content on stdin with -`);
    return readLimited(fd, file, stat.size);
  } finally {
    closeSync(fd);
  }
}

/** Reads all of stdin with the size limit, failing (not hanging) when it stays open too long. */
export function readStdin(timeoutMs = STDIN_TIMEOUT_MS): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const stop = (error?: Error) => {
      clearTimeout(timer);
      process.stdin.removeAllListeners('data').removeAllListeners('end').removeAllListeners('error');
      process.stdin.pause();
      process.stdin.destroy();
      if (error) reject(error);
      else resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const timer = setTimeout(() => stop(new InputError(`-: stdin did not end within ${timeoutMs / 1000} s; pipe a finished file into it`)), timeoutMs);
    process.stdin.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > MAX_INPUT_BYTES) stop(new InputError(`-: stdin is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB; split it into smaller files`));
      else chunks.push(chunk);
    });
    process.stdin.on('end', () => stop());
    process.stdin.on('error', (error) => stop(new InputError(`-: cannot read stdin: ${error.message}`)));
  });
}

/** A file's manifests, or why the whole file was skipped (it holds YAML, but not Kubernetes objects). */
export interface LoadedFile {
  readonly file: string;
  readonly docs: ManifestDoc[];
  /** One line for the user: what the file is and that it was skipped. */
  readonly skipped?: string;
}

/** Files by name that are YAML for other tools, never Kubernetes objects. */
const OTHER_TOOLS: ReadonlyArray<{ name: RegExp; what: string }> = [
  { name: /^kustomization\.ya?ml$/i, what: 'a kustomize configuration (run `kubectl kustomize` and validate its output)' },
  { name: /^Chart\.ya?ml$/, what: 'a Helm chart description (render with `helm template` and validate the output)' },
  { name: /^values(\.[\w-]+)?\.ya?ml$/i, what: 'Helm values (render with `helm template` and validate the output)' },
  { name: /^(docker-)?compose(\.[\w-]+)?\.ya?ml$/i, what: 'a Docker Compose file' },
];

/** API groups of tools' configuration files that look like objects but are never sent to a cluster. */
const TOOL_GROUPS = /^(kustomize\.config\.k8s\.io|config\.kubernetes\.io|kpt\.dev|skaffold\/|kind\.x-k8s\.io|kubeadm\.k8s\.io|kubelet\.config\.k8s\.io|kubeproxy\.config\.k8s\.io|apiserver\.config\.k8s\.io)/;

/**
 * Go template actions outside quotes: `{{- if ... }}` lines, `key: {{ .Values.x }}`. Quoted ones
 * (`"{{ .Values.x }}"`) and `{{ }}` inside block scalars are ordinary strings, e.g. alert templates in
 * a ConfigMap, so only unquoted actions at a line start or right after `key:`/`-` count.
 */
const TEMPLATE_ACTION = /^\s*(-\s+)?([\w.\/-]+:\s+)?\{\{[^}]*\}\}/m;

function isHelmTemplate(file: string, text: string): boolean {
  if (!text.includes('{{')) return false;
  if (TEMPLATE_ACTION.test(text)) return true;
  // A chart's templates/ folder: quoted actions only are still a template.
  return basename(dirname(file)) === 'templates' && /\{\{[^}]*\}\}/.test(text);
}

function describeNonManifest(docs: ReadonlyArray<unknown>): string {
  const first = docs.find((d) => d !== null && typeof d === 'object') as Record<string, unknown> | undefined;
  if (first && 'services' in first && !('kind' in first)) return 'a Docker Compose file';
  if (first && 'resources' in first && !('kind' in first)) return 'a kustomize configuration';
  return 'YAML without Kubernetes objects (no document has apiVersion and kind)';
}

/**
 * Parses one file's documents. Throws InputError for a Helm template (it is not YAML until rendered) or
 * a YAML syntax error or alias bomb, naming the file and line. A file none of whose documents is a
 * Kubernetes object (compose, Chart.yaml, values, kustomization, a Grafana dashboard) comes back with
 * `skipped` instead: those are not wrong, they are not manifests.
 */
export function parseManifestFile(file: string, text: string): LoadedFile {
  const name = basename(file);
  const tool = OTHER_TOOLS.find((t) => t.name.test(name));
  if (tool) return { file, docs: [], skipped: `${file}: ${tool.what}, not Kubernetes objects; skipped` };
  if (isHelmTemplate(file, text)) {
    throw new InputError(`${file}: a Helm template ({{ ... }}), not YAML yet; render it with \`helm template\` first and validate the output`);
  }
  let parsed;
  try {
    parsed = parseYamlDocuments(text, /\.json$/i.test(file));
  } catch (error) {
    if (!(error instanceof YamlError)) throw error;
    throw new InputError(`${file}${error.line ? `:${error.line}` : ''}: YAML error: ${error.message}`);
  }
  const objects = parsed.filter((d) => d.value !== null && d.value !== undefined);
  const isObject = (v: unknown) => {
    const o = v as Record<string, unknown> | null;
    return o !== null && typeof o === 'object' && !Array.isArray(o) && typeof o.kind === 'string' && typeof o.apiVersion === 'string';
  };
  const kubernetes = objects.filter((d) => isObject(d.value) && !TOOL_GROUPS.test(String((d.value as Record<string, unknown>).apiVersion)));
  if (objects.length > 0 && kubernetes.length === 0) {
    const tooling = objects.some((d) => isObject(d.value));
    const what = tooling ? 'configuration of a tool (kustomize, kpt, kubeadm...)' : describeNonManifest(objects.map((d) => d.value));
    return { file, docs: [], skipped: `${file}: ${what}, not Kubernetes objects; skipped` };
  }
  return {
    file,
    docs: parsed
      .filter((d) => !isObject(d.value) || !TOOL_GROUPS.test(String((d.value as Record<string, unknown>).apiVersion)))
      .map((d) => ({ file, object: d.value, line: d.line, source: { text, index: d.index } })),
  };
}

/** Reads and parses one file (see readManifestFile and parseManifestFile). */
export function loadManifestFile(file: string): LoadedFile {
  return parseManifestFile(file, readManifestFile(file));
}

/** The documents of a manifest file; throws InputError (naming the file) when it can't be used. */
export function loadYamlFile(file: string): ManifestDoc[] {
  return loadManifestFile(file).docs;
}

/** @deprecated name kept for callers of the first version: every manifest file under `path`. */
export const yamlFiles = manifestFiles;
