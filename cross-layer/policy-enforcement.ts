/**
 * NetworkPolicies as the cluster would enforce them: the environment's CNI (from the model: flannel on
 * kubeadm, Calico on MicroK8s) must enforce them at all, and under them the traffic the system needs
 * must still flow — DNS, kubelet probes, the API server to webhooks and aggregated APIs, metrics-server
 * to the kubelets, Prometheus to its targets — and every Service must be reachable by someone.
 * A default deny is not harmless: a new app nobody allows in is dead on arrival.
 */
import { Ipv4Network, networkOf, parseIpv4Network } from '../contracts/cidr';
import { Finding, Severity } from '../contracts/finding';
import { Environment } from '../environments';
import { Manifest } from '../guardrails/manifest';
import { asArray, asObject, asString, at, JsonObject, objects, stringMap } from '../guardrails/object';
import { labelSelector, mapSelector, matches } from '../guardrails/selector';
import { containersOf, podTemplateOf, PodTemplate } from '../guardrails/workload';

export const POLICY_ENFORCEMENT = 'policy-enforcement';

/** What the environment's pod network does with NetworkPolicies. */
export interface Cni {
  readonly name: string;
  /** Enforces NetworkPolicies for Linux pods. */
  readonly enforces: boolean;
  /** Enforces them for Windows pods too. */
  readonly enforcesOnWindows: boolean;
  /**
   * Traffic from a pod's own node (the kubelet's probes) passes whatever the policies say: Calico
   * allows host-to-local-workload traffic; kube-network-policies accepts packets the node's root
   * processes send (`meta skuid 0 accept`, kubernetes-sigs/kube-network-policies#65).
   */
  readonly allowsLocalNode: boolean;
}

/** The container flannel's DaemonSet runs to enforce NetworkPolicies (flannel chart `netpol`). */
const NETPOL_IMAGE = 'kube-network-policies';

/** The CNI the model says the environment runs, as the manifests render it. */
export function cniOf(env: Environment, manifests: readonly Manifest[]): Cni {
  if (env.provider.kind === 'microk8s') return { name: 'Calico (MicroK8s)', enforces: true, enforcesOnWindows: true, allowsLocalNode: true };
  // The local loop starts minikube with Calico (`minikube start --cni=calico`, README "Local loop");
  // kind's default kindnet enforces NetworkPolicies since kind v0.24.
  if (env.provider.kind === 'local') {
    const name = env.provider.local.distribution === 'minikube' ? 'Calico (minikube start --cni=calico)' : 'kindnet (kind ≥ 0.24)';
    return { name, enforces: true, enforcesOnWindows: false, allowsLocalNode: true };
  }
  const flannel = manifests.find((m) => m.kind === 'DaemonSet' && podTemplateOf(m) && containersOf(podTemplateOf(m)!.spec).some((c) => /\/flannel:/.test(asString(c.spec.image) ?? '')) && at(podTemplateOf(m)!.spec, 'os', 'name') !== 'windows');
  const netpol = !!flannel && containersOf(podTemplateOf(flannel)!.spec).some((c) => (asString(c.spec.image) ?? '').includes(`/${NETPOL_IMAGE}:`));
  return { name: netpol ? 'flannel with kube-network-policies' : 'flannel', enforces: netpol, enforcesOnWindows: false, allowsLocalNode: netpol };
}

/** Where node addresses come from: the VPC on AWS, the boards' LAN at the edge. */
function nodeNetwork(env: Environment): Ipv4Network | undefined {
  if (env.provider.kind === 'aws-kubeadm') return parseIpv4Network(env.provider.network.vpcCidr);
  // A local node's address is whatever minikube or kind gives it.
  if (env.provider.kind === 'local') return undefined;
  return networkOf(env.provider.microk8s.gateway, env.provider.microk8s.lanPrefixLength);
}

