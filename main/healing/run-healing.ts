// The self-healing layer inside a run: every failed execution is classified (always), and retried when
// the file's `[self_healing]` or `clnrm run --retries N` turns retries on. One circuit breaker per test
// file for the run; `max_total_retries` per test. At the end of the run, tests that never ran an
// execution (a broken file) get their class, and Trunk's rule relabels failures when most of the run
// failed at once.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatProblem, toProblem } from '../../shared/errors';
import { applyRunRule, classifyDefinition, healingSettings, memoryRetry, quarantineSettings, type FailureClass, type HealingSettings, type MemoryAdjustment, type QuarantineSettings } from '../../shared/healing';
import type { TestFile } from '../../shared/spec';
import type { RunnerEnvironment } from '../runner/scenario';
import type { DeterminismResult, RunSummary, ScenarioExecution, TestResult } from '../runner/types';
import { classifyExecution, recordClassification, type ExecutionContext } from './classify-execution';
import { KnowledgeStore } from './knowledge-store';
import { CircuitBreaker, runWithRetries } from './retry';
import { settleRun, testKey } from './run-knowledge';

export interface RunHealingOptions {
  /** `clnrm run --retries N`: retries on for every file, N per execution. */
  readonly retries?: number;
  /** Jitter source (tests pass a seeded one). Default Math.random. */
  readonly random?: () => number;
  readonly now?: () => number;
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** The knowledge store's folder (`clnrm run` passes `.clnrm/`): quarantine and learning on. Absent: neither. */
  readonly knowledgeDir?: string;
  /** Where relative test files resolve. */
  readonly cwd?: string;
}

/** Waits `ms`, or less when the run is cancelled. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

export class RunHealing {
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly quarantine = new Map<string, QuarantineSettings>();

  private learned?: Promise<ReadonlyMap<FailureClass, number>>;

  constructor(private readonly options: RunHealingOptions = {}) {}

  /** The `adaptive` strategy's learned delays, read once per run (none without a knowledge folder or when its file is broken). */
  learnedDelays(warn: (message: string) => void): Promise<ReadonlyMap<FailureClass, number>> {
    const dir = this.options.knowledgeDir;
    this.learned ??= dir === undefined
      ? Promise.resolve(new Map())
      : new KnowledgeStore(dir).read('retryDelays').then(
          (file) => new Map(file.classes.map((c) => [c.class, c.delayMs])),
          (error: unknown) => {
            warn(`self-healing: ${formatProblem(toProblem(error))} (adaptive delays not used)`);
            return new Map();
          },
        );
    return this.learned;
  }

  forTest(test: TestFile, file: string): TestHealing {
    const settings = healingSettings(test.selfHealing, this.options.retries);
    if (test.selfHealing) this.quarantine.set(testKey(resolve(this.options.cwd ?? '.', file), test.name), quarantineSettings(test.selfHealing));
    let breaker = this.breakers.get(file);
    if (!breaker) this.breakers.set(file, (breaker = new CircuitBreaker(settings.breaker, this.options.now ?? Date.now)));
    return new TestHealing(settings, breaker, { left: settings.maxTotalRetries }, this.options, (warn) => this.learnedDelays(warn));
  }

  /** After the run: quarantine notes on its tests, and what it taught recorded in the knowledge store. */
  async settle(store: RunnerEnvironment['store'], results: TestResult[], warn: (message: string) => void): Promise<TestResult[]> {
    const dir = this.options.knowledgeDir;
    // Self-healing learns only where asked: a file with [self_healing], or a project that keeps a knowledge folder.
    if (dir === undefined || (this.quarantine.size === 0 && !existsSync(dir))) return results;
    const knowledge = new KnowledgeStore(dir);
    return settleRun({ knowledge, store, cwd: this.options.cwd ?? process.cwd(), settings: this.quarantine, warn, now: new Date(this.options.now?.() ?? Date.now()) }, results);
  }
}

/** The next attempt's memory after an OOM kill: the file's resource_exhaustion classifier's multiplier, or 1.5. */
function moreMemory(test: TestFile, execution: ScenarioExecution, previous: MemoryAdjustment | undefined): MemoryAdjustment | undefined {
  const multiplier = test.selfHealing?.patterns?.classifier?.find((c) => c.pattern === 'resource_exhaustion')?.resource_multiplier;
  return memoryRetry({
    oomKilled: execution.containers.filter((c) => c.oomKilled).map((c) => c.service),
    limitOf: (service) => test.services[service]?.limits?.memoryMb ?? test.limits?.memory_mb,
    ...(previous ? { previous } : {}),
    ...(multiplier !== undefined ? { multiplier } : {}),
  });
}

