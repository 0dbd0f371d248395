// The orchestration of one execution without an engine: a scripted service set below the runner's
// seam (ServiceSetPort), a real in-memory store, the real tracer. Checks the order of the live plugin
// hooks, that spans reach plugins as they arrive, that a throwing plugin is reported and changes nothing,
// the typed events, and the clean-up after failures.
import type Docker from 'dockerode';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fromPlain, buildSpan, type Span } from '../../shared/model';
import { PluginRegistry, type Plugin } from '../../shared/plugins';
import { RunEventSchema, type RunEvent } from '../../shared/run';
import { parseTestFile, type TestFile } from '../../shared/spec';
import type { CommandResult, RunningService, ServiceEvent, ServiceSetOptions } from '../docker';
import type { Receiver } from '../receiver';
import { openStore, type TraceStore } from '../store';
import { RunHooks } from './hooks';
import { eventEmitter } from './run-events';
import { runScenario, type RunnerEnvironment } from './scenario';
import { SelfTracer } from './self-trace';
import type { ServiceSetPort } from './service-port';

const TEST = `
[meta]
name = "orders"

[service.db]
image = "img/db"

[service.api]
image = "img/api"
depends_on = ["db"]

[[scenario]]
name = "buy"
service = "api"

[[scenario.steps]]
name = "first"
command = ["buy"]

[[scenario.steps]]
name = "second"
command = ["check"]

[[scenario.steps]]
name = "third"
command = ["never"]

[[expect.span]]
name = "api.buy"
`;

/** Scripted services: start emits the lifecycle events, exec answers from `answers` and may send a span. */
class ScriptedServices implements ServiceSetPort {
  readonly networkName = 'clnrm-test';
  readonly plan = { levels: [['db'], ['api']] };
  disposed = 0;
  private readonly running: RunningService[] = [];
  constructor(
    private readonly options: ServiceSetOptions,
    private readonly script: { failStart?: boolean; answers: Record<string, number>; onExec?: (cmd: string) => void },
  ) {}
  private emit(type: ServiceEvent['type'], service?: string, detail?: string): void {
    this.options.onEvent?.({ type, service, at: performance.timeOrigin + performance.now(), detail });
  }
  async start(): Promise<void> {
    for (const def of this.options.services) {
      this.emit('creating', def.id);
      if (this.script.failStart && def.id === 'api') throw new Error('api exited before it was ready');
      this.running.push({ id: def.id, containerId: `c-${def.id}`, image: def.image, ports: new Map() });
      this.emit('started', def.id);
      this.emit('ready', def.id);
    }
  }
  service(id: string): RunningService {
    return this.running.find((s) => s.id === id)!;
  }
  services(): RunningService[] {
    return [...this.running];
  }
  async exec(_id: string, options: { cmd: readonly string[] }): Promise<CommandResult> {
    const cmd = options.cmd.join(' ');
    this.script.onExec?.(cmd);
    // A command takes time: what it sends arrives (through the store's subscription) while it runs.
    await new Promise((r) => setTimeout(r, 2));
    return { exitCode: this.script.answers[cmd] ?? 0, stdout: `${cmd} done\n`, stderr: '', durationMs: 5, timedOut: false, droppedBytes: 0 };
  }
  async runOnce(): Promise<CommandResult> {
    throw new Error('no fresh containers in this test');
  }
  async evidence() {
    return [];
  }
  async stop() {
    for (const s of [...this.running].reverse()) {
      this.emit('stopping', s.id);
      this.emit('stopped', s.id, 'exit 0');
    }
    return [];
  }
  async dispose(): Promise<void> {
    this.disposed++;
    this.emit('removed', undefined, 'network clnrm-test');
  }
}

const quietReceiver = { queued: 0, drained: async () => undefined } as unknown as Receiver;

