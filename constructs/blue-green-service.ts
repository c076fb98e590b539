import { Construct, IConstruct } from 'constructs';
import { refuse } from './errors';
import type { Affinity, ServicePort } from './k8s';
import { Manifest } from './manifest';
import { Peer, renderPeer } from './network-peer';
import { ContainerProps, labelsWithSelector, renderPodTemplate, requireServingProbes, waiverAnnotations } from './pod-template';
import { Placement } from './platform';
import { refuseRepeatedServicePorts } from './serving';

export type Slot = 'blue' | 'green';

export const SLOTS: readonly Slot[] = ['blue', 'green'];

/** The live Service's annotation (the VirtualService's in Istio weighted mode) naming the live slot. */
export const LIVE_SLOT_ANNOTATION = 'k8s-book-systems.io/live-slot';

export interface SlotProps {
  /** The slot's container; slots differ by image tag, and must expose the same port names. */
  readonly container: ContainerProps;
  /**
   * Value of the `version` label on the slot's pod template (the book labels pods `version: 0.0.1`).
   * Template only, never in a selector: selectors are immutable. @default no version label
   */
  readonly version?: string;
  /** @default the construct's `replicas` */
  readonly replicas?: number;
}

export interface BlueGreenServicePort {
  readonly name: string;
  readonly port: number;
  /** Container port name, common to both slots. @default `name` */
  readonly targetPort?: string;
}

export interface BlueGreenServiceProps {
  readonly namespace: string;
  /** The live Service's name (`ver` in the book); Deployments and PDBs are `<name>-<slot>`. */
  readonly name: string;
  /** The `app` label of every pod, in every selector. @default `name` */
  readonly app?: string;
  /** Extra labels on every object (never in selectors). */
  readonly labels?: Readonly<Record<string, string>>;
  /** The slots. Both are usually defined; a first release may define only the active one. */
  readonly slots: { readonly blue?: SlotProps; readonly green?: SlotProps };
  /** THE switch: the slot the live Service (or the Istio route) sends traffic to. */
  readonly active: Slot;
  /** From MixedArchCluster: the OS/arch constraints of both slots. */
  readonly placement: Placement;
  /** Replicas of each slot. @default 2 */
  readonly replicas?: number;
  /** Allow fewer than 2 replicas in the active slot: explicitly not highly available. @default false */
  readonly nonHa?: boolean;
  /**
   * Run the idle slot at 0 replicas. Its PDB (maxUnavailable 1) then covers no pod and blocks no
   * drain. Switching then also changes both slots' replicas: scale the idle slot up before flipping
   * `active`, or the live Service points at pods that are still starting (synthesis refuses that
   * one-step flip against the committed dist/: rule `blue-green-flip`). @default false
   */
  readonly scaleIdleToZero?: boolean;
  /**
   * A ClusterIP Service per slot, `<name>-<slot>`, pinned to its slot: the idle slot's one is the
   * preview endpoint. Pinned, not following the idle slot, so a switch changes no preview object.
   * @default false
   */
  readonly preview?: boolean;
  /** The live Service's ports (ClusterIP), each targeting a container port by name. */
  readonly service: { readonly ports: readonly BlueGreenServicePort[] };
  /**
   * `selector`: the live Service selects `{app, slot: <active>}`; a switch edits that selector.
   * `istio-weighted`: the live Service selects `{app}` (both slots), a DestinationRule defines one
   * subset per slot and a VirtualService weights them 100/0; a switch edits the weights. Only mesh
   * clients see the weights, so the namespace must inject the Istio sidecar. @default 'selector'
   */
  readonly routing?: 'selector' | 'istio-weighted';
  /** Peers allowed to reach the container ports, under the namespace's default deny. @default no NetworkPolicy */
  readonly ingressFrom?: readonly Peer[];
}

const portNames = (slot: { readonly container: ContainerProps }) => (slot.container.ports ?? []).map((p) => p.name).sort();

/**
 * The live Service's ports of a two-slot app (BlueGreenService, StatefulBlueGreen): refuses slots that
 * disagree on port names (a switch would break the named targetPorts), targets no slot exposes, and
 * ports the API server would reject as repeated.
 */
export function liveServicePorts(
  scope: IConstruct,
  active: Slot,
  slots: { readonly [S in Slot]?: { readonly container: ContainerProps } },
  servicePorts: readonly BlueGreenServicePort[],
): ServicePort[] {
  const live = slots[active]!;
  const names = portNames(live);
  for (const slot of SLOTS) {
    const other = slots[slot];
    if (other && portNames(other).join() !== names.join()) {
      refuse(
        scope,
        `slots.${slot}.container.ports`,
        `slot ${slot} exposes ports [${portNames(other).join(', ')}] but the live slot ${active} exposes [${names.join(', ')}], so a switch would break the Service's named targetPorts`,
        'give both slots the same port names',
      );
    }
  }
  if (!servicePorts.length) refuse(scope, 'service.ports', 'the live Service exposes no port', 'list at least one port');
  const ports = servicePorts.map((p) => {
    const target = p.targetPort ?? p.name;
    const cp = live.container.ports?.find((c) => c.name === target);
    if (!cp) refuse(scope, `service.ports[${p.name}].targetPort`, `"${target}" is not a port both slots expose (${names.join(', ') || 'none'})`, 'target a named container port of the slots');
    return { name: p.name, port: p.port, targetPort: target, protocol: cp.protocol ?? 'TCP' };
  });
  refuseRepeatedServicePorts(scope, 'service.ports', ports);
  return ports;
}

/**
 * Blue/green for one app: a Deployment, PodDisruptionBudget (and optional preview Service) per
 * slot, all fixed for the life of the app, and one live Service whose selector names the active
 * slot. Switching is the `active` prop alone: in `selector` routing it changes the live Service's
 * selector and its live-slot annotation, nothing else.
 */
