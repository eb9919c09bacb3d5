/**
 * Column sets as bitmasks (bigint, so tables wider than 32 columns work) and the closure of a set
 * under a list of functional dependencies.
 */
export type AttrSet = bigint;

export const EMPTY: AttrSet = 0n;

export function setOf(columns: Iterable<number>): AttrSet {
  let set = EMPTY;
  for (const c of columns) set |= 1n << BigInt(c);
  return set;
}

export function membersOf(set: AttrSet): number[] {
  const members: number[] = [];
  for (let c = 0; set >> BigInt(c) !== 0n; c++) if ((set >> BigInt(c)) & 1n) members.push(c);
  return members;
}

export function has(set: AttrSet, column: number): boolean {
  return ((set >> BigInt(column)) & 1n) === 1n;
}

export function isSubset(inner: AttrSet, outer: AttrSet): boolean {
  return (inner & outer) === inner;
}

export function sizeOf(set: AttrSet): number {
  return membersOf(set).length;
}

/** A dependency lhs → rhs over column sets (rhs may hold several columns). */
export interface SetDependency {
  lhs: AttrSet;
  rhs: AttrSet;
}

/** Every column the given columns determine under the dependencies (including themselves). */
export function closure(start: AttrSet, dependencies: readonly SetDependency[]): AttrSet {
  let result = start;
  let grown = true;
  while (grown) {
    grown = false;
    for (const dependency of dependencies) {
      if (isSubset(dependency.lhs, result) && !isSubset(dependency.rhs, result)) {
        result |= dependency.rhs;
        grown = true;
      }
    }
  }
  return result;
}

/** Dependency lists longer than this get a ClosureIndex: below, rescanning the list is as fast. */
const INDEXED_FROM = 64;

export interface KeySearchOptions {
  /** Stops the search, returning the keys found so far. */
  stop?: () => boolean;
}

/**
 * Minimal column sets within `within` that determine all of it. Columns that no dependency
 * determines are in every key, so the search starts from them and grows breadth-first,
 * skipping supersets of keys already found. `limit` bounds the sets looked at.
 */
export function candidateKeys(within: AttrSet, dependencies: readonly SetDependency[], limit = 50_000, options: KeySearchOptions = {}): AttrSet[] {
  const relevant = dependencies.filter((d) => isSubset(d.lhs, within)).map((d) => ({ lhs: d.lhs, rhs: d.rhs & within }));
  let determined = EMPTY;
  for (const d of relevant) determined |= d.rhs & ~d.lhs;
  const core = within & ~determined;
  const index = relevant.length > INDEXED_FROM ? new ClosureIndex(relevant) : undefined;
  const closeOf = index ? (set: AttrSet) => index.closure(set) : (set: AttrSet) => closure(set, relevant);
  if (isSubset(within, closeOf(core))) return [core];
  const optional = membersOf(within & determined);
  const keys: AttrSet[] = [];
  let level: AttrSet[] = [core];
  let looked = 0;
  while (level.length > 0 && looked < limit) {
    const next = new Set<AttrSet>();
    for (const base of level) {
      if (options.stop?.()) return keys;
      for (const column of optional) {
        const candidate = base | (1n << BigInt(column));
        if (candidate === base || next.has(candidate) || keys.some((k) => isSubset(k, candidate))) continue;
        looked++;
        if (isSubset(within, closeOf(candidate))) keys.push(candidate);
        else next.add(candidate);
      }
    }
    level = [...next];
  }
  return keys;
}

/**
 * Closures under a large dependency list in time linear in its size (Beeri & Bernstein's
 * LinClosure): each dependency counts the lhs columns still missing and fires when none is left,
 * so a closure never rescans the list. Results are cached, since diagnosis and decomposition ask
 * for the same sets again and again.
 */
export class ClosureIndex {
  private readonly lhsSize: Int32Array;
  private readonly rhs: AttrSet[];
  /** Dependencies whose lhs holds column c: byColumn[c]. */
  private readonly byColumn: number[][];
  private readonly free: AttrSet;
  private readonly missing: Int32Array;
  private readonly cache = new Map<AttrSet, AttrSet>();

  constructor(readonly dependencies: readonly SetDependency[]) {
    this.lhsSize = new Int32Array(dependencies.length);
    this.rhs = dependencies.map((d) => d.rhs);
    this.byColumn = [];
    let free = EMPTY;
    dependencies.forEach((d, i) => {
      const columns = membersOf(d.lhs);
      this.lhsSize[i] = columns.length;
      if (columns.length === 0) free |= d.rhs;
      for (const c of columns) (this.byColumn[c] ??= []).push(i);
    });
    this.free = free;
    this.missing = new Int32Array(dependencies.length);
  }

  closure(start: AttrSet): AttrSet {
    const cached = this.cache.get(start);
    if (cached !== undefined) return cached;
    const result = this.compute(start);
    if (this.cache.size > 200_000) this.cache.clear();
    this.cache.set(start, result);
    return result;
  }

  /** The closure under the dependencies not marked in `disabled` (not cached). */
  closureWithout(start: AttrSet, disabled: Uint8Array): AttrSet {
    return this.compute(start, disabled);
  }

  private compute(start: AttrSet, disabled?: Uint8Array): AttrSet {
    const missing = this.missing;
    missing.set(this.lhsSize);
    let result = start | this.free;
    const queue = membersOf(result);
    for (let q = 0; q < queue.length; q++) {
      for (const i of this.byColumn[queue[q]!] ?? []) {
        if (--missing[i]! !== 0 || disabled?.[i]) continue;
        const added = this.rhs[i]! & ~result;
        if (added === EMPTY) continue;
        result |= added;
        queue.push(...membersOf(added));
      }
    }
    return result;
  }
}
