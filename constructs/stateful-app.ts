import { Construct } from 'constructs';
import { refuse } from './errors';
import { IstioIngress } from './istio-ingress';
import type { PersistentVolumeClaimSpec, StatefulSetSpec } from './k8s';
import { Manifest } from './manifest';
import { checkWorkloadMesh, Mesh, meshPodAnnotations } from './mesh';
import { ContainerProps, labelsWithSelector, renderPodTemplate, requireServingProbes, Scheduling, waiverAnnotations } from './pod-template';
import { Placement } from './platform';
import { DisruptionBudget, NetworkPolicyOptions, renderDisruptionBudget, renderNetworkPolicy, renderService, ServiceOptions } from './serving';
import { hostnameAntiAffinity, Spread, zoneSpreadConstraints } from './spread';

/** A per-pod PersistentVolumeClaim (a StatefulSet volumeClaimTemplate): `<claim>-<name>-<ordinal>`. */
export interface VolumeClaimProps {
  /** The volume name containers mount (`data` in the cookbook). */
  readonly name: string;
  /** Requested size, e.g. `10Gi`. */
  readonly size: string;
  /** @default the cluster's default StorageClass */
  readonly storageClassName?: string;
  /** @default 'ReadWriteOnce' */
  readonly accessMode?: 'ReadWriteOnce' | 'ReadWriteOncePod' | 'ReadWriteMany';
}

export interface StatefulIstioOptions {
  readonly hosts: readonly string[];
  /** The VirtualService's name. @default the app name */
  readonly name?: string;
  /** The Gateway's name. @default `<name>-gateway` */
  readonly gatewayName?: string;
  /** The Service (one of `services`, or the headless one) and port name `/` goes to. @default the headless Service's first port */
  readonly service?: string;
  readonly port?: string;
}

export interface StatefulAppProps {
  readonly namespace: string;
  /** StatefulSet name; pods are `<name>-0`, `<name>-1`... */
  readonly name: string;
  /** Pod labels the selectors use, fixed for the life of the StatefulSet. @default { app: name } */
  readonly selectorLabels?: Readonly<Record<string, string>>;
  /** Extra labels on every object. */
  readonly labels?: Readonly<Record<string, string>>;
  readonly container: ContainerProps;
  /** From MixedArchCluster: the OS/arch constraints and how many nodes can take a pod. */
  readonly placement: Placement;
  /** @default 2 */
  readonly replicas?: number;
  /** Allow fewer than 2 replicas: one pod owning its data (a single database). @default false */
  readonly nonHa?: boolean;
  /** One claim per pod and name; containers mount them by name. At least one: state is the point. */
  readonly claims: readonly VolumeClaimProps[];
  /**
   * The governing headless Service (`clusterIP: None`) that gives each pod its DNS name
   * `<pod>.<service>.<namespace>.svc`: its name and ports. @default name, every container port
   */
  readonly headlessService?: { readonly name?: string; readonly ports?: readonly { readonly name: string; readonly port: number }[] };
  /**
   * Publish the pods' DNS names before they are ready. Peers that must find each other to become
   * ready (a distributed MinIO waiting for quorum) need it. @default false
   */
  readonly publishNotReadyAddresses?: boolean;
  /** `Parallel` starts all pods at once (peers that wait for each other deadlock under OrderedReady). @default 'OrderedReady' */
  readonly podManagementPolicy?: 'OrderedReady' | 'Parallel';
  /** Pod anti-affinity on `kubernetes.io/hostname`. @default 'preferred' */
  readonly hostnameSpread?: Spread;
  /** Topology spread on `topology.kubernetes.io/zone`. @default 'preferred' */
  readonly zoneSpread?: Spread;
  /** @default maxUnavailable 1 */
  readonly disruptionBudget?: DisruptionBudget;
  /** Client Services besides the headless one (the cookbook's LoadBalancer `minio-service`). @default none */
  readonly services?: readonly ServiceOptions[];
  /** Ingress (and egress) allow rules under the namespace's default deny. @default none */
  readonly networkPolicy?: NetworkPolicyOptions;
  /** @default 'none' — see HaWebApp's `mesh` */
  readonly mesh?: Mesh;
  /** Istio Gateway + VirtualService; requires `mesh: 'istio'`. @default none */
  readonly istio?: StatefulIstioOptions;
  readonly scheduling?: Scheduling;
  /** Seconds a pod gets to flush and stop (databases need more than the default). @default 30 */
  readonly terminationGracePeriodSeconds?: number;
}

