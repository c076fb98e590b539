/**
 * The ONE schema of the environment model. The TypeScript types (`types.ts`) are inferred from it,
 * and `npm run synth`, `npm run plan` and `npm run edge:nodes` check every environment against it
 * at run time (`validate.ts`), because tsx strips types: a typo in `environments/<env>.ts` would
 * otherwise synthesize silently.
 *
 * Every message here is `problem` + FIX + `fix`, so `validate.ts` can report both halves.
 */
import { z } from 'zod';
import { Ipv4Network, networkOf, overlap, parseIpv4, parseIpv4Network } from '../contracts/cidr';

// A run parses a few environments once: compiling zod's fast paths (new Function) costs more than it saves.
z.config({ jitless: true });

/** Separates the problem from the fix inside a schema message (never printed). */
export const FIX = '\u001f';
const say = (problem: string, fix: string) => `${problem}${FIX}${fix}`;

/** A DNS-1123 label: safe as a path segment (`dist/<env>/`), an AWS name part and a label value. */
export const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const name = (example: string) =>
  z.string().regex(NAME, {
    error: (iss) =>
      say(
        `${JSON.stringify(iss.input)} is not a lowercase name (it becomes a folder, AWS and Kubernetes name)`,
        `use 1-63 lowercase letters, digits and "-", starting and ending with a letter or digit, e.g. "${example}"`,
      ),
  });

const text = (example: string) =>
  z.string().trim().min(1, { error: say('is empty', `write a value, e.g. "${example}"`) });

/**
 * Runs a cross-field check unless a field it reads is itself invalid, so one wrong value never hides
 * the other problems (zod skips refinements of an object with issues, unless told `when`).
 */
function unlessInvalid(...fields: string[]) {
  const conflicts = (issuePath: string) => fields.some((f) => f === issuePath || f.startsWith(`${issuePath}.`) || issuePath.startsWith(`${f}.`));
  return { when: (payload: z.core.ParsePayload) => !payload.issues.some((i) => conflicts((i.path ?? []).join('.'))) };
}

const count = (min = 0) => z.int().min(min);
const nodePort = z
  .int()
  .min(30000, { error: (iss) => say(`${iss.input} is outside the NodePort range 30000-32767`, 'pick a free port in 30000-32767') })
  .max(32767, { error: (iss) => say(`${iss.input} is outside the NodePort range 30000-32767`, 'pick a free port in 30000-32767') });

const ipv4 = z.string().refine((s) => parseIpv4(s) !== undefined, {
  error: (iss) => say(`${JSON.stringify(iss.input)} is not an IPv4 address`, 'write a.b.c.d, e.g. "192.168.1.1"'),
});
const cidr = z.string().refine((s) => parseIpv4Network(s) !== undefined, {
  error: (iss) =>
    say(`${JSON.stringify(iss.input)} is not an IPv4 network in CIDR notation`, 'write a.b.c.d/n with no host bits set, e.g. "10.244.0.0/16"'),
});

/** Kubernetes label keys and values (the node labels a pool's kubelets register with). */
const labelKey = z.string().regex(/^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, {
  error: (iss) => say(`${JSON.stringify(iss.input)} is not a label key`, 'use [prefix/]name, e.g. "workload-class"'),
});
const labelValue = z.string().regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/, {
  error: (iss) => say(`${JSON.stringify(iss.input)} is not a label value`, 'use at most 63 letters, digits, "-", "_" and "."'),
});
const labels = z.record(labelKey, labelValue).readonly();

export const Os = z.enum(['linux', 'windows']);
export const Arch = z.enum(['amd64', 'arm64']);
const windowsBuild = z.string().regex(/^10\.0\.\d+$/, {
  error: (iss) => say(`${JSON.stringify(iss.input)} is not a Windows build`, 'use the build of the image family, e.g. "10.0.17763" (Server 2019)'),
});

/** A platform a container image runs on, e.g. `linux/arm64`. */
export const Platform = z
  .strictObject({
    os: Os,
    arch: Arch,
    /** Windows build a Windows image is tied to (`10.0.17763` = Server 2019 / `1809` images). */
    windowsBuild: windowsBuild.optional(),
  })
  .readonly();

export const TaintEffect = z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);
export const Taint = z.strictObject({ key: labelKey, value: labelValue.optional(), effect: TaintEffect }).readonly();

