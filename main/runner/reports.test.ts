// Reports without Docker: failure explanations with evidence, JUnit XML (escaping, counts, kinds),
// JSON, digest, and the `[report]` files.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseTestFile } from '../../shared/spec';
import { failureLines, jsonReport, junitReport, traceDigest, writeFileReports } from './reports';
import type { RunSummary, ScenarioExecution, TestResult } from './types';

function execution(overrides: Partial<ScenarioExecution> = {}): ScenarioExecution {
  return {
    runId: 'abc123',
    scenario: 'main',
    iteration: 1,
    verdict: 'passed',
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1200,
    steps: [],
    expectations: [],
    problems: [],
    containers: [],
    spanCount: 3,
    traceHash: 'aaaa',
    spanNames: {},
    ...overrides,
  };
}

const failing: TestResult = {
  file: 'a & b.clnrm.toml',
  name: 'orders <red>',
  verdict: 'failed',
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 2500,
  problems: [],
  executions: [
    execution({
      verdict: 'failed',
      steps: [{ name: 'call', target: 'api', command: ['wget'], verdict: 'failed', exitCode: 1, expectedExitCode: 0, timedOut: false, durationMs: 5, message: 'exited 1, expected 0', stdoutTail: '', stderrTail: '' }],
      expectations: [
        { expectation: 'expect.counts.errors_total', kind: 'counts', passed: false, message: 'error span count is 1; expected = 0', spans: ['00f067aa0ba902b7'] },
        { expectation: 'expect.span[0]', kind: 'span', passed: true, message: 'ok', spans: ['1111111111111111'] },
      ],
      spanNames: { '00f067aa0ba902b7': 'job.process' },
    }),
  ],
};
const passing: TestResult = { ...failing, name: 'reads', verdict: 'passed', executions: [execution({ traceHash: 'bbbb' })] };
const summary: RunSummary = { runId: 'r1', startedAt: failing.startedAt, durationMs: 4000, passed: 1, failed: 1, errors: 0, skipped: 0, tests: [failing, passing] };

describe('failureLines', () => {
  it('names failing steps and expectations with evidence span ids and names', () => {
    expect(failureLines(failing)).toEqual([
      'main: step "call" (api): exited 1, expected 0',
      'main: expect.counts.errors_total: error span count is 1; expected = 0 [evidence: 00f067aa0ba902b7 "job.process"]',
    ]);
    expect(failureLines(passing)).toEqual([]);
  });

  it('explains a determinism mismatch with the differing iteration and the differences', () => {
    const det: TestResult = {
      ...passing,
      verdict: 'failed',
      executions: [execution(), execution({ iteration: 2, traceHash: 'cccc' })],
      determinism: [{ iterations: 2, hashes: ['aaaa', 'cccc'], passed: false, differingIteration: 2, differences: [{ kind: 'span-added', path: 'GET /x > cache.lookup', message: 'span "cache.lookup" only in the second run' }] }],
    };
    expect(failureLines(det)).toEqual([
      'determinism: iteration 2 differs from iteration 1 (normalized trace hash cccc vs aaaa):',
      '  GET /x > cache.lookup: span "cache.lookup" only in the second run',
    ]);
  });
});

describe('JUnit and JSON reports', () => {
  it('writes escaped, counted JUnit XML with one testcase per test', () => {
    const xml = junitReport(summary);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="clnrm" tests="2" failures="1" errors="0" skipped="0" time="4.000">/);
    expect(xml).toContain('<testsuite name="a &amp; b.clnrm.toml" tests="2" failures="1" errors="0" skipped="0" time="5.000">');
    expect(xml).toContain('<testcase classname="a &amp; b.clnrm.toml" name="orders &lt;red&gt;" time="2.500">');
    expect(xml).toContain('<failure message="main: step &quot;call&quot; (api): exited 1, expected 0">');
    expect(xml).toContain('<testcase classname="a &amp; b.clnrm.toml" name="reads" time="2.500"/>');
    expect(xml.match(/<testcase /g)).toHaveLength(2);
  });

  it('marks errors and skipped tests with their own elements', () => {
    const error: TestResult = { ...passing, name: 'broken', verdict: 'error', problems: [{ code: 'docker.image-missing', message: 'image "x" is missing' }] };
    const skipped: TestResult = { ...passing, name: 'later', verdict: 'skipped', problems: [{ code: 'runner.cancelled', message: 'not run: the run was cancelled' }] };
    const xml = junitReport({ ...summary, tests: [error, skipped], passed: 0, failed: 0, errors: 1, skipped: 1 });
    expect(xml).toMatch(/<error message="error: image &quot;x&quot; is missing \[docker.image-missing\]">/);
    expect(xml).toContain('<skipped message="not run: the run was cancelled">');
  });

  it("keeps a chaos experiment's timeline in <system-out>, for a passed test too", () => {
    const chaos: TestResult = {
      ...passing,
      name: 'db paused',
      executions: [
        execution({
          expectations: [
            { expectation: 'chaos.experiment', kind: 'chaos', passed: true, message: 'experiment "e": resilience score 100; phases steady_state 0.0–3.0 s, during_chaos 3.0–6.0 s, recovery 6.0–10.0 s', spans: [] },
            { expectation: 'chaos.experiment.injection[0]', kind: 'chaos', passed: true, message: 'container_pause on db from 3.0 s to 6.0 s, undone', spans: [] },
            { expectation: 'expect.span[0]', kind: 'span', passed: true, message: 'ok', spans: [] },
          ],
        }),
      ],
    };
    const xml = junitReport({ ...summary, tests: [chaos], passed: 1, failed: 0 });
    expect(xml).toContain(
      '<testcase classname="a &amp; b.clnrm.toml" name="db paused" time="2.500">\n      <system-out>main:\n  ok chaos.experiment: experiment &quot;e&quot;: resilience score 100; phases steady_state 0.0–3.0 s, during_chaos 3.0–6.0 s, recovery 6.0–10.0 s\n  ok chaos.experiment.injection[0]: container_pause on db from 3.0 s to 6.0 s, undone</system-out>\n    </testcase>',
    );
    expect(xml).not.toContain('expect.span[0]');
  });

  it('names the engine a test ran on (a pool of several) as a testcase property', () => {
    const onPool: TestResult = { ...passing, name: 'pooled', engine: 'tcp://127.0.0.1:2375' };
    const failedOnPool: TestResult = { ...onPool, name: 'pooled too', verdict: 'failed', problems: [{ code: 'runner.engine-lost', message: 'engine gone' }] };
    const xml = junitReport({ ...summary, tests: [onPool, failedOnPool], passed: 1, failed: 1 });
    const property = '\n      <properties>\n        <property name="clnrm.engine" value="tcp://127.0.0.1:2375"/>\n      </properties>';
    expect(xml).toContain(`name="pooled" time="2.500">${property}\n    </testcase>`);
    expect(xml).toContain(`name="pooled too" time="2.500">${property}\n      <failure message=`);
    expect(junitReport(summary)).not.toContain('<properties>');
  });

  it('JSON round-trips the summary', () => {
    const parsed = JSON.parse(jsonReport(summary)) as RunSummary & { format: string };
    expect(parsed.format).toBe('clnrm-studio-report');
    expect(parsed.tests[0]!.executions[0]!.expectations[0]!.spans).toEqual(['00f067aa0ba902b7']);
  });

  it('digest depends on every execution hash and on nothing else', () => {
    const a = traceDigest([failing, passing]);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(traceDigest([failing, { ...passing, durationMs: 9 }])).toBe(a);
    expect(traceDigest([failing, { ...passing, executions: [execution({ traceHash: 'dddd' })] }])).not.toBe(a);
  });
});

