import type { FunctionalDependency } from "../types.js";
import type { Deadline } from "./deadline.js";
import { ErrorMeter } from "./g3.js";
import { minimalSets } from "./lattice.js";
import type { Prepared } from "./preprocess.js";

/** Violating rows reported per approximate dependency. */
export const VIOLATING_ROWS_CAP = 20;

export interface ApproximateOptions {
  maxError: number;
  maxLhs: number;
  deadline: Deadline;
  /** Called per right-hand side: "approximate", columns done, columns. */
  onProgress?: (phase: string, done: number, total: number) => void;
}

/**
 * Minimal dependencies lhs → rhs whose g3 error is above 0 and at most maxError, found
 * level-wise on each rhs's lattice: a left-hand side is tried only when each one a column
 * smaller has too large an error. (Every exact dependency's lhs has error 0, so supersets of
 * exact ones are never tried.)
 */
export function approximateDependencies(data: Prepared, options: ApproximateOptions): FunctionalDependency[] {
  const meter = new ErrorMeter(data);
  const limit = Math.floor(options.maxError * data.rowCount + 1e-9);
  const result: FunctionalDependency[] = [];
  for (let rhs = 0; rhs < data.columns; rhs++) {
    options.onProgress?.("approximate", rhs, data.columns);
    const others = [...Array(data.columns).keys()].filter((c) => c !== rhs);
    const removedBy = new Map<string, number>();
    const holds = (lhs: number[]): boolean => {
      const removed = meter.removed(lhs, rhs);
      removedBy.set(lhs.join(), removed);
      return removed <= limit;
    };
    for (const lhs of minimalSets(others, options.maxLhs, holds, options.deadline)) {
      const removed = removedBy.get(lhs.join())!;
      if (removed === 0) continue;
      const violatingRows: number[] = [];
      meter.removed(lhs, rhs, VIOLATING_ROWS_CAP, violatingRows);
      result.push({ lhs, rhs, error: removed / data.rowCount, violatingRows });
    }
    if (options.deadline.expired()) break;
  }
  return result;
}
