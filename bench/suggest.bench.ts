// Quality and speed of suggested assertions (shared/intelligence) on the seeded synthetic system
// (shared/intelligence/synthetic.ts) and on recorded runs of the demo system (real Docker runs recorded
// once: bench/fixtures/suggest-demo, two reads and an order per run, by bench/suggest-record-demo.ts; and
// the earlier bench/fixtures/suggest-demo-read-through): learn from N correct runs, accept every suggestion, then count false alarms on fresh correct runs, the catch rate per
// mutant kind, and precision (share of accepted suggestions that hold on fresh correct runs, beside
// AGORA's 81.2 % for REST API invariants, Alonso et al., ISSTA 2023); then the time to mine 1,000 runs
// of ~50 spans.
// Prints figures; asserts nothing. Run: npm run bench:suggest
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { configOf, failuresOn, mineInvariants, suggestAssertions, type Invariant, type MiningRun } from '../shared/intelligence';
import { compose } from '../shared/intelligence/compose';
import { knowledgeOf, measurableSlowdowns, mutateRun, MUTANT_KINDS, NO_PLACE, type Mutant, type MutantKind } from '../shared/intelligence/mutate';
import { syntheticRuns } from '../shared/intelligence/synthetic';
import { parseTraceFile } from '../shared/otlp';
import { mulberry32 } from '../shared/random';

/**
 * Real runs of the demo system, oldest first: where, how many fresh ones to judge (the last), the learning
 * sizes, and a folder whose subfolders each hold new real runs of the same test recorded later
 * (bench/suggest-verify-demo.ts KEEP_DIR), judged for false alarms too.
 */
const DEMO_RECORDINGS = [
  { folder: 'fixtures/suggest-demo', what: 'two reads and an order per run', fresh: 30, learn: [30, 60], later: 'fixtures/suggest-demo-new' },
  { folder: 'fixtures/suggest-demo-read-through', what: 'examples/demo-read-through, the earlier recording under heavier load', fresh: 21, learn: [30], later: undefined },
] as const;

const FRESH = 20;
const PRECISION_POOL = 300;

function cpuMs<T>(work: () => T): { ms: number; value: T } {
  const before = process.cpuUsage();
  const value = work();
  const used = process.cpuUsage(before);
  return { ms: (used.user + used.system) / 1000, value };
}

/** The invariant kind that speaks to each fault, for saying what a missed mutant was judged by. */
const JUDGED_BY: Record<MutantKind, Invariant['kind']> = {
  'dropped-span': 'span',
  'swapped-calls': 'order',
  'slower-3x': 'duration',
  'error-status': 'status',
  'changed-attribute': 'attribute',
  'forbidden-edge': 'topology',
  'missing-event': 'event',
};

/** Why a mutant was missed: the surest mined invariant about what it touched that would fail it, else what judged it. */
function nearest(kind: MutantKind, mutant: Mutant, mined: readonly Invariant[]): string {
  const about = mined.filter((i) => mutant.names.some((n) => i.subject.includes(n))).sort((a, b) => b.confidence - a.confidence);
  const near = about.find((i) => failuresOn(configOf(compose([i])), [mutant]).size > 0);
  const why = (i: Invariant) => `${i.summary} (confidence ${i.confidence.toFixed(4)}, support ${i.support}${i.confidence < 0.99 ? ': below 0.99' : ''})`;
  if (near) return `would fail: ${why(near)}`;
  const judged = about.find((i) => i.kind === JUDGED_BY[kind]);
  return `nothing mined about ${mutant.names.join(', ')} fails it${judged ? `; it passes ${why(judged)}` : ''}`;
}

/** Runs recorded later than the ones learned from, with how they were recorded. */
interface LaterRuns {
  readonly how: string;
  readonly runs: readonly MiningRun[];
}

/** Learn from `training`, accept everything, judge `fresh`, a precision pool, mutants of `fresh`, and runs recorded later. */
function judgeLearning(label: string, training: readonly MiningRun[], fresh: readonly MiningRun[], pool: readonly MiningRun[], later: readonly LaterRuns[] = []): void {
  const report = suggestAssertions(training);
  const learned = configOf(report.suggestions);
  const failingRuns = (runs: readonly MiningRun[]) => new Set([...failuresOn(learned, runs).values()].flat()).size;
  const inPool = failuresOn(learned, pool);
  const wrong = report.suggestions.filter((s) => inPool.has(s.id));
  console.log(`\n${label}: learned from ${training.length} correct runs, ${report.suggestions.length} suggestions accepted (${report.belowThreshold} mined below 0.99)`);
  console.log(`  false alarms: ${failingRuns(fresh)} of ${fresh.length} fresh correct runs fail (target 0)`);
  for (const l of later) console.log(`    and ${failingRuns(l.runs)} of ${l.runs.length} new real runs fail (${l.how})`);
  console.log(
    `  precision: ${((100 * (report.suggestions.length - wrong.length)) / report.suggestions.length).toFixed(1)} % ` +
      `(${wrong.length} of ${report.suggestions.length} fail on some of ${pool.length} fresh correct runs${wrong.length ? `: ${wrong.map((s) => s.id).join(', ')}` : ''}); AGORA: 81.2 %`,
  );
  // A slowdown is measurable beyond every correct run at hand: the learned ones, the fresh ones and the later ones.
  const known = knowledgeOf(training, [...fresh, ...pool, ...later.flatMap((l) => l.runs)]);
  const learnedOnly = knowledgeOf(training);
  const withinFresh = fresh.filter((r) => measurableSlowdowns(r.spans, known).length === 0 && measurableSlowdowns(r.spans, learnedOnly).length > 0).length;
  const mined = mineInvariants(training).invariants;
  const random = mulberry32(7);
  let caughtAll = 0;
  let total = 0;
  for (const kind of MUTANT_KINDS) {
    const mutants = fresh.map((r) => mutateRun(r, kind, known, random)).filter((m): m is Mutant => m !== undefined);
    const failed = new Set([...failuresOn(learned, mutants).values()].flat());
    const caught = failed.size;
    caughtAll += caught;
    total += mutants.length;
    // A run with no place for this fault is not a mutant; said so, with why, rather than "0 of 0".
    const none = fresh.length - mutants.length;
    const fresher = kind === 'slower-3x' && withinFresh ? ` — in ${withinFresh} of them, only a fresh correct run lasted as long` : '';
    const na = none === 0 ? '' : `${mutants.length ? ';' : ''} n/a in ${none} run(s): ${NO_PLACE[kind]}${fresher}`;
    console.log(`  ${kind.padEnd(18)} ${mutants.length ? `caught ${String(caught).padStart(2)} of ${mutants.length}` : ''}${na}`);
    for (const m of mutants.filter((x) => !failed.has(x.id))) console.log(`    missed ${m.id}: ${m.fault}; ${nearest(kind, m, mined)}`);
  }
  console.log(`  catch rate: ${((100 * caughtAll) / total).toFixed(1)} % of ${total} mutant runs (target 100 %)`);
}

