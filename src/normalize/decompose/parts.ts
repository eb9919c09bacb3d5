import { EMPTY, isSubset, membersOf, setOf, type AttrSet, type ClosureIndex, type SetDependency } from "../attributes.js";
import type { Analysis } from "../diagnose/index.js";
import { scoreDeterminant, type Score } from "../diagnose/rank.js";
import { groupStats } from "../profile.js";

/** A table of the decomposition as a column set, before names and keys. */
export interface Part {
  attrs: AttrSet;
  /** The dependency it was split off on; absent for the table that keeps the original key. */
  splitOn?: { lhs: AttrSet; rhs: AttrSet; score: Score };
}

export interface Candidate {
  lhs: AttrSet;
  rhs: AttrSet;
  score: Score;
}

/** Constant columns (∅ → c) stay with the original key instead of following the first split. */
export function constants(analysis: Analysis): AttrSet {
  return analysis.dependencies.find((d) => d.lhs === EMPTY)?.rhs ?? EMPTY;
}

/**
 * Dependencies inside `part` whose determinant is not a key of it, has no NULLs and ranks at or
 * above the threshold, best first: the splits the decomposition may use. Only the determinants
 * the diagnosis ranked in detail are considered.
 */
export function trustedViolations(analysis: Analysis, part: AttrSet): Candidate[] {
  const fixed = constants(analysis);
  const found: Candidate[] = [];
  for (const lhs of analysis.candidates) {
    if (!isSubset(lhs, part)) continue;
    const reach = analysis.index.closure(lhs);
    if (isSubset(part, reach)) continue;
    const lhsColumns = membersOf(lhs);
    if (lhsColumns.some((c) => analysis.profiles[c]!.nulls > 0)) continue;
    const rhs = reach & part & ~lhs & ~fixed;
    if (rhs === EMPTY) continue;
    const score = scoreDeterminant(analysis.profiles, lhsColumns, membersOf(rhs), groupStats(analysis.relation, lhsColumns));
    if (score.value >= analysis.minScore) found.push({ lhs, rhs, score });
  }
  return found.sort((a, b) => b.score.value - a.score.value || membersOf(a.lhs).length - membersOf(b.lhs).length || membersOf(b.rhs).length - membersOf(a.rhs).length);
}

/** Columns still reachable from `start` through the parts: the classic dependency-preservation test. */
export function preservedClosure(start: AttrSet, parts: readonly AttrSet[], index: ClosureIndex): AttrSet {
  let reached = start;
  for (let grown = true; grown; ) {
    grown = false;
    for (const part of parts) {
      const more = index.closure(reached & part) & part;
      if (!isSubset(more, reached)) {
        reached |= more;
        grown = true;
      }
    }
  }
  return reached;
}

/** The dependencies that define the design: the primary key's and the trusted violating ones. */
export function designDependencies(analysis: Analysis, primaryKey: number[]): SetDependency[] {
  const key = setOf(primaryKey);
  const keyDependency = key === EMPTY ? [] : [{ lhs: key, rhs: analysis.within & ~key }];
  return [...keyDependency, ...trustedViolations(analysis, analysis.within).map(({ lhs, rhs }) => ({ lhs, rhs }))];
}

export function lostDependencies(analysis: Analysis, parts: readonly AttrSet[], required: readonly SetDependency[]): { lhs: number[]; rhs: number[] }[] {
  return required.flatMap(({ lhs, rhs }) => {
    const lost = rhs & ~preservedClosure(lhs, parts, analysis.index);
    return lost === EMPTY ? [] : [{ lhs: membersOf(lhs), rhs: membersOf(lost) }];
  });
}
