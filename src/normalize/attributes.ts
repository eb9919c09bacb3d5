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

/**
 * Minimal column sets within `within` that determine all of it. Columns that no dependency
 * determines are in every key, so the search starts from them and grows breadth-first,
 * skipping supersets of keys already found. `limit` bounds the sets looked at.
 */
export function candidateKeys(within: AttrSet, dependencies: readonly SetDependency[], limit = 50_000): AttrSet[] {
  const relevant = dependencies.filter((d) => isSubset(d.lhs, within)).map((d) => ({ lhs: d.lhs, rhs: d.rhs & within }));
  let determined = EMPTY;
  for (const d of relevant) determined |= d.rhs & ~d.lhs;
  const core = within & ~determined;
  if (isSubset(within, closure(core, relevant))) return [core];
  const optional = membersOf(within & determined);
  const keys: AttrSet[] = [];
  let level: AttrSet[] = [core];
  let looked = 0;
  while (level.length > 0 && looked < limit) {
    const next = new Set<AttrSet>();
    for (const base of level) {
      for (const column of optional) {
        const candidate = base | (1n << BigInt(column));
        if (candidate === base || next.has(candidate) || keys.some((k) => isSubset(k, candidate))) continue;
        looked++;
        if (isSubset(within, closure(candidate, relevant))) keys.push(candidate);
        else next.add(candidate);
      }
    }
    level = [...next];
  }
  return keys;
}
