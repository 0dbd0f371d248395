// The parts of a `[self_healing]` section this layer does not act on yet, with where they are, so
// `validate` and `run` say so (`spec.not-yet`) instead of ignoring them silently.
import type { SelfHealingSection } from '../spec/schema/v2';

const TOP_LEVEL = ['resources', 'test_repair', 'learning', 'learn_from_failures', 'auto_tune_resources'] as const;
// `resource_multiplier` sizes `clnrm heal`'s memory repair; `retry_before_quarantine` gates quarantine.
const PATTERN_KEYS = ['pull_fresh_image', 'strategies'] as const;

/** Key paths under `self_healing` (segments) that are validated but not acted on. */
export function healingNotActedOn(section: SelfHealingSection): (string | number)[][] {
  const out: (string | number)[][] = TOP_LEVEL.filter((k) => section[k] !== undefined).map((k) => [k]);
  // Learning follows the knowledge folder (`.clnrm/`), not this switch; the `adaptive` strategy is acted on.
  if (section.retry?.learn_from_history !== undefined) out.push(['retry', 'learn_from_history']);
  section.patterns?.classifier?.forEach((c, i) => {
    for (const k of PATTERN_KEYS) if (c[k] !== undefined) out.push(['patterns', 'classifier', i, k]);
  });
  return out;
}
