import { describe, expect, it } from 'vitest';
import { StudioError } from '../errors';
import { generateTrace } from '../trace/synthetic';
import { CALL_NAMES, calls } from './contract';
import type { StudioHandlers } from './contract';
import { checkEvent, checkRequest, checkResponse, createStudioClient, handleCall } from './validate';
import type { ClientTransport } from './validate';

const traceId = '0af7651916cd43dd8448eb211c80319c';

describe('contract schemas', () => {
  it('fills listTraces defaults and rejects bad filters with the field named', () => {
    const ok = checkRequest('listTraces', { service: 'api' });
    expect(ok.ok && ok.value).toMatchObject({ service: 'api', status: 'any', sort: 'newest', limit: 100, offset: 0, attributes: [] });
    const bad = checkRequest('listTraces', { limit: 5000 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('ipc.invalid');
      expect(bad.error.message).toMatch(/^listTraces request is invalid: limit:/);
    }
    const inverted = checkRequest('listTraces', { minDurationMs: 10, maxDurationMs: 5 });
    expect(!inverted.ok && inverted.error.message).toMatch(/minDurationMs/);
  });

  it('bounds listRuns and checks the records it answers with', () => {
    const q = checkRequest('listRuns', { verdict: 'failed' });
    expect(q.ok && q.value).toEqual({ verdict: 'failed', limit: 50 });
    expect(checkRequest('listRuns', { limit: 1000 }).ok).toBe(false);
    expect(checkRequest('listRuns', { verdict: 'green' }).ok).toBe(false);
    const environment = { host: 'h', platform: 'p', engine: 'e', clnrmVersion: '0.1.0', ci: false };
    const run = { id: 'abc123abc123', origin: 'studio', startedAt: 1, environment, files: ['/a.clnrm.toml'], passed: 1, failed: 0, errors: 0, skipped: 0 };
    const execution = { id: 'e1', runId: 'abc123abc123', testFile: '/a.clnrm.toml', testFileHash: '', testName: 'a', scenario: 's', iteration: 1, startedAt: 1, failedExpectations: 0, failedSteps: 0 };
    expect(checkResponse('listRuns', { runs: [{ run, executions: [execution] }] }).ok).toBe(true);
    const badVerdict = checkResponse('listRuns', { runs: [{ run, executions: [{ ...execution, verdict: 'green' }] }] });
    expect(!badVerdict.ok && badVerdict.error.message).toMatch(/runs\.0\.executions\.0\.verdict/);
    expect(checkResponse('listRuns', { runs: [{ run: { ...run, origin: 'cron' }, executions: [] }] }).ok).toBe(false);
  });

  it('accepts real spans from the model and rejects malformed ids and timestamps', () => {
    const spans = generateTrace({ spans: 50, shape: 'wide', errorRate: 0.2 });
    expect(checkResponse('getTrace', { traceId: spans[0]!.traceId, spans }).ok).toBe(true);
    const broken = { ...spans[1]!, spanId: 'XYZ' };
    const r = checkResponse('getTrace', { traceId: spans[0]!.traceId, spans: [broken] });
    expect(!r.ok && r.error.message).toMatch(/spans\.0\.spanId/);
    const badTime = { ...spans[1]!, startTimeUnixNano: '1.5e18' };
    expect(checkResponse('getTrace', { traceId: spans[0]!.traceId, spans: [badTime] }).ok).toBe(false);
  });

  it('checks nested attribute values', () => {
    const spans = generateTrace({ spans: 1, shape: 'flat' });
    const nested = { ...spans[0]!, attributes: [{ key: 'k', value: { arrayValue: { values: [{ intValue: '12' }, { kvlistValue: { values: [{ key: 'x', value: { boolValue: true } }] } }] } } }] };
    expect(checkResponse('getTrace', { traceId: spans[0]!.traceId, spans: [nested] }).ok).toBe(true);
    const wrong = { ...spans[0]!, attributes: [{ key: 'k', value: { intValue: 12 } }] };
    expect(checkResponse('getTrace', { traceId: spans[0]!.traceId, spans: [wrong] }).ok).toBe(false);
  });

  it('requires at least one path or file to import', () => {
    expect(checkRequest('importFiles', {}).ok).toBe(false);
    expect(checkRequest('importFiles', { files: [{ name: 'a.json', text: '{}' }] }).ok).toBe(true);
  });

  it('validates events and fills their defaults', () => {
    const done = checkEvent('runFinished', { runId: 'r1', file: 'a.clnrm.toml', passed: true, durationMs: 12 });
    expect(done.ok && done.value).toMatchObject({ cancelled: false, verdicts: [] });
    expect(checkEvent('runEvent', { type: 'phase', at: 1, runId: 'r1', test: 't', executionId: 'e1', phase: 'teleporting', state: 'start' }).ok).toBe(false);
    const phase = checkEvent('runEvent', { type: 'phase', at: 1.5, runId: 'r1', test: 't', executionId: 'e1', phase: 'services', state: 'start' });
    expect(phase.ok && phase.value).toMatchObject({ type: 'phase', phase: 'services' });
    // A run id is what spans carry and containers are named with: no spaces, no upper case.
    expect(checkEvent('runFinished', { runId: 'Studio Run', file: 'a', passed: true, durationMs: 1 }).ok).toBe(false);
  });

  it('carries evidence spans per verdict and the run trace ids, defaulting to none and bounded', () => {
    const base = { runId: 'r1', file: 'a.clnrm.toml', passed: false, durationMs: 12 };
    const old = checkEvent('runFinished', { ...base, verdicts: [{ name: 'x', passed: false, message: 'm' }] });
    expect(old.ok && old.value).toMatchObject({ traceIds: [], verdicts: [{ name: 'x', evidence: [] }] });
    const one = { traceId, spanId: '00f067aa0ba902b7', name: 'job.process' };
    const ok = checkEvent('runFinished', { ...base, traceIds: [traceId], verdicts: [{ name: 'x', passed: false, message: 'm', evidence: [one] }] });
    expect(ok.ok && ok.value.verdicts[0]!.evidence).toEqual([one]);
    const badId = checkEvent('runFinished', { ...base, verdicts: [{ name: 'x', passed: false, message: 'm', evidence: [{ ...one, spanId: 'nope' }] }] });
    expect(!badId.ok && badId.error.message).toMatch(/spanId/);
    expect(checkEvent('runFinished', { ...base, verdicts: [{ name: 'x', passed: false, message: 'm', evidence: Array(101).fill(one) }] }).ok).toBe(false);
    expect(checkEvent('runFinished', { ...base, traceIds: ['zz'] }).ok).toBe(false);
  });

  it('declares a request and a response schema for every call', () => {
    expect(CALL_NAMES).toEqual(expect.arrayContaining(['listTraces', 'getTrace', 'serviceGraph', 'importFiles', 'exportTraces', 'clearAll', 'openFolder', 'listTestFiles', 'validateFile', 'runTest', 'cancelRun', 'storeStatus', 'loadDemo']));
    for (const name of CALL_NAMES) {
      expect(calls[name].request).toBeDefined();
      expect(calls[name].response).toBeDefined();
    }
  });
});

function handlers(overrides: Partial<StudioHandlers>): StudioHandlers {
  const missing = () => {
    throw new StudioError({ code: 'internal', message: 'not in this test' });
  };
  return new Proxy(overrides as StudioHandlers, { get: (t, k) => (t as Record<string | symbol, unknown>)[k] ?? missing });
}

describe('handleCall + createStudioClient', () => {
  const backend = handlers({
    listTraces: (q) => ({ traces: [], total: q.limit }),
    getTrace: () => {
      throw new StudioError({ code: 'trace.invalid', message: 'no trace with that id', details: { traceId } });
    },
    clearAll: () => ({ removedTraces: -1, removedSpans: 0 }),
  });
  const listeners = new Map<string, (p: unknown) => void>();
  const transport: ClientTransport = {
    invoke: (name, request) => handleCall(backend, name, JSON.parse(JSON.stringify(request))),
    subscribe: (event, listener) => {
      listeners.set(event, listener);
      return () => listeners.delete(event);
    },
  };
  const invalidEvents: string[] = [];
  const api = createStudioClient(transport, { onInvalidEvent: (e) => invalidEvents.push(e.message) });

  it('round-trips a call with defaults applied on the handler side', async () => {
    await expect(api.listTraces({})).resolves.toEqual({ traces: [], total: 100 });
  });

  it('carries the error code and details across, not only the message', async () => {
    const err = await api.getTrace({ traceId }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StudioError);
    expect((err as StudioError).code).toBe('trace.invalid');
    expect((err as StudioError).problem.details).toEqual({ traceId });
  });

  it('refuses a bad request before sending it and a handler reply that breaks the contract', async () => {
    await expect(api.getTrace({ traceId: 'nope' })).rejects.toMatchObject({ code: 'ipc.invalid' });
    await expect(api.clearAll({})).rejects.toMatchObject({ code: 'internal' });
    const unknown = await handleCall(backend, 'rmRf', {});
    expect(!unknown.ok && unknown.error.message).toMatch(/unknown call "rmRf"/);
  });

  it('delivers valid events and drops invalid ones', () => {
    const got: number[] = [];
    const off = api.on('spansAdded', (p) => got.push(p.spanCount));
    listeners.get('spansAdded')!({ spanCount: 3, traces: [] });
    listeners.get('spansAdded')!({ spanCount: -1, traces: [] });
    off();
    expect(got).toEqual([3]);
    expect(invalidEvents.length).toBe(1);
    expect(listeners.has('spansAdded')).toBe(false);
  });
});
