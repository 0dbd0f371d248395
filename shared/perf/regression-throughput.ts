// Throughput against a baseline (`[performance.regression.thresholds] throughput_decrease_max_percent`): per
// span name both have, this execution's spans per second over their own window (./throughput.ts, as
// `[[expect.performance]]` throughput measures it) against the baseline's; a decrease beyond the limit is a
// regression. A baseline captured before baselines kept throughput is not compared, and says so.
import type { Span } from '../model';
import type { BaselineRecord } from './baseline';
import { ratesByName } from './throughput';

/** One span name's throughput against the baseline: a row of the regression findings. */
export interface ThroughputFinding {
  readonly spanName: string;
  readonly metric: 'throughput';
  readonly baselinePerSecond: number;
  readonly currentPerSecond: number;
  /** (current − baseline) / baseline × 100: negative is a decrease. */
  readonly changePercent: number;
  /** The largest decrease allowed, in percent (a positive number). */
  readonly limitPercent: number;
  readonly verdict: 'regressed' | 'within-limit';
  /** Spans counted and the windows they were counted over (ms). */
  readonly samples: { readonly baseline: number; readonly current: number };
  readonly windowMs: { readonly baseline: number; readonly current: number };
}

export interface ThroughputComparison {
  readonly findings: ThroughputFinding[];
  /** What could not be compared, and why, each starting "throughput not compared" (for the result's message). */
  readonly notes: string[];
}

const q = (s: string): string => JSON.stringify(s);
const fmt = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

export function throughputText(f: ThroughputFinding): string {
  const sign = f.changePercent >= 0 ? '+' : '';
  return `${q(f.spanName)} throughput ${fmt(f.baselinePerSecond)}/s → ${fmt(f.currentPerSecond)}/s (${sign}${f.changePercent.toFixed(1)} %, limit -${f.limitPercent} %)`;
}

/** `names`' throughput in `spans` against `baseline`'s (`which` names the baseline in notes). */
export function compareThroughput(names: readonly string[], limitPercent: number, spans: readonly Span[], baseline: BaselineRecord, which: string): ThroughputComparison {
  if (!baseline.throughput) {
    const capture = 'capture a new one (`clnrm perf baseline save`, or [performance.baseline.capture] mode = "auto")';
    return { findings: [], notes: [`throughput not compared: ${which} has no throughput (captured before baselines kept it); ${capture}`] };
  }
  const current = ratesByName(spans);
  const findings: ThroughputFinding[] = [];
  const unmeasured: string[] = [];
  for (const name of names) {
    const base = baseline.throughput[name];
    const now = current.get(name);
    if (!base || !now) {
      unmeasured.push(`${q(name)} (no rate ${!base && !now ? 'on either side' : !now ? 'in this execution' : 'in the baseline'})`);
      continue;
    }
    const changePercent = ((now.perSecond - base.perSecond) / base.perSecond) * 100;
    findings.push({
      spanName: name,
      metric: 'throughput',
      baselinePerSecond: base.perSecond,
      currentPerSecond: now.perSecond,
      changePercent,
      limitPercent,
      verdict: -changePercent > limitPercent ? 'regressed' : 'within-limit',
      samples: { baseline: base.count, current: now.count },
      windowMs: { baseline: base.windowMs, current: now.windowMs },
    });
  }
  const why = 'a rate needs at least 2 spans of the name over more than 0 ms';
  return { findings, notes: unmeasured.length === 0 ? [] : [`throughput not compared for ${unmeasured.join(', ')}: ${why}`] };
}
