// The hermetic test runner: test files → services on Docker → steps → spans → expectations → reports.
export { runTests, type RunTestsOptions, type TestSource } from './runner';
export { runTest, DEFAULT_DETERMINISM_ITERATIONS, type TestRequest } from './test-run';
export { runScenario, resourceAttributes, type RunnerEnvironment, type ScenarioRequest } from './scenario';
export { chooseReceiverBinding, type ReceiverBinding } from './receiver-host';
export { RUNNER_SCOPE, SelfTracer, type OpenSpan } from './self-trace';
export { failureLines, executionFailureLines, jsonReport, junitReport, traceDigest, writeFileReports } from './reports';
export { createProgress, summaryLines, type Progress } from './progress';
export { DEFAULT_STEP_IMAGE } from './steps';
export type { DeterminismResult, RunSummary, ScenarioExecution, StepResult, TestResult, Verdict } from './types';
export type { RunEvent } from '../../shared/run';
export { SELF_TEST_FILE, SELF_TEST_SOURCE } from './self-test';