/** One group of identical worker nodes (an auto scaling group on AWS). */
export const NodePool = z
  .strictObject({
    /** DNS-1123 name, used in AWS resource names and the `node-pool` label. */
    name: name('linux-amd64'),
    os: Os,
    arch: Arch,
    /** Required when `os` is `windows`: the build the pool's AMI runs (`10.0.17763` for Server 2019). */
    windowsBuild: windowsBuild.optional(),
    /** EC2 instance types, first is preferred; all must match `arch`. */
    instanceTypes: z.array(text('t3.large')).min(1, { error: say('is empty', 'list at least one instance type, e.g. ["t3.large"]') }).readonly(),
    min: count(),
    desired: count(),
    max: count(),
    /** Kubelet `--node-labels`; never `node-role.kubernetes.io/*` (kubelets may not set those). */
    labels,
    /** Kubelet `--register-with-taints`. */
    taints: z.array(Taint).readonly(),
  })
  .readonly()
  .superRefine((pool, ctx) => {
    if (pool.min > pool.desired || pool.desired > pool.max) {
      ctx.addIssue({
        code: 'custom',
        path: [pool.min > pool.desired ? 'min' : 'max'],
        message: say(`min ${pool.min}, desired ${pool.desired}, max ${pool.max} are out of order`, 'keep min <= desired <= max'),
      });
    }
  }, unlessInvalid('min', 'desired', 'max'))
  .superRefine((pool, ctx) => {
    if (pool.os === 'windows' && pool.windowsBuild === undefined) {
      ctx.addIssue({ code: 'custom', path: ['windowsBuild'], message: say('is missing on a Windows pool', 'set the AMI\'s build, e.g. "10.0.17763" (Server 2019)') });
    }
    if (pool.os === 'linux' && pool.windowsBuild !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['windowsBuild'], message: say('is set on a Linux pool', 'remove windowsBuild') });
    }
  }, unlessInvalid('os', 'windowsBuild'))
  .superRefine((pool, ctx) => {
    for (const key of Object.keys(pool.labels)) {
      if (key.startsWith('node-role.kubernetes.io/')) {
        ctx.addIssue({
          code: 'custom',
          path: ['labels', key],
          message: say('is a node-role label, which kubelets may not set on themselves (NodeRestriction)', 'use another key, e.g. "workload-class"'),
        });
      }
    }
  }, unlessInvalid('labels'));

export const AwsNetwork = z
  .strictObject({
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, {
      error: (iss) => say(`${JSON.stringify(iss.input)} is not an AWS region`, 'use a region name, e.g. "us-east-1"'),
    }),
    /** One public and one private subnet per zone. */
    availabilityZones: z.array(text('us-east-1a')).min(1, { error: say('is empty', 'list at least one zone, e.g. ["us-east-1a"]') }).readonly(),
    vpcCidr: cidr,
    /** Parallel to `availabilityZones`. */
    publicSubnetCidrs: z.array(cidr).readonly(),
    /** Parallel to `availabilityZones`. */
    privateSubnetCidrs: z.array(cidr).readonly(),
    /** `single` NAT gateway (cheap, dev) or one per zone (prod: a zone outage keeps egress). */
    natGateways: z.enum(['single', 'per-az']),
  })
  .readonly()
  .superRefine((network, ctx) => {
    network.availabilityZones.forEach((zone, i) => {
      if (!zone.startsWith(network.region) || !/^[a-z]$/.test(zone.slice(network.region.length))) {
        ctx.addIssue({
          code: 'custom',
          path: ['availabilityZones', i],
          message: say(`"${zone}" is not a zone of region ${network.region}`, `use ${network.region} followed by a letter, e.g. "${network.region}a"`),
        });
      }
      const first = network.availabilityZones.indexOf(zone);
      if (first !== i) {
        ctx.addIssue({ code: 'custom', path: ['availabilityZones', i], message: say(`"${zone}" is also availabilityZones[${first}]`, 'list every zone once') });
      }
    });
  }, unlessInvalid('region', 'availabilityZones'))
  .superRefine((network, ctx) => {
    const vpc = parseIpv4Network(network.vpcCidr);
    const subnets: Array<[string, number, Ipv4Network]> = [];
    for (const field of ['publicSubnetCidrs', 'privateSubnetCidrs'] as const) {
      if (network[field].length !== network.availabilityZones.length) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: say(
            `lists ${network[field].length} subnet(s) for ${network.availabilityZones.length} zone(s)`,
            'give one subnet per entry of availabilityZones, in the same order',
          ),
        });
      }
      network[field].forEach((c, i) => {
        const subnet = parseIpv4Network(c);
        if (!subnet) return;
        if (vpc && (subnet.first < vpc.first || subnet.last > vpc.last)) {
          ctx.addIssue({ code: 'custom', path: [field, i], message: say(`${c} is outside vpcCidr ${vpc.cidr}`, `pick a subnet inside ${vpc.cidr}`) });
        }
        subnets.push([field, i, subnet]);
      });
    }
    for (let a = 0; a < subnets.length; a++) {
      for (let b = a + 1; b < subnets.length; b++) {
        const shared = overlap(subnets[a][2], subnets[b][2]);
        if (shared) {
          ctx.addIssue({
            code: 'custom',
            path: [subnets[b][0], subnets[b][1]],
            message: say(`${subnets[b][2].cidr} overlaps ${subnets[a][0]}[${subnets[a][1]}] ${subnets[a][2].cidr} (${shared})`, 'give every subnet its own range'),
          });
        }
      }
    }
  }, unlessInvalid('vpcCidr', 'publicSubnetCidrs', 'privateSubnetCidrs', 'availabilityZones'));

