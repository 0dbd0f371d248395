// The fault proxy in front of a service on a run's network, through the runner's seam
// (main/runner/interpose.ts): a cleanroom/chaos-proxy container takes the service's DNS name and
// forwards each of its ports to the service's new name, so the system under test is unchanged and its
// traffic to the service can be faulted through the proxy's API (port 8474 of that container).
import type { InterposeRequest } from '../../runner/interpose';

export const FAULT_PROXY_IMAGE = 'cleanroom/chaos-proxy:latest';
export const FAULT_PROXY_API_PORT = 8474;

/** The proxy container's id (and DNS name on the run network) for a service. */
export const faultProxyId = (service: string): string => `${service}-chaos-proxy`;
/** The name of the proxy that carries `port` of `service` (as the API knows it). */
export const faultProxyName = (service: string, port: number): string => `${service}-${port}`;

/** Ready once every proxied port accepts connections (proxies are created just after the API starts). */
function portsOpenCheck(ports: readonly number[]): readonly string[] {
  const script =
    `const ports=${JSON.stringify(ports)};let left=ports.length;` +
    "for(const p of ports)require('net').connect(p,'127.0.0.1').on('connect',function(){this.destroy();if(--left===0)process.exit(0)}).on('error',()=>process.exit(1));";
  return ['node', '-e', script];
}

export function faultProxyInFront(service: string, options: { deadManMs?: number } = {}): InterposeRequest {
  return {
    service,
    proxy: ({ host, ports }) => {
      if (ports.length === 0) throw new Error(`cannot put the fault proxy in front of "${service}": it declares no ports`);
      const proxies = ports.map((port) => ({ name: faultProxyName(service, port), listen: `0.0.0.0:${port}`, upstream: `${host}:${port}` }));
      return {
        id: faultProxyId(service),
        image: FAULT_PROXY_IMAGE,
        command: ['--populate', JSON.stringify(proxies), ...(options.deadManMs !== undefined ? ['--dead-man-ms', String(options.deadManMs)] : [])],
        ports: [...ports, FAULT_PROXY_API_PORT],
        healthCheck: { cmd: portsOpenCheck(ports), intervalMs: 200, retries: 50 },
      };
    },
  };
}
