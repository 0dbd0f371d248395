// The JSON regression report `[[expect.regression]] report_path` asks for: per execution that judged the
// entry, which metric of which span name changed by how much, with what confidence, against which
// baseline (id, name, commit, when and from which run it was captured).
import type { TestResult } from '../runner/types';

/** One report text per `report_path` the tests' regression entries name (entries sharing a path share the file). */
export function regressionReports(results: readonly TestResult[]): Array<[path: string, text: string]> {
  const byPath = new Map<string, unknown[]>();
  for (const r of results) {
    for (const e of r.executions) {
      for (const check of e.regressions ?? []) {
        if (check.reportPath === undefined) continue;
        const { reportPath, index, ...rest } = check;
        const entries = byPath.get(reportPath) ?? [];
        entries.push({ test: r.name, file: r.file, scenario: e.scenario, iteration: e.iteration, executionId: e.runId, expectation: `expect.regression[${index}]`, ...rest });
        byPath.set(reportPath, entries);
      }
    }
  }
  return [...byPath].map(([path, entries]) => [path, `${JSON.stringify({ kind: 'regression_report', version: 1, regressed: entries.some((x) => (x as { findings: { verdict: string }[] }).findings.some((f) => f.verdict === 'regressed')), entries }, null, 2)}\n`]);
}
