import type { Relation } from "./types.js";

/** What the diagnosis needs to know about one column. */
export interface ColumnProfile {
  name: string;
  nulls: number;
  distinct: number;
  /** Mean length in characters of the non-NULL values. */
  averageLength: number;
}

/** How the values of a column combination repeat over the rows. */
export interface GroupStats {
  /** Rows where none of the columns is NULL. */
  rows: number;
  /** Distinct value combinations among those rows. */
  distinct: number;
  /** Rows whose combination also appears in another row. */
  rowsInRepeatedGroups: number;
  /** Rows of the most frequent combination. */
  largestGroup: number;
  /** Row indexes of the most frequent combination (at most `exampleLimit`). */
  largestGroupRows: number[];
}

export function cell(relation: Relation, row: number, column: number): string | null {
  const code = relation.codes[column]![row]!;
  return code < 0 ? null : relation.values[column]![code]!;
}

export function profileColumns(relation: Relation): ColumnProfile[] {
  return relation.columns.map((name, c) => {
    const codes = relation.codes[c]!;
    let nulls = 0;
    for (let r = 0; r < relation.rowCount; r++) if (codes[r]! < 0) nulls++;
    const used = new Set<number>();
    for (let r = 0; r < relation.rowCount; r++) if (codes[r]! >= 0) used.add(codes[r]!);
    let length = 0;
    for (const code of used) length += relation.values[c]![code]!.length;
    return { name, nulls, distinct: used.size, averageLength: used.size ? length / used.size : 0 };
  });
}

/**
 * The group of each row under a column combination: rows with equal values in every column share
 * an id, ids numbered by first appearance; -1 for rows with a NULL in one of the columns (unless
 * `nullIsValue`). Refined column by column on integers, so it costs a few passes over the rows.
 */
export function groupIds(relation: Relation, columns: readonly number[], nullIsValue = false): { ids: Int32Array; groups: number } {
  const n = relation.rowCount;
  const ids = new Int32Array(n);
  let groups = n > 0 ? 1 : 0;
  for (const c of columns) {
    const codes = relation.codes[c]!;
    // (group, code) pairs as one number: codes (+1 for NULL) stay below the column's domain + 1
    const stride = relation.values[c]!.length + 1;
    const pairs = groups * stride;
    groups = pairs <= DENSE_PAIRS ? refineDense(ids, codes, stride, pairs, nullIsValue) : refineSparse(ids, codes, stride, groups, nullIsValue);
  }
  byFirstAppearance(ids, groups);
  return { ids, groups };
}

/** Up to this many (group, value) pairs, refining looks them up in an array rather than a Map. */
const DENSE_PAIRS = 1 << 22;

function refineDense(ids: Int32Array, codes: Int32Array, stride: number, pairs: number, nullIsValue: boolean): number {
  const next = new Int32Array(pairs).fill(-1);
  let groups = 0;
  for (let r = 0; r < ids.length; r++) {
    const id = ids[r]!;
    if (id < 0) continue;
    const code = codes[r]!;
    if (code < 0 && !nullIsValue) {
      ids[r] = -1;
      continue;
    }
    const pair = id * stride + code + 1;
    if (next[pair] === -1) next[pair] = groups++;
    ids[r] = next[pair]!;
  }
  return groups;
}

/** Many (group, value) pairs: rows bucketed by value (a counting sort), each bucket splitting the groups it meets. */
function refineSparse(ids: Int32Array, codes: Int32Array, stride: number, groups: number, nullIsValue: boolean): number {
  const bucketStart = new Int32Array(stride + 1);
  for (let r = 0; r < ids.length; r++) {
    if (ids[r]! < 0) continue;
    const code = codes[r]!;
    if (code < 0 && !nullIsValue) ids[r] = -1;
    else bucketStart[code + 1]!++;
  }
  for (let b = 0, at = 0; b <= stride; b++) {
    const size = bucketStart[b]!;
    bucketStart[b] = at;
    at += size;
  }
  const fill = bucketStart.slice();
  const order = new Int32Array(bucketStart[stride]!);
  for (let r = 0; r < ids.length; r++) if (ids[r]! >= 0) order[fill[codes[r]! + 1]!++] = r;
  const lastBucket = new Int32Array(groups).fill(-1);
  const splitId = new Int32Array(groups);
  let next = 0;
  for (let b = 0; b < stride; b++) {
    for (let k = bucketStart[b]!, end = bucketStart[b + 1] ?? order.length; k < end; k++) {
      const r = order[k]!;
      const id = ids[r]!;
      if (lastBucket[id] !== b) {
        lastBucket[id] = b;
        splitId[id] = next++;
      }
      ids[r] = splitId[id]!;
    }
  }
  return next;
}

/** Renumbers group ids by the row where each group first appears. */
function byFirstAppearance(ids: Int32Array, groups: number): void {
  const renamed = new Int32Array(groups).fill(-1);
  let next = 0;
  for (let r = 0; r < ids.length; r++) {
    const id = ids[r]!;
    if (id < 0) continue;
    if (renamed[id] === -1) renamed[id] = next++;
    ids[r] = renamed[id]!;
  }
}

const statsCache = new WeakMap<Relation, Map<string, GroupStats>>();

/** Grouping statistics of a column set; cached per relation, since ranking, diagnosis and decomposition ask for the same sets. */
export function groupStats(relation: Relation, columns: readonly number[], exampleLimit = 4): GroupStats {
  let cache = statsCache.get(relation);
  if (!cache) statsCache.set(relation, (cache = new Map()));
  const key = `${exampleLimit}:${columns.join(",")}`;
  let stats = cache.get(key);
  if (!stats) cache.set(key, (stats = computeGroupStats(relation, columns, exampleLimit)));
  return stats;
}

function computeGroupStats(relation: Relation, columns: readonly number[], exampleLimit: number): GroupStats {
  const { ids, groups } = groupIds(relation, columns);
  const sizes = new Int32Array(groups);
  let rows = 0;
  for (let r = 0; r < ids.length; r++) {
    if (ids[r]! < 0) continue;
    sizes[ids[r]!]!++;
    rows++;
  }
  let repeated = 0;
  let largest = -1;
  for (let g = 0; g < groups; g++) {
    if (sizes[g]! > 1) repeated += sizes[g]!;
    // the earliest group wins a tie: ids follow first appearance
    if (largest === -1 || sizes[g]! > sizes[largest]!) largest = g;
  }
  const largestGroupRows: number[] = [];
  for (let r = 0; r < ids.length && largestGroupRows.length < exampleLimit && largest >= 0; r++) if (ids[r] === largest) largestGroupRows.push(r);
  return { rows, distinct: groups, rowsInRepeatedGroups: repeated, largestGroup: largest >= 0 ? sizes[largest]! : 0, largestGroupRows };
}

/** Number of rows that are exact copies of an earlier row. */
export function duplicateRows(relation: Relation): number {
  if (relation.rowCount === 0) return 0;
  const { groups } = groupIds(relation, relation.columns.map((_, c) => c), true);
  return relation.rowCount - groups;
}

export function hasNulls(profiles: readonly ColumnProfile[], columns: readonly number[]): boolean {
  return columns.some((c) => profiles[c]!.nulls > 0);
}
