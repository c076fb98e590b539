import { ApiObject, Chart } from 'cdk8s';
import type { IConstruct } from 'constructs';

/**
 * The objects of `chart`, exactly as `chart.toJson()` returns them, without its per-call cost.
 *
 * `chart.toJson()` re-derives the dependencies of the whole app, re-runs every construct's
 * validations and builds a dependency graph of the chart, on every call: with many charts (or one
 * chart per app when streaming) that dominates synthesis. When no construct of the app declares a
 * dependency and no chart is nested in another, that graph orders the objects exactly as a
 * depth-first walk of the chart does, so this walks the chart instead. Anything else — a
 * dependency, a nested chart, a failing validation — goes through `chart.toJson()` itself, so
 * results and error messages stay cdk8s' own (test/chart-objects.test.ts compares both).
 */
export function chartObjects(chart: Chart): Record<string, unknown>[] {
  const everything = chart.node.root.node.findAll();
  for (const c of everything) {
    if (c.node.dependencies.length > 0) return chart.toJson();
    if (c instanceof Chart && c.node.scope !== undefined && hasChartAbove(c)) return chart.toJson();
    if (c.node.validate().length > 0) return chart.toJson();
  }
  const objects: Record<string, unknown>[] = [];
  for (const c of chart.node.findAll()) {
    if (c instanceof ApiObject && Chart.of(c) === chart) objects.push(c.toJson());
  }
  return objects;
}

function hasChartAbove(c: IConstruct): boolean {
  for (let s = c.node.scope; s !== undefined; s = s.node.scope) if (s instanceof Chart) return true;
  return false;
}
