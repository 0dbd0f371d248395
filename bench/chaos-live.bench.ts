// bench:chaos-live — what the Chaos view's once-a-second `chaosLiveStats` costs while an experiment runs
// at 200 requests/s: a store file (writer thread, as the studio opens it) holding older runs' spans and
// an experiment's 200 requests/s (a root and two children each); then one call per second of the
// experiment for its newest 6 seconds, as the view makes them. Prints each call's wall time (p50, p99,
// max) and this process's CPU per call.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Span } from '../shared/model';
import { percentiles } from '../shared/perf/stats';
import { openStore } from '../main/store';
import { makeSpan, resourceFor } from '../main/store/test-spans';
import { writerThreadEntry } from '../main/store/writer-thread';
import { chaosLiveStats } from '../main/studio/chaos-live';

const SECONDS = Number(process.env.LIVE_SECONDS ?? 300);
const RATE = 200;
const OLDER_SPANS = Number(process.env.LIVE_OLDER_SPANS ?? 200_000);
const WINDOW_S = 6;
const START_MS = 1_790_000_000_000;
const cpuMs = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

const dir = mkdtempSync(join(tmpdir(), 'clnrm-bench-live-'));
const store = await openStore({ dataDir: dir, writerThread: writerThreadEntry() });
try {
  // Older runs: other executions, an hour before.
  const older = resourceFor('api', { 'clnrm.execution_id': 'older' });
  for (let i = 0; i < OLDER_SPANS; i += 5000) {
    store.ingest(Array.from({ length: 5000 }, (_, k) => makeSpan({ trace: 1 + i + k, span: 1 + i + k, resource: older, startMs: START_MS - 3600_000 + (i + k) })));
  }
  const system = resourceFor('loadgen', { 'clnrm.execution_id': 'ex-bench' });
  let n = 10_000_000;
  for (let s = 0; s < SECONDS; s++) {
    const batch: Span[] = [];
    for (let r = 0; r < RATE; r++) {
      const at = START_MS + s * 1000 + (r * 1000) / RATE;
      const root = ++n;
      batch.push(makeSpan({ trace: root, span: root, resource: system, startMs: at, durationMs: 20 + (r % 37), status: r % 50 === 0 ? 'error' : 'unset' }));
      for (const c of [1, 2]) batch.push(makeSpan({ trace: root, span: root * 4 + c, parent: root, resource: system, startMs: at + c, durationMs: 5 }));
    }
    store.ingest(batch);
  }
  await store.commit();
  const stored = OLDER_SPANS + SECONDS * RATE * 3;
  const walls: number[] = [];
  const cpu0 = cpuMs();
  for (let s = WINDOW_S; s <= SECONDS; s++) {
    const t = performance.now();
    const answer = await chaosLiveStats(store, { executionId: 'ex-bench', startUs: START_MS * 1000, fromSecond: s - WINDOW_S, toSecond: s });
    walls.push(performance.now() - t);
    if (answer.seconds.reduce((sum, x) => sum + x.requests, 0) !== WINDOW_S * RATE) throw new Error(`second ${s}: wrong request count`);
  }
  const cpuPerCall = (cpuMs() - cpu0) / walls.length;
  const [p50, p99] = percentiles(walls, [50, 99]) as [number, number];
  console.log(`bench:chaos-live — ${stored.toLocaleString('en')} spans stored (${SECONDS} s of ${RATE} requests/s × 3 spans, ${OLDER_SPANS.toLocaleString('en')} older), one call per second for the newest ${WINDOW_S} s`);
  console.log(`  per call: p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${Math.max(...walls).toFixed(2)} ms wall; ${cpuPerCall.toFixed(2)} ms CPU in this process (${walls.length} calls)`);
} finally {
  await store.dispose();
  rmSync(dir, { recursive: true, force: true });
}
