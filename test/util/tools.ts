/**
 * Tests that shell out to a tool this machine may not have (a fresh machine has only Node).
 * Without the tool such a test is skipped VISIBLY: its title gets ` [needs <tool>]` and
 * test/reporters/skipped-tools.js lists what was skipped and how to install it at the end of the
 * run. Under `CI=true` nothing is skipped: the test runs and fails with the install hint
 * (.ci/run installs the tools first).
 */
import { spawnSync } from 'child_process';

interface ToolSpec {
  /** Shell command that succeeds when the tool is usable. */
  readonly probe: string;
  /** The Debian/Ubuntu package that provides it. */
  readonly apt: string;
}

export const TOOLS = {
  shellcheck: { probe: 'command -v shellcheck', apt: 'shellcheck' },
  'cloud-init': { probe: 'command -v cloud-init', apt: 'cloud-init' },
  'systemd-analyze': { probe: 'command -v systemd-analyze', apt: 'systemd' },
  // cloud-init's YAML reader (YAML 1.1); comes with cloud-init.
  pyyaml: { probe: 'python3 -c "import yaml"', apt: 'python3-yaml' },
} as const satisfies Record<string, ToolSpec>;

export type ToolName = keyof typeof TOOLS;

const found = new Map<ToolName, boolean>();

export function hasTool(name: ToolName): boolean {
  if (!found.has(name)) found.set(name, spawnSync('sh', ['-c', `${TOOLS[name].probe} >/dev/null 2>&1`]).status === 0);
  return found.get(name)!;
}

export const inCi = (): boolean => process.env.CI === 'true' || process.env.CI === '1';

/** The hint a missing tool fails with under CI. */
export function installHint(name: ToolName): string {
  return `${name} is not installed; .ci/run installs it (sudo apt-get install -y ${TOOLS[name].apt}), or install it locally.`;
}

/** Throws the install hint when `name` is missing (use inside a test made by `testWith`). */
export function requireTool(name: ToolName): void {
  if (!hasTool(name)) throw new Error(installHint(name) + (inCi() ? ' (CI=true: tests never skip for a missing tool)' : ''));
}

type TestFn = (title: string, fn: () => unknown, timeout?: number) => void;
type EachFn = (table: readonly unknown[]) => (title: string, fn: (...args: any[]) => unknown, timeout?: number) => void;

/**
 * `test` when every tool in `names` is present (or under CI=true, where a missing one fails the test);
 * otherwise `test.skip` with ` [needs a, b]` in the title, for the summary reporter.
 */
export function testWith(...names: ToolName[]): TestFn & { each: EachFn } {
  const missing = names.filter((n) => !hasTool(n));
  if (missing.length === 0 || inCi()) {
    const t = ((title: string, fn: () => unknown, timeout?: number) => test(title, fn as () => void, timeout)) as TestFn & { each: EachFn };
    t.each = (table) => (title, fn, timeout) => test.each(table as unknown[][])(title, fn, timeout);
    return t;
  }
  const suffix = ` [needs ${missing.join(', ')}]`;
  const t = ((title: string, fn: () => unknown, timeout?: number) => test.skip(title + suffix, fn as () => void, timeout)) as TestFn & { each: EachFn };
  t.each = (table) => (title, fn, timeout) => test.skip.each(table as unknown[][])(title + suffix, fn, timeout);
  return t;
}
