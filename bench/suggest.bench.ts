// Quality and speed of suggested assertions (shared/intelligence) on the seeded synthetic system
// (shared/intelligence/synthetic.ts): learn from N correct runs, accept every suggestion, then count
// false alarms on fresh correct runs, the catch rate per mutant kind, and precision (share of accepted
// suggestions that hold on a large pool of fresh correct runs, beside AGORA's 81.2 % for REST API
// invariants, Alonso et al., ISSTA 2023); then the time to mine 1,000 runs of ~50 spans.
// Prints figures; asserts nothing. Run: npm run bench:suggest
import { loadavg } from 'node:os';
import { configOf, failuresOn, mineInvariants, suggestAssertions } from '../shared/intelligence';
import { MUTANT_KINDS, syntheticRun, syntheticRuns } from '../shared/intelligence/synthetic';

const FRESH = 20;
const MUTANTS_PER_KIND = 20;
const PRECISION_POOL = 300;

function cpuMs<T>(work: () => T): { ms: number; value: T } {
  const before = process.cpuUsage();
  const value = work();
  const used = process.cpuUsage(before);
  return { ms: (used.user + used.system) / 1000, value };
}

function quality(trainingRuns: number): void {
  const report = suggestAssertions(syntheticRuns(trainingRuns, 1));
  const learned = configOf(report.suggestions);
  const failingRuns = (runs: ReturnType<typeof syntheticRuns>) => new Set([...failuresOn(learned, runs).values()].flat()).size;
  const falseAlarms = failingRuns(syntheticRuns(FRESH, 2));
  const pool = failuresOn(learned, syntheticRuns(PRECISION_POOL, 3));
  const wrong = report.suggestions.filter((s) => pool.has(s.id)).length;
  const precision = (report.suggestions.length - wrong) / report.suggestions.length;
  console.log(`\nlearned from ${trainingRuns} correct runs: ${report.suggestions.length} suggestions accepted (${report.belowThreshold} mined below 0.99)`);
  console.log(`  false alarms: ${falseAlarms} of ${FRESH} fresh correct runs fail (target 0)`);
  console.log(`  precision: ${(100 * precision).toFixed(1)} % (${wrong} of ${report.suggestions.length} fail on some of ${PRECISION_POOL} fresh correct runs); AGORA: 81.2 %`);
  let caughtAll = 0;
  for (const kind of MUTANT_KINDS) {
    const mutants = Array.from({ length: MUTANTS_PER_KIND }, (_, k) => syntheticRun(4, k, {}, kind));
    const caught = failingRuns(mutants);
    caughtAll += caught;
    console.log(`  ${kind.padEnd(18)} caught ${String(caught).padStart(2)} of ${MUTANTS_PER_KIND}`);
  }
  const total = MUTANT_KINDS.length * MUTANTS_PER_KIND;
  console.log(`  catch rate: ${((100 * caughtAll) / total).toFixed(1)} % of ${total} mutant runs (target 100 %)`);
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
quality(30);
quality(60);
speed();
