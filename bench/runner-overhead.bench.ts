// Part of `npm run bench:runner` (after bench/runner.bench.ts, which measures the Docker layer): the
// whole RUNNER (`runTests`: parse, reaper, receiver, network, services, steps, graceful stop, quiet
// period, evaluation, run records, self-trace) against raw dockerode doing the same container work
// (create → start → exec → remove N busybox containers), and parallel vs sequential service start
// through the runner. Prints figures; asserts nothing. Target: runner overhead ≤ 10 % of raw.
import type Docker from 'dockerode';
import { connectDocker, type DockerEndpoint } from '../main/docker/connect';
import { execInContainer } from '../main/docker/exec';
import { imageExists } from '../main/docker/images';
import { runTests } from '../main/runner/runner';
import type { RunSummary } from '../main/runner/types';
import { openStore, type TraceStore } from '../main/store';
import { findAttribute, toText } from '../shared/model';

const IMAGE = 'cleanroom/busybox:latest';
const N = Number(process.env.BENCH_SERVICES ?? 12);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const IDLE = ['sh', '-c', 'trap "exit 0" TERM; sleep 600 & wait'];

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const fmt = (ms: number) => `${ms.toFixed(0).padStart(6)} ms`;

/** Raw dockerode: the same containers with the same graceful stop the runner does (SIGTERM, wait). */
async function rawRound(docker: Docker, round: number): Promise<number> {
  const started = performance.now();
  const network = await docker.createNetwork({ Name: `clnrm-bench-raw-net-${process.pid}-${round}`, Driver: 'bridge' });
  const containers: Docker.Container[] = [];
  try {
    // Created and started together, like one parallel level of the runner.
    containers.push(
      ...(await Promise.all(
        Array.from({ length: N }, async (_, i) => {
          const c = await docker.createContainer({ name: `clnrm-bench-raw-${process.pid}-${round}-${i}`, Image: IMAGE, Cmd: IDLE, HostConfig: { NetworkMode: network.id } });
          await c.start();
          return c;
        }),
      )),
    );
    for (const c of containers) await execInContainer(docker, c.id, { cmd: ['echo', 'hi'] });
    await Promise.all(containers.map((c) => c.stop({ t: 5 }).catch(() => undefined)));
  } finally {
    await Promise.all(containers.map((c) => c.remove({ force: true }).catch(() => undefined)));
    await network.remove().catch(() => undefined);
  }
  return performance.now() - started;
}

function testFile(chained: boolean, withSteps: boolean): string {
  const services = Array.from(
    { length: N },
    (_, i) => `[services.s${i}]\nimage = "${IMAGE}"\nargs = ${JSON.stringify(IDLE)}\n${chained && i > 0 ? `depends_on = ["s${i - 1}"]\n` : ''}`,
  ).join('\n');
  const steps = withSteps
    ? Array.from({ length: N }, (_, i) => `[[scenario.steps]]\nname = "echo_${i}"\nservice = "s${i}"\ncommand = ["echo", "hi"]\nexpected_output_regex = "hi"\n`).join('\n')
    : `[[scenario.steps]]\nname = "one"\nservice = "s0"\ncommand = ["true"]\n`;
  return `[meta]\nname = "bench_${chained ? 'chained' : 'parallel'}"\n\n${services}\n[[scenario]]\nname = "bench"\n\n${steps}`;
}

async function runnerRound(connection: { docker: Docker; endpoint: DockerEndpoint }, store: TraceStore, source: string): Promise<{ ms: number; summary: RunSummary; servicesPhaseMs: number }> {
  const started = performance.now();
  let servicesPhaseMs = 0;
  const summary = await runTests({
    sources: [{ file: 'bench.clnrm.toml', source }],
    cwd: process.cwd(),
    env: process.env,
    store,
    docker: connection,
    writeReports: false,
    onEvent: (e) => void (e.type === 'phase' && e.phase === 'services' && e.state === 'end' && (servicesPhaseMs = e.durationMs ?? 0)),
  });
  const ms = performance.now() - started;
  if (summary.tests[0]?.verdict !== 'passed') throw new Error(`bench test did not pass: ${JSON.stringify(summary.tests[0]?.executions[0]?.steps ?? summary.tests[0]?.problems)}`);
  return { ms, summary, servicesPhaseMs };
}

/** Each service's own start (its `clnrm.service.start` span: create → ready), in ms, for one run. */
function serviceStarts(store: TraceStore, runId: string): number[] {
  return store.live
    .spans({ service: 'clnrm', spanName: 'clnrm.service.start' })
    .filter((s) => toText(findAttribute(s.resource.attributes, 'clnrm.run_id') ?? { stringValue: '' }) === runId)
    .map((s) => s.durationUs / 1000);
}

