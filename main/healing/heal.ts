// `clnrm heal`'s work: a run's classified failures, the repairs each points to (shared/healing/repairs)
// as diffs, each verified by rerunning the test with it applied to a copy; then applying one (atomic
// write, every byte outside its hunks kept), undoing it, or rejecting it (never proposed again). The
// proposals are kept in the knowledge store, so `--apply ID` applies exactly what was shown.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { applyPatch, parsePatch, reversePatch, type StructuredPatch } from 'diff';
import { StudioError } from '../../shared/errors';
import { proposeRepairs, type Classification, type ObservedDurations } from '../../shared/healing';
import type { Proposal } from '../../shared/healing/knowledge';
import type { ExecutionRecord } from '../../shared/run/records';
import { parseTestFile, unifiedDiff, type TestFile } from '../../shared/spec';
import type { RunHistoryEntry } from '../store';
import { writeFileAtomic } from '../spec/write';
import type { KnowledgeStore } from './knowledge-store';
import type { Verification } from './verify';

export interface HealedFailure {
  readonly executionId: string;
  readonly file: string;
  readonly test: string;
  readonly scenario: string;
  readonly verdict: string;
  readonly classification: Classification;
  readonly patches: Proposal[];
  /** Why no patch could be made from the file (it is gone, it changed…), when that is so. */
  readonly note?: string;
}

export interface HealDeps {
  readonly knowledge: KnowledgeStore;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Reruns the test from the patched text (0 runs: not verified). */
  readonly verify: (file: string, text: string) => Promise<Verification>;
  readonly now: Date;
  /** Span durations of recent executions, for failed duration bounds (observed-durations.ts). */
  readonly observe?: (execution: ExecutionRecord, test: TestFile | undefined) => Promise<ObservedDurations[]>;
}

/** A proposal's id: the same diff of the same file is the same proposal (so a rejection sticks). */
export function proposalId(file: string, kind: string, diff: string): string {
  return createHash('sha256').update(`${file}\u0000${kind}\u0000${diff}`).digest('hex').slice(0, 8);
}

