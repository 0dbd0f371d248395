// The Failures view's back end: the stored runs' classified failures (class, confidence, evidence, the
// spans and log lines it names), a run's repair proposals split into hunks, applying the chosen hunks
// after verification reruns, undo, reject, and the quarantine list. The work itself is `clnrm heal`'s
// and `clnrm flaky`'s (main/healing); this adds the studio's path check — a file outside the folders
// the user opened is neither read nor written — and the view's shapes (shared/ipc/failures-schema.ts).
import { parsePatch } from 'diff';
import type { Classification } from '../../shared/healing';
import type { CallArgs, CallResponse } from '../../shared/ipc/contract';
import { MAX_FAILURE_LOG_LINES, MAX_LISTED_FAILURES, type FailureView, type RepairView } from '../../shared/ipc/failures-schema';
import type { ExecutionRecord } from '../../shared/run/records';
import { FLAKY_RUNS_READ, flakyTests } from '../healing/flaky-report';
import { applyProposal, classifiedExecutions, healRun, proposalText, rejectProposal, undoProposal } from '../healing/heal';
import type { KnowledgeStore } from '../healing/knowledge-store';
import type { Verification } from '../healing/verify';
import { executionSpans } from '../intelligence/sources';
import type { TraceStore } from '../store';
import type { UserPaths } from './user-paths';

export interface FailuresDeps {
  store: TraceStore;
  paths: UserPaths;
  knowledge: KnowledgeStore;
  env: Record<string, string | undefined>;
  /** Reruns `file`'s test from `text` `runs` times (main/healing/verify.ts on the real engine). */
  verify: (file: string, text: string, runs: number) => Promise<Verification>;
  now?: () => Date;
}

/** Runs read to find failures (newest first); older failures are `clnrm heal RUN_ID`'s. */
const FAILURE_RUNS_READ = 100;
const LOG_LINES_PER_SOURCE = 15;
const SPAN_ID = /^[0-9a-f]{16}$/;

type Classified = ExecutionRecord & { classification: Classification };

/** Span ids the classification and the failed expectations name, in that order, once each. */
function evidenceSpanIds(e: Classified): string[] {
  const ids = e.classification.evidence.flatMap((x) => (x.ref !== undefined && SPAN_ID.test(x.ref) ? [x.ref] : []));
  for (const x of e.evidence?.expectations ?? []) if (!x.passed) ids.push(...x.spans);
  return [...new Set(ids)];
}

/** The tails of the containers' logs and of the steps' output, labelled by where they came from. */
function logLinesOf(e: ExecutionRecord): string[] {
  const lines: string[] = [];
  const tail = (source: string, text: readonly string[]) => lines.push(...text.filter((l) => l.trim() !== '').slice(-LOG_LINES_PER_SOURCE).map((l) => `${source}: ${l}`));
  for (const c of e.evidence?.containers ?? []) tail(c.service, c.logTail);
  for (const s of e.evidence?.steps ?? []) {
    tail(`${s.name} stdout`, s.stdoutTail.split('\n'));
    tail(`${s.name} stderr`, s.stderrTail.split('\n'));
  }
  return lines.slice(-MAX_FAILURE_LOG_LINES);
}

async function failureView(store: TraceStore, e: Classified): Promise<FailureView> {
  const ids = evidenceSpanIds(e);
  const spans = ids.length > 0 ? await executionSpans(store, e.id) : [];
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  return {
    executionId: e.id,
    runId: e.runId,
    path: e.testFile,
    test: e.testName,
    scenario: e.scenario,
    verdict: e.verdict ?? 'unknown',
    startedAt: e.startedAt,
    classification: e.classification,
    evidenceSpans: ids.flatMap((id) => (byId.has(id) ? [{ traceId: byId.get(id)!.traceId, spanId: id, name: byId.get(id)!.name }] : [])).slice(0, 100),
    logLines: logLinesOf(e),
    failedChecks: (e.evidence?.expectations ?? []).filter((x) => !x.passed).map((x) => `${x.expectation}: ${x.message}`),
  };
}

