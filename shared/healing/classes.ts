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
export const EVIDENCE_KINDS = ['problem', 'container', 'log', 'step', 'span', 'expectation', 'determinism', 'history', 'run', 'stats', 'retry', 'pattern'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

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

/** One earlier attempt of an execution that self-healing retried. */
export interface RetryAttempt {
  /** The attempt's own execution id (its containers, spans and history record). */
  readonly executionId: string;
  readonly verdict: 'failed' | 'error';
  readonly classification: Classification;
  /** The backoff waited after it, before the next attempt. */
  readonly delayMs: number;
  /** What the next attempt ran with instead, e.g. more memory after an OOM kill. */
  readonly retriedWith?: string;
}

export interface HealingRecord {
  /** Failed attempts before the execution reported, oldest first. */
  readonly attempts: readonly RetryAttempt[];
  /** The last attempt passed: a retry healed the failure. */
  readonly healed: boolean;
  /** Why retrying stopped short, when it did (class not retryable, budget spent, circuit open). */
  readonly stoppedBecause?: string;
}

/** `resource_exhaustion (97 %): OOM killed (exit 137) [api]` — one line for people. */
export function describeClassification(c: Classification): string {
  const first = c.evidence.find((e) => e.kind !== 'pattern') ?? c.evidence[0];
  const by = c.pattern !== undefined ? ` by [[self_healing.patterns.classifier]] #${c.pattern}` : '';
  return `${c.class} (${Math.round(c.confidence * 100)} %)${by}${first ? `: ${first.detail}${first.ref ? ` [${first.ref}]` : ''}` : ''}`;
}
