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
  check: ({ manifests }) =>
    checkTemplates(manifests, ({ spec }) =>
      containersOf(spec).flatMap((container) => {
        const image = asString(container.spec.image);
        if (!image) return [`${describeContainer(container)} has no image; set a pinned image`];
        if (image.includes('@')) return []; // a digest pins the content whatever the tag says
        const tag = tagOf(image);
        if (tag === undefined) return [`${describeContainer(container)} uses image "${image}" without a tag (that means :latest); pin a version tag`];
        if (tag === 'latest') return [`${describeContainer(container)} uses image "${image}"; pin a version tag`];
        return [];
      }),
    ),
};