/** Each hunk of a unified diff: its `@@` header and its lines. */
export function hunksOf(diff: string): RepairView['hunks'] {
  const [patch] = parsePatch(diff);
  return (patch?.hunks ?? []).map((h) => ({ header: `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, lines: [...h.lines] }));
}

export class StudioFailures {
  constructor(private readonly deps: FailuresDeps) {}

  /** The path check of the file a proposal (or an applied one) changes, before its file is read; an unknown id is heal's own error. */
  private async checkFileOf(kind: 'proposals' | 'decisions', id: string): Promise<void> {
    const known = kind === 'proposals' ? (await this.deps.knowledge.read('proposals')).proposals : (await this.deps.knowledge.read('decisions')).applied;
    const found = known.find((p) => p.id === id);
    if (found) await this.deps.paths.check(this.deps.knowledge.absolute(found.file), 'The test file');
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  async list(q: CallArgs<'listFailures'>): Promise<CallResponse<'listFailures'>> {
    const failures: FailureView[] = [];
    for (const entry of await this.deps.store.listRuns({ limit: FAILURE_RUNS_READ })) {
      const newestFirst = classifiedExecutions(entry).sort((a, b) => b.startedAt - a.startedAt);
      for (const e of newestFirst) {
        if (failures.length >= Math.min(q.limit, MAX_LISTED_FAILURES)) break;
        failures.push(await failureView(this.deps.store, e));
      }
    }
    return { failures, knowledgeDir: this.deps.knowledge.dir };
  }

  /** The run's proposals (unverified: verification is the apply step's), for files the user opened. */
  async repairs(q: CallArgs<'runRepairs'>): Promise<CallResponse<'runRepairs'>> {
    const entry = await this.deps.store.getRun(q.runId);
    if (!entry) return { repairs: [], applied: [] };
    const allowed = new Set<string>();
    const refused: CallResponse<'runRepairs'>['repairs'] = [];
    for (const e of classifiedExecutions(entry)) {
      const ok = await this.deps.paths.check(e.testFile, 'The test file').then(
        () => true,
        () => false,
      );
      if (ok) allowed.add(e.testFile);
      else refused.push({ executionId: e.id, proposals: [], note: `${e.testFile} is outside the folders you opened: open its folder (Tests view) to see its repairs.` });
    }
    const healed = await healRun(
      { knowledge: this.deps.knowledge, env: this.deps.env, now: this.now(), verify: async () => ({ runs: 0, passed: 0 }) },
      { ...entry, executions: entry.executions.filter((e) => allowed.has(e.testFile)) },
    );
    const repairs = healed.map((f) => ({
      executionId: f.executionId,
      proposals: f.patches.map((p): RepairView => ({ id: p.id, path: this.deps.knowledge.absolute(p.file), test: p.test, kind: p.kind, description: p.description, reason: p.reason, evidence: p.evidence, diff: p.diff, hunks: hunksOf(p.diff) })),
      ...(f.note !== undefined ? { note: f.note } : {}),
    }));
    const decisions = await this.deps.knowledge.read('decisions');
    const applied = decisions.applied.map((a) => ({ id: a.id, path: this.deps.knowledge.absolute(a.file), test: a.test, diff: a.diff, at: a.at })).filter((a) => allowed.has(a.path));
    return { repairs: [...repairs, ...refused], applied };
  }

  /** Verification first (on a copy of the text); the file is written only when every rerun passed. */
  async apply(q: CallArgs<'applyRepair'>): Promise<CallResponse<'applyRepair'>> {
    await this.checkFileOf('proposals', q.id);
    const { path, text } = await proposalText(this.deps.knowledge, q.id, q.hunks);
    const checked = await this.deps.paths.check(path, 'The test file');
    const verification = q.verify > 0 ? await this.deps.verify(checked, text, q.verify) : { runs: 0, passed: 0 };
    if (verification.passed < q.verify) return { id: q.id, path: checked, applied: false, verification: { ...verification }, diff: '' };
    const written = await applyProposal(this.deps.knowledge, q.id, this.now(), q.hunks);
    return { id: q.id, path: checked, applied: true, verification: { ...verification }, diff: written.applied };
  }

  async undo(q: CallArgs<'undoRepair'>): Promise<CallResponse<'undoRepair'>> {
    await this.checkFileOf('decisions', q.id);
    const p = await undoProposal(this.deps.knowledge, q.id);
    return { id: p.id, path: this.deps.knowledge.absolute(p.file) };
  }

  async reject(q: CallArgs<'rejectRepair'>): Promise<CallResponse<'rejectRepair'>> {
    const p = await rejectProposal(this.deps.knowledge, q.id, this.now());
    return { id: p.id };
  }

  async quarantine(): Promise<CallResponse<'quarantineList'>> {
    const quarantine = await this.deps.knowledge.read('quarantine');
    const tests = flakyTests(await this.deps.store.listRuns({ limit: FLAKY_RUNS_READ }), this.deps.knowledge, quarantine);
    return {
      knowledgeDir: this.deps.knowledge.dir,
      tests: tests.map((t) => ({
        path: this.deps.knowledge.absolute(t.file),
        test: t.test,
        scenario: t.scenario,
        outcomes: t.outcomes,
        score: t.score,
        flaky: t.flaky,
        quarantine: t.quarantine ? { since: t.quarantine.since, reason: t.quarantine.reason, consecutivePasses: t.quarantine.consecutivePasses } : null,
      })),
    };
  }
}
