/** What every risk rule sees about one changed object. */
import type { ObjectId } from '../identity';
import type { FieldChange, KubeObject } from '../model';

export interface ObjectChange {
  readonly id: ObjectId;
  /** `Deployment web/nginx`, as the report shows it. */
  readonly label: string;
  readonly old: KubeObject;
  readonly new: KubeObject;
  readonly fields: readonly FieldChange[];
}

/** The environment's objects in the NEW tree: HPAs, the workloads behind a Service. */
export interface EnvContext {
  readonly objects: readonly KubeObject[];
  /** The same environment's objects in the OLD tree (what runs before the change). @default none */
  readonly before?: readonly KubeObject[];
}
