import { readdirSync, readFileSync, statSync } from 'fs';
import { join, relative, resolve, dirname, sep } from 'path';

/**
 * The folders follow the data flow (contracts → environments → constructs → charts → synth; environments →
 * infra/edge; guardrails apart). These tests read the import statements of the source tree, so a new
 * import that closes a cycle or reaches up the flow fails here, naming the file.
 */
const ROOT = resolve(__dirname, '..');
const SKIP = new Set(['node_modules', 'dist', 'test', '__snapshots__', 'reports', '.git', '.stryker-tmp', 'cdk8s.out']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (SKIP.has(name) || name.startsWith('.')) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Top-level folder of a repository path (`main.ts` and other root files are the app entry). */
function folderOf(path: string): string {
  const first = relative(ROOT, path).split(sep)[0];
  const isFolder = (() => {
    try {
      return statSync(join(ROOT, first)).isDirectory();
    } catch {
      return false;
    }
  })();
  return isFolder ? first : '(root)';
}

/** Every relative import (static, dynamic, require, export from) of each source file, resolved to its folder. */
function importEdges(): { from: string; to: string; file: string }[] {
  const specifier = /(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)|require\(\s*['"](\.[^'"]+)['"]\s*\)|^import\s+['"](\.[^'"]+)['"]/gm;
  return sourceFiles(ROOT).flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    return [...text.matchAll(specifier)].map((m) => {
      const target = resolve(dirname(file), m[1] ?? m[2] ?? m[3] ?? m[4]);
      return { from: folderOf(file), to: folderOf(target), file: relative(ROOT, file) };
    });
  }).filter((e) => e.from !== e.to);
}

const edges = importEdges();

/** Which folders each folder may import; anything else is a layering violation. */
const ALLOWED: Record<string, readonly string[]> = {
  contracts: [],
  guardrails: ['contracts'],
  environments: ['contracts'],
  constructs: ['contracts'],
};

test('the scan sees the project (a scan that finds nothing would pass anything)', () => {
  const folders = new Set(edges.map((e) => e.from));
  for (const folder of ['charts', 'synth', 'cross-layer', 'infra']) expect(folders).toContain(folder);
});

test.each(Object.keys(ALLOWED))('%s imports only the folders below it', (folder) => {
  const bad = edges.filter((e) => e.from === folder && !ALLOWED[folder].includes(e.to)).map((e) => `${e.file} → ${e.to}/`);
  expect(bad).toEqual([]);
});

/** Every cycle in the folder graph, as `a → b → a`. */
function cyclesOf(list: readonly { from: string; to: string }[]): string[] {
  const graph = new Map<string, Set<string>>();
  for (const e of list) graph.set(e.from, (graph.get(e.from) ?? new Set()).add(e.to));
  const cycles = new Set<string>();
  const visit = (node: string, path: string[]) => {
    if (path.includes(node)) {
      cycles.add([...path.slice(path.indexOf(node)), node].join(' → '));
      return;
    }
    for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
  };
  for (const node of graph.keys()) visit(node, []);
  return [...cycles];
}

test('no import cycle between top-level folders', () => {
  expect(cyclesOf(edges)).toEqual([]);
});

test('the cycle finder sees a cycle through three folders', () => {
  const broken = [...edges, { from: 'contracts', to: 'synth' }];
  expect(cyclesOf(broken).some((c) => c.startsWith('contracts → synth'))).toBe(true);
  expect(cyclesOf([{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }])).toEqual([]);
});
