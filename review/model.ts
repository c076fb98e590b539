/**
 * Data shapes of the review diff: the parsed trees it compares and the report it produces.
 * The report holds raw values; renderers decide how short to make them.
 */

/** A Kubernetes object as parsed from YAML. */
export type KubeObject = Record<string, unknown>;

/** One document of `dist/<env>/<file>.yaml`. */
export interface Manifest {
  readonly env: string;
  /** File name inside the environment folder, e.g. `nginx.yaml` (display only, not identity). */
  readonly file: string;
  readonly object: KubeObject;
}

/** One entry of `dist/infra/<stack>.plan.json`. */
export interface PlanResource {
  readonly stack: string;
  readonly type: string;
  readonly name: string;
  readonly inputs: unknown;
}

/** An entry the loader could not place (not an environment's YAML, not a plan): compared byte for byte. */
export interface Unplaced {
  /** Relative to the tree's root, `/`-separated. */
  readonly path: string;
  readonly reason: string;
  /** Content hash, symlink target or folder listing: equal fingerprints mean equal entries. */
  readonly fingerprint: string;
}

/** A synthesized tree: shaped like dist/, or one flat environment folder. */
export interface Tree {
  readonly manifests: readonly Manifest[];
  readonly resources: readonly PlanResource[];
  /** 'empty': no environment folder and no YAML at the top. */
  readonly shape?: 'dist' | 'flat' | 'empty';
  readonly unplaced?: readonly Unplaced[];
  /** sha1 of every placed file by relative path, to tell formatting-only differences. */
  readonly bytes?: ReadonlyMap<string, string>;
}

/** One step of a field path: a map key, a list item keyed by its `name`, or a list index. */
export type Segment = { readonly key: string } | { readonly name: string } | { readonly index: number };

export interface FieldChange {
  readonly path: readonly Segment[];
  readonly op: 'added' | 'removed' | 'changed';
  /** Absent when `op` is `added`. */
  readonly old?: unknown;
  /** Absent when `op` is `removed`. */
  readonly new?: unknown;
}

export type EntryStatus = 'added' | 'removed' | 'changed';

/** An object (or plan resource) that differs between the trees. */
export interface Entry {
  readonly status: EntryStatus;
  /** `Deployment web/nginx`, or `aws:ec2/vpc:Vpc vpc` for plan resources. */
  readonly label: string;
  /** The file that holds it (the new tree's file unless removed). */
  readonly file?: string;
  /** Empty for added and removed entries: the PR diff shows their whole YAML anyway. */
  readonly fields: readonly FieldChange[];
}

/**
 * Rules in the order risks are listed: what breaks the apply first, what needs a human next,
 * then what merely happens (traffic moves, pods roll).
 */
export const RISK_RULES = ['immutable', 'prune', 'destroy', 'selector', 'hpa', 'traffic', 'rollout'] as const;
export type RiskRule = (typeof RISK_RULES)[number];

export interface Risk {
  readonly rule: RiskRule;
  readonly text: string;
}

/** Manifests of one environment, or the plan of one Pulumi stack. */
export interface Section {
  /** `prod` for manifests, `infra/prod` for the plan of stack `prod`. */
  readonly title: string;
  readonly entries: readonly Entry[];
  readonly risks: readonly Risk[];
}

export interface Report {
  /** Only sections with at least one entry, manifests first, each group sorted by name. */
  readonly sections: readonly Section[];
  /** Facts about how the trees were obtained (e.g. a base ref without a plan script). */
  readonly notes: readonly string[];
  /** When no section changed: files whose bytes differ all the same (formatting, order, comments). */
  readonly byteDifferences?: readonly string[];
}

/** The line a report without changes ends with: never plain "No changes." when some bytes differ. */
export function noChangesLine(report: Report): string {
  const files = report.byteDifferences ?? [];
  if (files.length === 0) return 'No changes.';
  return `No semantic changes, but ${files.length} file(s) differ in bytes only (formatting, order or comments): ${files.join(', ')}`;
}

export function hasChanges(report: Report): boolean {
  return report.sections.length > 0;
}

export interface Counts {
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
  readonly risks: number;
}

export function countSection(section: Section): Counts {
  const count = (status: EntryStatus) => section.entries.filter((e) => e.status === status).length;
  return { added: count('added'), removed: count('removed'), changed: count('changed'), risks: section.risks.length };
}
