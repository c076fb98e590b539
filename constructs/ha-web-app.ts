import { Manifest } from './manifest';
import { Construct } from 'constructs';
import { refuse } from './errors';
import { IstioIngress } from './istio-ingress';
import type { IngressSpec, Volume } from './k8s';
import { hostnameAntiAffinity, Spread, zoneSpreadConstraints } from './spread';
import { checkWorkloadMesh, Mesh, meshPodAnnotations } from './mesh';
import { ContainerProps, labelsWithSelector, renderPodTemplate, requireServingProbes, Scheduling, waiverAnnotations } from './pod-template';
import { Placement } from './platform';
import { DisruptionBudget, NetworkPolicyOptions, renderDisruptionBudget, renderNetworkPolicy, renderService, ServiceOptions } from './serving';

export type { EgressRule, NetworkPolicyOptions, ServiceOptions } from './serving';

export type { Spread } from './spread';

export type RolloutStrategy =
  | { readonly type: 'RollingUpdate'; readonly maxSurge: number | string; readonly maxUnavailable: number | string }
  | { readonly type: 'Recreate' };

export interface AutoscalingOptions {
  /** The HPA's name (`my-ch7-app-autoscaler` in the cookbook). @default the Deployment's name */
  readonly name?: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Target average CPU utilization, percent of requests. */
  readonly cpuUtilization: number;
}

export interface IstioOptions {
  readonly hosts: readonly string[];
  /** Service port name the VirtualService routes `/` to. @default the first Service port */
  readonly port?: string;
  /** The Gateway's name. @default `<name>-gateway` */
  readonly gatewayName?: string;
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
  readonly disruptionBudget?: DisruptionBudget;
  /**
   * The app's Service. Leave it out only for a pod that serves nothing and only calls others
   * (emojivoto's vote-bot), which then exposes no port either. @default none
   */
  readonly service?: ServiceOptions;
  /**
   * An Ingress (`networking.k8s.io/v1`) sending `host` to the Service's first port, through the
   * installed controller's class. @default none
   */
  readonly ingress?: { readonly className: string; readonly host: string; readonly annotations?: Readonly<Record<string, string>> };
  /** autoscaling/v2 HPA on CPU; the Deployment then leaves `replicas` to it. @default none */
  readonly autoscaling?: AutoscalingOptions;
  /** Ingress (and egress) allow rules under the namespace's default deny. @default none */
  readonly networkPolicy?: NetworkPolicyOptions;
  /**
   * The service mesh the pods join. `linkerd` annotates the pods `linkerd.io/inject: enabled` (an
   * ANNOTATION, never a label); `istio` relies on the namespace label `istio-injection: enabled`
   * (AppNamespace's `mesh`). Under a NetworkPolicy the sidecars may reach their control plane.
   * @default 'none'
   */
  readonly mesh?: Mesh;
  /** Istio Gateway + VirtualService routing `/` to the Service; requires `mesh: 'istio'`. @default none */
  readonly istio?: IstioOptions;
  readonly scheduling?: Scheduling;
  /** Extra pod template annotations. */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /** Containers run before the app's, e.g. to fetch its code. @default none */
  readonly initContainers?: readonly ContainerProps[];
  /** Pod volumes the containers mount (emptyDir, persistentVolumeClaim). @default none */
  readonly volumes?: readonly Volume[];
  /**
   * Give the pods their own ServiceAccount, named like the Deployment (its token is not mounted):
   * meshes derive a workload's identity from it. @default false — the namespace's `default`
   */
  readonly serviceAccount?: boolean;
}

