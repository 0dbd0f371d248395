// What a finished run teaches the knowledge store, and what the store decides about the run: each
// test's quarantine step (a quarantined test's failure stops counting against the run), its pass/fail
// sequence and flakiness score, and the failure classes seen. Read once and written once per run; a
// broken knowledge file is reported as a warning and that part skipped, never a crashed run.
import { resolve } from 'node:path';
import { formatProblem, toProblem } from '../../shared/errors';
import {
  DEFAULT_ADAPTIVE,
  flakinessOf,
  HISTORY_WINDOW,
  learnDelay,
  outcomeOf,
  quarantineSettings,
  quarantineStep,
  retryLessons,
  type Classification,
  type QuarantineEntry,
  type QuarantineSettings,
} from '../../shared/healing';
import type { KnowledgeOf } from '../../shared/healing/knowledge';
import type { TraceStore } from '../store';
import type { TestResult } from '../runner/types';
import type { KnowledgeStore } from './knowledge-store';

export interface SettleContext {
  readonly knowledge: KnowledgeStore;
  readonly store: Pick<TraceStore, 'listRuns'>;
  readonly cwd: string;
  /** Quarantine settings of each test with a `[self_healing]` section, by `absolute file#test name` (others: the defaults). */
  readonly settings: ReadonlyMap<string, QuarantineSettings>;
  readonly warn: (message: string) => void;
  readonly now: Date;
}

export const testKey = (absoluteFile: string, name: string): string => `${absoluteFile}#${name}`;

const classificationsOf = (t: TestResult): Classification[] => [
  ...t.executions.flatMap((e) => (e.classification ? [e.classification] : [])),
  ...(t.determinism ?? []).flatMap((d) => (d.classification ? [d.classification] : [])),
  ...(t.classification ? [t.classification] : []),
];

async function failuresInWindow(ctx: SettleContext, file: string, test: string): Promise<number> {
  const runs = await ctx.store.listRuns({ testFile: file, testName: test, limit: HISTORY_WINDOW });
  const verdicts = runs.flatMap((r) => r.executions).filter((e) => e.testName === test).sort((a, b) => a.startedAt - b.startedAt).slice(-HISTORY_WINDOW);
  return verdicts.filter((e) => e.verdict === 'failed' || e.verdict === 'error').length;
}

/** Reads a knowledge file; a broken one is a warning and `undefined` (that part of the store is skipped). */
type RunKnowledge = 'quarantine' | 'flakiness' | 'patterns' | 'retryDelays';

async function readOrWarn<K extends RunKnowledge>(ctx: SettleContext, kind: K): Promise<KnowledgeOf<K> | undefined> {
  try {
    return await ctx.knowledge.read(kind);
  } catch (error) {
    ctx.warn(`self-healing: ${formatProblem(toProblem(error))} (not updated by this run)`);
    return undefined;
  }
}

async function writeOrWarn<K extends RunKnowledge>(ctx: SettleContext, kind: K, value: KnowledgeOf<K>): Promise<void> {
  await ctx.knowledge.write(kind, value).catch((error: unknown) => ctx.warn(`self-healing: ${formatProblem(toProblem(error))}`));
}

async function settleQuarantine(ctx: SettleContext, results: TestResult[]): Promise<TestResult[]> {
  const list = await readOrWarn(ctx, 'quarantine');
  if (!list) return results;
  const entries = new Map(list.tests.map((e) => [`${e.file}#${e.test}`, e]));
  const out: TestResult[] = [];
  for (const t of results) {
    const absolute = resolve(ctx.cwd, t.file);
    const settings = ctx.settings.get(testKey(absolute, t.name)) ?? quarantineSettings(undefined);
    const where = { file: ctx.knowledge.testFile(absolute), test: t.name };
    const key = `${where.file}#${where.test}`;
    const flaky = classificationsOf(t).find((c) => c.class === 'flaky_test');
    const failures = flaky ? await failuresInWindow(ctx, absolute, t.name).catch(() => 1) : 0;
    const step = quarantineStep(where, entries.get(key), { verdict: t.verdict, ...(flaky ? { flaky } : {}), failuresInWindow: failures }, settings, ctx.now);
    if (step.entry) entries.set(key, step.entry);
    else entries.delete(key);
    out.push(step.note ? { ...t, quarantine: step.note } : t);
  }
  const tests: QuarantineEntry[] = [...entries.values()];
  if (JSON.stringify(tests) !== JSON.stringify(list.tests)) await writeOrWarn(ctx, 'quarantine', { version: 1, tests });
  return out;
}

