import type { FunctionalDependency } from "../types.js";
import { approximateLattice } from "./approximate-lattice.js";
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
 * Minimal dependencies lhs → rhs whose g3 error is above 0 and at most maxError: on tables of up
 * to 31 columns by one lattice walk shared by all right-hand sides (approximate-lattice.ts), on
 * wider ones level-wise on each rhs's lattice. Either way a left-hand side is tried only when each
 * one a column smaller has too large an error. (Every exact dependency's lhs has error 0, so
 * supersets of exact ones are never tried.)
 */
export function approximateDependencies(data: Prepared, options: ApproximateOptions): FunctionalDependency[] {
  const meter = new ErrorMeter(data);
  const limit = Math.floor(options.maxError * data.rowCount + 1e-9);
  const result: FunctionalDependency[] = [];
  const report = (lhs: number[], rhs: number, removed: number): void => {
    const violatingRows: number[] = [];
    meter.removed(lhs, rhs, VIOLATING_ROWS_CAP, violatingRows);
    result.push({ lhs, rhs, error: removed / data.rowCount, violatingRows });
  };
  if (data.columns <= 31) {
    const onLevel = options.onProgress ? (size: number) => options.onProgress!("approximate", Math.min(size, data.columns), data.columns) : undefined;
    options.onProgress?.("approximate", 0, data.columns);
    approximateLattice(data, limit, options.maxLhs, options.deadline, (lhs, rhs, removed) => {
      if (removed > 0) report(members(lhs), rhs, removed);
    }, onLevel);
    return result;
  }
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
      if (removed > 0) report(lhs, rhs, removed);
    }
    if (options.deadline.expired()) break;
  }
  return result;
}

function members(set: number): number[] {
  const out: number[] = [];
  for (let w = set; w !== 0; w &= w - 1) out.push(31 - Math.clz32(w & -w));
  return out;
}
