import type { Finding } from '../contracts/finding';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadYamlFile, yamlFiles } from '../guardrails/load';
import { checkTrafficMoves } from '../guardrails/traffic-move';
import { validateManifests } from '../guardrails/validate';
import { RenderedEnvironment } from './render';

/**
 * The guardrails of `npm run validate`, applied to an environment before anything is written.
 * Findings name `dist/<env>/<file>`, the object, the field and the rule.
 */
export function checkRendered(rendered: RenderedEnvironment): Finding[] {
  const docs = rendered.files.flatMap((file) =>
    file.objects.map((object) => ({ file: `dist/${rendered.env.name}/${file.name}`, object })),
  );
  // Pod Security Standards are judged at the environment's Kubernetes version.
  return validateManifests(docs, { kubernetesVersion: rendered.env.cluster.kubernetesVersion });
}

/**
 * Services of `rendered` whose selector moves onto pods that `distDir/<env>/` (the committed, applied
 * state) does not run yet; nothing when the environment has no dist/ yet.
 */
export function checkTrafficMovesFrom(distDir: string, rendered: RenderedEnvironment): Finding[] {
  const dir = join(distDir, rendered.env.name);
  if (!existsSync(dir)) return [];
  const file = (name: string) => `dist/${rendered.env.name}/${name}`;
  // Unchanged files move no selector: the common synth (nothing changed) parses nothing.
  const unchanged = rendered.files.every((f) => existsSync(join(dir, f.name)) && readFileSync(join(dir, f.name), 'utf8') === f.content);
  if (unchanged) return [];
  const previous = yamlFiles(dir).flatMap((path) => loadYamlFile(path).map((doc) => ({ ...doc, file: file(path.slice(dir.length + 1)) })));
  const next = rendered.files.flatMap((f) => f.objects.map((object) => ({ file: file(f.name), object })));
  return checkTrafficMoves(previous, next);
}