/** A traffic source or destination as NetworkPolicy peers see it. */
type Peer =
  | { readonly kind: 'pod'; readonly namespace: string; readonly namespaceLabels: Record<string, string>; readonly labels: Record<string, string> }
  | { readonly kind: 'nodes'; readonly network: Ipv4Network | undefined };

interface Port {
  readonly port: number;
  readonly protocol: string;
  /** The container port's name, which a policy may use instead of the number. */
  readonly name?: string;
}

interface Policy {
  readonly manifest: Manifest;
  readonly namespace: string;
  readonly selects: (labels: Record<string, string>) => boolean;
  readonly ingress?: readonly JsonObject[];
  readonly egress?: readonly JsonObject[];
}

function readPolicies(manifests: readonly Manifest[]): Policy[] {
  return manifests
    .filter((m) => m.kind === 'NetworkPolicy' && m.group === 'networking.k8s.io')
    .map((m) => {
      const spec = asObject(m.object.spec) ?? {};
      const types = asArray(spec.policyTypes).map(String);
      const hasEgress = Array.isArray(spec.egress);
      const policyTypes = types.length ? types : ['Ingress', ...(hasEgress ? ['Egress'] : [])];
      const selector = labelSelector(spec.podSelector);
      return {
        manifest: m,
        namespace: m.namespace,
        selects: (labels) => matches(selector, labels),
        ingress: policyTypes.includes('Ingress') ? objects(spec.ingress) : undefined,
        egress: policyTypes.includes('Egress') ? objects(spec.egress) : undefined,
      };
    });
}

/** Whether a NetworkPolicy peer (`from`/`to` entry) admits `peer`, seen from namespace `own`. */
function peerMatches(entry: JsonObject, own: string, peer: Peer): boolean {
  const block = asObject(entry.ipBlock);
  if (block) {
    if (peer.kind !== 'nodes' || !peer.network) return false;
    const cidr = parseIpv4Network(asString(block.cidr) ?? '');
    const covers = !!cidr && cidr.first <= peer.network.first && peer.network.last <= cidr.last;
    const excepted = asArray(block.except).some((e) => {
      const ex = parseIpv4Network(String(e));
      return !!ex && ex.first <= peer.network!.last && peer.network!.first <= ex.last;
    });
    return covers && !excepted;
  }
  if (peer.kind !== 'pod') return false;
  const nsSelector = entry.namespaceSelector === undefined ? undefined : labelSelector(entry.namespaceSelector);
  const podSelector = entry.podSelector === undefined ? undefined : labelSelector(entry.podSelector);
  const nsOk = nsSelector ? matches(nsSelector, peer.namespaceLabels) : peer.namespace === own;
  return nsOk && (!podSelector || matches(podSelector, peer.labels));
}

function portMatches(entries: unknown, port: Port): boolean {
  const list = objects(entries);
  if (Array.isArray(entries) && list.length === 0) return true;
  if (entries === undefined) return true;
  return list.some((p) => {
    if ((asString(p.protocol) ?? 'TCP') !== port.protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'string') return p.port === port.name || p.port === String(port.port);
    const end = typeof p.endPort === 'number' ? p.endPort : (p.port as number);
    return typeof p.port === 'number' && port.port >= p.port && port.port <= end;
  });
}

/** The verdict for traffic in one direction of one pod: not isolated, allowed by a policy, or denied. */
function verdict(
  policies: readonly Policy[],
  namespace: string,
  labels: Record<string, string>,
  direction: 'ingress' | 'egress',
  peer: Peer,
  port: Port,
): { isolated: boolean; allowed: boolean } {
  const selecting = policies.filter((p) => p.namespace === namespace && p.selects(labels) && p[direction] !== undefined);
  const key = direction === 'ingress' ? 'from' : 'to';
  const allowed = selecting.some((p) =>
    p[direction]!.some((rule) => {
      const peers = rule[key];
      const peerOk = peers === undefined || (Array.isArray(peers) && peers.length === 0) || objects(peers).some((e) => peerMatches(e, namespace, peer));
      return peerOk && portMatches(rule.ports, port);
    }),
  );
  return { isolated: selecting.length > 0, allowed };
}

