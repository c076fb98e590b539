import { Manifest } from './manifest';
import { Construct } from 'constructs';
import { refuse } from './errors';
import type { Affinity, ServicePort, TopologySpreadConstraint } from './k8s';
import { Peer, renderPeer } from './network-peer';
import { ContainerProps, labelsWithSelector, renderPodTemplate, requireServingProbes, Scheduling, waiverAnnotations } from './pod-template';
import { Placement } from './platform';
import { reserveNodePort } from './node-ports';

export type Spread = 'required' | 'preferred' | 'none';

export type RolloutStrategy =
  | { readonly type: 'RollingUpdate'; readonly maxSurge: number | string; readonly maxUnavailable: number | string }
  | { readonly type: 'Recreate' };

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

export interface AutoscalingOptions {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Target average CPU utilization, percent of requests. */
  readonly cpuUtilization: number;
}

export interface IstioOptions {
  readonly hosts: readonly string[];
  /** Service port name the VirtualService routes `/` to. @default the first Service port */
  readonly port?: string;
}

export interface HaWebAppProps {
  readonly namespace: string;
  /** Deployment name (`nginx-deployment` in the book). */
  readonly name: string;
  /** Pod labels the selectors use, fixed for the life of the Deployment. @default { app: name } */
  readonly selectorLabels?: Readonly<Record<string, string>>;
  /** Extra labels on every object. */
  readonly labels?: Readonly<Record<string, string>>;
  readonly container: ContainerProps;
  /** From MixedArchCluster: the OS/arch constraints and how many nodes can take a pod. */
  readonly placement: Placement;
  /** @default 2 — ignored when `autoscaling` is set (the HPA owns replicas) */
  readonly replicas?: number;
  /** Allow fewer than 2 replicas: the app is explicitly not highly available. @default false */
  readonly nonHa?: boolean;
  /** @default RollingUpdate maxSurge 1, maxUnavailable 0 */
  readonly strategy?: RolloutStrategy;
  /** Pod anti-affinity on `kubernetes.io/hostname`. @default 'preferred' */
  readonly hostnameSpread?: Spread;
  /** Topology spread on `topology.kubernetes.io/zone`. @default 'preferred' */
  readonly zoneSpread?: Spread;
  /** @default maxUnavailable 1 */
  readonly disruptionBudget?: { readonly maxUnavailable: number } | { readonly minAvailable: number };
  /** The app's Service. Required: a web app serves. */
  readonly service: ServiceOptions;
  /** autoscaling/v2 HPA on CPU; the Deployment then leaves `replicas` to it. @default none */
  readonly autoscaling?: AutoscalingOptions;
  /** Ingress (and egress) allow rules under the namespace's default deny. @default none */
  readonly networkPolicy?: NetworkPolicyOptions;
  /** Istio Gateway + VirtualService (the namespace must carry `istio-injection: enabled`). @default none */
  readonly istio?: IstioOptions;
  /** Adds the `linkerd.io/inject: enabled` ANNOTATION to the pods. @default false */
  readonly linkerd?: boolean;
  readonly scheduling?: Scheduling;
  /** Extra pod template annotations. */
  readonly podAnnotations?: Readonly<Record<string, string>>;
}

const HOSTNAME = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';

function asCount(value: number | string, replicas: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const pct = Number(value.replace(/%$/, ''));
  return roundUp ? Math.ceil((pct * replicas) / 100) : Math.floor((pct * replicas) / 100);
}

/**
 * A web workload that stays up: Deployment + Service + PodDisruptionBudget, optional HPA,
 * NetworkPolicy and Istio routing. Refuses at synthesis every combination that could never
 * schedule, never finish a rollout, or never let a node drain.
 */
