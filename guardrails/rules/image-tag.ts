import { asString } from '../object';
import { checkTemplates, containersOf, describeContainer } from '../workload';
import { Rule } from './rule';

/** The tag of an image reference, ignoring a registry port (`registry:5000/app` has no tag). */
function tagOf(image: string): string | undefined {
  const colon = image.lastIndexOf(':');
  return colon > image.lastIndexOf('/') ? image.slice(colon + 1) : undefined;
}

/** Images must be pinned: an untagged or `:latest` image changes under a running Deployment. */
export const imageTag: Rule = {
  id: 'image-tag',
  severity: 'error',
  description: "Images must be pinned: an untagged or :latest image changes under a running workload and rollbacks stop meaning anything.",
  remediation: "Pin a version tag (or a digest).",
  equivalents: { kubeLinter: ['latest-tag'], kubeScore: ['container-image-tag', 'container-image-pull-policy'] },
  differs:
    "kube-score's container-image-pull-policy wants imagePullPolicy: Always (so a moved tag is re-pulled and pull secrets re-checked); here the image is pinned instead, which makes the pull policy irrelevant and keeps nodes working when the registry is down.",
  check: ({ manifests }) =>
    checkTemplates(manifests, ({ spec }) =>
      containersOf(spec).flatMap((container) => {
        const image = asString(container.spec.image);
        const field = `${container.path}.image`;
        if (!image) return [{ field, problem: `${describeContainer(container)} has no image`, fix: 'set a pinned image' }];
        if (image.includes('@')) return []; // a digest pins the content whatever the tag says
        const tag = tagOf(image);
        if (tag === undefined) return [{ field, problem: `${describeContainer(container)} uses image "${image}" without a tag (that means :latest)`, fix: 'pin a version tag' }];
        if (tag === 'latest') return [{ field, problem: `${describeContainer(container)} uses image "${image}"`, fix: 'pin a version tag' }];
        return [];
      }),
    ),
};
