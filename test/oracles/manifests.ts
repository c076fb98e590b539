/**
 * What the API server and the controllers would make of a set of objects, written from the upstream
 * validation rules and controller behaviour, not from guardrails/: the fuzz tests' independent oracle.
 * Each problem is one line, `<Kind>/<namespace>/<name>: <what>`.
 */
import { schemaError } from '../util/schema';
import { oracleSelects, OracleRequirement } from './kubernetes';

type Obj = Record<string, any>;

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);
/** IANA_SVC_NAME: ≤ 15 lower-case alphanumerics and '-', at least one letter, no leading/trailing/double '-'. */
const PORT_NAME = /^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$/;
/** A label value: empty, or ≤ 63 alphanumerics, '-', '_', '.', starting and ending alphanumeric. */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function id(o: Obj): string {
  return [o.kind, o.metadata?.namespace, o.metadata?.name].filter(Boolean).join('/');
}

/** The pod template of a workload or CronJob, with the namespace it runs in. */
function podTemplate(o: Obj): Obj | undefined {
  if (o.kind === 'CronJob') return o.spec?.jobTemplate?.spec?.template;
  return WORKLOADS.has(o.kind) ? o.spec?.template : undefined;
}

function selects(selector: Obj | undefined, labels: Obj): boolean {
  return oracleSelects(selector?.matchLabels ?? {}, (selector?.matchExpressions ?? []) as OracleRequirement[], labels ?? {});
}

/** Quantities in base units (cores, bytes): the suffixes of k8s.io/apimachinery resource.Quantity. */
export function quantity(text: string): number | undefined {
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/.exec(String(text));
  if (!m) return undefined;
  const scale: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
  return Number(m[1]) * scale[m[2] ?? ''];
}

function containerProblems(who: string, podSpec: Obj): string[] {
  const problems: string[] = [];
  const containers: Obj[] = [...(podSpec.initContainers ?? []), ...(podSpec.containers ?? [])];
  const portNames = new Set<string>();
  for (const c of containers) {
    const names: string[] = [];
    for (const p of c.ports ?? []) {
      if (p.name !== undefined) {
        if (!PORT_NAME.test(p.name)) problems.push(`${who}: container ${c.name} port name "${p.name}" is not an IANA service name`);
        if (portNames.has(p.name)) problems.push(`${who}: port name "${p.name}" is used twice in the pod`);
        portNames.add(p.name);
        names.push(p.name);
      }
    }
    for (const kind of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
      const port = c[kind]?.httpGet?.port ?? c[kind]?.tcpSocket?.port;
      if (typeof port === 'string' && !names.includes(port)) problems.push(`${who}: container ${c.name} ${kind} names port "${port}", which the container does not declare`);
    }
    for (const resource of ['cpu', 'memory']) {
      const request = c.resources?.requests?.[resource];
      const limit = c.resources?.limits?.[resource];
      for (const q of [request, limit]) if (q !== undefined && !(quantity(q)! >= 0)) problems.push(`${who}: container ${c.name} ${resource} "${q}" is not a non-negative quantity`);
      if (request !== undefined && limit !== undefined && quantity(request)! > quantity(limit)!) {
        problems.push(`${who}: container ${c.name} requests ${resource} ${request} above its limit ${limit}`);
      }
    }
  }
  const volumes = new Set((podSpec.volumes ?? []).map((v: Obj) => v.name));
  for (const c of containers) {
    for (const m of c.volumeMounts ?? []) if (!volumes.has(m.name)) problems.push(`${who}: container ${c.name} mounts volume "${m.name}", which the pod does not declare`);
  }
  return problems;
}

