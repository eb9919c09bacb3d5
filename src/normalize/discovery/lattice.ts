import type { Deadline } from "./deadline.js";

/**
 * The minimal column sets (drawn from `columns`, at most `maxSize` of them) on which a monotone
 * predicate holds — once it holds on a set it holds on every superset. Level-wise, apriori style:
 * a set is tested only when all its subsets one smaller fail. Stops early (returning what it
 * found on completed levels) when the deadline expires.
 */
export function minimalSets(columns: readonly number[], maxSize: number, holds: (set: number[]) => boolean, deadline: Deadline): number[][] {
  const found: number[][] = [];
  let failing: number[][] = [[]];
  if (holds([])) return [[]];
  for (let size = 1; size <= maxSize && failing.length > 0; size++) {
    const failed = new Set(failing.map(keyOf));
    const next: number[][] = [];
    for (const candidate of extend(failing, columns)) {
      if (!subsetsAllIn(candidate, failed)) continue;
      if (deadline.expired()) return found;
      if (holds(candidate)) found.push(candidate);
      else next.push(candidate);
    }
    failing = next;
  }
  return found;
}

function keyOf(set: readonly number[]): string {
  return set.join(",");
}

/** Each set extended by one column greater than its last (sets are sorted ascending). */
function* extend(sets: readonly number[][], columns: readonly number[]): Generator<number[]> {
  for (const set of sets) {
    const last = set.length ? set[set.length - 1]! : -1;
    for (const column of columns) if (column > last) yield [...set, column];
  }
}

function subsetsAllIn(candidate: readonly number[], sets: Set<string>): boolean {
  for (let skip = 0; skip < candidate.length - 1; skip++) {
    if (!sets.has(keyOf(candidate.filter((_, i) => i !== skip)))) return false;
  }
  return true;
}
