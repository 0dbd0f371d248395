// `clnrm heal [RUN_ID | --last]`: a run's failures with class, confidence, evidence and repair
// patches as diffs, each verified by N reruns with the patch applied to a copy. `--apply ID` writes one
// (atomically; `--verify N` reruns it first and applies only if every rerun passes), `--undo ID` takes
// it back, `--reject ID` drops it for good. Proposals and decisions live in the knowledge store.
import { InvalidArgumentError, type Command } from 'commander';
import { describeClassification } from '../../../shared/healing';
import type { Proposal } from '../../../shared/healing/knowledge';
import { applyProposal, healRun, proposalText, rejectProposal, undoProposal, type HealedFailure } from '../../healing/heal';
import { KnowledgeStore, knowledgeDir } from '../../healing/knowledge-store';
import { observedDurations } from '../../healing/observed-durations';
import { verifyByRerun } from '../../healing/verify';
import { setExit, type CliContext } from '../context';
import { EXIT_FAILED, EXIT_USAGE } from '../exit';
import { withStore } from '../with-store';

interface HealOptions {
  dataDir?: string;
  last?: boolean;
  format: 'human' | 'json';
  verify: number;
  apply?: string;
  undo?: string;
  reject?: string;
}

const DEFAULT_VERIFY_RUNS = 3;

function format(value: string): 'human' | 'json' {
  if (value !== 'human' && value !== 'json') throw new InvalidArgumentError('use human or json.');
  return value;
}

function verifyRuns(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 20) throw new InvalidArgumentError('give a whole number of reruns from 0 (do not verify) to 20.');
  return Number(value);
}

function proposalIdArg(value: string): string {
  const id = value.trim().toLowerCase();
  if (!/^[0-9a-f]{8}$/.test(id)) throw new InvalidArgumentError('give a proposal id: 8 hex digits as `clnrm heal` shows them.');
  return id;
}

function patchLines(p: Proposal): string[] {
  const v = p.verification;
  const verdict = v.runs === 0 ? 'not verified (--verify 0)' : p.verified ? `verified: ${v.passed} of ${v.runs} reruns passed` : `NOT verified: ${v.passed} of ${v.runs} reruns passed${v.note ? ` (${v.note})` : ''}`;
  return [`  patch ${p.id}: ${p.description} — ${verdict}`, ...p.evidence.map((e) => `    evidence: ${e}`), ...p.diff.split('\n').filter((l) => l !== '').map((l) => `    ${l}`)];
}

function failureLines(f: HealedFailure): string[] {
  const lines = [`✗ ${f.test} › ${f.scenario} (${f.file}) — ${f.verdict}, execution ${f.executionId}`, `  class: ${describeClassification(f.classification)}`];
  for (const e of f.classification.evidence.slice(1)) lines.push(`  evidence: ${e.kind}: ${e.detail}${e.ref ? ` [${e.ref}]` : ''}`);
  if (f.note) lines.push(`  note: ${f.note}`);
  if (f.patches.length === 0) lines.push('  no repair to propose for this class from this evidence');
  for (const p of f.patches) lines.push(...patchLines(p));
  return lines;
}

async function decide(ctx: CliContext, knowledge: KnowledgeStore, options: HealOptions): Promise<void> {
  const now = new Date();
  if (options.reject !== undefined) {
    const p = await rejectProposal(knowledge, options.reject, now);
    ctx.out(`Rejected ${p.id} (${p.description}); it will not be proposed again for this file text.`);
    return;
  }
  if (options.undo !== undefined) {
    const p = await undoProposal(knowledge, options.undo);
    ctx.out(`Undid ${p.id} in ${knowledge.absolute(p.file)}.`);
    return;
  }
  const id = options.apply!;
  if (options.verify > 0) {
    const { path, text } = await proposalText(knowledge, id);
    const v = await verifyByRerun(path, text, options.verify, { env: ctx.env, signal: ctx.stopSignal });
    if (v.passed < options.verify) {
      ctx.err(`clnrm heal: not applied: ${v.passed} of ${v.runs} reruns with ${id} passed${v.note ? ` (${v.note})` : ''}.`);
      setExit(ctx, EXIT_FAILED);
      return;
    }
    ctx.err(`clnrm heal: ${v.passed} of ${options.verify} reruns with ${id} passed.`);
  }
  const p = await applyProposal(knowledge, id, now);
  ctx.out(`Applied ${p.id} to ${knowledge.absolute(p.file)}: ${p.description}. Undo: clnrm heal --undo ${p.id}`);
}

export function registerHeal(program: Command, ctx: CliContext): void {
  program
    .command('heal')
    .description("Show a run's failures with class, evidence and verified repair patches; apply, undo or reject one")
    .argument('[run-id]', 'the run to heal (default: the last run)')
    .option('--last', 'the last run (the default)')
    .option('--format <format>', 'human or json', format, 'human')
    .option('--verify <n>', `reruns with a patch applied to a copy before it counts as verified (0: do not verify; default ${DEFAULT_VERIFY_RUNS})`, verifyRuns, DEFAULT_VERIFY_RUNS)
    .option('--apply <id>', 'write this proposal into its test file (with --verify N: only if N reruns pass)', proposalIdArg)
    .option('--undo <id>', 'take an applied proposal back out of its test file', proposalIdArg)
    .option('--reject <id>', 'drop this proposal; it is not proposed again', proposalIdArg)
    .option('--data-dir <dir>', 'folder of the trace database (default: the app-data folder); its .clnrm/ holds the knowledge store')
    .action(async (runId: string | undefined, options: HealOptions) => {
      const knowledge = new KnowledgeStore(knowledgeDir(options.dataDir, ctx.cwd));
      const decisions = [options.apply, options.undo, options.reject].filter((x) => x !== undefined).length;
      if (decisions > 1 || (decisions === 1 && (runId !== undefined || options.last))) {
        ctx.err('clnrm heal: give one of --apply, --undo, --reject, or a run to heal.');
        setExit(ctx, EXIT_USAGE);
        return;
      }
      if (decisions === 1) return decide(ctx, knowledge, options);
      await withStore(ctx, 'heal', options.dataDir, async (store) => {
        const entry = runId !== undefined ? await store.getRun(runId) : (await store.listRuns({ limit: 1 }))[0];
        if (!entry) {
          ctx.err(`clnrm heal: ${runId !== undefined ? `no run ${runId}` : 'no run yet'} in ${store.path} (healing.no-run); \`clnrm runs\` lists the runs.`);
          setExit(ctx, EXIT_USAGE);
          return;
        }
        const failures = await healRun({ knowledge, env: ctx.env, now: new Date(), observe: (e, test) => observedDurations(store, e, test), verify: (file, text) => verifyByRerun(file, text, options.verify, { env: ctx.env, signal: ctx.stopSignal }) }, entry);
        if (options.format === 'json') ctx.out(JSON.stringify({ runId: entry.run.id, failures }, null, 2));
        else if (failures.length === 0) ctx.out(`Run ${entry.run.id}: no classified failures.`);
        else {
          for (const f of failures) ctx.out(failureLines(f).join('\n'));
          ctx.out(`Run ${entry.run.id}: ${failures.length} failure(s), ${failures.reduce((n, f) => n + f.patches.length, 0)} patch(es). Apply one: clnrm heal --apply ID`);
        }
      });
    });
}