function systemSpan(executionId: string, name: string): Span {
  const now = BigInt(Date.now()) * 1_000_000n;
  return buildSpan({
    traceId: 'a'.repeat(32),
    spanId: Math.random().toString(16).slice(2, 10).padEnd(16, '0'),
    name,
    kind: 'server',
    startTimeUnixNano: now.toString(),
    endTimeUnixNano: (now + 1_000_000n).toString(),
    resource: { attributes: [{ key: 'service.name', value: fromPlain('api') }, { key: 'clnrm.run_id', value: fromPlain(executionId) }, { key: 'clnrm.execution_id', value: fromPlain(executionId) }] },
    scope: { name: 'test' },
  });
}

describe('runScenario below the engine seam', () => {
  let store: TraceStore;
  let test: TestFile;
  let events: RunEvent[];
  let log: string[];
  let sets: ScriptedServices[];
  beforeEach(async () => {
    store = await openStore({ inMemory: true });
    const parsed = parseTestFile(TEST);
    expect(parsed.errors).toEqual([]);
    test = parsed.tests[0]!;
    events = [];
    log = [];
    sets = [];
  });
  afterEach(async () => {
    await store.dispose();
  });

  const recorder = (extra: Partial<Plugin> = {}): Plugin => ({
    name: 'recorder',
    kind: 'custom',
    onExecutionStart: (e) => void log.push(`executionStart:${e.scenario}:${e.iteration}`),
    onServicesReady: (r) => void log.push(`servicesReady:${r.services.map((s) => `${s.id}@${s.containerId}`).join(',')}:${r.network}`),
    onStepStart: (s) => void log.push(`stepStart:${s.name}:${s.index}:${s.target}`),
    onStepEnd: (s, r) => void log.push(`stepEnd:${s.name}:${r.verdict}`),
    onSpan: (span) => void (span.serviceName === 'api' && log.push(`span:${span.name}`)),
    onExpectationsEvaluated: (_e, results) => void log.push(`evaluated:${results.map((r) => `${r.expectation}=${r.passed}`).join(',')}`),
    onExecutionFailed: (_e, verdict, evidence) => void log.push(`failed:${verdict}:${evidence.steps.map((s) => s.verdict).join(',')}`),
    onExecutionEnd: (_e, verdict) => void log.push(`end:${verdict}`),
    ...extra,
  });

  async function environment(script: ConstructorParameters<typeof ScriptedServices>[1], plugins: Plugin[]): Promise<RunnerEnvironment> {
    const registry = new PluginRegistry();
    for (const p of plugins) registry.register(p);
    const emit = eventEmitter('run1', (e) => events.push(e));
    await registry.init(() => ({ config: {}, log: () => undefined }), (problem) => emit({ type: 'warning', message: problem.message }));
    const tracer = new SelfTracer((span) => store.ingest([span]), { 'clnrm.run_id': 'run1' });
    const runSpan = tracer.root('clnrm.run');
    return {
      docker: {} as Docker,
      store,
      receiver: quietReceiver,
      otlpEndpoint: 'http://host.docker.internal:1',
      tracer,
      runSpan,
      runId: 'run1',
      signal: new AbortController().signal,
      emit,
      hooks: new RunHooks([registry]),
      services: (options) => {
        const set = new ScriptedServices(options, script);
        sets.push(set);
        return set;
      },
      quietMs: 5,
      maxSpanWaitMs: 200,
    };
  }

  const run = (env: RunnerEnvironment) => runScenario(env, { test, file: 'orders.clnrm.toml', scenario: test.scenarios[0]!, iteration: 1, iterations: 1, testSpan: env.runSpan.child('clnrm.test') });

  it('calls the live hooks in order, delivering a span sent during a step before that step ends', async () => {
    const executionIds: string[] = [];
    const env = await environment({ answers: {}, onExec: (cmd) => cmd === 'buy' && store.ingest([systemSpan(executionIds[0]!, 'api.buy')]) }, [
      recorder({ onExecutionStart: (e) => void (executionIds.push(e.executionId), log.push(`executionStart:${e.scenario}:${e.iteration}`)) }),
    ]);
    const execution = await run(env);
    expect(execution.verdict).toBe('passed');
    expect(log).toEqual([
      'executionStart:buy:1',
      `servicesReady:db@c-db,api@c-api:clnrm-test`,
      'stepStart:first:0:api',
      'span:api.buy',
      'stepEnd:first:passed',
      'stepStart:second:1:api',
      'stepEnd:second:passed',
      'stepStart:third:2:api',
      'stepEnd:third:passed',
      'evaluated:expect.span[0]=true',
      'end:passed',
    ]);
    expect(sets[0]!.disposed).toBe(1);
  });

  it('emits typed, timed events for phases, services, steps and verdicts', async () => {
    const execution = await run(await environment({ answers: { check: 2 } }, []));
    expect(execution.verdict).toBe('failed');
    const kinds = events.map((e) => (e.type === 'phase' ? `phase:${e.phase}:${e.state}` : e.type === 'service' ? `service:${e.service}:${e.state}` : e.type));
    expect(kinds).toEqual([
      'execution-started',
      'phase:services:start',
      'service:db:creating', 'service:db:started', 'service:db:ready',
      'service:api:creating', 'service:api:started', 'service:api:ready',
      'phase:services:end',
      'phase:steps:start',
      'step-started', 'step-finished', 'step-started', 'step-finished',
      'phase:steps:end',
      'phase:collect:start',
      'service:api:stopping', 'service:api:stopped', 'service:db:stopping', 'service:db:stopped',
      'phase:collect:end',
      'phase:cleanup:start', 'phase:cleanup:end',
      'phase:evaluate:start', 'phase:evaluate:end',
      'verdict',
      'execution-finished',
    ]);
    for (const e of events) {
      expect(e.runId).toBe('run1');
      expect(e.at).toBeGreaterThan(1.7e12);
      // What crosses the IPC contract: every event the runner emits is valid under the shared schema.
      expect(RunEventSchema.safeParse(e).success, JSON.stringify(e)).toBe(true);
    }
    const finished = events.at(-1)!;
    expect(finished).toMatchObject({ type: 'execution-finished', verdict: 'failed', expectations: 1, failedExpectations: 1 });
    // The failed step skipped the third.
    expect(execution.steps.map((s) => `${s.name}:${s.verdict}`)).toEqual(['first:passed', 'second:failed', 'third:skipped']);
  });

  it('reports a throwing plugin as a warning and keeps the verdict and the other plugins', async () => {
    const thrower: Plugin = { name: 'thrower', kind: 'chaos', onStepStart: () => { throw new Error('cannot inject'); }, onSpan: () => { throw new Error('bad span'); } };
    const execution = await run(await environment({ answers: {} }, [thrower, recorder()]));
    expect(execution.verdict).toBe('failed'); // api.buy never arrived: the expectation decides, not the plugin.
    const warnings = events.filter((e) => e.type === 'warning').map((e) => (e as { message: string }).message);
    expect(warnings).toContain('Plugin "thrower" failed in onStepStart: cannot inject');
    expect(warnings.filter((w) => /failed in onStepStart/.test(w))).toHaveLength(3);
    expect(log.filter((l) => l.startsWith('stepEnd'))).toHaveLength(3);
    expect(log).toContain('failed:failed:passed,passed,passed');
  });

  it('after services fail to start: an error verdict, the set disposed, the runner spans ending in clnrm.recovery', async () => {
    const execution = await run(await environment({ failStart: true, answers: {} }, [recorder()]));
    expect(execution.verdict).toBe('error');
    expect(execution.problems[0]!.message).toMatch(/api exited before it was ready/);
    expect(sets[0]!.disposed).toBe(1);
    expect(log).toEqual(['executionStart:buy:1', 'evaluated:', 'failed:error:', 'end:error']);
    const runner = store.live.spans({ service: 'clnrm' });
    const byName = (name: string) => runner.filter((s) => s.name === name);
    expect(byName('clnrm.service.start').map((s) => s.status.code).sort()).toEqual(['error', 'ok']);
    const recovery = byName('clnrm.recovery')[0]!;
    expect(recovery.parentSpanId).toBe(byName('clnrm.cleanup')[0]!.spanId);
  });
});
