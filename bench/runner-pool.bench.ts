// Part of `npm run bench:runner`: the same tests with the same -j per engine, on this machine's engine
// alone and on a pool of it plus a second dockerd on this machine (main/docker/second-engine.ts), as
// wall-clock per run and their ratio (pool / one engine). Both engines share this machine's cores, so the
// ratio shows what the pool's scheduling buys when tests wait (sleeping steps, service starts), not what
// a second machine's CPU would add. Prints figures; asserts nothing. Needs root, dockerd, cleanroom/busybox.
import { execFileSync } from 'node:child_process';
import { connectDocker } from '../main/docker/connect';
import { imageExists } from '../main/docker/images';
import { startSecondEngine } from '../main/docker/second-engine';
import { BUSYBOX, sleeperTestFile } from '../main/docker/test-support';
import { RELAY_IMAGE } from '../main/runner/relay';
import { runTests } from '../main/runner/runner';
import { openStore } from '../main/store';

const TESTS = Number(process.env.BENCH_POOL_TESTS ?? 8);
const JOBS = Number(process.env.BENCH_POOL_JOBS ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const STEP_SECONDS = 2;

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

const test = (i: number): string => sleeperTestFile(`pool_bench_${i}`, STEP_SECONDS);

async function timedRun(engines: string[]): Promise<{ ms: number; byEngine: Map<string, number> }> {
  const store = await openStore({ inMemory: true });
  try {
    const started = performance.now();
    const sources = Array.from({ length: TESTS }, (_, i) => ({ file: `pool-bench-${i}.clnrm.toml`, source: test(i) }));
    // The second engine is a tcp:// engine: its executions' spans come home through the span relay.
    const summary = await runTests({ sources, cwd: process.cwd(), env: process.env, store, engines, jobs: JOBS, writeReports: false, quietMs: 100 });
    const ms = performance.now() - started;
    const bad = summary.tests.filter((t) => t.verdict !== 'passed');
    if (bad.length > 0 || summary.environmentProblem) throw new Error(`bench run did not pass: ${summary.environmentProblem?.message ?? bad.map((t) => `${t.name}: ${t.problems[0]?.message ?? t.verdict}`).join('; ')}`);
    const byEngine = new Map<string, number>();
    for (const t of summary.tests) byEngine.set(t.engine ?? engines[0]!, (byEngine.get(t.engine ?? engines[0]!) ?? 0) + 1);
    return { ms, byEngine };
  } finally {
    await store.dispose();
  }
}

async function main(): Promise<void> {
  const { docker, endpoint } = await connectDocker(process.env).catch((error: unknown) => {
    console.error(`bench:runner (pool) needs Docker: ${(error as Error).message}`);
    process.exit(2);
  });
  if (!(await imageExists(docker, BUSYBOX))) {
    console.error(`bench:runner (pool) needs ${BUSYBOX}: run resources/images/build.sh`);
    process.exit(2);
  }
  const started = await startSecondEngine({ name: 'poolbench', port: 23771, bridgeCidr: '10.221.255.1/24', images: [BUSYBOX, RELAY_IMAGE], source: docker });
  if (!started.engine) {
    console.log(`\nbench:runner (pool) skipped: ${started.reason}`);
    return;
  }
  const second = started.engine;
  try {
    console.log(`\nbench:runner (pool) — ${TESTS} tests (a busybox service, one ${STEP_SECONDS} s step), -j ${JOBS} per engine, ${ROUNDS} rounds; load: ${execFileSync('uptime').toString().trim()}`);
    const one: number[] = [];
    const pool: number[] = [];
    let split = '';
    for (let r = 0; r < ROUNDS; r++) {
      one.push((await timedRun([endpoint.address])).ms);
      const p = await timedRun([endpoint.address, second.host]);
      pool.push(p.ms);
      split = [...p.byEngine].map(([engine, n]) => `${n} on ${engine}`).join(', ');
    }
    const a = median(one);
    const b = median(pool);
    console.log(`  one engine            median ${a.toFixed(0).padStart(6)} ms   (${one.map((v) => v.toFixed(0)).join(', ')})`);
    console.log(`  pool of two engines   median ${b.toFixed(0).padStart(6)} ms   (${pool.map((v) => v.toFixed(0)).join(', ')}; last split: ${split})`);
    console.log(`  wall-clock ratio pool / one engine: ${(b / a).toFixed(2)}`);
  } finally {
    await second.stop();
  }
}

await main();
