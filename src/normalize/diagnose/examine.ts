/**
 * Rank first, measure after: of all the determinants found (10^5 on a wide, messy table), only
 * those that can make the top are measured on the rows. Each determinant's score has an upper
 * bound from the column profiles alone (rank.ts); going through determinants by that bound, the
 * search stops once the next bound is below the score of the last of the best `maxRanked` found.
 */
import { EMPTY, isSubset, membersOf, type AttrSet } from "../attributes.js";
import type { Deadline } from "../discovery/deadline.js";
import { groupStats } from "../profile.js";
import type { Analysis } from "./index.js";
import { determinantUpperBound, scoreDeterminant } from "./rank.js";

export interface Examined {
  lhs: AttrSet;
  /** The grouped right-hand side (every minimal dependency with this lhs). */
  rhs: AttrSet;
  /** Everything lhs determines. */
  reach: AttrSet;
  /** lhs determines every column: the dependency is a key at work. */
  isKey: boolean;
}

export interface Examination {
  /** The determinants measured, in the order of the analysis's dependencies. */
  determinants: Examined[];
  /** Determinants there were (empty left-hand sides aside). */
  total: number;
  /** False when the budget ran out or the cap was reached before the best were certain. */
  complete: boolean;
  cutBy?: "budget" | "cap";
}

/** Determinants measured at most, as a multiple of those kept: the bound is loose, but not this loose on real tables. */
const MEASURED_PER_KEPT = 4;

export function examineDeterminants(analysis: Analysis, maxRanked: number, budget?: Deadline): Examination {
  const pool: number[] = [];
  analysis.dependencies.forEach((d, i) => {
    if (d.lhs !== EMPTY) pool.push(i);
  });
  const bounds = pool.length <= maxRanked ? undefined : upperBounds(analysis, pool);
  const order = bounds ? pool.sort((a, b) => bounds.get(b)!.bound - bounds.get(a)!.bound || bounds.get(a)!.size - bounds.get(b)!.size || a - b) : pool;
  const best = new MinHeap();
  const measured: { at: number; entry: Examined; score: number }[] = [];
  let cutBy: Examination["cutBy"];
  for (let k = 0; k < order.length; k++) {
    if (budget?.expired()) {
      cutBy = "budget";
      break;
    }
    if (measured.length >= maxRanked * MEASURED_PER_KEPT) {
      cutBy = "cap";
      break;
    }
    const at = order[k]!;
    if (bounds && best.size >= maxRanked && bounds.get(at)!.bound < best.min()) break;
    const { lhs, rhs } = analysis.dependencies[at]!;
    const reach = analysis.index.closure(lhs);
    const isKey = isSubset(analysis.within, reach);
    const entry = { lhs, rhs, reach, isKey };
    if (isKey) {
      measured.push({ at, entry, score: Infinity });
      continue;
    }
    const columns = membersOf(lhs);
    const score = scoreDeterminant(analysis.profiles, columns, membersOf(reach & analysis.within & ~lhs), groupStats(analysis.relation, columns)).value;
    best.push(score, maxRanked);
    measured.push({ at, entry, score });
  }
  // keep the best maxRanked that are not keys (and the keys met on the way)
  const threshold = best.size >= maxRanked ? best.min() : -Infinity;
  let kept = 0;
  const determinants = measured
    .sort((a, b) => b.score - a.score || a.at - b.at)
    .filter((m) => m.score === Infinity || (m.score >= threshold && kept++ < maxRanked))
    .sort((a, b) => a.at - b.at)
    .map((m) => m.entry);
  return { determinants, total: pool.length, complete: cutBy === undefined, ...(cutBy ? { cutBy } : {}) };
}

/** Each determinant's score bound and size. */
function upperBounds(analysis: Analysis, pool: number[]): Map<number, { bound: number; size: number }> {
  const bounds = new Map<number, { bound: number; size: number }>();
  for (const at of pool) {
    const columns = membersOf(analysis.dependencies[at]!.lhs);
    bounds.set(at, { bound: determinantUpperBound(analysis.profiles, columns), size: columns.length });
  }
  return bounds;
}

/** The smallest of the best `capacity` scores pushed so far. */
class MinHeap {
  private readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  min(): number {
    return this.items[0] ?? -Infinity;
  }

  push(value: number, capacity: number): void {
    const items = this.items;
    if (items.length < capacity) {
      items.push(value);
      for (let i = items.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (items[parent]! <= items[i]!) break;
        [items[parent], items[i]] = [items[i]!, items[parent]!];
        i = parent;
      }
      return;
    }
    if (value <= items[0]!) return;
    items[0] = value;
    for (let i = 0; ; ) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < items.length && items[left]! < items[smallest]!) smallest = left;
      if (right < items.length && items[right]! < items[smallest]!) smallest = right;
      if (smallest === i) break;
      [items[smallest], items[i]] = [items[i]!, items[smallest]!];
      i = smallest;
    }
  }
}
