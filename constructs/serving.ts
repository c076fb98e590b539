import { IConstruct } from 'constructs';
import { refuse } from './errors';
import type { ServicePort } from './k8s';
import { Manifest } from './manifest';
import { Mesh, meshControlPlaneEgress } from './mesh';
import { Peer, renderPeer } from './network-peer';
import { reserveNodePort } from './node-ports';
import { ContainerPort } from './pod-template';

/**
 * The objects every serving workload (HaWebApp's Deployment, StatefulApp's StatefulSet) puts beside
 * its pods, with their refusals: Services, the PodDisruptionBudget and the NetworkPolicy.
 */

export interface ServiceOptions {
  /** @default the app name */
  readonly name?: string;
  /** @default 'ClusterIP' */
  readonly type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
  /** Exposed ports: each targets a container port by name. */
  readonly ports: readonly {
    readonly name: string;
    readonly port: number;
    /** Container port name. @default `name` */
    readonly targetPort?: string;
    /** Required for type NodePort: explicit and unique per environment, 30000-32767. */
    readonly nodePort?: number;
  }[];
  /** Passed through, e.g. the AWS load balancer type. */
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface EgressRule {
  readonly to: Peer;
  readonly ports: readonly { readonly port: number; readonly protocol?: 'TCP' | 'UDP' }[];
}

export interface NetworkPolicyOptions {
  /** Peers allowed to reach the container ports. */
  readonly ingressFrom: readonly Peer[];
  /** Connections the pods open (DNS is allowed namespace-wide). @default none */
  readonly egressTo?: readonly EgressRule[];
}

export type DisruptionBudget = { readonly maxUnavailable: number } | { readonly minAvailable: number };

interface Owner {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly selector: Readonly<Record<string, string>>;
}

/** The API server refuses a Service whose ports repeat a name or a port/protocol pair, or whose port name is not a DNS-1123 label. */
export function refuseRepeatedServicePorts(scope: IConstruct, field: string, ports: readonly { readonly name?: string; readonly port: number; readonly protocol?: string }[]): void {
  ports.forEach((p, i) => {
    const earlier = ports.slice(0, i);
    if (p.name !== undefined && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(p.name)) {
      refuse(scope, `${field}[${i}].name`, `"${p.name}" is not a lowercase RFC 1123 label`, 'use lowercase letters, digits and "-", e.g. "http"');
    }
    if (p.name !== undefined && earlier.some((q) => q.name === p.name)) refuse(scope, `${field}[${p.name}].name`, `port name "${p.name}" is used twice`, 'give each Service port its own name');
    const protocol = p.protocol ?? 'TCP';
    if (earlier.some((q) => q.port === p.port && (q.protocol ?? 'TCP') === protocol)) {
      refuse(scope, `${field}[${p.name ?? i}].port`, `port ${p.port}/${protocol} is declared twice`, 'remove the duplicate or pick another port');
    }
  });
}

/** A Service selecting the pods of `owner`; `field` prefixes refusals (`service`, `services[1]`). */
export function renderService(
  scope: IConstruct,
  id: string,
  owner: Owner & { readonly name: string; readonly containerPorts: readonly ContainerPort[]; readonly field: string },
  svc: ServiceOptions,
  extraSpec: { readonly clusterIP?: 'None'; readonly publishNotReadyAddresses?: boolean } = {},
): void {
  const type = svc.type ?? 'ClusterIP';
  const f = owner.field;
  if (!svc.ports.length) refuse(scope, `${f}.ports`, 'the Service exposes no port', 'list at least one port');
  const ports: ServicePort[] = svc.ports.map((p) => {
    const target = p.targetPort ?? p.name;
    const cp = owner.containerPorts.find((c) => c.name === target);
    if (!cp) {
      refuse(scope, `${f}.ports[${p.name}].targetPort`, `"${target}" is not a container port name (${owner.containerPorts.map((c) => c.name).join(', ') || 'none'})`, 'target a named container port');
    }
    if (type === 'NodePort') {
      if (p.nodePort === undefined) {
        refuse(scope, `${f}.ports[${p.name}].nodePort`, 'a NodePort Service needs an explicit nodePort (firewall rules and bookmarks depend on it)', 'pick a free port in 30000-32767');
      }
      reserveNodePort(scope, `${f}.ports[${p.name}].nodePort`, p.nodePort);
    } else if (p.nodePort !== undefined) {
      refuse(scope, `${f}.ports[${p.name}].nodePort`, `a ${type} Service does not take a fixed nodePort here`, "set service.type: 'NodePort' or drop nodePort");
    }
    return { name: p.name, port: p.port, targetPort: target, protocol: cp.protocol ?? 'TCP', nodePort: p.nodePort };
  });
  refuseRepeatedServicePorts(scope, `${f}.ports`, ports);
  new Manifest(scope, id, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: svc.name ?? owner.name, namespace: owner.namespace, labels: { ...owner.labels }, annotations: svc.annotations && { ...svc.annotations } },
    spec: { type, ...extraSpec, selector: { ...owner.selector }, ports },
  });
}

/** A PodDisruptionBudget, refusing one that blocks every drain; `floor` is the fewest pods that run. */
export function renderDisruptionBudget(scope: IConstruct, owner: Owner & { readonly name: string }, budget: DisruptionBudget, floor: number): void {
  if ('minAvailable' in budget && budget.minAvailable >= floor) {
    refuse(scope, 'disruptionBudget.minAvailable', `${budget.minAvailable} of ${floor} pods must stay up, so no node can ever be drained`, `use maxUnavailable: 1 or minAvailable below ${floor}`);
  }
  if ('maxUnavailable' in budget && budget.maxUnavailable < 1) {
    refuse(scope, 'disruptionBudget.maxUnavailable', `${budget.maxUnavailable} blocks every voluntary eviction, so no node can ever be drained`, 'use maxUnavailable: 1');
  }
  new Manifest(scope, 'PodDisruptionBudget', {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: owner.name, namespace: owner.namespace, labels: { ...owner.labels } },
    spec: { ...budget, selector: { matchLabels: { ...owner.selector } } },
  });
}

/**
 * Ingress to the container ports from `np.ingressFrom`, and the egress the pods need: `np.egressTo`,
 * plus, for meshed pods, their sidecar's calls to the mesh control plane (the namespace denies the rest).
 */
export function renderNetworkPolicy(
  scope: IConstruct,
  owner: Owner & { readonly name: string; readonly containerPorts: readonly ContainerPort[] },
  np: NetworkPolicyOptions,
  mesh: Mesh = 'none',
): void {
  if (!np.ingressFrom.length) refuse(scope, 'networkPolicy.ingressFrom', 'no peer may reach the app, so its Service is dead', 'list who may connect, e.g. same-namespace');
  const ports = owner.containerPorts.map((p) => ({ port: p.name, protocol: p.protocol ?? 'TCP' }));
  const egress = [
    ...(np.egressTo ?? []).map((e) => ({ to: [renderPeer(e.to)], ports: e.ports.map((p) => ({ port: p.port, protocol: p.protocol ?? 'TCP' })) })),
    ...meshControlPlaneEgress(mesh),
  ];
  new Manifest(scope, 'NetworkPolicy', {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: owner.name, namespace: owner.namespace, labels: { ...owner.labels } },
    spec: {
      podSelector: { matchLabels: { ...owner.selector } },
      policyTypes: np.egressTo || egress.length ? ['Ingress', 'Egress'] : ['Ingress'],
      ingress: [{ from: np.ingressFrom.map(renderPeer), ports }],
      egress: np.egressTo || egress.length ? egress : undefined,
    },
  });
}
