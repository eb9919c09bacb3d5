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

function groupKey(relation: Relation, row: number, columns: readonly number[]): string | null {
  let key = "";
  for (const c of columns) {
    const code = relation.codes[c]![row]!;
    if (code < 0) return null;
    key += `${code},`;
  }
  return key;
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
  const groups = new Map<string, number[]>();
  for (let r = 0; r < relation.rowCount; r++) {
    const key = groupKey(relation, r, columns);
    if (key === null) continue;
    const rows = groups.get(key);
    if (rows) rows.push(r);
    else groups.set(key, [r]);
  }
  let rows = 0;
  let repeated = 0;
  let largest: number[] = [];
  for (const members of groups.values()) {
    rows += members.length;
    if (members.length > 1) repeated += members.length;
    if (members.length > largest.length) largest = members;
  }
  return { rows, distinct: groups.size, rowsInRepeatedGroups: repeated, largestGroup: largest.length, largestGroupRows: largest.slice(0, exampleLimit) };
}

/** Number of rows that are exact copies of an earlier row. */
export function duplicateRows(relation: Relation): number {
  const seen = new Set<string>();
  let duplicates = 0;
  const all = relation.columns.map((_, c) => c);
  for (let r = 0; r < relation.rowCount; r++) {
    const key = all.map((c) => relation.codes[c]![r]!).join(",");
    if (seen.has(key)) duplicates++;
    else seen.add(key);
  }
  return duplicates;
}

export function hasNulls(profiles: readonly ColumnProfile[], columns: readonly number[]): boolean {
  return columns.some((c) => profiles[c]!.nulls > 0);
}
