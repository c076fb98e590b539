import { Construct } from 'constructs';
import type { IGateway } from '@kubernetes-models/istio/networking.istio.io/v1/Gateway';
import type { IVirtualService } from '@kubernetes-models/istio/networking.istio.io/v1/VirtualService';
import { refuse } from './errors';
import { Manifest } from './manifest';

/** The Istio API version the project writes (served since Istio 1.22). */
export const ISTIO_NETWORKING_API = 'networking.istio.io/v1';

export interface IstioIngressProps {
  readonly namespace: string;
  /** The VirtualService's name (`minio` in the cookbook). */
  readonly name: string;
  /** The Gateway's name. @default `<name>-gateway` (the cookbook's `minio-gateway`) */
  readonly gatewayName?: string;
  /** Hostnames the gateway accepts; `*` for any (the cookbook's choice). */
  readonly hosts: readonly string[];
  /** The Service the route sends `/` to, in the same namespace. */
  readonly serviceName: string;
  /** The Service port number the route targets. */
  readonly servicePort: number;
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * An Istio ingress route: a Gateway on the shared ingress gateway (`selector: {istio: ingressgateway}`,
 * HTTP on 80) and a VirtualService sending the prefix `/` to one Service port. The Gateway and the
 * VirtualService live in the app's namespace, so the VirtualService names the Gateway without a
 * namespace prefix (the cookbook's `minio-gateway.default` was its namespace spelled out).
 */
export class IstioIngress extends Construct {
  readonly gatewayName: string;

  constructor(scope: Construct, id: string, props: IstioIngressProps) {
    super(scope, id);
    if (!props.hosts.length) refuse(this, 'hosts', 'a Gateway needs at least one host', "list the hostnames, or '*' for any");
    for (const host of props.hosts) {
      if (host !== '*' && !/^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(host)) {
        refuse(this, 'hosts', `"${host}" is not a hostname`, "use a DNS name such as 'minio.example.com', a wildcard '*.example.com', or '*'");
      }
    }
    if (!Number.isInteger(props.servicePort) || props.servicePort < 1 || props.servicePort > 65535) {
      refuse(this, 'servicePort', `${props.servicePort} is not a port number`, 'use the Service port (1-65535)');
    }
    this.gatewayName = props.gatewayName ?? `${props.name}-gateway`;
    const labels = props.labels && { ...props.labels };
    const gateway: IGateway['spec'] = {
      selector: { istio: 'ingressgateway' },
      servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: [...props.hosts] }],
    };
    new Manifest(this, 'Gateway', {
      apiVersion: ISTIO_NETWORKING_API,
      kind: 'Gateway',
      metadata: { name: this.gatewayName, namespace: props.namespace, labels },
      spec: gateway,
    });
    const route: IVirtualService['spec'] = {
      hosts: [...props.hosts],
      gateways: [this.gatewayName],
      http: [{ match: [{ uri: { prefix: '/' } }], route: [{ destination: { host: props.serviceName, port: { number: props.servicePort } } }] }],
    };
    new Manifest(this, 'VirtualService', {
      apiVersion: ISTIO_NETWORKING_API,
      kind: 'VirtualService',
      metadata: { name: props.name, namespace: props.namespace, labels },
      spec: route,
    });
  }
}