export class BlueGreenService extends Construct {
  readonly serviceName: string;
  readonly app: string;

  constructor(scope: Construct, id: string, props: BlueGreenServiceProps) {
    super(scope, id);
    this.serviceName = props.name;
    this.app = props.app ?? props.name;
    const active = props.slots[props.active];
    if (!active) {
      const defined = SLOTS.filter((s) => props.slots[s]);
      refuse(this, 'active', `slot "${props.active}" is live but not defined (defined: ${defined.join(', ') || 'none'})`, `define slots.${props.active}, or set active to a defined slot`);
    }
    const ports = liveServicePorts(this, props.active, props.slots, props.service.ports);
    const labels = labelsWithSelector(this, { app: this.app }, { 'app.kubernetes.io/name': this.app, ...props.labels });
    const weighted = props.routing === 'istio-weighted';
    const live: Record<string, string> = weighted ? { app: this.app } : { app: this.app, slot: props.active };
    new Manifest(this, 'Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: props.name, namespace: props.namespace, labels, annotations: weighted ? undefined : { [LIVE_SLOT_ANNOTATION]: props.active } },
      spec: { type: 'ClusterIP', selector: live, ports },
    });
    for (const slot of SLOTS) {
      const slotProps = props.slots[slot];
      if (slotProps) this.renderSlot(props, slot, slotProps, labels, ports);
    }
    if (weighted) this.renderIstio(props, labels);
    if (props.ingressFrom) this.renderNetworkPolicy(props, labels, active);
  }

  private replicasOf(props: BlueGreenServiceProps, slot: Slot, slotProps: SlotProps): number {
    const field = slotProps.replicas === undefined ? 'replicas' : `slots.${slot}.replicas`;
    const replicas = slotProps.replicas ?? props.replicas ?? 2;
    if (!Number.isInteger(replicas) || replicas < 0) refuse(this, field, `${replicas} is not a replica count`, 'use a whole number');
    if (slot !== props.active) return props.scaleIdleToZero ? 0 : replicas;
    if (replicas < 2 && !props.nonHa) {
      refuse(this, field, `the live slot ${slot} runs ${replicas} replica(s), which is not highly available`, 'use at least 2 replicas, or set nonHa: true to run a single pod on purpose');
    }
    if (replicas < 1) refuse(this, field, `the live slot ${slot} runs no pod, so the live Service has no endpoint`, 'use at least 1 replica');
    return replicas;
  }

  private renderSlot(props: BlueGreenServiceProps, slot: Slot, slotProps: SlotProps, labels: Record<string, string>, ports: ServicePort[]): void {
    const scope = new Construct(this, slot);
    requireServingProbes(scope, slotProps.container);
    const name = `${props.name}-${slot}`;
    const selector = { app: this.app, slot };
    const slotLabels = { ...labels, slot };
    // Spread each slot on its own: the live slot must survive a node or zone loss by itself.
    const affinity: Affinity = {
      podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: { matchLabels: selector }, topologyKey: 'kubernetes.io/hostname' } }] },
    };
    const template = renderPodTemplate(
      scope,
      {
        labels: slotProps.version === undefined ? slotLabels : { ...slotLabels, version: slotProps.version },
        container: slotProps.container,
        placement: props.placement,
        scheduling: {
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector } }],
        },
      },
      affinity,
    );
    const meta = { name, namespace: props.namespace, labels: slotLabels };
    new Manifest(scope, 'Deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { ...meta, annotations: waiverAnnotations(slotProps.container) },
      spec: {
        replicas: this.replicasOf(props, slot, slotProps),
        revisionHistoryLimit: 5,
        // Both labels from the first release: a selector cannot change once the Deployment exists.
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        template,
      },
    });
    // maxUnavailable, not minAvailable: the same budget is right for the live slot and for an idle
    // slot scaled to 0 (no pod to evict, so it blocks nothing), and a switch never has to edit it.
    new Manifest(scope, 'PodDisruptionBudget', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: meta,
      spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
    });
    if (props.preview) {
      new Manifest(scope, 'Service', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: meta,
        spec: { type: 'ClusterIP', selector, ports },
      });
    }
  }

  private renderIstio(props: BlueGreenServiceProps, labels: Record<string, string>): void {
    const meta = { name: props.name, namespace: props.namespace, labels };
    new Manifest(this, 'DestinationRule', {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'DestinationRule',
      metadata: meta,
      spec: { host: props.name, subsets: SLOTS.map((slot) => ({ name: slot, labels: { slot } })) },
    });
    new Manifest(this, 'VirtualService', {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'VirtualService',
      metadata: { ...meta, annotations: { [LIVE_SLOT_ANNOTATION]: props.active } },
      spec: {
        hosts: [props.name],
        http: [{ route: SLOTS.map((slot) => ({ destination: { host: props.name, subset: slot }, weight: slot === props.active ? 100 : 0 })) }],
      },
    });
  }

  private renderNetworkPolicy(props: BlueGreenServiceProps, labels: Record<string, string>, active: SlotProps): void {
    const from = props.ingressFrom!;
    if (!from.length) refuse(this, 'ingressFrom', 'no peer may reach the app, so its Service is dead', 'list who may connect, e.g. cluster');
    new Manifest(this, 'NetworkPolicy', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: props.name, namespace: props.namespace, labels },
      spec: {
        // Both slots: the idle one is reached through its preview Service.
        podSelector: { matchLabels: { app: this.app } },
        policyTypes: ['Ingress'],
        ingress: [{ from: from.map(renderPeer), ports: (active.container.ports ?? []).map((p) => ({ port: p.name, protocol: p.protocol ?? 'TCP' })) }],
      },
    });
  }
}
