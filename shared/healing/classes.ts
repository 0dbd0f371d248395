// The failure classes self-healing sorts every failed execution into, and the shape of a verdict: the
// class, a confidence in [0, 1] and the evidence that decided it (each item points at what the runner
// kept: a problem, a container, a step, a span, an expectation, the history). Pure: no I/O.

export const FAILURE_CLASSES = [
  'transient_network_error',
  'resource_exhaustion',
  'container_startup_failure',
  'flaky_test',
  'determinism_violation',
  'timing_sensitivity',
  'configuration_error',
  'invalid_test_definition',
  'assertion_failure',
  'infrastructure_failure',
] as const;
export type FailureClass = (typeof FAILURE_CLASSES)[number];

/** Classes a retry can heal by itself: the cause lies outside the test and may be gone a moment later. */
export const RETRYABLE_BY_DEFAULT: readonly FailureClass[] = ['transient_network_error', 'container_startup_failure', 'timing_sensitivity', 'infrastructure_failure'];

export function isFailureClass(name: string): name is FailureClass {
  return (FAILURE_CLASSES as readonly string[]).includes(name);
}

/** Where a piece of evidence comes from in the execution's records. */
export type EvidenceKind = 'problem' | 'container' | 'log' | 'step' | 'span' | 'expectation' | 'determinism' | 'history' | 'run' | 'stats' | 'retry' | 'pattern';

export interface EvidenceItem {
  readonly kind: EvidenceKind;
  /** What was seen, in words (a log line, an exit code, a problem's message). */
  readonly detail: string;
  /** What it points at: a problem code, a service, a step name, a span id, an expectation, an execution id. */
  readonly ref?: string;
}

export interface Classification {
  readonly class: FailureClass;
  readonly confidence: number;
  readonly evidence: readonly EvidenceItem[];
  /** The `[[self_healing.patterns.classifier]]` (by its index, 1-based) that decided it, when a user pattern did. */
  readonly pattern?: number;
}
