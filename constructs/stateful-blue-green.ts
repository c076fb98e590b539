import { Construct } from 'constructs';
import { LIVE_SLOT_ANNOTATION, liveServicePorts, Slot, SLOTS } from './blue-green-service';
import { refuse } from './errors';
import type { PersistentVolumeClaimSpec, ServicePort } from './k8s';
import { Manifest } from './manifest';
import { Peer, renderPeer } from './network-peer';
import { ContainerProps, labelsWithSelector, renderPodTemplate, requireServingProbes, waiverAnnotations } from './pod-template';
import { Placement } from './platform';

/** The CSI snapshot API (external-snapshotter v4+), served by the snapshot controller's CRDs. */
export const SNAPSHOT_API = 'snapshot.storage.k8s.io/v1';

export interface SlotClaimProps {
  /** The claim's name, fixed for the life of the slot (`demo-vol1-claim` in the cookbook). */
  readonly name: string;
  /** Requested size, e.g. `5Gi`; a clone is at least as large as its snapshot's source. */
  readonly size: string;
  /** Where the container mounts the volume, e.g. `/var/lib/mysql`. */
  readonly mountPath: string;
  /** Mount a subdirectory (databases refuse a data directory holding the filesystem's `lost+found`). @default the volume's root */
  readonly subPath?: string;
  /**
   * The claim starts as a copy of the other slot's data: a PVC whose `dataSource` is a VolumeSnapshot
   * of the other slot's claim (the construct renders that VolumeSnapshot). @default a new, empty volume
   */
  readonly cloneOf?: {
    readonly slot: Slot;
    /** The VolumeSnapshot's name. @default `snapshot-<slot>` (the cookbook's `snapshot-blue`) */
    readonly snapshot?: string;
  };
}

export interface DataSlotProps {
  /** The slot's database container; slots differ by image tag and must expose the same port names. */
  readonly container: ContainerProps;
  readonly claim: SlotClaimProps;
  /** Value of the `version` label on the slot's pods (template only, never in a selector). @default none */
  readonly version?: string;
}

export interface StatefulBlueGreenProps {
  readonly namespace: string;
  /** The live Service's name (`percona`); Deployments are `<name>-<slot>`. */
  readonly name: string;
  /** The `app` label of every pod, in every selector. @default `name` */
  readonly app?: string;
  /** Extra labels on every object (never in selectors). */
  readonly labels?: Readonly<Record<string, string>>;
  readonly slots: { readonly blue?: DataSlotProps; readonly green?: DataSlotProps };
  /**
   * THE switch: the slot the live Service selects. Refused unless that slot's data descends from the
   * other slot's: either it is the clone (the flip) or the other is cloned from it (the rollback).
   */
  readonly active: Slot;
  /** From MixedArchCluster: the OS/arch constraints of both slots. */
  readonly placement: Placement;
  /** A StorageClass whose CSI driver can snapshot and restore (e.g. EBS CSI `gp3`). */
  readonly storageClassName: string;
  /** The VolumeSnapshotClass of that driver. Required once a slot is cloned. */
  readonly volumeSnapshotClassName?: string;
  /** The live Service's ports (ClusterIP), each targeting a container port name both slots expose. */
  readonly service: { readonly ports: readonly { readonly name: string; readonly port: number; readonly targetPort?: string }[] };
  /** A ClusterIP Service per slot, `<name>-<slot>`, to test a slot before it goes live. @default false */
  readonly preview?: boolean;
  /** Peers allowed to reach the database port, under the namespace's default deny. @default no NetworkPolicy */
  readonly ingressFrom?: readonly Peer[];
  /**
   * Pods of this namespace that use the database (the cookbook's load generator), by label: they may
   * reach it under the namespace's default deny (an egress policy for them, ingress for the slots).
   * @default none
   */
  readonly clientPods?: Readonly<Record<string, string>>;
  /** Seconds the database gets to flush and stop. @default 60 */
  readonly terminationGracePeriodSeconds?: number;
}

const DATA_VOLUME = 'data';
const SIZE = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)$/;
const UNITS: Record<string, number> = { k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };

const other = (slot: Slot): Slot => (slot === 'blue' ? 'green' : 'blue');

