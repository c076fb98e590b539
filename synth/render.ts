import { App, Chart } from 'cdk8s';
import { composeEnvironment, LeftOut } from '../charts';
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

/** Builds every chart of `env` in memory, one file per chart, sorted by file name. */
export function renderEnvironment(env: Environment): RenderedEnvironment {
  const app = new App({ outdir: 'unused' });
  const leftOut = composeEnvironment(app, env);
  const files = app.node.children
    .filter((c): c is Chart => c instanceof Chart)
    .map((chart) => {
      const objects = chartObjects(chart);
      return { name: `${chart.node.id}.yaml`, objects, content: toYamlDocuments(objects) };
    })
    .filter((f) => f.objects.length > 0)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { env, files, leftOut };
}
