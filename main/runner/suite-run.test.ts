// Suite files on the real engine, with cheap busybox scenarios: a scenario's timeout_minutes aborts its
// file (an error, containers removed) while the next still runs; fail_fast skips the rest; a missing
// scenario file is an error of its own; each suite gets its verdict.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { managedFilter } from '../docker';
import { announceDockerSkip, probeDocker } from '../docker/test-support';
import { openStore } from '../store';
import { runTests } from './runner';

const probe = await probeDocker(['cleanroom/busybox:latest']);
announceDockerSkip('suite files', probe);

describe('Docker availability', () => {
  it.skipIf(!probe.docker && process.env.CI !== 'true')('has a Docker engine with the images (required when CI=true)', () => {
    if (!probe.docker) throw new Error(probe.reason);
  });
});

const scenario = (name: string, command: string) => `[meta]\nname = "${name}"\n\n[[scenario]]\nname = "main"\nrun = ["sh", "-c", "${command}"]\n`;

const suite = (name: string, extra: string, scenarios: [string, string, string][]) =>
  [`[meta]\nname = "${name}"\nversion = "0.1"\n\n[suite]\nname = "${name}"\n${extra}`, ...scenarios.map(([n, file, more]) => `[[suite.scenario]]\nname = "${n}"\nfile = "${file}"\n${more}`)].join('\n\n');

describe.skipIf(!probe.docker)('suite files (real engine)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clnrm-suite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('bounds a scenario by its timeout, skips after a failure with fail_fast, and judges each suite', { timeout: 120_000 }, async () => {
    writeFileSync(join(dir, 'slow.clnrm.toml'), scenario('slow', 'sleep 60'));
    writeFileSync(join(dir, 'ok.clnrm.toml'), scenario('ok', 'echo ok'));
    writeFileSync(join(dir, 'bad.clnrm.toml'), scenario('bad', 'exit 3'));
    writeFileSync(join(dir, 'timed.clnrm.toml'), suite('timed', 'parallel = false', [['slow', 'slow.clnrm.toml', 'timeout_minutes = 0.05'], ['ok', 'ok.clnrm.toml', ''], ['gone', 'missing.clnrm.toml', 'required = false']]));
    writeFileSync(join(dir, 'fast.clnrm.toml'), suite('fast', 'fail_fast = true\n\n[release.confidence]\nscenario_1_pass = { weight = 1.0 }\nscenario_2_pass = { weight = 3.0 }', [['bad', 'bad.clnrm.toml', ''], ['ok_again', 'ok.clnrm.toml', '']]));
    const store = await openStore({ inMemory: true });
    const started = Date.now();
    const summary = await runTests({ sources: [{ file: join(dir, 'timed.clnrm.toml') }, { file: join(dir, 'fast.clnrm.toml') }], cwd: dir, env: process.env, store }).finally(() => store.dispose());
    // The 60 s sleep was cut at its 3 s bound.
    expect(Date.now() - started).toBeLessThan(60_000);
    const [timed, fast] = summary.suites!;
    expect(timed!.scenarios.map((s) => [s.name, s.verdict])).toEqual([['slow', 'error'], ['ok', 'passed'], ['gone', 'error']]);
    const slow = summary.tests.find((t) => t.name === 'slow')!;
    expect(slow.problems[0]).toMatchObject({ code: 'runner.timeout', message: expect.stringContaining('timeout_minutes (0.05 min)') });
    expect(slow.executions[0]!.problems[0]!.code).toBe('runner.timeout');
    expect(summary.tests.find((t) => t.file.endsWith('missing.clnrm.toml'))!.problems[0]!.code).toBe('io.read');
    expect([timed!.verdict, timed!.confidence]).toEqual(['block', 1 / 3]);
    // fail_fast: the second scenario file never started; weights 1 and 3 of 4 lost.
    expect(fast!.scenarios.map((s) => [s.name, s.verdict])).toEqual([['bad', 'failed'], ['ok_again', 'skipped']]);
    expect(fast!.line).toBe('❌ BLOCK v0.1 - FAILURES DETECTED (0.0% confidence)');
    // Each finished execution's cleanup was listed with nothing left; the timed-out one was removed too.
    const finished = summary.tests.flatMap((t) => t.executions).filter((e) => e !== slow.executions[0]);
    expect(finished.map((e) => e.cleanup?.leftovers)).toEqual(finished.map(() => ({ containers: [], networks: [], volumes: [] })));
    expect(await probe.docker!.listContainers({ all: true, filters: managedFilter(slow.executions[0]!.runId) })).toEqual([]);
  });
});
