import { Document, visit } from 'yaml';

/**
 * YAML that every reader gets back exactly: YAML 1.2 readers (kubectl's sigs.k8s.io/yaml, js-yaml
 * 4+) and YAML 1.1 readers (PyYAML, which cloud-init uses; go-yaml v2). The `yaml` package quotes
 * only what YAML 1.2 would misread, so `1_000_000`, `1:2:3:4:5`, `yes`, `off` or `2001-12-14` come
 * out plain and a YAML 1.1 reader turns them into numbers, booleans and dates. Here such strings,
 * and strings a YAML 1.1 reader splits or rejects when plain (tabs, U+0085, U+2028, U+2029), are
 * double-quoted; everything else is left to the `yaml` package.
 */
export function stringifyYaml(value: unknown): string {
  const doc = new Document(value, { aliasDuplicateObjects: false });
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && needsQuotesFor11(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return escapeUnicodeBreaks(doc.toString({ lineWidth: 0, blockQuote: 'literal' }));
}

/**
 * U+0085, U+2028 and U+2029 are line breaks in YAML 1.1 but not in 1.2, and the `yaml` package
 * writes them raw. Strings holding them are always double-quoted (above), where `\N`, `\L`, `\P`
 * are the escapes both versions read, so replacing every raw one in the text is safe.
 */
function escapeUnicodeBreaks(text: string): string {
  return text.replace(/\u0085/g, '\\N').replace(/\u2028/g, '\\L').replace(/\u2029/g, '\\P');
}

/** `s` as one double-quoted YAML scalar that YAML 1.1 and 1.2 readers read back exactly. */
export function doubleQuoted(s: string): string {
  return escapeUnicodeBreaks(new Document(s).toString({ lineWidth: 0, defaultStringType: 'QUOTE_DOUBLE' }).replace(/\n$/, ''));
}

/** Whether `s`, written plain, would not read back as `s` in YAML 1.1 though it would in YAML 1.2. */
export function needsQuotesFor11(s: string): boolean {
  return isYaml11Typed(s) || /[\t\u0085\u2028\u2029]/.test(s);
}

/**
 * The implicit types of YAML 1.1 as PyYAML resolves them (bool, int, float, null, timestamp,
 * merge, value) plus the one-letter booleans go-yaml v2 adds: a plain scalar matching this is not
 * read back as a string by a YAML 1.1 reader.
 */
const YAML11_TYPED = new RegExp(
  [
    '^(?:y|Y|n|N|yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$',
    '^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$',
    '^(?:[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?|\\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$',
    '^(?:~|null|Null|NULL|)$',
    '^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \\t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]*)?(?:[ \\t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$',
    '^(?:<<|=)$',
  ].join('|'),
);

/** Whether a YAML 1.1 reader would take the plain scalar `s` for something other than the string `s`. */
export function isYaml11Typed(s: string): boolean {
  return YAML11_TYPED.test(s);
}
