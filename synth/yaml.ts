import { stringify } from 'yaml';

/** Multi-document YAML, each document starting with `---`, stable across runs and machines. */
export function toYamlDocuments(objects: readonly unknown[]): string {
  return objects.map((o) => `---\n${stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })}`).join('');
}
