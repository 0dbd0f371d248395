// clnrm's Rosetta Stone suite (examples/rosetta) under our runner on real Docker, run once as the suite
// file: each scenario runs `clnrm self-test` inside cleanroom/clnrm, which starts its own containers
// through the mounted engine socket and reports its spans (NDJSON on stdout, or OTLP through the
// `clnrm collect --forward` service); their unchanged expectations must pass and the suite SHIPs at
// 100 %. A copy with scenario 04 broken on purpose BLOCKs at 75.0 % and exits 1. Slow (~11 executions).
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceDockerSkip, probeDocker } from '../docker/test-support';
import { openStore, type TraceStore } from '../store';
import { summaryLines } from './progress';
import { runTests } from './runner';
import type { RunSummary } from './types';

const probe = await probeDocker(['cleanroom/busybox:latest', 'cleanroom/clnrm:latest']);
announceDockerSkip('rosetta', probe);
const examples = fileURLToPath(new URL('../../examples/rosetta/', import.meta.url));
const SCENARIOS = ['scenario_01_minimal', 'scenario_02_full_surface', 'scenario_03_otlp', 'scenario_04_hermetic', 'scenario_05_determinism'];

describe('Docker availability', () => {
  it.skipIf(!probe.docker && process.env.CI !== 'true')('has a Docker engine with cleanroom/clnrm (required when CI=true)', () => {
    if (!probe.docker) throw new Error(probe.reason);
  });
});

