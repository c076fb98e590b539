import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ManifestDoc } from './manifest';

const YAML_FILE = /\.ya?ml$/;

/** Not manifests even when they hold YAML: tool state (.git, .github) and dependencies. */
function isSkipped(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}

/**
 * Every *.yaml/*.yml under `path` (or `path` itself if it is a file), depth-first in sorted order,
 * skipping dot-entries and node_modules so `validate .` stays about manifests.
 */
export function yamlFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => !isSkipped(name))
    .sort()
    .flatMap((name) => {
      const child = join(path, name);
      return statSync(child).isDirectory() ? yamlFiles(child) : YAML_FILE.test(name) ? [child] : [];
    });
}

/**
 * Parses every document of a YAML file. YAML 1.1 is used because kubectl's parser is 1.1 (`yes`/`on`
 * are booleans there, and a schema error here is what kubectl would report). Throws an Error naming
 * the file and the first YAML error.
 */
export function loadYamlFile(file: string): ManifestDoc[] {
  return parseAllDocuments(readFileSync(file, 'utf8'), { version: '1.1' }).map((doc) => {
    const [error] = doc.errors;
    if (error) throw new Error(`${file}: YAML error: ${error.message.split('\n')[0].replace(/:$/, '')}`);
    return { file, object: doc.toJS() };
  });
}
