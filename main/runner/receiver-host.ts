// Where the run's OTLP receiver listens so containers can reach it as `host.docker.internal`.
// Containers resolve that name to the engine's host-gateway address, which on Linux is the default
// bridge's gateway (docker0, e.g. 172.17.0.1). Binding exactly there keeps the receiver off every
// other network (loopback alone is not reachable from containers; 0.0.0.0 would expose it to the LAN).
// A remote engine (DOCKER_HOST=tcp://…, ssh://…) cannot reach us at all without opening the receiver to
// the whole network, so it stays on 127.0.0.1: those containers send to a relay on their own network and
// the spans come home over the engine's API (relay.ts). When the gateway is not on this machine but the
// engine is (Docker Desktop's VM) we fall back to 0.0.0.0 and say why.
import { createServer } from 'node:net';
import type Docker from 'dockerode';
import type { DockerEndpoint } from '../docker';

export interface ReceiverBinding {
  /** Address to listen on. */
  readonly host: string;
  /** Why this address (shown in verbose output and the run record). */
  readonly reason: string;
}

/** True when this machine can listen on `address` (it is one of ours, even on a bridge with no carrier). */
function canListenOn(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: address, port: 0 }, () => server.close(() => resolve(true)));
  });
}

/** Docker gives a bridge the first address of its subnet when the IPAM config names no gateway. */
function firstHost(subnet: string | undefined): string | undefined {
  const m = subnet ? /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(subnet) : null;
  if (!m) return undefined;
  const base = ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
  const mask = Number(m[5]) === 0 ? 0 : (0xffffffff << (32 - Number(m[5]))) >>> 0;
  const host = ((base & mask) + 1) >>> 0;
  return [host >>> 24, (host >>> 16) & 255, (host >>> 8) & 255, host & 255].join('.');
}

export async function chooseReceiverBinding(docker: Docker, endpoint: DockerEndpoint, env: Readonly<Record<string, string | undefined>>): Promise<ReceiverBinding> {
  const forced = env.CLNRM_RECEIVER_HOST?.trim();
  if (forced) return { host: forced, reason: 'CLNRM_RECEIVER_HOST' };
  if (!endpoint.local) {
    return { host: '127.0.0.1', reason: `remote engine ${endpoint.address}: its containers' spans come through a relay over the engine's API, nothing listens beyond loopback` };
  }
  let gateway: string | undefined;
  try {
    const info = (await docker.getNetwork('bridge').inspect()) as { IPAM?: { Config?: { Gateway?: string; Subnet?: string }[] } };
    const ipv4 = info.IPAM?.Config?.find((c) => /^\d+\.\d+\.\d+\.\d+\//.test(c.Subnet ?? '') || /^\d+\.\d+\.\d+\.\d+$/.test(c.Gateway ?? ''));
    // Recent engines leave Gateway out of the default bridge's IPAM config.
    gateway = ipv4?.Gateway || firstHost(ipv4?.Subnet);
  } catch {
    gateway = undefined;
  }
  if (gateway && (await canListenOn(gateway))) {
    return { host: gateway, reason: `the default bridge gateway ${gateway}, what host.docker.internal resolves to in containers` };
  }
  return { host: '0.0.0.0', reason: gateway ? `the bridge gateway ${gateway} is not an address of this machine (engine in a VM)` : 'the engine reports no bridge gateway' };
}