export class HaWebApp extends Construct {
  readonly deploymentName: string;
  readonly serviceName: string;
  readonly selectorLabels: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: HaWebAppProps) {
    super(scope, id);
    this.deploymentName = props.name;
    this.serviceName = props.service.name ?? props.name;
    this.selectorLabels = props.selectorLabels ?? { app: props.name };
    const labels = labelsWithSelector(this, this.selectorLabels, { 'app.kubernetes.io/name': this.selectorLabels.app ?? props.name, ...props.labels });
    requireServingProbes(this, props.container);
    const replicas = this.checkReplicas(props);
    const strategy = props.strategy ?? { type: 'RollingUpdate', maxSurge: 1, maxUnavailable: 0 };
    this.checkRollout(strategy, replicas);
    const hostnameSpread = props.hostnameSpread ?? 'preferred';
    this.checkSpread(props, hostnameSpread, strategy, replicas);

    const template = renderPodTemplate(
      this,
      {
        labels,
        annotations: { ...(props.linkerd ? { 'linkerd.io/inject': 'enabled' } : {}), ...props.podAnnotations },
        container: props.container,
        placement: props.placement,
        scheduling: { ...props.scheduling, topologySpreadConstraints: [...this.zoneSpread(props), ...(props.scheduling?.topologySpreadConstraints ?? [])] },
      },
      this.antiAffinity(hostnameSpread),
    );
    const meta = { name: props.name, namespace: props.namespace, labels };
    new Manifest(this, 'Deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { ...meta, annotations: waiverAnnotations(props.container) },
      spec: {
        replicas: props.autoscaling ? undefined : replicas,
        revisionHistoryLimit: 5,
        selector: { matchLabels: { ...this.selectorLabels } },
        strategy: strategy.type === 'Recreate' ? { type: 'Recreate' } : { type: 'RollingUpdate', rollingUpdate: { maxSurge: strategy.maxSurge, maxUnavailable: strategy.maxUnavailable } },
        template,
      },
    });
    this.renderService(props, labels);
    this.renderDisruptionBudget(props, labels, replicas);
    if (props.autoscaling) this.renderAutoscaler(props, labels);
    if (props.networkPolicy) this.renderNetworkPolicy(props, labels);
    if (props.istio) this.renderIstio(props, labels);
  }

  /** The replica count the checks reason about: the HPA's maximum when it scales. */
  private checkReplicas(props: HaWebAppProps): number {
    const min = props.nonHa ? 1 : 2;
    const fix = props.nonHa ? 'use at least 1' : 'use at least 2 replicas, or set nonHa: true to run a single pod on purpose';
    if (props.autoscaling) {
      const { minReplicas, maxReplicas, cpuUtilization } = props.autoscaling;
      if (props.replicas !== undefined) {
        refuse(this, 'replicas', 'replicas is set together with autoscaling, but the HPA owns the replica count', 'remove replicas and set autoscaling.minReplicas');
      }
      if (!Number.isInteger(minReplicas) || minReplicas < min) refuse(this, 'autoscaling.minReplicas', `${minReplicas} is below ${min}`, fix);
      if (!Number.isInteger(maxReplicas) || maxReplicas < minReplicas) {
        refuse(this, 'autoscaling.maxReplicas', `${maxReplicas} is below minReplicas ${minReplicas}`, 'set maxReplicas >= minReplicas');
      }
      if (!(cpuUtilization > 0 && cpuUtilization <= 100)) {
        refuse(this, 'autoscaling.cpuUtilization', `${cpuUtilization}% is not a utilization target`, 'use a percentage between 1 and 100');
      }
      return maxReplicas;
    }
    const replicas = props.replicas ?? 2;
    if (!Number.isInteger(replicas) || replicas < min) refuse(this, 'replicas', `${replicas} replicas is not highly available`, fix);
    return replicas;
  }

  private checkRollout(strategy: RolloutStrategy, replicas: number): void {
    if (strategy.type !== 'RollingUpdate') return;
    const surge = asCount(strategy.maxSurge, replicas, true);
    const unavailable = asCount(strategy.maxUnavailable, replicas, false);
    if (surge < 0 || unavailable < 0) refuse(this, 'strategy', 'maxSurge and maxUnavailable cannot be negative', 'use 0 or more');
    if (surge === 0 && unavailable === 0) {
      refuse(this, 'strategy', 'maxSurge and maxUnavailable are both 0, so a rollout can never replace a pod', 'set maxSurge: 1 (room for one extra pod) or maxUnavailable: 1 (the books use maxSurge 0, maxUnavailable 1)');
    }
  }

  private checkSpread(props: HaWebAppProps, hostnameSpread: Spread, strategy: RolloutStrategy, replicas: number): void {
    if (hostnameSpread !== 'required') return;
    const nodes = props.placement.eligibleNodes;
    const where = `the ${nodes} node(s) of pool(s) ${props.placement.pools.join(', ')}`;
    if (replicas > nodes) {
      refuse(
        this,
        props.autoscaling ? 'autoscaling.maxReplicas' : 'replicas',
        `${replicas} pods with required hostname anti-affinity can never all schedule on ${where}`,
        `lower it to ${nodes}, use hostnameSpread: 'preferred', or grow the pool`,
      );
    }
    if (strategy.type === 'RollingUpdate' && replicas === nodes && asCount(strategy.maxSurge, replicas, true) > 0) {
      refuse(
        this,
        'strategy.maxSurge',
        `with required hostname anti-affinity and ${replicas} replicas on ${where}, the surge pod has no free node, so every rollout hangs`,
        'use maxSurge: 0 and maxUnavailable: 1 (as the books do), or fewer replicas than nodes',
      );
    }
  }

  private antiAffinity(spread: Spread): Affinity | undefined {
    const term = { labelSelector: { matchLabels: { ...this.selectorLabels } }, topologyKey: HOSTNAME };
    if (spread === 'required') return { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } };
    if (spread === 'preferred') return { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] } };
    return undefined;
  }

  private zoneSpread(props: HaWebAppProps): TopologySpreadConstraint[] {
    const spread = props.zoneSpread ?? 'preferred';
    if (spread === 'none') return [];
    return [
      {
        maxSkew: 1,
        topologyKey: ZONE,
        whenUnsatisfiable: spread === 'required' ? 'DoNotSchedule' : 'ScheduleAnyway',
        labelSelector: { matchLabels: { ...this.selectorLabels } },
      },
    ];
  }

  private renderService(props: HaWebAppProps, labels: Record<string, string>): void {
    const svc = props.service;
    const type = svc.type ?? 'ClusterIP';
    const containerPorts = props.container.ports ?? [];
    if (!svc.ports.length) refuse(this, 'service.ports', 'the Service exposes no port', 'list at least one port');
    const ports: ServicePort[] = svc.ports.map((p) => {
      const target = p.targetPort ?? p.name;
      const cp = containerPorts.find((c) => c.name === target);
      if (!cp) {
        refuse(this, `service.ports[${p.name}].targetPort`, `"${target}" is not a container port name (${containerPorts.map((c) => c.name).join(', ') || 'none'})`, 'target a named container port');
      }
      if (type === 'NodePort') {
        if (p.nodePort === undefined) {
          refuse(this, `service.ports[${p.name}].nodePort`, 'a NodePort Service needs an explicit nodePort (firewall rules and bookmarks depend on it)', 'pick a free port in 30000-32767');
        }
        reserveNodePort(this, `service.ports[${p.name}].nodePort`, p.nodePort);
      } else if (p.nodePort !== undefined) {
        refuse(this, `service.ports[${p.name}].nodePort`, `a ${type} Service does not take a fixed nodePort here`, "set service.type: 'NodePort' or drop nodePort");
      }
      return { name: p.name, port: p.port, targetPort: target, protocol: cp.protocol ?? 'TCP', nodePort: p.nodePort };
    });
    new Manifest(this, 'Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: this.serviceName, namespace: props.namespace, labels, annotations: svc.annotations && { ...svc.annotations } },
      spec: { type, selector: { ...this.selectorLabels }, ports },
    });
  }

  private renderDisruptionBudget(props: HaWebAppProps, labels: Record<string, string>, replicas: number): void {
    const budget = props.disruptionBudget ?? { maxUnavailable: 1 };
    const floor = props.autoscaling?.minReplicas ?? replicas;
    if ('minAvailable' in budget && budget.minAvailable >= floor) {
      refuse(this, 'disruptionBudget.minAvailable', `${budget.minAvailable} of ${floor} pods must stay up, so no node can ever be drained`, `use maxUnavailable: 1 or minAvailable below ${floor}`);
    }
    if ('maxUnavailable' in budget && budget.maxUnavailable < 1) {
      refuse(this, 'disruptionBudget.maxUnavailable', `${budget.maxUnavailable} blocks every voluntary eviction, so no node can ever be drained`, 'use maxUnavailable: 1');
    }
    new Manifest(this, 'PodDisruptionBudget', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: props.name, namespace: props.namespace, labels },
      spec: { ...budget, selector: { matchLabels: { ...this.selectorLabels } } },
    });
  }

  private renderAutoscaler(props: HaWebAppProps, labels: Record<string, string>): void {
    const hpa = props.autoscaling!;
    new Manifest(this, 'HorizontalPodAutoscaler', {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: props.name, namespace: props.namespace, labels },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: props.name },
        minReplicas: hpa.minReplicas,
        maxReplicas: hpa.maxReplicas,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: hpa.cpuUtilization } } }],
      },
    });
  }

  private renderNetworkPolicy(props: HaWebAppProps, labels: Record<string, string>): void {
    const np = props.networkPolicy!;
    if (!np.ingressFrom.length) refuse(this, 'networkPolicy.ingressFrom', 'no peer may reach the app, so its Service is dead', 'list who may connect, e.g. same-namespace');
    const ports = (props.container.ports ?? []).map((p) => ({ port: p.name, protocol: p.protocol ?? 'TCP' }));
    new Manifest(this, 'NetworkPolicy', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: props.name, namespace: props.namespace, labels },
      spec: {
        podSelector: { matchLabels: { ...this.selectorLabels } },
        policyTypes: np.egressTo ? ['Ingress', 'Egress'] : ['Ingress'],
        ingress: [{ from: np.ingressFrom.map(renderPeer), ports }],
        egress: np.egressTo?.map((e) => ({ to: [renderPeer(e.to)], ports: e.ports.map((p) => ({ port: p.port, protocol: p.protocol ?? 'TCP' })) })),
      },
    });
  }

  private renderIstio(props: HaWebAppProps, labels: Record<string, string>): void {
    const istio = props.istio!;
    if (!istio.hosts.length) refuse(this, 'istio.hosts', 'a Gateway needs at least one host', "list the hostnames, or '*' for any");
    const port = istio.port ? props.service.ports.find((p) => p.name === istio.port) : props.service.ports[0];
    if (!port) refuse(this, 'istio.port', `"${istio.port}" is not a Service port name`, 'name one of service.ports');
    const meta = { name: props.name, namespace: props.namespace, labels };
    new Manifest(this, 'Gateway', {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'Gateway',
      metadata: meta,
      spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: [...istio.hosts] }] },
    });
    new Manifest(this, 'VirtualService', {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'VirtualService',
      metadata: meta,
      spec: {
        hosts: [...istio.hosts],
        gateways: [props.name],
        http: [{ match: [{ uri: { prefix: '/' } }], route: [{ destination: { host: this.serviceName, port: { number: port.port } } }] }],
      },
    });
  }
}
