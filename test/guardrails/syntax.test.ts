/**
 * Name syntaxes as k8s.io/apimachinery/pkg/util/validation defines them (RFC 1123 label ≤ 63 and
 * subdomain ≤ 253, qualified names, label values, IANA_SVC_NAME port names, RFC 1035 labels), with
 * the boundaries and each message written out.
 */
import { dns1035Label, dns1123Label, dns1123Subdomain, labelValue, portName, qualifiedName } from '../../guardrails/syntax';

const LABEL_MSG = "must be a lowercase RFC 1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit";
const SUBDOMAIN_MSG = "must be a lowercase RFC 1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit";
const NAME_MSG = "name part must be letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
const VALUE_MSG = "must be empty or letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
const RFC1035_MSG = "must be a lowercase RFC 1035 label: lowercase letters, digits and '-', starting with a letter and ending with a letter or digit";

describe('dns1123Label', () => {
  it.each(['a', '0', 'a-b', 'a--b', '9abc', 'a'.repeat(63)])('accepts %j', (v) => expect(dns1123Label(v)).toBeUndefined());
  it.each(['', 'A', 'a_b', '-a', 'a-', 'a.b', 'é', 'a b', 'ab\n'])('refuses %j', (v) => expect(dns1123Label(v)).toBe(LABEL_MSG));
  it('refuses 64 characters', () => expect(dns1123Label('a'.repeat(64))).toBe('must be no more than 63 characters'));
});

describe('dns1123Subdomain', () => {
  it.each(['a', 'a.b', 'a-b.c-d.e', '0.0', `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`])('accepts %j', (v) => expect(dns1123Subdomain(v)).toBeUndefined());
  it.each(['', 'A.b', 'a..b', '.a', 'a.', 'a.-b', 'a_b', 'a.b-'])('refuses %j', (v) => expect(dns1123Subdomain(v)).toBe(SUBDOMAIN_MSG));
  it('refuses 254 characters', () => {
    expect(dns1123Subdomain('a'.repeat(253))).toBeUndefined();
    expect(dns1123Subdomain('a'.repeat(254))).toBe('must be no more than 253 characters');
  });
});

describe('qualifiedName (label and annotation keys)', () => {
  it.each(['app', 'A', 'a.b_c-D', 'app.kubernetes.io/name', 'example.com/A_b', 'x/y', `p/${'n'.repeat(63)}`, 'Z9'])('accepts %j', (v) => expect(qualifiedName(v)).toBeUndefined());
  it('refuses each malformed part with its message', () => {
    expect(qualifiedName('a/b/c')).toBe('must be a name with at most one "/" (an optional DNS-subdomain prefix, then the name)');
    expect(qualifiedName('/name')).toBe('must not have an empty prefix before "/"');
    expect(qualifiedName('Example.com/name')).toBe(`prefix "Example.com" ${SUBDOMAIN_MSG}`);
    expect(qualifiedName(`${'a'.repeat(254)}/name`)).toBe(`prefix "${'a'.repeat(254)}" must be no more than 253 characters`);
    expect(qualifiedName('')).toBe('must have a name');
    expect(qualifiedName('example.com/')).toBe('must have a name');
    expect(qualifiedName('n'.repeat(64))).toBe('name part must be no more than 63 characters');
    expect(qualifiedName(`p/${'n'.repeat(64)}`)).toBe('name part must be no more than 63 characters');
    expect(qualifiedName('-a')).toBe(NAME_MSG);
    expect(qualifiedName('a_')).toBe(NAME_MSG);
    expect(qualifiedName('a b')).toBe(NAME_MSG);
    expect(qualifiedName('p/.a')).toBe(NAME_MSG);
  });
});

describe('labelValue', () => {
  it.each(['', 'a', 'A.b_c-9', 'x'.repeat(63)])('accepts %j', (v) => expect(labelValue(v)).toBeUndefined());
  it.each(['-a', 'a-', '_', 'a/b', 'a b', 'é'])('refuses %j', (v) => expect(labelValue(v)).toBe(VALUE_MSG));
  it('refuses 64 characters', () => expect(labelValue('x'.repeat(64))).toBe('must be no more than 63 characters'));
});

describe('portName (IANA_SVC_NAME)', () => {
  it.each(['http', 'h2c', 'a', 'web-80', 'x'.repeat(15), '1a'])('accepts %j', (v) => expect(portName(v)).toBeUndefined());
  it('refuses each violation with its message, in order', () => {
    expect(portName('x'.repeat(16))).toBe('must be no more than 15 characters');
    expect(portName('HTTP')).toBe("must contain only lowercase letters, digits and '-'");
    expect(portName('a_b')).toBe("must contain only lowercase letters, digits and '-'");
    expect(portName('')).toBe("must contain only lowercase letters, digits and '-'");
    expect(portName('8080')).toBe('must contain at least one letter');
    expect(portName('-')).toBe('must contain at least one letter');
    expect(portName('a--b')).toBe("must not contain consecutive '-'");
    expect(portName('-ab')).toBe("must not begin or end with '-'");
    expect(portName('ab-')).toBe("must not begin or end with '-'");
  });
});

describe('dns1035Label (Service names)', () => {
  it.each(['a', 'a1', 'a-b', 'z'.repeat(63)])('accepts %j', (v) => expect(dns1035Label(v)).toBeUndefined());
  it.each(['', '1a', 'A', 'a-', '-a', 'a.b', 'a_b'])('refuses %j', (v) => expect(dns1035Label(v)).toBe(RFC1035_MSG));
  it('refuses 64 characters', () => expect(dns1035Label('z'.repeat(64))).toBe('must be no more than 63 characters'));
});
