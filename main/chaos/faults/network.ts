// Network faults without netem: disconnect from the run network (Docker), and iptables rules in the
// container's namespace for partitions between two services, one-way partitions, random packet loss
// and DNS failure. Loopback is never touched (in-container traffic and Docker's DNS forwarder use it).
import type Docker from 'dockerode';
import { LABEL_ALIASES, LABEL_EXECUTION_ID, LABEL_SERVICE } from '../../docker/labels';
import { addRules, type IptablesRule } from './netns';
import type { FaultTarget, Injector } from './target';
import { engine, fail, inspect } from './target';

type Direction = 'ingress' | 'egress' | 'both';

/** The DNS names to reconnect with: the service's own (label) or, for other containers, the engine's minus its id. */
export function aliasesFor(info: Docker.ContainerInspectInfo, endpointAliases: readonly string[] | null | undefined): string[] {
  const fromLabel = info.Config.Labels?.[LABEL_ALIASES];
  if (fromLabel) return fromLabel.split(',').filter(Boolean);
  return (endpointAliases ?? []).filter((a) => !info.Id.startsWith(a));
}

const networkDisconnect: Injector = async (target) => {
  const info = await inspect(target);
  const endpoints = Object.entries(info.NetworkSettings.Networks ?? {}).filter(([name]) => !['none', 'host'].includes(name));
  if (endpoints.length === 0) fail('chaos.inject-failed', target, 'it is on no network to disconnect from');
  const disconnected: { name: string; aliases: string[] }[] = [];
  for (const [name, endpoint] of endpoints) {
    await engine(target, `docker network disconnect ${name}`, () => target.docker.getNetwork(name).disconnect({ Container: target.containerId }));
    disconnected.push({ name, aliases: aliasesFor(info, endpoint.Aliases) });
  }
  return async () => {
    const now = await target.docker.getContainer(target.containerId).inspect();
    for (const { name, aliases } of disconnected) {
      if (now.NetworkSettings.Networks?.[name]) continue;
      await target.docker.getNetwork(name).connect({ Container: target.containerId, EndpointConfig: { Aliases: aliases } });
    }
  };
};

/** The peer service's addresses on the networks it shares with the target (same execution). */
async function peerAddresses(target: FaultTarget, peer: string): Promise<string[]> {
  const info = await inspect(target);
  const execution = info.Config.Labels?.[LABEL_EXECUTION_ID];
  if (!execution) fail('chaos.inject-failed', target, 'it is not a service of a run (no clnrm.execution_id label), so peer services cannot be found');
  const found = await target.docker.listContainers({ filters: { label: [`${LABEL_EXECUTION_ID}=${execution}`, `${LABEL_SERVICE}=${peer}`] } });
  if (found.length === 0) fail('chaos.inject-failed', target, `peer service "${peer}" does not run in this execution`);
  const mine = new Set(Object.keys(info.NetworkSettings.Networks ?? {}));
  const addresses = Object.entries(found[0]!.NetworkSettings?.Networks ?? {})
    .filter(([name, n]) => mine.has(name) && n.IPAddress)
    .map(([, n]) => n.IPAddress);
  if (addresses.length === 0) fail('chaos.inject-failed', target, `peer service "${peer}" shares no network with it`);
  return addresses;
}

function directional(direction: Direction, match: (chain: 'INPUT' | 'OUTPUT') => string[]): IptablesRule[] {
  const rules: IptablesRule[] = [];
  if (direction !== 'egress') rules.push({ table: 'filter', chain: 'INPUT', spec: ['!', '-i', 'lo', ...match('INPUT'), '-j', 'DROP'] });
  if (direction !== 'ingress') rules.push({ table: 'filter', chain: 'OUTPUT', spec: ['!', '-o', 'lo', ...match('OUTPUT'), '-j', 'DROP'] });
  return rules;
}

function peerMatch(addresses: readonly string[] | undefined): (chain: 'INPUT' | 'OUTPUT') => string[] {
  if (!addresses) return () => [];
  return (chain) => [chain === 'INPUT' ? '-s' : '-d', addresses.join(',')];
}

const networkPartition: Injector = async (target, params) => {
  const addresses = await peerAddresses(target, String(params.peer));
  return addRules(target, directional('both', peerMatch(addresses)));
};

const networkPartitionOneway: Injector = async (target, params) => {
  const addresses = await peerAddresses(target, String(params.peer));
  return addRules(target, directional(params.direction as Direction, peerMatch(addresses)));
};

const packetLoss: Injector = async (target, params) => {
  const addresses = params.peer === undefined ? undefined : await peerAddresses(target, String(params.peer));
  const probability = (Number(params.loss_percent) / 100).toFixed(4);
  const match = peerMatch(addresses);
  return addRules(target, directional(params.direction as Direction, (chain) => [...match(chain), '-m', 'statistic', '--mode', 'random', '--probability', probability]));
};

/**
 * Drops DNS queries in the raw table: Docker's embedded DNS (127.0.0.11:53) is DNATed to another port
 * in nat OUTPUT, which runs after raw and before filter — so only raw still sees port 53.
 */
const dnsFailure: Injector = async (target) =>
  addRules(target, ['udp', 'tcp'].map((proto) => ({ table: 'raw', chain: 'OUTPUT', spec: ['-p', proto, '--dport', '53', '-j', 'DROP'] })));

export const NETWORK_INJECTORS: Readonly<Record<string, Injector>> = {
  network_disconnect: networkDisconnect,
  network_partition: networkPartition,
  network_partition_oneway: networkPartitionOneway,
  packet_loss: packetLoss,
  dns_failure: dnsFailure,
};
