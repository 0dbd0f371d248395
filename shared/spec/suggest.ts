// "Did you mean …?" hints: the closest allowed name by edit distance, when it is close enough to be
// a plausible typo (about a third of the word may differ).
import { distance } from 'fastest-levenshtein';

export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = word.toLowerCase();
  for (const candidate of candidates) {
    const d = distance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  const longest = Math.max(word.length, best.length);
  // Two edits (a swapped pair of letters: `imgae`) for words of 4+ letters, a third of the word for long ones.
  const limit = longest <= 3 ? 1 : Math.max(2, Math.floor(longest / 3));
  return bestDistance <= limit ? best : undefined;
}

export function didYouMean(word: string, candidates: Iterable<string>): string {
  const hit = closest(word, candidates);
  return hit === undefined ? '' : ` — did you mean \`${hit}\`?`;
}
