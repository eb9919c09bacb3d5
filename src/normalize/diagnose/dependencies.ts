import { closure, isSubset, membersOf, setOf, type AttrSet, type SetDependency } from "../attributes.js";
import type { FunctionalDependency } from "../types.js";

/** Exact dependencies among `within`, one per left-hand side with every minimal right-hand side it has. */
export function groupedDependencies(dependencies: readonly FunctionalDependency[], within: AttrSet): SetDependency[] {
  const byLhs = new Map<AttrSet, AttrSet>();
  for (const fd of dependencies) {
    if (fd.error > 0) continue;
    const lhs = setOf(fd.lhs);
    const rhs = setOf([fd.rhs]);
    if (!isSubset(lhs | rhs, within)) continue;
    byLhs.set(lhs, (byLhs.get(lhs) ?? 0n) | rhs);
  }
  return [...byLhs].map(([lhs, rhs]) => ({ lhs, rhs }));
}

export function isSuperkey(columns: AttrSet, within: AttrSet, dependencies: readonly SetDependency[]): boolean {
  return isSubset(within, closure(columns, dependencies));
}

/** Everything `lhs` determines within `within`, itself excluded. */
export function dependentsOf(lhs: AttrSet, within: AttrSet, dependencies: readonly SetDependency[]): number[] {
  return membersOf(closure(lhs, dependencies) & within & ~lhs);
}