function syntheticQuality(trainingRuns: number): void {
  judgeLearning('synthetic system', syntheticRuns(trainingRuns, 1), syntheticRuns(FRESH, 2), syntheticRuns(PRECISION_POOL, 3));
}

/** When and under what load a recording was made (its recording.json, written by bench/suggest-record-demo.ts). */
function recordedHow(folder: string): string {
  const file = join(folder, 'recording.json');
  if (!existsSync(file)) return 'recorded before recording.json was kept (see its README.md)';
  const r = JSON.parse(readFileSync(file, 'utf8')) as { startedAt: string; endedAt: string; cores: number; loadAverageAfterEachRun: number[] };
  const loads = r.loadAverageAfterEachRun;
  return `recorded ${r.startedAt} – ${r.endedAt} on ${r.cores} cores, load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} after each run`;
}

/** A recording of the demo system's runs: learn from the first N, judge the last ones and their mutants. */
function demoQuality(recording: (typeof DEMO_RECORDINGS)[number]): void {
  const folder = fileURLToPath(new URL(recording.folder, import.meta.url));
  if (!existsSync(folder)) {
    console.log(`\ndemo system: no recorded runs in ${folder} (see bench/suggest-record-demo.ts)`);
    return;
  }
  const runs = recordedRuns(folder);
  const spans = runs.reduce((n, r) => n + r.spans.length, 0);
  const fresh = runs.slice(-recording.fresh);
  console.log(`\n${recording.folder}: ${recordedHow(folder)}`);
  const laterFolder = recording.later === undefined ? undefined : fileURLToPath(new URL(recording.later, import.meta.url));
  const sets = laterFolder && existsSync(laterFolder) ? readdirSync(laterFolder, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort() : [];
  const later = sets.map((name) => ({ how: `${recording.later}/${name}: ${recordedHow(join(laterFolder!, name))}`, runs: recordedRuns(join(laterFolder!, name)) }));
  for (const training of recording.learn.filter((n) => n <= runs.length - recording.fresh)) {
    judgeLearning(`demo system (${recording.what}; ${runs.length} real runs, ${(spans / runs.length).toFixed(1)} spans each), runs 1–${training}`, runs.slice(0, training), fresh, fresh, later);
  }
}

/** The runs of a recording folder, oldest first (one gzipped OTLP JSON Lines file each). */
function recordedRuns(folder: string): MiningRun[] {
  const files = readdirSync(folder).filter((f) => f.endsWith('.jsonl.gz')).sort();
  return files.map((f) => ({ id: f, spans: parseTraceFile(gunzipSync(readFileSync(join(folder, f))).toString('utf8'), f).spans }));
}

function speed(): void {
  const runs = syntheticRuns(1000, 5, { extraSteps: 41 });
  const spans = runs.reduce((n, r) => n + r.spans.length, 0);
  // A first pass warms the JIT; the median of three is reported.
  mineInvariants(runs);
  const mine: number[] = [];
  const whole: number[] = [];
  for (let i = 0; i < 3; i++) {
    mine.push(cpuMs(() => mineInvariants(runs)).ms);
    whole.push(cpuMs(() => suggestAssertions(runs)).ms);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
  console.log(`\nmining 1,000 runs, ${spans.toLocaleString('en-US')} spans (${(spans / 1000).toFixed(1)} per run):`);
  console.log(`  mine invariants:          ${median(mine).toFixed(0).padStart(5)} ms CPU (target < 2000)`);
  console.log(`  whole suggest pipeline:   ${median(whole).toFixed(0).padStart(5)} ms CPU (mine + filter + compose + engine check on every run)`);
}

console.log(`bench:suggest  load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}  (node ${process.version})`);
syntheticQuality(30);
syntheticQuality(60);
for (const recording of DEMO_RECORDINGS) demoQuality(recording);
speed();
