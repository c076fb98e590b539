import type { Problem, Violation } from './rules/rule';
import { isKind, Manifest } from './manifest';
import { asObject, asString, at, JsonObject, objects, stringMap } from './object';
import { matches, Selector } from './selector';

/** Where each kind keeps its pod template (its labels live in the template's `metadata`). */
const TEMPLATE_PATHS: ReadonlyArray<{ groups: string[]; kinds: string[]; path: string[] }> = [
  // extensions/apps beta versions are included so a removed-API workload is still checked for everything else.
  { groups: ['apps', 'extensions'], kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'], path: ['spec', 'template'] },
  { groups: [''], kinds: ['ReplicationController'], path: ['spec', 'template'] },
  { groups: ['batch'], kinds: ['Job'], path: ['spec', 'template'] },
  { groups: ['batch'], kinds: ['CronJob'], path: ['spec', 'jobTemplate', 'spec', 'template'] },
  { groups: ['apps.openshift.io'], kinds: ['DeploymentConfig'], path: ['spec', 'template'] },
];

/** A pod template of a workload (or a bare Pod, whose object is its own template). */
export interface PodTemplate {
  readonly labels: Record<string, string>;
  readonly spec: JsonObject;
  /** Where the pod spec sits in the object, e.g. `spec.template.spec` (findings name fields from it). */
  readonly path: string;
}

const templates = new WeakMap<Manifest, PodTemplate | null>();

/** The object's pod template (read once per object: most rules ask for it). */
export function podTemplateOf(m: Manifest): PodTemplate | undefined {
  let template = templates.get(m);
  if (template === undefined) {
    template = readPodTemplate(m) ?? null;
    templates.set(m, template);
  }
  return template ?? undefined;
}

/** Groups whose kinds the table above describes completely: no search for templates in them. */
const BUILT_IN = /^$|^(apps|batch|autoscaling|policy|extensions)$|\.k8s\.io$/;

/**
 * Where a custom resource keeps a pod template, found by shape: the first nested object (breadth-first,
 * a few levels deep) whose `spec.containers` is a list of objects — `spec.template` of Argo Rollouts,
 * Knative Services and OpenKruise CloneSets, `spec.jobTargetRef.template` of KEDA ScaledJobs. The
 * object's own `spec` is not one: operators' CRs (Prometheus, Alertmanager) keep container *patches*
 * there, not pods.
 */
function findTemplatePath(object: JsonObject): string[] | undefined {
  let level: { path: string[]; value: JsonObject }[] = Object.entries(object)
    .filter(([key]) => key !== 'metadata' && key !== 'status')
    .flatMap(([key, value]) => (asObject(value) ? [{ path: [key], value: asObject(value)! }] : []));
  for (let depth = 0; depth < 4 && level.length > 0; depth++) {
    const found = level.find(({ value }) => objects(at(value, 'spec', 'containers')).length > 0 && Array.isArray(at(value, 'spec', 'containers')));
    if (found) return found.path;
    level = level.flatMap(({ path, value }) => Object.entries(value).flatMap(([key, child]) => (asObject(child) ? [{ path: [...path, key], value: asObject(child)! }] : [])));
  }
  return undefined;
}

function readPodTemplate(m: Manifest): PodTemplate | undefined {
  if (isKind(m, [''], 'Pod')) {
    const spec = asObject(m.object.spec);
    return spec && { labels: stringMap(at(m.object, 'metadata', 'labels')), spec, path: 'spec' };
  }
  const entry = TEMPLATE_PATHS.find((t) => isKind(m, t.groups, ...t.kinds));
  const path = entry?.path ?? (BUILT_IN.test(m.group) ? undefined : findTemplatePath(m.object));
  if (!path) return undefined;
  const template = at(m.object, ...path);
  const spec = asObject(at(template, 'spec'));
  if (!spec && !entry) return undefined;
  // A workload whose template is incomplete (the schema rule reports it) still has pods to select:
  // their labels are the template's, or, with no template at all, what its selector selects.
  const selector = at(m.object, ...path.slice(0, -1), 'selector');
  const labels = template !== undefined ? at(template, 'metadata', 'labels') : (asObject(at(selector, 'matchLabels')) ?? selector);
  return { labels: stringMap(labels), spec: spec ?? {}, path: [...path, 'spec'].join('.') };
}

/** Workloads whose pods are meant to keep running (so readiness gates Services and rollouts). */
export function isLongRunning(m: Manifest, template: PodTemplate): boolean {
  if (isKind(m, [''], 'Pod')) return (asString(template.spec.restartPolicy) ?? 'Always') === 'Always';
  if (isKind(m, ['batch'], 'Job', 'CronJob')) return false;
  // Custom kinds: pods that restart always are meant to keep running (a Rollout's; not a ScaledJob's).
  return (asString(template.spec.restartPolicy) ?? 'Always') === 'Always' && !/Job$/.test(m.kind);
}

export interface Container {
  readonly name: string;
  readonly init: boolean;
  readonly spec: JsonObject;
  /** Path inside the pod spec: `containers[0]`, `initContainers[1]`. */
  readonly path: string;
}

export function containersOf(podSpec: JsonObject, { includeInit = true } = {}): Container[] {
  const named = (init: boolean) => (spec: JsonObject, i: number): Container => ({
    name: asString(spec.name) ?? `#${i}`,
    init,
    spec,
    path: `${init ? 'initContainers' : 'containers'}[${i}]`,
  });
  return [
    ...objects(podSpec.containers).map(named(false)),
    ...(includeInit ? objects(podSpec.initContainers).map(named(true)) : []),
  ];
}

/** `container "x"` or `init container "x"`, as messages name them. */
export function describeContainer(container: Container): string {
  return `${container.init ? 'init container' : 'container'} "${container.name}"`;
}

export interface IndexedTemplate {
  readonly manifest: Manifest;
  readonly template: PodTemplate;
}

/** Every pod template among the manifests, for the rules that relate selectors to pods. */
export interface TemplateIndex {
  /** The pod templates in `namespace` whose labels the selector matches. */
  matching(namespace: string, selector: Selector): IndexedTemplate[];
}

/**
 * Indexes templates by namespace and by each label pair, so that a selector is only tested against
 * templates sharing one of its matchLabels: with thousands of Services and workloads, testing every
 * pair would dominate the synthesis budget.
 */
export function indexTemplates(manifests: ReadonlyArray<Manifest>): TemplateIndex {
  const byNamespace = new Map<string, IndexedTemplate[]>();
  const byLabel = new Map<string, IndexedTemplate[]>();
  const push = (map: Map<string, IndexedTemplate[]>, key: string, entry: IndexedTemplate) => {
    const list = map.get(key);
    if (list) list.push(entry);
    else map.set(key, [entry]);
  };
  for (const manifest of manifests) {
    const template = podTemplateOf(manifest);
    if (!template) continue;
    for (const labels of [template.labels, ...derivedLabelSets(manifest, template)]) {
      const entry = { manifest, template: labels === template.labels ? template : { ...template, labels } };
      push(byNamespace, manifest.namespace, entry);
      for (const [key, value] of Object.entries(labels)) push(byLabel, `${manifest.namespace}\n${key}\n${value}`, entry);
    }
  }
  return {
    matching: (namespace, selector) => {
      const first = Object.entries(selector.matchLabels)[0];
      const candidates = first ? byLabel.get(`${namespace}\n${first[0]}\n${first[1]}`) : byNamespace.get(namespace);
      return (candidates ?? []).filter(({ template }) => matches(selector, template.labels));
    },
  };
}

/**
 * Other labels a custom workload's pods get: Argo Rollouts' canary steps and experiments run the
 * Rollout's pod spec under `templates[].metadata.labels` of their own, and Services select those.
 */
function derivedLabelSets(m: Manifest, template: PodTemplate): Record<string, string>[] {
  if (BUILT_IN.test(m.group)) return [];
  const sets: Record<string, string>[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (depth > 10 || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) return value.forEach((v) => visit(v, depth + 1));
    const labels = asObject(at(value, 'metadata', 'labels'));
    if (labels && at(value, 'metadata', 'labels') !== at(m.object, ...template.path.split('.').slice(0, -1), 'metadata', 'labels')) sets.push(stringMap(labels));
    for (const [key, child] of Object.entries(value)) if (key !== 'metadata') visit(child, depth + 1);
  };
  visit(m.object.spec, 0);
  return sets.filter((labels) => Object.keys(labels).length > 0);
}

/** Replicas a scalable workload asks for (the API default is 1); undefined for DaemonSets, Jobs, Pods. */
export function replicasOf(m: Manifest): number | undefined {
  const replicas = at(m.object, 'spec', 'replicas');
  const scalable =
    isKind(m, ['apps', 'extensions'], 'Deployment', 'StatefulSet', 'ReplicaSet') ||
    isKind(m, [''], 'ReplicationController') ||
    isKind(m, ['argoproj.io'], 'Rollout') ||
    // Other custom workloads with a pod template at spec.template and a replica count (CloneSets ...);
    // not a built-in kind with a stray replicas field (a DaemonSet or Job has none: the API drops it).
    (typeof replicas === 'number' && !BUILT_IN.test(m.group) && podTemplateOf(m)?.path === 'spec.template.spec');
  if (!scalable) return undefined;
  return typeof replicas === 'number' ? replicas : 1;
}

/**
 * Runs `check` on every pod template among the manifests. Problems name fields relative to the pod
 * spec (`containers[0].image`); the violation names them from the object's root.
 */
export function checkTemplates(
  manifests: ReadonlyArray<Manifest>,
  check: (template: PodTemplate, manifest: Manifest) => Problem[],
): Violation[] {
  return manifests.flatMap((manifest) => {
    const template = podTemplateOf(manifest);
    if (!template) return [];
    return check(template, manifest).map((p) => ({ manifest, ...p, field: p.field ? `${template.path}.${p.field}` : template.path }));
  });
}
