/**
 * Kills the surviving mutants of constructs/[n-r]*.ts (reports/mutation/survivors/constructs-n-r.md):
 * node-exporter's extra-args guard is anchored at the flag name, image references with a registry
 * port and dashed path components, floating-tag waivers on malformed or non-image names, memory
 * quantities anchored at the start, millicores equal to their decimal cores, volume names of
 * relative writable paths, and the "(none)" volume list of a pod without volumes or claim templates.
 * Every construct is built inside test(), and every expected value is written by hand.
 */
import { Chart } from 'cdk8s';
import { NodeExporterDaemonSet } from '../../constructs/node-exporter-daemonset';
import type { Placement } from '../../constructs/platform';
import { ContainerProps, renderContainer, renderPodTemplate, validateImage } from '../../constructs/pod-template';
import { synthObjects, testCluster } from '../util/synth';
import { bareScope, findOne, linuxPlacement, refusal, RESOURCES, WEB_CONTAINER } from './support';

const P = 'test/web';
const res = RESOURCES;
const web: ContainerProps = WEB_CONTAINER;
const linux: Placement = linuxPlacement(3, ['linux-amd64']);

describe('node-exporter-daemonset.ts', () => {
  test('extraArgs: only a flag NAME that is a fixed one is refused; the same text inside a value passes (line 343)', () => {
    const arg = '--collector.textfile.directory=/var/lib/textfile/--path.procfs=/proc';
    const objects = synthObjects((chart: Chart) => {
      new NodeExporterDaemonSet(chart, 'exporters', { namespace: 'monitoring', cluster: testCluster(chart), extraArgs: [arg] });
    });
    const args = findOne(objects, 'DaemonSet', 'node-exporter').spec.template.spec.containers[0].args;
    expect(args).toHaveLength(7);
    expect(args[6]).toBe(arg);
  });
});

describe('pod-template.ts image references', () => {
  test('a registry with a port followed by dashed, dotted and underscored path components is a pinned reference (line 162)', () => {
    for (const image of ['registry.example.com:5000/team/web-app:1.2.3', 'localhost:5000/my.app:1', 'localhost:5000/my_app:1']) {
      const { container } = renderContainer(bareScope().scope, { ...web, image }, 'linux');
      expect(container.image).toBe(image);
    }
  });

  test('a waiver on a reference whose only colon sits in a later path component is refused (line 174 anchoring)', () => {
    // Only the first component may be a registry host; `reg.io:5000` after `team/` is not one, so this is
    // no image reference at all (distribution reference grammar).
    expect(refusal(() => validateImage(bareScope().scope, 'image', 'team/reg.io:5000/app', 'ships only latest'))).toBe(
      'test/web: image: image "team/reg.io:5000/app" is not a valid image reference. Fix: use [registry[:port]/]repository, lowercase, optionally with :latest',
    );
  });

  // Bug fix: with floatingTagReason the image was never checked as a reference, so an uppercase,
  // blank-containing, empty-path or bad-port name was accepted; the kubelet refuses to pull it (InvalidImageName).
  test.each(['Minio/Minio', 'minio minio', 'reg.io/', 'reg.io/:latest', 'a.b:x/app', 'minio//minio', '-minio'])(
    'a floating-tag waiver on the malformed reference %j is refused',
    (image) => {
      expect(refusal(() => validateImage(bareScope().scope, 'image', image, 'the publisher ships only latest'))).toBe(
        `${P}: image: image "${image}" is not a valid image reference. Fix: use [registry[:port]/]repository, lowercase, optionally with :latest`,
      );
    },
  );

  test('valid floating references still take the waiver', () => {
    for (const image of ['minio/minio', 'minio', 'quay.io/minio/minio:latest', 'registry.example.com:5000/minio', 'registry.example.com:5000/minio:latest']) {
      expect(() => validateImage(bareScope().scope, 'image', image, 'the publisher ships only latest')).not.toThrow();
    }
  });
});

describe('pod-template.ts quantities', () => {
  test('a memory quantity must start with its number: "x64Mi" is refused (line 238)', () => {
    expect(refusal(() => renderContainer(bareScope().scope, { ...web, resources: { ...res, requests: { cpu: '100m', memory: 'x64Mi' } } }, 'linux'))).toBe(
      `${P}: resources.requests.memory: "x64Mi" is not a positive memory quantity. Fix: use bytes with a unit, e.g. '128Mi'`,
    );
  });

  test('millicores equal to the limit written in cores are not "more than the limit" (line 245)', () => {
    // 9m is exactly 0.009 cores (Kubernetes quantities are decimal); likewise 13m = 0.013 and 36m = 0.036.
    for (const [request, limit] of [
      ['9m', '0.009'],
      ['13m', '0.013'],
      ['36m', '0.036'],
    ]) {
      const resources = { requests: { cpu: request, memory: '64Mi' }, limits: { cpu: limit, memory: '64Mi' } };
      const { container } = renderContainer(bareScope().scope, { ...web, resources }, 'linux');
      expect(container.resources).toStrictEqual(resources);
    }
  });
});

describe('pod-template.ts volumes', () => {
  test('a relative writable path is named by the same rule: runs of other characters become one dash (line 267)', () => {
    const { container, volumes } = renderContainer(bareScope().scope, { ...web, runtime: { writablePaths: ['var/cache'] } }, 'linux');
    expect(container.volumeMounts).toStrictEqual([{ name: 'var-cache', mountPath: 'var/cache' }]);
    expect(volumes).toStrictEqual([{ name: 'var-cache', emptyDir: {} }]);
  });

  test('a pod with neither volumes nor claim templates offers no volume to mount (line 452)', () => {
    const container: ContainerProps = { ...web, mounts: [{ volume: 'data', mountPath: '/data' }] };
    expect(refusal(() => renderPodTemplate(bareScope().scope, { labels: { app: 'web' }, container, placement: linux }))).toBe(
      `${P}: mounts[data]: container "web" mounts "data", which is not a volume of the pod (none). Fix: declare the volume (volumes or a claim template) or fix the name`,
    );
  });
});