/** Every problem the API server or the controllers would have with `objects`, applied together. */
export function independentProblems(objects: readonly Obj[]): string[] {
  const problems: string[] = [];
  const templates = objects.flatMap((o) => {
    const t = podTemplate(o);
    return t ? [{ owner: o, namespace: o.metadata?.namespace, labels: t.metadata?.labels ?? {}, spec: t.spec ?? {} }] : [];
  });
  const seen = new Set<string>();
  const nodePorts = new Map<number, string>();

  for (const o of objects) {
    const who = id(o);
    const error = schemaError(o as { apiVersion: string; kind: string });
    if (error) problems.push(`${who}: fails the upstream schema: ${error}`);
    const key = `${o.apiVersion}/${who}`;
    if (seen.has(key)) problems.push(`${who}: defined twice`);
    seen.add(key);
    for (const [k, v] of Object.entries({ ...(o.metadata?.labels ?? {}), ...(podTemplate(o)?.metadata?.labels ?? {}) })) {
      if (typeof v !== 'string' || !LABEL_VALUE.test(v) || v.length > 63) problems.push(`${who}: label ${k}="${String(v)}" is not a valid label value`);
    }

    const template = podTemplate(o);
    if (template) {
      problems.push(...containerProblems(who, template.spec ?? {}));
      // apps/v1 and batch/v1 (with a user selector) reject a selector that does not select the template.
      const selector = o.kind === 'CronJob' ? undefined : o.spec?.selector;
      if (selector && !selects(selector, template.metadata?.labels)) problems.push(`${who}: spec.selector does not select its own pod template`);
    }

    if (o.kind === 'Service' && o.spec?.selector && Object.keys(o.spec.selector).length > 0) {
      const targets = templates.filter((t) => t.namespace === o.metadata?.namespace && selects({ matchLabels: o.spec.selector }, t.labels));
      if (targets.length === 0) problems.push(`${who}: selects no pod template of its namespace, so it gets no endpoints`);
      (o.spec.ports ?? []).forEach((port: Obj, i: number) => {
        const earlier: Obj[] = o.spec.ports.slice(0, i);
        if (port.name !== undefined && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(port.name)) problems.push(`${who}: port name "${port.name}" is not a DNS-1123 label`);
        if (port.name !== undefined && earlier.some((q) => q.name === port.name)) problems.push(`${who}: port name "${port.name}" is used twice`);
        if (earlier.some((q) => q.port === port.port && (q.protocol ?? 'TCP') === (port.protocol ?? 'TCP'))) problems.push(`${who}: port ${port.port} is declared twice`);
        if (typeof port.targetPort === 'string') {
          const named = targets.some((t) => (t.spec.containers ?? []).some((c: Obj) => (c.ports ?? []).some((p: Obj) => p.name === port.targetPort)));
          if (targets.length > 0 && !named) problems.push(`${who}: targetPort "${port.targetPort}" is not a port name of the pods it selects`);
        }
        if (port.nodePort !== undefined) {
          if (o.spec.type !== 'NodePort' && o.spec.type !== 'LoadBalancer') problems.push(`${who}: nodePort on a ${o.spec.type ?? 'ClusterIP'} Service`);
          if (port.nodePort < 30000 || port.nodePort > 32767) problems.push(`${who}: nodePort ${port.nodePort} is outside 30000-32767`);
          if (nodePorts.has(port.nodePort)) problems.push(`${who}: nodePort ${port.nodePort} is already allocated to ${nodePorts.get(port.nodePort)}`);
          nodePorts.set(port.nodePort, who);
        }
      });
    }

    if (o.kind === 'PodDisruptionBudget' && !templates.some((t) => t.namespace === o.metadata?.namespace && selects(o.spec?.selector, t.labels))) {
      problems.push(`${who}: selects no pod template of its namespace, so it protects nothing`);
    }

    if (o.kind === 'HorizontalPodAutoscaler') {
      const ref = o.spec?.scaleTargetRef ?? {};
      if (!objects.some((w) => w.kind === ref.kind && w.metadata?.name === ref.name && w.metadata?.namespace === o.metadata?.namespace)) {
        problems.push(`${who}: scales ${ref.kind}/${ref.name}, which is not among the objects`);
      }
      if ((o.spec?.minReplicas ?? 1) > o.spec?.maxReplicas) problems.push(`${who}: minReplicas ${o.spec.minReplicas} > maxReplicas ${o.spec.maxReplicas}`);
    }
  }
  return problems;
}
