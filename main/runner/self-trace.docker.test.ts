// The runner's own trace answers clnrm-style expectations on a real engine: `clnrm.run` once with its
// result, one `clnrm.service.start` per service, `clnrm.step:<name>` parented by `clnrm.run` with clnrm's
// container events, `clnrm.cleanup` (and `clnrm.recovery` under it after a failure). Each expectation is
// also shown to fail when the trace does not say it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toText } from '../../shared/model';
import { announceDockerSkip, probeDocker } from '../docker/test-support';
import { openStore, type TraceStore } from '../store';
import { runTests } from './runner';
import type { TestResult } from './types';

const probe = await probeDocker(['cleanroom/busybox:latest']);
announceDockerSkip('runner self-trace', probe);

const SERVICES = ['alpha', 'beta', 'gamma']
  .map((id) => `[service.${id}]\nplugin = "generic_container"\nimage = "cleanroom/busybox:latest"\nargs = ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]\n`)
  .join('\n');

const file = (expectations: string, steps = '[[scenario.steps]]\nname = "hello_world"\nservice = "alpha"\ncommand = ["echo", "hello"]\n\n[[scenario.steps]]\nname = "fresh"\ncommand = ["true"]\n') => `
[meta]
name = "clnrm_shapes"

${SERVICES}
[[scenario]]
name = "main"

${steps}
${expectations}
`;

const CLNRM_SHAPES = `
[[expect.span]]
name = "clnrm.run"
kind = "internal"
attrs.all = { "result" = "pass" }

[[expect.span]]
name = "clnrm.step:hello_world"
parent = "clnrm.run"
kind = "internal"
events.any = ["container.start", "container.exec", "container.stop"]
attrs.all = { "step.name" = "hello_world", "step.index" = 0, "result" = "pass", "exit.code" = 0 }

[[expect.span]]
name = "clnrm.step:fresh"
parent = "clnrm.run"
events.all = ["container.start", "container.exec", "container.stop"]

[[expect.span]]
name = "clnrm.service.start"
attrs.all = { "service.type" = "generic_container" }

[[expect.span]]
name = "clnrm.cleanup"
attrs.all = { "cleanup.triggered" = "true", "cleanup.success" = "true" }
events.any = ["container.stop", "container.remove", "cleanup.complete"]
status = "OK"

[expect.graph]
must_include = [["clnrm.run", "clnrm.step:hello_world"], ["clnrm.service.start", "clnrm.container.start"]]
acyclic = true

[[expect.window]]
outer = "clnrm.run"
contains = ["clnrm.step:hello_world"]

[expect.order]
must_precede = [["clnrm.run", "clnrm.step:hello_world"]]

[expect.counts]
by_name = { "clnrm.run" = { eq = 1 }, "clnrm.service.start" = { eq = 3 }, "clnrm.step:hello_world" = { eq = 1 } }
`;

describe.skipIf(!probe.docker)('the runner traces itself as clnrm does (real engine)', () => {
  let dir: string;
  let store: TraceStore;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clnrm-shapes-'));
    store = await openStore({ dataDir: dir });
  });
  afterAll(async () => {
    await store?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = async (source: string): Promise<TestResult> => {
    const summary = await runTests({ sources: [{ file: join(dir, 'shapes.clnrm.toml'), source }], cwd: dir, env: process.env, store, writeReports: false });
    return summary.tests[0]!;
  };
  const failed = (result: TestResult) => result.executions.flatMap((e) => e.expectations.filter((x) => !x.passed).map((x) => x.expectation));

  it('passes clnrm-style expectations about clnrm.run, per-service clnrm.service.start and clnrm.step:<name>', { timeout: 90_000 }, async () => {
    const result = await run(file(CLNRM_SHAPES));
    expect(failed(result)).toEqual([]);
    expect(result.verdict).toBe('passed');
    expect(result.executions[0]!.expectations.length).toBeGreaterThanOrEqual(10);
  });

  it('fails them when the trace says otherwise: wrong parent, wrong count, a failing step', { timeout: 90_000 }, async () => {
    const wrong = `
[[expect.span]]
name = "clnrm.step:hello_world"
parent = "clnrm.test"

[expect.counts]
by_name = { "clnrm.service.start" = { eq = 1 } }

[[expect.span]]
name = "clnrm.run"
attrs.all = { "result" = "pass" }
`;
    const failing = '[[scenario.steps]]\nname = "hello_world"\nservice = "alpha"\ncommand = ["sh", "-c", "exit 4"]\n';
    const result = await run(file(wrong, failing));
    expect(failed(result)).toEqual(['expect.span[0]', 'expect.span[1]', 'expect.counts.by_name."clnrm.service.start"']);
    const executionId = result.executions[0]!.runId;
    const spans = (await store.getSpans('all')).filter((s) => s.resource.attributes.some((a) => a.key === 'clnrm.execution_id' && toText(a.value) === executionId));
    const recovery = spans.find((s) => s.name === 'clnrm.recovery');
    expect(recovery, 'a failed execution records clnrm.recovery under clnrm.cleanup').toBeDefined();
    const cleanup = spans.find((s) => s.spanId === recovery!.parentSpanId);
    expect(cleanup?.name).toBe('clnrm.cleanup');
    const step = spans.find((s) => s.name === 'clnrm.step:hello_world' && s.status.code === 'error');
    expect(step?.attributes.find((a) => a.key === 'error.type')?.value).toEqual({ stringValue: 'step_failed' });
  });
});