/** The number a count or percentage is written with: 3 → 3, '25%' → 25 (getIntOrPercentValue upstream). */
function writtenValue(value: number | string): number {
  return typeof value === 'number' ? value : Number(value.slice(0, -1));
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
    this.serviceName = props.service?.name ?? props.name;
    this.selectorLabels = props.selectorLabels ?? { app: props.name };
    const labels = labelsWithSelector(this, this.selectorLabels, { 'app.kubernetes.io/name': this.selectorLabels.app ?? props.name, ...props.labels });
    requireServingProbes(this, props.container);
    const mesh = checkWorkloadMesh(this, props);
    const replicas = this.checkReplicas(props);
    const strategy = props.strategy ?? { type: 'RollingUpdate', maxSurge: 1, maxUnavailable: 0 };
    this.checkRollout(strategy);
    const hostnameSpread = props.hostnameSpread ?? 'preferred';
    this.checkSpread(props, hostnameSpread, strategy, replicas);

    const template = renderPodTemplate(
      this,
      {
        labels,
        annotations: { ...meshPodAnnotations(mesh), ...props.podAnnotations },
        container: props.container,
        initContainers: props.initContainers,
        volumes: props.volumes,
        serviceAccountName: props.serviceAccount ? props.name : undefined,
        placement: props.placement,
        scheduling: { ...props.scheduling, topologySpreadConstraints: [...zoneSpreadConstraints(this.selectorLabels, props.zoneSpread ?? 'preferred'), ...(props.scheduling?.topologySpreadConstraints ?? [])] },
      },
      hostnameAntiAffinity(this.selectorLabels, hostnameSpread),
    );
    const meta = { name: props.name, namespace: props.namespace, labels };
    // Before the Deployment, so its first pods find their ServiceAccount in a one-pass apply.
    if (props.serviceAccount) {
      new Manifest(this, 'ServiceAccount', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta, automountServiceAccountToken: false });
    }
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
    const owner = { name: props.name, namespace: props.namespace, labels, selector: this.selectorLabels };
    const containerPorts = props.container.ports ?? [];
    if (props.service) renderService(this, 'Service', { ...owner, containerPorts, field: 'service' }, props.service);
    else if (containerPorts.length) refuse(this, 'service', `container "${props.container.name}" serves ports but no Service exposes them`, 'add service: { ports: [...] }');
    renderDisruptionBudget(this, owner, props.disruptionBudget ?? { maxUnavailable: 1 }, props.autoscaling?.minReplicas ?? replicas);
    if (props.autoscaling) this.renderAutoscaler(props, labels);
    if (props.networkPolicy) renderNetworkPolicy(this, { ...owner, containerPorts }, props.networkPolicy, mesh);
    if (props.istio) this.renderIstio(props, labels);
    if (props.ingress) this.renderIngress(props, labels);
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

  /** What ValidateRollingUpdateDeployment accepts, and nothing the Deployment controller cannot roll. */
  private checkRollout(strategy: RolloutStrategy): void {
    if (strategy.type !== 'RollingUpdate') return;
    for (const field of ['maxSurge', 'maxUnavailable'] as const) {
      const value = strategy[field];
      // The API server accepts a string only as a percentage (`^[0-9]+%$`, IsValidPercent), and a count only as a whole number.
      if (typeof value === 'string' && !/^\d+%$/.test(value)) refuse(this, `strategy.${field}`, `"${value}" is not a percentage`, "use a count such as 1, or a percentage such as '25%'");
      if (typeof value === 'number' && !Number.isInteger(value)) refuse(this, `strategy.${field}`, `${value} is not a whole number of pods`, "use a count such as 1, or a percentage such as '25%'");
    }
    if (writtenValue(strategy.maxSurge) < 0 || writtenValue(strategy.maxUnavailable) < 0) refuse(this, 'strategy', 'maxSurge and maxUnavailable cannot be negative', 'use 0 or more');
    if (typeof strategy.maxUnavailable === 'string' && writtenValue(strategy.maxUnavailable) > 100) {
      refuse(this, 'strategy.maxUnavailable', `"${strategy.maxUnavailable}" is more than 100%`, "use at most '100%'");
    }
    // The API server refuses both written as 0 ("may not be 0 when maxSurge is 0"). Percentages that
    // only round to 0 pods are accepted, and the Deployment controller (ResolveFenceposts) then takes
    // one pod down at a time, so such a rollout still finishes.
    if (writtenValue(strategy.maxSurge) === 0 && writtenValue(strategy.maxUnavailable) === 0) {
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
    // The controller's surge, ceil(percent × replicas / 100), is at least one pod exactly when maxSurge is written above 0.
    if (strategy.type === 'RollingUpdate' && replicas === nodes && writtenValue(strategy.maxSurge) > 0) {
      refuse(
        this,
        'strategy.maxSurge',
        `with required hostname anti-affinity and ${replicas} replicas on ${where}, the surge pod has no free node, so every rollout hangs`,
        'use maxSurge: 0 and maxUnavailable: 1 (as the books do), or fewer replicas than nodes',
      );
    }
  }

  private renderAutoscaler(props: HaWebAppProps, labels: Record<string, string>): void {
    const hpa = props.autoscaling!;
    new Manifest(this, 'HorizontalPodAutoscaler', {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: hpa.name ?? props.name, namespace: props.namespace, labels },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: props.name },
        minReplicas: hpa.minReplicas,
        maxReplicas: hpa.maxReplicas,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: hpa.cpuUtilization } } }],
      },
    });
  }

  private renderIngress(props: HaWebAppProps, labels: Record<string, string>): void {
    const ingress = props.ingress!;
    const port = props.service?.ports[0];
    if (!port) refuse(this, 'ingress', 'an Ingress needs a Service to send traffic to', 'add service: { ports: [...] }');
    const spec: IngressSpec = {
      ingressClassName: ingress.className,
      rules: [{ host: ingress.host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: this.serviceName, port: { name: port.name } } } }] } }],
    };
    new Manifest(this, 'Ingress', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: props.name, namespace: props.namespace, labels, annotations: ingress.annotations && { ...ingress.annotations } },
      spec,
    });
  }

  private renderIstio(props: HaWebAppProps, labels: Record<string, string>): void {
    const istio = props.istio!;
    const ports = props.service?.ports ?? [];
    const port = istio.port ? ports.find((p) => p.name === istio.port) : ports[0];
    if (!port) refuse(this, 'istio.port', `"${istio.port}" is not a Service port name`, 'name one of service.ports');
    new IstioIngress(this, 'istio', {
      namespace: props.namespace,
      name: props.name,
      gatewayName: istio.gatewayName,
      hosts: istio.hosts,
      serviceName: this.serviceName,
      servicePort: port.port,
      labels,
    });
  }
}
