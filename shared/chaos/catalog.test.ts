import { describe, expect, it } from 'vitest';
import { errorsOf, HEAD } from '../spec/test-helpers';
import { BUILT_IN_FAULTS, FaultCatalog } from './catalog';
import { applyUserCatalog } from './user-catalog';

describe('the built-in catalog', () => {
  it('has at least 16 fault types, each described, with sane parameters and a revert story', () => {
    expect(BUILT_IN_FAULTS.length).toBeGreaterThanOrEqual(16);
    for (const f of BUILT_IN_FAULTS) {
      expect(f.id).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(f.description.length).toBeGreaterThan(10);
      expect(f.revert.length).toBeGreaterThan(10);
      expect(f.needs).toContain('docker');
      for (const p of f.parameters) {
        if (p.type === 'number') expect(p.min).toBeLessThanOrEqual(p.max);
        if ('default' in p && p.default !== undefined) expect(new FaultCatalog().validate(f.id, { [p.name]: p.default }).problems.filter((x) => x.path?.endsWith(p.name))).toEqual([]);
      }
    }
  });

  it('says up front which faults cannot be reverted', () => {
    expect(BUILT_IN_FAULTS.filter((f) => !f.revertible).map((f) => f.id).sort()).toEqual(['container_kill', 'oom', 'process_kill']);
  });
});

describe('validating a fault instance', () => {
  const catalog = new FaultCatalog();
  it('fills defaults', () => {
    expect(catalog.validate('disk_fill', { size_mb: 5 })).toEqual({ params: { size_mb: 5, path: '/tmp' }, problems: [] });
  });
  it('reports every problem with a range and a did-you-mean', () => {
    const r = catalog.validate('packet_loss', { loss_percent: 150, directon: 'egress' }, 'chaos.experiment.injection[0]');
    expect(r.params).toBeUndefined();
    expect(r.problems.map((p) => `${p.code} ${p.path} ${p.message}`)).toEqual([
      'chaos.param chaos.experiment.injection[0].directon packet_loss has no parameter "directon" — did you mean "direction"? (its parameters: loss_percent, direction, peer)',
      'chaos.param chaos.experiment.injection[0].loss_percent packet_loss.loss_percent must be in 0–100 %, not 150',
    ]);
  });
  it('rejects wrong types, non-integers, bad choices, missing required values and bad patterns', () => {
    const messages = (id: string, params: Record<string, unknown>) => catalog.validate(id, params).problems.map((p) => p.message);
    expect(messages('memory_limit', { memory_mb: '64' })).toEqual(['memory_limit.memory_mb must be a number in 6–1048576 MB (whole), not "64"']);
    expect(messages('memory_limit', { memory_mb: 64.5 })).toEqual([expect.stringContaining('must be a whole number')]);
    expect(messages('container_kill', { signal: 'SIGFOO' })).toEqual([expect.stringContaining('must be one of SIGKILL, SIGTERM')]);
    expect(messages('network_partition', {})).toEqual(['network_partition needs peer (the other service)']);
    expect(messages('process_kill', { process_name: 'a/b' })).toEqual([expect.stringContaining('must match')]);
    expect(messages('disk_fill', { path: 'tmp' })).toEqual([expect.stringContaining('path must match /^//')]);
  });
  it('names unknown faults with a hint', () => {
    expect(catalog.validate('container_pasue', {}).problems[0]).toMatchObject({ code: 'chaos.unknown-fault', message: expect.stringContaining('did you mean "container_pause"') });
  });
});

describe('[chaos.catalog]', () => {
  it('narrows a built-in fault and adds the user\'s own (listed, not injectable)', () => {
    const { catalog, issues } = applyUserCatalog({
      fault: [
        { id: 'packet_loss', parameters: { loss_percent: { min: 1, max: 50 }, direction: 'ingress|egress' } },
        { id: 'network_latency', type: 'network', parameters: { delay_ms: { min: 100, max: 5000 }, target: 'service|container' } },
      ],
    });
    expect(issues).toEqual([]);
    expect(catalog.validate('packet_loss', { loss_percent: 60 }).problems[0]?.message).toBe('packet_loss.loss_percent must be in 1–50 %, not 60');
    expect(catalog.validate('packet_loss', { loss_percent: 20, direction: 'both' }).problems[0]?.message).toContain('must be one of ingress, egress');
    const own = catalog.get('network_latency')!;
    expect(own).toMatchObject({ family: 'user', injectable: false });
    expect(catalog.validate('network_latency', { delay_ms: 50, target: 'service' }).problems.map((p) => p.message)).toEqual(['network_latency.delay_ms must be in 100–5000, not 50']);
  });

  it('reports contradictions with their position in the file', () => {
    const file = `${HEAD}
[[chaos.catalog.fault]]
id = "packet_loss"
parameters = { loss_percent = { min = 1, max = 150 }, delay_ms = { min = 1, max = 2 } }

[[chaos.catalog.fault]]
id = "mine"
parameters = { level = { min = 5, max = 1 }, mode = { type = "enum" }, n = { min = 1, max = 3, default = 9 } }
`;
    expect(errorsOf(file).filter((e) => e.includes('chaos.catalog'))).toEqual([
      expect.stringMatching(/^11:16 chaos.catalog packet_loss.loss_percent range 1–150 must lie inside the built-in 0–100 %/),
      expect.stringMatching(/^11:55 chaos.catalog packet_loss.delay_ms is not a parameter of the built-in fault packet_loss/),
      expect.stringMatching(/^15:16 chaos.catalog mine.level has min 5 above max 1/),
      expect.stringMatching(/^15:46 chaos.catalog mine.mode is an enum and needs values/),
      expect.stringMatching(/^15:72 chaos.catalog mine.n default must be in 1–3, not 9/),
    ]);
  });

  it('points keys that belong to the injection (duration, target) there', () => {
    const { issues } = applyUserCatalog({
      fault: [
        { id: 'container_pause', parameters: { duration_s: { min: 1, max: 60 } } },
        { id: 'packet_loss', parameters: { target: 'service|container' } },
      ],
    });
    expect(issues.map((i) => i.message)).toEqual([
      "container_pause.duration_s is not a parameter of the built-in fault container_pause (its parameters: none); an injection's duration_s sets how long a fault lasts",
      'packet_loss.target is not a parameter of the built-in fault packet_loss (its parameters: loss_percent, direction, peer); an injection\'s target = "service:NAME" says where it applies',
    ]);
  });

  it('accepts the seed\'s catalog form without errors where it fits ours', () => {
    const file = `${HEAD}
[[chaos.catalog.fault]]
id = "container_kill"
type = "container"
description = "Forcefully kill container"
parameters = { signal = { type = "enum", values = ["SIGKILL", "SIGTERM"], default = "SIGKILL" } }
`;
    expect(errorsOf(file)).toEqual([]);
  });
});
