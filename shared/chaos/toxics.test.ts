import { describe, expect, it } from 'vitest';
import { TOXIC_DEFINITIONS, validateToxic, validateToxicUpdate } from './toxics';

describe('toxic definitions', () => {
  it('lists Toxiproxy\'s seven toxics under their names and ours beyond, each described with units and ranges', () => {
    expect(TOXIC_DEFINITIONS.filter((d) => d.origin === 'toxiproxy').map((d) => d.type)).toEqual([
      'latency', 'bandwidth', 'slow_close', 'timeout', 'reset_peer', 'slicer', 'limit_data',
    ]);
    for (const d of TOXIC_DEFINITIONS) {
      expect(d.description.length).toBeGreaterThan(20);
      for (const a of d.attributes) {
        expect(a.unit).not.toBe('');
        if (a.kind !== 'string') expect(a.min).toBeDefined();
      }
    }
  });
});

describe('validateToxic', () => {
  it('fills Toxiproxy\'s defaults: downstream, toxicity 1, name <type>_<stream>, attributes at their defaults', () => {
    expect(validateToxic({ type: 'latency' })).toEqual({
      ok: true,
      toxic: { name: 'latency_downstream', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 0, jitter: 0 } },
    });
  });

  it('defaults HTTP toxics to the upstream stream (they act on requests)', () => {
    const check = validateToxic({ type: 'http_status' });
    expect(check.ok && check.toxic).toMatchObject({ name: 'http_status_upstream', stream: 'upstream', attributes: { code: 503, probability: 1, path_prefix: '' } });
  });

  it('rejects with chaos.invalid-toxic and the path of the bad value', () => {
    const check = validateToxic({ type: 'http_delay', attributes: { path_prefix: 'api', latency: 5 } });
    expect(check).toMatchObject({ ok: false, problem: { code: 'chaos.invalid-toxic', path: 'attributes.path_prefix' } });
    expect(validateToxic('latency')).toMatchObject({ ok: false });
    expect(validateToxic({ type: 'latency', enabled: true })).toMatchObject({ ok: false, problem: { path: 'enabled' } });
  });
});

describe('validateToxicUpdate', () => {
  const existing = { name: 'lat', type: 'latency', stream: 'upstream', toxicity: 0.5, attributes: { latency: 100, jitter: 10 } } as const;

  it('merges given attributes and toxicity over the existing toxic', () => {
    expect(validateToxicUpdate(existing, { attributes: { latency: 300 } })).toEqual({ ok: true, toxic: { ...existing, attributes: { latency: 300, jitter: 10 } } });
    expect(validateToxicUpdate(existing, { toxicity: 1 })).toMatchObject({ ok: true, toxic: { toxicity: 1 } });
  });

  it('accepts the unchanged name, type and stream a client sends back, refuses changed ones', () => {
    expect(validateToxicUpdate(existing, { ...existing, attributes: { latency: 1 } }).ok).toBe(true);
    expect(validateToxicUpdate(existing, { stream: 'downstream' })).toMatchObject({ ok: false, problem: { path: 'stream' } });
  });
});