/** The run's classified executions, one per test, scenario and class (the last one). */
export function classifiedExecutions(entry: RunHistoryEntry): (ExecutionRecord & { classification: Classification })[] {
  const byKey = new Map<string, ExecutionRecord & { classification: Classification }>();
  for (const e of [...entry.executions].sort((a, b) => a.startedAt - b.startedAt)) {
    const c = e.evidence?.classification;
    if (c) byKey.set(`${e.testFile}\u0000${e.testName}\u0000${e.scenario}\u0000${c.class}`, { ...e, classification: c });
  }
  return [...byKey.values()];
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

async function healOne(deps: HealDeps, runId: string, e: ExecutionRecord & { classification: Classification }, rejected: ReadonlySet<string>): Promise<HealedFailure> {
  const file = deps.knowledge.testFile(e.testFile);
  const base = { executionId: e.id, file, test: e.testName, scenario: e.scenario, verdict: e.verdict ?? 'unknown', classification: e.classification };
  const source = await readFile(e.testFile, 'utf8').catch(() => undefined);
  if (source === undefined) return { ...base, patches: [], note: `${e.testFile} cannot be read any more` };
  const parsed = parseTestFile(source, { file: e.testFile, env: { ...deps.env } });
  const test = parsed.tests.find((t) => t.name === e.testName) ?? parsed.tests[0];
  const multiplier = test?.selfHealing?.patterns?.classifier?.find((c) => c.pattern === 'resource_exhaustion')?.resource_multiplier;
  const repairs = proposeRepairs({
    file, source, classification: e.classification, warnings: parsed.warnings, ...(multiplier !== undefined ? { resourceMultiplier: multiplier } : {}),
    scenario: e.scenario,
    failedSteps: (e.evidence?.steps ?? []).filter((s) => s.verdict === 'failed' || s.verdict === 'error').map((s) => s.name),
    failedExpectations: (e.evidence?.expectations ?? []).filter((x) => !x.passed).map((x) => x.expectation),
    observedDurations: deps.observe ? await deps.observe(e, test) : [],
  });
  const patches: Proposal[] = [];
  for (const r of repairs) {
    const id = proposalId(file, r.kind, r.diff);
    if (rejected.has(id)) continue;
    const verification = await deps.verify(e.testFile, r.text);
    patches.push({
      id, file, test: e.testName, kind: r.kind, description: r.description, reason: r.reason, evidence: [...r.evidence], diff: r.diff, classification: e.classification,
      verified: verification.runs > 0 && verification.passed === verification.runs, verification: { ...verification }, runId, createdAt: deps.now.toISOString(),
    });
  }
  const changed = e.testFileHash !== '' && e.testFileHash !== sha256(source);
  return { ...base, patches, ...(changed ? { note: 'the file changed since this run; the patches are made against its text now' } : {}) };
}

/** The run's failures with their verified patches; the patches are saved for `--apply`. */
export async function healRun(deps: HealDeps, entry: RunHistoryEntry): Promise<HealedFailure[]> {
  const decisions = await deps.knowledge.read('decisions');
  const rejected = new Set(decisions.rejected.map((r) => r.id));
  const failures: HealedFailure[] = [];
  for (const e of classifiedExecutions(entry)) failures.push(await healOne(deps, entry.run.id, e, rejected));
  const made = failures.flatMap((f) => f.patches);
  if (made.length > 0) {
    const saved = await deps.knowledge.read('proposals');
    const ids = new Set(made.map((p) => p.id));
    await deps.knowledge.write('proposals', { version: 1, proposals: [...saved.proposals.filter((p) => !ids.has(p.id)), ...made] });
  }
  return failures;
}

async function proposal(knowledge: KnowledgeStore, id: string): Promise<Proposal> {
  const found = (await knowledge.read('proposals')).proposals.find((p) => p.id === id);
  if (!found) throw new StudioError({ code: 'healing.no-proposal', message: `no proposal ${id} in ${knowledge.path('proposals')}; \`clnrm heal\` lists the proposals of the last run.` });
  return found;
}

/**
 * The proposal's diff with only the chosen hunks (0-based, in the diff's order; all when absent): the
 * user may untick hunks in review. jsdiff places each kept hunk by its old line numbers, so a skipped
 * hunk does not shift the ones after it.
 */
function chosenHunks(p: Proposal, hunks: readonly number[] | undefined): StructuredPatch {
  const [parsed] = parsePatch(p.diff);
  if (hunks === undefined) return parsed!;
  const unknown = hunks.filter((h) => !Number.isInteger(h) || h < 0 || h >= parsed!.hunks.length);
  if (unknown.length > 0 || hunks.length === 0) {
    throw new StudioError({ code: 'healing.hunks', message: `proposal ${p.id} has ${parsed!.hunks.length} hunk(s) (0 to ${parsed!.hunks.length - 1}); ${hunks.length === 0 ? 'choose at least one' : `there is no hunk ${unknown.join(', ')}`}.` });
  }
  return { ...parsed!, hunks: parsed!.hunks.filter((_, i) => hunks.includes(i)) };
}

/** `text` with `patch` applied; an error naming the proposal when its lines were edited since. */
function patchedText(path: string, id: string, text: string, patch: StructuredPatch, direction: 'apply' | 'undo'): string {
  const after = applyPatch(text, patch);
  if (after === false) {
    throw new StudioError({ code: 'healing.patch-stale', message: `proposal ${id} no longer ${direction === 'apply' ? 'applies to' : 'undoes cleanly on'} ${path}: the lines it changes were edited since. Run \`clnrm heal\` again for a fresh proposal.`, file: path });
  }
  return after;
}

/** The file's text with the proposal's chosen hunks applied. */
async function patched(knowledge: KnowledgeStore, p: Proposal, hunks: readonly number[] | undefined): Promise<{ path: string; before: string; after: string }> {
  const path = knowledge.absolute(p.file);
  const patch = chosenHunks(p, hunks);
  const before = await readFile(path, 'utf8');
  return { path, before, after: patchedText(path, p.id, before, patch, 'apply') };
}

/** The patched text (only the chosen hunks), for verification before `applyProposal` writes it. */
export async function proposalText(knowledge: KnowledgeStore, id: string, hunks?: readonly number[]): Promise<{ proposal: Proposal; path: string; text: string }> {
  const p = await proposal(knowledge, id);
  const { path, after } = await patched(knowledge, p, hunks);
  return { proposal: p, path, text: after };
}

/** Writes the proposal (only the chosen hunks) into its file; the diff written is kept for undo. */
export async function applyProposal(knowledge: KnowledgeStore, id: string, now: Date, hunks?: readonly number[]): Promise<Proposal & { applied: string }> {
  const p = await proposal(knowledge, id);
  const { path, before, after } = await patched(knowledge, p, hunks);
  await writeFileAtomic(path, after);
  const applied = unifiedDiff(before, after, p.file);
  const decisions = await knowledge.read('decisions');
  await knowledge.write('decisions', { ...decisions, applied: [...decisions.applied.filter((a) => a.id !== id), { id, file: p.file, test: p.test, diff: applied, at: now.toISOString() }] });
  return { ...p, applied };
}

/** Takes back what `applyProposal` wrote (the hunks that were chosen then). */
export async function undoProposal(knowledge: KnowledgeStore, id: string): Promise<Proposal> {
  const decisions = await knowledge.read('decisions');
  const applied = decisions.applied.find((a) => a.id === id);
  if (!applied) throw new StudioError({ code: 'healing.no-proposal', message: `proposal ${id} was not applied (${knowledge.path('decisions')} lists the applied ones).` });
  const p = await proposal(knowledge, id);
  const path = knowledge.absolute(p.file);
  const after = patchedText(path, id, await readFile(path, 'utf8'), reversePatch(parsePatch(applied.diff)[0]!), 'undo');
  await writeFileAtomic(path, after);
  await knowledge.write('decisions', { ...decisions, applied: decisions.applied.filter((a) => a.id !== id) });
  return p;
}

export async function rejectProposal(knowledge: KnowledgeStore, id: string, now: Date): Promise<Proposal> {
  const p = await proposal(knowledge, id);
  const decisions = await knowledge.read('decisions');
  await knowledge.write('decisions', { ...decisions, rejected: [...decisions.rejected.filter((r) => r.id !== id), { id, file: p.file, test: p.test, kind: p.kind, diff: p.diff, at: now.toISOString() }] });
  const saved = await knowledge.read('proposals');
  await knowledge.write('proposals', { version: 1, proposals: saved.proposals.filter((x) => x.id !== id) });
  return p;
}
