import type { Relation } from "../types.js";

/** Rows grouped by their values on some columns: `ids[r]` is row r's group, `count` the number of groups. */
export interface Grouping {
  ids: Int32Array;
  count: number;
}

/**
 * Groups rows by their values on `columns` by refining one column at a time. Under
 * `nullEqualsNull = false` a NULL makes its row a group of its own.
 */
export function groupRows(relation: Relation, columns: readonly number[], nullEqualsNull: boolean): Grouping {
  let ids: Int32Array = new Int32Array(relation.rowCount);
  let count = relation.rowCount > 0 ? 1 : 0;
  for (const column of columns) ({ ids, count } = refine(ids, relation.codes[column]!, relation.values[column]!.length, nullEqualsNull));
  return { ids, count };
}

function refine(ids: Int32Array, codes: Int32Array, domain: number, nullEqualsNull: boolean): Grouping {
  const next = new Int32Array(ids.length);
  const seen = new Map<number, number>();
  const width = domain + 1;
  for (let r = 0; r < ids.length; r++) {
    const code = codes[r]!;
    if (code === -1 && !nullEqualsNull) {
      next[r] = seen.size;
      seen.set(-1 - r, seen.size);
      continue;
    }
    const key = ids[r]! * width + code + 1;
    let id = seen.get(key);
    if (id === undefined) seen.set(key, (id = seen.size));
    next[r] = id;
  }
  return { ids: next, count: seen.size };
}

/** The rows to delete so that the grouping determines `rhs` (g3 numerator), and up to `cap` of them. */
export function g3Violations(relation: Relation, lhs: Grouping, rhs: number, nullEqualsNull: boolean, cap: number): { removed: number; rows: number[] } {
  const { ids } = groupRows(relation, [rhs], nullEqualsNull);
  const pairCounts = new Map<number, number>();
  const width = relation.rowCount + 1;
  for (let r = 0; r < ids.length; r++) {
    const key = lhs.ids[r]! * width + ids[r]!;
    pairCounts.set(key, (pairCounts.get(key) ?? 0) + 1);
  }
  const bestCount = new Int32Array(lhs.count);
  const bestValue = new Int32Array(lhs.count).fill(-1);
  const groupSize = new Int32Array(lhs.count);
  for (const [key, n] of pairCounts) {
    const group = Math.floor(key / width);
    groupSize[group]! += n;
    if (n > bestCount[group]!) {
      bestCount[group] = n;
      bestValue[group] = key - group * width;
    }
  }
  let removed = 0;
  for (let g = 0; g < lhs.count; g++) removed += groupSize[g]! - bestCount[g]!;
  const rows: number[] = [];
  for (let r = 0; r < ids.length && rows.length < cap && removed > 0; r++) {
    if (ids[r] !== bestValue[lhs.ids[r]!]) rows.push(r);
  }
  return { removed, rows };
}
