import { describe, expect, it } from 'vitest';
import { parseTestFile } from '../parse';
import { HEAD, errorsOf, warningsOf } from '../test-helpers';

describe('[[expect.performance]] and [[expect.regression]]', () => {
  it('parse in the seed design’s spelling without warnings', () => {
    const text = `${HEAD}
[performance]
baseline_name = "v1.0.1_release"
[performance.baseline.capture]
mode = "auto"
require_determinism = true

[[expect.performance]]
type = "latency_bounds"
span_name = "db.query"
p50_max_ms = 50
p95_max_ms = 150

[[expect.performance]]
type = "throughput"
span_name = "clnrm.step"
min_steps_per_second = 10

[[expect.performance]]
type = "resource_limits"
cpu_avg_max_percent = 30
memory_peak_max_mb = 512

[[expect.regression]]
compare_to_baseline = "v1.0.1_release"
max_p95_increase_percent = 15
fail_on_regression = true
method = "statistical"
min_samples = 30
confidence_level = 0.95
report_path = "reports/regression.json"
`;
    const r = parseTestFile(text, { file: 't.clnrm.toml' });
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.tests[0]!.expect?.performance).toHaveLength(3);
    expect(r.tests[0]!.expect?.regression?.[0]).toMatchObject({ compare_to_baseline: 'v1.0.1_release', method: 'statistical', min_samples: 30 });
    expect(r.tests[0]!.performance?.baseline?.capture?.mode).toBe('auto');
  });

  it('says what a type needs, and rejects bad values and unknown keys where they are', () => {
    expect(errorsOf(`${HEAD}[[expect.performance]]\ntype = "latency_bounds"\nspan_name = "a"\n`)).toEqual([expect.stringMatching(/latency_bounds needs p50_max_ms, p95_max_ms or p99_max_ms/)]);
    expect(errorsOf(`${HEAD}[[expect.performance]]\ntype = "throughput"\n`).join('\n')).toMatch(/throughput needs span_name/);
    expect(errorsOf(`${HEAD}[[expect.performance]]\ntype = "speed"\n`).join('\n')).toMatch(/must be one of "latency_bounds", "throughput", "resource_limits"/);
    expect(errorsOf(`${HEAD}[[expect.performance]]\ntype = "throughput"\nspan_name = "a"\nmin_per_second = 1\nwindow = "steps"\n`)).toEqual([]);
    expect(errorsOf(`${HEAD}[[expect.performance]]\ntype = "throughput"\nspan_name = "a"\nmin_per_second = 1\nwindow = "run"\n`).join('\n')).toMatch(/window` must be one of "spans", "steps"/);
    expect(errorsOf(`${HEAD}[[expect.performance]]\ntype = "latency_bounds"\nspan_name = "a"\np95_max_ms = 1\nwindow = "steps"\n`).join('\n')).toMatch(/window is a throughput key \(latency_bounds has none\)/);
    expect(errorsOf(`${HEAD}[[expect.regression]]\nconfidence_level = 95\n`)).toEqual([expect.stringMatching(/^\d+:20 toml.shape `expect.regression\[0\].confidence_level` must be between 0 and 1, like 0.95/)]);
    expect(warningsOf(`${HEAD}[[expect.regression]]\nmax_p95_increase_pct = 15\n`).join('\n')).toMatch(/max_p95_increase_pct.*did you mean `max_p95_increase_percent`/);
  });
});
