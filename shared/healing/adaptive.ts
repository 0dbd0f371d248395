// The seed's `adaptive` retry strategy: the first retry delay of each failure class learned from the
// retries of earlier runs (kept in the knowledge store). A retry that healed after d ms pulls the
// learned delay toward 0.75·d (try a little sooner next time); one that did not heal pulls it toward
// 2·d (wait longer), each by `learning_rate`, within `min_delay_ms`..`max_delay_ms`. Later retries of
// one execution still grow from it by the exponential multiplier. Pure.
import type { FailureClass, HealingRecord } from './classes';

export interface AdaptiveSettings {
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  readonly learningRate: number;
}

export const DEFAULT_ADAPTIVE: AdaptiveSettings = { minDelayMs: 50, maxDelayMs: 30_000, learningRate: 0.1 };

export interface LearnedDelay {
  readonly class: FailureClass;
  readonly delayMs: number;
  readonly healed: number;
  readonly notHealed: number;
}

const SOONER = 0.75;
const LATER = 2;

/** One retry's lesson: its class, the delay waited before it, and whether it passed. */
export interface RetryLesson {
  readonly class: FailureClass;
  readonly delayMs: number;
  readonly healed: boolean;
}

/** The lessons of an execution's retries: each attempt's delay, and whether the retry after it passed. */
export function retryLessons(record: HealingRecord): RetryLesson[] {
  return record.attempts.map((a, i) => ({ class: a.classification.class, delayMs: a.delayMs, healed: record.healed && i === record.attempts.length - 1 }));
}

export function learnDelay(previous: LearnedDelay | undefined, lesson: RetryLesson, settings: AdaptiveSettings): LearnedDelay {
  const target = lesson.healed ? lesson.delayMs * SOONER : lesson.delayMs * LATER;
  const from = previous?.delayMs ?? lesson.delayMs;
  const next = Math.round(Math.min(settings.maxDelayMs, Math.max(settings.minDelayMs, from + settings.learningRate * (target - from))));
  return { class: lesson.class, delayMs: next, healed: (previous?.healed ?? 0) + (lesson.healed ? 1 : 0), notHealed: (previous?.notHealed ?? 0) + (lesson.healed ? 0 : 1) };
}
