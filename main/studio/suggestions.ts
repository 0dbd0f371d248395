// The Suggestions panel's back end: mines a test file's stored runs (its passed executions, as
// `clnrm suggest --runs` does), previews every suggestion on every stored execution and on the open
// trace, says which suggestions caught or would have caught each failed execution, and writes the
// accepted ones through the same writer as the CLI (main/intelligence/file-suggestions.ts), with undo.
// Rejections and acceptances are remembered per file in the data folder (./suggestion-memory.ts).
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { StudioError, formatLocation, type Problem } from '../../shared/errors';
import type { CallArgs, CallResponse, EvidenceSpan, SuggestionView } from '../../shared/ipc/contract';
import { MAX_EVIDENCE_PER_VERDICT } from '../../shared/ipc/contract';
import { configOf, editedSuggestion, failuresOn, suggestAssertions, type MiningRun, type Suggestion } from '../../shared/intelligence';
import type { Span } from '../../shared/model';
import { unifiedDiff } from '../../shared/spec/writer';
import type { StoreAccess } from '../host/remote-store';
import { existingOf, writeSuggestions } from '../intelligence/file-suggestions';
import { executionSpans, executionTag } from '../intelligence/sources';
import { RUNNER_SCOPE } from '../runner/self-trace';
import { writeFileAtomic } from '../spec';
import type { SuggestionMemory } from './suggestion-memory';
import { loadOpenedTestFile } from './test-files';
import type { UserPaths } from './user-paths';

export interface SuggestionsDeps {
  store: StoreAccess;
  paths: UserPaths;
  env: Record<string, string | undefined>;
  memory: SuggestionMemory;
}

interface StoredExecution {
  executionId: string;
  runId: string;
  verdict: string;
  startedAt: number;
  spans: Span[];
}

/** Undo tokens kept (the newest); an older one answers `suggest.undo-unavailable`. */
const MAX_UNDOS = 100;
const OPEN_TRACE_RUN = 'open-trace';

/** Finished executions of `file` in its last `count` stored runs, newest first, with the system's spans. */
async function storedExecutions(store: StoreAccess, file: string, count: number): Promise<StoredExecution[]> {
  const out: StoredExecution[] = [];
  for (const { executions } of await store.listRuns({ testFile: file, limit: count })) {
    for (const e of executions) {
      // Still running: its spans are not all in yet.
      if (e.testFile !== file || e.verdict === undefined) continue;
      out.push({ executionId: e.id, runId: e.runId, verdict: e.verdict, startedAt: e.startedAt, spans: await executionSpans(store, e.id) });
    }
  }
  return out;
}

async function mine(deps: SuggestionsDeps, request: { path: string; minConfidence: number; runs: number }) {
  const { file, loaded, test } = await loadOpenedTestFile(deps.paths, deps.env, request.path);
  const executions = await storedExecutions(deps.store, file, request.runs);
  // A failed execution shows what the test is against: learning from it would teach the failure.
  const learned: MiningRun[] = executions.filter((e) => e.verdict === 'passed' && e.spans.length > 0).map((e) => ({ id: e.executionId, spans: e.spans }));
  const memory = await deps.memory.of(file);
  const report = learned.length > 0 ? suggestAssertions(learned, { minConfidence: request.minConfidence }, existingOf(loaded, test)) : undefined;
  // Rejected ones are not offered again; accepted ones are listed as such (an edited one would otherwise
  // come back as a conflict with its own edit).
  const hidden = new Set([...memory.rejected, ...memory.accepted.map((a) => a.id)]);
  const suggestions = (report?.suggestions ?? []).filter((s) => !hidden.has(s.id));
  return { file, loaded, executions, learned, report, suggestions, memory };
}

function notesOf(executions: readonly StoredExecution[], learned: number, runs: number): string[] {
  const notes: string[] = [];
  if (executions.length === 0) notes.push(`No finished run of this file in its last ${runs} stored runs: run it a few times (Run), then look again.`);
  const failed = executions.filter((e) => e.verdict !== 'passed').length;
  if (failed > 0) notes.push(`${failed} execution(s) that did not pass are previewed but not learned from (they would teach the failure).`);
  const empty = executions.filter((e) => e.verdict === 'passed' && e.spans.length === 0).length;
  if (empty > 0) notes.push(`${empty} passed execution(s) have no stored spans of the system; left out.`);
  if (learned === 1) notes.push('One run to learn from: a suggestion needs support in at least 2.');
  return notes;
}

