/**
 * Ranked BCNF decomposition: split on the best-ranked dependency whose determinant is not a key,
 * X → Y becomes (X ∪ Y) and (R − Y), and repeat on both halves until none is left.
 * Lossless by construction: the halves share X, and X is a key of the first.
 */
import type { AttrSet } from "../attributes.js";
import type { Analysis } from "../diagnose/index.js";
import { trustedViolations, type Part } from "./parts.js";

export function bcnfParts(analysis: Analysis, part: AttrSet = analysis.within, splitOn?: Part["splitOn"]): Part[] {
  const best = trustedViolations(analysis, part)[0];
  const self: Part = splitOn ? { attrs: part, splitOn } : { attrs: part };
  if (!best) return [self];
  const extracted = bcnfParts(analysis, best.lhs | best.rhs, best);
  const remainder = bcnfParts(analysis, part & ~best.rhs, splitOn);
  return [...extracted, ...remainder];
}
