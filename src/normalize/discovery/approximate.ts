import type { FunctionalDependency, Relation } from "../types.js";
import type { Deadline } from "./deadline.js";
import { g3Violations, groupRows } from "./grouping.js";
import { minimalSets } from "./lattice.js";

/** Violating rows reported per approximate dependency. */
export const VIOLATING_ROWS_CAP = 20;

export interface LatticeOptions {
  nullEqualsNull: boolean;
  maxLhs: number;
  deadline: Deadline;
}

/**
 * Minimal dependencies lhs → rhs whose g3 error is at most `maxError` (0 for exact ones only),
 * found level-wise on the lattice of each rhs. With maxError > 0 only the inexact ones are kept:
 * the exact minimal dependencies come from the exact search.
 */
export function latticeDependencies(relation: Relation, maxError: number, options: LatticeOptions): FunctionalDependency[] {
  const result: FunctionalDependency[] = [];
  const n = relation.columns.length;
  const limit = Math.floor(maxError * relation.rowCount + 1e-9);
  for (let rhs = 0; rhs < n; rhs++) {
    const others = [...Array(n).keys()].filter((c) => c !== rhs);
    const outcome = new Map<string, { removed: number; rows: number[] }>();
    const holds = (lhs: number[]): boolean => {
      const violations = g3Violations(relation, groupRows(relation, lhs, options.nullEqualsNull), rhs, options.nullEqualsNull, VIOLATING_ROWS_CAP);
      outcome.set(lhs.join(","), violations);
      return violations.removed <= limit;
    };
    for (const lhs of minimalSets(others, options.maxLhs, holds, options.deadline)) {
      const { removed, rows } = outcome.get(lhs.join(","))!;
      if (maxError > 0 && removed === 0) continue;
      result.push({ lhs, rhs, error: relation.rowCount ? removed / relation.rowCount : 0, violatingRows: removed ? rows : [] });
    }
  }
  return result;
}

/** Minimal unique column combinations, level-wise. */
export function latticeKeys(relation: Relation, options: LatticeOptions): number[][] {
  const all = [...Array(relation.columns.length).keys()];
  const unique = (set: number[]): boolean => groupRows(relation, set, options.nullEqualsNull).count === relation.rowCount;
  return minimalSets(all, options.maxLhs, unique, options.deadline);
}
