import { isSubset, setOf, type AttrSet, type SetDependency } from "../attributes.js";
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
