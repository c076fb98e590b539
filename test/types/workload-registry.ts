/**
 * Type-level tests, checked by `npm run typecheck` (tsconfig includes test/): each `@ts-expect-error`
 * must meet an error, or tsc fails with "Unused '@ts-expect-error' directive".
 */
import { WORKLOADS, WorkloadRegistry } from '../../charts';
import { Toggle, Workloads } from '../../environments';

export const wired: WorkloadRegistry<Workloads> = WORKLOADS;

// A workload added to the model (Workloads) without an entry in charts/index.ts does not compile.
// @ts-expect-error Property 'greeter' is missing
export const unwired: WorkloadRegistry<Workloads & { readonly greeter: Toggle<{ readonly replicas: number }> }> = WORKLOADS;

// Nor does an entry for a workload the model does not have.
// @ts-expect-error Object literal may only specify known properties, and 'gone' does not exist
export const stale: WorkloadRegistry<Workloads> = { ...WORKLOADS, gone: WORKLOADS.nginx };

// An entry builds from its own workload's settings: nginx's fields name NginxSettings keys only.
// @ts-expect-error Type '"webNodePort"' is not assignable
export const wrongField: WorkloadRegistry<Workloads> = { ...WORKLOADS, nginx: { ...WORKLOADS.nginx, fields: { replicas: 'webNodePort' } } };
