import { describe, expect, it } from 'vitest';
import { BUILT_IN_FAULTS, FaultCatalog } from './catalog';
import { PROXY_FAULT_TOXICS, PROXY_FAULTS, proxyAction } from './proxy-faults';
import { validateToxic } from './toxics';

describe('the proxy faults in the catalog', () => {
  it('brings the catalog past 25 fault types, one per toxic plus down', () => {
    expect(PROXY_FAULTS).toHaveLength(13);
    expect(BUILT_IN_FAULTS.length).toBeGreaterThanOrEqual(25);
    expect(new Set(BUILT_IN_FAULTS.map((f) => f.id)).size).toBe(BUILT_IN_FAULTS.length);
  });

  it('validates a fault with the ranges the proxy API enforces', () => {
    const catalog = new FaultCatalog();
    const ok = catalog.validate('latency', { latency: 250, jitter: 20 });
    expect(ok.params).toEqual({ latency: 250, jitter: 20, stream: 'downstream', toxicity: 1 });
    // The same values as a toxic are accepted by the API's validator.
    const { stream, toxicity, ...attributes } = ok.params!;
    expect(validateToxic({ type: PROXY_FAULT_TOXICS.latency, stream, toxicity, attributes }).ok).toBe(true);
    expect(catalog.validate('bandwidth', {}).problems.map((p) => p.message)).toEqual([expect.stringMatching(/^bandwidth needs rate/)]);
    expect(catalog.validate('http_status', { code: 700 }).problems[0]?.message).toBe('http_status.code must be in 100–599 HTTP status (whole), not 700');
    expect(catalog.validate('reset_peer', { toxicity: 1.5 }).problems[0]?.path).toBe('chaos.toxicity');
  });
});

describe('proxyAction', () => {
  it('turns a checked proxy fault into the toxic the API takes, or the proxy switched off', () => {
    expect(proxyAction('latency', { latency: 300, jitter: 10, stream: 'upstream', toxicity: 0.5 })).toEqual({ kind: 'toxic', toxic: { type: 'latency', stream: 'upstream', toxicity: 0.5, attributes: { latency: 300, jitter: 10 } } });
    expect(proxyAction('down', {})).toEqual({ kind: 'down' });
    expect(() => proxyAction('container_pause', {})).toThrow('container_pause is not a proxy fault');
  });
});
