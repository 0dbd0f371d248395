// zod schemas of the performance layer's expectations, as clnrm's design (docs/architecture/
// hyper_advanced_framework.md, "Layer 4") spells them: `[[expect.performance]]` (type = "latency_bounds" |
// "throughput" | "resource_limits") and `[[expect.regression]]` (compare_to_baseline,
// max_p95_increase_percent, fail_on_regression). One flat object per family so the unknown-key walk sees
// every key; what each type needs is checked by refinements with messages that say what to add.
import { z } from 'zod';
import { bool, num, oneOf, shape, str } from './common';

const ms = (what: string) => num(`${what} in milliseconds, like 150`).min(0, shape(`${what} in milliseconds, at least 0`));
const percent = (what: string) => num(`${what} in percent, like 15`).min(0, shape(`${what} in percent, at least 0`));

export const PERFORMANCE_EXPECTATION_TYPES = ['latency_bounds', 'throughput', 'resource_limits'] as const;
/** throughput's window: from the first such span's start to the last one's end, or the execution's steps. */
export const THROUGHPUT_WINDOWS = ['spans', 'steps'] as const;

/** `[[expect.performance]]`: bounds on this execution's own spans and container stats. */
export const performanceExpectationSchema = z
  .object(
    {
      type: oneOf(PERFORMANCE_EXPECTATION_TYPES, 'the kind of bound'),
      /** latency_bounds, throughput: the spans measured (exact name). */
      span_name: str('a span name like "db.query"').optional(),
      p50_max_ms: ms('the largest median').optional(),
      p95_max_ms: ms('the largest 95th percentile').optional(),
      p99_max_ms: ms('the largest 99th percentile').optional(),
      /** throughput: spans named `span_name` per second of the window. */
      min_per_second: num('spans per second, like 10').min(0, shape('spans per second, at least 0')).optional(),
      /** clnrm's spelling of min_per_second (its example measures steps). */
      min_steps_per_second: num('spans per second, like 10').min(0, shape('spans per second, at least 0')).optional(),
      /** throughput: "spans" (default) or "steps". */
      window: oneOf(THROUGHPUT_WINDOWS, 'the time the rate is measured over').optional(),
      /** resource_limits: one service's samples, or every service's when absent. */
      service: str('a service name').optional(),
      cpu_avg_max_percent: percent('the largest average CPU').optional(),
      cpu_max_percent: percent('the largest sampled CPU').optional(),
      memory_peak_max_mb: num('mebibytes, like 512').min(0, shape('mebibytes, at least 0')).optional(),
      description: z.string().optional(),
    },
    shape('a table [[expect.performance]] with type = "latency_bounds", "throughput" or "resource_limits"'),
  )
  .superRefine((e, ctx) => {
    const type = e.type.toLowerCase();
    const need = (ok: boolean, message: string): void => {
      if (!ok) ctx.addIssue({ code: 'custom', message, path: [] });
    };
    if (type === 'latency_bounds') {
      need(e.span_name !== undefined, 'latency_bounds needs span_name = "<span name>"');
      need([e.p50_max_ms, e.p95_max_ms, e.p99_max_ms].some((v) => v !== undefined), 'latency_bounds needs p50_max_ms, p95_max_ms or p99_max_ms');
    } else if (type === 'throughput') {
      need(e.span_name !== undefined, 'throughput needs span_name = "<span name>"');
      need(e.min_per_second !== undefined || e.min_steps_per_second !== undefined, 'throughput needs min_per_second = <spans per second>');
    } else {
      need([e.cpu_avg_max_percent, e.cpu_max_percent, e.memory_peak_max_mb].some((v) => v !== undefined), 'resource_limits needs cpu_avg_max_percent, cpu_max_percent or memory_peak_max_mb');
    }
    need(type === 'throughput' || e.window === undefined, `window is a throughput key (${type} has none)`);
  });

export const REGRESSION_METHODS = ['threshold', 'statistical'] as const;
export const STATISTICAL_TESTS = ['mann_whitney', 'welch'] as const;

/** `[[expect.regression]]`: this execution's span latencies against a stored baseline (`clnrm perf baseline`). */
export const regressionExpectationSchema = z.object(
  {
    /** A baseline's name or id; absent or "latest": the newest baseline of this test and scenario. */
    compare_to_baseline: str('a baseline name or id like "v1.0.1_release", or "latest"').optional(),
    /** The spans compared; absent: every span name the baseline has. */
    span_name: str('a span name like "db.query"').optional(),
    max_p95_increase_percent: percent('the largest p95 increase').optional(),
    max_p50_increase_percent: percent('the largest median increase').optional(),
    /** false: a regression is reported but does not fail the test. Default true. */
    fail_on_regression: bool().optional(),
    /** threshold (default): percent limits only; statistical: the increase must also be significant. */
    method: oneOf(REGRESSION_METHODS, 'the detection method').optional(),
    test: oneOf(STATISTICAL_TESTS, 'the statistical test').optional(),
    /** statistical: fewer samples on either side is "not enough data", never a regression. Default 10. */
    min_samples: num('a count like 30').int(shape('an integer like 30')).min(2, shape('at least 2')).optional(),
    /** statistical: 1 − the largest p-value called significant. Default 0.95. */
    confidence_level: num('a level like 0.95').gt(0, shape('between 0 and 1, like 0.95')).lt(1, shape('between 0 and 1, like 0.95')).optional(),
    /** A JSON regression report, relative to the test file's folder (as `[report]` paths). */
    report_path: str('a file path like "reports/regression.json"').optional(),
    description: z.string().optional(),
  },
  shape('a table [[expect.regression]] like { max_p95_increase_percent = 15 }'),
);

export type PerformanceExpectation = z.infer<typeof performanceExpectationSchema>;
export type RegressionExpectation = z.infer<typeof regressionExpectationSchema>;
