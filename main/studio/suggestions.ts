// The Suggestions panel's back end: mines a test file's stored runs (its passed executions, as
// `clnrm suggest --runs` does), chosen traces in the store or a Jaeger/Tempo query API
// (./suggestion-sources.ts), previews every suggestion on every stored execution and on the open
// trace, says which suggestions caught or would have caught each failed execution, and writes the
// accepted ones through the same writer as the CLI (main/intelligence/file-suggestions.ts), with undo.
// Rejections and acceptances are remembered per file in the data folder (./suggestion-memory.ts).
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { StudioError, formatLocation, type Problem } from '../../shared/errors';
import type { CallArgs, CallResponse, EvidenceSpan, SuggestionView } from '../../shared/ipc/contract';
import { MAX_EVIDENCE_PER_VERDICT } from '../../shared/ipc/contract';
import { configOf, editedSuggestion, failuresOn, suggestAssertions, type MiningRun, type Suggestion } from '../../shared/intelligence';
import { unifiedDiff } from '../../shared/spec/writer';
import type { StoreAccess } from '../host/remote-store';
import { existingOf, writeSuggestions } from '../intelligence/file-suggestions';
import { writeFileAtomic } from '../spec';
import type { SuggestionMemory } from './suggestion-memory';
import { PREVIEW_RUNS, learnFrom, storedExecutions, storedTraceRun, type LearnedRuns, type StoredExecution } from './suggestion-sources';
import { loadOpenedTestFile } from './test-files';
import type { UserPaths } from './user-paths';

export interface SuggestionsDeps {
  store: StoreAccess;
  paths: UserPaths;
  env: Record<string, string | undefined>;
  memory: SuggestionMemory;
  /** Per Jaeger/Tempo request (default: remote-sources' 15 s). */
  remoteTimeoutMs?: number;
}

/** Undo tokens kept (the newest); an older one answers `suggest.undo-unavailable`. */
const MAX_UNDOS = 100;
/** Jaeger/Tempo fetches kept so Accept writes what the panel showed (the newest). */
const MAX_FETCHES = 8;
const OPEN_TRACE_RUN = 'open-trace';

type MineRequest = CallArgs<'suggestionsForFile'> | CallArgs<'acceptSuggestions'>;
type Fetches = Map<string, LearnedRuns>;

/** The runs of a Jaeger/Tempo source: fetched afresh to show, the shown fetch reused to accept. */
async function remoteRuns(deps: SuggestionsDeps, fetches: Fetches, source: MineRequest['source'], reuse: boolean, executions: readonly StoredExecution[]): Promise<LearnedRuns> {
  const key = JSON.stringify(source);
  const kept = fetches.get(key);
  if (reuse && kept) return kept;
  const learned = await learnFrom(deps.store, source, executions, deps.remoteTimeoutMs);
  fetches.delete(key);
  fetches.set(key, learned);
  for (const old of [...fetches.keys()].slice(0, Math.max(0, fetches.size - MAX_FETCHES))) fetches.delete(old);
  return learned;
}

async function mine(deps: SuggestionsDeps, fetches: Fetches, request: MineRequest, reuse: boolean) {
  const { file, loaded, test } = await loadOpenedTestFile(deps.paths, deps.env, request.path);
  const { source } = request;
  const executions = await storedExecutions(deps.store, file, source.kind === 'runs' ? source.runs : PREVIEW_RUNS);
  const learned = source.kind === 'remote' ? await remoteRuns(deps, fetches, source, reuse, executions) : await learnFrom(deps.store, source, executions);
  const memory = await deps.memory.of(file);
  const options = { minConfidence: request.minConfidence, minSupport: request.minSupport, ...(learned.service !== undefined ? { service: learned.service } : {}) };
  const report = learned.runs.length > 0 ? suggestAssertions(learned.runs, options, existingOf(loaded, test)) : undefined;
  // Rejected ones are not offered again; accepted ones are listed as such (an edited one would otherwise
  // come back as a conflict with its own edit).
  const hidden = new Set([...memory.rejected, ...memory.accepted.map((a) => a.id)]);
  const suggestions = (report?.suggestions ?? []).filter((s) => !hidden.has(s.id));
  return { file, loaded, executions, learned, report, suggestions, memory };
}

function notesOf(request: MineRequest, executions: readonly StoredExecution[], learned: LearnedRuns): string[] {
  const { source } = request;
  const notes: string[] = [...learned.notes];
  if (source.kind === 'runs' && executions.length === 0) notes.push(`No finished run of this file in its last ${source.runs} stored runs: run it a few times (Run), then look again.`);
  if (source.kind !== 'runs' && learned.runs.length === 0) notes.push(`Nothing to learn from in ${learned.description}.`);
  const failed = executions.filter((e) => e.verdict !== 'passed').length;
  if (failed > 0) notes.push(`${failed} execution(s) that did not pass are previewed but not learned from (they would teach the failure).`);
  const empty = executions.filter((e) => e.verdict === 'passed' && e.spans.length === 0).length;
  if (source.kind === 'runs' && empty > 0) notes.push(`${empty} passed execution(s) have no stored spans of the system; left out.`);
  if (learned.runs.length > 0 && learned.runs.length < request.minSupport) {
    notes.push(`${learned.runs.length} run(s) to learn from: a suggestion needs support in at least ${request.minSupport} (lower the minimum support to see what ${learned.runs.length === 1 ? 'it says' : 'they say'}).`);
  }
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
  const { executionId, spans } = await storedTraceRun(store, traceId, known);
  return { run: { id: OPEN_TRACE_RUN, spans }, view: { traceId, ...(executionId !== undefined ? { executionId } : {}), spanCount: spans.length } };
}

export class StudioSuggestions {
  private readonly undos = new Map<string, { file: string; before: string; after: string }>();
  private readonly fetches: Fetches = new Map();

  constructor(private readonly deps: SuggestionsDeps) {}

  async forFile(request: CallArgs<'suggestionsForFile'>): Promise<CallResponse<'suggestionsForFile'>> {
    const m = await mine(this.deps, this.fetches, request, false);
    const open = request.traceId !== undefined ? await openTraceRun(this.deps.store, request.traceId, m.executions) : undefined;
    const stored: MiningRun[] = m.executions.map((e) => ({ id: e.executionId, spans: e.spans }));
    const judged = open && open.run.spans.length > 0 ? [...stored, open.run] : stored;
    const fails = failuresOn(configOf(m.suggestions), judged);
    const evidence = evidenceOf(m.learned.runs);
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
      learnedFromSource: { kind: request.source.kind, description: m.learned.description, evidenceInStore: m.learned.evidenceInStore },
      runs: m.executions.map((e) => ({ executionId: e.executionId, runId: e.runId, verdict: e.verdict, startedAt: e.startedAt, spanCount: e.spans.length })),
      learnedFrom: m.learned.runs.length,
      belowThreshold: m.report?.belowThreshold ?? 0,
      notes: notesOf(request, m.executions, m.learned),
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
    const m = await mine(this.deps, this.fetches, request, true);
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
