import { formatFinding, validateManifests } from '../guardrails/validate';
import { RenderedEnvironment } from './render';

/**
 * The guardrails of `npm run validate`, applied to an environment before anything is written.
 * Returns one line per finding, naming `dist/<env>/<file>`, the object and the rule.
 */
export function checkRendered(rendered: RenderedEnvironment): string[] {
  const docs = rendered.files.flatMap((file) =>
    file.objects.map((object) => ({ file: `dist/${rendered.env.name}/${file.name}`, object })),
  );
  return validateManifests(docs).map(formatFinding);
}
