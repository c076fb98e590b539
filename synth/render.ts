import { App, Chart } from 'cdk8s';
import { composeEnvironment, LeftOut } from '../charts';
import { Finding, FindingsError } from '../contracts/finding';
import { Environment } from '../environments';
import { chartObjects } from './objects';
import { toYamlDocuments } from './yaml';

/** One synthesized file: `dist/<env>/<name>`. */
export interface ManifestFile {
  readonly name: string;
  readonly objects: readonly Record<string, unknown>[];
  readonly content: string;
}

export interface RenderedEnvironment {
  readonly env: Environment;
  readonly files: readonly ManifestFile[];
  readonly leftOut: readonly LeftOut[];
}

/** Every environment rendered, or every construct refusal of all of them (reported at the environment fields). */
export function renderEnvironments(envs: readonly Environment[]): { rendered: RenderedEnvironment[]; refusals: Finding[] } {
  const rendered: RenderedEnvironment[] = [];
  const refusals: Finding[] = [];
  for (const env of envs) {
    const app = new App({ outdir: 'unused' });
    const composed = composeEnvironment(app, env);
    refusals.push(...composed.refusals);
    if (composed.refusals.length) continue;
    const files = app.node.children
      .filter((c): c is Chart => c instanceof Chart)
      .map((chart) => {
        const objects = chartObjects(chart);
        return { name: `${chart.node.id}.yaml`, objects, content: toYamlDocuments(objects) };
      })
      .filter((f) => f.objects.length > 0)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    rendered.push({ env, files, leftOut: composed.leftOut });
  }
  return { rendered, refusals };
}

/** Builds every chart of `env` in memory, one file per chart, sorted by file name; throws a FindingsError listing every refusal. */
export function renderEnvironment(env: Environment): RenderedEnvironment {
  const { rendered, refusals } = renderEnvironments([env]);
  if (refusals.length) throw new FindingsError(refusals, `environment "${env.name}": ${refusals.length} refusal(s)`);
  return rendered[0];
}
