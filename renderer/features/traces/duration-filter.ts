// The traces list's duration bounds as typed: a bound is used only when it is a number ≥ 0 and the
// pair is in order; otherwise the field is marked with a sentence saying what to type (the list
// keeps its last valid query rather than showing the back end's "request is invalid").
export interface DurationBounds {
  minDurationMs: number | undefined;
  maxDurationMs: number | undefined;
  /** What is wrong, in words, per field; absent when the field is fine. */
  problems: { min?: string; max?: string };
}

function bound(text: string, label: string): { value: number | undefined; problem?: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { value: undefined };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { value: undefined, problem: `${label} must be a number of milliseconds, e.g. 250` };
  if (value < 0) return { value: undefined, problem: `${label} cannot be negative` };
  return { value };
}

export function parseDurationBounds(minText: string, maxText: string): DurationBounds {
  const min = bound(minText, 'Min');
  const max = bound(maxText, 'Max');
  const problems: DurationBounds['problems'] = {};
  if (min.problem) problems.min = min.problem;
  if (max.problem) problems.max = max.problem;
  if (min.value !== undefined && max.value !== undefined && min.value > max.value) problems.max = `Max must be at least Min (${min.value} ms)`;
  const ok = problems.min === undefined && problems.max === undefined;
  return { minDurationMs: ok ? min.value : undefined, maxDurationMs: ok ? max.value : undefined, problems };
}