export const ControlPlane = z
  .strictObject({
    /** Odd, so etcd keeps quorum: 1 (dev) or 3 (prod). */
    count: count(1).refine((n) => n % 2 === 1, {
      error: (iss) =>
        say(`${iss.input} is even, and etcd (one member per control plane) tolerates no more failures than with one member less`, 'use an odd count: 1 (dev) or 3 (prod)'),
    }),
    instanceType: text('t3.medium'),
    arch: Arch,
  })
  .readonly();

/** A Raspberry Pi (or any arm64 board) of the MicroK8s edge cluster. */
export const EdgeNode = z
  .strictObject({
    /** Hostname, as the books name them: `controlplane`, `controlplane1`, `worker1`. */
    hostname: name('worker1'),
    /** Static address on the LAN; joiners reach the first node's `<ip>:25000`. */
    address: ipv4,
    /** `control-plane` nodes run the dqlite datastore; `worker` nodes join with `--worker`. */
    role: z.enum(['control-plane', 'worker']),
  })
  .readonly();

export const Microk8sCluster = z
  .strictObject({
    /** Snap channel, pinned, e.g. `1.32/stable`. */
    channel: text('1.34/stable'),
    /** `ha: true` demands at least 3 control-plane nodes (dqlite quorum ⌊n/2⌋+1). */
    ha: z.boolean(),
    /** The first node runs `microk8s add-node`; the others join it. */
    nodes: z.array(EdgeNode).readonly(),
    /** Lifetime of the pre-generated join token, in seconds. */
    joinTokenTtlSeconds: count(1),
    /** Wi-Fi network the Pis join (the password comes from the secrets file, never from git). */
    wifiSsid: z.string().optional(),
    lanPrefixLength: z.int().min(8).max(30),
    gateway: ipv4,
    dnsServers: z.array(ipv4).readonly(),
  })
  .readonly();

/** The Kubernetes distribution and where it runs. */
/** A single-node cluster on a developer's machine: no infrastructure, no Pulumi stack. */
export const LocalCluster = z
  .strictObject({
    /** `minikube start` or `kind create cluster`: how images get into the node differs (README "Local loop"). */
    distribution: z.enum(['minikube', 'kind']),
  })
  .readonly();

export const Provider = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('aws-kubeadm'), network: AwsNetwork, controlPlane: ControlPlane }).readonly(),
  z.strictObject({ kind: z.literal('microk8s'), microk8s: Microk8sCluster }).readonly(),
  z.strictObject({ kind: z.literal('local'), local: LocalCluster }).readonly(),
]);

