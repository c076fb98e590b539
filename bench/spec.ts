/**
 * The one app every contender synthesizes N times: a web Deployment (probes, resources, strict
 * security, /tmp emptyDir, hostname anti-affinity and zone spread), its Service, a
 * PodDisruptionBudget and a CPU HorizontalPodAutoscaler — 4 objects per app.
 * Shared by bench/ours.ts and bench/cdk8s-plus.ts; bench/helm-chart and bench/floor.ts reproduce
 * the same objects (the harness checks the floor against ours' output).
 */
import type { ContainerProps } from '../constructs/pod-template';
import type { AutoscalingOptions, ServiceOptions } from '../constructs/ha-web-app';
import type { NodePoolShape } from '../constructs/platform';

export const NAMESPACE = 'bench';

/** `web-0000`, `web-0001`, ... (fixed width, so every app's objects have the same size). */
export function appName(i: number): string {
  return `web-${String(i).padStart(4, '0')}`;
}

export const LINUX_POOLS: NodePoolShape[] = [
  { name: 'linux-amd64', os: 'linux', arch: 'amd64', min: 3, taints: [] },
  { name: 'linux-arm64', os: 'linux', arch: 'arm64', min: 3, taints: [] },
];

export const CONTAINER: ContainerProps = {
  name: 'web',
  image: 'registry.example.com/bench/web:1.4.2',
  ports: [{ name: 'http', containerPort: 8080 }],
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
  readiness: { http: '/healthz', port: 'http', periodSeconds: 5 },
  liveness: { tcp: true, port: 'http', periodSeconds: 10, failureThreshold: 6 },
};

export const SERVICE: ServiceOptions = { ports: [{ name: 'http', port: 80 }] };

export const AUTOSCALING: AutoscalingOptions = { minReplicas: 2, maxReplicas: 6, cpuUtilization: 70 };

/** `script N OUTDIR ...` → N and OUTDIR, or exit 2. */
export function parseArgs(argv: readonly string[] = process.argv.slice(2)): { n: number; outDir: string; rest: string[] } {
  const [count, outDir, ...rest] = argv;
  const n = Number(count);
  if (!Number.isInteger(n) || n < 1 || !outDir) {
    console.error('usage: <script> N OUTDIR');
    process.exit(2);
  }
  return { n, outDir, rest };
}

/**
 * When the harness cannot wrap children in `/usr/bin/time`, it sets BENCH_REPORT_RSS=1 and each
 * child prints `{"benchMaxRssKb":...}` as its last stderr line on exit.
 */
export function reportRssOnExit(): void {
  if (process.env.BENCH_REPORT_RSS !== '1') return;
  process.on('exit', () => {
    process.stderr.write(`\n${JSON.stringify({ benchMaxRssKb: process.resourceUsage().maxRSS })}\n`);
  });
}
