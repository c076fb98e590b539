import { Finding } from '../contracts/finding';
import { ConstructError } from '../constructs/errors';

/** Rule id of a construct's refusal reported on the environment. */
export const CONSTRUCT_REFUSAL_RULE = 'construct-refusal';

/**
 * Which setting each construct prop of a chart carries, so a construct's refusal of the prop is
 * reported at that setting in `environments/<env>.ts`. A key is `prop` (any construct of the chart)
 * or `<construct path inside the chart>/prop` (`petshop-web/service.ports`); it matches the prop and
 * its sub-fields (`service.ports` matches `service.ports[web].nodePort`). The longest match wins.
 */
export type SettingsFields<S> = Readonly<Record<string, keyof S & string>>;

/**
 * Props about where a workload can run at all (cluster.place/placeAll): their refusals concern the
 * workload being enabled in this environment, so they are reported at the workload itself.
 */
const PLACEMENT = /^platforms?(\.|$)/;

interface Match {
  readonly key: string;
  /** What follows the key's prop in the refused field (`[web].nodePort`). */
  readonly rest: string;
}

function match(fields: Readonly<Record<string, string>>, path: string, field: string): Match | undefined {
  // The construct path inside its chart: `nginx/nginx` → `nginx`.
  const inner = path.split('/').slice(1).join('/');
  let best: Match | undefined;
  for (const key of Object.keys(fields)) {
    const slash = key.lastIndexOf('/');
    const [at, prop] = slash < 0 ? [undefined, key] : [key.slice(0, slash), key.slice(slash + 1)];
    if (at !== undefined && inner !== at && !inner.startsWith(`${at}/`)) continue;
    if (field !== prop && !field.startsWith(`${prop}.`) && !field.startsWith(`${prop}[`)) continue;
    if (!best || key.length > best.key.length) best = { key, rest: field.slice(prop.length) };
  }
  return best;
}

/** A chart already built for the environment: what its construct paths mean there. */
export interface BuiltChart {
  /** The chart's id, the first segment of its construct paths (`numbers`). */
  readonly id: string;
  /** Where its settings sit in the environment (`workloads.numbers`). */
  readonly base: string;
  readonly fields: Readonly<Record<string, string>>;
}

const join = (a: string, b: string) => (a && b ? `${a}.${b}` : a || b);

/**
 * `text` with every `<chart>/<construct path> <prop>` of a built chart (as a construct names the owner of
 * something taken, e.g. a node port) replaced by the setting it carries (`workloads.numbers.webNodePort`).
 */
function settingsIn(text: string, charts: readonly BuiltChart[]): string {
  return text.replace(/\b([a-z0-9-]+)(\/[A-Za-z0-9/_.-]+) ([A-Za-z][\w.[\]-]*)/g, (whole, id: string, rest: string, prop: string) => {
    const chart = charts.find((c) => c.id === id);
    const found = chart && match(chart.fields, `${id}${rest}`, prop);
    return chart && found ? join(chart.base, chart.fields[found.key]) : whole;
  });
}

/**
 * `err` as a finding on the environment file: at `<base>.<setting>` when `fields` says which setting
 * the refused prop carries; a placement refusal at `base`; any other at `base` with the construct
 * and prop named, so the chart's author can add the mapping. Prop names in the text are replaced by the setting names the user writes.
 * `keepSubField` keeps the rest of the refused field (`nodePools[1].windowsBuild`); `charts` lets the
 * text name other charts' settings instead of their construct paths.
 */
export function refusalFinding(
  err: ConstructError,
  options: {
    readonly file: string;
    readonly base: string;
    readonly fields: Readonly<Record<string, string>>;
    readonly keepSubField?: boolean;
    readonly charts?: readonly BuiltChart[];
  },
): Finding {
  const { file, base, fields } = options;
  const renamed = (text: string) =>
    Object.entries(fields)
      .filter(([key, setting]) => /^[A-Za-z]+$/.test(key) && key !== setting && !setting.includes('.'))
      .reduce((t, [key, setting]) => t.replace(new RegExp(`\\b${key}\\b`, 'g'), setting), settingsIn(text, options.charts ?? []));
  const found = match(fields, err.path, err.field);
  const placement = !found && PLACEMENT.test(err.field);
  const field = found ? join(base, options.keepSubField ? `${fields[found.key]}${found.rest}` : fields[found.key]) : base;
  return {
    rule: CONSTRUCT_REFUSAL_RULE,
    severity: 'error',
    file,
    field: field || undefined,
    problem: found || placement ? renamed(err.problem) : `${renamed(err.problem)} (${err.path}: ${err.field})`,
    fix: renamed(err.fix),
  };
}
