// `clnrm perf baseline save|list|show|delete`: baselines (latencies, throughput) in the store (main/perf/baselines.ts).
// `save TEST` takes the newest stored run in which every execution of the test passed (or `--run`), and
// saves one baseline per scenario from the system's spans of those executions.
import { InvalidArgumentError, type Command } from 'commander';
import { StudioError, formatProblem, type Problem } from '../../../shared/errors';
import type { Span } from '../../../shared/model';
import type { BaselineRecord } from '../../../shared/perf/baseline';
import { RunIdSchema } from '../../../shared/run/records';
import type { StoreAccess } from '../../host/remote-store';
import { captureBaseline } from '../../perf/baselines';
import { RUNNER_SCOPE } from '../../runner/self-trace';
import type { RunHistoryEntry } from '../../store';
import { executionIdOf } from '../../store/schema';
import { setExit, type CliContext } from '../context';
import { EXIT_FAILED } from '../exit';
import { withStore } from '../with-store';

type Format = 'human' | 'json';
const MAX_TRACES = 10_000;

function runId(value: string): string {
  if (!RunIdSchema.safeParse(value).success) throw new InvalidArgumentError('give a run id as `clnrm runs` prints it.');
  return value;
}

function format(value: string): Format {
  if (value !== 'human' && value !== 'json') throw new InvalidArgumentError('use one of: human, json.');
  return value;
}

function fail(ctx: CliContext, problem: Problem, exit = EXIT_FAILED): void {
  ctx.err(`clnrm perf baseline: ${formatProblem(problem)}`);
  setExit(ctx, exit);
}

/** The run to save from: `--run`, else the newest run in which every execution of the test passed. */
async function pickRun(store: StoreAccess, test: string, run: string | undefined): Promise<RunHistoryEntry> {
  const mine = (e: RunHistoryEntry) => e.executions.filter((x) => x.testName === test);
  if (run !== undefined) {
    const entry = await store.getRun(run);
    if (entry && mine(entry).length > 0) return entry;
    throw new StudioError({ code: 'perf.baseline-not-found', message: entry ? `run ${run} has no execution of test ${JSON.stringify(test)} (see \`clnrm runs ${run}\`)` : `no stored run ${run} (list runs with \`clnrm runs\`)` });
  }
  const found = (await store.listRuns({ testName: test, limit: 200 })).find((e) => mine(e).every((x) => x.verdict === 'passed'));
  if (found) return found;
  throw new StudioError({ code: 'perf.baseline-not-found', message: `no stored run in which test ${JSON.stringify(test)} passed: run it with \`clnrm run\` first, or name a run with --run` });
}

/** The system's spans of these executions (not the runner's own). */
async function executionSpans(store: StoreAccess, ids: readonly string[]): Promise<Span[]> {
  const { traces } = await store.listTraces({ executionIds: ids, limit: MAX_TRACES });
  const wanted = new Set(ids);
  return (await store.getSpans(traces.map((t) => t.traceId))).filter((s) => wanted.has(executionIdOf(s) ?? '') && s.scope.name !== RUNNER_SCOPE);
}

async function save(store: StoreAccess, test: string, o: { run?: string; name?: string }): Promise<{ saved: BaselineRecord[]; skipped: string[] }> {
  const entry = await pickRun(store, test, o.run);
  const executions = entry.executions.filter((x) => x.testName === test);
  const saved: BaselineRecord[] = [];
  const skipped: string[] = [];
  for (const scenario of [...new Set(executions.map((x) => x.scenario))]) {
    const of = executions.filter((x) => x.scenario === scenario);
    if (of.some((x) => x.verdict !== 'passed')) {
      skipped.push(`${scenario}: not every execution passed in run ${entry.run.id}`);
      continue;
    }
    const spans = await executionSpans(store, of.map((x) => x.id));
    const perExecution = of.map((x) => ({ id: x.id, spans: spans.filter((s) => executionIdOf(s) === x.id) }));
    const baseline = await captureBaseline(store, {
      testName: test, testFile: of[0]!.testFile, scenario, runId: entry.run.id, executions: perExecution,
      environment: entry.run.environment, mode: 'manual', ...(o.name !== undefined ? { name: o.name } : {}), ...(entry.run.commit !== undefined ? { commit: entry.run.commit } : {}),
    });
    if (baseline) saved.push(baseline);
    else skipped.push(`${scenario}: no stored spans (pruned, or the system sent none)`);
  }
  return { saved, skipped };
}

const fmt = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const ms = (v: number): string => `${fmt(v)} ms`;
const NO_THROUGHPUT = 'no throughput (captured before baselines kept it)';

/** One span name's throughput as `show` prints it. */
function throughputText(b: BaselineRecord, name: string): string {
  if (!b.throughput) return '';
  const t = b.throughput[name];
  return t ? `, throughput ${fmt(t.perSecond)}/s (${t.count} in ${ms(t.windowMs)})` : ', throughput not measured (fewer than 2 spans or 0 ms)';
}

