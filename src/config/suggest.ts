import { distance } from "fastest-levenshtein";

/**
 * The candidate closest to a mistyped word, when it is close enough to be what was meant:
 * at most a third of the word's letters differ (at least 2, so short names get a chance).
 */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase());
    if (d <= limit && (!best || d < best.distance)) best = { candidate, distance: d };
  }
  return best?.candidate;
}

/** ` (did you mean "x"?)` when a close candidate exists, else "". */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const match = closestMatch(word, candidates);
  return match ? ` (did you mean "${match}"?)` : "";
}
