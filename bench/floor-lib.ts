/**
 * The floor: the fastest this output can be produced in Node with a mainstream writer. A tiny
 * script builds the same plain objects ours produces (TEMPLATE_JSON holds ours' objects for app
 * `web-0000`, written by the harness from ours' own output; each app is a fresh deep copy with its
 * name substituted) and serializes them. One entry per writer (floor-js-yaml.ts, floor-yaml.ts) so
 * each loads only its writer. Deliberately independent of synth/yaml.ts: the floor stays fixed
 * while ours is optimized.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { appName, parseArgs, reportRssOnExit } from './spec';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

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

/** `floor-<writer> N OUTDIR TEMPLATE_JSON`: writes OUTDIR/floor-<writer>.yaml, `---` before each document. */
export function floorMain(writer: string, write: (o: Json) => string): void {
  reportRssOnExit();
  const { n, outDir, rest } = parseArgs();
  const [templateFile] = rest;
  if (!templateFile) {
    console.error(`usage: floor-${writer} N OUTDIR TEMPLATE_JSON`);
    process.exit(2);
  }
  const template = JSON.parse(readFileSync(templateFile, 'utf8')) as Json[];
  const text = floorObjects(template, n)
    .map((o) => `---\n${write(o)}`)
    .join('');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, `floor-${writer}.yaml`), text);
}
