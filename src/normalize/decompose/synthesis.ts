/**
 * 3NF synthesis (Bernstein): one table per determinant of a minimal cover of the design's
 * dependencies, plus a table holding a key if none does, minus tables contained in another.
 * Keeps every dependency, at the price of the redundancy 3NF still allows.
 */
import { ClosureIndex, isSubset, membersOf, setOf, type AttrSet, type SetDependency } from "../attributes.js";
import type { Deadline } from "../discovery/deadline.js";
import type { Analysis } from "../diagnose/index.js";
import type { Part } from "./parts.js";
import { designDependencies, trustedViolations } from "./parts.js";

/** Drops each dependency the others imply; with a budget that runs out, the cover is left less reduced (still a cover). */
function minimalCover(dependencies: SetDependency[], budget?: Deadline): SetDependency[] {
  const single = dependencies.flatMap(({ lhs, rhs }) => membersOf(rhs & ~lhs).map((c) => ({ lhs, rhs: setOf([c]) })));
  const index = new ClosureIndex(single);
  const dropped = new Uint8Array(single.length);
  for (let i = single.length - 1; i >= 0; i--) {
    if (budget?.expired()) break;
    dropped[i] = 1;
    if (!isSubset(single[i]!.rhs, index.closureWithout(single[i]!.lhs, dropped))) dropped[i] = 0;
  }
  return single.filter((_, i) => !dropped[i]);
}

export function synthesisParts(analysis: Analysis, primaryKey: number[]): Part[] {
  const required = designDependencies(analysis, primaryKey);
  const byLhs = new Map<AttrSet, AttrSet>();
  for (const { lhs, rhs } of minimalCover(required, analysis.budget)) byLhs.set(lhs, (byLhs.get(lhs) ?? lhs) | rhs);
  const key = setOf(primaryKey);
  if (![...byLhs.values()].some((attrs) => isSubset(key, attrs))) byLhs.set(key, key);
  const scores = new Map(trustedViolations(analysis, analysis.within).map((c) => [c.lhs, c.score]));
  const groups = [...byLhs];
  const kept = groups.filter(([, attrs], i) => !groups.some(([, other], j) => j !== i && isSubset(attrs, other) && (attrs !== other || j < i)));
  return kept.map(([lhs, attrs]) => {
    const score = scores.get(lhs);
    return isSubset(key, attrs) || !score ? { attrs } : { attrs, splitOn: { lhs, rhs: attrs & ~lhs, score } };
  });
}
