import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_IN_FAULTS } from '../../../shared/chaos/catalog';
import { runCli } from '../testing';

describe('clnrm chaos faults', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'clnrm-chaos-faults-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists every fault with parameters, ranges, needs and the irreversible ones', async () => {
    const r = await runCli(['chaos', 'faults']);
    expect(r.code).toBe(0);
    for (const fault of BUILT_IN_FAULTS) expect(r.stdout).toContain(`${fault.id}  [${fault.family}]`);
    expect(r.stdout).toContain('- loss_percent (number; 0–100 %; default 10): chance that each packet is dropped');
    expect(r.stdout).toMatch(/packet_loss {2}\[network\] {2}needs: docker, local-engine-root/);
    expect(r.stdout).toContain('revert: NOT REVERTIBLE — cannot be undone: the processes are gone');
    expect(r.stdout).toContain(`${BUILT_IN_FAULTS.length} fault types. Cannot be reverted: container_kill, process_kill, oom.`);
  });

  it('prints JSON with ranges', async () => {
    const r = await runCli(['chaos', 'faults', '--format', 'json']);
    const { faults } = JSON.parse(r.stdout) as { faults: { id: string; revertible: boolean; parameters: { name: string; range: string; min?: number }[] }[] };
    expect(faults.map((f) => f.id)).toEqual(BUILT_IN_FAULTS.map((f) => f.id));
    expect(faults.find((f) => f.id === 'memory_limit')!.parameters[0]).toMatchObject({ name: 'memory_mb', min: 6, range: '6–1048576 MB (whole)' });
  });

  it("includes a file's [chaos.catalog], and reports its errors with positions", async () => {
    const head = '[meta]\nname = "t"\nversion = "1"\n\n[[scenario]]\nname = "s"\nrun = "echo hi"\n';
    const good = join(dir, 'good.clnrm.toml');
    await writeFile(good, `${head}\n[[chaos.catalog.fault]]\nid = "packet_loss"\nparameters = { loss_percent = { min = 1, max = 50 } }\n\n[[chaos.catalog.fault]]\nid = "network_latency"\ntype = "network"\nparameters = { delay_ms = { min = 100, max = 5000 } }\n`);
    const r = await runCli(['chaos', 'faults', '--file', good]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('- loss_percent (number; 1–50 %; default 10)');
    expect(r.stdout).toContain('network_latency  [user]  needs: nothing  (not injectable)');

    const bad = join(dir, 'bad.clnrm.toml');
    await writeFile(bad, `${head}\n[[chaos.catalog.fault]]\nid = "packet_loss"\nparameters = { loss_percent = { min = 1, max = 500 } }\n`);
    const rb = await runCli(['chaos', 'faults', '--file', bad], { cwd: dir });
    expect(rb.code).toBe(1);
    expect(rb.stderr).toMatch(/bad\.clnrm\.toml:11:16: packet_loss\.loss_percent range 1–500 must lie inside the built-in 0–100 % \[chaos\.catalog\]/);
  });
});
