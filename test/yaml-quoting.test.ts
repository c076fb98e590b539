/**
 * Every string the project writes into YAML reads back as exactly that string, for YAML 1.2
 * readers (the `yaml` package, js-yaml) and YAML 1.1 readers: the `yaml` package in 1.1 mode,
 * and PyYAML itself (cloud-init's reader) when python3-yaml is installed.
 */
import { spawnSync } from 'child_process';
import fc from 'fast-check';
import * as jsYaml from 'js-yaml';
import { parse, parseAllDocuments } from 'yaml';
import { stringifyYaml } from '../contracts/yaml';
import { renderNetworkConfig, renderUserData } from '../edge/render';
import { edge } from '../environments/edge';
import { toYamlDocuments } from '../synth/yaml';
import { FAKE_SECRETS, edgeWith } from './edge/helpers';
import { requireTool, testWith } from './util/tools';

/** Strings YAML 1.1 resolves to something else when plain (PyYAML's implicit resolvers, go-yaml v2's booleans). */
const TRICKY = [
  '1_000_000', '1:2:3:4:5', 'yes', 'Yes', 'NO', 'on', 'Off', 'y', 'n', 'Y', 'true', 'null', 'Null', '~', '',
  '0x1F', '0b1010', '0o17', '017', '0755', '1e3', '1.0e+3', '.5', '+.5', '-1_0', '12:30', '190:20:30.15', '1_2:3',
  '2001-12-14', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10 -5', '.inf', '-.Inf', '.NaN', '=', '<<',
  '- a', '? x', '# not a comment', 'a #b', 'a: b', '{x}', '[1]', '*alias', '&anchor', '!tag', '%YAML', '@at', '`tick',
  '"quoted"', "'single'", ' leading space', 'trailing space ', 'tab\there', '| block', '> folded', 'line\nbreak',
  'trailing newline\n', '\nleading newline', 'back\\slash', 'ünïcödé', 'emoji 🔑', 'password123', 'p@ss:w0rd!',
];

const printableAscii = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 });
const anyText = fc.string({ unit: 'grapheme', maxLength: 30 });
const samples = fc.sample(fc.oneof(printableAscii, anyText), { numRuns: 400, seed: 12 });
const ALL = [...TRICKY, ...samples];

function readers(text: string): Record<string, unknown> {
  return {
    'yaml 1.2': parseAllDocuments(text).map((d) => d.toJS()),
    'yaml 1.1': parseAllDocuments(text, { version: '1.1' }).map((d) => d.toJS()),
    'js-yaml': jsYaml.loadAll(text),
  };
}

describe('synth/yaml.ts (dist/ manifests)', () => {
  test.each(TRICKY.map((s) => [JSON.stringify(s), s]))('%s reads back as itself, as a value and as a key', (_label, s) => {
    const text = toYamlDocuments([{ value: s, list: [s], [s]: 'key' }]);
    for (const [reader, docs] of Object.entries(readers(text))) {
      expect({ reader, docs }).toEqual({ reader, docs: [{ value: s, list: [s], [s]: 'key' }] });
    }
  });

  test('400 generated strings read back as themselves in every reader', () => {
    const objects = ALL.map((s) => ({ v: s, [s]: 1 }));
    const text = toYamlDocuments(objects);
    for (const [reader, docs] of Object.entries(readers(text))) expect({ reader, docs }).toEqual({ reader, docs: objects });
  });
});

describe('contracts/yaml.ts stringifyYaml (edge boot files)', () => {
  test('every tricky and generated string reads back as itself, as a value and as a key', () => {
    const value = { values: ALL, keys: Object.fromEntries(ALL.map((s, i) => [s, i])) };
    const text = stringifyYaml(value);
    for (const [reader, docs] of Object.entries(readers(text))) expect({ reader, docs }).toEqual({ reader, docs: [value] });
  });
});

describe('edge network-config: Wi-Fi passwords and SSIDs', () => {
  const passwords = [...TRICKY.filter((s) => s.length >= 8 && /^[\x20-\x7e]*$/.test(s)), '1_000_000', '1:2:3:4:5', '12345678', '0x1F0x1F', '1_2_3_4_5', 'yes yes yes', '2001-12-14', '~~~~~~~~', '"quoted"x', ...fc.sample(fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 8, maxLength: 63 }), { numRuns: 100, seed: 7 })];
  const ssids = ['yes', '1_000', '12:30', 'home net', 'on', '~'];
  if (edge.provider.kind !== 'microk8s') throw new Error('edge is not microk8s');
  const node = edge.provider.microk8s.nodes[0];

  function accessPoints(text: string, parser: (t: string) => unknown) {
    const doc = parser(text) as { wifis: { wlan0: { 'access-points': Record<string, { password: unknown }> } } };
    return doc.wifis.wlan0['access-points'];
  }

  test.each(passwords.map((p) => [JSON.stringify(p), p]))('password %s reads back exactly (YAML 1.1 and 1.2)', (_label, password) => {
    for (const ssid of ssids) {
      const text = renderNetworkConfig(edgeWith({ wifiSsid: ssid }), node, { ...FAKE_SECRETS, wifiPassword: password });
      for (const parser of [(t: string) => parse(t, { version: '1.1' }), (t: string) => parse(t), (t: string) => jsYaml.load(t)]) {
        expect(accessPoints(text, parser)).toEqual({ [ssid]: { password } });
      }
    }
  });

  testWith('pyyaml')("PyYAML (cloud-init's reader) reads every password, SSID and user-data back exactly", () => {
    requireTool('pyyaml');
    const docs = passwords.flatMap((password, i) => {
      const env = edgeWith({ wifiSsid: ssids[i % ssids.length] });
      return [renderNetworkConfig(env, node, { ...FAKE_SECRETS, wifiPassword: password }), renderUserData(env, node, FAKE_SECRETS)];
    });
    const py = spawnSync('python3', ['-c', 'import json, sys, yaml\nprint(json.dumps([yaml.safe_load(d) for d in json.load(sys.stdin)], default=str))'], {
      input: JSON.stringify(docs),
      encoding: 'utf8',
    });
    expect(py.stderr).toBe('');
    expect(JSON.parse(py.stdout)).toEqual(docs.map((d) => parse(d)));
  });

  testWith('pyyaml')('PyYAML reads every tricky and generated string of stringifyYaml and synth/yaml.ts back exactly', () => {
    requireTool('pyyaml');
    const printable = [...ALL.filter((s) => !/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufeff]/u.test(s)), 'nel\u0085x', 'ls\u2028x', 'ps\u2029x', 'tab\tx', 'multi\nline\u2028x\n'];
    const docs = [stringifyYaml({ values: printable }), toYamlDocuments([{ values: printable }]).replace(/^---\n/, '')];
    const py = spawnSync('python3', ['-c', 'import json, sys, yaml\nprint(json.dumps([yaml.safe_load(d) for d in json.load(sys.stdin)]))'], {
      input: JSON.stringify(docs),
      encoding: 'utf8',
    });
    expect(py.stderr).toBe('');
    expect(JSON.parse(py.stdout)).toEqual([{ values: printable }, { values: printable }]);
  });
});
