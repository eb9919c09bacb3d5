/**
 * Brute-force dependency discovery: the test oracle. Checks every column subset by grouping rows
 * on it, so it is exponential in the number of columns — use it on tables of up to ~10 columns.
 */
import { relationFromRows } from "../../src/normalize/input/encode.js";
import type { FunctionalDependency, Relation } from "../../src/normalize/types.js";

export interface OracleOptions {
  nullEqualsNull?: boolean;
  maxLhs?: number;
}

/** For every column subset (bitmask), each row's group id (rows agreeing on the subset share one). */
function groupIds(relation: Relation, mask: number, nullEqualsNull: boolean): Int32Array {
  const ids = new Int32Array(relation.rowCount);
  const seen = new Map<string, number>();
  for (let r = 0; r < relation.rowCount; r++) {
    const parts: number[] = [];
    let unique = false;
    for (let c = 0; c < relation.columns.length; c++) {
      if (!(mask & (1 << c))) continue;
      const code = relation.codes[c]![r]!;
      if (code === -1 && !nullEqualsNull) unique = true;
      parts.push(code);
    }
    const key = unique ? `u${r}` : parts.join(",");
    let id = seen.get(key);
    if (id === undefined) seen.set(key, (id = seen.size));
    ids[r] = id;
  }
  return ids;
}

/** g3 error of lhs → rhs: rows to delete so that it holds, divided by the row count; plus those rows. */
function g3(relation: Relation, lhsIds: Int32Array, rhs: number, nullEqualsNull: boolean): { removed: number; violating: number[] } {
  const groups = new Map<number, number[]>();
  for (let r = 0; r < relation.rowCount; r++) {
    const list = groups.get(lhsIds[r]!);
    if (list) list.push(r);
    else groups.set(lhsIds[r]!, [r]);
  }
  let removed = 0;
  const violating: number[] = [];
  for (const rows of groups.values()) {
    const counts = new Map<string, number>();
    for (const r of rows) {
      const code = relation.codes[rhs]![r]!;
      const key = code === -1 && !nullEqualsNull ? `u${r}` : String(code);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    let bestKey = "";
    let best = -1;
    for (const [key, n] of counts) if (n > best) [bestKey, best] = [key, n];
    removed += rows.length - best;
    for (const r of rows) {
      const code = relation.codes[rhs]![r]!;
      const key = code === -1 && !nullEqualsNull ? `u${r}` : String(code);
      if (key !== bestKey) violating.push(r);
    }
  }
  return { removed, violating };
}

function popcount(mask: number): number {
  let n = 0;
  for (let m = mask; m; m &= m - 1) n++;
  return n;
}

function columnsOf(mask: number): number[] {
  const out: number[] = [];
  for (let c = 0; mask >> c; c++) if (mask & (1 << c)) out.push(c);
  return out;
}

/** Minimal dependencies lhs → rhs with g3 error ≤ maxError (0: exact only), lhs of at most maxLhs columns. */
export function bruteForceDependencies(relation: Relation, options: OracleOptions & { maxError?: number } = {}): FunctionalDependency[] {
  const nullEqualsNull = options.nullEqualsNull ?? true;
  const maxLhs = options.maxLhs ?? Infinity;
  const maxError = options.maxError ?? 0;
  const n = relation.columns.length;
  if (n > 16) throw new RangeError("the oracle is for small tables");
  const errors: Float64Array[] = [];
  const violations = new Map<string, number[]>();
  for (let mask = 0; mask < 1 << n; mask++) {
    const ids = groupIds(relation, mask, nullEqualsNull);
    const row = new Float64Array(n);
    for (let a = 0; a < n; a++) {
      if (mask & (1 << a)) continue;
      const { removed, violating } = g3(relation, ids, a, nullEqualsNull);
      row[a] = relation.rowCount === 0 ? 0 : removed / relation.rowCount;
      if (removed > 0) violations.set(`${mask}:${a}`, violating);
    }
    errors.push(row);
  }
  const result: FunctionalDependency[] = [];
  for (let mask = 0; mask < 1 << n; mask++) {
    if (popcount(mask) > maxLhs) continue;
    for (let a = 0; a < n; a++) {
      if (mask & (1 << a)) continue;
      const error = errors[mask]![a]!;
      if (error > maxError + 1e-12) continue;
      const minimal = columnsOf(mask).every((b) => errors[mask & ~(1 << b)]![a]! > maxError + 1e-12);
      if (minimal) result.push({ lhs: columnsOf(mask), rhs: a, error, violatingRows: violations.get(`${mask}:${a}`) ?? [] });
    }
  }
  return result;
}

/** Minimal unique column combinations. */
export function bruteForceKeys(relation: Relation, options: { nullEqualsNull?: boolean } = {}): number[][] {
  const nullEqualsNull = options.nullEqualsNull ?? true;
  const n = relation.columns.length;
  const unique: boolean[] = [];
  for (let mask = 0; mask < 1 << n; mask++) {
    const ids = groupIds(relation, mask, nullEqualsNull);
    unique.push(new Set(ids).size === relation.rowCount);
  }
  const keys: number[][] = [];
  for (let mask = 0; mask < 1 << n; mask++) {
    if (unique[mask] && columnsOf(mask).every((b) => !unique[mask & ~(1 << b)])) keys.push(columnsOf(mask));
  }
  return keys;
}

/** A canonical, sorted text form of dependencies ("0,2->3") for equality assertions. */
export function fdStrings(fds: readonly Pick<FunctionalDependency, "lhs" | "rhs">[]): string[] {
  return fds.map((fd) => `${[...fd.lhs].sort((a, b) => a - b).join(",")}->${fd.rhs}`).sort();
}

/** A canonical, sorted text form of keys. */
export function keyStrings(keys: readonly number[][]): string[] {
  return keys.map((k) => [...k].sort((a, b) => a - b).join(",")).sort();
}

/** A small deterministic PRNG (mulberry32), so failing seeds can be replayed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A random table with small value domains, some NULLs, and some columns derived from others so
 * that real dependencies of several sizes exist.
 */
export function randomRelation(seed: number): Relation {
  const random = rng(seed);
  const columns = 6 + Math.floor(random() * 3);
  const rows = 10 + Math.floor(random() * 51);
  const domains = Array.from({ length: columns }, () => 1 + Math.floor(random() * 6));
  const derivedFrom = Array.from({ length: columns }, (_, c) => (c >= 2 && random() < 0.4 ? [Math.floor(random() * c), Math.floor(random() * c)] : undefined));
  const nullRate = random() < 0.5 ? 0 : 0.1;
  const data: (string | null)[][] = [];
  for (let r = 0; r < rows; r++) {
    const row: (string | null)[] = [];
    for (let c = 0; c < columns; c++) {
      const from = derivedFrom[c];
      const value = from ? `${row[from[0]!]}|${row[from[1]!]}`.length % domains[c]! : Math.floor(random() * domains[c]!);
      row.push(random() < nullRate ? null : String(value));
    }
    data.push(row);
  }
  return relationFromRows(`random${seed}`, columns > 0 ? Array.from({ length: columns }, (_, c) => `c${c}`) : [], data, `seed ${seed}`);
}