interface Pod {
  readonly manifest: Manifest;
  readonly template: PodTemplate;
  readonly namespace: string;
  readonly windows: boolean;
  readonly hostNetwork: boolean;
}

function podsOf(manifests: readonly Manifest[]): Pod[] {
  return manifests.flatMap((m) => {
    const template = podTemplateOf(m);
    if (!template) return [];
    const windows = at(template.spec, 'os', 'name') === 'windows' || at(template.spec, 'nodeSelector', 'kubernetes.io/os') === 'windows';
    return [{ manifest: m, template, namespace: m.namespace, windows, hostNetwork: template.spec.hostNetwork === true }];
  });
}

/** A Service port's target on a pod: the container port it names or numbers. */
function targetPort(pod: Pod, servicePort: JsonObject): Port | undefined {
  const target = servicePort.targetPort ?? servicePort.port;
  const protocol = asString(servicePort.protocol) ?? 'TCP';
  for (const c of containersOf(pod.template.spec, { includeInit: false })) {
    for (const p of objects(c.spec.ports)) {
      if ((typeof target === 'string' && p.name === target) || (typeof target === 'number' && p.containerPort === target)) {
        return { port: p.containerPort as number, protocol: asString(p.protocol) ?? protocol, name: asString(p.name) };
      }
    }
  }
  return typeof target === 'number' ? { port: target, protocol } : undefined;
}

/** What a meshed pod's proxy must reach in the mesh's control plane before the pod can become ready. */
const MESH_CONTROL_PLANES: Readonly<Record<'istio' | 'linkerd', ReadonlyArray<{ what: string; peer: Peer; port: number }>>> = {
  istio: [{ what: 'istiod (xDS and certificates)', peer: { kind: 'pod', namespace: 'istio-system', namespaceLabels: { 'kubernetes.io/metadata.name': 'istio-system' }, labels: { app: 'istiod', istio: 'pilot' } }, port: 15012 }],
  linkerd: [
    { what: 'linkerd-identity', peer: { kind: 'pod', namespace: 'linkerd', namespaceLabels: { 'kubernetes.io/metadata.name': 'linkerd' }, labels: { 'linkerd.io/control-plane-component': 'identity' } }, port: 8080 },
    { what: 'linkerd-destination', peer: { kind: 'pod', namespace: 'linkerd', namespaceLabels: { 'kubernetes.io/metadata.name': 'linkerd' }, labels: { 'linkerd.io/control-plane-component': 'destination' } }, port: 8086 },
    { what: 'linkerd-policy', peer: { kind: 'pod', namespace: 'linkerd', namespaceLabels: { 'kubernetes.io/metadata.name': 'linkerd' }, labels: { 'linkerd.io/control-plane-component': 'destination' } }, port: 8090 },
  ],
};

/** The mesh whose proxy is injected into the pod: the namespace's istio-injection label, or linkerd.io/inject on the namespace or pod. */
function meshOf(pod: Pod, namespaceLabels: Record<string, string>, namespaceAnnotations: Record<string, string>): 'istio' | 'linkerd' | undefined {
  const podMeta = stringMap(at(pod.manifest.object, ...pod.template.path.split('.').slice(0, -1), 'metadata', 'annotations'));
  const podLabels = pod.template.labels;
  if (podLabels['sidecar.istio.io/inject'] === 'false' || podMeta['linkerd.io/inject'] === 'disabled') return undefined;
  if (namespaceLabels['istio-injection'] === 'enabled' || podLabels['sidecar.istio.io/inject'] === 'true') return 'istio';
  if (namespaceAnnotations['linkerd.io/inject'] === 'enabled' || podMeta['linkerd.io/inject'] === 'enabled') return 'linkerd';
  return undefined;
}

