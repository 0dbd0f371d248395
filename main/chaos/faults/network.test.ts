// Network faults on the real engine, measured from other containers (pings, ICMP counters, name
// lookups) and checked reverted. Needs root and a local engine for the iptables faults (nsenter).
// Skips loudly without Docker; fails under CI=true.
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceDockerSkip, probeDocker } from '../../docker/test-support';
import { injectFault } from './index';
import { idleService, startRun, type TestRun } from './test-support';

const probe = await probeDocker();
announceDockerSkip('chaos network faults', probe);

describe('Docker availability', () => {
  it.skipIf(!probe.docker && process.env.CI !== 'true')('has a Docker engine with the test images (required when CI=true)', () => {
    if (!probe.docker) throw new Error(probe.reason);
  });
});

/** Packet loss in percent as ping reports it (100 when nothing came back or the name did not resolve). */
async function pingLoss(run: TestRun, from: string, to: string, count: number): Promise<number> {
  const result = await run.sh(from, `ping -c ${count} -i 0.02 -W 2 ${to} 2>&1`);
  const loss = /(\d+)% packet loss/.exec(result.stdout);
  return loss ? Number(loss[1]) : 100;
}

/** Echo requests the service's kernel has received (its namespace's /proc/net/snmp). */
async function echoesReceived(run: TestRun, service: string): Promise<number> {
  const script = `awk '/^Icmp:/ { if (!h) { for (i = 1; i <= NF; i++) if ($i == "InEchos") c = i; h = 1 } else print $c }' /proc/net/snmp`;
  return Number((await run.sh(service, script)).stdout.trim());
}

describe.skipIf(!probe.docker)('network faults (real engine)', () => {
  const docker = probe.docker!;
  let run: TestRun;
  beforeAll(async () => {
    run = await startRun(docker, [idleService('a', { aliases: ['a-alias'] }), idleService('b'), idleService('c')]);
  });
  afterAll(async () => {
    await run?.set.dispose();
  });
  const rulesOf = async (service: string) => {
    const pid = (await run.inspect(service)).State.Pid;
    const list = (table: string) => new Promise<string>((resolve, reject) => execFile('nsenter', ['-t', String(pid), '-n', 'iptables', '-t', table, '-S'], (e, out) => (e ? reject(e) : resolve(out))));
    return (await list('filter')) + (await list('raw'));
  };

  it('network_partition: a and b cannot reach each other, a still reaches c; reverted, a reaches b', async () => {
    const revert = await injectFault(run.target('a'), 'network_partition', { peer: 'b' });
    expect(await rulesOf('a')).toContain(`clnrm:${run.set.owner.runId}`);
    expect(await pingLoss(run, 'a', 'b', 3)).toBe(100);
    expect(await pingLoss(run, 'b', 'a', 3)).toBe(100);
    expect(await pingLoss(run, 'a', 'c', 3)).toBe(0);
    await revert();
    expect(await pingLoss(run, 'a', 'b', 3)).toBe(0);
    expect(await rulesOf('a')).not.toContain('clnrm:');
  });

  it('network_partition_oneway (ingress on a from b): b\'s echo requests never reach a, a\'s still reach b', async () => {
    const revert = await injectFault(run.target('a'), 'network_partition_oneway', { peer: 'b', direction: 'ingress' });
    const [aBefore, bBefore] = [await echoesReceived(run, 'a'), await echoesReceived(run, 'b')];
    expect(await pingLoss(run, 'b', 'a', 5)).toBe(100);
    expect(await pingLoss(run, 'a', 'b', 5)).toBe(100); // the replies are dropped on the way in…
    expect(await echoesReceived(run, 'a')).toBe(aBefore);
    expect(await echoesReceived(run, 'b')).toBe(bBefore + 5); // …but the requests got through
    await revert();
    expect(await pingLoss(run, 'b', 'a', 3)).toBe(0);
  });

  it('packet_loss 50 % (ingress): about half of 200 pings are lost; none after revert', async () => {
    const revert = await injectFault(run.target('a'), 'packet_loss', { loss_percent: 50 });
    const loss = await pingLoss(run, 'b', 'a', 200);
    // Binomial(200, 0.5): one standard deviation is 3.5 points; 35–65 is more than four.
    expect(loss).toBeGreaterThanOrEqual(35);
    expect(loss).toBeLessThanOrEqual(65);
    await revert();
    expect(await pingLoss(run, 'b', 'a', 20)).toBe(0);
  });

  it('packet_loss 100 % egress towards peer b only: b gets no answer from a, c still does', async () => {
    const revert = await injectFault(run.target('a'), 'packet_loss', { loss_percent: 100, direction: 'egress', peer: 'b' });
    expect(await pingLoss(run, 'b', 'a', 5)).toBe(100);
    expect(await pingLoss(run, 'c', 'a', 5)).toBe(0);
    await revert();
    expect(await pingLoss(run, 'b', 'a', 3)).toBe(0);
  });

  it('dns_failure: a cannot resolve b (IPs still work); after revert it can', async () => {
    const lookup = async () => (await run.sh('a', 'timeout 3 nslookup b >/dev/null 2>&1; echo $?')).stdout.trim();
    expect(await lookup()).toBe('0');
    const bIp = Object.values((await run.inspect('b')).NetworkSettings.Networks)[0]!.IPAddress;
    const revert = await injectFault(run.target('a'), 'dns_failure', {});
    expect(await lookup()).not.toBe('0');
    expect(await pingLoss(run, 'a', bIp, 2)).toBe(0);
    await revert();
    expect(await lookup()).toBe('0');
  });

  it('network_disconnect: a is off the run network; reconnected with its aliases', async () => {
    const revert = await injectFault(run.target('a'), 'network_disconnect', {});
    expect(Object.keys((await run.inspect('a')).NetworkSettings.Networks)).toEqual([]);
    expect(await pingLoss(run, 'b', 'a', 2)).toBe(100);
    await revert();
    expect(await pingLoss(run, 'b', 'a', 2)).toBe(0);
    expect(await pingLoss(run, 'b', 'a-alias', 2)).toBe(0);
  });

  it('names a peer that does not run', async () => {
    await expect(injectFault(run.target('a'), 'network_partition', { peer: 'nobody' })).rejects.toMatchObject({ code: 'chaos.inject-failed', message: expect.stringContaining('peer service "nobody" does not run') });
  });

  it('says clearly when the engine is remote', async () => {
    await expect(injectFault({ ...run.target('a'), engineIsLocal: false }, 'packet_loss', { loss_percent: 10 })).rejects.toMatchObject({ code: 'chaos.unavailable', message: expect.stringContaining('remote engine') });
  });
});