/** Where the runner's time goes, from its own spans (median per span name over the rounds). */
function phases(store: TraceStore, runIds: Set<string>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const span of store.live.spans({ service: 'clnrm' })) {
    const runId = findAttribute(span.resource.attributes, 'clnrm.run_id');
    if (!runId || !runIds.has(toText(runId))) continue;
    const name = span.name.startsWith('clnrm.step:') ? 'clnrm.step:*' : span.name;
    out.set(name, [...(out.get(name) ?? []), span.durationUs / 1000]);
  }
  return out;
}

async function main(): Promise<void> {
  let connection: { docker: Docker; endpoint: DockerEndpoint };
  try {
    connection = await connectDocker(process.env);
  } catch (error) {
    console.error(`bench:runner needs Docker: ${(error as Error).message}`);
    process.exit(2);
  }
  if (!(await imageExists(connection.docker, IMAGE))) {
    console.error(`bench:runner needs ${IMAGE}: run resources/images/build.sh`);
    process.exit(2);
  }
  const store = await openStore({ inMemory: true });
  try {
    console.log(`\nbench:runner (runner overhead) — ${N} busybox services with one exec each, ${ROUNDS} rounds`);
    const raw: number[] = [];
    const runner: number[] = [];
    const runIds = new Set<string>();
    // Warm-up (image cache, first network) so round 1 does not carry it.
    await rawRound(connection.docker, -1);
    await runnerRound(connection, store, testFile(false, true));
    for (let r = 0; r < ROUNDS; r++) {
      raw.push(await rawRound(connection.docker, r));
      const { ms, summary } = await runnerRound(connection, store, testFile(false, true));
      runner.push(ms);
      runIds.add(summary.runId);
    }
    const rawMs = median(raw);
    const runnerMs = median(runner);
    console.log(`  raw dockerode (network, create+start ×${N} in parallel, exec ×${N}, graceful stop, remove)  median ${fmt(rawMs)}  [${raw.map((v) => v.toFixed(0)).join(', ')}]`);
    console.log(`  clnrm runner, same containers and execs (whole runTests)                              median ${fmt(runnerMs)}  [${runner.map((v) => v.toFixed(0)).join(', ')}]`);
    console.log(`  runner overhead: ${(runnerMs - rawMs).toFixed(0)} ms = ${(((runnerMs - rawMs) / rawMs) * 100).toFixed(1)} % of raw (target ≤ 10 %)`);
    // Rounds alternate raw/runner, so a per-round difference is less exposed to load on a shared machine.
    const paired = raw.map((r, i) => ((runner[i]! - r) / r) * 100);
    console.log(`  paired per round (runner − raw) / raw: median ${median(paired).toFixed(1)} %  [${paired.map((v) => v.toFixed(1)).join(', ')}]`);
    console.log('  where the runner spends it (its own spans, median per round):');
    for (const [name, values] of phases(store, runIds)) console.log(`    ${name.padEnd(24)} ${fmt(median(values))}  (n=${values.length})`);

    const parallel: number[] = [];
    const sequential: number[] = [];
    const parallelPhase: number[] = [];
    const sequentialPhase: number[] = [];
    const slowest: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const p = await runnerRound(connection, store, testFile(false, false));
      parallel.push(p.ms);
      parallelPhase.push(p.servicesPhaseMs);
      slowest.push(Math.max(...serviceStarts(store, p.summary.runId)));
      const q = await runnerRound(connection, store, testFile(true, false));
      sequential.push(q.ms);
      sequentialPhase.push(q.servicesPhaseMs);
    }
    const p = median(parallel);
    const s = median(sequential);
    console.log(`\n  runner, ${N} independent services (1 level)   median ${fmt(p)}  services phase ${fmt(median(parallelPhase))}  slowest single service start ${fmt(median(slowest))}`);
    console.log(`  runner, ${N} chained services (${N} levels)      median ${fmt(s)}  services phase ${fmt(median(sequentialPhase))}`);
    console.log(`  ${N} services in parallel: services phase / slowest single start = ${(median(parallelPhase) / median(slowest)).toFixed(2)} (≈ 1 means wall ≈ slowest)`);
    console.log(`  wall-clock ratio sequential / parallel: whole run ${(s / p).toFixed(2)}×, services phase ${(median(sequentialPhase) / median(parallelPhase)).toFixed(2)}×`);
  } finally {
    await store.dispose();
  }
}

await main();