const KUBE_DNS: Peer = { kind: 'pod', namespace: 'kube-system', namespaceLabels: { 'kubernetes.io/metadata.name': 'kube-system' }, labels: { 'k8s-app': 'kube-dns' } };

/** Every policy-enforcement finding of `env` for the manifests it renders. */
/** `cni` defaults to what the model runs (cniOf); tests pass other CNIs' behaviour. */
export function checkPolicyEnforcement(env: Environment, manifests: readonly Manifest[], cni: Cni = cniOf(env, manifests)): Finding[] {
  const policies = readPolicies(manifests);
  if (policies.length === 0) return [];
  const found: Finding[] = [];
  const add = (severity: Severity, problem: string, fix: string, manifest?: Manifest, field?: string) =>
    found.push({ rule: POLICY_ENFORCEMENT, severity, file: manifest?.file ?? `environments/${env.name}.ts`, object: manifest?.ref, field, problem, fix });
  if (!cni.enforces) {
    add(
      'error',
      `declares ${policies.length} NetworkPolicies (default deny included), but its pod network (${cni.name}) enforces none of them: every pod stays open to every other`,
      "run flannel with its kube-network-policies sidecar (flannel ≥ 0.25.5; constructs/cluster/flannel.ts networkPolicies, on by default) or an enforcing CNI (Calico, Cilium)",
      undefined,
      'provider',
    );
    return found;
  }
  const namespaceLabels = new Map(
    manifests.filter((m) => m.kind === 'Namespace').map((m) => [m.name, { ...stringMap(at(m.object, 'metadata', 'labels')), 'kubernetes.io/metadata.name': m.name }]),
  );
  const labelsOfNamespace = (ns: string) => namespaceLabels.get(ns) ?? { 'kubernetes.io/metadata.name': ns };
  const namespaceAnnotations = new Map(manifests.filter((m) => m.kind === 'Namespace').map((m) => [m.name, stringMap(at(m.object, 'metadata', 'annotations'))]));
  const nodes: Peer = { kind: 'nodes', network: nodeNetwork(env) };
  const pods = podsOf(manifests).filter((p) => !p.hostNetwork); // policies never apply to host-network pods
  const services = manifests.filter((m) => m.kind === 'Service' && m.group === '');
  const isolatedFor = (pod: Pod, direction: 'ingress' | 'egress') =>
    policies.some((p) => p.namespace === pod.namespace && p.selects(pod.template.labels) && p[direction] !== undefined);

  for (const pod of pods) {
    const labels = pod.template.labels;
    // Windows pods: flannel's sdnoverlay on Windows has no policy engine.
    if (pod.windows && !cni.enforcesOnWindows && (isolatedFor(pod, 'ingress') || isolatedFor(pod, 'egress'))) {
      add(
        'warning',
        `NetworkPolicies select these Windows pods, but ${cni.name} enforces none on Windows nodes: their own ingress and egress stay open (only Linux peers' policies filter traffic to and from them)`,
        'treat their policies as documentation, or run a CNI that enforces them on Windows (Calico for Windows)',
        pod.manifest,
        `${pod.template.path}.nodeSelector`,
      );
      continue;
    }
    // DNS: an egress-isolated pod that resolves through the cluster DNS must reach kube-dns on 53/UDP and 53/TCP.
    const dnsPolicy = asString(pod.template.spec.dnsPolicy) ?? 'ClusterFirst';
    if (isolatedFor(pod, 'egress') && (dnsPolicy === 'ClusterFirst' || dnsPolicy === 'ClusterFirstWithHostNet')) {
      const blocked = (['UDP', 'TCP'] as const).filter((protocol) => !verdict(policies, pod.namespace, labels, 'egress', KUBE_DNS, { port: 53, protocol }).allowed);
      if (blocked.length) {
        add('error', `its egress is denied, and no NetworkPolicy lets it reach the cluster DNS (kube-system k8s-app=kube-dns) on 53/${blocked.join(', 53/')}: every name lookup fails`, `allow egress to kube-dns on 53/UDP and 53/TCP in namespace ${pod.namespace} (AppNamespace renders allow-dns)`, pod.manifest);
      }
    }
    // A meshed pod's proxy must reach its control plane, or it never becomes ready.
    const mesh = meshOf(pod, labelsOfNamespace(pod.namespace), namespaceAnnotations.get(pod.namespace) ?? {});
    if (mesh && isolatedFor(pod, 'egress')) {
      const blocked = MESH_CONTROL_PLANES[mesh].filter((c) => !verdict(policies, pod.namespace, labels, 'egress', c.peer, { port: c.port, protocol: 'TCP' }).allowed);
      if (blocked.length) {
        add('error', `its ${mesh} proxy must reach ${blocked.map((c) => `${c.what} on ${c.port}/TCP`).join(', ')}, but its egress is denied there: the proxy never gets its configuration and the pod never becomes ready`, `allow egress to the ${mesh} control plane on ${blocked.map((c) => c.port).join(', ')} in namespace ${pod.namespace}`, pod.manifest);
      }
    }
    // kubelet → probes: from the pod's own node.
    const probed = containersOf(pod.template.spec, { includeInit: false }).flatMap((c) =>
      ['livenessProbe', 'readinessProbe', 'startupProbe'].flatMap((probe) => {
        const handler = asObject(c.spec[probe]);
        const port = at(handler, 'httpGet', 'port') ?? at(handler, 'tcpSocket', 'port') ?? at(handler, 'grpc', 'port');
        return port === undefined ? [] : [{ container: c, port }];
      }),
    );
    if (probed.length && isolatedFor(pod, 'ingress') && !cni.allowsLocalNode) {
      for (const { port } of probed) {
        const resolved = targetPort(pod, { targetPort: port });
        if (resolved && !verdict(policies, pod.namespace, labels, 'ingress', nodes, resolved).allowed) {
          add('error', `the kubelet probes port ${String(port)} from the node, but ${cni.name} filters node traffic and no NetworkPolicy admits the nodes: probes fail and the pods never become ready`, 'allow ingress from the node network on the probe port', pod.manifest);
        }
      }
    }
  }

  // Every Service must be reachable by someone: under a default deny, a Service nobody may reach is dead.
  for (const service of services) {
    const selector = mapSelector(at(service.object, 'spec', 'selector'));
    if (Object.keys(selector.matchLabels).length === 0) continue;
    for (const pod of pods.filter((p) => p.namespace === service.namespace && !p.windows && matches(selector, p.template.labels))) {
      if (!isolatedFor(pod, 'ingress')) continue;
      for (const servicePort of objects(at(service.object, 'spec', 'ports'))) {
        const port = targetPort(pod, servicePort);
        if (!port) continue;
        const selecting = policies.filter((p) => p.namespace === pod.namespace && p.selects(pod.template.labels) && p.ingress !== undefined);
        const anyRule = selecting.some((p) => p.ingress!.some((rule) => portMatches(rule.ports, port)));
        if (!anyRule) {
          add(
            'error',
            `${service.ref} sends port ${String(servicePort.port)} to these pods (${port.port}/${port.protocol}), but namespace ${pod.namespace} denies all ingress and no NetworkPolicy admits anyone there: the Service is dead`,
            `add a NetworkPolicy allowing its clients (e.g. the workload's ingressFrom / networkPolicy option) on ${port.name ?? port.port}`,
            pod.manifest,
          );
        }
      }
    }
  }

  // The API server calls webhooks and aggregated APIs (from the control planes, never local to the pod).
  const apiTargets = manifests.flatMap((m) => {
    if (m.kind === 'APIService') {
      const svc = asObject(at(m.object, 'spec', 'service'));
      return svc ? [{ from: m, namespace: asString(svc.namespace) ?? 'default', name: asString(svc.name) ?? '', port: svc.port }] : [];
    }
    if (m.kind === 'ValidatingWebhookConfiguration' || m.kind === 'MutatingWebhookConfiguration') {
      return objects(m.object.webhooks).flatMap((w) => {
        const svc = asObject(at(w, 'clientConfig', 'service'));
        return svc ? [{ from: m, namespace: asString(svc.namespace) ?? 'default', name: asString(svc.name) ?? '', port: svc.port }] : [];
      });
    }
    return [];
  });
  for (const target of apiTargets) {
    const service = services.find((s) => s.namespace === target.namespace && s.name === target.name);
    if (!service) continue;
    const selector = mapSelector(at(service.object, 'spec', 'selector'));
    const servicePort = objects(at(service.object, 'spec', 'ports')).find((p) => target.port === undefined || p.port === target.port) ?? {};
    for (const pod of pods.filter((p) => p.namespace === service.namespace && matches(selector, p.template.labels))) {
      const port = targetPort(pod, servicePort);
      if (port && !verdict(policies, pod.namespace, pod.template.labels, 'ingress', nodes, port).allowed && isolatedFor(pod, 'ingress')) {
        add('error', `the API server calls it for ${target.from.ref} on ${port.port}/${port.protocol} from the control planes, but no NetworkPolicy admits the node network: the API calls time out`, `allow ingress from the node network (${nodes.kind === 'nodes' ? nodes.network?.cidr : ''}) on ${port.name ?? port.port}`, pod.manifest);
      }
    }
    // metrics-server (the pods behind metrics.k8s.io) scrapes every kubelet on 10250.
    if (target.from.kind === 'APIService' && target.from.name === 'v1beta1.metrics.k8s.io') {
      for (const pod of pods.filter((p) => p.namespace === service.namespace && matches(selector, p.template.labels))) {
        if (isolatedFor(pod, 'egress') && !verdict(policies, pod.namespace, pod.template.labels, 'egress', nodes, { port: 10250, protocol: 'TCP' }).allowed) {
          add('error', 'metrics-server must reach every kubelet on 10250/TCP, but its egress is denied towards the node network: HPAs and kubectl top go blind', 'allow egress to the node network on 10250/TCP', pod.manifest);
        }
      }
    }
  }

  // Prometheus → its targets: exporters on the pod network must admit the Prometheus pods.
  const prometheus = pods.filter((p) => ['prometheus'].includes(p.template.labels['app.kubernetes.io/name'] ?? p.template.labels.app ?? ''));
  for (const service of services.filter((s) => at(s.object, 'metadata', 'annotations', 'prometheus.io/scrape') === 'true')) {
    const selector = mapSelector(at(service.object, 'spec', 'selector'));
    const port = Number(at(service.object, 'metadata', 'annotations', 'prometheus.io/port'));
    for (const target of pods.filter((p) => p.namespace === service.namespace && matches(selector, p.template.labels))) {
      for (const source of prometheus) {
        const peer: Peer = { kind: 'pod', namespace: source.namespace, namespaceLabels: labelsOfNamespace(source.namespace), labels: source.template.labels };
        const resolved = { port, protocol: 'TCP' };
        const inOk = !isolatedFor(target, 'ingress') || verdict(policies, target.namespace, target.template.labels, 'ingress', peer, resolved).allowed;
        const targetPeer: Peer = { kind: 'pod', namespace: target.namespace, namespaceLabels: labelsOfNamespace(target.namespace), labels: target.template.labels };
        const outOk = !isolatedFor(source, 'egress') || verdict(policies, source.namespace, source.template.labels, 'egress', targetPeer, resolved).allowed;
        if (!inOk || !outOk) {
          add('error', `Prometheus (${source.manifest.ref}) cannot scrape ${service.ref} on ${port}: ${!inOk ? 'the target denies its ingress' : 'its own egress is denied'}`, `allow ${!inOk ? 'ingress from Prometheus' : 'egress to the target'} on ${port}`, target.manifest);
        }
      }
    }
  }
  return found;
}
