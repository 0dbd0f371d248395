// A suite file (clnrm's Rosetta Stone `rosetta_stone_suite.clnrm.toml`): a file with `[suite]` that lists
// scenario files to run together, with weights for a release-confidence figure and release criteria.
// Plain `z.object`s so unknown keys are found by the same walk as test files' (warnings, did-you-mean).
import { z } from 'zod';
import { bool, num, shape, str } from './common';
import { metaSchema } from './meta';
import { otelSchema } from './otel';
import { cleanupSchema, determinismSchema } from './run-config';

const minutes = (text: string) => num(text).positive('must be a positive number of minutes');

export const suiteScenarioSchema = z.object(
  {
    name: str('a scenario name like "01_minimal_validation"').min(1, 'must not be empty'),
    /** Relative to the suite file. */
    file: str('a test file path like "scenario_01_minimal.clnrm.toml"').min(1, 'must not be empty'),
    description: str('a description string').optional(),
    /** Default true: a required scenario that does not pass makes the verdict BLOCK. */
    required: bool().optional(),
    timeout_minutes: minutes('a number of minutes like 10').optional(),
  },
  shape('a table [[suite.scenario]] with name and file'),
);

export const suiteSectionSchema = z.object(
  {
    name: str('a suite name like "v1.0.1 Release Validation"').min(1, 'must not be empty'),
    /** Default false: scenario files run one after another. */
    parallel: bool().optional(),
    fail_fast: bool().optional(),
    timeout_minutes: minutes('a number of minutes like 60').optional(),
    scenario: z.array(suiteScenarioSchema, shape('an array of tables [[suite.scenario]]')).min(1, 'must list at least one [[suite.scenario]]'),
  },
  shape('a table [suite] with name and [[suite.scenario]] entries'),
);

export const expectSuiteSchema = z.object(
  {
    all_scenarios_pass: bool().optional(),
    zero_failures: bool().optional(),
    zero_errors: bool().optional(),
  },
  shape('a table like { all_scenarios_pass = true }'),
);

export const confidenceEntrySchema = z.object(
  {
    required: bool().optional(),
    weight: num('a non-negative weight like 1.5').min(0, 'must be a non-negative weight like 1.5'),
  },
  shape('a table like { required = true, weight = 1.0 }'),
);

/** A criterion's expected value: `true`, a number (`errors_total = 0`) or a ratio string (`"5/5"`). */
export const criterionSchema = z.union([z.boolean(), z.number(), z.string()], shape('true/false, a number or a string like "5/5"'));

export const releaseSchema = z.object(
  {
    confidence: z.record(z.string(), confidenceEntrySchema, shape('a table like { scenario_01_pass = { weight = 1.0 } }')).optional(),
    criteria: z.record(z.string(), criterionSchema, shape('a table like { all_scenarios_pass = true }')).optional(),
  },
  shape('a table [release] with confidence and criteria'),
);

const showFlags = z.object(
  {
    show_confidence_percentage: bool().optional(),
    show_scenario_summary: bool().optional(),
    show_pass_criteria: bool().optional(),
    show_recommendations: bool().optional(),
  },
  shape('a table like { show_confidence_percentage = true }'),
);

const detailFlags = z.object(
  {
    scenario_reports: bool().optional(),
    span_graphs: bool().optional(),
    isolation_verification: bool().optional(),
    determinism_hashes: bool().optional(),
    confidence_assessment: bool().optional(),
  },
  shape('a table like { scenario_reports = true }'),
);

export const suiteReportSchema = z.object(
  {
    format: str('a report style like "comprehensive"').optional(),
    json: str('a file path like "suite.report.json"').optional(),
    junit: str('a file path like "suite.junit.xml"').optional(),
    html: str('a file path like "suite.report.html"').optional(),
    digest: str('a file path like "suite.trace.sha256"').optional(),
    details: detailFlags.optional(),
    verdict: showFlags.optional(),
  },
  shape('a table like { json = "suite.report.json" }'),
);

export const suiteLimitsSchema = z.object(
  {
    total_cpu_millicores: num('a number of millicores like 2000').min(0).optional(),
    total_memory_mb: num('a number of megabytes like 4096').min(0).optional(),
    max_concurrent_containers: num('a number like 5').int().min(1).optional(),
  },
  shape('a table like { max_concurrent_containers = 5 }'),
);

export const suiteFileSchema = z.object({
  meta: metaSchema.optional(),
  suite: suiteSectionSchema,
  expect: z.object({ suite: expectSuiteSchema.optional() }, shape('a table [expect.suite]')).optional(),
  release: releaseSchema.optional(),
  report: suiteReportSchema.optional(),
  limits: suiteLimitsSchema.optional(),
  cleanup: cleanupSchema.optional(),
  otel: otelSchema.optional(),
  determinism: determinismSchema.optional(),
});

export type RawSuiteFile = z.infer<typeof suiteFileSchema>;
export type SuiteReportSection = z.infer<typeof suiteReportSchema>;