export const Cluster = z
  .strictObject({
    name: name('hopper'),
    /** Full patch version on AWS, e.g. `1.34.2` (kubeadm, kubelet and kubectl are pinned to it); `1.34` on MicroK8s. */
    kubernetesVersion: z.string().regex(/^1\.\d{1,2}(\.\d{1,3})?$/, {
      error: (iss) => say(`${JSON.stringify(iss.input)} is not a Kubernetes version`, 'write major.minor.patch, e.g. "1.34.2"'),
    }),
    podCidr: cidr,
    serviceCidr: cidr,
    /** The cluster DNS domain the kubelets and CoreDNS use. */
    dnsDomain: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, {
      error: (iss) => say(`${JSON.stringify(iss.input)} is not a DNS domain`, 'use e.g. "cluster.local"'),
    }),
    /**
     * Service meshes whose control planes run in the cluster (installed with their CNI plugin, see the
     * README); a workload's `mesh` must be one of them.
     */
    meshes: z.array(z.enum(['istio', 'linkerd'])).readonly(),
    /** Where PersistentVolumeClaims get their volumes. */
    storage: z
      .strictObject({
        /** The StorageClass claims use (`gp3` from the EBS CSI driver on AWS, `standard` on minikube/kind). */
        className: text('gp3'),
        /** The VolumeSnapshotClass, where the storage can snapshot and restore (percona blue/green needs it). @default none */
        snapshotClassName: text('ebs-csi').optional(),
      })
      .readonly(),
  })
  .readonly();

/** A workload the environment deliberately leaves out, and why. */
export const Omitted = z.strictObject({ omitted: text('this environment has no Windows nodes') }).readonly();

/** The settings of a workload, or `{ omitted: '<why>' }`. `validate.ts` reports the branch the value is written as. */
const toggle = <T extends z.ZodType>(settings: T) => z.union([Omitted, settings]);

export const NginxSettings = z
  .strictObject({
    image: text('nginx:1.16.1'),
    replicas: count(),
    maxSurge: count(),
    maxUnavailable: count(),
    antiAffinity: z.enum(['required', 'preferred']),
  })
  .readonly();

export const ApodSettings = z.strictObject({ replicas: count(), webNodePort: nodePort }).readonly();

export const DemoSettings = z
  .strictObject({
    replicas: count(),
    serviceType: z.enum(['LoadBalancer', 'NodePort']),
    /** Needed when `serviceType` is `NodePort`. */
    nodePort: nodePort.optional(),
  })
  .readonly()
  .superRefine((demo, ctx) => {
    if (demo.serviceType === 'NodePort' && demo.nodePort === undefined) {
      ctx.addIssue({ code: 'custom', path: ['nodePort'], message: say('is missing, but serviceType is NodePort', 'pick a free port in 30000-32767') });
    }
    if (demo.serviceType !== 'NodePort' && demo.nodePort !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['nodePort'], message: say(`is set, but serviceType is ${demo.serviceType}`, 'remove nodePort, or set serviceType: "NodePort"') });
    }
  }, unlessInvalid('serviceType', 'nodePort'));

const slot = z.strictObject({ tag: text('0.0.1') }).readonly();
export const VersionsSettings = z
  .strictObject({
    /** The ONE switch: which slot the live Service `ver` sends traffic to. */
    active: z.enum(['blue', 'green']),
    blue: slot,
    green: slot,
    replicas: count(),
    preview: z.boolean(),
    scaleIdleToZero: z.boolean(),
  })
  .readonly();

export const NumbersSettings = z.strictObject({ webNodePort: nodePort }).readonly();

export const PetshopSettings = z.strictObject({ webNodePort: nodePort, webserviceNodePort: nodePort }).readonly();

export const BatchSettings = z.strictObject({ fibCount: count(1), luckBackoffLimit: count() }).readonly();

export const NodeExporterSettings = z
  .strictObject({
    /** The book schedules node-exporter only where `monitoring: prometheus`; empty = every node. */
    nodeSelector: labels,
  })
  .readonly();

