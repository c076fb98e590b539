/**
 * The floor's object construction and writers. Deliberately independent of synth/yaml.ts: the floor
 * stays fixed while ours is optimized.
 */
import { dump } from 'js-yaml';
import { stringify } from 'yaml';
import { appName } from './spec';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type FloorWriter = 'js-yaml' | 'yaml';

/** A fresh copy of `value` with every string equal to `from` replaced by `to`. */
function rename(value: Json, from: string, to: string): Json {
  if (typeof value === 'string') return value === from ? to : value;
  if (Array.isArray(value)) return value.map((v) => rename(v, from, to));
  if (value && typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const key of Object.keys(value)) out[key] = rename(value[key], from, to);
    return out;
  }
  return value;
}

/** N apps' objects built from `template`, the objects of app `web-0000`. */
export function floorObjects(template: readonly Json[], n: number): Json[] {
  const from = appName(0);
  const objects: Json[] = [];
  for (let i = 0; i < n; i++) {
    const name = appName(i);
    for (const o of template) objects.push(rename(o, from, name));
  }
  return objects;
}

export function floorYaml(objects: readonly Json[], writer: FloorWriter): string {
  return writer === 'js-yaml'
    ? objects.map((o) => `---\n${dump(o, { noRefs: true, lineWidth: -1 })}`).join('')
    : objects.map((o) => `---\n${stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })}`).join('');
}