/** The test with the memory limits of a retry after an OOM kill. */
export function withMemory(test: TestFile, adjust: MemoryAdjustment | undefined): TestFile {
  if (!adjust) return test;
  const services = Object.fromEntries(
    Object.entries(test.services).map(([id, spec]) => [id, adjust.memoryMb[id] !== undefined ? { ...spec, limits: { ...spec.limits, memoryMb: adjust.memoryMb[id] } } : spec]),
  );
  return { ...test, services };
}

export class TestHealing {
  constructor(
    readonly settings: HealingSettings,
    private readonly breaker: CircuitBreaker,
    private readonly budget: { left: number },
    private readonly options: RunHealingOptions,
    private readonly learnedDelays: RunHealing['learnedDelays'],
  ) {}

  /** Runs one execution with classification and, when allowed, retries; records the outcome in history. */
  async run(env: RunnerEnvironment, where: { file: string; test: TestFile; scenario: string }, runOnce: (adjust?: MemoryAdjustment) => Promise<ScenarioExecution>): Promise<ScenarioExecution> {
    const ctx: ExecutionContext = { store: env.store, file: where.file, testName: where.test.name, scenario: where.scenario };
    const learned = this.settings.adaptive ? await this.learnedDelays((message) => env.emit({ type: 'warning', message })) : new Map<FailureClass, number>();
    const result = await runWithRetries(
      {
        settings: this.settings,
        breaker: this.breaker,
        budget: this.budget,
        runOnce,
        adjust: (execution, classification, previous) => (classification.class === 'resource_exhaustion' ? moreMemory(where.test, execution, previous) : undefined),
        classify: (execution, earlier, notReproduced) => classifyExecution(ctx, execution, { patterns: this.settings.patterns, exclude: new Set(earlier), notReproduced }),
        learnedDelay: (cls) => learned.get(cls),
      },
      {
        random: this.options.random ?? Math.random,
        sleep: this.options.sleep ?? abortableSleep,
        signal: env.signal,
        note: (message) => env.emit({ type: 'log', source: `${where.test.name} [self-healing]`, message }),
      },
    );
    if (result.classification || result.healing) await recordClassification(env.store, result, (message) => env.emit({ type: 'warning', message }));
    return result;
  }

  /** The class of a failed determinism comparison, judged on the iteration that differed. */
  async determinism(env: RunnerEnvironment, where: { file: string; test: TestFile; scenario: string }, d: DeterminismResult, runs: readonly ScenarioExecution[]): Promise<DeterminismResult> {
    if (d.passed) return d;
    const differing = runs[(d.differingIteration ?? 1) - 1] ?? runs[runs.length - 1]!;
    const ctx: ExecutionContext = { store: env.store, file: where.file, testName: where.test.name, scenario: where.scenario };
    const classification = await classifyExecution(ctx, { ...differing, verdict: 'failed' }, { patterns: this.settings.patterns, determinism: d, exclude: new Set(runs.map((r) => r.runId)) });
    // Kept with the differing execution's record (its own verdict stays), so `clnrm heal` finds it later.
    await recordClassification(env.store, { ...differing, classification }, (message) => env.emit({ type: 'warning', message }));
    return { ...d, classification };
  }
}

/** Classes for tests that never ran (broken files), and Trunk's rule over the whole run. */
export function classifyRun(summary: RunSummary): RunSummary {
  const failedTests = summary.tests.filter((t) => t.verdict === 'failed' || t.verdict === 'error').length;
  const total = summary.tests.length;
  const relabel = (e: ScenarioExecution): ScenarioExecution => (e.classification ? { ...e, classification: applyRunRule(e.classification, failedTests, total) } : e);
  const tests = summary.tests.map((t): TestResult => {
    const definition = t.verdict === 'error' && t.executions.length === 0 && t.problems.length > 0 && !t.problems.every((p) => p.code === 'runner.cancelled') ? { classification: classifyDefinition(t.problems) } : {};
    return { ...t, ...definition, executions: t.executions.map(relabel) };
  });
  return { ...summary, tests };
}