/**
 * Blue/green for a database (the cookbook's percona): per slot a single-pod Deployment (Recreate: the
 * ReadWriteOnce volume attaches to one pod at a time) on its own PersistentVolumeClaim, and one live
 * Service selecting `{app, slot: <active>}`. The idle slot's claim is cloned from a VolumeSnapshot of
 * the live slot's claim, so it starts with the live data; flipping `active` changes only the live
 * Service's selector and its live-slot annotation.
 */
export class StatefulBlueGreen extends Construct {
  readonly serviceName: string;
  readonly app: string;

  constructor(scope: Construct, id: string, props: StatefulBlueGreenProps) {
    super(scope, id);
    this.serviceName = props.name;
    this.app = props.app ?? props.name;
    const active = props.slots[props.active];
    if (!active) {
      const defined = SLOTS.filter((s) => props.slots[s]);
      refuse(this, 'active', `slot "${props.active}" is live but not defined (defined: ${defined.join(', ') || 'none'})`, `define slots.${props.active}, or set active to a defined slot`);
    }
    for (const slot of SLOTS) this.checkClaim(props, slot);
    this.checkFlip(props);
    const ports = liveServicePorts(this, props.active, props.slots, props.service.ports);
    const labels = labelsWithSelector(this, { app: this.app }, { 'app.kubernetes.io/name': this.app, ...props.labels });
    new Manifest(this, 'Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: props.name, namespace: props.namespace, labels, annotations: { [LIVE_SLOT_ANNOTATION]: props.active } },
      spec: { type: 'ClusterIP', selector: { app: this.app, slot: props.active }, ports },
    });
    for (const slot of SLOTS) {
      const slotProps = props.slots[slot];
      if (slotProps) this.renderSlot(props, slot, slotProps, labels, ports);
    }
    if (props.ingressFrom || props.clientPods) this.renderNetworkPolicy(props, labels, active);
  }

  private checkClaim(props: StatefulBlueGreenProps, slot: Slot): void {
    const claim = props.slots[slot]?.claim;
    if (!claim) return;
    const field = `slots.${slot}.claim`;
    if (!SIZE.test(claim.size)) refuse(this, `${field}.size`, `"${claim.size}" is not a storage quantity`, "use a size with a unit, e.g. '5Gi'");
    if (!claim.cloneOf) return;
    const source = props.slots[claim.cloneOf.slot]?.claim;
    if (claim.cloneOf.slot === slot) {
      refuse(this, `${field}.cloneOf.slot`, `slot ${slot}'s claim cannot be cloned from a snapshot of itself`, `clone it from ${other(slot)}, or drop cloneOf for a new volume`);
    }
    if (!source) {
      refuse(this, `${field}.cloneOf.slot`, `slot ${slot}'s claim is cloned from slot ${claim.cloneOf.slot}, which is not defined, so there is no volume to snapshot`, `define slots.${claim.cloneOf.slot}`);
    }
    if (!props.volumeSnapshotClassName) {
      refuse(this, 'volumeSnapshotClassName', `slot ${slot}'s claim is cloned from a snapshot, but no VolumeSnapshotClass is named`, "name the storage driver's VolumeSnapshotClass (e.g. 'ebs-csi')");
    }
    if (bytes(claim.size) < bytes(source.size)) {
      refuse(this, `${field}.size`, `${claim.size} is smaller than the ${source.size} of the snapshot's source claim ${source.name}, and a restore cannot shrink a volume`, `request at least ${source.size}`);
    }
  }

  /** The live slot's data must descend from the other slot's, or the other's from it. */
  private checkFlip(props: StatefulBlueGreenProps): void {
    const live = props.active;
    const idle = other(live);
    const liveSlot = props.slots[live]!;
    const idleSlot = props.slots[idle];
    if (!idleSlot) return;
    if (liveSlot.claim.cloneOf?.slot === idle || idleSlot.claim.cloneOf?.slot === live) return;
    refuse(
      this,
      'active',
      `slot ${live}'s claim "${liveSlot.claim.name}" is not cloned from a snapshot of slot ${idle}'s claim "${idleSlot.claim.name}" (nor ${idle}'s from ${live}'s), so the live Service ${props.name} would switch to a database without ${idle}'s data`,
      `clone the target slot's claim first: slots.${live}.claim.cloneOf: { slot: '${idle}' } under a new claim name, apply, wait for the restore, then flip active`,
    );
  }

  private renderSlot(props: StatefulBlueGreenProps, slot: Slot, slotProps: DataSlotProps, labels: Record<string, string>, ports: ServicePort[]): void {
    const scope = new Construct(this, slot);
    requireServingProbes(scope, slotProps.container);
    const name = `${props.name}-${slot}`;
    const selector = { app: this.app, slot };
    const slotLabels = { ...labels, slot };
    const claim = slotProps.claim;
    if (claim.cloneOf) {
      const source = props.slots[claim.cloneOf.slot]!.claim;
      new Manifest(scope, 'VolumeSnapshot', {
        apiVersion: SNAPSHOT_API,
        kind: 'VolumeSnapshot',
        metadata: { name: snapshotName(claim), namespace: props.namespace, labels: { ...labels, slot: claim.cloneOf.slot } },
        spec: { volumeSnapshotClassName: props.volumeSnapshotClassName, source: { persistentVolumeClaimName: source.name } },
      });
    }
    const claimSpec: PersistentVolumeClaimSpec = {
      accessModes: ['ReadWriteOnce'],
      storageClassName: props.storageClassName,
      resources: { requests: { storage: claim.size } },
      dataSource: claim.cloneOf ? { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: snapshotName(claim) } : undefined,
    };
    new Manifest(scope, 'PersistentVolumeClaim', {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: claim.name, namespace: props.namespace, labels: slotLabels },
      spec: claimSpec,
    });
    const container: ContainerProps = {
      ...slotProps.container,
      mounts: [...(slotProps.container.mounts ?? []), { volume: DATA_VOLUME, mountPath: claim.mountPath, subPath: claim.subPath }],
    };
    const template = renderPodTemplate(scope, {
      labels: slotProps.version === undefined ? slotLabels : { ...slotLabels, version: slotProps.version },
      container,
      volumes: [{ name: DATA_VOLUME, persistentVolumeClaim: { claimName: claim.name } }],
      placement: props.placement,
      terminationGracePeriodSeconds: props.terminationGracePeriodSeconds ?? 60,
    });
    new Manifest(scope, 'Deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: props.namespace, labels: slotLabels, annotations: waiverAnnotations(slotProps.container) },
      spec: {
        // One database process per volume: the claim is ReadWriteOnce, and two mysqld on one data
        // directory corrupt it, so the old pod stops before the new one starts.
        replicas: 1,
        revisionHistoryLimit: 5,
        selector: { matchLabels: selector },
        strategy: { type: 'Recreate' },
        template,
      },
    });
    if (props.preview) {
      new Manifest(scope, 'Service', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name, namespace: props.namespace, labels: slotLabels },
        spec: { type: 'ClusterIP', selector, ports },
      });
    }
  }

  private renderNetworkPolicy(props: StatefulBlueGreenProps, labels: Record<string, string>, active: DataSlotProps): void {
    const from: Peer[] = [...(props.ingressFrom ?? []), ...(props.clientPods ? [{ podLabels: props.clientPods }] : [])];
    if (!from.length) refuse(this, 'ingressFrom', 'no peer may reach the database, so its Service is dead', 'list who may connect, e.g. same-namespace');
    const ports = (active.container.ports ?? []).map((p) => ({ port: p.containerPort, protocol: p.protocol ?? 'TCP' }));
    if (props.clientPods) {
      new Manifest(this, 'ClientNetworkPolicy', {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: `${props.name}-clients`, namespace: props.namespace, labels },
        spec: {
          podSelector: { matchLabels: { ...props.clientPods } },
          policyTypes: ['Egress'],
          egress: [{ to: [{ podSelector: { matchLabels: { app: this.app } } }], ports }],
        },
      });
    }
    new Manifest(this, 'NetworkPolicy', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: props.name, namespace: props.namespace, labels },
      spec: {
        podSelector: { matchLabels: { app: this.app } },
        policyTypes: ['Ingress'],
        ingress: [{ from: from.map(renderPeer), ports: (active.container.ports ?? []).map((p) => ({ port: p.name, protocol: p.protocol ?? 'TCP' })) }],
      },
    });
  }
}

function snapshotName(claim: SlotClaimProps): string {
  return claim.cloneOf!.snapshot ?? `snapshot-${claim.cloneOf!.slot}`;
}

function bytes(size: string): number {
  const m = SIZE.exec(size)!;
  return Number(m[1]) * UNITS[m[2]];
}