function line(b: BaselineRecord): string {
  const when = new Date(b.capturedAt).toISOString().replace(/\.\d+Z$/, 'Z');
  return `${b.id}  ${when}  ${b.mode.padEnd(6)}  ${b.testName} / ${b.scenario}${b.name ? `  "${b.name}"` : ''}  commit ${b.commit?.slice(0, 10) ?? '-'}  ${Object.keys(b.spans).length} span names${b.throughput ? '' : `, ${NO_THROUGHPUT}`}`;
}

function detail(b: BaselineRecord): string[] {
  const rows = Object.entries(b.spans)
    .sort(([a], [c]) => a.localeCompare(c))
    .map(([name, s]) => `  ${name}: n ${s.count}, p50 ${ms(s.p50)}, p95 ${ms(s.p95)}, p99 ${ms(s.p99)}, mean ${ms(s.mean)}, sd ${ms(s.sd)}${throughputText(b, name)}`);
  return [line(b), `  file ${b.testFile}, run ${b.runId} (${b.executions.length} execution(s)), host ${b.environment.host}, engine ${b.environment.engine}`, ...rows];
}

export function registerPerfBaseline(perf: Command, ctx: CliContext): void {
  const group = perf.command('baseline').description('Baselines (latencies, throughput) per test and scenario: save from a passing run, list, show, delete');
  const common = (c: Command) => c.option('--data-dir <dir>', 'folder of the trace database (default: the app-data folder)').option('--format <format>', 'human or json', format, 'human');
  // On the folder itself, or through the studio that holds it (the same calls over its store host).
  const withBaselines = (o: { dataDir?: string }, work: (store: StoreAccess) => Promise<void>) =>
    withStore(ctx, 'perf baseline', o.dataDir, async (store) => {
      try {
        await work(store);
      } catch (error) {
        if (!(error instanceof StudioError) || !error.problem.code.startsWith('perf.')) throw error;
        fail(ctx, error.problem);
      }
    });

  common(group.command('save').description('Save baselines of TEST (its [meta] name) from its newest passing run, one per scenario').argument('<test>', 'the test name, as `clnrm runs` shows it'))
    .option('--run <id>', 'save from this run instead', runId)
    .option('--name <label>', 'a name `compare_to_baseline` can use')
    .action((test: string, o: { dataDir?: string; format: Format; run?: string; name?: string }) =>
      withBaselines(o, async (store) => {
        const { saved, skipped } = await save(store, test, o);
        if (o.format === 'json') ctx.out(JSON.stringify({ saved, skipped }, null, 2));
        else for (const text of [...saved.map((b) => `saved ${line(b)}`), ...skipped.map((s) => `skipped ${s}`)]) ctx.out(text);
        if (saved.length === 0) fail(ctx, { code: 'perf.baseline-not-found', message: `nothing saved for test ${JSON.stringify(test)}` });
      }),
    );

  common(group.command('list').description('Stored baselines, newest first').argument('[test]', 'only this test'))
    .action((test: string | undefined, o: { dataDir?: string; format: Format }) =>
      withBaselines(o, async (store) => {
        const all = await store.listBaselines(test !== undefined ? { testName: test } : {});
        if (o.format === 'json') ctx.out(JSON.stringify(all.map(({ spans, throughput, ...rest }) => ({ ...rest, spanNames: Object.keys(spans), throughputKept: throughput !== undefined })), null, 2));
        else if (all.length === 0) ctx.out(`No baselines${test !== undefined ? ` of test ${JSON.stringify(test)}` : ''} in ${store.path || 'this store'}.`);
        else for (const b of all) ctx.out(line(b));
      }),
    );

  const one = async (store: StoreAccess, id: string): Promise<BaselineRecord> => {
    const [b, other] = await store.listBaselines({ nameOrId: id, limit: 2 });
    if (b && !other) return b;
    throw new StudioError({ code: 'perf.baseline-not-found', message: b ? `${JSON.stringify(id)} names more than one baseline: give more of the id (see \`clnrm perf baseline list\`)` : `no baseline ${JSON.stringify(id)} (see \`clnrm perf baseline list\`)` });
  };

  common(group.command('show').description('One baseline: per span name count, p50/p95/p99, mean, sd, throughput').argument('<id>', 'its id (or the start of it) or name'))
    .action((id: string, o: { dataDir?: string; format: Format }) =>
      withBaselines(o, async (store) => {
        const b = await one(store, id);
        if (o.format === 'json') ctx.out(JSON.stringify(b, null, 2));
        else for (const text of detail(b)) ctx.out(text);
      }),
    );

  common(group.command('delete').description('Delete one baseline').argument('<id>', 'its id (or the start of it) or name'))
    .action((id: string, o: { dataDir?: string; format: Format }) =>
      withBaselines(o, async (store) => {
        const b = await one(store, id);
        await store.deleteBaseline(b.id);
        ctx.out(o.format === 'json' ? JSON.stringify({ deleted: b.id }) : `deleted ${line(b)}`);
      }),
    );
}
