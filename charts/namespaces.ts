import { Construct } from 'constructs';
import { AppNamespace, AppNamespaceProps } from '../constructs/app-namespace';
import { WorkloadChart } from './context';

/** Every namespace the enabled workloads use, in one file that sorts first in `dist/<env>/`. */
export class NamespacesChart extends WorkloadChart {
  constructor(scope: Construct, namespaces: readonly AppNamespaceProps[]) {
    super(scope, '00-namespaces');
    const byName = new Map(namespaces.map((ns) => [ns.name, ns]));
    for (const ns of [...byName.values()].sort((a, b) => a.name.localeCompare(b.name))) {
      new AppNamespace(this, ns.name, ns);
    }
  }
}
