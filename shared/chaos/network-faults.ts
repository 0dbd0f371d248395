// The network fault family without netem: Docker network disconnects, and iptables rules inside the
// container's network namespace (entered with nsenter on the engine's host, so the image needs no
// iptables and no capabilities). Latency, bandwidth and other stream faults come from the fault proxy.
import type { FaultSpec, ParameterSpec } from './fault-spec';

const peer = (required: boolean): ParameterSpec => ({
  name: 'peer', type: 'service', required,
  description: required ? 'the other service' : 'only traffic with this service (default: all but loopback)',
});
const direction: ParameterSpec = {
  name: 'direction', type: 'enum', values: ['ingress', 'egress', 'both'], default: 'ingress',
  description: 'packets arriving at (ingress) or leaving (egress) the target',
};
const ruleRevert = 'deletes its iptables rules (each tagged with the comment clnrm:<run>; a later start finds and deletes them too)';

export const NETWORK_FAULTS: readonly FaultSpec[] = [
  {
    id: 'network_disconnect', family: 'network', description: 'Disconnect the container from the run network (docker network disconnect)',
    parameters: [], needs: ['docker'], revertible: true, injectable: true,
    revert: 'reconnects it with its DNS aliases (label clnrm.aliases); a later start reconnects containers of a dead run',
  },
  {
    id: 'network_partition', family: 'network', description: 'Drop all packets between the target and a peer service, both ways',
    parameters: [peer(true)], needs: ['docker', 'local-engine-root'], revertible: true, injectable: true, revert: ruleRevert,
  },
  {
    id: 'network_partition_oneway', family: 'network', description: 'Drop packets from the peer (ingress) or to it (egress) only',
    parameters: [peer(true), { ...direction, values: ['ingress', 'egress'] }],
    needs: ['docker', 'local-engine-root'], revertible: true, injectable: true, revert: ruleRevert,
  },
  {
    id: 'packet_loss', family: 'network', description: 'Drop a random fraction of packets (iptables statistic --mode random)',
    parameters: [
      { name: 'loss_percent', type: 'number', unit: '%', min: 0, max: 100, default: 10, description: 'chance that each packet is dropped' },
      direction,
      peer(false),
    ],
    needs: ['docker', 'local-engine-root'], revertible: true, injectable: true, revert: ruleRevert,
  },
  {
    id: 'dns_failure', family: 'network', description: 'Name lookups time out: DNS queries (udp/tcp 53) from the container are dropped',
    parameters: [], needs: ['docker', 'local-engine-root'], revertible: true, injectable: true,
    revert: `${ruleRevert}; names in /etc/hosts still resolve`,
  },
];
