// The second-engine test support itself: it starts on its own bridge and TCP port, carries the images
// it was given, disappears when killed and comes back on the same data. Suites about remote engines and
// engine pools build on it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { announceDockerSkip, BUSYBOX, probeDocker } from './test-support';
import { startSecondEngine, type SecondEngine } from './second-engine';
import { imageExists } from './images';

const probe = await probeDocker();
announceDockerSkip('second engine', probe);
let engine: SecondEngine | undefined;
let reason: string | undefined;

beforeAll(async () => {
  if (!probe.docker) return;
  const started = await startSecondEngine({ name: 'se-test', port: 23751, bridgeCidr: '10.201.255.1/24', images: [BUSYBOX], source: probe.docker });
  engine = started.engine;
  reason = started.reason;
}, 120_000);
afterAll(() => engine?.stop(), 60_000);

describe.runIf(probe.docker || process.env.CI === 'true')('a second Docker engine on this machine', () => {
  it('runs a container from a copied image on its own bridge, reachable only on 127.0.0.1', async () => {
    expect(reason).toBeUndefined();
    const docker = engine!.docker;
    expect(await imageExists(docker, BUSYBOX)).toBe(true);
    const info = (await docker.getNetwork('bridge').inspect()) as { IPAM: { Config: { Subnet: string }[] } };
    expect(info.IPAM.Config[0]!.Subnet).toBe('10.201.255.0/24');
    const listening = execFileSync('ss', ['-Hltn', 'sport = :23751']).toString();
    expect(listening).toContain('127.0.0.1:23751');
    expect(listening).not.toContain('0.0.0.0:23751');
  });

  it('disappears when killed and comes back on the same data', async () => {
    await engine!.kill();
    await expect(engine!.docker.ping()).rejects.toThrow();
    await engine!.restart();
    expect(await imageExists(engine!.docker, BUSYBOX)).toBe(true);
  }, 90_000);

  it('leaves no host rule behind, and docker0 alone, when stopped after a kill', async () => {
    const network = await engine!.docker.createNetwork({ Name: 'se-test-net' });
    const bridge = `br-${network.id.slice(0, 12)}`;
    const hostRules = () => execFileSync('iptables-save').toString();
    expect(hostRules()).toContain(bridge);
    expect(hostRules()).toContain('clnrm-se-test');
    await engine!.kill(); // as the engine-pool suite does: its rules stay on the host
    await engine!.stop();
    expect(hostRules()).not.toContain(bridge);
    expect(hostRules()).not.toContain('clnrm-se-test');
    expect(execFileSync('ip', ['-br', 'link']).toString()).toMatch(/^docker0 /m);
  }, 90_000);
});