/** Evidence span ids with the trace and name the waterfall needs to open and mark them. */
function evidenceOf(runs: readonly MiningRun[]): (ids: readonly string[]) => EvidenceSpan[] {
  const where = new Map<string, EvidenceSpan>();
  for (const r of runs) for (const s of r.spans) where.set(s.spanId, { traceId: s.traceId, spanId: s.spanId, name: s.name });
  return (ids) => ids.flatMap((id) => where.get(id) ?? []).slice(0, MAX_EVIDENCE_PER_VERDICT);
}

/** The open trace's execution (all its traces) when it carries one, else the trace's own system spans. */
async function openTraceRun(store: StoreAccess, traceId: string, known: readonly StoredExecution[]) {
  const spans = await store.getTrace(traceId);
  if (spans.length === 0) throw new StudioError({ code: 'trace.not-found', message: `No trace ${traceId} in the store (it may have been cleared); open another trace.`, details: { traceId } });
  const executionId = spans.map(executionTag).find((id) => id !== undefined);
  const stored = known.find((e) => e.executionId === executionId)?.spans;
  const system = stored ?? (executionId !== undefined ? await executionSpans(store, executionId) : spans.filter((s) => s.scope.name !== RUNNER_SCOPE));
  return { run: { id: OPEN_TRACE_RUN, spans: system }, view: { traceId, ...(executionId !== undefined ? { executionId } : {}), spanCount: system.length } };
}

export class StudioSuggestions {
  private readonly undos = new Map<string, { file: string; before: string; after: string }>();

  constructor(private readonly deps: SuggestionsDeps) {}

  async forFile(request: CallArgs<'suggestionsForFile'>): Promise<CallResponse<'suggestionsForFile'>> {
    const m = await mine(this.deps, request);
    const open = request.traceId !== undefined ? await openTraceRun(this.deps.store, request.traceId, m.executions) : undefined;
    const stored: MiningRun[] = m.executions.map((e) => ({ id: e.executionId, spans: e.spans }));
    const judged = open && open.run.spans.length > 0 ? [...stored, open.run] : stored;
    const fails = failuresOn(configOf(m.suggestions), judged);
    const evidence = evidenceOf(m.learned);
    const acceptedFails = failuresOn(configOf(m.memory.accepted.map((a) => a.suggestion)), stored);
    const suggestions: SuggestionView[] = m.suggestions.map((s) => {
      const failed = fails.get(s.id) ?? [];
      return {
        id: s.id,
        kind: s.kind,
        summary: s.summary,
        snippet: s.snippet,
        support: s.support,
        confidence: s.confidence,
        conditional: s.conditional,
        ...(s.conflict !== undefined ? { conflict: s.conflict } : {}),
        evidence: evidence(s.evidence),
        failsOn: failed.filter((id) => id !== OPEN_TRACE_RUN),
        ...(judged.length > stored.length ? { onOpenTrace: !failed.includes(OPEN_TRACE_RUN) } : {}),
      };
    });
    return {
      path: m.file,
      runs: m.executions.map((e) => ({ executionId: e.executionId, runId: e.runId, verdict: e.verdict, startedAt: e.startedAt, spanCount: e.spans.length })),
      learnedFrom: m.learned.length,
      belowThreshold: m.report?.belowThreshold ?? 0,
      notes: notesOf(m.executions, m.learned.length, request.runs),
      suggestions,
      rejected: m.memory.rejected,
      accepted: m.memory.accepted.map((a) => ({ id: a.id, kind: a.suggestion.kind, summary: a.suggestion.summary, snippet: a.suggestion.snippet, acceptedAt: a.acceptedAt, failsOn: acceptedFails.get(a.id) ?? [] })),
      failures: this.failures(m.executions, m.suggestions, m.memory.accepted),
      ...(open ? { openTrace: open.view } : {}),
    };
  }

