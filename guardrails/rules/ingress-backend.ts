import { isKind, Lookup, Manifest } from '../manifest';
import { asString, at, JsonObject, objects } from '../object';
import { Rule, Violation } from './rule';

interface Backend {
  readonly field: string;
  readonly service: string;
  readonly port?: number | string;
  /** Where the port is named: `service.port` (v1) or `servicePort` (v1beta1). */
  readonly portField: string;
}

/** Every Service backend of an Ingress (networking.k8s.io/v1 and the old extensions/v1beta1 shape). */
function backendsOf(ingress: Manifest): Backend[] {
  const read = (field: string, backend: unknown): Backend[] => {
    const b = backend as JsonObject | undefined;
    const v1 = at(b, 'service') as JsonObject | undefined;
    const service = asString(at(v1, 'name')) ?? asString(at(b, 'serviceName'));
    if (!service) return [];
    const port = (at(v1, 'port', 'number') ?? at(v1, 'port', 'name') ?? at(b, 'servicePort')) as number | string | undefined;
    return [{ field, service, port, portField: `${field}.${v1 ? 'service.port' : 'servicePort'}` }];
  };
  const spec = at(ingress.object, 'spec');
  // v1beta1 called the default backend spec.backend.
  const defaultBackend = at(spec, 'defaultBackend') === undefined ? 'backend' : 'defaultBackend';
  return [
    ...read(`spec.${defaultBackend}`, at(spec, defaultBackend)),
    ...objects(at(spec, 'rules')).flatMap((rule, r) => objects(at(rule, 'http', 'paths')).flatMap((path, p) => read(`spec.rules[${r}].http.paths[${p}].backend`, path.backend))),
  ];
}

function problem(ingress: Manifest, backend: Backend, lookup: Lookup): Violation | undefined {
  // AWS Load Balancer Controller actions: the "service" is an annotation, not a Service.
  if (backend.port === 'use-annotation') return undefined;
  const service = lookup(ingress.namespace, 'Service', backend.service);
  if (!service) return { manifest: ingress, field: backend.field, problem: `backend Service "${backend.service}" is not among the manifests in namespace "${ingress.namespace}"`, fix: 'fix the Service name or add the Service' };
  if (backend.port === undefined) return undefined;
  const ports = objects(at(service.object, 'spec', 'ports'));
  const found = ports.some((p) => (typeof backend.port === 'number' ? p.port === backend.port : p.name === backend.port));
  if (found || ports.length === 0) return undefined;
  return { manifest: ingress, field: backend.portField, problem: `${service.ref} has no port ${JSON.stringify(backend.port)}`, fix: `use one of its ports (${ports.map((p) => asString(p.name) ?? p.port).join(', ')})` };
}

export const ingressBackend: Rule = {
  id: 'ingress-backend',
  severity: 'error',
  description: 'Every backend of an Ingress names a Service among the manifests of its namespace, and a port that Service has; otherwise the path answers 503.',
  remediation: 'Fix the backend’s service name or port, or add the Service.',
  equivalents: { kubeLinter: ['dangling-ingress'], kubeScore: ['ingress-targets-service'] },
  check: ({ manifests, lookup }) =>
    manifests
      .filter((m) => isKind(m, ['networking.k8s.io', 'extensions'], 'Ingress'))
      .flatMap((ingress) => backendsOf(ingress).flatMap((b) => problem(ingress, b, lookup) ?? [])),
};
