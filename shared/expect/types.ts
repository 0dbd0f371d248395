// The result type every expectation family produces, and the configuration the engine evaluates.
import type { DistributedTracingConfig, ExpectConfig, TemporalConfig } from '../spec/schema/expect';
import type { CrossServiceExpectation } from '../spec/schema/scenario';

export interface ExpectationResult {
  /** Where the expectation lives in the test file, e.g. `expect.span[2]`, `expect.counts.by_name."db.query"`. */
  readonly expectation: string;
  /** The expectation family (see ExpectationKind). */
  readonly kind: ExpectationKind;
  readonly passed: boolean;
  /** One sentence a person can act on. */
  readonly message: string;
  /** Evidence: matched span ids for a pass, offending span ids for a failure (capped, see MAX_EVIDENCE). */
  readonly spans: string[];
}

export type ExpectationKind =
  | 'span'
  | 'graph'
  | 'counts'
  | 'window'
  | 'order'
  | 'status'
  | 'hermeticity'
  | 'temporal'
  | 'distributed'
  | 'cross_service'
  /** The scenario's own outcome (`expect_failure`), judged by the runner. */
  | 'scenario'
  /** Checked by the runner against the container engine, not spans (leakage, isolation). */
  | 'engine'
  /** A chaos experiment's phase assertions and injections (shared/chaos/experiment-results.ts). */
  | 'chaos'
  /** `[[expect.performance]]` and `[[expect.regression]]`, judged by the runner (shared/perf, main/perf). */
  | 'performance';

export interface EvaluationConfig {
  readonly expect?: ExpectConfig | undefined;
  readonly temporal?: TemporalConfig | undefined;
  readonly distributed?: DistributedTracingConfig | undefined;
  /** A scenario's own `[[scenario.expect.cross_service]]`, with the path it is reported under. */
  readonly scenarioCrossService?: { readonly path: string; readonly rules: readonly CrossServiceExpectation[] } | undefined;
  /**
   * Host names that belong to the test (declared service names, container hostnames). Used by
   * `expect.hermeticity.no_external_services`; loopback is always allowed.
   */
  readonly knownHosts?: readonly string[] | undefined;
}
