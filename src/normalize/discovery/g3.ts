import type { Prepared } from "./preprocess.js";

/**
 * g3 errors on the prepared relation: for lhs → rhs, the rows to delete so that it holds exactly —
 * in every group of rows agreeing on lhs, all rows but those carrying the group's most common rhs
 * value. Groups are the clusters of the lhs column with the smallest PLI, sorted by the other lhs
 * columns and the rhs; a row alone with its value in some lhs column is a group of its own.
 */
export class ErrorMeter {
  private readonly scratch: Int32Array;

  constructor(private readonly data: Prepared) {
    let largest = 0;
    for (const pli of data.plis) for (let k = 0; k < pli.clusterCount; k++) largest = Math.max(largest, pli.start[k + 1]! - pli.start[k]!);
    this.scratch = new Int32Array(Math.max(largest, data.rowCount > 0 ? 1 : 0));
  }

  /** Rows to delete for lhs → rhs; the first `cap` of them (ascending) go to `violating` when given. */
  removed(lhs: readonly number[], rhs: number, cap = 0, violating?: number[]): number {
    if (lhs.length === 0) return this.removedForConstant(rhs, cap, violating);
    const { records, width, plis } = this.data;
    let pivot = lhs[0]!;
    for (const a of lhs) if (plis[a]!.rows.length < plis[pivot]!.rows.length) pivot = a;
    const others = lhs.filter((a) => a !== pivot);
    const keyColumns = [...others, rhs];
    const byKey = (x: number, y: number): number => {
      for (const c of keyColumns) {
        const d = records[x * width + c]! - records[y * width + c]!;
        if (d !== 0) return d;
      }
      return x - y;
    };
    const { rows, start, clusterCount } = plis[pivot]!;
    let removed = 0;
    for (let k = 0; k < clusterCount; k++) {
      const group = this.groupable(rows, start[k]!, start[k + 1]!, others);
      group.sort(byKey);
      removed += this.removedInRuns(group, others, rhs, cap, violating);
    }
    violating?.sort((a, b) => a - b);
    return removed;
  }

  /** The cluster's rows that share their value with another row in every other lhs column. */
  private groupable(rows: Int32Array, from: number, to: number, others: readonly number[]): Int32Array {
    const { records, width } = this.data;
    let n = 0;
    outer: for (let i = from; i < to; i++) {
      const r = rows[i]!;
      for (const c of others) if (records[r * width + c] === -1) continue outer;
      this.scratch[n++] = r;
    }
    return this.scratch.subarray(0, n);
  }

  /** Over sorted rows: each run equal on `others` is a group; its largest run of one rhs value stays. */
  private removedInRuns(sorted: Int32Array, others: readonly number[], rhs: number, cap: number, violating?: number[]): number {
    const { records, width } = this.data;
    let removed = 0;
    for (let g = 0; g < sorted.length; ) {
      let end = g + 1;
      while (end < sorted.length && sameOn(records, width, sorted[g]!, sorted[end]!, others)) end++;
      let bestStart = g;
      let bestLength = 1;
      for (let v = g; v < end; ) {
        let vEnd = v + 1;
        const value = records[sorted[v]! * width + rhs]!;
        if (value !== -1) while (vEnd < end && records[sorted[vEnd]! * width + rhs] === value) vEnd++;
        if (vEnd - v > bestLength) [bestStart, bestLength] = [v, vEnd - v];
        v = vEnd;
      }
      removed += end - g - bestLength;
      if (violating) {
        for (let i = g; i < end && violating.length < cap; i++) if (i < bestStart || i >= bestStart + bestLength) violating.push(sorted[i]!);
      }
      g = end;
    }
    return removed;
  }

  private removedForConstant(rhs: number, cap: number, violating?: number[]): number {
    const { rowCount, records, width } = this.data;
    if (rowCount === 0) return 0;
    const pli = this.data.plis[rhs]!;
    let best = -1;
    let bestSize = 1;
    for (let k = 0; k < pli.clusterCount; k++) {
      const size = pli.start[k + 1]! - pli.start[k]!;
      if (size > bestSize) [best, bestSize] = [k, size];
    }
    if (violating) {
      for (let r = 0; r < rowCount && violating.length < cap; r++) {
        const inBest = best === -1 ? r === 0 : records[r * width + rhs] === best;
        if (!inBest) violating.push(r);
      }
    }
    return rowCount - bestSize;
  }
}

function sameOn(records: Int32Array, width: number, a: number, b: number, columns: readonly number[]): boolean {
  for (const c of columns) if (records[a * width + c] !== records[b * width + c]) return false;
  return true;
}
