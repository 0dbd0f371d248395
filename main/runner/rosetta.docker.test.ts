// clnrm's Rosetta Stone scenarios (examples/rosetta) under our runner on real Docker: each runs
// `clnrm self-test` inside cleanroom/clnrm, which starts its own containers through the mounted engine
// socket and reports its spans (NDJSON on stdout, or OTLP through the `clnrm collect --forward` service);
// their unchanged expectations must pass. A copy broken on purpose must fail. Slow (~11 executions).
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceDockerSkip, probeDocker } from '../docker/test-support';
import { openStore, type TraceStore } from '../store';
import { runTests } from './runner';

const probe = await probeDocker(['cleanroom/busybox:latest', 'cleanroom/clnrm:latest']);
announceDockerSkip('rosetta', probe);
const examples = fileURLToPath(new URL('../../examples/rosetta/', import.meta.url));
const SCENARIOS = ['scenario_01_minimal', 'scenario_02_full_surface', 'scenario_03_otlp', 'scenario_04_hermetic', 'scenario_05_determinism'];

describe('Docker availability', () => {
  it.skipIf(!probe.docker && process.env.CI !== 'true')('has a Docker engine with cleanroom/clnrm (required when CI=true)', () => {
    if (!probe.docker) throw new Error(probe.reason);
  });
});

describe.skipIf(!probe.docker)('the Rosetta Stone scenarios (real engine)', () => {
  let dir: string;
  let store: TraceStore;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clnrm-rosetta-'));
    store = await openStore({ inMemory: true });
  });
  afterAll(async () => {
    await store?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pass unchanged: every expectation over the inner clnrm\'s spans', { timeout: 400_000 }, async () => {
    const sources = SCENARIOS.map((name) => ({ file: join(examples, `${name}.clnrm.toml`) }));
    const summary = await runTests({ sources, cwd: dir, env: process.env, store });
    const failures = summary.tests.flatMap((t) => [
      ...t.problems.map((p) => `${t.name}: ${p.message}`),
      ...t.executions.flatMap((e) => [...e.problems.map((p) => p.message), ...e.steps.filter((s) => s.verdict !== 'passed').map((s) => `${s.name}: ${s.message}`), ...e.expectations.filter((x) => !x.passed).map((x) => `${t.name}/${e.scenario}: ${x.expectation}: ${x.message}`)]),
    ]);
    expect(failures).toEqual([]);
    expect(summary.tests.map((t) => t.verdict)).toEqual(['passed', 'passed', 'passed', 'passed', 'passed']);
    expect(summary.tests.map((t) => t.executions.length)).toEqual([1, 1, 1, 3, 5]);
    // The five determinism iterations of scenario 05 report the same normalized trace.
    expect(new Set(summary.tests[4]!.executions.map((e) => e.traceHash)).size).toBe(1);
    // Scenario 03's spans came over OTLP through the collector service, with the traced export among them.
    const otlp = summary.tests[2]!.executions[0]!;
    expect(Object.values(otlp.spanNames)).toContain('clnrm.otel.export');
  });

  it('fails a copy broken on purpose (scenario 04 expects two hello_world steps per run)', { timeout: 200_000 }, async () => {
    const file = join(dir, 'scenario_04_hermetic.clnrm.toml');
    copyFileSync(join(examples, 'scenario_04_hermetic.clnrm.toml'), file);
    const text = readFileSync(file, 'utf8');
    const broken = text.replace('"clnrm.step:hello_world" = { gte = 1 }', '"clnrm.step:hello_world" = { gte = 2 }');
    expect(broken).not.toBe(text);
    writeFileSync(file, broken);
    const summary = await runTests({ sources: [{ file }], cwd: dir, env: process.env, store });
    expect(summary.tests[0]!.verdict).toBe('failed');
    const failed = summary.tests[0]!.executions.flatMap((e) => e.expectations.filter((x) => !x.passed).map((x) => x.expectation));
    // One failed count per run (three runs), nothing else.
    expect(failed).toHaveLength(3);
    for (const name of failed) expect(name).toMatch(/^expect\.counts/);
  });
});