/**
 * A replicated stateful workload: a StatefulSet with one PersistentVolumeClaim per pod and claim,
 * its governing headless Service, a PodDisruptionBudget, optional client Services, NetworkPolicy and
 * Istio routing. Claims outlive the StatefulSet (retention `Retain`): deleting it never deletes data.
 */
export class StatefulApp extends Construct {
  readonly statefulSetName: string;
  readonly headlessServiceName: string;
  readonly selectorLabels: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: StatefulAppProps) {
    super(scope, id);
    this.statefulSetName = props.name;
    this.headlessServiceName = props.headlessService?.name ?? props.name;
    this.selectorLabels = props.selectorLabels ?? { app: props.name };
    const labels = labelsWithSelector(this, this.selectorLabels, { 'app.kubernetes.io/name': this.selectorLabels.app ?? props.name, ...props.labels });
    requireServingProbes(this, props.container);
    const mesh = checkWorkloadMesh(this, props);
    const replicas = this.checkReplicas(props);
    const hostnameSpread = props.hostnameSpread ?? 'preferred';
    if (hostnameSpread === 'required' && replicas > props.placement.eligibleNodes) {
      refuse(
        this,
        'replicas',
        `${replicas} pods with required hostname anti-affinity can never all schedule on the ${props.placement.eligibleNodes} node(s) of pool(s) ${props.placement.pools.join(', ')}`,
        `lower it to ${props.placement.eligibleNodes}, use hostnameSpread: 'preferred', or grow the pool`,
      );
    }
    const claims = this.checkClaims(props);

    const template = renderPodTemplate(
      this,
      {
        labels,
        annotations: meshPodAnnotations(mesh),
        container: props.container,
        claimTemplates: claims.map((c) => c.name),
        placement: props.placement,
        terminationGracePeriodSeconds: props.terminationGracePeriodSeconds,
        scheduling: {
          ...props.scheduling,
          topologySpreadConstraints: [...zoneSpreadConstraints(this.selectorLabels, props.zoneSpread ?? 'preferred'), ...(props.scheduling?.topologySpreadConstraints ?? [])],
        },
      },
      hostnameAntiAffinity(this.selectorLabels, hostnameSpread),
    );
    const owner = { name: props.name, namespace: props.namespace, labels, selector: this.selectorLabels };
    const containerPorts = props.container.ports ?? [];
    const headlessPorts = props.headlessService?.ports ?? containerPorts.map((p) => ({ name: p.name, port: p.containerPort }));
    // Before the StatefulSet: it names this Service as the one giving its pods their DNS names.
    renderService(
      this,
      'HeadlessService',
      { ...owner, containerPorts, field: 'headlessService' },
      { name: this.headlessServiceName, ports: headlessPorts },
      { clusterIP: 'None', publishNotReadyAddresses: props.publishNotReadyAddresses || undefined },
    );
    const spec: StatefulSetSpec = {
      serviceName: this.headlessServiceName,
      replicas,
      revisionHistoryLimit: 5,
      podManagementPolicy: props.podManagementPolicy ?? 'OrderedReady',
      selector: { matchLabels: { ...this.selectorLabels } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      template,
      volumeClaimTemplates: claims.map((c) => ({
        metadata: { name: c.name, labels: { ...labels } },
        spec: {
          accessModes: [c.accessMode ?? 'ReadWriteOnce'],
          storageClassName: c.storageClassName,
          resources: { requests: { storage: c.size } },
        } satisfies PersistentVolumeClaimSpec,
      })),
    };
    new Manifest(this, 'StatefulSet', {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: props.name, namespace: props.namespace, labels, annotations: waiverAnnotations(props.container) },
      spec,
    });
    (props.services ?? []).forEach((svc, i) => {
      if ((svc.name ?? props.name) === this.headlessServiceName) {
        refuse(this, `services[${i}].name`, `"${this.headlessServiceName}" is the headless Service's name`, 'give the client Service its own name (the cookbook uses minio-service)');
      }
      renderService(this, `Service-${svc.name ?? props.name}`, { ...owner, containerPorts, field: `services[${i}]` }, svc);
    });
    renderDisruptionBudget(this, owner, props.disruptionBudget ?? { maxUnavailable: 1 }, replicas);
    if (props.networkPolicy) renderNetworkPolicy(this, { ...owner, containerPorts }, props.networkPolicy, mesh);
    if (props.istio) this.renderIstio(props, labels, headlessPorts);
  }

  private checkReplicas(props: StatefulAppProps): number {
    const replicas = props.replicas ?? 2;
    const min = props.nonHa ? 1 : 2;
    if (!Number.isInteger(replicas) || replicas < min) {
      refuse(this, 'replicas', `${replicas} replicas is not highly available`, props.nonHa ? 'use at least 1' : 'use at least 2 replicas, or set nonHa: true for one pod owning its data');
    }
    return replicas;
  }

  private checkClaims(props: StatefulAppProps): readonly VolumeClaimProps[] {
    if (!props.claims.length) refuse(this, 'claims', 'a StatefulApp without a claim keeps no state', 'add a claim (e.g. { name: "data", size: "10Gi" }), or use HaWebApp');
    const names = new Set<string>();
    for (const c of props.claims) {
      if (names.has(c.name)) refuse(this, `claims[${c.name}]`, `claim "${c.name}" is declared twice`, 'give every claim its own name');
      names.add(c.name);
      if (!/^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)$/.test(c.size)) {
        refuse(this, `claims[${c.name}].size`, `"${c.size}" is not a storage quantity`, "use a size with a unit, e.g. '10Gi'");
      }
      if (!(props.container.mounts ?? []).some((m) => m.volume === c.name)) {
        refuse(this, `claims[${c.name}]`, `no container mounts claim "${c.name}", so its volume is provisioned for nothing`, `mount it: container.mounts: [{ volume: '${c.name}', mountPath: '/data' }]`);
      }
    }
    return props.claims;
  }

  private renderIstio(props: StatefulAppProps, labels: Record<string, string>, headlessPorts: readonly { name: string; port: number }[]): void {
    const istio = props.istio!;
    const serviceName = istio.service ?? this.headlessServiceName;
    const ports = serviceName === this.headlessServiceName ? headlessPorts : props.services?.find((s) => (s.name ?? props.name) === serviceName)?.ports;
    if (!ports) refuse(this, 'istio.service', `"${serviceName}" is not a Service of this app`, `name ${[this.headlessServiceName, ...(props.services ?? []).map((s) => s.name ?? props.name)].join(' or ')}`);
    const port = istio.port ? ports.find((p) => p.name === istio.port) : ports[0];
    if (!port) refuse(this, 'istio.port', `"${istio.port}" is not a port of Service ${serviceName}`, `name one of ${ports.map((p) => p.name).join(', ')}`);
    new IstioIngress(this, 'istio', {
      namespace: props.namespace,
      name: istio.name ?? props.name,
      gatewayName: istio.gatewayName,
      hosts: istio.hosts,
      serviceName,
      servicePort: port.port,
      labels,
    });
  }
}
