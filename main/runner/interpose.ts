// Putting a service behind a proxy without changing the system under test: the proxy container takes
// the service's DNS name (its id), the service itself answers to `<id>--upstream` only, and the proxy
// forwards there. The proxy starts after the service and before everything that depends on the
// service, so no client ever resolves the name to the real container. The chaos layer's fault proxy
// plugs in here (`RunTestsOptions.interpose`).
import { StudioError } from '../../shared/errors';
import type { ServiceDefinition } from '../docker';

/** The name the real service keeps once a proxy has taken its id. */
export const upstreamName = (service: string): string => `${service}--upstream`;

export interface InterposeRequest {
  /** The service to put behind the proxy. */
  readonly service: string;
  /** The proxy's container, given where to forward to (the service's new name and its ports). */
  readonly proxy: (upstream: { host: string; ports: readonly number[] }) => ServiceDefinition;
}

/** The service definitions with each requested proxy in front of its service. */
export function interposeProxies(defs: readonly ServiceDefinition[], requests: readonly InterposeRequest[]): ServiceDefinition[] {
  let out = [...defs];
  for (const request of requests) {
    const target = out.find((d) => d.id === request.service);
    if (!target) throw new StudioError({ code: 'spec.reference', message: `cannot put "${request.service}" behind a proxy: the test has no such service (services: ${out.map((d) => d.id).join(', ')})` });
    const host = upstreamName(target.id);
    const proxy = request.proxy({ host, ports: target.ports ?? [] });
    if (out.some((d) => d.id === proxy.id)) throw new StudioError({ code: 'spec.reference', message: `the proxy for "${target.id}" is named "${proxy.id}", which a service of the test already uses` });
    out = out.map((d) => {
      if (d.id === target.id) return { ...d, dnsName: host };
      // Whoever waits for the service now also waits for the proxy in front of it.
      if (d.dependsOn?.includes(target.id)) return { ...d, dependsOn: [...d.dependsOn, proxy.id] };
      return d;
    });
    out.push({ ...proxy, aliases: [...(proxy.aliases ?? []), target.id], dependsOn: [...(proxy.dependsOn ?? []), target.id] });
  }
  return out;
}
