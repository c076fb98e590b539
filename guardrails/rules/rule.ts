import { Lookup, Manifest } from '../manifest';
import { TemplateIndex } from '../workload';

/** Stable rule ids: they appear in output, in waivers and in CI logs, so never rename one. */
export type RuleId =
  | 'schema'
  | 'removed-api'
  | 'image-tag'
  | 'resources'
  | 'readiness-probe'
  | 'selector-matches-no-pod'
  | 'deployment-selector'
  | 'node-port'
  | 'secret-literal-data'
  | 'os-constraint'
  | 'host-access'
  | 'pdb-unsatisfiable'
  | 'hpa-cpu-requests'
  | 'exception';

export interface ValidateOptions {
  /**
   * Require an OS constraint on every pod template (default true: the project's clusters mix Linux and
   * Windows nodes, where an unconstrained Linux pod may land on Windows and never start).
   */
  readonly requireOsConstraint?: boolean;
}

export interface RuleContext {
  readonly manifests: ReadonlyArray<Manifest>;
  /** Pod templates by namespace, built once for the cross-object rules. */
  readonly templates: TemplateIndex;
  /** Finds an object by namespace, kind and name (how references such as scaleTargetRef work). */
  readonly lookup: Lookup;
  readonly options: Required<ValidateOptions>;
}

export interface Violation {
  readonly manifest: Manifest;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

export interface Rule {
  readonly id: RuleId;
  check(context: RuleContext): Violation[];
}