/** A Service reachable from outside: a cloud load balancer, or a fixed NodePort where there is none. */
const exposure = <T extends z.ZodRawShape>(shape: T) =>
  z
    .strictObject({
      ...shape,
      serviceType: z.enum(['LoadBalancer', 'NodePort']),
      /** Needed when `serviceType` is `NodePort`. */
      nodePort: nodePort.optional(),
    })
    .readonly()
    .superRefine((value, ctx) => {
      const s = value as { serviceType: string; nodePort?: number };
      if (s.serviceType === 'NodePort' && s.nodePort === undefined) {
        ctx.addIssue({ code: 'custom', path: ['nodePort'], message: say('is missing, but serviceType is NodePort', 'pick a free port in 30000-32767') });
      }
      if (s.serviceType !== 'NodePort' && s.nodePort !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['nodePort'], message: say(`is set, but serviceType is ${s.serviceType}`, 'remove nodePort, or set serviceType: "NodePort"') });
      }
    }, unlessInvalid('serviceType', 'nodePort'));

/** The service mesh a workload joins; the environment must install it (`cluster.meshes`). */
const Mesh = z.enum(['none', 'istio', 'linkerd']);

const storageSize = z.string().regex(/^[0-9]+(Ki|Mi|Gi|Ti)$/, {
  error: (iss) => say(`${JSON.stringify(iss.input)} is not a storage size`, 'write a whole number with Ki, Mi, Gi or Ti, e.g. "10Gi"'),
});

const nodeSelectorRequirement = z.strictObject({ key: labelKey, values: z.array(labelValue).min(1).readonly() }).readonly();

export const TodoSettings = exposure({
  /** The HPA `my-ch7-app-autoscaler` (the cookbook: 1-5 at 50% CPU; HA needs a minimum of 2). */
  autoscaling: z.strictObject({ minReplicas: count(2), maxReplicas: count(2), cpuUtilization: z.int().min(1).max(100) }).readonly(),
  /** The size of MongoDB's volume. */
  databaseSize: storageSize,
  /** The cookbook's todo-dev: schedule only on nodes with these labels. */
  nodeSelector: labels,
  /** The cookbook's todo-prod node affinity: `In` terms, required and preferred (weight 1-100). */
  nodeAffinity: z
    .strictObject({
      required: z.array(nodeSelectorRequirement).readonly(),
      preferred: z.array(z.strictObject({ weight: z.int().min(1).max(100), requirement: nodeSelectorRequirement }).readonly()).readonly(),
    })
    .readonly(),
  /** Pod affinity to MongoDB's zone (the cookbook: required). */
  databaseZoneAffinity: z.enum(['required', 'preferred', 'none']),
});

export const MinioSettings = exposure({
  /** Distributed MinIO: the cookbook's 4 (erasure coding needs at least 4 drives). */
  replicas: count(4),
  volumeSize: storageSize,
  mesh: Mesh,
  /** Istio Gateway `minio-gateway` + VirtualService `minio` for these hosts (`*` in the cookbook). Requires mesh istio. */
  istioHosts: z.array(text('*')).readonly().optional(),
});

export const EmojivotoSettings = z
  .strictObject({
    mesh: Mesh,
    replicas: count(2),
    /** The Ingress in front of `web-svc`: the installed controller's class and the host it answers. */
    ingress: z.strictObject({ className: name('nginx'), host: text('emojivoto.example.com') }).readonly(),
  })
  .readonly();

const perconaSlot = z
  .strictObject({
    /** percona/percona-server tag. */
    tag: text('8.0.42-33'),
    /** The slot's PersistentVolumeClaim (the cookbook's `demo-vol1-claim`, `demo-snap-vol-claim`). */
    claim: name('demo-vol1-claim'),
    size: storageSize,
    /** The claim starts as a clone of a VolumeSnapshot of this slot's claim. @default a new volume */
    cloneOf: z.enum(['blue', 'green']).optional(),
  })
  .readonly();

export const PerconaSettings = z
  .strictObject({
    /** THE switch: which slot the live Service `percona` selects. */
    active: z.enum(['blue', 'green']),
    blue: perconaSlot.optional(),
    green: perconaSlot.optional(),
    /** Run the cookbook's `sql-loadgen` Job against the live Service. */
    loadGenerator: z.boolean(),
  })
  .readonly();

export const HelloSettings = z
  .strictObject({
    /** The locally built image's tag: `v1`, then `v2` (README "Local loop"). */
    tag: text('v1'),
    nodePort,
  })
  .readonly();

