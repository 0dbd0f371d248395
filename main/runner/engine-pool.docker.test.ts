// The engine pool against two real engines: this machine's and a second dockerd (own bridge, TCP on
// 127.0.0.1). The examples spread over both with -j 2 and pass (spans from each engine reach the receiver);
// an engine killed mid-run fails only its own test, naming it, while the other engine's tests pass; after a
// crashed run left containers on both engines, the next pool run reaps them on both. The second engine is a
// `tcp://` engine, so its spans come home through the span relay (relay.ts), the receiver staying on docker0.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Docker from 'dockerode';
import { dockerOptionsFromEnv } from '../docker';
import { startSecondEngine, type SecondEngine } from '../docker/second-engine';
import { announceDockerSkip, BUSYBOX, countLabelled, eventually, probeDocker, sleeperTestFile } from '../docker/test-support';
import { openStore, type TraceStore } from '../store';
import { RELAY_IMAGE } from './relay';
import { runTests } from './runner';
import type { RunSummary } from './types';

const DEMO = 'cleanroom/demo:latest';
const NODE = 'cleanroom/node:20';
const probe = await probeDocker([BUSYBOX, DEMO, NODE, RELAY_IMAGE]);
announceDockerSkip('engine pool', probe);
const mainAddress = dockerOptionsFromEnv(process.env).endpoint.address;
const env = { ...process.env };
const example = (name: string) => fileURLToPath(new URL(`../../examples/${name}.clnrm.toml`, import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/run-cli.ts', import.meta.url));

const sleeper = (name: string, seconds: number): string => sleeperTestFile(name, seconds);

let second: SecondEngine | undefined;
let reason: string | undefined;
const dir = mkdtempSync(join(tmpdir(), 'clnrm-pool-'));

beforeAll(async () => {
  if (!probe.docker) return;
  const started = await startSecondEngine({ name: 'pool', port: 23770, bridgeCidr: '10.220.255.1/24', images: [DEMO, BUSYBOX, RELAY_IMAGE], source: probe.docker });
  second = started.engine;
  reason = started.reason;
}, 180_000);
afterAll(async () => {
  await second?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

/** `clnrm run` in a child process (its leftovers have a dead owner once it exits); resolves with its output. */
function runChild(args: string[], whileRunning?: (pid: number) => Promise<void>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, 'run', ...args, '--data-dir', dir], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return (async () => {
    try {
      await whileRunning?.(child.pid!);
    } finally {
      if (child.exitCode === null && whileRunning) child.kill('SIGKILL');
    }
    const code = await exited;
    return { code, stdout, stderr };
  })();
}

/** Containers (running ones only, or all, with networks) the process `pid` made on `docker`. Other suites share this machine's engine. */
async function ownedBy(docker: Docker, pid: number, all = false): Promise<number> {
  const filters = { label: ['clnrm.managed=true', `clnrm.pid=${pid}`] };
  const containers = (await docker.listContainers({ all, filters })).length;
  return all ? containers + (await docker.listNetworks({ filters })).length : containers;
}

describe.runIf(probe.docker || process.env.CI === 'true')('clnrm run over a pool of two engines', () => {
  let store: TraceStore;
  beforeAll(async () => {
    store = await openStore({ inMemory: true });
  });
  afterAll(() => store?.dispose());

  it('spreads the examples over both engines with -j 2; every test passes and says where it ran', { timeout: 300_000 }, async () => {
    expect(reason).toBeUndefined();
    const files = ['demo-read-through', 'demo-orders-deterministic', 'demo-read-through'].map((n) => ({ file: example(n) }));
    const summary: RunSummary = await runTests({ sources: files, cwd: dir, env, store, engines: [mainAddress, second!.host], jobs: 2, writeReports: false, quietMs: 300 });
    expect(summary.environmentProblem).toBeUndefined();
    expect(summary.tests.map((t) => [t.name, t.verdict, t.problems])).toEqual(summary.tests.map((t) => [t.name, 'passed', []]));
    const engines = summary.tests.map((t) => t.engine);
    expect(new Set(engines)).toEqual(new Set([mainAddress, second!.host]));
    // Spans came home from both engines, and the history names each execution's engine.
    for (const t of summary.tests) for (const e of t.executions) expect(e.spanCount, `${t.name} on ${t.engine}`).toBeGreaterThan(0);
    const history = (await store.getRun(summary.runId))!;
    expect(new Set(history.executions.map((e) => e.evidence?.engine))).toEqual(new Set([mainAddress, second!.host]));
    expect(history.run.environment.engine).toBe(`${mainAddress},${second!.host}`);
  });

  it('gives a test only to an engine holding its images; an image no engine holds is the usual docker.image-missing', { timeout: 120_000 }, async () => {
    // cleanroom/node:20 was not copied to the second engine: with placement by images both node tests go to this machine's.
    const onlyHere = (name: string) => sleeper(name, 1).replace(`image = "${BUSYBOX}"`, `image = "${NODE}"`).replace(`args = ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]`, `args = ["node", "-e", "process.on('SIGTERM', () => process.exit(0)); setInterval(() => {}, 1000)"]`);
    const sources = [
      { file: 'n1.clnrm.toml', source: onlyHere('node_one') },
      { file: 'n2.clnrm.toml', source: onlyHere('node_two') },
      { file: 'none.clnrm.toml', source: sleeper('no_such_image', 1).replace(`image = "${BUSYBOX}"`, 'image = "cleanroom/not-built:latest"') },
    ];
    const summary = await runTests({ sources, cwd: dir, env, store, engines: [mainAddress, second!.host], jobs: 1, writeReports: false, quietMs: 300 });
    const [one, two, none] = summary.tests;
    expect([one!.verdict, one!.engine, two!.verdict, two!.engine]).toEqual(['passed', mainAddress, 'passed', mainAddress]);
    expect(none!.verdict).toBe('error');
    expect(none!.executions[0]!.problems[0]!.code).toBe('docker.image-missing');
  });

  it('an engine killed mid-run fails its running test naming it; the other engine takes the rest and passes', { timeout: 180_000 }, async () => {
    const sources = ['a', 'b', 'c', 'd'].map((n) => ({ file: `${n}.clnrm.toml`, source: sleeper(`sleep_${n}`, 4) }));
    const running = runTests({ sources, cwd: dir, env, store, engines: [mainAddress, second!.host], jobs: 1, writeReports: false, quietMs: 300 });
    await eventually(async () => (await countLabelled(second!.docker)).containers > 0, 60_000, 'a test on the second engine');
    const killedAt = Date.now();
    await second!.kill();
    const summary = await running.finally(() => second!.restart());
    const waited = Date.now() - killedAt;
    const lost = summary.tests.filter((t) => t.engine === second!.host);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.verdict).toBe('error');
    expect(lost[0]!.problems[0]).toMatchObject({ code: 'runner.engine-lost', message: expect.stringContaining(second!.host) });
    const execution = lost[0]!.executions[0]!;
    expect(execution.problems[0]?.code).toBe('runner.engine-lost');
    expect(execution.classification?.class).toBe('infrastructure_failure');
    const others = summary.tests.filter((t) => t.engine !== second!.host);
    expect(others.map((t) => [t.verdict, t.engine])).toEqual([
      ['passed', mainAddress],
      ['passed', mainAddress],
      ['passed', mainAddress],
    ]);
    // Bounded: the run did not wait on the dead engine (three 4 s tests one after another, plus starts).
    expect(waited).toBeLessThan(60_000);
  });

  it('reaps the leftovers of a crashed run on every engine of the pool', { timeout: 180_000 }, async () => {
    for (const n of ['x', 'y']) writeFileSync(join(dir, `${n}.clnrm.toml`), sleeper(`slow_${n}`, 300));
    const files = ['x', 'y'].map((n) => join(dir, `${n}.clnrm.toml`));
    // The first run is SIGKILLed once each engine runs one of its tests: its containers stay on both.
    let crashedPid = 0;
    const crashed = await runChild([...files, '--engine', mainAddress, '--engine', second!.host, '-j', '1'], async (pid) => {
      crashedPid = pid;
      await eventually(async () => (await ownedBy(probe.docker!, pid)) > 0 && (await ownedBy(second!.docker, pid)) > 0, 90_000, 'the crashed run to start a test on each engine');
    });
    expect(crashed.code).toBeNull();
    expect(await ownedBy(probe.docker!, crashedPid, true)).toBeGreaterThan(0);
    expect(await ownedBy(second!.docker, crashedPid, true)).toBeGreaterThan(0);
    const warnings: string[] = [];
    const quick = [{ file: 'q.clnrm.toml', source: sleeper('quick', 0) }];
    const summary = await runTests({ sources: quick, cwd: dir, env, store, engines: [mainAddress, second!.host], writeReports: false, quietMs: 300, onEvent: (e) => e.type === 'warning' && warnings.push(e.message) });
    expect(summary.tests[0]!.verdict).toBe('passed');
    expect(warnings.find((w) => w.includes(`crashed execution(s) on ${mainAddress}`))).toBeDefined();
    expect(warnings.find((w) => w.includes(`crashed execution(s) on ${second!.host}`))).toBeDefined();
    // The crashed run's containers and networks are gone from both. (The execution the killed engine held in
    // the test before belongs to this live process: the first run after it exits reaps that one.)
    expect(await ownedBy(second!.docker, crashedPid, true)).toBe(0);
    expect(await ownedBy(probe.docker!, crashedPid, true)).toBe(0);
  });
});
