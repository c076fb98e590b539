/**
 * The name syntaxes the API server validates (k8s.io/apimachinery/pkg/util/validation), returning what
 * is wrong in the words `kubectl apply` uses, or undefined when the value is valid.
 */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export function dns1123Label(value: string): string | undefined {
  if (value.length > 63) return 'must be no more than 63 characters';
  if (!DNS1123_LABEL.test(value)) return "must be a lowercase RFC 1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit";
  return undefined;
}

export function dns1123Subdomain(value: string): string | undefined {
  if (value.length > 253) return 'must be no more than 253 characters';
  if (!DNS1123_SUBDOMAIN.test(value)) return "must be a lowercase RFC 1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit";
  return undefined;
}

/** Label and annotation keys: `[prefix/]name`, the prefix a DNS subdomain, the name ≤ 63 of [-A-Za-z0-9_.]. */
export function qualifiedName(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return 'must be a name with at most one "/" (an optional DNS-subdomain prefix, then the name)';
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    if (!parts[0]) return 'must not have an empty prefix before "/"';
    const prefix = dns1123Subdomain(parts[0]);
    if (prefix) return `prefix "${parts[0]}" ${prefix}`;
  }
  if (!name) return 'must have a name';
  if (name.length > 63) return 'name part must be no more than 63 characters';
  if (!QUALIFIED_NAME.test(name)) return "name part must be letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
  return undefined;
}

export function labelValue(value: string): string | undefined {
  if (value.length > 63) return 'must be no more than 63 characters';
  if (!LABEL_VALUE.test(value)) return "must be empty or letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
  return undefined;
}

/** Port names (IANA_SVC_NAME): ≤ 15 lowercase letters, digits and single '-', at least one letter. */
export function portName(value: string): string | undefined {
  if (value.length > 15) return 'must be no more than 15 characters';
  if (!/^[-a-z0-9]+$/.test(value)) return "must contain only lowercase letters, digits and '-'";
  if (!/[a-z]/.test(value)) return 'must contain at least one letter';
  if (value.includes('--')) return "must not contain consecutive '-'";
  if (value.startsWith('-') || value.endsWith('-')) return "must not begin or end with '-'";
  return undefined;
}

/** Service names (RFC 1035 labels): like RFC 1123 labels, but starting with a letter. */
export function dns1035Label(value: string): string | undefined {
  if (value.length > 63) return 'must be no more than 63 characters';
  if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(value)) return "must be a lowercase RFC 1035 label: lowercase letters, digits and '-', starting with a letter and ending with a letter or digit";
  return undefined;
}