export const Workloads = z
  .strictObject({
    nginx: toggle(NginxSettings),
    apod: toggle(ApodSettings),
    demo: toggle(DemoSettings),
    versions: toggle(VersionsSettings),
    numbers: toggle(NumbersSettings),
    petshop: toggle(PetshopSettings),
    batch: toggle(BatchSettings),
    nodeExporter: toggle(NodeExporterSettings),
    todo: toggle(TodoSettings),
    minio: toggle(MinioSettings),
    emojivoto: toggle(EmojivotoSettings),
    percona: toggle(PerconaSettings),
    hello: toggle(HelloSettings),
  })
  .readonly();

/** The CIDRs that must not share an address: pods, services, and the VPC (AWS) or the boards' LAN (MicroK8s). */
function checkAddressRanges(env: { provider: z.infer<typeof Provider>; cluster: z.infer<typeof Cluster> }, ctx: z.RefinementCtx): void {
  // [path, name in messages, network]; a refusal is reported at the earlier range, the one the cluster owns.
  const ranges: Array<[(string | number)[], string, Ipv4Network | undefined]> = [
    [['cluster', 'podCidr'], 'cluster.podCidr', parseIpv4Network(env.cluster.podCidr)],
    [['cluster', 'serviceCidr'], 'cluster.serviceCidr', parseIpv4Network(env.cluster.serviceCidr)],
  ];
  if (env.provider.kind === 'aws-kubeadm') {
    ranges.push([['provider', 'network', 'vpcCidr'], 'provider.network.vpcCidr', parseIpv4Network(env.provider.network.vpcCidr)]);
  } else if (env.provider.kind === 'microk8s') {
    const m = env.provider.microk8s;
    ranges.push([['provider', 'microk8s', 'gateway'], 'the LAN (gateway/lanPrefixLength)', networkOf(m.gateway, m.lanPrefixLength)]);
  }
  for (let a = 0; a < ranges.length; a++) {
    for (let b = a + 1; b < ranges.length; b++) {
      const [pathA, , netA] = ranges[a];
      const [, nameB, netB] = ranges[b];
      const shared = netA && netB && overlap(netA, netB);
      if (shared) {
        ctx.addIssue({
          code: 'custom',
          path: pathA,
          message: say(
            `${netA!.cidr} overlaps ${nameB} ${netB!.cidr} (${shared}), so packets to those addresses would go to the wrong network`,
            `give it a range disjoint from ${netB!.cidr}`,
          ),
        });
      }
    }
  }
}

export const Environment = z
  .strictObject({
    /** `dev`, `prod`, `edge`: the `dist/<name>/` folder and the Pulumi stack name. */
    name: name('dev').refine((n) => n !== 'infra', {
      error: say('"infra" is reserved: dist/infra/ holds the infrastructure plans', 'rename the environment'),
    }),
    provider: Provider,
    cluster: Cluster,
    /** Worker pools. For MicroK8s, one pool describing the boards. */
    nodePools: z.array(NodePool).min(1, { error: say('is empty', 'add a pool, e.g. { name: "linux-amd64", os: "linux", arch: "amd64", ... }') }).readonly(),
    workloads: Workloads,
  })
  .readonly()
  .superRefine(
    checkAddressRanges,
    unlessInvalid('cluster.podCidr', 'cluster.serviceCidr', 'provider.kind', 'provider.network.vpcCidr', 'provider.microk8s.gateway', 'provider.microk8s.lanPrefixLength'),
  )
  .superRefine((env, ctx) => {
    const seen = new Map<string, number>();
    env.nodePools.forEach((pool, i) => {
      const first = seen.get(pool.name);
      if (first === undefined) seen.set(pool.name, i);
      else ctx.addIssue({ code: 'custom', path: ['nodePools', i, 'name'], message: say(`"${pool.name}" is also nodePools[${first}].name`, 'give every pool its own name') });
    });
  }, unlessInvalid('nodePools'))
  .superRefine((env, ctx) => {
    if (env.provider.kind === 'aws-kubeadm' && !/^\d+\.\d+\.\d+$/.test(env.cluster.kubernetesVersion)) {
      ctx.addIssue({
        code: 'custom',
        path: ['cluster', 'kubernetesVersion'],
        message: say(`"${env.cluster.kubernetesVersion}" has no patch, but kubeadm, kubelet and kubectl are pinned to a release`, 'write the full version, e.g. "1.34.2"'),
      });
    }
  }, unlessInvalid('provider.kind', 'cluster.kubernetesVersion'));