/** The outcome of each execution, per scenario, appended to the test's pass/fail sequence. */
async function recordFlakiness(ctx: SettleContext, results: readonly TestResult[]): Promise<void> {
  const file = await readOrWarn(ctx, 'flakiness');
  if (!file) return;
  const rows = new Map(file.tests.map((r) => [`${r.file}#${r.test}#${r.scenario}`, r]));
  for (const t of results) {
    const where = ctx.knowledge.testFile(resolve(ctx.cwd, t.file));
    for (const e of t.executions) {
      const outcome = outcomeOf(e.verdict);
      if (!outcome) continue;
      const key = `${where}#${t.name}#${e.scenario}`;
      const outcomes = `${rows.get(key)?.outcomes ?? ''}${outcome === 'pass' ? 'P' : 'F'}`.slice(-HISTORY_WINDOW);
      const seen = flakinessOf([...outcomes].map((c) => (c === 'P' ? 'pass' : 'fail')));
      rows.set(key, { file: where, test: t.name, scenario: e.scenario, outcomes, score: seen.score, failureRate: seen.failureRate, updatedAt: ctx.now.toISOString() });
    }
  }
  await writeOrWarn(ctx, 'flakiness', { version: 1, tests: [...rows.values()] });
}

/** Counts of each failure class per test, with the last evidence. */
async function recordPatterns(ctx: SettleContext, results: readonly TestResult[]): Promise<void> {
  const seen = results.flatMap((t) => classificationsOf(t).map((c) => ({ t, c })));
  if (seen.length === 0) return;
  const file = await readOrWarn(ctx, 'patterns');
  if (!file) return;
  const rows = new Map(file.patterns.map((p) => [`${p.file}#${p.test}#${p.class}`, p]));
  for (const { t, c } of seen) {
    const where = ctx.knowledge.testFile(resolve(ctx.cwd, t.file));
    const key = `${where}#${t.name}#${c.class}`;
    const first = c.evidence[0];
    rows.set(key, { file: where, test: t.name, class: c.class, count: (rows.get(key)?.count ?? 0) + 1, lastSeen: ctx.now.toISOString(), lastEvidence: first ? `${first.kind}: ${first.detail}` : '' });
  }
  await writeOrWarn(ctx, 'patterns', { version: 1, patterns: [...rows.values()] });
}

/** What the run's retries teach the `adaptive` strategy: per class, the delay that heals. */
async function recordRetryDelays(ctx: SettleContext, results: readonly TestResult[]): Promise<void> {
  const lessons = results.flatMap((t) => t.executions.flatMap((e) => (e.healing ? retryLessons(e.healing) : [])));
  if (lessons.length === 0) return;
  const file = await readOrWarn(ctx, 'retryDelays');
  if (!file) return;
  const learned = new Map(file.classes.map((c) => [c.class, c]));
  for (const lesson of lessons) learned.set(lesson.class, learnDelay(learned.get(lesson.class), lesson, DEFAULT_ADAPTIVE));
  await writeOrWarn(ctx, 'retryDelays', { version: 1, classes: [...learned.values()] });
}

/** Quarantine notes on the run's tests, and the run recorded into the knowledge store. */
export async function settleRun(ctx: SettleContext, results: TestResult[]): Promise<TestResult[]> {
  const settled = await settleQuarantine(ctx, results);
  await recordFlakiness(ctx, settled);
  await recordPatterns(ctx, settled);
  await recordRetryDelays(ctx, settled);
  return settled;
}