  /** Per failed execution: accepted suggestions that failed on it (caught, or would have if accepted later) and available ones. */
  private failures(executions: readonly StoredExecution[], available: readonly Suggestion[], accepted: Awaited<ReturnType<SuggestionMemory['of']>>['accepted']) {
    const failed = executions.filter((e) => e.verdict === 'failed');
    if (failed.length === 0) return [];
    const runs = failed.map((e) => ({ id: e.executionId, spans: e.spans }));
    const byAvailable = failuresOn(configOf(available), runs);
    const byAccepted = failuresOn(configOf(accepted.map((a) => a.suggestion)), runs);
    return failed.map((e) => {
      const hit = (fails: Map<string, string[]>, id: string) => fails.get(id)?.includes(e.executionId) ?? false;
      const acceptedHits = accepted.filter((a) => hit(byAccepted, a.id));
      return {
        executionId: e.executionId,
        runId: e.runId,
        caughtBy: acceptedHits.filter((a) => a.acceptedAt <= e.startedAt).map((a) => a.id),
        wouldCatch: [...acceptedHits.filter((a) => a.acceptedAt > e.startedAt).map((a) => a.id), ...available.filter((s) => hit(byAvailable, s.id)).map((s) => s.id)],
      };
    });
  }

  async accept(request: CallArgs<'acceptSuggestions'>): Promise<CallResponse<'acceptSuggestions'>> {
    const m = await mine(this.deps, request);
    const byId = new Map(m.suggestions.map((s) => [s.id, s]));
    const unknown = [...request.ids, ...Object.keys(request.edited)].filter((id) => !byId.has(id) || !request.ids.includes(id));
    if (unknown.length > 0) {
      throw new StudioError({ code: 'suggest.unknown-id', message: `No suggestion ${[...new Set(unknown)].join(', ')} among this file's suggestions now (the runs or the file changed?); refresh the panel.`, file: m.file });
    }
    const chosen = request.ids.map((id) => {
      const text = request.edited[id];
      if (text === undefined) return byId.get(id)!;
      const edited = editedSuggestion(byId.get(id)!, text);
      if (!edited.ok) throw new StudioError({ ...edited.problem, file: m.file });
      return edited.suggestion;
    });
    const outcome = await writeSuggestions(m.loaded, m.file, chosen, this.deps.env);
    if (!outcome.ok) throw new StudioError(withWhere(outcome.problem, outcome.problems, m.file));
    const token = randomBytes(16).toString('hex');
    this.undos.set(token, { file: m.file, before: outcome.before, after: outcome.after });
    for (const old of [...this.undos.keys()].slice(0, Math.max(0, this.undos.size - MAX_UNDOS))) this.undos.delete(old);
    const written = new Set(outcome.ids);
    const acceptedAt = Date.now();
    await this.deps.memory.accept(
      m.file,
      chosen.filter((s) => written.has(s.id)).map((s) => ({ id: s.id, suggestion: { ...s, evidence: s.evidence.slice(0, 10) }, acceptedAt, token })),
    );
    return { path: m.file, diff: outcome.diff, written: [...outcome.ids], skipped: [...outcome.skipped], undoToken: token };
  }

  async undo({ token }: CallArgs<'undoAccept'>): Promise<CallResponse<'undoAccept'>> {
    const entry = this.undos.get(token);
    if (!entry) throw new StudioError({ code: 'suggest.undo-unavailable', message: 'Nothing to undo with this token (undone already, or accepted before the studio restarted).' });
    const file = await this.deps.paths.check(entry.file, 'The test file');
    const now = await readFile(file, 'utf8').catch(() => undefined);
    if (now !== entry.after) {
      throw new StudioError({ code: 'suggest.undo-unavailable', message: `${file} changed after the suggestions were written; undo by hand (the diff shows what was added).`, file });
    }
    await writeFileAtomic(file, entry.before);
    this.undos.delete(token);
    await this.deps.memory.undo(file, token);
    return { path: file, diff: unifiedDiff(entry.after, entry.before, file) };
  }

  async reject({ path, id }: CallArgs<'rejectSuggestion'>): Promise<CallResponse<'rejectSuggestion'>> {
    const file = await this.deps.paths.check(path, 'The test file');
    if (!file.endsWith('.toml')) throw new StudioError({ code: 'io.read', message: `${file} is not a .toml test file.`, file });
    return { rejected: (await this.deps.memory.reject(file, id)).rejected };
  }
}

/** The refusal with the first place the edited file would be invalid, so the panel can say where. */
function withWhere(problem: Problem, problems: readonly Problem[], file: string): Problem {
  const first = problems[0];
  if (!first) return problem;
  return { ...problem, message: `${problem.message}: ${formatLocation({ file, line: first.line, column: first.column })}: ${first.message} [${first.code}]` };
}
