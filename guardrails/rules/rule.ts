import type { Severity } from '../../contracts/finding';
import { Lookup, Manifest } from '../manifest';
import { TemplateIndex } from '../workload';

/** Stable rule ids: they appear in output, in waivers and in CI logs, so never rename one. */
export type RuleId = string;

export interface ValidateOptions {
  /**
   * Require an OS constraint on every pod template (default true: the project's clusters mix Linux and
   * Windows nodes, where an unconstrained Linux pod may land on Windows and never start).
   */
  readonly requireOsConstraint?: boolean;
  /**
   * The cluster's Kubernetes version (`1.34`, `v1.34.2`): served API versions, version-gated fields, and
   * Pod Security Standards where a namespace pins no `<mode>-version`. Default: the newest supported.
   */
  readonly kubernetesVersion?: string;
  /** Rules not to run. */
  readonly exclude?: ReadonlyArray<string>;
  /** When not empty, the only rules to run. */
  readonly includeOnly?: ReadonlyArray<string>;
}

export interface RuleContext {
  readonly manifests: ReadonlyArray<Manifest>;
  /** Pod templates by namespace, built once for the cross-object rules. */
  readonly templates: TemplateIndex;
  /** Finds an object by namespace, kind and name (how references such as scaleTargetRef work). */
  readonly lookup: Lookup;
  readonly options: Required<ValidateOptions>;
}

/** What is wrong with one object, relative to where the rule looked. */
export interface Problem {
  /** What is wrong, without a trailing period. */
  readonly problem: string;
  /** What to do about it, in the imperative. */
  readonly fix: string;
  /** The offending field's path (`spec.selector`, `containers[0].image` inside a pod template). */
  readonly field?: string;
  /** Overrides the rule's severity for this one problem (e.g. a Pod Security `warn` label). */
  readonly severity?: Severity;
}

export interface Violation extends Problem {
  readonly manifest: Manifest;
}

/** Other linters' names for the same check, so users coming from them can map their configuration. */
export interface Equivalents {
  readonly kubeLinter: readonly string[];
  readonly kubeScore: readonly string[];
}

/** A rule as data (id, what it checks, how to fix, equivalents) beside its code; docs are generated from it. */
export interface RuleInfo {
  readonly id: RuleId;
  readonly severity: Severity;
  /** One sentence: what the rule checks and why the real system cares. */
  readonly description: string;
  /** How to fix a finding, in general terms. */
  readonly remediation: string;
  readonly equivalents: Equivalents;
  /** Where we deliberately differ from the equivalents, and why. */
  readonly differs?: string;
}

export interface Rule extends RuleInfo {
  check(context: RuleContext): Violation[];
}
