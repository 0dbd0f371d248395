import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventName } from '../../shared/ipc/contract';
import { handleCall } from '../../shared/ipc/validate';
import { StudioBackend } from './backend';
import { createStudioRunner } from './studio-runner';

let dir: string;
let backend: StudioBackend;
const events: Array<{ event: EventName; payload: Record<string, unknown> }> = [];
let onEvent: (() => void) | undefined;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clnrm-studio-run-'));
  backend = await StudioBackend.open({ inMemory: true, httpPort: false, grpcPort: false, cwd: dir, env: {} });
  events.length = 0;
  backend.hub.connect({
    send: (event, payload) => {
      events.push({ event, payload: payload as Record<string, unknown> });
      onEvent?.();
    },
  });
});
afterEach(async () => {
  await backend.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** Resolves when an event matching `test` has arrived (bounded by the test timeout). */
function eventually(test: (e: (typeof events)[number]) => boolean): Promise<(typeof events)[number]> {
  return new Promise((resolve) => {
    const check = () => {
      const hit = events.find(test);
      if (hit) {
        onEvent = undefined;
        resolve(hit);
      }
    };
    onEvent = check;
    check();
  });
}

describe('studio runner', () => {
  it('runs a file through main/runner and reports an invalid file as a failed run', async () => {
    writeFileSync(join(dir, 'broken.clnrm.toml'), '[meta]\nname = "x"\n[[scenario]\n');
    const reply = await handleCall(backend.handlers, 'runTest', { path: 'broken.clnrm.toml' });
    expect(reply.ok).toBe(true);
    const runId = (reply as { value: { runId: string } }).value.runId;
    const finished = await eventually((e) => e.event === 'runFinished' && e.payload.runId === runId);
    expect(finished.payload).toMatchObject({ file: join(dir, 'broken.clnrm.toml'), passed: false, cancelled: false, traceIds: [] });
    expect((finished.payload.verdicts as Array<{ passed: boolean; message: string }>)[0]).toMatchObject({ passed: false, message: expect.stringMatching(/./) });
    expect(runId).toMatch(/^[0-9a-f]{12}$/);
    // A file that does not parse never reaches the runner's store: it leaves no run in the history.
    expect(await backend.store.listRuns({})).toEqual([]);
    expect(await handleCall(backend.handlers, 'cancelRun', { runId })).toEqual({ ok: true, value: { cancelled: false } });
  });

  it('cancels a run: the runner sees the abort and runFinished says cancelled', async () => {
    let sawAbort = false;
    let passed: Parameters<NonNullable<Parameters<typeof createStudioRunner>[0]['runTestsImpl']>>[0] | undefined;
    const runner = createStudioRunner({
      store: backend.store,
      hub: backend.hub,
      cwd: dir,
      env: {},
      runTestsImpl: (options) =>
        new Promise((resolve) => {
          passed = options;
          options.onEvent?.({ type: 'run-started', at: 1, runId: options.runId!, files: 1, tests: 1, receiver: '127.0.0.1:1' });
          options.signal!.addEventListener('abort', () => {
            sawAbort = true;
            resolve({ runId: 'r', startedAt: new Date().toISOString(), durationMs: 1, passed: 0, failed: 0, errors: 0, skipped: 1, tests: [] });
          });
        }),
    });
    const { runId } = await runner.start({ path: 'a.clnrm.toml', vars: {} });
    await eventually((e) => e.event === 'runEvent' && e.payload.runId === runId && e.payload.type === 'run-started' && e.payload.tests === 1);
    expect(await runner.cancel(runId)).toBe(true);
    const finished = await eventually((e) => e.event === 'runFinished' && e.payload.runId === runId);
    expect(sawAbort).toBe(true);
    // The runner got the id the studio answered with, and knows the run came from the studio.
    expect(passed).toMatchObject({ runId, origin: 'studio' });
    expect(finished.payload).toMatchObject({ passed: false, cancelled: true });
    await runner.dispose();
  });

  it('refuses what it cannot do rather than run something else', async () => {
    const r = await handleCall(backend.handlers, 'runTest', { path: 'a.clnrm.toml', scenario: 'only-this' });
    expect(!r.ok && r.error).toMatchObject({ code: 'cli.usage', message: expect.stringMatching(/single scenario/) });
  });
});