describe.skipIf(!probe.docker)('the Rosetta Stone suite (real engine)', () => {
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

  it('ships at 100 %: every scenario passes unchanged, every expectation over the inner clnrm\'s spans', { timeout: 600_000 }, async () => {
    const summary = await runTests({ sources: [{ file: join(examples, 'rosetta_stone_suite.clnrm.toml') }], cwd: dir, reportDir: dir, env: process.env, store });
    const failures = summary.tests.flatMap((t) => [
      ...t.problems.map((p) => `${t.name}: ${p.message}`),
      ...t.executions.flatMap((e) => [...e.problems.map((p) => p.message), ...e.steps.filter((s) => s.verdict !== 'passed').map((s) => `${s.name}: ${s.message}`), ...e.expectations.filter((x) => !x.passed).map((x) => `${t.name}/${e.scenario}: ${x.expectation}: ${x.message}`)]),
    ]);
    expect(failures).toEqual([]);
    expect(summary.tests.map((t) => t.file)).toEqual(SCENARIOS.map((name) => join(examples, `${name}.clnrm.toml`)));
    expect(summary.tests.map((t) => t.verdict)).toEqual(['passed', 'passed', 'passed', 'passed', 'passed']);
    // No [determinism] iterations: 04's three runs and 05's five iterations are the files' own [[scenario]] entries.
    expect(summary.tests.map((t) => t.executions.length)).toEqual([1, 1, 1, 3, 5]);
    // The five determinism iterations of scenario 05 report the same normalized trace.
    expect(new Set(summary.tests[4]!.executions.map((e) => e.traceHash)).size).toBe(1);
    // Scenario 03's spans came over OTLP through the collector service, with the traced export among them.
    expect(Object.values(summary.tests[2]!.executions[0]!.spanNames)).toContain('clnrm.otel.export');

    const suite = summary.suites![0]!;
    expect([suite.verdict, suite.confidence, suite.passedWeight, suite.totalWeight]).toEqual(['ship', 1, 8, 8]);
    const statuses = Object.fromEntries(suite.criteria.map((c) => [c.name, c.status]));
    expect(statuses).toMatchObject({ all_scenarios_pass: 'passed', determinism_hash_match: 'passed', span_validations_pass: 'passed', graph_acyclic: 'passed', errors_total: 'passed', container_cleanup_verified: 'passed', self_test_passes: 'passed', homebrew_install_succeeds: 'not-checked' });
    const printed = summaryLines(summary).join('\n');
    expect(printed).toContain('✅ SHIP v1.0.1 - 100% CONFIDENCE');
    expect(printed).toContain('? homebrew_install_succeeds = true: not checked:');
    // The suite's [report] files (under reportDir, not in examples/); html is said to be not built.
    const report = JSON.parse(readFileSync(join(dir, 'rosetta_stone_suite.report.json'), 'utf8')) as RunSummary;
    expect(report.suites![0]!.line).toBe('✅ SHIP v1.0.1 - 100% CONFIDENCE');
    expect(report.tests).toHaveLength(5);
    expect(readFileSync(join(dir, 'rosetta_stone_suite.junit.xml'), 'utf8')).toContain('<testsuite name="suite: rosetta_stone_suite_v1_0_1"');
    expect(readFileSync(join(dir, 'rosetta_stone_suite.trace.sha256'), 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    expect(existsSync(join(dir, 'rosetta_stone_suite.report.html'))).toBe(false);
    // Each scenario file still writes its own [report] files.
    expect(existsSync(join(dir, 'scenario_04_hermetic.report.json'))).toBe(true);
  });

  it('blocks at 75.0 % and exits 1 when scenario 04 (weight 2.0 of 8.0) fails: `clnrm run FOLDER`', { timeout: 300_000 }, async () => {
    // A copy of the suite folder. Scenario 04 is the real file broken on purpose (two hello_world steps
    // per run); the other four are cheap passing stand-ins, since the case above already ran the real ones.
    const folder = join(dir, 'broken-suite');
    mkdirSync(folder);
    copyFileSync(join(examples, 'rosetta_stone_suite.clnrm.toml'), join(folder, 'rosetta_stone_suite.clnrm.toml'));
    const text = readFileSync(join(examples, 'scenario_04_hermetic.clnrm.toml'), 'utf8');
    const broken = text.replace('"clnrm.step:hello_world" = { gte = 1 }', '"clnrm.step:hello_world" = { gte = 2 }');
    expect(broken).not.toBe(text);
    writeFileSync(join(folder, 'scenario_04_hermetic.clnrm.toml'), broken);
    for (const name of SCENARIOS.filter((n) => !n.startsWith('scenario_04'))) writeFileSync(join(folder, `${name}.clnrm.toml`), standIn(name));

    const { code, stdout, stderr } = await runCli(['run', folder, '--format', 'json', '--data-dir', join(dir, 'data')], dir);
    expect(code, stderr).toBe(1);
    expect(stderr).toContain('❌ BLOCK v1.0.1 - FAILURES DETECTED (75.0% confidence)');
    const summary = JSON.parse(stdout) as RunSummary;
    // Each file ran once, as the suite's (the folder holds them all).
    expect(summary.tests.map((t) => [t.file.split('/').pop(), t.verdict])).toEqual(SCENARIOS.map((n) => [`${n}.clnrm.toml`, n.startsWith('scenario_04') ? 'failed' : 'passed']));
    const suite = summary.suites![0]!;
    expect([suite.verdict, suite.confidence, suite.passedWeight, suite.totalWeight]).toEqual(['block', 0.75, 6, 8]);
    expect(suite.reasons[0]).toBe('required scenario 04_hermetic_isolation failed');
    // One failed count per run of scenario 04 (three runs), nothing else.
    const failed = summary.tests[3]!.executions.flatMap((e) => e.expectations.filter((x) => !x.passed).map((x) => x.expectation));
    expect(failed, JSON.stringify(summary.tests[3]!.executions.map((e) => e.expectations.filter((x) => !x.passed)))).toHaveLength(3);
    for (const name of failed) expect(name).toMatch(/^expect\.counts/);
  });
});

/** A passing test file that costs one busybox container. */
function standIn(name: string): string {
  return `[meta]\nname = "${name}_stand_in"\n\n[[scenario]]\nname = "echo"\nrun = ["echo", "ok"]\n`;
}

const cli = fileURLToPath(new URL('./fixtures/run-cli.ts', import.meta.url));
// The CLI runs in the temp folder (report files land there), so tsx is named by its full path.
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

function runCli(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', tsx, cli, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}
