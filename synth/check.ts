import type { Finding } from '../contracts/finding';
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
