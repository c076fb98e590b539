/**
 * The cluster add-ons against the model: a node agent must reach every node of its OS whatever the
 * pool's taints (an untolerated taint leaves that pool unmonitored or without a pod network), and the
 * add-ons whose version must follow another must agree with it (Windows flannel with the Linux one,
 * Windows kube-proxy and the cloud-controller-manager with the cluster's Kubernetes version).
 */
import type { Finding } from '../contracts/finding';
import { NODE_AGENT_ANNOTATION } from '../contracts/labels';
import { Environment } from '../environments';
import { Manifest } from '../guardrails/manifest';
import { asString, at } from '../guardrails/object';
import { containersOf, podTemplateOf } from '../guardrails/workload';
import { blockers, nodeGroupsOf, podConstraints } from './nodes';

export const NODE_AGENT_COVERAGE = 'node-agent-coverage';
export const ADDON_VERSIONS = 'addon-versions';

/** Node-agent DaemonSets whose pods some node group of their OS keeps out with a taint. */
export function checkNodeAgentCoverage(env: Environment, manifests: readonly Manifest[]): Finding[] {
  const groups = nodeGroupsOf(env);
  return manifests.flatMap((m): Finding[] => {
    if (m.kind !== 'DaemonSet' || at(m.object, 'metadata', 'annotations', NODE_AGENT_ANNOTATION) === undefined) return [];
    const template = podTemplateOf(m);
    if (!template) return [];
    const pod = podConstraints(template.spec);
    const everything = { ...pod, tolerations: [{ operator: 'Exists' as const }] };
    // Groups its selectors choose (right OS, build, role) but whose taints keep it out.
    const missed = groups.filter((g) => blockers(g, everything).length === 0 && blockers(g, pod).length > 0);
    if (missed.length === 0) return [];
    return [
      {
        rule: NODE_AGENT_COVERAGE,
        severity: 'error',
        file: m.file,
        object: m.ref,
        field: `${template.path}.tolerations`,
        problem: `is a node agent, but ${missed.map((g) => `${g.name} (${blockers(g, pod).join('; ')})`).join(', ')} of environments/${env.name}.ts keep${missed.length === 1 ? 's' : ''} it out: those nodes go without it`,
        fix: 'tolerate every taint (tolerations: [{operator: Exists}]), as the upstream agents do',
      },
    ];
  });
}

/** `v0.28.9` of `ghcr.io/flannel-io/flannel:v0.28.9`, `v0.28.9` of `…/flannel-windows:v0.28.9-hostprocess`. */
function versionOf(image: string): string | undefined {
  return /:(v?\d+\.\d+\.\d+)/.exec(image)?.[1];
}

function imagesOf(m: Manifest): string[] {
  const template = podTemplateOf(m);
  return template ? containersOf(template.spec).map((c) => asString(c.spec.image) ?? '') : [];
}

/** Add-on images whose versions disagree with what they must follow. */
export function checkAddonVersions(env: Environment, manifests: readonly Manifest[]): Finding[] {
  const found: Finding[] = [];
  const daemonSets = manifests.filter((m) => m.kind === 'DaemonSet');
  const windows = (m: Manifest) => at(podTemplateOf(m)?.spec, 'os', 'name') === 'windows';
  const linuxFlannel = daemonSets.filter((m) => !windows(m)).flatMap(imagesOf).find((i) => /\/flannel:/.test(i));
  const flannelVersion = linuxFlannel && versionOf(linuxFlannel);
  const kubernetes = `v${env.cluster.kubernetesVersion}`;
  for (const m of daemonSets) {
    for (const image of imagesOf(m)) {
      const version = versionOf(image);
      const refuse = (problem: string, fix: string) => found.push({ rule: ADDON_VERSIONS, severity: 'error', file: m.file, object: m.ref, field: 'image', problem, fix });
      if (windows(m) && /flannel/.test(image) && flannelVersion && version !== flannelVersion) {
        refuse(`runs Windows flannel ${version ?? '(no version)'} (${image}) beside Linux flannel ${flannelVersion}: one overlay, two releases of its agent`, 'build the Windows flannel image of the Linux flannel release (contracts/versions.ts, images/windows-hostprocess/)');
      }
      if (windows(m) && /kube-proxy/.test(image) && version !== kubernetes) {
        refuse(`runs kube-proxy ${version ?? '(no version)'} (${image}) on a ${kubernetes} cluster: kube-proxy must match the cluster's release`, `use the kube-proxy image of ${kubernetes} (windowsKubeProxyImage in contracts/versions.ts)`);
      }
      const minor = /^v?(\d+\.\d+)/.exec(env.cluster.kubernetesVersion)?.[1];
      if (/cloud-controller-manager/.test(image) && minor && !version?.startsWith(`v${minor}.`)) {
        refuse(`runs cloud-provider-aws ${version ?? '(no version)'} on a ${minor} cluster: each release line supports its own Kubernetes minor only`, `pin the ${minor} release line in contracts/versions.ts (AWS_CLOUD_CONTROLLER_MANAGER)`);
      }
    }
  }
  return found;
}
