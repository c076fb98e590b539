import { IConstruct } from 'constructs';
import { refuse } from './errors';

const MIN = 30000;
const MAX = 32767;
// One registry per construct tree (one cdk8s App per environment), so a port is unique per environment.
const reserved = new WeakMap<IConstruct, Map<number, string>>();

/** Claims `port` for `scope`, refusing ports outside the range or already claimed in this environment. */
export function reserveNodePort(scope: IConstruct, field: string, port: number): void {
  if (!Number.isInteger(port) || port < MIN || port > MAX) {
    refuse(scope, field, `nodePort ${port} is outside ${MIN}-${MAX}`, `pick a port in ${MIN}-${MAX}`);
  }
  const root = scope.node.root;
  const ports = reserved.get(root) ?? new Map<number, string>();
  reserved.set(root, ports);
  const owner = ports.get(port);
  if (owner !== undefined) refuse(scope, field, `nodePort ${port} is already used by ${owner}`, 'give every NodePort Service port its own nodePort');
  ports.set(port, `${scope.node.path} ${field}`);
}
