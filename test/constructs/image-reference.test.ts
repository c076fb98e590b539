/**
 * Image references as the kubelet parses them (the distribution reference grammar,
 * github.com/distribution/reference): the first component is a registry only when it holds a `.` or a
 * `:port`, or is `localhost`; path components are lowercase alphanumerics joined by `.`, `_`, `__` or
 * dashes. Hand-written cases, each one the upstream parser accepts or refuses.
 */
import { validateImage } from '../../constructs/pod-template';
import { bareScope, refusal } from './support';

const pinned = (image: string) => validateImage(bareScope().scope, 'image', image);
const floating = (image: string) => validateImage(bareScope().scope, 'image', image, 'the publisher ships only latest');
const NOT_PINNED = (image: string) =>
  `test/web: image: image "${image}" is not a pinned reference. Fix: use repository:tag with an explicit version tag, or a @sha256 digest`;

describe('pinned references', () => {
  test.each([
    'nginx:1.25',
    'library/nginx:1.25',
    'registry.example.com:5000/team/web-app:1.2.3',
    'localhost:5000/app:1',
    'localhost/app:1',
    'myregistry:5000/a/b:v1',
    'Registry.Example.COM/app:1', // a registry host may have capitals; the path may not
    'a__b:1',
    'a---b:1',
    `alpine:3.20@sha256:${'a'.repeat(64)}`,
    `ghcr.io/x/y@sha256:${'b'.repeat(64)}`,
  ])('%s is accepted', (image) => {
    expect(() => pinned(image)).not.toThrow();
  });

  test.each([
    'team/reg.io:5000/app:1', // a port only belongs to the first component
    'Team/app:1', // no dot, colon or localhost: a path component, which must be lowercase
    'app:',
    '-app:1',
    'a//b:1',
    'app:1:2',
    'a_-b:1',
    'a___b:1',
    'reg-.io/app:1',
    `app@sha256:${'a'.repeat(63)}`,
  ])('%s is refused', (image) => {
    expect(refusal(() => pinned(image))).toBe(NOT_PINNED(image));
  });
});

describe('floating-tag waivers', () => {
  test.each(['localhost:5000/app', 'localhost/app', 'myregistry:5000/app', 'reg.io:5000/app:latest', 'minio/minio'])(
    'the untagged or :latest reference %s takes the waiver (its registry port is not a tag)',
    (image) => {
      expect(() => floating(image)).not.toThrow();
    },
  );

  test.each(['localhost:5000/app:1.0', 'myregistry:5000/app:v2', `localhost/app@sha256:${'c'.repeat(64)}`])('the pinned reference %s needs no waiver', (image) => {
    expect(refusal(() => floating(image))).toBe(`test/web: floatingTagReason: image "${image}" is pinned, so it needs no floating-tag waiver. Fix: drop floatingTagReason`);
  });
});