describe('[report] files', () => {
  it('writes json, junit and digest where the test file says, relative to its folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clnrm-report-'));
    try {
      const source = `[meta]\nname = "orders <red>"\n[[steps]]\nname = "s"\ncommand = ["true"]\n[report]\njson = "out/r.json"\njunit = "out/junit.xml"\ndigest = "out/trace.sha256"\n`;
      const parsed = parseTestFile(source, { file: 'a & b.clnrm.toml' });
      expect(parsed.errors).toEqual([]);
      const problems = await writeFileReports([{ test: parsed.tests[0]!, file: 'a & b.clnrm.toml' }], [failing], dir);
      expect(problems).toEqual([]);
      expect((JSON.parse(readFileSync(join(dir, 'out/r.json'), 'utf8')) as RunSummary).failed).toBe(1);
      expect(readFileSync(join(dir, 'out/junit.xml'), 'utf8')).toContain('<failure ');
      expect(readFileSync(join(dir, 'out/trace.sha256'), 'utf8')).toBe(`${traceDigest([failing])}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('paths stay in the test file folder', () => {
    const reportOf = (json: string) => parseTestFile(`[meta]\nname = "t"\n[[steps]]\nname = "s"\ncommand = ["true"]\n[report]\njson = ${JSON.stringify(json)}\n`, { file: 'x' }).tests[0]!;
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'clnrm-report-'));
      mkdirSync(join(dir, 'tests'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    const write = (json: string, reportDir?: string) =>
      writeFileReports([{ test: reportOf(json), file: 'tests/a.clnrm.toml' }], [{ ...failing, file: 'tests/a.clnrm.toml' }], dir, reportDir);

    it("resolves against the test file's folder, not the working directory", async () => {
      expect(await write('out/r.json')).toEqual([]);
      expect(existsSync(join(dir, 'tests', 'out', 'r.json'))).toBe(true);
    });

    it('refuses absolute paths and `..` escapes, writing nothing', async () => {
      for (const path of [join(dir, 'abs.json'), '../up.json', 'out/../../up2.json', '/etc/clnrm-evil.json']) {
        const problems = await write(path);
        expect(problems).toEqual([expect.stringMatching(/^tests\/a\.clnrm\.toml: report path .* leaves .*tests: \[report\] paths are relative to the test file's folder and stay in it .*--report-dir DIR/)]);
      }
      expect(readdirSync(dir)).toEqual(['tests']);
      expect(readdirSync(join(dir, 'tests'))).toEqual([]);
    });

    it('refuses a path that leads out through a symbolic link', async () => {
      const outside = mkdtempSync(join(tmpdir(), 'clnrm-outside-'));
      try {
        symlinkSync(outside, join(dir, 'tests', 'link'));
        expect(await write('link/r.json')).toEqual([expect.stringMatching(/leads out of .* through a symbolic link: not written/)]);
        expect(readdirSync(outside)).toEqual([]);
      } finally {
        rmSync(outside, { recursive: true, force: true });
      }
    });

    it('writes under --report-dir when given, and still not outside it', async () => {
      expect(await write('r.json', 'reports')).toEqual([]);
      expect(existsSync(join(dir, 'reports', 'r.json'))).toBe(true);
      expect(await write('../r.json', 'reports')).toEqual([expect.stringMatching(/leaves .*reports/)]);
      expect(existsSync(join(dir, 'r.json'))).toBe(false);
    });
  });
});
