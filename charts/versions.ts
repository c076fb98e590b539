import { Construct } from 'constructs';
import { BlueGreenService } from '../constructs/blue-green-service';
import { ContainerProps } from '../constructs/pod-template';
import { VersionsSettings } from '../environments';
import { smallNamespace, WorkloadChart, WorkloadContext } from './context';

export const versionsNamespace = smallNamespace('versions', {
  podSecurity: 'baseline',
  podSecurityReason: 'errm/versions is not known to run as non-root, so it is declared as root (no capabilities, writable root filesystem)',
});

// errm publishes linux/amd64 images only, as far as we know.
const platform = { os: 'linux', arch: 'amd64' } as const;

function versionServer(tag: string): ContainerProps {
  return {
    name: 'version-server',
    image: `errm/versions:${tag}`,
    ports: [{ name: 'http', containerPort: 3000 }],
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '250m', memory: '128Mi' } },
    readiness: { http: '/', port: 'http', periodSeconds: 5, failureThreshold: 3 },
    liveness: { http: '/', port: 'http', periodSeconds: 10, failureThreshold: 6 },
    // Its user and the paths it writes are unknown: root, no capabilities (:3000 needs none).
    runtime: { runsAsRoot: true, writableRootFilesystem: true },
  };
}

/**
 * Kubernetes on AWS, ch. 4: the versions app behind Service `ver`, made blue/green. Switching slots is the
 * environment's `active` alone: the live Service's selector and live-slot annotation change.
 *
 * With `scaleIdleToZero` (dev) a switch is deliberately a two-step change, not a one-line one: the
 * idle slot has no pod, so flipping `active` alone would point `ver` at pods that are still
 * starting. First set `scaleIdleToZero: false` (the idle slot scales up; one replicas line), then
 * flip `active` (the usual selector + annotation diff), then optionally set it back to `true` (the
 * old slot scales down, which also gives up the instant rollback). Synthesis refuses the one-step
 * flip against the committed dist/ (rule `blue-green-flip`, guardrails/traffic-move.ts).
 */
export class VersionsChart extends WorkloadChart {
  constructor(scope: Construct, { cluster, settings }: WorkloadContext<VersionsSettings>) {
    super(scope, 'versions');
    new BlueGreenService(this, 'ver', {
      namespace: versionsNamespace.name,
      name: 'ver',
      active: settings.active,
      replicas: settings.replicas,
      scaleIdleToZero: settings.scaleIdleToZero,
      preview: settings.preview,
      slots: {
        blue: { container: versionServer(settings.blue.tag), version: settings.blue.tag },
        green: { container: versionServer(settings.green.tag), version: settings.green.tag },
      },
      placement: cluster.place(`${this.node.path}/ver`, platform),
      service: { ports: [{ name: 'http', port: 80 }] },
      ingressFrom: ['cluster'],
    });
  }
}
